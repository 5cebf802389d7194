"""Incremental indexing at 10k chunks: a new PDF embeds only its own chunks, and a
removed file takes exactly its chunks out of both indexes (Chroma and BM25).

Uses the word-overlap embedding fake, which counts what it embeds; no model loads.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from assistant.library import Library
from assistant.settings import Settings
from retrieval.lexical import LexicalIndex
from tests.fakes import WordOverlapEmbeddings
from tests.pdf_factory import make_pdf

# 10k chunks through the indexer take tens of seconds: not for the fast loop.
pytestmark = pytest.mark.slow

FILES = 4
PER_FILE = 2500
WORDS = [
    "sparse",
    "pruning",
    "lottery",
    "ticket",
    "gradient",
    "descent",
    "margin",
    "overparameterized",
    "kernel",
    "attention",
    "transformer",
    "calibration",
    "robustness",
    "adversarial",
    "distillation",
    "scaling",
    "memorization",
    "generalization",
    "curvature",
    "sharpness",
    "initialization",
    "width",
    "depth",
]


def _write_library(corpus: Path) -> None:
    rng = random.Random(10)
    for f in range(FILES):
        entries = []
        for i in range(PER_FILE):
            n = f * PER_FILE + i
            topic = " ".join(rng.sample(WORDS, 3))
            entries.append(
                f"@article{{k{n},\n  title = {{Study {n} of {topic}}},\n"
                f"  author = {{Ada Lovelace{n % 97} and Alan Turing{n % 89}}},\n"
                f"  journal = {{Journal {n % 13}}},\n  year = {{{2000 + n % 25}}},\n"
                f"  abstract = {{We study {topic} in setting {n}.}},\n}}\n"
            )
        (corpus / f"part{f}.bib").write_text("\n".join(entries), encoding="utf-8")


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Library, WordOverlapEmbeddings]:
    root = tmp_path_factory.mktemp("scale")
    corpus = root / "corpus"
    corpus.mkdir()
    _write_library(corpus)
    fake = WordOverlapEmbeddings()
    library = Library(Settings(data_dir=root / "data", corpus=str(corpus)), embeddings=fake)
    summary = library.index()
    assert summary.chunks == FILES * PER_FILE == summary.embedded
    return library, fake


def _indexed_ids(library: Library) -> tuple[set[str], set[str]]:
    store = set(library.open_store().ids())
    lexical = set(LexicalIndex.load(library.layout.bm25).ids)
    return store, lexical


def test_adding_one_pdf_embeds_only_its_chunks(
    indexed: tuple[Library, WordOverlapEmbeddings],
) -> None:
    library, fake = indexed
    before, _ = _indexed_ids(library)
    embedded = fake.embedded
    pages = [
        [
            f"Sharpness Aware Training Notes page {p}",
            *(f"line {p}.{i} about flat minima" for i in range(30)),
        ]
        for p in range(6)
    ]
    (library.roots[0] / "notes.pdf").write_bytes(make_pdf(pages, title="Sharpness Notes"))
    summary = library.index()
    after, lexical = _indexed_ids(library)
    new = after - before
    assert summary.added == 1 and summary.unchanged == len(list(library.roots[0].glob("*.bib")))
    assert len(new) >= 2 and before <= after  # the PDF made chunks; nothing else went
    assert summary.embedded == len(new) == fake.embedded - embedded
    assert summary.deleted == 0
    assert lexical == after
    chunks = library.open_store().get(sorted(new))
    assert {c.file for c in chunks} == {"notes.pdf"}


def test_removing_a_file_removes_exactly_its_chunks_from_both_indexes(
    indexed: tuple[Library, WordOverlapEmbeddings],
) -> None:
    library, fake = indexed
    before, _ = _indexed_ids(library)
    store = library.open_store()
    from_part1 = {c.id for c in store.get(sorted(before)) if c.file == "part1.bib"}
    assert len(from_part1) == PER_FILE
    embedded = fake.embedded
    (library.roots[0] / "part1.bib").unlink()
    summary = library.index()
    after, lexical = _indexed_ids(library)
    assert summary.removed == 1
    assert summary.deleted == PER_FILE and after == before - from_part1
    assert lexical == after
    assert fake.embedded == embedded  # a removal embeds nothing
