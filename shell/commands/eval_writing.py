"""`ra eval writing FILE`: reading lists and drafts against a file of gold requests."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from assistant.serialize import print_json
from assistant.writing_eval import evaluate_item, load_items, summarize
from shell.commands.corpus import CorpusOption, JsonOption
from shell.wiring import workspace_for

out = Console()


def register(eval_app: typer.Typer) -> None:
    eval_app.command("writing")(eval_writing)


def eval_writing(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="JSONL: id, kind, request, gold_titles, must_not_cite.")
    ],
    corpus_paths: CorpusOption = None,
    json_out: JsonOption = False,
) -> None:
    """Run each request as `ra reading-list` / `ra related-work` would, and score it."""
    items = load_items(file)
    workspace = workspace_for(ctx, corpus_paths)
    workspace.open()
    results = [evaluate_item(workspace, item) for item in items]
    report = summarize(results)
    if json_out:
        print_json(report)
        return
    table = Table(
        title=f"Writing on {len(items)} requests ({workspace.mode})", title_justify="left"
    )
    for col in ("id", "kind", "gold found", "coverage", "off-topic", "papers"):
        table.add_column(col)
    for r in results:
        table.add_row(
            escape(r.id),
            r.kind,
            f"{r.found}/{r.possible}",
            f"{r.coverage:.2f}",
            str(r.off_topic),
            str(len(r.included)),
        )
    out.print(table)
    for kind in ("reading_list", "related_work"):
        part = report[kind]
        if part["n"]:
            out.print(
                f"{kind}: coverage {part['coverage']:.3f}, off-topic {part['off_topic']} ({part['n']} requests)"
            )
