"""The plain records that cross module borders: papers, sections, sources, parse results.

Parsers emit `Paper`s with an empty `bibkey`; the catalog merges papers from every
source and assigns unique bibkeys. A paper's `id` is derived from its normalized
title, so it is the same across runs and machines.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from retrieval.text import normalize_title


def paper_id(title: str) -> str:
    """Stable id from the normalized title: 'Deep Learning!' and 'deep  learning' agree."""
    digest = hashlib.sha1(normalize_title(title).encode("utf-8")).hexdigest()
    return f"p{digest[:10]}"


@dataclass(frozen=True)
class Source:
    """Where a record was read: file name (relative to its corpus root), 1-based line, PDF page."""

    file: str
    line: int
    page: int | None = None

    def label(self) -> str:
        where = f"p. {self.page}" if self.page is not None else f"line {self.line}"
        return f"{self.file}, {where}"

    def short(self) -> str:
        """'cv.md:70', or 'paper.pdf, p. 3' for a PDF page."""
        return f"{self.file}:{self.line}" if self.page is None else f"{self.file}, p. {self.page}"


@dataclass(frozen=True)
class Link:
    """A labelled URL, e.g. ('code', 'https://github.com/idiap/fullgrad-saliency')."""

    label: str
    url: str


@dataclass(frozen=True)
class Paper:
    """One paper as the corpus knows it."""

    title: str
    authors: tuple[str, ...] = ()
    year: int | None = None
    venue: str | None = None
    keywords: tuple[str, ...] = ()
    abstract: str | None = None
    topic: str | None = None
    sources: tuple[Source, ...] = ()
    links: tuple[Link, ...] = ()
    awards: tuple[str, ...] = ()
    bibkey: str = ""
    id: str = field(default="")
    # The citation key the user's own .bib gave this paper; the catalog keeps it as the
    # paper's bibkey when no other paper claims it, so drafts cite the user's keys.
    bibkey_hint: str = ""
    # (field, where it was read), e.g. ('year', "venue line on page 1: 'OSDI 2006'"), for
    # `ra paper`; set by readers that choose between sources (PDF layout, Zotero).
    origins: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", paper_id(self.title))


@dataclass(frozen=True)
class Section:
    """A titled span of prose: a profile section (statement, CV, bio) or a document section.

    `heading_path` is the chain of headings above the text, outermost first, e.g.
    ('Prior Work', 'Computationally Efficient Deep Learning'). `kind` is "profile" for
    text about a researcher (their statement, CV, bio) and "document" otherwise.
    `cites` holds the ids of papers the text cites, when the parser could resolve them.
    """

    heading_path: tuple[str, ...]
    text: str
    source: Source
    kind: str = "document"
    owner: str | None = None
    cites: tuple[str, ...] = ()

    @property
    def heading(self) -> str:
        return " > ".join(self.heading_path)


@dataclass
class ParseResult:
    """What one parser read from one file."""

    papers: list[Paper] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)


@dataclass(frozen=True)
class Skipped:
    """A file that was not loaded, and why, in words a user can act on."""

    file: str
    reason: str


@dataclass(frozen=True)
class Chunk:
    """One unit of text in the search indexes, with the metadata filters use.

    `id` is stable for the same content and place, so re-indexing an unchanged file
    writes nothing. `paper_id` is set for paper chunks; `kind` is "paper",
    "profile" or "document". `dense_text`, when set, is what gets embedded instead of
    `text`: a paper's long author list would otherwise push its abstract past the
    embedding model's 256-token window.
    """

    id: str
    text: str
    kind: str
    file: str
    line: int
    title: str
    paper_id: str | None = None
    year: int | None = None
    venue: str | None = None
    topic: str | None = None
    authors: tuple[str, ...] = ()
    page: int | None = None
    dense_text: str = ""

    @property
    def embed_text(self) -> str:
        return self.dense_text or self.text
