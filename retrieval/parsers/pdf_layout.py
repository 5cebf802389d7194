"""From a document's lines to clean text: reading order, no running headers, paragraphs
and section headings.

- Running headers and footers: lines in the top or bottom band of a page whose text
  (digits aside) comes back on several pages, and bare page numbers, are dropped.
- Reading order: PDFium gives text in content order, which is reading order for most
  producers; a two-column page whose stream hops between the columns line by line is
  re-read column by column.
- Paragraphs: lines join until a wider gap, an indented first line, a change of size
  or a heading. Headings ('2.9 Fail-overs', 'Abstract', a short line set larger than
  the body) are kept as their own blocks, so a chunk can say which section it is in.

Simplified on purpose: no table or figure detection (their text comes out as short
paragraphs), and three or more columns are read as the stream gives them.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass

from retrieval.parsers.pdf_lines import Line, PageLines
from retrieval.parsers.pdf_text import join_lines

# Share of the page height at the top and bottom where running headers live.
_BAND = 0.09
# A header or footer comes back on at least this many pages (and a third of them).
_REPEATS = 3
_NUMBERED_HEADING = re.compile(
    r"^(?:(?:\d{1,2}(?:\.\d{1,2}){0,3}\.?)|(?:[IVX]{1,4}\.)|(?:[A-H]\.))\s+[A-Z][^.!?]{1,90}$"
)
_NAMED_HEADING = re.compile(
    r"^(?:abstract|introduction|background|related work|conclusions?|references|"
    r"bibliography|acknowledg(?:e)?ments?|appendix(?: [A-Z])?|discussion|evaluation|"
    r"summary|keywords|index terms)[.:]?$",
    re.I,
)
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?[-–]?\s*(?:\d{1,4}|[ivxlc]{1,6})\s*[-–]?$", re.I)


@dataclass(frozen=True)
class Block:
    """A paragraph or a heading of a page, in reading order."""

    kind: str  # "heading" or "paragraph"
    text: str
    page: int
    size: float
    top: float


def body_size(pages: list[PageLines]) -> float:
    """The font size most of the text is set in (by characters)."""
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            if not line.rotated and line.size > 0:
                sizes[round(line.size, 1)] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def running_lines(pages: list[PageLines]) -> set[tuple[int, str]]:
    """(page, text) of lines that are running headers, footers or page numbers."""

    def key(text: str) -> str:
        return re.sub(r"\d+", "#", text.casefold())

    seen: Counter[str] = Counter()
    banded: list[tuple[int, Line]] = []
    for page in pages:
        keys = set()
        for line in page.lines:
            if _in_band(line, page):
                banded.append((page.number, line))
                keys.add(key(line.text))
        seen.update(keys)
    needed = max(_REPEATS, len(pages) // 3)
    out = set()
    for number, line in banded:
        if _PAGE_NUMBER.match(line.text) or (
            len(pages) >= _REPEATS and seen[key(line.text)] >= needed
        ):
            out.add((number, line.text))
    return out


def _in_band(line: Line, page: PageLines) -> bool:
    band = _BAND * page.height
    return line.bottom >= page.height - band or line.top <= band


def reading_order(page: PageLines) -> list[Line]:
    """The page's upright lines, column by column when the stream interleaves columns."""
    lines = [line for line in page.lines if not line.rotated]
    mid = page.width / 2
    left = [ln for ln in lines if ln.x1 <= mid + 0.02 * page.width]
    right = [ln for ln in lines if ln.x0 >= mid - 0.02 * page.width]
    if len(left) < 5 or len(right) < 5:
        return lines
    side = ["L" if ln in left else "R" if ln in right else "W" for ln in lines]
    hops = sum(1 for a, b in itertools.pairwise(side) if {a, b} == {"L", "R"})
    if hops <= max(4, len(lines) // 8):
        return lines
    # Full-width lines above the columns first, then each column top to bottom.
    columns_top = max(ln.top for ln in left + right)
    wide = [ln for ln in lines if ln not in left and ln not in right]
    above = [ln for ln in wide if ln.bottom >= columns_top]
    below = [ln for ln in wide if ln.bottom < columns_top]
    by_top = lambda ln: -ln.top  # noqa: E731
    return (
        sorted(above, key=by_top)
        + sorted(left, key=by_top)
        + sorted(right, key=by_top)
        + sorted(below, key=by_top)
    )


def is_heading(line: Line, body: float) -> bool:
    """A section heading: numbered ('2.9 Fail-overs'), a named one ('Abstract'), or a short
    line set clearly larger than the body text."""
    text = line.text
    if len(text) > 100 or line.size < 0.9 * body:
        return False
    if _NAMED_HEADING.match(text):
        return True
    if _NUMBERED_HEADING.match(text) and len(text.split()) <= 12:
        return not text.endswith((",", ";")) and line.size >= body * 0.97
    return line.size >= 1.15 * body and len(text.split()) <= 12 and text[:1].isupper()


def blocks(pages: list[PageLines], body: float | None = None) -> list[Block]:
    """Every page's headings and paragraphs, running headers and footers left out."""
    body = body or body_size(pages)
    running = running_lines(pages)
    out: list[Block] = []
    for page in pages:
        lines = [ln for ln in reading_order(page) if (page.number, ln.text) not in running]
        out.extend(_page_blocks(lines, page.number, body))
    return out


def _page_blocks(lines: list[Line], number: int, body: float) -> list[Block]:
    out: list[Block] = []
    para: list[Line] = []

    def flush() -> None:
        if para:
            text = join_lines([ln.text for ln in para])
            out.append(Block("paragraph", text, number, para[0].size, para[0].top))
            para.clear()

    for line in lines:
        if is_heading(line, body):
            flush()
            out.append(Block("heading", line.text, number, line.size, line.top))
            continue
        if para and _breaks(para, line):
            flush()
        para.append(line)
    flush()
    return out


def _breaks(para: list[Line], line: Line) -> bool:
    """Whether `line` starts a new paragraph after the lines in `para`."""
    prev = para[-1]
    size = max(prev.size, line.size, 1.0)
    if abs(prev.size - line.size) > 0.12 * size:
        return True
    gap = prev.bottom - line.top
    if line.top > prev.top + size or gap < -2 * size:  # a jump up: next column or block
        return True
    if gap > 0.9 * size:
        return True
    if len(para) >= 2 or prev.width > 0:
        indented = line.x0 - prev.x0 > 0.8 * size and line.x0 - prev.x0 < 4 * size
        short = prev.x1 < line.x1 - 4 * size
        if indented and (short or prev.text.endswith((".", ":", "?", "!"))):
            return True
    return False
