"""Incremental indexing, crash repair, the lock, and hybrid search over the real index
stores, with a word-overlap embedding fake so no model loads."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assistant.library import Library
from assistant.settings import Settings
from retrieval.errors import IndexBusy, IndexMissing
from retrieval.hybrid import Filters, HybridSearcher
from retrieval.indexer import index_lock
from retrieval.manifest import load_manifest
from tests.fakes import WordOverlapEmbeddings

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _library(tmp_path: Path, corpus: Path) -> tuple[Library, WordOverlapEmbeddings]:
    fake = WordOverlapEmbeddings()
    library = Library(Settings(data_dir=tmp_path / "data", corpus=str(corpus)), embeddings=fake)
    return library, fake


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("cv.md", "research-statement.md", "google-research-bhojanapalli.txt"):
        shutil.copy(CORPUS / name, corpus / name)
    return corpus


def test_second_run_embeds_nothing_and_edits_embed_only_what_changed(
    tmp_path: Path, small_corpus: Path
) -> None:
    library, fake = _library(tmp_path, small_corpus)
    first = library.index()
    assert (first.added, first.updated, first.removed, first.unchanged) == (3, 0, 0, 0)
    assert first.embedded == first.chunks == library.open_store().count()
    embedded = fake.embedded

    again = library.index()
    assert (again.added, again.unchanged, again.embedded) == (0, 3, 0)
    assert fake.embedded == embedded

    page = small_corpus / "google-research-bhojanapalli.txt"
    page.write_text(page.read_text().replace("Low-Rank Bottleneck", "Low-Rank Bottlenecks"))
    changed = library.index()
    assert (changed.updated, changed.unchanged) == (1, 2)
    assert changed.embedded == 1 and changed.deleted == 1  # one paper chunk replaced
    assert library.open_store().count() == changed.chunks

    (small_corpus / "cv.md").unlink()
    removed = library.index()
    assert removed.removed == 1
    ids = set(library.open_store().ids())
    assert not any(c.file == "cv.md" for c in library.open_store().get(sorted(ids)))
    searcher = library.searcher()
    assert all(
        "cv.md" not in h.chunk.file for h in searcher.search("Qualcomm internship sparsify", k=20)
    )


def test_interrupted_run_is_repaired_and_search_refuses_until_then(
    tmp_path: Path, small_corpus: Path
) -> None:
    library, _ = _library(tmp_path, small_corpus)
    library.index()
    reference = sorted(library.open_store().ids())
    # Simulate a run killed after it marked the index as building and deleted some chunks.
    manifest_path = library.layout.manifest
    data = json.loads(manifest_path.read_text())
    data["status"] = "building"
    manifest_path.write_text(json.dumps(data))
    store = library.open_store()
    store.delete(reference[:5])
    with pytest.raises(IndexMissing, match="interrupted"):
        library.searcher()
    repaired = library.index()
    assert repaired.embedded == 5
    assert sorted(library.open_store().ids()) == reference
    assert load_manifest(manifest_path, library.embeddings_id).status == "complete"


def test_rebuild_embeds_everything_again(tmp_path: Path, small_corpus: Path) -> None:
    library, _ = _library(tmp_path, small_corpus)
    first = library.index()
    rebuilt = library.index(rebuild=True)
    assert rebuilt.embedded == first.chunks and library.open_store().count() == first.chunks


def test_search_before_any_index_says_what_to_do(tmp_path: Path, small_corpus: Path) -> None:
    library, _ = _library(tmp_path, small_corpus)
    with pytest.raises(IndexMissing, match="run `ra index`"):
        library.searcher()


def test_a_second_indexer_is_refused_with_a_sentence(tmp_path: Path) -> None:
    lock = tmp_path / "index.lock"
    with (
        index_lock(lock),
        pytest.raises(IndexBusy, match="wait for it to finish"),
        index_lock(lock),
    ):
        pass
    with index_lock(lock):  # released afterwards
        pass


@pytest.fixture(scope="module")
def sample_searcher(tmp_path_factory: pytest.TempPathFactory) -> HybridSearcher:
    library, _ = _library(tmp_path_factory.mktemp("sample"), CORPUS)
    library.index()
    return library.searcher()


def test_hybrid_finds_a_paper_named_by_its_title_first(sample_searcher: HybridSearcher) -> None:
    hits = sample_searcher.search(
        "what does Are Transformers universal approximators of sequence-to-sequence functions? show"
    )
    assert (
        hits[0].title
        == "Are Transformers universal approximators of sequence-to-sequence functions?"
    )


def test_hybrid_collapses_to_one_hit_per_paper(sample_searcher: HybridSearcher) -> None:
    hits = sample_searcher.search("pruning sparse neural networks", k=20)
    keys = [h.key for h in hits]
    assert len(keys) == len(set(keys))


def test_filters_hold_for_every_hit(sample_searcher: HybridSearcher) -> None:
    hits = sample_searcher.search("generalization", k=10, filters=Filters(topic="Neural Collapse"))
    assert hits and all(h.chunk.topic == "Neural Collapse" for h in hits)
    hits = sample_searcher.search(
        "transformers", k=10, filters=Filters(year_min=2021, year_max=2021)
    )
    assert hits and all(h.chunk.year == 2021 for h in hits)
    hits = sample_searcher.search("pruning", k=10, filters=Filters(kind="profile"))
    assert hits and all(h.chunk.kind == "profile" for h in hits)
    hits = sample_searcher.search("pruning", k=10, filters=Filters(author="Srinivas"))
    assert hits and all(any("Srinivas" in a for a in h.paper.authors) for h in hits if h.paper)
    hits = sample_searcher.search("transformers", k=10, filters=Filters(source="google-research"))
    assert hits and all(any("google" in s.file for s in h.paper.sources) for h in hits if h.paper)


def test_naming_a_topic_boosts_it(sample_searcher: HybridSearcher) -> None:
    plain = sample_searcher.search("papers about imbalanced training", k=10)
    boosted = sample_searcher.search("neural collapse papers about imbalanced training", k=10)
    share = lambda hits: sum(h.chunk.topic == "Neural Collapse" for h in hits)  # noqa: E731
    assert share(boosted) > share(plain)


def test_modes_differ_and_bm25_needs_no_model(sample_searcher: HybridSearcher) -> None:
    bm25 = sample_searcher.search("grokking", k=5, mode="bm25")
    assert bm25 and all(h.dense_rank is None for h in bm25)
    dense = sample_searcher.search("grokking", k=5, mode="dense")
    assert dense and all(h.lexical_rank is None for h in dense)


def test_langchain_retriever_returns_documents_a_chain_can_cite(
    sample_searcher: HybridSearcher,
) -> None:
    from retrieval.retriever import PaperRetriever

    retriever = PaperRetriever(searcher=sample_searcher, k=3)
    docs = retriever.invoke("does label smoothing mitigate label noise")
    assert len(docs) == 3
    assert docs[0].metadata["title"] == "Does label smoothing mitigate label noise?"
    assert (
        docs[0].metadata["bibkey"]
        and docs[0].metadata["file"] == "google-research-bhojanapalli.txt"
    )
    assert docs[0].page_content.startswith("Does label smoothing mitigate label noise?")
    topic = PaperRetriever(searcher=sample_searcher, k=5, filters=Filters(topic="Neural Collapse"))
    assert all(d.metadata["kind"] == "paper" for d in topic.invoke("imbalanced classes"))


def test_a_store_passed_in_is_the_one_indexed_and_searched(
    tmp_path: Path, small_corpus: Path
) -> None:
    from retrieval.vectorstore import ChunkStore

    store = ChunkStore.open("handed-in", path=tmp_path / "elsewhere")
    settings = Settings(data_dir=tmp_path / "data", corpus=str(small_corpus))
    library = Library(settings, embeddings=WordOverlapEmbeddings(), store=store)
    summary = library.index()
    assert store.count() == summary.chunks > 0
    assert not library.layout.chroma.exists()  # the settings' own store was never opened
    searcher = library.searcher()
    assert searcher.store is store and searcher.search("label smoothing", k=3)


def test_an_index_from_another_tokenizer_is_rebuilt_not_searched(
    tmp_path: Path, small_corpus: Path
) -> None:
    """A new version of `ra` that stems differently (issue 13's Snowball stems) must not
    query old BM25 tokens with new ones: loading it is refused, and the next `ra index`
    rebuilds BM25 without embedding anything again (opening a search does too: below)."""
    from retrieval.lexical import LexicalIndex, LexicalIndexError

    library, fake = _library(tmp_path, small_corpus)
    library.index()
    embedded = fake.embedded
    bm25 = library.layout.bm25
    (bm25 / "tokenizer.json").write_text('{"tokenizer": "an older one"}', encoding="utf-8")
    with pytest.raises(LexicalIndexError, match="another version of ra: run `ra index`"):
        LexicalIndex.load(bm25)

    again = library.index()
    assert again.embedded == 0 and fake.embedded == embedded
    assert LexicalIndex.current(bm25)
    hits = library.searcher().search("low-rank bottleneck attention heads", k=3, mode="bm25")
    assert hits


def test_opening_a_search_over_an_older_bm25_rebuilds_it_from_the_indexed_chunks(
    tmp_path: Path, small_corpus: Path
) -> None:
    """After an upgrade that changes the tokens, `ra ask` and `ra chat` work at once: the
    BM25 index is rebuilt from the catalog's chunks (nothing is embedded) and saved."""
    from retrieval.lexical import LexicalIndex

    library, fake = _library(tmp_path, small_corpus)
    library.index()
    embedded = fake.embedded
    bm25 = library.layout.bm25
    (bm25 / "tokenizer.json").write_text('{"tokenizer": "an older one"}', encoding="utf-8")
    hits = library.searcher().search("low-rank bottleneck attention heads", k=3, mode="bm25")
    assert hits and fake.embedded == embedded
    assert LexicalIndex.current(bm25)
    assert library.index().embedded == 0
