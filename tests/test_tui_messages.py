"""Messages up, calls down, with a workspace stub and no index: the command palette
(ctrl+p) reaches the chat by a message (commands without words run at once, the
others wait in the input); a paper screen's "add to reading list" and the catalog
table's chosen row are messages the app turns into calls."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pytest
from textual.pilot import Pilot

from retrieval.records import Paper, Source
from tui.app import ResearchApp
from tui.screens import PaperScreen, PapersScreen
from tui.widgets import MessageView

if TYPE_CHECKING:
    from assistant.workspace import Workspace

PAPER = Paper(
    title="Low-rank bottleneck",
    authors=("S. Bhojanapalli",),
    year=2020,
    sources=(Source("g.txt", 3),),
)


class IdleWorkspace:
    """Just what the chat screen asks of a workspace before the index opens."""

    mode = "offline: extractive"
    ready = False
    stats = None

    def __init__(self, data_dir: Path) -> None:
        self.settings = type("Settings", (), {"data_dir": data_dir})()
        self.prepared = 0

    def prepare(self, progress: Any = None) -> Any:
        self.prepared += 1
        raise RuntimeError("no index in this test")

    def explain(self, exc: Exception, **kwargs: Any) -> str:
        return "No index in this test: build one with ra index."

    def bibtex(self, paper: Paper) -> str:
        return f"@article{{{paper.bibkey},\n  title = {{{paper.title}}}\n}}\n"

    def papers(self, query: str) -> list[Paper]:
        return [PAPER]


def _app(workspace: IdleWorkspace) -> ResearchApp:
    """The app over the stub: it has just what the chat asks of a workspace."""
    return ResearchApp(cast("Workspace", workspace))


async def _choose(pilot: Pilot[None], typed: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause(0.2)
    await pilot.press(*typed)
    await pilot.pause(0.3)  # the palette searches its providers as you type
    await pilot.press("enter")
    await pilot.pause(0.2)


async def test_palette_runs_or_fills_the_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _app(IdleWorkspace(tmp_path))
    notes: list[str] = []
    original = app.notify

    def notify(message: str, **kwargs: Any) -> None:
        notes.append(message)
        original(message, **kwargs)

    monkeypatch.setattr(app, "notify", notify)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause(0.1)
        await _choose(pilot, "/model")
        assert any(n.startswith("Mode: offline: extractive. Index: being prepared.") for n in notes)
        await _choose(pilot, "/related")
        assert app.chat.prompt.value == "/related "  # it needs a topic: typed next
        assert app.chat.focused is app.chat.prompt


async def test_a_request_after_a_failed_index_waits_and_retries_it(tmp_path: Path) -> None:
    workspace = IdleWorkspace(tmp_path)
    app = _app(workspace)
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause(0.1)
        assert workspace.prepared == 1 and "not available" in str(app.status.render())
        app.chat.prompt.value = "What is grokking?"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause(0.1)
        assert workspace.prepared == 2  # the request asked for the index again
        assert [m.title for m in app.chat.query(MessageView)][-1] == "You · queued"
        assert [q.text for q in app.chat.jobs.pending] == ["What is grokking?"]


async def test_a_chosen_row_opens_the_paper_and_add_fills_the_reading_list(tmp_path: Path) -> None:
    app = _app(IdleWorkspace(tmp_path))
    async with app.run_test(size=(100, 32)) as pilot:
        await app.push_screen(PapersScreen(app.workspace, ""))
        await pilot.pause(0.1)
        await pilot.press("enter", "enter")  # from the filter to the table; open the row
        await pilot.pause(0.1)
        assert isinstance(app.screen, PaperScreen) and app.screen.paper is PAPER
        await pilot.press("a")
        await pilot.press("a")  # twice: listed once
        await pilot.pause(0.1)
        assert app.chat.writing.basket == [PAPER]
        assert app.chat.writing.last_export is not None
        name, markdown, bib = app.chat.writing.last_export
        assert name == "my-reading-list" and PAPER.title in markdown
        assert bib.count("@") == 1
