"""Generic plain text: sections on heading-like lines, long runs cut into pieces.

A heading is a short line underlined with ==== or ----, or a short ALL-CAPS line.
Between headings, paragraphs are grouped into sections of at most about
`MAX_SECTION_CHARS`, so a 20 MB file of one line becomes many sections, not one.
"""

from __future__ import annotations

import re
from pathlib import Path

from retrieval.records import ParseResult, Section, Source

NAME = "plaintext"
MAX_SECTION_CHARS = 2000
_UNDERLINE = re.compile(r"^\s*(=+|-+)\s*$")


def detect(text: str, path: Path) -> bool:
    return path.suffix.lower() in {".txt", ".text", ".rst", ""}


def _is_caps_heading(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return 3 <= len(line) <= 80 and len(letters) >= 3 and all(ch.isupper() for ch in letters)


def parse(text: str, file: str) -> ParseResult:
    """Document sections named by the nearest heading (or the file's name)."""
    stem = Path(file).stem
    lines = text.split("\n")
    sections: list[Section] = []
    heading = stem
    buffer: list[str] = []
    start = 1

    def flush() -> None:
        body = "\n".join(buffer).strip()
        if body:
            for offset, piece in _pieces(body):
                sections.append(Section((heading,), piece, Source(file, start + offset)))

    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        underlined = bool(
            line.strip() and len(line) <= 120 and _UNDERLINE.match(nxt) and len(nxt.strip()) >= 3
        )
        # An ALL-CAPS line is a heading only where a paragraph could start.
        caps = _is_caps_heading(line.strip()) and (not buffer or not buffer[-1].strip())
        if underlined or caps:
            flush()
            heading = line.strip()
            buffer, start = [], i + (3 if underlined else 2)
            i += 2 if underlined else 1
            continue
        if not buffer:
            start = i + 1
        buffer.append(line)
        i += 1
    flush()
    return ParseResult(sections=sections)


def _pieces(body: str) -> list[tuple[int, str]]:
    """(line offset, text) pieces of at most about MAX_SECTION_CHARS, cut at paragraph,
    then line, then word boundaries."""
    pieces: list[tuple[int, str]] = []
    offset = 0
    while body:
        if len(body) <= MAX_SECTION_CHARS:
            pieces.append((offset, body.strip()))
            break
        window = body[:MAX_SECTION_CHARS]
        cut = (
            max(window.rfind("\n\n"), 0) or max(window.rfind("\n"), 0) or max(window.rfind(" "), 0)
        )
        if cut < MAX_SECTION_CHARS // 4:
            cut = MAX_SECTION_CHARS
        piece = body[:cut].strip()
        if piece:
            pieces.append((offset, piece))
        offset += body[:cut].count("\n")
        body = body[cut:]
    return pieces
