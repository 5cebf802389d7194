"""Markdown helpers shared by the Markdown-based parsers: headings and inline cleanup.

Simplified on purpose: ATX headings only (`#` to `######`), fenced code blocks are
skipped when looking for headings, and inline markup is removed rather than rendered.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_FENCE = re.compile(r"^\s*(```|~~~)")
# Bounded, so an unmatched '[' or '<' in a long line costs linear, not quadratic, time.
_LINK = re.compile(r"\[([^\]\n]{0,300})\]\(([^)\s]{0,2000})\)")
_SUP = re.compile(r"<sup>[^<\n]{0,200}</sup>", re.I)
_TAG = re.compile(r"</?[a-zA-Z][^>\n]{0,500}>")
# Emphasis marks touch their text: '**a**', '*a*', '__a__'; a lone ' * ' is kept.
_EMPHASIS = re.compile(r"\*+(?=\S)|(?<=\S)\*+|(?<![\w_])__?(?=\S)|(?<=\S)__?(?![\w_])")


@dataclass(frozen=True)
class Block:
    """The lines under one heading: `level` 0 is the text before the first heading."""

    level: int
    title: str
    line: int  # 1-based line of the heading (or of the first line for level 0)
    body: list[tuple[int, str]]  # (line number, raw line)


def blocks(text: str) -> Iterator[Block]:
    """Split Markdown on ATX headings, ignoring '#' lines inside fenced code.

    '# A\\nx\\n## B\\ny' -> Block(1, 'A', 1, [(2, 'x')]), Block(2, 'B', 3, [(4, 'y')])
    """
    level, title, start = 0, "", 1
    body: list[tuple[int, str]] = []
    in_fence = False
    for number, line in enumerate(text.splitlines(), 1):
        if _FENCE.match(line):
            in_fence = not in_fence
        heading = None if in_fence else _HEADING.match(line)
        if heading:
            if body or level:
                yield Block(level, title, start, body)
            level, title, start, body = (
                len(heading.group(1)),
                clean_inline(_heading_text(heading.group(2))),
                number,
                [],
            )
        else:
            body.append((number, line))
    if body or level:
        yield Block(level, title, start, body)


def _heading_text(rest: str) -> str:
    """'Title ##' -> 'Title': the optional closing #s, which follow a space. Done by
    string methods: a regex for it rescans a long run of '#' from every position."""
    text = rest.strip()
    bare = text.rstrip("#")
    if bare != text and (not bare or bare[-1] in " \t"):
        text = bare.rstrip()
    return text


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
