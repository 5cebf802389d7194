"""Lines of text with their place and size on the page, read with PDFium (pypdfium2).

PDFium gives a page's characters in content order and marks where it sees a line end
("\\r\\n") and a hyphen it joined across one (U+FFFE). A `Line` is one of those runs,
with the box of its first and last visible characters and its font size: enough for
the layout (columns, headers, paragraphs) and for reading the title by its size,
at a few calls per line instead of several per character.

Simplified on purpose: a line's box comes from its end characters, so a line whose
middle rises above its ends (a tall formula) is measured by its ends.
"""

from __future__ import annotations

import ctypes
import dataclasses
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from retrieval.parsers.pdf_text import SPACING_ACCENTS

if TYPE_CHECKING:
    import pypdfium2

# PDFium is not thread-safe: every call into it goes through this lock.
PDFIUM_LOCK = threading.RLock()
# Characters whose font size is sampled per line.
_SIZE_SAMPLES = 5


@dataclass(frozen=True)
class Line:
    """One line of a page: text, box in points from the bottom-left corner, font size."""

    text: str
    x0: float
    x1: float
    bottom: float
    top: float
    size: float
    page: int
    # Text not running left to right (an arXiv margin stamp, a rotated badge).
    rotated: bool = False

    @property
    def width(self) -> float:
        return self.x1 - self.x0


@dataclass(frozen=True)
class PageLines:
    """The lines of one page in PDFium's order, and the page's size."""

    number: int
    width: float
    height: float
    lines: tuple[Line, ...]


def read_lines(page: pypdfium2.PdfPage, number: int) -> PageLines:
    """The lines of `page` (1-based `number`), blank ones left out."""
    import pypdfium2.raw as raw

    with PDFIUM_LOCK:
        width, height = page.get_size()
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_range()
            handle = textpage.raw
            aligned = len(text) == textpage.count_chars()
            lines: list[Line] = []
            left, right = ctypes.c_double(), ctypes.c_double()
            bottom, top = ctypes.c_double(), ctypes.c_double()

            def box(index: int) -> tuple[float, float, float, float]:
                raw.FPDFText_GetCharBox(handle, index, left, right, bottom, top)
                return left.value, right.value, bottom.value, top.value

            matrix = raw.FS_MATRIX()
            start = 0
            for piece in text.split("\r\n"):
                end = start + len(piece)
                stripped = piece.strip()
                if stripped and aligned:
                    first = start + (len(piece) - len(piece.lstrip()))
                    last = start + len(piece.rstrip()) - 1
                    fl, _fr, fb, ft = box(first)
                    _ll, lr, lb, lt = box(last)
                    visible = [i for i in range(first, last + 1) if not piece[i - start].isspace()]
                    sizes = [_size(handle, i, matrix) for i in visible[:_SIZE_SAMPLES]]
                    # The median: a drop cap or a small footnote mark must not set it.
                    size = sorted(s for s, _ in sizes)[len(sizes) // 2]
                    rotated = any(turned for _, turned in sizes[:1])
                    line = Line(stripped, min(fl, lr), max(fl, lr), min(fb, lb), max(ft, lt),
                                size, number, rotated)  # fmt: skip
                    if not rotated and line.x0 < width / 2 < line.x1:
                        # Across the middle: maybe two columns side by side on one baseline.
                        lines.extend(_split_at_gaps(line, piece, start, box))
                    else:
                        lines.append(line)
                elif stripped:
                    lines.append(Line(stripped, 0.0, width, 0.0, 0.0, 0.0, number))
                start = end + 2
        finally:
            textpage.close()
    return PageLines(number, float(width), float(height), tuple(_merge_pieces(lines)))


def _merge_pieces(lines: list[Line]) -> list[Line]:
    """Join pieces PDFium split on one visual line ('Kelips∗' + ': Building an ...').

    Two pieces join when they follow each other, sit on the same baseline band and the
    second starts just right of the first; columns side by side come one after the
    other in the stream, so they do not meet here.
    """
    out: list[Line] = []
    for line in lines:
        prev = out[-1] if out else None
        if prev is not None and not line.rotated and not prev.rotated and _same_row(prev, line):
            gap = line.x0 - prev.x1
            if -1.0 <= gap <= 1.5 * max(prev.size, line.size, 1.0):
                joiner = "" if gap < 0.15 * max(prev.size, 1.0) else " "
                out[-1] = Line(
                    prev.text + joiner + line.text,
                    prev.x0,
                    line.x1,
                    min(prev.bottom, line.bottom),
                    max(prev.top, line.top),
                    max(prev.size, line.size),
                    prev.page,
                )
                continue
        out.append(line)
    return out


def _same_row(a: Line, b: Line) -> bool:
    overlap = min(a.top, b.top) - max(a.bottom, b.bottom)
    height = min(a.top - a.bottom, b.top - b.bottom)
    return height > 0 and overlap >= 0.5 * height


def _size(handle: object, index: int, matrix: object) -> tuple[float, bool]:
    """The size a reader sees (font size times the text matrix's scale), and whether the
    character is turned: some producers set a 1 pt font and scale it by the matrix."""
    import pypdfium2.raw as raw

    size = float(raw.FPDFText_GetFontSize(handle, index))
    if not raw.FPDFText_GetMatrix(handle, index, matrix):
        return size, False
    a, b, c, d = matrix.a, matrix.b, matrix.c, matrix.d  # type: ignore[attr-defined]
    scale = abs(a * d - b * c) ** 0.5
    return size * (scale or 1.0), abs(b) > abs(a) or abs(c) > abs(d)


def _split_at_gaps(
    line: Line, piece: str, start: int, box: Callable[[int], tuple[float, float, float, float]]
) -> list[Line]:
    """`line` cut at the spaces wider than two ems: two columns on one baseline that
    PDFium read as one line. Only the characters around spaces are measured."""
    cuts: list[tuple[int, float, float]] = []  # (offset of the space, left x1, right x0)
    for offset, char in enumerate(piece):
        if char != " " or offset == 0 or offset + 1 >= len(piece) or piece[offset - 1] == " ":
            continue
        if piece[offset - 1] in SPACING_ACCENTS or piece[offset + 1] in SPACING_ACCENTS:
            # A spacing accent is drawn over a letter elsewhere on the line ('Babao ¨
            # glu': the '¨' sits over the 'O' of 'Ozalp'), so its box says nothing
            # about a gap between columns.
            continue
        before = box(start + offset - 1)
        after = box(start + offset + 1)
        if after[0] - before[1] > 2 * line.size:
            cuts.append((offset, before[1], after[0]))
    if not cuts:
        return [line]
    parts: list[Line] = []
    begin, x0 = 0, line.x0
    for offset, left_end, right_start in cuts:
        parts.append(
            dataclasses.replace(line, text=piece[begin:offset].strip(), x0=x0, x1=left_end)
        )
        begin, x0 = offset + 1, right_start
    parts.append(dataclasses.replace(line, text=piece[begin:].strip(), x0=x0))
    return [part for part in parts if part.text]
