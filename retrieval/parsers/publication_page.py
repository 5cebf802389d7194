"""Parser for a captured publication page of one researcher (Google Research style).

Shape: the owner's name on the first line, a bio, "Research Areas", "Authored
Publications", "Sort By", then per publication:

    Title
    Co-author (one per line; the page owner is not listed)
    Venue (Year) (to appear)
    Preview abstract
    abstract lines...
    View details

Simplified on purpose: the venue is the line just before "Preview abstract" (or
before "View details" when there is no abstract); the lines between the title and
the venue are co-authors. The owner is added as the last author because the page
does not say where they stand. The year is the page's own, the last year in
parentheses: 'International Conference on Machine Learning (ICML) 2021 (2020)' -> 2020.
"""

from __future__ import annotations

import re
from pathlib import Path

from retrieval.parsers import ParseError
from retrieval.records import Paper, ParseResult, Section, Source
from retrieval.text import collapse_spaces, find_year

NAME = "publication-page"
_START = "Sort By"
_PREVIEW = "Preview abstract"
_END = "View details"
_HEADER_LINES = {"Research Areas", "Authored Publications", _START}
_PAREN_YEAR = re.compile(r"\((?:19|20)\d\d\)")
_TO_APPEAR = re.compile(r"\(to appear\)", re.I)


def detect(text: str, path: Path) -> bool:
    return "Authored Publications" in text[:5000] and (_PREVIEW in text or _END in text)


def parse(text: str, file: str) -> ParseResult:
    """Publications as `Paper`s (owner added) and the owner's bio as a profile `Section`."""
    lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1)]
    nonblank = [(n, line) for n, line in lines if line]
    if not nonblank:
        raise ParseError("is a publication page with no content")
    owner = nonblank[0][1]
    sections = _bio(nonblank, owner, file)
    start = next((i for i, (_, line) in enumerate(nonblank) if line == _START), None)
    if start is None:
        start = next(
            (i for i, (_, line) in enumerate(nonblank) if line == "Authored Publications"), 0
        )
    papers: list[Paper] = []
    block: list[tuple[int, str]] = []
    for n, line in nonblank[start + 1 :]:
        if line == _END:
            paper = _publication(block, owner, file)
            if paper is not None:
                papers.append(paper)
            block = []
        else:
            block.append((n, line))
    paper = _publication(block, owner, file)  # a page cut off before its last "View details"
    if paper is not None:
        papers.append(paper)
    if not papers:
        raise ParseError("looks like a publication page but no publication could be read")
    return ParseResult(papers=papers, sections=sections)


def _bio(nonblank: list[tuple[int, str]], owner: str, file: str) -> list[Section]:
    body: list[str] = []
    first_line = None
    for n, line in nonblank[1:]:
        if line in _HEADER_LINES:
            break
        first_line = first_line or n
        body.append(line)
    if not body or first_line is None:
        return []
    return [
        Section(
            heading_path=(owner, "Bio"),
            text="\n\n".join(body),
            source=Source(file, first_line),
            kind="profile",
            owner=owner,
        )
    ]


def _publication(block: list[tuple[int, str]], owner: str, file: str) -> Paper | None:
    """One publication from the lines between two 'View details'."""
    if not block:
        return None
    texts = [line for _, line in block]
    if _PREVIEW in texts:
        cut = texts.index(_PREVIEW)
        head, abstract_lines = texts[:cut], texts[cut + 1 :]
    else:
        head, abstract_lines = texts, []
    if not head:
        return None
    title = collapse_spaces(head[0])
    venue_line = head[-1] if len(head) >= 2 else None
    coauthors = tuple(collapse_spaces(a) for a in head[1:-1])
    year = None
    venue = None
    if venue_line is not None:
        years = _PAREN_YEAR.findall(venue_line)
        year = int(years[-1][1:-1]) if years else find_year(venue_line)
        venue = _clean_venue(venue_line, year)
    authors = coauthors if owner in coauthors else (*coauthors, owner)
    abstract = collapse_spaces(" ".join(abstract_lines)) or None
    return Paper(
        title=title,
        authors=authors,
        year=year,
        venue=venue,
        abstract=abstract,
        sources=(Source(file, block[0][0]),),
    )


def _clean_venue(line: str, year: int | None) -> str | None:
    """'International Conference on Learning Representations (2023) (to appear)'
    -> 'International Conference on Learning Representations'."""
    venue = _TO_APPEAR.sub(" ", line)
    venue = _PAREN_YEAR.sub(" ", venue)
    venue = collapse_spaces(venue)
    if year is not None and venue.endswith(f" {year}"):
        venue = venue[: -len(str(year))].rstrip()
    return venue or None
