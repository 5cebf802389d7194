"""Markdown helpers shared by the Markdown-based parsers: headings and inline cleanup.

Headings and code blocks are found by markdown-it-py (CommonMark), so ATX and setext
headings, fences of any length and '#' lines inside code follow the specification.
Only top-level headings count: a '#' line inside a list item or a block quote is text.
Inline markup is removed rather than rendered.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from markdown_it import MarkdownIt

# Block structure only: inline markup is stripped by `clean_inline`, and inline parsing
# would cost time on a multi-megabyte line. Tables on, so '| a |' over '---' is no heading.
_MD = MarkdownIt("commonmark").enable("table").disable(["inline", "text_join"])
# Bounded, so an unmatched '[' or '<' in a long line costs linear, not quadratic, time.
_LINK = re.compile(r"\[([^\]\n]{0,300})\]\(([^)\s]{0,2000})\)")
_SUP = re.compile(r"<sup>[^<\n]{0,200}</sup>", re.I)
_TAG = re.compile(r"</?[a-zA-Z][^>\n]{0,500}>")
# Emphasis marks touch their text: '**a**', '*a*', '__a__'; a lone ' * ' is kept.
_EMPHASIS = re.compile(r"\*+(?=\S)|(?<=\S)\*+|(?<![\w_])__?(?=\S)|(?<=\S)__?(?![\w_])")


@dataclass(frozen=True)
class Heading:
    """A heading as written: `title` keeps its inline markup; `end` is its last line
    (the underline of a setext heading), so the lines `line`..`end` are the heading."""

    level: int
    title: str
    line: int
    end: int


@dataclass(frozen=True)
class Outline:
    """Where the headings and the code blocks of a Markdown text are (1-based lines)."""

    headings: dict[int, Heading]  # by first line
    code: frozenset[int]  # lines inside fenced code, fences included


def outline(text: str, first_line: int = 1) -> Outline:
    """Headings and fenced code of `text`, numbered from `first_line`.

    '# A\\n```\\n# x\\n```\\nB\\n-' -> headings {1: Heading(1, 'A', 1, 1),
    5: Heading(2, 'B', 5, 6)}, code {2, 3, 4}
    """
    headings: dict[int, Heading] = {}
    code: set[int] = set()
    tokens = _MD.parse(text)
    for index, token in enumerate(tokens):
        if token.map is None:
            continue
        start, stop = token.map[0] + first_line, token.map[1] + first_line
        if token.type == "heading_open" and token.level == 0:
            title = " ".join(tokens[index + 1].content.split("\n")).strip()
            headings[start] = Heading(int(token.tag[1]), title, start, stop - 1)
        elif token.type == "fence":
            code.update(range(start, stop))
    return Outline(headings, frozenset(code))


@dataclass(frozen=True)
class Block:
    """The lines under one heading: `level` 0 is the text before the first heading."""

    level: int
    title: str
    line: int  # 1-based line of the heading (or of the first line for level 0)
    body: list[tuple[int, str]]  # (line number, raw line)


def blocks(text: str) -> Iterator[Block]:
    """Split Markdown on its headings, ignoring '#' lines inside fenced code.

    '# A\\nx\\n## B\\ny' -> Block(1, 'A', 1, [(2, 'x')]), Block(2, 'B', 3, [(4, 'y')])
    """
    lines = text.splitlines()
    headings = outline("\n".join(lines)).headings
    level, title, start = 0, "", 1
    body: list[tuple[int, str]] = []
    number = 1
    while number <= len(lines):
        heading = headings.get(number)
        if heading is None:
            body.append((number, lines[number - 1]))
            number += 1
            continue
        if body or level:
            yield Block(level, title, start, body)
        level, title, start, body = heading.level, clean_inline(heading.title), number, []
        number = heading.end + 1
    if body or level:
        yield Block(level, title, start, body)


def clean_inline(text: str) -> str:
    """Markdown inline markup removed: '**Suraj Srinivas\\***, [site](https://x)' -> 'Suraj Srinivas, site'."""
    text = _SUP.sub("", text)
    text = _LINK.sub(lambda m: m.group(1), text)
    text = _TAG.sub("", text)
    text = text.replace("\\*", "").replace("\\_", "_")
    text = _EMPHASIS.sub("", text)
    return re.sub(r"[ \t]+", " ", text).strip()


def paragraphs(body: list[tuple[int, str]], sep: str = " ") -> list[tuple[int, str]]:
    """Blank-line separated paragraphs as (first line number, lines joined by `sep`)."""
    out: list[tuple[int, str]] = []
    current: list[str] = []
    first = 0
    for number, line in body:
        if line.strip():
            if not current:
                first = number
            current.append(line.strip())
        elif current:
            out.append((first, sep.join(current)))
            current = []
    if current:
        out.append((first, sep.join(current)))
    return out
