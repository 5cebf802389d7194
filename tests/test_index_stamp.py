"""`ra index` with nothing to do answers from the stamp, without reading the corpus
into a catalog; any change to the files, the settings, the code or the manifest sends
it down the full path."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import retrieval.index_stamp as index_stamp
import retrieval.indexer as indexer
from assistant.library import Library
from assistant.settings import Settings
from tests.fakes import WordOverlapEmbeddings

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


@pytest.fixture
def library(tmp_path: Path) -> Library:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("cv.md", "google-research-bhojanapalli.txt"):
        shutil.copy(CORPUS / name, corpus / name)
    lib = Library(
        Settings(data_dir=tmp_path / "data", corpus=str(corpus)),
        embeddings=WordOverlapEmbeddings(),
    )
    lib.index()
    return lib


class _Counter:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return _real_load_corpus(*args, **kwargs)


_real_load_corpus = indexer.load_corpus


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> _Counter:
    counter = _Counter()
    monkeypatch.setattr(indexer, "load_corpus", counter)
    return counter


def test_nothing_changed_reads_no_catalog_and_reports_the_last_counts(
    library: Library, loads: _Counter
) -> None:
    first = library.index()  # the run after the fixture's: takes the stamp
    assert loads.calls == 0
    assert (first.unchanged, first.added, first.embedded) == (2, 0, 0)
    assert first.papers > 0 and first.chunks >= first.papers


def test_an_edited_file_takes_the_full_path(library: Library, loads: _Counter) -> None:
    page = library.roots[0] / "google-research-bhojanapalli.txt"
    page.write_text(page.read_text().replace("Low-Rank Bottleneck", "Low-Rank Bottlenecks"))
    summary = library.index()
    assert loads.calls == 1 and summary.updated == 1 and summary.embedded == 1
    library.index()
    assert loads.calls == 1  # and the next run is a no-op again


def test_a_new_file_a_setting_or_new_code_take_the_full_path(
    library: Library, loads: _Counter, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(CORPUS / "research-statement.md", library.roots[0] / "statement.md")
    assert library.index().added == 1 and loads.calls == 1
    library.settings = Settings(
        data_dir=library.settings.data_dir, corpus=library.settings.corpus, max_file_mb=5
    )
    library.index()
    assert loads.calls == 2
    monkeypatch.setattr(indexer, "code_fingerprint", lambda: "a newer ra")
    monkeypatch.setattr(index_stamp, "code_fingerprint", lambda: "a newer ra")
    library.index()
    assert loads.calls == 3


def test_an_interrupted_manifest_is_repaired_not_trusted(library: Library, loads: _Counter) -> None:
    path = library.layout.manifest
    data = json.loads(path.read_text())
    data["status"] = "building"
    path.write_text(json.dumps(data))
    store = library.open_store()
    gone = sorted(store.ids())[:3]
    store.delete(gone)
    repaired = library.index()
    assert loads.calls == 1 and repaired.embedded == 3
