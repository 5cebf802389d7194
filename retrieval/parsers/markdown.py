"""Generic Markdown: one document section per heading, named by the chain of headings above it.

The fallback for `.md` / `.markdown` files that no specialised parser claims. Headings
are CommonMark's, found by markdown-it-py (`markdown_blocks.outline`): ATX (`#` to
`######`) and setext (text underlined with `===` or `---`); lines inside fenced code
are never headings and keep their markup. Text before the first heading is named
after the file. A section longer than `MAX_SECTION_CHARS` is packed into several, each
with the line it starts on.

Simplified on purpose: indented code, block quotes, lists, tables and HTML stay plain
text; a YAML front-matter block is skipped; inline markup is removed, not rendered; a
"heading" longer than `_MAX_HEADING_CHARS` is treated as text.
"""

from __future__ import annotations

import re
from pathlib import Path

from retrieval.parsers.markdown_blocks import clean_inline, outline
from retrieval.parsers.sections import SectionBuilder
from retrieval.records import ParseResult
from retrieval.text import cut_line

NAME = "markdown"
MAX_SECTION_CHARS = 2000
_MAX_HEADING_CHARS = 300
_MAX_FRONT_MATTER_LINES = 200
# 'key: value', an indented continuation, a '- item', a '# comment' or a blank line.
_YAML_LINE = re.compile(r"^(?:[\w.-]+\s*:|\s|-\s|#|$)")


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
    skip = _front_matter_end(lines)
    found = outline("\n".join(lines[skip:]), first_line=skip + 1)
    number = skip + 1
    while number <= len(lines):
        heading = found.headings.get(number)
        if heading is not None and len(heading.title) <= _MAX_HEADING_CHARS:
            title = clean_inline(heading.title)
            if title:  # an empty '#' line names nothing; it is dropped like a blank line
                built.open_heading(heading.level, title, number)
            number = heading.end + 1
            continue
        line = lines[number - 1]
        built.add(number, line if number in found.code else _clean(line))
        number += 1
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


def _clean(line: str) -> str:
    """Inline markup removed; a very long line is cleaned in pieces so the work stays linear."""
    if len(line) <= MAX_SECTION_CHARS:
        return clean_inline(line)
    return " ".join(clean_inline(piece) for piece in cut_line(line, MAX_SECTION_CHARS))
