"""The messages of the UI, in one place: widgets and screens post these up, and the
screen or app that owns the state handles them in `on_...` methods and calls down.

Each is a small dataclass-like `Message`; the handler name follows the class name
(`SourceOpened` -> `on_source_opened`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from retrieval.records import Paper
    from tui.widgets import SourceEntry


class SourceOpened(Message):
    """A source in the sources panel was chosen (Enter or a click)."""

    def __init__(self, entry: SourceEntry) -> None:
        super().__init__()
        self.entry = entry


class PaperChosen(Message):
    """A paper was chosen to be read in full (a row of the catalog table)."""

    def __init__(self, paper: Paper) -> None:
        super().__init__()
        self.paper = paper


class AddToReadingList(Message):
    """'Add to reading list' on a paper screen: collect the paper for export."""

    def __init__(self, paper: Paper) -> None:
        super().__init__()
        self.paper = paper


class PaletteCommand(Message):
    """A slash command chosen in the command palette (ctrl+p)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
