"""Shared fixtures: every test runs with a clean environment and its own data directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.ask import Asker
from assistant.library import Library
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No RA_* or OpenAI variable leaks in from the developer's shell; data goes to a temp dir."""
    for name in list(os.environ):
        if name.startswith("RA_") or name.startswith("OPENAI_"):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RA_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    # The ONNX embedding model is exported once per test session, not once per test.
    monkeypatch.setenv("RA_MODELS_DIR", str(tmp_path_factory.getbasetemp() / "models"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", corpus=str(CORPUS))


@pytest.fixture(scope="session")
def sample_library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """The sample corpus indexed once with the real embedding model, shared by the
    slow tests that check answers and drafts against facts verified by hand."""
    library = Library(Settings(data_dir=tmp_path_factory.mktemp("sample"), corpus=str(CORPUS)))
    library.index()
    return library


@pytest.fixture(scope="session")
def sample_asker(sample_library: Library) -> Asker:
    """An offline asker over the sample corpus's index, with the real embedding model."""
    return Asker(sample_library.searcher(), embeddings=sample_library.embeddings)


@pytest.fixture(scope="session")
def small_real_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(corpus, data dir): the CV, the statement and the publication page, indexed once
    per test session with the real embedding model, for the slow tests that run `ra`
    against a real index. Tests that change the index build their own."""
    root = tmp_path_factory.mktemp("small-real")
    corpus = root / "corpus"
    corpus.mkdir()
    for name in ("cv.md", "research-statement.md", "google-research-bhojanapalli.txt"):
        (corpus / name).write_bytes((CORPUS / name).read_bytes())
    Library(Settings(data_dir=root / "data", corpus=str(corpus))).index()
    return corpus, root / "data"
