"""Parser for an "awesome list" of papers rendered as text (Awesome Deep Phenomena).

Shape of the file: a section line ("Neural Collapse"), year subsections
("Neural Collapse: 2023"), and entries:

      • Title. [paper] [code]
        • Author One, Author Two. ICML 2023
        • Key Word: Neural Collapse; Imbalance.
        • Digest The paper shows ...

Simplified on purpose: an entry is a 2-space-indented bullet; its detail bullets
are the 4-space-indented ones that follow. The venue is what follows the author
list's last period; the year comes from the venue, else from the subsection.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from retrieval.parsers import ParseError
from retrieval.records import Paper, ParseResult, Source
from retrieval.text import collapse_spaces

NAME = "awesome-list"
BULLET = "\u2022"
_ENTRY = re.compile(rf"^  {BULLET} (?P<body>\S.*)$")
_DETAIL = re.compile(rf"^    {BULLET} (?P<body>.*)$")
_SUBSECTION = re.compile(r"^(?P<topic>[A-Z][\w ,&'-]*?): (?P<year>(?:19|20)\d\d)\s*$")
# Link markers at the end of an entry line: 'Title. [paper] [code]'.
_MARKER_WORDS = ("paper", "code", "blog", "video", "slides", "website", "project", "pdf")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# An acronym venue and year glued to the last author: '... Michael Carbin ICLR 2019'.
_GLUED_VENUE = re.compile(r"^(.*\S)\s+([A-Z][A-Za-z]*[A-Z][A-Za-z]*\s+(?:19|20)\d\d)$")
# A venue is short and has a year, an acronym (ICML, NeurIPS, PNAS) or a journal-like
# first word; a trailing surname after an initial ("Jordan T. Ash") has none of these.
_MAX_VENUE_WORDS = 8
_VENUE_WORDS = frozenset(
    [
        "nature",
        "science",
        "proceedings",
        "published",
        "phd",
        "journal",
        "transactions",
        "annals",
        "physical",
        "neural",
        "ieee",
        "arxiv",
        "advances",
        "international",
        "conference",
        "workshop",
    ]
)


def detect(text: str, path: Path) -> bool:
    """Many 'Key Word:' and 'Digest' detail bullets: an awesome list of papers."""
    head = text[:200_000]
    return head.count(f"{BULLET} Key Word:") >= 3 and head.count(f"{BULLET} Digest") >= 3


@dataclass
class _Entry:
    title: str
    line: int
    topic: str | None
    section_year: int | None
    details: list[str] = field(default_factory=list)


def parse(text: str, file: str) -> ParseResult:
    """Every entry of the list as a `Paper`; page chrome and headings are skipped."""
    entries: list[_Entry] = []
    topic: str | None = None
    section_year: int | None = None
    current: _Entry | None = None
    for number, line in enumerate(text.splitlines(), 1):
        entry = _ENTRY.match(line)
        if entry:
            current = _Entry(_clean_title(entry["body"]), number, topic, section_year)
            entries.append(current)
            continue
        detail = _DETAIL.match(line)
        if detail:
            if current is not None:
                current.details.append(detail["body"].strip())
            continue
        stripped = line.strip()
        heading = _SUBSECTION.match(stripped)
        if heading:
            topic, section_year = heading["topic"].strip(), int(heading["year"])
            current = None
        elif stripped and not line.startswith(" "):
            current = None  # page chrome or a section line ends an entry
    papers = [_paper(e, file) for e in entries if e.title and not _is_template(e)]
    if not papers and detect(text, Path(file)):
        raise ParseError("looks like an awesome list but no entry could be read")
    return ParseResult(papers=papers)


def _is_template(entry: _Entry) -> bool:
    # The list ends with its contribution template ("Paper Title", "Authors", "XXX").
    return entry.title.casefold() == "paper title"


def _strip_markers(body: str) -> str:
    """'Title. [paper] [code]' -> 'Title.', in linear time (a regex anchored at the end
    rescans a long run of spaces from every position)."""
    title = body.strip()
    while title.endswith("]"):
        start = title.rfind("[")
        if start == -1 or title[start + 1 : -1].strip().lower() not in _MARKER_WORDS:
            break
        title = title[:start].rstrip()
    return title


def _clean_title(body: str) -> str:
    title = _strip_markers(body)
    if title.endswith(".") and not title.endswith(".."):
        title = title[:-1].rstrip()
    return collapse_spaces(title)


def _paper(entry: _Entry, file: str) -> Paper:
    authors: tuple[str, ...] = ()
    venue: str | None = None
    year: int | None = None
    keywords: tuple[str, ...] = ()
    abstract: str | None = None
    for detail in entry.details:
        if detail.startswith("Key Word:") or detail.startswith("Keywords:"):
            keywords = _keywords(detail.split(":", 1)[1])
        elif detail.startswith("Digest"):
            abstract = collapse_spaces(detail[len("Digest") :].lstrip(" :")) or None
        elif not authors:
            authors, venue, year = _authors_venue(detail)
    return Paper(
        title=entry.title,
        authors=authors,
        year=year if year is not None else entry.section_year,
        venue=venue,
        keywords=keywords,
        abstract=abstract,
        topic=entry.topic,
        sources=(Source(file, entry.line),),
    )


def _keywords(raw: str) -> tuple[str, ...]:
    """' Neural Collapse; Imbalance.' -> ('Neural Collapse', 'Imbalance')"""
    words = [w.strip().rstrip(".").strip() for w in raw.split(";")]
    return tuple(w for w in words if w)


def _authors_venue(line: str) -> tuple[tuple[str, ...], str | None, int | None]:
    """'A. B, C D. ICML 2023' -> (('A. B', 'C D'), 'ICML', 2023).

    The venue is the text after the last '. ' when it is short and not a name list;
    'Author List' before a long list is dropped.
    """
    line = collapse_spaces(line.replace("*", ""))
    if line.lower().startswith("author list"):
        line = line[len("author list") :].strip()
    names_part, venue_part = line, ""
    cut = line.rfind(". ")
    if cut != -1:
        tail = line[cut + 2 :].strip()
        if _looks_like_venue(tail):
            names_part, venue_part = line[: cut + 1], tail
    names_part = names_part.strip().rstrip(".")
    if not venue_part:
        # 'Jonathan Frankle, Michael Carbin ICLR 2019': the period before the venue is missing.
        glued = _GLUED_VENUE.match(names_part)
        if glued:
            names_part, venue_part = glued.group(1), glued.group(2)
    authors = tuple(
        n
        for n in (collapse_spaces(a).strip(" .") for a in re.split(r"[,;&]|\band\b", names_part))
        if n
    )
    venue_part = venue_part.rstrip(".")
    years = _YEAR.findall(venue_part)
    venue = collapse_spaces(_YEAR.sub(" ", venue_part)) or None
    return authors, venue, int(years[-1]) if years else None


def _looks_like_venue(tail: str) -> bool:
    """'ICML 2023', 'Nature Machine Intelligence', 'PNAS' yes; 'Ash', 'Misra' no."""
    if not tail or "," in tail or len(tail.split()) > _MAX_VENUE_WORDS:
        return False
    first = tail.split()[0]
    return (
        _YEAR.search(tail) is not None
        or sum(ch.isupper() for ch in first) >= max(2, sum(ch.islower() for ch in first))
        or first.lower() in _VENUE_WORDS
    )
