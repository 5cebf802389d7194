"""Generic plain text (.txt, .text, .rst, or no extension): sections under heading-like
lines, and long runs of text packed into sections of a reasonable size.

A heading is a short line underlined with a run of one of `= - ~ ^ * + #` (and
optionally overlined with the same run, as reStructuredText allows), or a short
ALL-CAPS line. Underline styles nest in the order they first appear, as in
reStructuredText, so a heading path can be ('Results', 'Ablations'). Between headings,
paragraphs are packed into sections of at most `MAX_SECTION_CHARS`, so a 50 MB file of
one line becomes many sections, each with the line it starts on.

Simplified on purpose: a heading must start a paragraph (a blank line or another heading
before it); ALL-CAPS headings count as one more style, nesting by first appearance like
the others; no other markup is understood (directives, lists and tables stay text).
"""

from __future__ import annotations

import re
from pathlib import Path

from retrieval.parsers.sections import SectionBuilder
from retrieval.records import ParseResult
from retrieval.text import collapse_spaces

NAME = "plaintext"
MAX_SECTION_CHARS = 2000
_SUFFIXES = {".txt", ".text", ".rst"}
_MAX_TITLE_CHARS = 100
_MAX_CAPS_CHARS = 80
_ADORNMENT = re.compile(r"^([=\-~^*+#])\1{2,}$")


def detect(text: str, path: Path) -> bool:
    """`.txt`, `.text` and `.rst` files, and files without an extension that hold text."""
    suffix = path.suffix.lower()
    if suffix in _SUFFIXES:
        return True
    return suffix == "" and _looks_like_text(text)


def parse(text: str, file: str) -> ParseResult:
    """Document sections, each named by the headings above it (or by the file's name).

    'Intro.\\n\\nResults\\n=======\\nIt works.' (in paper.txt) ->
    [Section(('paper',), 'Intro.', line 1), Section(('Results',), 'It works.', line 3)]
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    built = SectionBuilder(file, MAX_SECTION_CHARS)
    styles: list[str] = []  # heading styles in the order they first appear: index = level
    index = 0
    after_break = True  # a heading may start here: the line before was blank or a heading
    while index < len(lines):
        found = _heading_at(lines, index) if after_break else None
        if found is None:
            line = lines[index]
            built.add(index + 1, line)
            after_break = not line.strip()
            index += 1
            continue
        style, title, title_index, consumed = found
        if style not in styles:
            styles.append(style)
        built.open_heading(styles.index(style), title, title_index + 1)
        index += consumed
        after_break = True
    return ParseResult(sections=built.finish())


def _heading_at(lines: list[str], index: int) -> tuple[str, str, int, int] | None:
    """(style, title, index of the title line, lines taken) if a heading starts at `index`.

    ['=====', 'Title', '=====', ...] -> ('o=', 'Title', index + 1, 3)
    ['Title', '-----', ...]          -> ('u-', 'Title', index, 2)
    ['ABSTRACT', ...]                -> ('caps', 'ABSTRACT', index, 1)
    """
    first = lines[index].strip()
    second = lines[index + 1].strip() if index + 1 < len(lines) else ""
    third = lines[index + 2].strip() if index + 2 < len(lines) else ""
    if _ADORNMENT.match(first) and _is_title(second) and third == first:
        return f"o{first[0]}", collapse_spaces(second), index + 1, 3
    if _is_title(first) and _ADORNMENT.match(second):
        return f"u{second[0]}", collapse_spaces(first), index, 2
    if _is_caps_heading(first):
        return "caps", collapse_spaces(first.rstrip(":")), index, 1
    return None


def _is_title(line: str) -> bool:
    return bool(line) and len(line) <= _MAX_TITLE_CHARS and not _ADORNMENT.match(line)


def _is_caps_heading(line: str) -> bool:
    """'2 RELATED WORK' and 'ABSTRACT:' are headings; 'NASA.', 'X = Y + Z' and 'OK' are not."""
    if not 3 <= len(line) <= _MAX_CAPS_CHARS or line[-1] in ".,;!?":
        return False
    letters = sum(ch.isalpha() for ch in line)
    visible = sum(not ch.isspace() for ch in line)
    return letters >= 3 and letters * 3 >= visible * 2 and line == line.upper() != line.lower()


def _looks_like_text(text: str) -> bool:
    """Mostly printable characters in the first 4 KB: a README, not a binary blob."""
    sample = text[:4096]
    if not sample.strip():
        return False
    printable = sum(ch.isprintable() or ch in "\n\r\t\f" for ch in sample)
    return printable >= 0.95 * len(sample)
