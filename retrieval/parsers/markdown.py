"""Generic Markdown: one document section per heading, with its heading path.

The fallback for `.md` files that no specialised parser claims. Linear in the size
of the file and never recursive, so 10,000 headings or 6-deep nesting cost nothing.
"""

from __future__ import annotations

from pathlib import Path

from retrieval.parsers.markdown_blocks import blocks, clean_inline
from retrieval.records import ParseResult, Section, Source

NAME = "markdown"


def detect(text: str, path: Path) -> bool:
    return path.suffix.lower() in {".md", ".markdown"}


def parse(text: str, file: str) -> ParseResult:
    """Sections under each heading; text before the first heading is named after the file."""
    stem = Path(file).stem
    sections: list[Section] = []
    path: list[tuple[int, str]] = []
    for block in blocks(text):
        if block.level:
            path = [p for p in path if p[0] < block.level] + [(block.level, block.title or stem)]
        heading = tuple(t for _, t in path) or (stem,)
        lines = [clean_inline(line) for _, line in block.body]
        body = "\n".join(lines).strip()
        if not body:
            continue
        first = next((n for n, line in block.body if line.strip()), block.line)
        line = block.line if block.level else first
        sections.append(Section(heading_path=heading, text=body, source=Source(file, line)))
    return ParseResult(sections=sections)
