"""A real Chroma server stopped in the middle of a query and in the middle of `ra index`:
one sentence that says to start it again, nothing half-written, and the next run after
a restart works."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from assistant.library import Library
from assistant.settings import Settings
from retrieval.vectorstore import StoreUnavailable
from tests.chroma_process import free_port, start_chroma, stop
from tests.fake_openai import FakeOpenAI, closed_port_url, fake_openai  # noqa: F401 - fixture
from tests.fakes import WordOverlapEmbeddings
from tests.reliability_corpus import CORPUS, small_corpus


class StopsServer(WordOverlapEmbeddings):
    """Embeddings that stop the Chroma server while the first batch is embedded: a
    server that dies in the middle of `ra index`, before the vectors are stored."""

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        super().__init__()
        self.proc = proc

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if self.calls == 0:
            stop(self.proc)
        return super().embed_documents(texts)


@pytest.mark.slow
def test_chroma_server_stopped_mid_query_and_mid_index(tmp_path: Path) -> None:
    port = free_port()
    store = tmp_path / "chroma"
    corpus = small_corpus(tmp_path)
    settings = Settings(
        data_dir=tmp_path / "data", corpus=str(corpus), chroma_url=f"http://127.0.0.1:{port}"
    )

    def library(embeddings: WordOverlapEmbeddings | None = None) -> Library:
        lib = Library(settings, embeddings=embeddings or WordOverlapEmbeddings())
        return lib

    server = start_chroma(store, port)
    try:
        library().index()
        searcher = library().searcher()
        before = [h.title for h in searcher.search("label smoothing", k=5)]
        stop(server)
        with pytest.raises(StoreUnavailable, match="stopped answering: start it again"):
            searcher.search("label smoothing", k=5)
        server = start_chroma(store, port)
        assert [h.title for h in library().searcher().search("label smoothing", k=5)] == before

        # mid-index: a new file is being embedded when the server dies
        shutil.copy(CORPUS / "daily-papers-over-parameterization.txt", corpus)
        with pytest.raises(StoreUnavailable, match="stopped answering"):
            library(StopsServer(server)).index()
        server = start_chroma(store, port)
        resumed = library().index()
        assert resumed.embedded > 0  # it picked up where it stopped
        assert library().index().embedded == 0
        after = library().searcher()
        fresh_settings = Settings(data_dir=tmp_path / "fresh", corpus=str(corpus))
        fresh = Library(fresh_settings, embeddings=WordOverlapEmbeddings())
        fresh_summary = fresh.index()
        assert after.store is not None and after.store.count() == fresh_summary.chunks
        for query in ("label smoothing", "grokking", "double descent"):
            resumed_titles = [h.title for h in after.search(query, k=5)]
            fresh_titles = [h.title for h in fresh.searcher().search(query, k=5)]
            # The word-overlap fake gives many equal cosines, and the vector index breaks
            # ties by insertion order, which a resumed run changes: the top three must
            # agree, the fourth and fifth may swap with a tied neighbour.
            assert resumed_titles[:3] == fresh_titles[:3]
            assert len(set(resumed_titles) & set(fresh_titles)) >= 4
    finally:
        stop(server)
