"""Generic Markdown: one document section per heading, named by the chain of headings above it.

The fallback for `.md` / `.markdown` files that no specialised parser claims. ATX
headings (`#` to `######`, up to three spaces in) and setext headings (a line of text
underlined with `===` or `---`) start sections; lines inside fenced code (``` or ~~~)
are never headings. Text before the first heading is named after the file. A section
longer than `MAX_SECTION_CHARS` is packed into several, each with the line it starts on.
One pass over the lines and no recursion: 10,000 headings cost no more than 10,000 lines.

Simplified on purpose: a setext heading is a single line of text (CommonMark allows a
whole paragraph); indented code, block quotes, lists, tables and HTML stay plain text;
a YAML front-matter block is skipped; inline markup is removed, not rendered; a
"heading" longer than `_MAX_HEADING_CHARS` is treated as text.
"""

from __future__ import annotations

import re
from pathlib import Path

from retrieval.parsers.markdown_blocks import clean_inline
from retrieval.parsers.sections import SectionBuilder
from retrieval.records import ParseResult
from retrieval.text import cut_line

NAME = "markdown"
MAX_SECTION_CHARS = 2000
_MAX_HEADING_CHARS = 300
_MAX_FRONT_MATTER_LINES = 200
# 'key: value', an indented continuation, a '- item', a '# comment' or a blank line.
_YAML_LINE = re.compile(r"^(?:[\w.-]+\s*:|\s|-\s|#|$)")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}(?!.*`)|~{3,})")
# Lines that cannot be the text of a setext heading: list items, quotes, table rows.
_NOT_SETEXT_TEXT = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|>|\|)")


def detect(text: str, path: Path) -> bool:
    """Any `.md` or `.markdown` file; the specialised Markdown parsers are tried first."""
    return path.suffix.lower() in {".md", ".markdown"}


def parse(text: str, file: str) -> ParseResult:
    """Sections under each heading; text before the first heading is named after the file.

    '# Methods\\nWe prune.\\n## Details\\nMore.' (in notes.md) ->
    [Section(('Methods',), 'We prune.', line 1), Section(('Methods', 'Details'), 'More.', line 3)]
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    built = SectionBuilder(file, MAX_SECTION_CHARS)
    body = built.body
    fence = ""  # the opening fence while inside fenced code
    after_break = True  # the line before was blank, a heading or a fence (or there was none)
    candidate = 0  # line number of a one-line paragraph an underline would make a heading

    skip = _front_matter_end(lines)
    for number, line in enumerate(lines[skip:], skip + 1):
        if fence:
            body.append((number, line))
            if _closes(line, fence):
                fence, after_break = "", True
            continue
        opening = _FENCE_OPEN.match(line)
        if opening:
            fence, candidate = opening.group(1), 0
            body.append((number, line))
            continue
        short = len(line) <= _MAX_HEADING_CHARS
        atx = _ATX.match(line) if short and line.lstrip(" ").startswith("#") else None
        if atx:
            title = clean_inline(atx.group(2) or "")
            if title:  # an empty '#' line names nothing; it is dropped like a blank line
                built.open_heading(len(atx.group(1)), title, number)
            after_break, candidate = True, 0
            continue
        underline = _SETEXT.match(line) if short else None
        if underline and candidate == number - 1 and body and body[-1][0] == candidate:
            title = body.pop()[1]
            built.open_heading(1 if underline.group(1)[0] == "=" else 2, title, candidate)
            after_break, candidate = True, 0
            continue
        cleaned = _clean(line)
        blank = not line.strip()
        # A one-line paragraph of real text: the next line may underline it into a heading.
        text_line = after_break and bool(cleaned) and short and not _NOT_SETEXT_TEXT.match(line)
        candidate = number if text_line else 0
        after_break = blank
        body.append((number, cleaned))
    return ParseResult(sections=built.finish())


def _front_matter_end(lines: list[str]) -> int:
    """How many lines a leading YAML front-matter block takes, or 0.

    ['---', 'title: Notes', '---', '# A'] -> 3. A '---' rule above ordinary prose is no
    front matter: every line up to the closing '---' must look like YAML.
    """
    if not lines or lines[0].strip() != "---":
        return 0
    for index in range(1, min(len(lines), _MAX_FRONT_MATTER_LINES)):
        if lines[index].strip() in {"---", "..."}:
            return index + 1
        if not _YAML_LINE.match(lines[index]):
            return 0
    return 0


def _closes(line: str, fence: str) -> bool:
    """Does `line` close a code block opened by `fence` (same character, at least as long)?"""
    stripped = line.strip()
    return (
        len(line) - len(line.lstrip(" ")) <= 3
        and len(stripped) >= len(fence)
        and stripped == fence[0] * len(stripped)
    )


def _clean(line: str) -> str:
    """Inline markup removed; a very long line is cleaned in pieces so the work stays linear."""
    if len(line) <= MAX_SECTION_CHARS:
        return clean_inline(line)
    return " ".join(clean_inline(piece) for piece in cut_line(line, MAX_SECTION_CHARS))
