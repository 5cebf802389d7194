"""`ra eval answers FILE`: every question of a file through the same code as `ra ask`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from assistant.answer_evaluation import evaluate_answers, load_answer_questions
from assistant.answers import Answer
from assistant.errors import UserError
from assistant.llm import (
    describe_mode,
    explain_llm_error,
    is_llm_failure,
)
from assistant.serialize import print_json
from shell.commands.corpus import CorpusOption, JsonOption
from shell.wiring import workspace_for

out = Console()
err = Console(stderr=True, soft_wrap=True)


def eval_answers(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(help="JSON Lines: id, type, question, gold_titles, gold_facts, answerable."),
    ],
    k: Annotated[int, typer.Option("--k", min=1, max=30, help="How many sources to read.")] = 8,
    corpus_paths: CorpusOption = None,
    json_out: JsonOption = False,
) -> None:
    """Refusals, facts found and valid citations of `ra ask` on your questions, per type."""
    questions = load_answer_questions(file)
    workspace = workspace_for(ctx, corpus_paths)
    workspace.open()
    settings, llm, asker = workspace.settings, workspace.llm, workspace.asker(k)
    if not json_out:
        err.print(f"[dim]{describe_mode(settings)}; {len(questions)} questions[/]")

    def answer(question: str) -> Answer:
        try:
            return asker.answer(question)
        except Exception as exc:
            if llm is None or not is_llm_failure(exc):
                raise
            raise UserError(explain_llm_error(exc, settings)) from None

    def progress(i: int) -> None:
        if not json_out and i % 10 == 0:
            err.print(f"[dim]… {i}/{len(questions)}[/]")

    report = evaluate_answers(questions, answer, progress)
    if json_out:
        print_json(report)
        return
    table = Table(title=f"Answers on {len(questions)} questions", title_justify="left")
    for col in ("type", "n", "refused", "fact recall", "citations valid"):
        table.add_column(col, justify="left" if col == "type" else "right")
    for name, row in report["by_type"].items():
        table.add_row(name, str(row["n"]), *(_pct(row[key]) for key in _KEYS))
    out.print(table)
    out.print(
        f"unanswerable refused {_pct(report['unanswerable_refused'])} · answerable refused "
        f"{_pct(report['answerable_refused'])} · fact recall {_pct(report['fact_recall'])} · "
        f"citations valid {_pct(report['citations_valid'])}",
        highlight=False,
    )


_KEYS = ("refused", "fact_recall", "citations_valid")


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"
