"""`ra history`: past sessions, and one shown as Markdown."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markdown import Markdown
from rich.table import Table

from assistant.commands.corpus import JsonOption
from assistant.errors import UserError
from assistant.history import HistoryStore
from assistant.library import Library
from assistant.serialize import print_json

out = Console()
history_app = typer.Typer(
    help="Past sessions of questions and answers.", invoke_without_command=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(history_app, name="history")


def _store(ctx: typer.Context) -> HistoryStore:
    return Library(ctx.find_root().obj).history


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


@history_app.command("show")
def show(
    ctx: typer.Context,
    session_id: Annotated[
        str, typer.Argument(metavar="ID", help="A session id from `ra history`.")
    ],
) -> None:
    """Print one session as Markdown: questions, answers, references."""
    store = _store(ctx)
    if store.session(session_id) is None:
        raise UserError(f"No session has the id '{session_id}': list them with `ra history`.")
    out.print(Markdown(store.to_markdown(session_id)))
