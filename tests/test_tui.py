"""The terminal UI, driven with Textual's pilot: a small corpus, word-overlap
embeddings (no torch) and scripted fake chat models for the LLM. Asking, lists and
drafts, cancelling, errors, history, the catalog table and the keys."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from langchain_core.messages import AIMessage
from textual.widgets import Input

from assistant.settings import Settings
from tests.tui_pilot import (
    ANSWER,
    ROOT,
    SIZE,
    FailingFake,
    SlowFake,
    fake_llm,
    index_small_corpus,
    messages_of,
    open_workspace,
    record_notifications,
    session_id,
    type_and_wait,
    type_in,
    wait_ready,
)
from tui.app import create_app
from tui.screens import HelpScreen, HistoryScreen, PaperScreen, PapersScreen
from tui.widgets import MessageView, SourceItem, SourcesPanel


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Path]:
    """A small corpus indexed once per module; each test copies its data directory."""
    return index_small_corpus(tmp_path_factory.mktemp("tui"))


async def test_ask_streams_an_answer_and_shows_its_sources(
    indexed: tuple[Settings, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, _ = indexed
    app = create_app(open_workspace(settings, fake_llm(ANSWER), tmp_path / "data"))
    streamed: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot, app)
        original_append = MessageView.append

        async def spy(self: MessageView, text: str) -> None:
            streamed.append(text)
            await original_append(self, text)

        with monkeypatch.context() as patched:
            patched.setattr(MessageView, "append", spy)
            await type_and_wait(pilot, "What limits multi-head attention?")
        assert len(streamed) > 3  # token by token, not one block
        final = messages_of(app)[-1].raw
        assert "**[1]**" in final and "[9]" not in final  # cite-checked text replaced the raw
        assert "References" in final
        items = list(app.query(SourceItem))
        assert items and items[0].entry.paper is not None
        # This fake model reports no usage and no metadata: no token count is invented.
        assert app.status.usage == "" and "tokens" not in str(app.status.render())
        # open the first source from the keyboard
        await pilot.press("ctrl+s", "enter")
        await pilot.pause(0.1)
        assert isinstance(app.screen, PaperScreen)
        paper = app.screen.paper
        assert paper.bibkey in app.workspace.bibtex(paper)
        await pilot.press("escape")
        assert not isinstance(app.screen, PaperScreen)


async def test_offline_answer_and_status_bar(
    indexed: tuple[Settings, Path], tmp_path: Path
) -> None:
    settings, _ = indexed
    app = create_app(open_workspace(settings, None, tmp_path / "data"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot, app)
        status = str(app.status.render())
        assert "offline: extractive" in status and "papers" in status and "chunks" in status
        await type_and_wait(pilot, "How sparse are MLP activations in trained transformers?")
        assert "Offline answer" in messages_of(app)[-1].raw


async def test_list_related_and_export(
    indexed: tuple[Settings, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, _ = indexed
    workspace = open_workspace(settings, None, tmp_path / "data")
    app = create_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot, app)
        notes = record_notifications(app, monkeypatch)
        await type_and_wait(pilot, "/list attention")
        assert messages_of(app)[-1].raw.startswith("# Reading list: attention")
        await type_in(pilot, "/export bib lists/attention.bib")
        await pilot.pause(0.1)
        assert any("directory" in m for m, _ in notes)  # lists/ does not exist: one sentence
        await type_in(pilot, "/export bib attention.bib")
        await pilot.pause(0.1)
        written = workspace.export_dir / "attention.bib"
        assert written.read_text().count("@") >= 1
        await type_in(pilot, "/export md ../escape.md")
        await pilot.pause(0.1)
        assert not (workspace.settings.data_dir / "escape.md").exists()
        assert any("outside" in m for m, _ in notes)
        await type_and_wait(pilot, "/related attention")
        assert messages_of(app)[-1].raw.startswith("# Related work: attention")
        await pilot.press("ctrl+o")
        await pilot.pause(0.1)
        assert (workspace.export_dir / "related-work-draft.md").exists()


async def test_me_and_triage_fill_the_sources_panel(
    indexed: tuple[Settings, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, _ = indexed
    workspace = open_workspace(settings, None, tmp_path / "data")
    app = create_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot, app)
        notes = record_notifications(app, monkeypatch)
        await type_and_wait(pilot, "/me")
        assert messages_of(app)[-1].raw.startswith("# Reading list: your agenda")
        assert list(app.query(SourceItem))
        # The small corpus has no daily feed: one sentence saying how to name a file.
        await type_and_wait(pilot, "/triage")
        assert any("/triage FILE" in m and sev == "error" for m, sev in notes)
        await type_and_wait(pilot, "/triage google-research-bhojanapalli.txt")
        triaged = messages_of(app)[-1].raw
        assert triaged.startswith("# Triage of google-research-bhojanapalli.txt")
        items = list(app.query(SourceItem))
        assert len(items) == len(re.findall(r"^\d+\. \*\*", triaged, re.M)) > 0
        assert items[0].entry.paper is not None and items[0].entry.paper.bibkey in triaged
        await type_in(pilot, "/export bib triage.bib")
        await pilot.pause(0.1)
        bib = (workspace.export_dir / "triage.bib").read_text()
        assert bib.count("@") == len(items)


async def test_escape_cancels_and_puts_the_question_back(
    indexed: tuple[Settings, Path], tmp_path: Path
) -> None:
    settings, _ = indexed
    long_answer = " ".join(["Attention heads have low rank [1]."] * 40)
    slow = SlowFake(messages=iter([AIMessage(content=long_answer)]))
    workspace = open_workspace(settings, slow, tmp_path / "data")
    app = create_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot, app)
        await type_in(pilot, "Why is attention low rank?")
        await pilot.pause(0.4)
        assert app.answering is not None and app.answering.is_running
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause(0.1)
        assert app.query_one("#prompt", Input).value == "Why is attention low rank?"
        assert "Cancelled" in messages_of(app)[-1].raw
        turns = workspace.history.turns(session_id(app))
        assert [t.state for t in turns] == ["interrupted"]  # never saved as complete
        assert turns[-1].answer.startswith("Attention heads")  # with the text it had


async def test_llm_error_is_a_notification_and_the_app_stays_usable(
    indexed: tuple[Settings, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings, _ = indexed
    workspace = open_workspace(settings, FailingFake(messages=iter([])), tmp_path / "data")
    app = create_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot, app)
        notes = record_notifications(app, monkeypatch)
        await type_and_wait(pilot, "What limits multi-head attention?")
        errors = [m for m, severity in notes if severity == "error"]
        assert len(errors) == 1 and "Traceback" not in errors[0]
        assert errors[0].endswith(".")
        turns = workspace.history.turns(session_id(app))
        assert [t.state for t in turns] == ["interrupted"]
        # still usable: a command works afterwards
        await type_in(pilot, "/help")
        await pilot.pause(0.1)
        assert isinstance(app.screen, HelpScreen)


async def test_history_resumes_a_session_with_its_sources(
    indexed: tuple[Settings, Path], tmp_path: Path
) -> None:
    settings, _ = indexed
    workspace = open_workspace(settings, fake_llm(ANSWER), tmp_path / "data")
    app = create_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot, app)
        await type_in(pilot, "What limits multi-head attention?")
        await app.workers.wait_for_complete()
        first = session_id(app)
        await type_in(pilot, "/new")
        await pilot.pause(0.1)
        assert len(messages_of(app)) == 1
        app.query_one(SourcesPanel).show([])
        await pilot.press("ctrl+r")
        await pilot.pause(0.1)
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert app.session is not None and session_id(app) == first
        texts = [m.raw for m in messages_of(app)]
        assert "What limits multi-head attention?" in texts
        assert list(app.query(SourceItem))  # the sources of the last answer are back


async def test_questions_typed_before_the_index_is_ready_wait(
    indexed: tuple[Settings, Path], tmp_path: Path
) -> None:
    settings, _ = indexed
    workspace = open_workspace(settings, fake_llm(ANSWER), tmp_path / "data")
    app = create_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        assert not workspace.ready  # first paint happens before the index is open
        await type_in(pilot, "What limits multi-head attention?")
        await wait_ready(pilot, app)
        for _ in range(100):  # the queued question runs once the index is open
            await pilot.pause(0.05)
            await app.workers.wait_for_complete()
            if any("**[1]**" in m.raw for m in messages_of(app)):
                break
        assert any("**[1]**" in m.raw for m in messages_of(app))
        assert "You · queued" not in [m.title for m in messages_of(app)]


async def test_papers_table_filters_and_opens(
    indexed: tuple[Settings, Path], tmp_path: Path
) -> None:
    settings, _ = indexed
    app = create_app(open_workspace(settings, None, tmp_path / "data"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot, app)
        await type_in(pilot, "/papers attention")
        await pilot.pause(0.1)
        assert isinstance(app.screen, PapersScreen)
        shown = app.screen.shown
        assert shown and all(
            "attention" in (p.title + " " + (p.abstract or "")).lower() for p in shown
        )
        await pilot.press("enter")  # from the filter to the table
        await pilot.press("enter")  # open the first row
        await pilot.pause(0.1)
        assert isinstance(app.screen, PaperScreen)


async def test_unknown_command_and_theme_toggle(
    indexed: tuple[Settings, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, _ = indexed
    app = create_app(open_workspace(settings, None, tmp_path / "data"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot, app)
        notes = record_notifications(app, monkeypatch)
        await type_in(pilot, "/frobnicate")
        await pilot.pause(0.05)
        assert notes and "/help" in notes[-1][0]
        before = app.theme
        await pilot.press("ctrl+t")
        assert app.theme != before


def test_the_tui_does_not_import_heavy_libraries_to_paint() -> None:
    code = (
        "import sys, tui.app; "
        "heavy = [m for m in ('chromadb', 'langchain_core', 'langchain_openai', 'torch', "
        "'sentence_transformers') if m in sys.modules]; print(heavy); sys.exit(1 if heavy else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
