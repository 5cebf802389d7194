"""The `ra` command line: a thin shell over the library.

Each command lives in `shell/commands/`; this module builds the typer app,
reads the settings once, and turns user errors into one sentence and exit code 1.
Exit codes: 0 ok, 1 user error, 2 partial success (something was skipped).
"""

from __future__ import annotations

import sys

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape

from assistant.errors import RaError, UserError
from assistant.settings import Settings
from shell.commands import ask as ask_commands
from shell.commands import chat as chat_commands
from shell.commands import corpus as corpus_commands
from shell.commands import doctor as doctor_commands
from shell.commands import history as history_commands
from shell.commands import index as index_commands
from shell.commands import search as search_commands
from shell.commands import write as write_commands
from shell.wiring import COLLABORATORS, Collaborators

app = typer.Typer(
    name="ra",
    help="research-assistant: a catalog of your papers, searched and cited from the terminal.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
for module in (
    corpus_commands,
    index_commands,
    search_commands,
    ask_commands,
    write_commands,
    history_commands,
    doctor_commands,
    chat_commands,
):
    module.register(app)

err = Console(stderr=True, soft_wrap=True)


def load_settings() -> Settings:
    """Read the environment once; a bad value becomes one sentence naming the variable."""
    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "setting"
        name = "OPENAI_API_KEY" if field == "openai_api_key" else f"RA_{field.upper()}"
        raise UserError(f"{name} is invalid ({first['msg']}): fix or unset it.") from None


@app.callback()
def _root(ctx: typer.Context) -> None:
    # `main` hands its collaborators in as the context object; commands find them in
    # the shared `meta` (shell.wiring), and the object becomes the settings.
    given = ctx.obj if isinstance(ctx.obj, Collaborators) else Collaborators()
    ctx.meta[COLLABORATORS] = given
    ctx.obj = load_settings()


def main(collaborators: Collaborators | None = None) -> None:
    """Entry point of the `ra` console script; `collaborators` replace what the
    settings would build (tests pass fake embeddings or a fake LLM)."""
    try:
        code = app(standalone_mode=False, obj=collaborators)
    except RaError as exc:  # a problem the user can fix: its sentence, no traceback
        err.print(f"[bold red]Error:[/] {escape(exc.advice)}", highlight=False)
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("Interrupted.")
        sys.exit(130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, EOFError):
        sys.exit(1)
    except Exception as exc:  # usage errors arrive here in non-standalone mode
        import click

        # Typer 0.29 raises its own copy of click's exceptions (a bad --k value is a
        # typer BadParameter, not a click one): both are usage errors, not bugs.
        if isinstance(exc, click.ClickException | typer.TyperException) and hasattr(exc, "show"):
            exc.show()
            code = getattr(exc, "exit_code", 1)
            sys.exit(code if code != 2 else 1)
        raise
    sys.exit(code if isinstance(code, int) else 0)
