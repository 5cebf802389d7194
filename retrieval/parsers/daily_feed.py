"""Parser for a captured "Daily Papers" feed page: titles, each followed by its abstract.

Shape: page chrome ("new", "Get trending papers in your email inbox!", "Subscribe",
"Daily Papers", "byAK and the research community", a date like "Aug 6"), then
blocks separated by blank lines: a title line, then an abstract paragraph.

Simplified on purpose: a title is a short line (at most 300 characters) that is not
chrome; everything until the next title is its abstract. Abstracts on this page are
paragraphs of well over 300 characters, so the two never mix. The feed gives no
authors, venues or years, and none are invented.
"""

from __future__ import annotations

import re
from pathlib import Path

from retrieval.parsers import ParseError
from retrieval.records import Paper, ParseResult, Source
from retrieval.text import collapse_spaces

NAME = "daily-feed"
MAX_TITLE_CHARS = 300
CHROME = frozenset(
    {
        "new",
        "get trending papers in your email inbox!",
        "subscribe",
        "daily papers",
        "byak and the research community",
        "submit",
        "search",
    }
)
_DATE = re.compile(
    r"^(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{1,2}(?:, \d{4})?$"
)


def detect(text: str, path: Path) -> bool:
    """The feed's own header lines near the top of the file."""
    head = text[:2000].lower()
    return "daily papers" in head and "get trending papers" in head


def parse(text: str, file: str) -> ParseResult:
    """Every title + abstract block as a `Paper`."""
    papers: list[Paper] = []
    title: tuple[int, str] | None = None
    abstract: list[str] = []

    def flush() -> None:
        if title is not None:
            body = collapse_spaces(" ".join(abstract)) or None
            papers.append(Paper(title=title[1], abstract=body, sources=(Source(file, title[0]),)))

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.casefold() in CHROME or _DATE.match(line):
            continue
        if len(line) <= MAX_TITLE_CHARS and (title is None or abstract):
            flush()
            title, abstract = (number, collapse_spaces(line)), []
        elif title is not None:
            abstract.append(line)
    flush()
    if not papers:
        raise ParseError("looks like a daily-papers feed but holds no paper titles")
    return ParseResult(papers=papers)
