"""`ra search` and `ra eval retrieval`: query the index and measure it."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from assistant.serialize import print_json
from retrieval.evaluation import evaluate, read_questions
from retrieval.hybrid import MODES, Filters, Hit, Mode
from retrieval.query import check_query, snippet
from shell.commands.corpus import CorpusOption, JsonOption
from shell.commands.eval_answers import eval_answers
from shell.wiring import workspace_for

out = Console()
eval_app = typer.Typer(help="Measure the assistant on your own questions.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("search")(search)
    app.add_typer(eval_app, name="eval")
    eval_app.command("retrieval")(eval_retrieval)
    eval_app.command("answers")(eval_answers)
    from shell.commands import eval_writing

    eval_writing.register(eval_app)


class SearchMode(StrEnum):
    """`--mode` of `ra search`: typer checks the choice and names the allowed ones."""

    hybrid = "hybrid"
    dense = "dense"
    bm25 = "bm25"


class EvalMode(StrEnum):
    """`--mode` of `ra eval retrieval`: one mode, or all three."""

    hybrid = "hybrid"
    dense = "dense"
    bm25 = "bm25"
    all = "all"


_MODE_OF: dict[str, Mode] = {m: m for m in MODES}


def hit_json(rank: int, hit: Hit, query: str) -> dict[str, Any]:
    source = hit.paper.sources[0] if hit.paper and hit.paper.sources else None
    file, line = (source.file, source.line) if source else (hit.chunk.file, hit.chunk.line)
    return {
        "rank": rank,
        "paper_id": hit.chunk.paper_id,
        "title": hit.title,
        "score": round(hit.score, 6),
        "kind": hit.chunk.kind,
        "source": f"{file}:{line}",
        "snippet": snippet(hit.chunk.text, query),
    }


def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="What to look for, in your own words.")],
    k: Annotated[int, typer.Option("--k", min=1, max=100, help="How many hits.")] = 10,
    mode: Annotated[SearchMode, typer.Option(help="hybrid, dense or bm25.")] = SearchMode.hybrid,
    topic: Annotated[str | None, typer.Option(help="Only this topic (substring).")] = None,
    year: Annotated[int | None, typer.Option(help="Only this year.")] = None,
    kind: Annotated[str | None, typer.Option(help="paper, profile or document.")] = None,
    corpus_paths: CorpusOption = None,
    json_out: JsonOption = False,
) -> None:
    """Search the index: dense and BM25 fused, one hit per paper."""
    query = check_query(query)
    chosen = _MODE_OF[mode.value]
    searcher = workspace_for(ctx, corpus_paths).library.searcher()
    filters = Filters(topic=topic, year_min=year, year_max=year, kind=kind)
    hits = searcher.search(query, k=k, mode=chosen, filters=filters)
    rows = [hit_json(rank, hit, query) for rank, hit in enumerate(hits, 1)]
    if json_out:
        print_json(rows)
        return
    if not hits:
        out.print("No matches. Try other words, or drop a filter.")
        return
    out.print(
        f"[bold]{len(hits)} hits[/] for “{escape(query)}” [dim]({chosen})[/]\n", highlight=False
    )
    for row, hit in zip(rows, hits, strict=True):
        out.print(render_hit(row["rank"], hit, row["snippet"], row["source"]), highlight=False)


def render_hit(rank: int, hit: Hit, snippet_text: str, source: str) -> str:
    """' 1. Title (2023)', then authors, venue and source, then the snippet, as rich markup."""
    authors = ", ".join(hit.chunk.authors[:3]) + (" et al." if len(hit.chunk.authors) > 3 else "")
    year = f" ({hit.chunk.year})" if hit.chunk.year else ""
    meta = " · ".join(x for x in (authors, hit.chunk.venue or hit.chunk.topic or "") if x)
    lines = [f"[bold]{rank:>2}. {escape(hit.title)}[/]{year}"]
    lines.append(f"    [dim]{escape(meta)}{'  ' if meta else ''}{escape(source)}[/]")
    if snippet_text:
        lines.append(f"    {escape(snippet_text)}")
    return "\n".join(lines) + "\n"


def eval_retrieval(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="JSON Lines: question, gold_titles, optional id and type.")
    ],
    k: Annotated[int, typer.Option("--k", min=1, max=100, help="Search depth.")] = 10,
    mode: Annotated[EvalMode, typer.Option(help="hybrid, dense, bm25 or all.")] = EvalMode.all,
    corpus_paths: CorpusOption = None,
    json_out: JsonOption = False,
) -> None:
    """Recall@1/5/10 and MRR on your questions, per mode and per question type."""
    questions, skipped = read_questions(file)
    modes: list[Mode] = list(MODES) if mode is EvalMode.all else [_MODE_OF[mode.value]]
    searcher = workspace_for(ctx, corpus_paths).library.searcher()
    report = evaluate(searcher, questions, modes, k=k)
    report["skipped"] = skipped
    if json_out:
        print_json(report)
        return
    table = Table(title=f"Retrieval on {len(questions)} questions", title_justify="left")
    for col in ("mode", "type", "n", "R@1", "R@5", "R@10", "MRR"):
        table.add_column(col, justify="left" if col in ("mode", "type") else "right")
    for name, m in report["modes"].items():
        for type_name, row in [("all", m), *m["by_type"].items()]:
            table.add_row(
                name if type_name == "all" else "",
                type_name,
                str(row["n"]),
                *(f"{row[key]:.3f}" for key in ("recall@1", "recall@5", "recall@10", "mrr")),
            )
        table.add_section()
    out.print(table)
    if skipped:
        out.print(
            f"{skipped} questions with no gold titles (unanswerable, or answered by prose) "
            "were not ranked."
        )
