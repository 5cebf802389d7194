"""Chunks: one per paper with its title, profile sections split on paragraphs, stable ids."""

from __future__ import annotations

from retrieval.catalog import Catalog
from retrieval.chunking import (
    PROFILE_CHUNK_CHARS,
    catalog_chunks,
    paper_chunk,
    section_chunks,
    split_paragraphs,
)
from retrieval.records import Paper, Section, Source


def _paper() -> Paper:
    return Paper(
        title="Grokking: Generalization Beyond Overfitting on Small Algorithmic Datasets",
        authors=("Alethea Power", "Yuri Burda"),
        year=2022,
        venue="ICLR",
        keywords=("Grokking", "Generalization"),
        abstract="Networks generalize long after overfitting.",
        topic="Emergence and Phase Transitions",
        sources=(Source("list.txt", 40),),
    )


def test_a_paper_is_one_chunk_holding_every_searchable_field() -> None:
    chunk = paper_chunk(_paper())
    assert chunk.kind == "paper"
    assert chunk.text.splitlines()[0] == _paper().title
    for needle in (
        "Alethea Power",
        "ICLR 2022",
        "Grokking; Generalization",
        "long after overfitting",
    ):
        assert needle in chunk.text
    assert (chunk.file, chunk.line, chunk.year, chunk.paper_id) == (
        "list.txt",
        40,
        2022,
        _paper().id,
    )


def test_chunk_ids_are_stable_and_change_with_content() -> None:
    assert paper_chunk(_paper()).id == paper_chunk(_paper()).id
    other = Paper(title=_paper().title, abstract="Different.", sources=_paper().sources)
    assert paper_chunk(other).id != paper_chunk(_paper()).id


def test_split_paragraphs_groups_and_cuts() -> None:
    assert split_paragraphs("a\n\nb\n\nc", 4) == ["a\n\nb", "c"]
    long = "First sentence here. " * 200
    pieces = split_paragraphs(long, PROFILE_CHUNK_CHARS)
    assert len(pieces) > 1
    assert all(len(p) <= PROFILE_CHUNK_CHARS for p in pieces)
    assert "".join(pieces).replace(" ", "") == long.replace(" ", "")


def test_long_profile_sections_repeat_their_heading_in_every_chunk() -> None:
    text = "\n\n".join(f"Paragraph {i} about pruning. " * 20 for i in range(6))
    section = Section(
        ("Prior Work", "Efficient Deep Learning"),
        text,
        Source("s.md", 12),
        kind="profile",
        owner="Me",
    )
    chunks = section_chunks(section)
    assert len(chunks) > 1
    assert all(c.text.startswith("Prior Work > Efficient Deep Learning\n") for c in chunks)
    assert {c.kind for c in chunks} == {"profile"} and chunks[0].authors == ("Me",)
    assert len({c.id for c in chunks}) == len(chunks)


def test_documents_use_the_recursive_splitter() -> None:
    text = " ".join(f"word{i}" for i in range(2000))
    chunks = section_chunks(Section(("notes",), text, Source("n.txt", 1)))
    assert len(chunks) > 3 and all(len(c.text) <= 1600 for c in chunks)


def test_catalog_chunks_cover_papers_then_sections() -> None:
    section = Section(("Bio",), "I study optimization.", Source("page.txt", 2), kind="profile")
    chunks = catalog_chunks(Catalog(papers=[_paper()], sections=[section]))
    assert [c.kind for c in chunks] == ["paper", "profile"]
