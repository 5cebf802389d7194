"""Jobs in the whole terminal UI: a Chroma server killed and restarted under it, an
answer cut by the length limit and continued, questions typed before the index opens or
during an answer waiting their turn, a session resumed mid-answer, and a request in
words running its task."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import AIMessage

from assistant.library import Library
from assistant.settings import Settings
from assistant.workspace import Workspace
from tests.fake_openai import FakeOpenAI, fake_openai  # noqa: F401 - the fixture
from tests.fakes import WordOverlapEmbeddings
from tests.tui_pilot import (
    ANSWER,
    SIZE,
    SlowFake,
    fake_llm,
    index_small_corpus,
    messages_of,
    open_workspace,
    record_notifications,
    session_id,
    small_corpus,
    type_and_wait,
    type_in,
    wait_ready,
)
from tui.app import create_app
from tui.screens import PapersScreen
from tui.widgets import SourceItem


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Path]:
    """A small corpus indexed once per module; each test copies its data directory."""
    return index_small_corpus(tmp_path_factory.mktemp("tui"))


@pytest.mark.slow
async def test_chroma_killed_while_the_tui_runs_then_restarted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.chroma_process import free_port, start_chroma, stop

    port = free_port()
    store = tmp_path / "chroma"
    settings = Settings(
        data_dir=tmp_path / "data",
        corpus=str(small_corpus(tmp_path)),
        chroma_url=f"http://127.0.0.1:{port}",
    )
    server = start_chroma(store, port)
    try:
        library = Library(settings, embeddings=WordOverlapEmbeddings())
        library.index()
        workspace = open_workspace(
            settings, fake_llm(*[ANSWER] * 6)
        )  # follow-ups are condensed too
        app = create_app(workspace)
        async with app.run_test(size=SIZE) as pilot:
            await wait_ready(pilot, app)
            notes = record_notifications(app, monkeypatch)
            await type_and_wait(pilot, "What limits multi-head attention?")
            assert "**[1]**" in messages_of(app)[-1].raw
            server.kill()  # the server dies (kill -9) while the app is open
            server.wait(10)
            await type_and_wait(pilot, "What limits multi-head attention?")
            errors = [m for m, sev in notes if sev == "error"]
            assert len(errors) == 1 and "stopped answering: start it again" in errors[0]
            assert app.is_running
            server = start_chroma(store, port)  # back, on the same data
            await type_and_wait(pilot, "What limits multi-head attention?")
            assert "**[1]**" in messages_of(app)[-1].raw
            turns = workspace.history.turns(session_id(app))
            assert [t.state for t in turns] == ["complete", "interrupted", "complete"]
    finally:
        stop(server)


async def test_a_length_cut_answer_is_marked_and_continued_in_the_tui(
    indexed: tuple[Settings, Path],
    tmp_path: Path,
    fake_openai: FakeOpenAI,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from assistant.llm import build_chat_model

    settings, _ = indexed
    llm_settings = settings.model_copy(
        update={"llm_base_url": fake_openai.base_url, "llm_model": "smollm2"}
    )
    workspace = open_workspace(llm_settings, build_chat_model(llm_settings), tmp_path / "data")
    app = create_app(workspace)
    fake_openai.replay("llamacpp-stream-length.sse")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot, app)
        notes = record_notifications(app, monkeypatch)
        await type_and_wait(pilot, "What is neural collapse?")
        view = messages_of(app)[-1]
        assert view.raw.startswith("Neural collapse is a type of unsupervised")
        assert "Truncated" in view.raw and "/continue" in view.raw
        assert view.title.endswith("truncated")
        assert any("/continue" in m and sev == "warning" for m, sev in notes)
        # llama.cpp sends no usage: the tokens are counted here, said to be estimated,
        # and with no known price for this model there is no cost.
        assert "tokens (estimated)" in app.status.usage and "$" not in app.status.usage
        turns = workspace.history.turns(session_id(app))
        assert [t.state for t in turns] == ["truncated"]
        fake_openai.enqueue(" learning technique [1].")
        await type_and_wait(pilot, "/continue")
        view = messages_of(app)[-1]
        assert view.raw.startswith("Neural collapse is a type of unsupervised learning")
        assert "Truncated" not in view.raw
        turns = workspace.history.turns(session_id(app))
        assert [t.state for t in turns] == ["complete"]
        await type_and_wait(pilot, "/continue")
        assert any("nothing to continue" in m for m, _ in notes)


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
    workspace = _gated(settings, fake_llm(*[ANSWER] * 5), tmp_path / "data")  # + a condensing call
    app = create_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        notes = record_notifications(app, monkeypatch)
        app.palette_command("papers")  # the palette skips the input's queue
        await pilot.pause(0.1)
        assert not isinstance(app.screen, PapersScreen)
        await pilot.press("ctrl+r")
        await pilot.pause(0.1)
        await pilot.press("escape")
        await type_in(pilot, "First question about attention?")
        await type_in(pilot, "Second question about attention?")
        assert any("prepared" in m for m, _ in notes)
        assert [v.title for v in messages_of(app)].count("You · queued") == 2
        workspace.gate.set()
        turns: list[Any] = []
        for _ in range(200):  # until both queued questions have been answered, in turn
            await pilot.pause(0.05)
            if app.session is not None:
                turns = workspace.history.turns(session_id(app))
                if len(turns) == 2 and turns[-1].status == "complete":
                    break
        assert [t.question for t in turns] == [
            "First question about attention?",
            "Second question about attention?",
        ]
        assert all(t.status == "complete" for t in turns)
        assert "You · queued" not in [v.title for v in messages_of(app)]


async def test_a_question_typed_during_an_answer_waits_its_turn(
    indexed: tuple[Settings, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, _ = indexed
    long_answer = " ".join(["Attention heads have low rank [1]."] * 8)
    slow = SlowFake(
        messages=iter([AIMessage(content=long_answer)] + [AIMessage(content=ANSWER)] * 3)
    )
    workspace = open_workspace(settings, slow, tmp_path / "data")
    app = create_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot, app)
        notes = record_notifications(app, monkeypatch)
        await type_in(pilot, "What limits multi-head attention?")
        await pilot.pause(0.2)
        assert app.answer_alive
        await type_in(pilot, "And what about low-rank heads?")
        await pilot.pause(0.1)
        assert any(m.startswith("Queued") for m, _ in notes)
        assert messages_of(app)[-1].title == "You · queued"
        turns: list[Any] = []
        for _ in range(300):
            await pilot.pause(0.05)
            assert app.session is not None
            turns = workspace.history.turns(session_id(app))
            if len(turns) == 2 and turns[-1].status == "complete":
                break
        assert [t.question for t in turns] == [
            "What limits multi-head attention?",
            "And what about low-rank heads?",
        ]
        assert all(t.status == "complete" for t in turns)
        assert [v.title for v in messages_of(app) if v.role == "user"] == ["You", "You"]


async def test_resuming_a_session_while_an_answer_streams(
    indexed: tuple[Settings, Path], tmp_path: Path
) -> None:
    settings, _ = indexed
    long_answer = " ".join(["Attention heads have low rank [1]."] * 60)
    slow = SlowFake(
        messages=iter([AIMessage(content="Short [1]."), AIMessage(content=long_answer)])
    )
    workspace = open_workspace(settings, slow, tmp_path / "data")
    app = create_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot, app)
        await type_in(pilot, "First?")
        await app.workers.wait_for_complete()
        first = session_id(app)
        await type_in(pilot, "/new")
        await type_in(pilot, "Second, a long one?")
        await pilot.pause(0.3)
        assert app.answer_alive
        await pilot.press("ctrl+r")
        await pilot.pause(0.1)
        await pilot.press("down", "enter")  # the older session
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        assert app.is_running and app.session is not None and session_id(app) == first
        assert next(m.raw for m in messages_of(app)) == "First?"
        second = next(s for s in workspace.history.sessions() if s.id != first)
        assert [t.state for t in workspace.history.turns(second.id)] == ["interrupted"]


async def test_a_request_in_words_runs_its_task(
    indexed: tuple[Settings, Path], tmp_path: Path
) -> None:
    """'Give me a reading list on X' typed in the chat runs the list, as /list X does."""
    settings, _ = indexed
    app = create_app(open_workspace(settings, None, tmp_path / "data"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot, app)
        await type_and_wait(pilot, "Give me a reading list on attention")
        routed = messages_of(app)[-1]
        assert routed.raw.startswith("# Reading list: attention")
        assert routed.title == "Assistant · reading list"
        assert list(app.query(SourceItem))  # its papers open from the sources panel
        await type_and_wait(pilot, "/list attention")
        assert messages_of(app)[-1].raw == routed.raw  # the same result as the slash command
        await type_and_wait(pilot, "Show me my research profile")
        assert messages_of(app)[-1].raw.startswith("# Suraj Srinivas")
