"""`ra history`: past sessions, and one shown as Markdown."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markdown import Markdown
from rich.table import Table

from assistant.errors import UserError
from assistant.history import HistoryStore
from assistant.serialize import print_json
from shell.commands.corpus import JsonOption
from shell.wiring import workspace_for

out = Console()
history_app = typer.Typer(
    help="Past sessions of questions and answers.", invoke_without_command=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(history_app, name="history")


def _store(ctx: typer.Context) -> HistoryStore:
    return workspace_for(ctx).history


@history_app.callback()
def history(ctx: typer.Context, json_out: JsonOption = False) -> None:
    """List past sessions, newest first."""
    if ctx.invoked_subcommand is not None:
        return
    sessions = _store(ctx).sessions()
    if json_out:
        print_json([s.__dict__ for s in sessions])
        return
    if not sessions:
        out.print("No sessions yet: ask something with `ra ask`.")
        return
    table = Table(title=f"{len(sessions)} sessions", title_justify="left")
    for col in ("id", "updated", "turns", "title"):
        table.add_column(col)
    for s in sessions:
        table.add_row(s.id, s.updated, str(s.turns), s.title)
    out.print(table)


def _session_id(store: HistoryStore, session_id: str | None) -> str:
    """The given session, checked, or the most recent one."""
    if session_id is None:
        sessions = store.sessions()
        if not sessions:
            raise UserError("There are no sessions yet: ask something with `ra ask`.")
        return sessions[0].id
    if store.session(session_id) is None:
        raise UserError(f"No session has the id '{session_id}': list them with `ra history`.")
    return session_id


SessionArg = Annotated[
    str | None,
    typer.Argument(metavar="[ID]", help="A session id from `ra history` (default: the latest)."),
]


@history_app.command("show")
def show(ctx: typer.Context, session_id: SessionArg = None, json_out: JsonOption = False) -> None:
    """Print one session as Markdown: questions, answers, references."""
    store = _store(ctx)
    session_id = _session_id(store, session_id)
    if json_out:
        info = store.session(session_id)
        assert info is not None
        turns = [t.to_json() for t in store.turns(session_id)]
        print_json(
            {
                "id": info.id,
                "title": info.title,
                "created": info.created,
                "updated": info.updated,
                "turns": turns,
            }
        )
        return
    out.print(Markdown(store.to_markdown(session_id)))


@history_app.command("continue")
def continue_(
    ctx: typer.Context,
    session_id: SessionArg = None,
    k: Annotated[int, typer.Option("--k", min=1, max=30, help="How many sources to read.")] = 8,
    json_out: JsonOption = False,
) -> None:
    """Continue the last answer of a session where it was interrupted or cut short."""
    from assistant.session import NothingToContinue
    from shell.commands.ask import deliver, show_answer

    workspace = workspace_for(ctx)
    settings = workspace.settings
    session_id = _session_id(workspace.history, session_id)
    workspace.open()
    session, llm = workspace.session(session_id, k=k), workspace.llm
    turn = session.unfinished()
    if turn is None:
        raise UserError(
            "The last answer of this session is complete: there is nothing to continue."
        )
    try:
        events = session.continue_last()
        answer = deliver(
            events, settings, llm, stream=not json_out, json_out=json_out, prefix=turn.answer
        )
    except NothingToContinue as exc:
        raise UserError(str(exc)) from None
    show_answer(answer, "md", None, stream=not json_out, json_out=json_out)
