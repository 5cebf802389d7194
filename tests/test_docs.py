"""The README and docs/commands.md stay true to the code: every setting, command,
option and TUI command is documented where a reader looks for it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer

from assistant.settings import Settings
from shell.cli import app
from tui.commands import COMMANDS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS_DOC = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")


def _leaves(group: Any, prefix: str) -> list[tuple[str, Any]]:
    """('ra history show', its command) for every command under `group`, groups included."""
    out: list[tuple[str, Any]] = []
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        out.append((path, command))
        if hasattr(command, "commands"):
            out += _leaves(command, path)
    return out


def test_every_setting_is_in_the_readme_configuration_table() -> None:
    table = README.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    for name, field in Settings.model_fields.items():
        env = "OPENAI_API_KEY" if name == "openai_api_key" else f"RA_{name.upper()}"
        assert f"| `{env}` |" in table, f"{env} ({field.description}) is missing"


def test_every_command_and_option_has_its_section_in_docs_commands() -> None:
    root = typer.main.get_command(app)
    headings = re.findall(r"^## (.+)$", COMMANDS_DOC, re.M)
    for path, command in _leaves(root, "ra"):
        if path == "ra eval":
            continue  # a group of its own commands, each with a section
        section = next((h for h in headings if f"`{path} " in h or f"`{path}`" in h), None)
        assert section is not None, f"no section for {path}"
        start = COMMANDS_DOC.index(section)
        end = COMMANDS_DOC.find("\n## ", start + 1)
        text = COMMANDS_DOC[start : end if end > 0 else None]
        for param in command.params:
            for option in param.opts:
                if option.startswith("--") and option not in {"--help", "--corpus"}:
                    assert option in text, f"{path} {option} is not in its section"


def test_every_tui_slash_command_is_in_docs_commands() -> None:
    for command in COMMANDS:
        assert f"`/{command.name}" in COMMANDS_DOC, f"/{command.name} is not documented"


def test_the_readme_stays_short() -> None:
    assert len(README.splitlines()) <= 250
