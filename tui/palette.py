"""The slash commands in the input (completion as you type) and in the command palette
(ctrl+p), both read from the one table in `tui.commands`."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.suggester import Suggester

from tui.commands import COMMANDS, completion
from tui.messages import PaletteCommand


class SlashSuggester(Suggester):
    """Completes '/li' to '/list ' as you type (accept with the right arrow)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=False)

    async def get_suggestion(self, value: str) -> str | None:
        return completion(value)


class SlashCommands(Provider):
    """Every slash command in the command palette; choosing one posts `PaletteCommand`
    to the screen under the palette, which runs it or puts it in the input."""

    def _choices(self) -> list[tuple[str, str, Callable[[], object]]]:
        screen = self.screen
        return [
            (c.usage, c.help, partial(screen.post_message, PaletteCommand(c.name)))
            for c in COMMANDS
        ]

    async def discover(self) -> Hits:
        for title, help_text, run in self._choices():
            yield DiscoveryHit(title, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, run in self._choices():
            score = matcher.match(f"{title} {help_text}")
            if score > 0:
                yield Hit(score, matcher.highlight(title), run, help=help_text)
