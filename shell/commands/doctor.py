"""`ra doctor`: check configuration, data, index, models and servers."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.markup import escape

from assistant.doctor import env_summary, run_checks
from assistant.serialize import print_json
from shell.commands.corpus import CorpusOption, JsonOption
from shell.wiring import workspace_for

out = Console(soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.command("doctor")(doctor)


def doctor(
    ctx: typer.Context, corpus_paths: CorpusOption = None, json_out: JsonOption = False
) -> None:
    """Check every part ra needs; each line is OK or says what to fix."""
    checks = run_checks(workspace_for(ctx, corpus_paths).library)
    if json_out:
        print_json(
            [
                {"check": c.name, "ok": c.ok, "warning": c.warning, "detail": c.detail}
                for c in checks
            ]
        )
    else:
        out.print(f"[dim]variables set: {env_summary()}[/]")
        for c in checks:
            mark = (
                "[red]FAIL[/]"
                if not c.ok
                else ("[yellow]note[/]" if c.warning else "[green]OK[/]  ")
            )
            out.print(f"{mark} {c.name:<16} {escape(c.detail)}", highlight=False)
    if not all(c.ok for c in checks):
        raise typer.Exit(1)
