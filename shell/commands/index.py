"""`ra index`: bring the Chroma and BM25 indexes up to date with the corpus."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)

from assistant.library import Library
from assistant.serialize import print_json
from retrieval.indexer import IndexSummary
from retrieval.indexer import Progress as IndexProgress
from shell.commands.corpus import CorpusOption, JsonOption, report_skipped
from shell.wiring import workspace_for

out = Console()
err = Console(stderr=True, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.command("index")(index)


class _ProgressBar:
    """Renders index progress events as one rich bar per stage, with the embedding rate."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.tasks: dict[str, TaskID] = {}

    def __call__(self, event: IndexProgress) -> None:
        label = f"{event.stage:<9} {event.detail}".rstrip()
        total = max(event.total, 1)
        task = self.tasks.get(event.stage)
        if task is None:
            task = self.progress.add_task(label, total=total, rate="")
            self.tasks[event.stage] = task
        self.progress.update(task, completed=event.done, total=total, description=label)
        speed = next(t.speed for t in self.progress.tasks if t.id == task)
        if event.stage == "embedding" and speed:
            self.progress.update(task, rate=f"{speed:.0f} chunks/s")


def index(
    ctx: typer.Context,
    corpus_paths: CorpusOption = None,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Drop the index and embed everything again.")
    ] = False,
    json_out: JsonOption = False,
) -> None:
    """Index the corpus for search: only new or changed files are embedded."""
    library = workspace_for(ctx, corpus_paths).library
    others = library.layout.other_models()
    if others and not library.layout.manifest.exists() and not json_out:
        err.print(
            f"Embeddings are now {library.embeddings_id}; the index built with "
            f"{', '.join(others)} is kept but not used. Building a new index for this model.",
            highlight=False,
        )
    summary = index_with_progress(library, rebuild=rebuild, quiet=json_out)
    if json_out:
        print_json(summary.to_json())
    else:
        print_summary(summary)
    report_skipped(summary.skipped, summary.warnings)
    if summary.skipped or summary.warnings:
        raise typer.Exit(2)


def index_with_progress(
    library: Library, *, rebuild: bool = False, quiet: bool = False
) -> IndexSummary:
    """Run the indexer with a rich progress bar on stderr (none when `quiet`)."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err, disable=quiet, transient=False) as bar:
        return library.index(rebuild=rebuild, progress=_ProgressBar(bar))


def print_summary(summary: IndexSummary) -> None:
    files = (
        f"files: {summary.added} added, {summary.updated} updated, "
        f"{summary.removed} removed, {summary.unchanged} unchanged"
    )
    out.print(
        f"Indexed {summary.papers} papers in {summary.chunks} chunks ({files}; "
        f"{summary.embedded} chunks embedded, {summary.deleted} deleted) in {summary.seconds:.1f} s.",
        highlight=False,
    )
