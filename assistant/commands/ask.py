"""`ra ask`: a cited answer from the corpus, streamed to the terminal."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markdown import Markdown

from assistant.answers import Answer
from assistant.ask import Asker, Done, Event, Status, Token
from assistant.commands.corpus import CorpusOption, JsonOption
from assistant.commands.write import FormatOption, OutOption, check_format
from assistant.errors import UserError
from assistant.export import write_text
from assistant.library import Library
from assistant.llm import (
    build_chat_model,
    describe_mode,
    explain_llm_error,
    is_llm_failure,
    llm_configured,
    usage_line,
)
from assistant.serialize import print_json
from assistant.session import ChatSession
from assistant.settings import Settings
from retrieval.query import check_query

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
    """Answer a question from your corpus, every claim cited to a source."""
    question = check_query(question)  # before loading anything or writing the history
    fmt = check_format(fmt)
    settings = ctx.obj
    library = Library(settings, corpus_paths)
    session, llm = open_session(settings, library, k)
    stream = not (no_stream or json_out)
    answer = deliver(session.ask(question), settings, llm, stream=stream, json_out=json_out)
    show_answer(answer, fmt, out_file, stream=stream, json_out=json_out)


def open_session(
    settings: Settings, library: Library, k: int, session_id: str | None = None
) -> tuple[ChatSession, BaseChatModel | None]:
    """A chat session over the library's index, with the LLM when one is configured."""
    searcher = library.searcher()
    llm = build_chat_model(settings) if llm_configured(settings) else None
    asker = Asker(
        searcher, llm=llm, model_name=settings.llm_model, embeddings=library.embeddings, k=k
    )
    return ChatSession(asker, library.history, session_id), llm


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
        print_json(answer.to_json() | {"finish_reason": answer.finish_reason})
        return
    if stream and answer.mode == "llm":
        out.print("\n")
        out.rule("checked", style="dim")
    out.print(Markdown(answer.text))
    if answer.refused:
        out.print(f"\nSearched for: “{answer.searched}”.")
        out.print(Markdown(answer.closest_markdown()))
    else:
        out.print(Markdown(answer.references_markdown()))
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
