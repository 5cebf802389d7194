"""`ra ask`: a cited answer from the corpus, streamed to the terminal."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markdown import Markdown

from assistant import render
from assistant.answers import Answer
from assistant.ask import Done, Event, Status, Token
from assistant.errors import UserError
from assistant.export import write_text
from assistant.grounding import UNGROUNDED_BANNER
from assistant.llm import describe_mode, explain_llm_error, is_llm_failure
from assistant.phrasing import route
from assistant.reading_list import ReadingList
from assistant.related_work import Draft
from assistant.serialize import print_json
from assistant.settings import Settings
from assistant.triage import TriageReport
from assistant.usage import usage_line
from assistant.workspace import Routed
from retrieval.query import check_query
from shell.commands.corpus import CorpusOption, JsonOption
from shell.commands.write import (
    FormatOption,
    OutOption,
    check_format,
    run_llm,
    show_draft,
    show_profile,
    show_reading_list,
    show_triage,
)
from shell.wiring import workspace_for

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

out = Console()
err = Console(stderr=True, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.command("ask")(ask)


def ask(
    ctx: typer.Context,
    question: Annotated[
        str, typer.Argument(help="Your question, about papers or your own agenda.")
    ],
    k: Annotated[int, typer.Option("--k", min=1, max=30, help="How many sources to read.")] = 8,
    no_stream: Annotated[
        bool, typer.Option("--no-stream", help="Print the answer once, at the end.")
    ] = False,
    fmt: FormatOption = "md",
    out_file: OutOption = None,
    corpus_paths: CorpusOption = None,
    json_out: JsonOption = False,
) -> None:
    """Answer a question from your corpus with numbered citations; uncited text is marked."""
    question = check_query(question)  # before loading anything or writing the history
    fmt = check_format(fmt)
    workspace = workspace_for(ctx, corpus_paths)
    workspace.open()
    if route(question) != "ask":
        request = run_llm(ctx, lambda: workspace.read(question))
        if request.task != "ask":
            if not json_out:
                err.print(f"[dim]{workspace.mode} · {request.task.replace('_', ' ')}[/]")
            show_routed(run_llm(ctx, lambda: workspace.run(request)), fmt, out_file, json_out)
            return
    session = workspace.session(k=k)
    stream = not (no_stream or json_out)
    answer = deliver(
        session.ask(question), workspace.settings, workspace.llm, stream=stream, json_out=json_out
    )
    show_answer(answer, fmt, out_file, stream=stream, json_out=json_out)


def deliver(
    events: Iterator[Event],
    settings: Settings,
    llm: BaseChatModel | None,
    *,
    stream: bool,
    json_out: bool,
    prefix: str = "",
) -> Answer:
    """Print status and streamed tokens as they come; the checked answer at the end.

    `prefix` is the text a continued answer already had, printed before its new tokens.
    """
    if not json_out:
        err.print(f"[dim]{describe_mode(settings)}[/]")
    if stream and prefix:
        out.print(prefix, end="", markup=False, highlight=False)
    answer = None
    started = False
    try:
        for event in events:
            if isinstance(event, Status) and not json_out:
                err.print(f"[dim]… {event.text}[/]")
            elif isinstance(event, Token):
                started = True
                if stream:
                    out.print(event.text, end="", markup=False, highlight=False)
            elif isinstance(event, Done):
                answer = event.answer
    except Exception as exc:
        if llm is None or not is_llm_failure(exc):
            raise
        if stream and not json_out:
            out.print()
        raise UserError(explain_llm_error(exc, settings, started=started)) from None
    assert answer is not None
    return answer


def show_answer(
    answer: Answer, fmt: str, out_file: Path | None, *, stream: bool, json_out: bool
) -> None:
    """The checked answer, its references, and what was removed, cut or spent."""
    if out_file is not None:
        path = write_text(out_file, answer.to_markdown() if fmt == "md" else answer.to_bibtex())
        err.print(f"Wrote {path}.")
    if json_out:
        print_json({"task": "ask"} | answer.to_json() | {"finish_reason": answer.finish_reason})
        return
    if stream and answer.mode == "llm":
        out.print("\n")
        out.rule("checked", style="dim")
    if not answer.grounded:
        out.print(f"[bold red]⚠ {UNGROUNDED_BANNER}[/]")
    out.print(Markdown(answer.text))
    out.print(Markdown(render.answer_sources(answer)))
    if answer.fallback is not None:
        out.rule("quoted from your corpus", style="dim")
        out.print(Markdown(render.answer_body(answer.fallback)))
    if answer.unknown_references:
        err.print(
            "[yellow]Not in your corpus (check before citing):[/] "
            + ", ".join(answer.unknown_references)
        )
    if answer.removed_citations:
        err.print(
            f"[yellow]Removed citations that named no retrieved source:[/] {', '.join(answer.removed_citations)}"
        )
    if answer.truncated:
        err.print(
            f"[yellow]Truncated ({answer.finish_reason}): the model stopped before the answer "
            "was finished.[/] Continue it with `ra history continue`."
        )
    if answer.usage:
        err.print(f"[dim]{usage_line(answer.usage)}[/]")


def show_routed(routed: Routed, fmt: str, out_file: Path | None, json_out: bool) -> None:
    """Show a routed request's result as its own command would, the task named in JSON."""
    task = routed.request.task
    result = routed.result
    if isinstance(result, ReadingList):
        show_reading_list(result, fmt, out_file, json_out, task)
    elif isinstance(result, Draft):
        show_draft(result, "markdown", None, out_file, json_out, task)
    elif isinstance(result, TriageReport):
        show_triage(result, json_out, task)
    else:
        show_profile(result, json_out, task)
