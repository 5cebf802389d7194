"""`ra chat`: the terminal UI. Until the TUI lands it brings the index up to date
(with a progress bar on first run) and prints what the assistant will chat about."""

from __future__ import annotations

import typer
from rich.console import Console

from assistant.commands.corpus import CorpusOption, report_skipped
from assistant.commands.index import index_with_progress
from assistant.library import Library

out = Console()


def register(app: typer.Typer) -> None:
    app.command("chat")(chat)


def chat(ctx: typer.Context, corpus_paths: CorpusOption = None) -> None:
    """Open the terminal UI (for now: index the corpus and summarise it)."""
    library = Library(ctx.obj, corpus_paths)
    summary = index_with_progress(library)
    out.print(
        f"[bold]research-assistant[/]: {summary.papers} papers in {summary.chunks} searchable "
        f"chunks, indexed in {library.settings.data_dir}."
    )
    out.print(
        "The chat screen is not built yet. Meanwhile: `ra search QUERY`, `ra papers`, "
        "`ra paper KEY`, `ra corpus` (all with --help)."
    )
    report_skipped(summary.skipped, summary.warnings)
