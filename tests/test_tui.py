"""The terminal UI, driven with Textual's pilot: a small corpus, word-overlap
embeddings (no torch) and scripted fake chat models for the LLM."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2  # what openai's client is built on, and so what its errors carry
import openai
import pytest
from langchain_core.language_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from textual.pilot import Pilot
from textual.widgets import Input

from assistant.library import Library
from assistant.settings import Settings
from assistant.workspace import Workspace
from tests.fake_openai import FakeOpenAI, fake_openai  # noqa: F401 - the fixture
from tests.fakes import WordOverlapEmbeddings
from tui.app import ResearchApp, create_app
from tui.screens import HelpScreen, HistoryScreen, PaperScreen, PapersScreen
from tui.widgets import MessageView, SourceItem, SourcesPanel

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SIZE = (100, 32)
ANSWER = "Low-rank heads limit what attention can express [1]. A made-up claim [9]."


def _corpus(root: Path) -> Path:
    corpus = root / "corpus"
    corpus.mkdir()
    for name in ("google-research-bhojanapalli.txt", "research-statement.md", "cv.md"):
        shutil.copy(CORPUS / name, corpus)
    return corpus


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Path]:
    """A small corpus indexed once; each test copies nothing and reuses it read-mostly."""
    root = tmp_path_factory.mktemp("tui")
    settings = Settings(data_dir=root / "data", corpus=str(_corpus(root)))
    library = Library(settings, embeddings=WordOverlapEmbeddings())
    library.index()
    return settings, root


def _workspace(settings: Settings, llm: Any = None, data_dir: Path | None = None) -> Workspace:
    if data_dir is not None:
        shutil.copytree(settings.data_dir, data_dir, dirs_exist_ok=True)
        settings = settings.model_copy(update={"data_dir": data_dir})
    library = Library(settings, embeddings=WordOverlapEmbeddings())
    return Workspace(settings, llm=llm, library=library)


def _fake(*replies: str) -> GenericFakeChatModel:
    return GenericFakeChatModel(messages=iter([AIMessage(content=r) for r in replies]))


class SlowFake(GenericFakeChatModel):
    """Streams its reply one word every 50 ms, so a test can cancel it mid-answer."""

    def _stream(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        for chunk in super()._stream(*args, **kwargs):
            time.sleep(0.05)
            yield chunk


class FailingFake(GenericFakeChatModel):
    """An LLM endpoint that cannot be reached."""

    def _stream(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        raise openai.APIConnectionError(request=httpx2.Request("POST", "http://127.0.0.1:9/v1"))
        yield  # pragma: no cover


def _session_id(app: ResearchApp) -> str:
    assert app.session is not None, "the chat has no session yet"
    return app.session.id


async def _ready(pilot: Pilot[None], app: ResearchApp) -> None:
    for _ in range(200):
        if app.workspace.ready:
            break
        await pilot.pause(0.05)
    await app.workers.wait_for_complete()
    assert app.workspace.ready


async def _type(pilot: Pilot[None], text: str) -> None:
    app = pilot.app
    prompt = app.query_one("#prompt", Input)
    prompt.focus()
    prompt.value = text
    await pilot.press("enter")


async def _type_and_wait(pilot: Pilot[None], text: str) -> None:
    """Type a request and wait until its job has finished and rendered."""
    await _type(pilot, text)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.1)


def _messages(app: ResearchApp) -> list[MessageView]:
    return list(app.query(MessageView))


def _record_notifications(
    app: ResearchApp, monkeypatch: pytest.MonkeyPatch
) -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []
    original = app.notify

    def notify(message: str, **kwargs: Any) -> None:
        seen.append((message, str(kwargs.get("severity", "information"))))
        original(message, **kwargs)

    monkeypatch.setattr(app, "notify", notify)
    return seen


async def test_ask_streams_an_answer_and_shows_its_sources(
    indexed: tuple[Settings, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, _ = indexed
    app = create_app(_workspace(settings, _fake(ANSWER), tmp_path / "data"))
    streamed: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await _ready(pilot, app)
        original_append = MessageView.append

        async def spy(self: MessageView, text: str) -> None:
            streamed.append(text)
            await original_append(self, text)

        with monkeypatch.context() as patched:
            patched.setattr(MessageView, "append", spy)
            await _type_and_wait(pilot, "What limits multi-head attention?")
        assert len(streamed) > 3  # token by token, not one block
        final = _messages(app)[-1].raw
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
    app = create_app(_workspace(settings, None, tmp_path / "data"))
    async with app.run_test(size=SIZE) as pilot:
        await _ready(pilot, app)
        status = str(app.status.render())
        assert "offline: extractive" in status and "papers" in status and "chunks" in status
        await _type_and_wait(pilot, "How sparse are MLP activations in trained transformers?")
        assert "Offline answer" in _messages(app)[-1].raw


async def test_list_related_and_export(
    indexed: tuple[Settings, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, _ = indexed
    workspace = _workspace(settings, None, tmp_path / "data")
    app = create_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(pilot, app)
        notes = _record_notifications(app, monkeypatch)
        await _type_and_wait(pilot, "/list attention")
        assert _messages(app)[-1].raw.startswith("# Reading list: attention")
        await _type(pilot, "/export bib lists/attention.bib")
        await pilot.pause(0.1)
        assert any("directory" in m for m, _ in notes)  # lists/ does not exist: one sentence
        await _type(pilot, "/export bib attention.bib")
        await pilot.pause(0.1)
        written = workspace.export_dir / "attention.bib"
        assert written.read_text().count("@") >= 1
        await _type(pilot, "/export md ../escape.md")
        await pilot.pause(0.1)
        assert not (workspace.settings.data_dir / "escape.md").exists()
        assert any("outside" in m for m, _ in notes)
        await _type_and_wait(pilot, "/related attention")
        assert _messages(app)[-1].raw.startswith("# Related work: attention")
        await pilot.press("ctrl+o")
        await pilot.pause(0.1)
        assert (workspace.export_dir / "related-work-draft.md").exists()


async def test_me_and_triage_fill_the_sources_panel(
    indexed: tuple[Settings, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, _ = indexed
    workspace = _workspace(settings, None, tmp_path / "data")
    app = create_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(pilot, app)
        notes = _record_notifications(app, monkeypatch)
        await _type_and_wait(pilot, "/me")
        assert _messages(app)[-1].raw.startswith("# Reading list: your agenda")
        assert list(app.query(SourceItem))
        # The small corpus has no daily feed: one sentence saying how to name a file.
        await _type_and_wait(pilot, "/triage")
        assert any("/triage FILE" in m and sev == "error" for m, sev in notes)
        await _type_and_wait(pilot, "/triage google-research-bhojanapalli.txt")
        triaged = _messages(app)[-1].raw
        assert triaged.startswith("# Triage of google-research-bhojanapalli.txt")
        items = list(app.query(SourceItem))
        assert len(items) == len(re.findall(r"^\d+\. \*\*", triaged, re.M)) > 0
        assert items[0].entry.paper is not None and items[0].entry.paper.bibkey in triaged
        await _type(pilot, "/export bib triage.bib")
        await pilot.pause(0.1)
        bib = (workspace.export_dir / "triage.bib").read_text()
        assert bib.count("@") == len(items)


async def test_escape_cancels_and_puts_the_question_back(
    indexed: tuple[Settings, Path], tmp_path: Path
) -> None:
    settings, _ = indexed
    long_answer = " ".join(["Attention heads have low rank [1]."] * 40)
    slow = SlowFake(messages=iter([AIMessage(content=long_answer)]))
    workspace = _workspace(settings, slow, tmp_path / "data")
    app = create_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(pilot, app)
        await _type(pilot, "Why is attention low rank?")
        await pilot.pause(0.4)
        assert app.answering is not None and app.answering.is_running
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause(0.1)
        assert app.query_one("#prompt", Input).value == "Why is attention low rank?"
        assert "Cancelled" in _messages(app)[-1].raw
        turns = workspace.history.turns(_session_id(app))
        assert [t.state for t in turns] == ["interrupted"]  # never saved as complete
        assert turns[-1].answer.startswith("Attention heads")  # with the text it had


async def test_llm_error_is_a_notification_and_the_app_stays_usable(
    indexed: tuple[Settings, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings, _ = indexed
    workspace = _workspace(settings, FailingFake(messages=iter([])), tmp_path / "data")
    app = create_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(pilot, app)
        notes = _record_notifications(app, monkeypatch)
        await _type_and_wait(pilot, "What limits multi-head attention?")
        errors = [m for m, severity in notes if severity == "error"]
        assert len(errors) == 1 and "Traceback" not in errors[0]
        assert errors[0].endswith(".")
        turns = workspace.history.turns(_session_id(app))
        assert [t.state for t in turns] == ["interrupted"]
        # still usable: a command works afterwards
        await _type(pilot, "/help")
        await pilot.pause(0.1)
        assert isinstance(app.screen, HelpScreen)


async def test_history_resumes_a_session_with_its_sources(
    indexed: tuple[Settings, Path], tmp_path: Path
) -> None:
    settings, _ = indexed
    workspace = _workspace(settings, _fake(ANSWER), tmp_path / "data")
    app = create_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(pilot, app)
        await _type(pilot, "What limits multi-head attention?")
        await app.workers.wait_for_complete()
        first = _session_id(app)
        await _type(pilot, "/new")
        await pilot.pause(0.1)
        assert len(_messages(app)) == 1
        app.query_one(SourcesPanel).show([])
        await pilot.press("ctrl+r")
        await pilot.pause(0.1)
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert app.session is not None and _session_id(app) == first
        texts = [m.raw for m in _messages(app)]
        assert "What limits multi-head attention?" in texts
        assert list(app.query(SourceItem))  # the sources of the last answer are back


async def test_questions_typed_before_the_index_is_ready_wait(
    indexed: tuple[Settings, Path], tmp_path: Path
) -> None:
    settings, _ = indexed
    workspace = _workspace(settings, _fake(ANSWER), tmp_path / "data")
    app = create_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        assert not workspace.ready  # first paint happens before the index is open
        await _type(pilot, "What limits multi-head attention?")
        await _ready(pilot, app)
        for _ in range(100):  # the queued question runs once the index is open
            await pilot.pause(0.05)
            await app.workers.wait_for_complete()
            if any("**[1]**" in m.raw for m in _messages(app)):
                break
        assert any("**[1]**" in m.raw for m in _messages(app))
        assert "You · queued" not in [m.title for m in _messages(app)]


async def test_papers_table_filters_and_opens(
    indexed: tuple[Settings, Path], tmp_path: Path
) -> None:
    settings, _ = indexed
    app = create_app(_workspace(settings, None, tmp_path / "data"))
    async with app.run_test(size=SIZE) as pilot:
        await _ready(pilot, app)
        await _type(pilot, "/papers attention")
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
    app = create_app(_workspace(settings, None, tmp_path / "data"))
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot, app)
        notes = _record_notifications(app, monkeypatch)
        await _type(pilot, "/frobnicate")
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


# --- whole-app snapshots (pytest-textual-snapshot; `--snapshot-update` to accept changes) ---


async def _settle(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, ResearchApp)
    await _ready(pilot, app)
    app.query_one("#prompt", Input).cursor_blink = False  # a blink is not a regression
    await pilot.pause(0.1)


def _ask_first(question: str) -> Any:
    async def run(pilot: Pilot[None]) -> None:
        await _settle(pilot)
        await _type(pilot, question)
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
            bodies = [view.body for view in _messages(app)]
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
    app = create_app(_workspace(settings, _fake(ANSWER), tmp_path / "data"))
    assert snap_compare(app, terminal_size=SIZE, run_before=_ask_first("What limits attention?"))


def test_snapshot_paper_screen(
    indexed: tuple[Settings, Path], tmp_path: Path, snap_compare: Any
) -> None:
    settings, _ = indexed
    app = create_app(_workspace(settings, _fake(ANSWER), tmp_path / "data"))

    async def run(pilot: Pilot[None]) -> None:
        await _ask_first("What limits attention?")(pilot)
        await pilot.press("ctrl+s", "enter")
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_snapshot_reading_list(
    indexed: tuple[Settings, Path], tmp_path: Path, snap_compare: Any
) -> None:
    settings, _ = indexed
    app = create_app(_workspace(settings, None, tmp_path / "data"))
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
    app = create_app(_workspace(settings, None, tmp_path / "data"))

    async def run(pilot: Pilot[None]) -> None:
        await _settle(pilot)
        await pilot.press("f1")
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run)


@pytest.mark.slow
async def test_chroma_killed_while_the_tui_runs_then_restarted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.test_chroma_server import _free_port
    from tests.test_reliability import _start_chroma, _stop

    port = _free_port()
    store = tmp_path / "chroma"
    settings = Settings(
        data_dir=tmp_path / "data",
        corpus=str(_corpus(tmp_path)),
        chroma_url=f"http://127.0.0.1:{port}",
    )
    server = _start_chroma(store, port)
    try:
        library = Library(settings, embeddings=WordOverlapEmbeddings())
        library.index()
        workspace = _workspace(settings, _fake(*[ANSWER] * 6))  # follow-ups are condensed too
        app = create_app(workspace)
        async with app.run_test(size=SIZE) as pilot:
            await _ready(pilot, app)
            notes = _record_notifications(app, monkeypatch)
            await _type_and_wait(pilot, "What limits multi-head attention?")
            assert "**[1]**" in _messages(app)[-1].raw
            server.kill()  # the server dies (kill -9) while the app is open
            server.wait(10)
            await _type_and_wait(pilot, "What limits multi-head attention?")
            errors = [m for m, sev in notes if sev == "error"]
            assert len(errors) == 1 and "stopped answering: start it again" in errors[0]
            assert app.is_running
            server = _start_chroma(store, port)  # back, on the same data
            await _type_and_wait(pilot, "What limits multi-head attention?")
            assert "**[1]**" in _messages(app)[-1].raw
            turns = workspace.history.turns(_session_id(app))
            assert [t.state for t in turns] == ["complete", "interrupted", "complete"]
    finally:
        _stop(server)


async def test_a_length_cut_answer_is_marked_and_continued_in_the_tui(
    indexed: tuple[Settings, Path],
    tmp_path: Path,
    fake_openai: FakeOpenAI,  # noqa: F811,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from assistant.llm import build_chat_model

    settings, _ = indexed
    llm_settings = settings.model_copy(
        update={"llm_base_url": fake_openai.base_url, "llm_model": "smollm2"}
    )
    workspace = _workspace(llm_settings, build_chat_model(llm_settings), tmp_path / "data")
    app = create_app(workspace)
    fake_openai.replay("llamacpp-stream-length.sse")
    async with app.run_test(size=SIZE) as pilot:
        await _ready(pilot, app)
        notes = _record_notifications(app, monkeypatch)
        await _type_and_wait(pilot, "What is neural collapse?")
        view = _messages(app)[-1]
        assert view.raw.startswith("Neural collapse is a type of unsupervised")
        assert "Truncated" in view.raw and "/continue" in view.raw
        assert view.title.endswith("truncated")
        assert any("/continue" in m and sev == "warning" for m, sev in notes)
        # llama.cpp sends no usage: the tokens are counted here, said to be estimated,
        # and with no known price for this model there is no cost.
        assert "tokens (estimated)" in app.status.usage and "$" not in app.status.usage
        turns = workspace.history.turns(_session_id(app))
        assert [t.state for t in turns] == ["truncated"]
        fake_openai.enqueue(" learning technique [1].")
        await _type_and_wait(pilot, "/continue")
        view = _messages(app)[-1]
        assert view.raw.startswith("Neural collapse is a type of unsupervised learning")
        assert "Truncated" not in view.raw
        turns = workspace.history.turns(_session_id(app))
        assert [t.state for t in turns] == ["complete"]
        await _type_and_wait(pilot, "/continue")
        assert any("nothing to continue" in m for m, _ in notes)


# --- regressions found in review ------------------------------------------------------------


class GatedWorkspace(Workspace):
    """A workspace whose index opens only when the test says so."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.gate = threading.Event()

    def prepare(self, progress: Any = None) -> Any:
        self.gate.wait(timeout=30)
        return super().prepare(progress)


def _gated(settings: Settings, llm: Any, data_dir: Path) -> GatedWorkspace:
    shutil.copytree(settings.data_dir, data_dir, dirs_exist_ok=True)
    settings = settings.model_copy(update={"data_dir": data_dir})
    library = Library(settings, embeddings=WordOverlapEmbeddings())
    return GatedWorkspace(settings, llm=llm, library=library)


async def test_before_the_index_opens_nothing_crashes_and_questions_wait_in_order(
    indexed: tuple[Settings, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings, _ = indexed
    workspace = _gated(settings, _fake(*[ANSWER] * 5), tmp_path / "data")  # + a condensing call
    app = create_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        notes = _record_notifications(app, monkeypatch)
        app.palette_command("papers")  # the palette skips the input's queue
        await pilot.pause(0.1)
        assert not isinstance(app.screen, PapersScreen)
        await pilot.press("ctrl+r")
        await pilot.pause(0.1)
        await pilot.press("escape")
        await _type(pilot, "First question about attention?")
        await _type(pilot, "Second question about attention?")
        assert any("prepared" in m for m, _ in notes)
        assert [v.title for v in _messages(app)].count("You · queued") == 2
        workspace.gate.set()
        turns: list[Any] = []
        for _ in range(200):  # until both queued questions have been answered, in turn
            await pilot.pause(0.05)
            if app.session is not None:
                turns = workspace.history.turns(_session_id(app))
                if len(turns) == 2 and turns[-1].status == "complete":
                    break
        assert [t.question for t in turns] == [
            "First question about attention?",
            "Second question about attention?",
        ]
        assert all(t.status == "complete" for t in turns)
        assert "You · queued" not in [v.title for v in _messages(app)]


async def test_a_question_typed_during_an_answer_waits_its_turn(
    indexed: tuple[Settings, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, _ = indexed
    long_answer = " ".join(["Attention heads have low rank [1]."] * 8)
    slow = SlowFake(
        messages=iter([AIMessage(content=long_answer)] + [AIMessage(content=ANSWER)] * 3)
    )
    workspace = _workspace(settings, slow, tmp_path / "data")
    app = create_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(pilot, app)
        notes = _record_notifications(app, monkeypatch)
        await _type(pilot, "What limits multi-head attention?")
        await pilot.pause(0.2)
        assert app.answer_alive
        await _type(pilot, "And what about low-rank heads?")
        await pilot.pause(0.1)
        assert any(m.startswith("Queued") for m, _ in notes)
        assert _messages(app)[-1].title == "You · queued"
        turns: list[Any] = []
        for _ in range(300):
            await pilot.pause(0.05)
            assert app.session is not None
            turns = workspace.history.turns(_session_id(app))
            if len(turns) == 2 and turns[-1].status == "complete":
                break
        assert [t.question for t in turns] == [
            "What limits multi-head attention?",
            "And what about low-rank heads?",
        ]
        assert all(t.status == "complete" for t in turns)
        assert [v.title for v in _messages(app) if v.role == "user"] == ["You", "You"]


async def test_resuming_a_session_while_an_answer_streams(
    indexed: tuple[Settings, Path], tmp_path: Path
) -> None:
    settings, _ = indexed
    long_answer = " ".join(["Attention heads have low rank [1]."] * 60)
    slow = SlowFake(
        messages=iter([AIMessage(content="Short [1]."), AIMessage(content=long_answer)])
    )
    workspace = _workspace(settings, slow, tmp_path / "data")
    app = create_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(pilot, app)
        await _type(pilot, "First?")
        await app.workers.wait_for_complete()
        first = _session_id(app)
        await _type(pilot, "/new")
        await _type(pilot, "Second, a long one?")
        await pilot.pause(0.3)
        assert app.answer_alive
        await pilot.press("ctrl+r")
        await pilot.pause(0.1)
        await pilot.press("down", "enter")  # the older session
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        assert app.is_running and app.session is not None and _session_id(app) == first
        assert next(m.raw for m in _messages(app)) == "First?"
        second = next(s for s in workspace.history.sessions() if s.id != first)
        assert [t.state for t in workspace.history.turns(second.id)] == ["interrupted"]


async def test_a_request_in_words_runs_its_task(
    indexed: tuple[Settings, Path], tmp_path: Path
) -> None:
    """'Give me a reading list on X' typed in the chat runs the list, as /list X does."""
    settings, _ = indexed
    app = create_app(_workspace(settings, None, tmp_path / "data"))
    async with app.run_test(size=SIZE) as pilot:
        await _ready(pilot, app)
        await _type_and_wait(pilot, "Give me a reading list on attention")
        routed = _messages(app)[-1]
        assert routed.raw.startswith("# Reading list: attention")
        assert routed.title == "Assistant · reading list"
        assert list(app.query(SourceItem))  # its papers open from the sources panel
        await _type_and_wait(pilot, "/list attention")
        assert _messages(app)[-1].raw == routed.raw  # the same result as the slash command
        await _type_and_wait(pilot, "Show me my research profile")
        assert _messages(app)[-1].raw.startswith("# Suraj Srinivas")
