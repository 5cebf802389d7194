"""What the whole-app TUI tests share: a small corpus indexed with word-overlap
embeddings (no torch), workspaces over copies of it, scripted fake chat models, and
Pilot steps (type a request, wait for the index or for a job, read the messages)."""

from __future__ import annotations

import shutil
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
from tests.fakes import WordOverlapEmbeddings
from tui.app import ResearchApp
from tui.widgets import MessageView

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SIZE = (100, 32)
ANSWER = "Low-rank heads limit what attention can express [1]. A made-up claim [9]."


def small_corpus(root: Path) -> Path:
    corpus = root / "corpus"
    corpus.mkdir()
    for name in ("google-research-bhojanapalli.txt", "research-statement.md", "cv.md"):
        shutil.copy(CORPUS / name, corpus)
    return corpus


def index_small_corpus(root: Path) -> tuple[Settings, Path]:
    """A small corpus under `root`, indexed with word-overlap embeddings (no torch)."""
    settings = Settings(data_dir=root / "data", corpus=str(small_corpus(root)))
    library = Library(settings, embeddings=WordOverlapEmbeddings())
    library.index()
    return settings, root


def open_workspace(settings: Settings, llm: Any = None, data_dir: Path | None = None) -> Workspace:
    if data_dir is not None:
        shutil.copytree(settings.data_dir, data_dir, dirs_exist_ok=True)
        settings = settings.model_copy(update={"data_dir": data_dir})
    library = Library(settings, embeddings=WordOverlapEmbeddings())
    return Workspace(settings, llm=llm, library=library)


def fake_llm(*replies: str) -> GenericFakeChatModel:
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


def session_id(app: ResearchApp) -> str:
    assert app.session is not None, "the chat has no session yet"
    return app.session.id


async def wait_ready(pilot: Pilot[None], app: ResearchApp) -> None:
    for _ in range(200):
        if app.workspace.ready:
            break
        await pilot.pause(0.05)
    await app.workers.wait_for_complete()
    assert app.workspace.ready


async def type_in(pilot: Pilot[None], text: str) -> None:
    app = pilot.app
    prompt = app.query_one("#prompt", Input)
    prompt.focus()
    prompt.value = text
    await pilot.press("enter")


async def type_and_wait(pilot: Pilot[None], text: str) -> None:
    """Type a request and wait until its job has finished and rendered."""
    await type_in(pilot, text)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.1)


def messages_of(app: ResearchApp) -> list[MessageView]:
    return list(app.query(MessageView))


def record_notifications(
    app: ResearchApp, monkeypatch: pytest.MonkeyPatch
) -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []
    original = app.notify

    def notify(message: str, **kwargs: Any) -> None:
        seen.append((message, str(kwargs.get("severity", "information"))))
        original(message, **kwargs)

    monkeypatch.setattr(app, "notify", notify)
    return seen
