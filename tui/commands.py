"""The slash commands: parsing what was typed, completion, and the command palette."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.suggester import Suggester

from assistant.errors import RaError

if TYPE_CHECKING:
    from tui.app import ResearchApp


@dataclass(frozen=True)
class Command:
    name: str
    args: str
    help: str
    needs_arg: bool = False


COMMANDS: tuple[Command, ...] = (
    Command("ask", "QUESTION", "ask about your corpus (the default without a slash)", True),
    Command("list", "TOPIC", "a reading list on a topic", True),
    Command("me", "[TOPIC]", "a reading list for your own agenda"),
    Command("triage", "[FILE]", "rank a feed (default: the daily feed) by your agenda"),
    Command("related", "TOPIC", "draft related-work paragraphs with citations", True),
    Command("papers", "[QUERY]", "browse and filter the catalog"),
    Command("export", "[md|bib] [PATH]", "save the last answer, list or draft"),
    Command("continue", "", "continue an answer that was cut short or interrupted"),
    Command("new", "", "start a new session"),
    Command("history", "", "reopen or delete past sessions"),
    Command("model", "", "show the model and the index"),
    Command("help", "", "keys and commands"),
)
BY_NAME = {c.name: c for c in COMMANDS}
# The commands that run a long job: typed while one runs, they wait their turn.
JOBS = frozenset({"ask", "continue", "list", "me", "related", "triage"})


@dataclass(frozen=True)
class Parsed:
    name: str
    arg: str


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


def help_markdown() -> str:
    lines = ["## Commands", "", "| command | what it does |", "| --- | --- |"]
    for c in COMMANDS:
        usage = f"/{c.name} {c.args}".strip()
        lines.append(f"| `{usage}` | {c.help} |")
    return "\n".join(lines)


class SlashSuggester(Suggester):
    """Completes '/li' to '/list ' as you type (accept with the right arrow)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=False)

    async def get_suggestion(self, value: str) -> str | None:
        if not value.startswith("/") or " " in value:
            return None
        for command in COMMANDS:
            if f"/{command.name}".startswith(value.lower()) and len(value) > 1:
                return f"/{command.name} "
        return None


class SlashCommands(Provider):
    """Every slash command in the command palette (ctrl+p)."""

    def _commands(self) -> list[tuple[str, str, Callable[[], None]]]:
        app: ResearchApp = self.app  # type: ignore[assignment]
        return [
            (f"/{c.name} {c.args}".strip(), c.help, partial(app.palette_command, c.name))
            for c in COMMANDS
        ]

    async def discover(self) -> Hits:
        for title, help_text, run in self._commands():
            yield DiscoveryHit(title, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, run in self._commands():
            score = matcher.match(f"{title} {help_text}")
            if score > 0:
                yield Hit(score, matcher.highlight(title), run, help=help_text)
