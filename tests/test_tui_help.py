"""The help screen and the welcome text are generated: the keys table from the app's
bindings, the commands the welcome names from the one table of slash commands, so a
key or a command added in one place shows everywhere."""

from __future__ import annotations

from textual.binding import Binding, BindingType

from tui.app import ResearchApp
from tui.chat import WELCOME
from tui.commands import COMMANDS, welcome_commands
from tui.screens import keys_markdown


def _rows(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("| `")]


def test_the_keys_table_is_read_from_the_bindings_in_order() -> None:
    bindings: list[BindingType] = [
        Binding("up", "a", show=False, tooltip="earlier questions"),
        Binding("down", "b", show=False, tooltip="earlier questions"),
        Binding("ctrl+x", "c", "X"),  # no tooltip: not a key the help explains
        Binding("f2", "d", "D", tooltip="something else"),
        ("ctrl+y", "e", "Y"),  # a bare tuple carries no help text either
    ]
    assert _rows(keys_markdown(bindings)) == [
        "| `enter` | send the question or command |",
        "| `up` / `down` | earlier questions |",
        "| `f2` | something else |",
    ]


def test_every_key_of_the_app_is_in_its_help() -> None:
    rows = "\n".join(_rows(keys_markdown(ResearchApp.BINDINGS)))
    bindings = [b for b in ResearchApp.BINDINGS if isinstance(b, Binding)]
    assert len(bindings) == len(ResearchApp.BINDINGS) >= 10
    for binding in bindings:
        assert binding.tooltip, f"{binding.key} has no help text"
        assert f"`{binding.key}`" in rows
    # The palette's key is declared once, so Textual adds no second binding of its own.
    assert [b.key for b in bindings if b.action == "command_palette"] == ["ctrl+p"]


def test_the_welcome_names_the_commands_the_table_marks_for_it() -> None:
    shown = [c for c in COMMANDS if c.welcome]
    assert {c.name for c in shown} >= {"list", "related", "me", "papers", "history"}
    assert welcome_commands().split(", ") == [
        f"`/{c.name} {c.args}`" if c.needs_arg else f"`/{c.name}`" for c in shown
    ]
    assert welcome_commands() in WELCOME
    for command in COMMANDS:
        assert (f"`/{command.name}" in WELCOME) == (command.welcome or command.name == "help")
