"""Turn the catalog into search chunks: one per paper, profile sections by paragraph,
documents by LangChain's recursive splitter.

A paper chunk holds the title, authors, venue, year, topic, keywords and abstract
together, so no chunk loses its title and every hit can be cited. Chunk ids are
content hashes: the same text at the same place always gets the same id, which is
what makes re-indexing incremental (only new ids are embedded).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence

from retrieval.catalog import Catalog
from retrieval.records import Chunk, Paper, Section
from retrieval.text import surname

# Profile sections longer than this are split on paragraphs; the heading is repeated.
PROFILE_CHUNK_CHARS = 1200
DOCUMENT_CHUNK_CHARS = 1500
DOCUMENT_OVERLAP = 150
# How much of a citing section's text joins the cited paper's chunk.
DISCUSSION_CHARS = 600
_SENTENCES = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")


def chunk_id(kind: str, file: str, line: int, text: str) -> str:
    digest = hashlib.sha1(f"{kind}\x00{file}\x00{line}\x00{text}".encode()).hexdigest()
    return f"c{digest[:16]}"


def paper_index_text(paper: Paper, discussed: Sequence[str] = ()) -> str:
    """The indexed text of a paper: every field a question might name, and what the
    researcher's own writing says about it (`discussed`)."""
    return "\n".join(_paper_lines(paper, discussed, with_names=True))


def paper_dense_text(paper: Paper, discussed: Sequence[str] = ()) -> str:
    """What the embedding model sees: the same without authors, venue and awards."""
    return "\n".join(_paper_lines(paper, discussed, with_names=False))


def _paper_lines(paper: Paper, discussed: Sequence[str], *, with_names: bool) -> list[str]:
    lines = [paper.title]
    venue = " ".join(str(v) for v in (paper.venue, paper.year) if v)
    if with_names and paper.authors:
        lines.append("Authors: " + ", ".join(paper.authors))
    if with_names and venue:
        lines.append("Published: " + venue)
    if paper.topic:
        lines.append("Topic: " + paper.topic)
    if paper.keywords:
        lines.append("Keywords: " + "; ".join(paper.keywords))
    if with_names and paper.awards:
        lines.append("Awards: " + "; ".join(paper.awards))
    if paper.abstract:
        lines.append(paper.abstract)
    lines.extend(discussed)
    return lines


def discussions(catalog: Catalog) -> dict[str, list[str]]:
    """For each cited paper, what the citing sections say about it.

    A statement section citing (Srinivas and Babu, 2015) gives that paper the line
    'Discussed in Prior Work > ... > Model Pruning with Limited Data: <the sentences
    naming its first author and year>'. Papers known only by title (CV entries,
    reference lists) thereby get the words a question would use.
    """
    by_id = {p.id: p for p in catalog.papers}
    out: dict[str, list[str]] = {}
    for section in catalog.sections:
        if not section.cites:
            continue
        sentences = _SENTENCES.split(section.text.replace("\n", " "))
        for pid in section.cites:
            paper = by_id.get(pid)
            if paper is None:
                continue
            family = surname(paper.authors[0]) if paper.authors else ""
            year = str(paper.year or "")
            said = [x for x in sentences if family and family in x and year in x]
            text = " ".join(said)[:DISCUSSION_CHARS]
            out.setdefault(pid, []).append(f"Discussed in {section.heading}: {text}".rstrip(": "))
    return out


def paper_chunk(paper: Paper, discussed: Sequence[str] = ()) -> Chunk:
    first = paper.sources[0] if paper.sources else None
    text = paper_index_text(paper, discussed)
    file = first.file if first else ""
    line = first.line if first else 0
    return Chunk(
        id=chunk_id("paper", file, line, text),
        text=text,
        kind="paper",
        file=file,
        line=line,
        title=paper.title,
        paper_id=paper.id,
        year=paper.year,
        venue=paper.venue,
        topic=paper.topic,
        authors=paper.authors,
        page=first.page if first else None,
        dense_text=paper_dense_text(paper, discussed),
    )


def split_paragraphs(text: str, limit: int) -> list[str]:
    """Group paragraphs into pieces of at most about `limit` characters.

    'a\\n\\nb\\n\\nc' with a limit that fits two paragraphs -> ['a\\n\\nb', 'c']. A single
    paragraph longer than the limit is cut on sentence ends, then hard.
    """
    pieces: list[str] = []
    current = ""
    for para in _paragraph_units(text, limit):
        if current and len(current) + len(para) + 2 > limit:
            pieces.append(current)
            current = para
        else:
            current = f"{current}\n\n{para}" if current else para
    if current:
        pieces.append(current)
    return pieces


def _paragraph_units(text: str, limit: int) -> Iterator[str]:
    for para in (p.strip() for p in text.split("\n\n")):
        if not para:
            continue
        while len(para) > limit:
            cut = para.rfind(". ", 0, limit)
            cut = cut + 1 if cut > limit // 3 else limit
            yield para[:cut].strip()
            para = para[cut:].strip()
        if para:
            yield para


def section_chunks(section: Section) -> list[Chunk]:
    """Profile sections split on paragraphs; documents with the recursive splitter.

    A PDF section (one with a page) is titled 'Paper title › 2.9 Fail-overs', so a
    citation reads as the place in the paper a reader would turn to.
    """
    heading = section.heading
    if section.source.page is not None:
        heading = " › ".join(section.heading_path)
    if section.kind == "profile":
        pieces = split_paragraphs(section.text, PROFILE_CHUNK_CHARS)
    else:
        pieces = _split_document(section.text)
    owner = (section.owner,) if section.owner else ()
    title = heading or section.source.file
    chunks = []
    for piece in pieces:
        text = f"{heading}\n{piece}" if heading else piece
        chunks.append(
            Chunk(
                id=chunk_id(section.kind, section.source.file, section.source.line, text),
                text=text,
                kind=section.kind,
                file=section.source.file,
                line=section.source.line,
                title=title,
                authors=owner,
                page=section.source.page,
            )
        )
    return chunks


def _split_document(text: str) -> list[str]:
    if len(text) <= DOCUMENT_CHUNK_CHARS:
        return [text.strip()] if text.strip() else []
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(
        chunk_size=DOCUMENT_CHUNK_CHARS, chunk_overlap=DOCUMENT_OVERLAP
    )
    return [piece for piece in splitter.split_text(text) if piece.strip()]


def catalog_chunks(catalog: Catalog) -> list[Chunk]:
    """Every chunk of the catalog, papers first; duplicate ids (identical text) once."""
    chunks: dict[str, Chunk] = {}
    discussed = discussions(catalog)
    for paper in catalog.papers:
        chunk = paper_chunk(paper, discussed.get(paper.id, ()))
        chunks.setdefault(chunk.id, chunk)
    for section in catalog.sections:
        for chunk in section_chunks(section):
            chunks.setdefault(chunk.id, chunk)
    return list(chunks.values())
