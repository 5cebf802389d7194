"""Against a real `chroma run` server on 127.0.0.1: index, search, and a clear error when
the server is not there. The fixture starts the server and always stops it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.library import Library
from assistant.settings import Settings
from retrieval.vectorstore import ChunkStore, StoreUnavailable
from tests.chroma_process import free_port, start_chroma, stop
from tests.fakes import WordOverlapEmbeddings

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    proc = start_chroma(tmp_path_factory.mktemp("chroma-server"), port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)


@pytest.mark.slow
def test_index_and_search_through_a_chroma_server(chroma_url: str, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / "google-research-bhojanapalli.txt", corpus)
    settings = Settings(data_dir=tmp_path / "data", corpus=str(corpus), chroma_url=chroma_url)
    library = Library(settings, embeddings=WordOverlapEmbeddings())
    summary = library.index()
    assert summary.embedded == summary.chunks == 11  # 10 publications and the bio
    assert library.open_store().count() == 11
    assert not (tmp_path / "data" / "chroma").exists()  # vectors live on the server
    hits = library.searcher().search("label smoothing and noisy labels", k=3)
    assert hits[0].title == "Does label smoothing mitigate label noise?"

    # A second machine with an empty data dir finds everything already on the server.
    other = Library(
        Settings(data_dir=tmp_path / "other", corpus=str(corpus), chroma_url=chroma_url),
        embeddings=WordOverlapEmbeddings(),
    )
    assert other.index().embedded == 0


@pytest.mark.slow
def test_store_round_trip_on_the_server(chroma_url: str) -> None:
    from retrieval.records import Chunk

    store = ChunkStore.open("server-roundtrip", url=chroma_url)
    chunk = Chunk(id="x1", text="hello", kind="paper", file="f", line=1, title="T", year=2020)
    store.upsert([chunk], [[1.0, 0.0]])
    assert store.get(["x1"]) == [chunk]
    store.delete(["x1"])
    assert store.count() == 0


@pytest.mark.slow
def test_a_server_error_is_not_called_a_stopped_server(chroma_url: str) -> None:
    """The collection deleted on the server under a running `ra`: the server answers
    with an error, which must say so rather than claim the server stopped."""
    import chromadb

    store = ChunkStore.open("deleted-under-us", url=chroma_url)
    port = int(chroma_url.rsplit(":", 1)[1])
    chromadb.HttpClient(host="127.0.0.1", port=port).delete_collection("deleted-under-us")
    with pytest.raises(StoreUnavailable, match="refused the request") as caught:
        store.count()
    assert "stopped answering" not in str(caught.value) and "ra index" in str(caught.value)


def test_unreachable_server_is_one_sentence() -> None:
    with pytest.raises(StoreUnavailable, match="Cannot reach the Chroma server"):
        ChunkStore.open("x-collection", url=f"http://127.0.0.1:{free_port()}")
