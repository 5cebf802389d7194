"""The slash commands: the one table of them, and parsing what was typed.

Free of Textual, so the job queue (`tui.controller`) and its tests can read it. The
completion and the command palette built from this table live in `tui.palette`; the
help screen renders it with `help_markdown`.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.errors import RaError


@dataclass(frozen=True)
class Command:
    """A slash command: its usage, its help line, and how the chat treats it."""

    name: str
    args: str
    help: str
    needs_arg: bool = False
    # A long job (an answer, a list, a draft): typed while one runs, it waits its turn.
    job: bool = False
    # Typed before the index is open, it waits for the index (help and model do not).
    needs_index: bool = True
    # Named in the chat's welcome text (the default /ask, /help and the rarer ones are not).
    welcome: bool = True

    @property
    def usage(self) -> str:
        """'/list TOPIC', '/new'."""
        return f"/{self.name} {self.args}".strip()


COMMANDS: tuple[Command, ...] = (
    Command(
        "ask",
        "QUESTION",
        "ask about your corpus (the default without a slash)",
        True,
        True,
        welcome=False,
    ),
    Command("list", "TOPIC", "a reading list on a topic", True, True),
    Command("related", "TOPIC", "draft related-work paragraphs with citations", True, True),
    Command("me", "[TOPIC]", "a reading list for your own agenda", job=True),
    Command("triage", "[FILE]", "rank a feed (default: the daily feed) by your agenda", job=True),
    Command("papers", "[QUERY]", "browse and filter the catalog"),
    Command("export", "[md|bib] [PATH]", "save the last answer, list or draft"),
    Command(
        "continue",
        "",
        "continue an answer that was cut short or interrupted",
        job=True,
        welcome=False,
    ),
    Command("new", "", "start a new session", welcome=False),
    Command("history", "", "reopen or delete past sessions"),
    Command("model", "", "show the model and the index", needs_index=False, welcome=False),
    Command("help", "", "keys and commands", needs_index=False, welcome=False),
)
BY_NAME = {c.name: c for c in COMMANDS}


@dataclass(frozen=True)
class Parsed:
    """A typed line read as a command: '/list lottery tickets' -> list, 'lottery tickets'."""

    name: str
    arg: str

    @property
    def command(self) -> Command:
        return BY_NAME[self.name]


class CommandError(RaError):
    """What was typed is not a command; the message says what to type."""


def parse(text: str) -> Parsed:
    """'/list lottery tickets' -> Parsed('list', 'lottery tickets'); plain text is /ask."""
    text = text.strip()
    if not text.startswith("/"):
        return Parsed("ask", text)
    name, _, arg = text[1:].partition(" ")
    name = name.lower()
    if name not in BY_NAME:
        raise CommandError(f"/{name} is not a command: type /help for the list.")
    command = BY_NAME[name]
    if command.needs_arg and not arg.strip():
        raise CommandError(f"/{name} needs {command.args}, e.g. /{name} neural collapse.")
    return Parsed(name, arg.strip())


def completion(value: str) -> str | None:
    """'/li' -> '/list ': the command a partly typed slash word names, or None."""
    if not value.startswith("/") or " " in value or len(value) < 2:
        return None
    return next((f"/{c.name} " for c in COMMANDS if f"/{c.name}".startswith(value.lower())), None)


def welcome_commands() -> str:
    """The commands the welcome names, required words shown: '`/list TOPIC`, ..., `/me`'."""
    shown = (f"/{c.name} {c.args}" if c.needs_arg else f"/{c.name}" for c in COMMANDS if c.welcome)
    return ", ".join(f"`{usage}`" for usage in shown)


def help_markdown() -> str:
    """The commands as a Markdown table, for the help screen."""
    lines = ["## Commands", "", "| command | what it does |", "| --- | --- |"]
    lines += [f"| `{c.usage}` | {c.help} |" for c in COMMANDS]
    return "\n".join(lines)
