"""`ra profile`, `ra reading-list`, `ra related-work` and `ra triage`: the writing jobs."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.console import Console
from rich.markdown import Markdown
from rich.markup import escape
from rich.table import Table

from assistant.errors import UserError
from assistant.export import write_text
from assistant.llm import (
    explain_llm_error,
    is_llm_failure,
    llm_configured,
)
from assistant.related_work import Style
from assistant.serialize import print_json
from assistant.workspace import Workspace
from shell.commands.corpus import CorpusOption, JsonOption
from shell.wiring import workspace_for

if TYPE_CHECKING:
    from assistant.profile import Profile
    from assistant.reading_list import ReadingList
    from assistant.related_work import Draft
    from assistant.triage import TriageReport
from retrieval.query import check_query


class DraftStyle(StrEnum):
    """`--style` of `ra related-work`: typer checks the choice and names the allowed ones."""

    latex = "latex"
    markdown = "markdown"


_STYLE_OF: dict[str, Style] = {"latex": "latex", "markdown": "markdown"}

T = TypeVar("T")
out = Console()
err = Console(stderr=True, soft_wrap=True)

FormatOption = Annotated[
    str, typer.Option("--format", help="md (Markdown with references) or bib (BibTeX).")
]
OutOption = Annotated[
    Path | None, typer.Option("--out", help="Write to this file instead of the terminal.")
]


def register(app: typer.Typer) -> None:
    app.command("profile")(profile)
    app.command("reading-list")(reading_list)
    app.command("related-work")(related_work)
    app.command("triage")(triage)


def check_format(value: str) -> str:
    """The --format value, or one sentence saying what it may be."""
    if value not in ("md", "bib"):
        raise UserError(f"--format must be md or bib, not '{value}'.")
    return value


def emit(markdown: str, bib: str, fmt: str, out_file: Path | None) -> None:
    """Print or write the Markdown or the BibTeX of a result."""
    text = markdown if fmt == "md" else bib
    if out_file is not None:
        path = write_text(out_file, text)
        err.print(f"Wrote {path} ({'BibTeX' if fmt == 'bib' else 'Markdown'}).")
        return
    if fmt == "bib":
        out.print(text, markup=False, highlight=False, end="")
    else:
        out.print(Markdown(markdown))


def _open(ctx: typer.Context, corpus_paths: list[Path] | None, quiet: bool) -> Workspace:
    """The workspace over the existing index (no indexing), the mode said on stderr."""
    workspace = workspace_for(ctx, corpus_paths)
    workspace.open()
    if not quiet:
        err.print(f"[dim]{workspace.mode}[/]")
    return workspace


def run_llm(ctx: typer.Context, work: Callable[[], T]) -> T:
    """Run `work()`, turning an LLM failure into one sentence."""
    try:
        return work()
    except Exception as exc:
        if not llm_configured(ctx.obj) or not is_llm_failure(exc):
            raise
        raise UserError(explain_llm_error(exc, ctx.obj, started=False)) from None


def profile(
    ctx: typer.Context, corpus_paths: CorpusOption = None, json_out: JsonOption = False
) -> None:
    """Show the researcher profile: the agenda's themes and your own papers."""
    show_profile(workspace_for(ctx, corpus_paths).profile, json_out)


def show_profile(prof: Profile, json_out: bool, task: str | None = None) -> None:
    """Print the profile as a table; `task` adds the routed task's name to the JSON."""
    if json_out:
        print_json(({"task": task} if task else {}) | prof.to_json())
        return
    if prof.empty:
        out.print(
            "No profile: the corpus has no research statement or CV. Add one, or set "
            "RA_PROFILE to the files that describe you."
        )
        return
    who = escape(", ".join(prof.names) or "Researcher")
    out.print(f"[bold]{who}[/] — from {escape(', '.join(prof.files))}")
    table = Table(title=f"{len(prof.themes)} themes", title_justify="left")
    for col in ("theme", "keywords", "your papers", "source"):
        table.add_column(col)
    for t in prof.themes:
        table.add_row(
            escape(t.name),
            escape(", ".join(t.keywords)),
            ", ".join(p.bibkey for p in t.own_papers) or "-",
            escape(f"{t.source.file}:{t.source.line}"),
        )
    out.print(table)
    out.print(f"\n[bold]{len(prof.own_papers)} papers of yours[/] in the catalog:")
    for p in prof.own_papers:
        out.print(f"  {p.year or '----'}  {escape(p.title)}  [dim]{p.bibkey}[/]", highlight=False)


def reading_list(
    ctx: typer.Context,
    topic: Annotated[
        str,
        typer.Argument(
            help="What to read about, as a topic or in your own words with constraints "
            "('5 papers since 2021, skip X'); may be empty with --for-me."
        ),
    ] = "",
    n: Annotated[
        int | None,
        typer.Option("--n", min=1, max=50, help="How many papers (default: as asked, else 15)."),
    ] = None,
    for_me: Annotated[
        bool, typer.Option("--for-me", help="Choose and explain by your own agenda.")
    ] = False,
    fmt: FormatOption = "md",
    out_file: OutOption = None,
    corpus_paths: CorpusOption = None,
    json_out: JsonOption = False,
) -> None:
    """A reading list on a topic: themes, foundational to recent, why to read each."""
    fmt = check_format(fmt)
    topic = check_query(topic) if topic.strip() or not for_me else ""
    workspace = _open(ctx, corpus_paths, json_out)
    result = run_llm(ctx, lambda: workspace.reading_list(topic, n=n, for_me=for_me))
    show_reading_list(result, fmt, out_file, json_out)


def show_reading_list(
    result: ReadingList, fmt: str, out_file: Path | None, json_out: bool, task: str | None = None
) -> None:
    """Print or write a reading list; `task` adds the routed task's name to the JSON."""
    if json_out:
        print_json(({"task": task} if task else {}) | result.to_json())
        return
    if result.note and not result.themes:
        err.print(f"[yellow]{escape(result.note)}[/]")
    emit(result.to_markdown(), result.to_bibtex(), fmt, out_file)


def related_work(
    ctx: typer.Context,
    topic: Annotated[
        str | None,
        typer.Option("--topic", help="The topic to survey, as a topic or in your own words."),
    ] = None,
    abstract_file: Annotated[
        Path | None, typer.Option("--abstract-file", help="Your paper's abstract, as text.")
    ] = None,
    paragraphs: Annotated[int, typer.Option("--paragraphs", min=1, max=4)] = 2,
    headings: Annotated[
        bool, typer.Option("--headings", help="Start each paragraph with its theme's name.")
    ] = False,
    style: Annotated[
        DraftStyle, typer.Option("--style", help="latex or markdown.")
    ] = DraftStyle.latex,
    bib: Annotated[
        Path | None, typer.Option("--bib", help="Write the cited entries to this .bib file.")
    ] = None,
    out_file: OutOption = None,
    corpus_paths: CorpusOption = None,
    json_out: JsonOption = False,
) -> None:
    """Draft related-work paragraphs that cite only papers of your corpus."""
    if (topic is None) == (abstract_file is None):
        raise UserError("Give exactly one of --topic TEXT or --abstract-file FILE.")
    abstract = None
    if abstract_file is not None:
        try:
            abstract = abstract_file.expanduser().read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise UserError(
                f"Cannot read {abstract_file} ({exc.strerror}): check the path."
            ) from None
        if not abstract.strip():
            raise UserError(f"{abstract_file} is empty: put your abstract in it.")
    else:
        topic = check_query(topic or "")
    workspace = _open(ctx, corpus_paths, json_out)
    draft = run_llm(
        ctx,
        lambda: workspace.related_work(
            topic,
            abstract=abstract,
            paragraphs=paragraphs,
            style=_STYLE_OF[style.value],
            headings=headings,
        ),
    )
    show_draft(draft, style.value, bib, out_file, json_out)


def show_draft(
    draft: Draft,
    style: str,
    bib: Path | None,
    out_file: Path | None,
    json_out: bool,
    task: str | None = None,
) -> None:
    """Print or write a draft and its .bib; `task` adds the routed task's name to the JSON."""
    if bib is not None:
        path = write_text(bib, draft.bibtex)
        err.print(f"Wrote {len(draft.cited)} BibTeX entries to {path}.")
    if json_out:
        print_json(({"task": task} if task else {}) | draft.to_json())
        return
    if out_file is not None:
        path = write_text(out_file, draft.to_latex() if style == "latex" else draft.to_markdown())
        err.print(f"Wrote {path}.")
    elif style == "latex":
        if draft.note:
            err.print(f"[yellow]{draft.note}[/]")
        if draft.mode == "extractive":
            err.print("[dim]Draft from sources (offline): rewrite before use.[/]")
        out.print("\n\n".join(draft.paragraphs), markup=False, highlight=False)
    else:
        out.print(Markdown(draft.to_markdown()))
    if draft.removed:
        err.print(
            f"[yellow]Removed citations of papers not retrieved:[/] {', '.join(draft.removed)}"
        )
    for sentence in draft.weak:
        err.print(f"[yellow]Weakly supported:[/] {sentence}", highlight=False)


def triage(
    ctx: typer.Context,
    source: Annotated[
        str | None, typer.Option("--source", help="The corpus file to triage (default: the feed).")
    ] = None,
    n: Annotated[int, typer.Option("--n", min=1, max=200, help="How many papers.")] = 10,
    corpus_paths: CorpusOption = None,
    json_out: JsonOption = False,
) -> None:
    """Rank the papers of a feed by relevance to your agenda (never re-indexes)."""
    show_triage(workspace_for(ctx, corpus_paths).triage(source, n), json_out)


def show_triage(report: TriageReport, json_out: bool, task: str | None = None) -> None:
    """Print a triage report; `task` adds the routed task's name to the JSON."""
    if json_out:
        print_json(({"task": task} if task else {}) | report.to_json())
        return
    file, ranked = report.file, report.ranked
    if not ranked:
        out.print(f"{file} holds no papers.")
        return
    out.print(f"[bold]{len(ranked)} papers[/] of {escape(file)}, closest to your agenda first:\n")
    for i, t in enumerate(ranked, 1):
        out.print(
            f"{i:2}. [bold]{escape(t.paper.title)}[/] ({t.paper.year or 'n.d.'}) "
            f"[dim]{t.paper.bibkey}[/]",
            highlight=False,
        )
        out.print(f"    {t.reason}", highlight=False, markup=False)
