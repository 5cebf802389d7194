"""`ra chat`: the terminal UI. Until the TUI lands it prints the catalog summary."""

from __future__ import annotations

import typer
from rich.console import Console

from assistant.commands.corpus import CorpusOption, open_catalog, report_skipped

out = Console()


def register(app: typer.Typer) -> None:
    app.command("chat")(chat)


def chat(ctx: typer.Context, corpus_paths: CorpusOption = None) -> None:
    """Open the terminal UI (for now: a summary of the corpus it will chat about)."""
    catalog = open_catalog(ctx.obj, corpus_paths)
    topics = len({p.topic for p in catalog.papers if p.topic})
    out.print(
        f"[bold]research-assistant[/]: {len(catalog.papers)} papers, {len(catalog.sections)} "
        f"profile and document sections, {topics} topics, from {len(catalog.files)} files."
    )
    out.print(
        "The chat screen is not built yet; meanwhile use `ra papers`, `ra index` and `ra search`."
    )
    report_skipped(catalog)
