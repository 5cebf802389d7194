"""`ra chat`: the terminal UI (`make chat`)."""

from __future__ import annotations

import typer

from assistant.commands.corpus import CorpusOption


def register(app: typer.Typer) -> None:
    app.command("chat")(chat)


def chat(ctx: typer.Context, corpus_paths: CorpusOption = None) -> None:
    """Open the terminal UI: chat, sources, reading lists, drafts and history."""
    from assistant.workspace import Workspace
    from tui.app import create_app

    workspace = Workspace(ctx.obj, corpus_paths)
    create_app(workspace).run()
