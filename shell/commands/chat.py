"""`ra chat`: the terminal UI (`make chat`)."""

from __future__ import annotations

import os
import sys

import typer

from shell.commands.corpus import CorpusOption
from shell.wiring import workspace_for


def register(app: typer.Typer) -> None:
    app.command("chat")(chat)


def chat(ctx: typer.Context, corpus_paths: CorpusOption = None) -> None:
    """Open the terminal UI: chat, sources, reading lists, drafts and history."""
    from tui.app import create_app

    workspace = workspace_for(ctx, corpus_paths)
    app = create_app(workspace)
    app.run()
    session = app.session
    stuck = app.answer_alive and session is not None
    if session is not None and stuck and not app.leaving:
        # Quit while an answer streams: its thread may be blocked on the network.
        session.interrupt("ra chat closed before the answer was finished")
    if app.leaving or stuck:
        # The turn is saved. Python's own shutdown would wait for that thread and for
        # libraries' exit hooks (Chroma's take about 5 s), and a watchdog thread cannot
        # help then: Python stops such threads while it shuts down. So end here.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(app.return_code or 0)
    if app.return_code:
        raise typer.Exit(app.return_code)
