"""Whole-app snapshots of the terminal UI (pytest-textual-snapshot; run pytest with
`--snapshot-update` to accept a change): an answer, a paper, a reading list, the help
screen at 80 by 24."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from assistant.settings import Settings
from tests.tui_pilot import (
    ANSWER,
    SIZE,
    fake_llm,
    index_small_corpus,
    messages_of,
    open_workspace,
    type_in,
    wait_ready,
)
from tui.app import ResearchApp, create_app


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Path]:
    """A small corpus indexed once per module; each test copies its data directory."""
    return index_small_corpus(tmp_path_factory.mktemp("tui"))


async def _settle(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, ResearchApp)
    await wait_ready(pilot, app)
    app.query_one("#prompt", Input).cursor_blink = False  # a blink is not a regression
    await pilot.pause(0.1)


def _ask_first(question: str) -> Any:
    async def run(pilot: Pilot[None]) -> None:
        await _settle(pilot)
        await type_in(pilot, question)
        await pilot.app.workers.wait_for_complete()
        # Let long Markdown finish mounting, even on a loaded machine: Textual parses it
        # on a thread and mounts its blocks under the widget's lock, after the message
        # itself is mounted. Wait for every message's Markdown to be mounted and
        # unlocked, then for the chat's height to stop changing.
        app = pilot.app
        assert isinstance(app, ResearchApp)
        heights: list[int] = []
        for _ in range(100):
            await pilot.pause(0.1)
            bodies = [view.body for view in messages_of(app)]
            if any(body.lock.is_locked or not body.children for body in bodies):
                continue
            heights.append(app.messages.virtual_size.height)
            if len(heights) >= 3 and len(set(heights[-3:])) == 1:
                break

    return run


def test_snapshot_chat_with_an_answer(
    indexed: tuple[Settings, Path], tmp_path: Path, snap_compare: Any
) -> None:
    settings, _ = indexed
    app = create_app(open_workspace(settings, fake_llm(ANSWER), tmp_path / "data"))
    assert snap_compare(app, terminal_size=SIZE, run_before=_ask_first("What limits attention?"))


def test_snapshot_paper_screen(
    indexed: tuple[Settings, Path], tmp_path: Path, snap_compare: Any
) -> None:
    settings, _ = indexed
    app = create_app(open_workspace(settings, fake_llm(ANSWER), tmp_path / "data"))

    async def run(pilot: Pilot[None]) -> None:
        await _ask_first("What limits attention?")(pilot)
        await pilot.press("ctrl+s", "enter")
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_snapshot_reading_list(
    indexed: tuple[Settings, Path], tmp_path: Path, snap_compare: Any
) -> None:
    settings, _ = indexed
    app = create_app(open_workspace(settings, None, tmp_path / "data"))
    ask = _ask_first("/list attention")

    async def run(pilot: Pilot[None]) -> None:
        await ask(pilot)
        # Tall enough for the whole list, and scrolled to its end: where the scroll to the
        # list's top stops (clamped by a chat shorter than the screen) depends on timing,
        # and is not what this snapshot is about.
        app = pilot.app
        assert isinstance(app, ResearchApp)
        app.messages.scroll_end(animate=False)
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=(100, 90), run_before=run)


def test_snapshot_help_at_80_by_24(
    indexed: tuple[Settings, Path], tmp_path: Path, snap_compare: Any
) -> None:
    settings, _ = indexed
    app = create_app(open_workspace(settings, None, tmp_path / "data"))

    async def run(pilot: Pilot[None]) -> None:
        await _settle(pilot)
        await pilot.press("f1")
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run)
