"""Every prompt the LLM sees, as text files beside this module, and the one loader.

Prompts use Python format fields (`{question}`); a literal brace is written doubled
(`{{` and `}}`), as in `str.format`. Retrieved passages reach a prompt only through
`format_sources`, which fences each one as data that the passage itself cannot close.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent


class PromptError(Exception):
    """A prompt is missing, or was formatted without one of its variables."""


@dataclass(frozen=True)
class Prompt:
    name: str
    text: str

    @property
    def variables(self) -> frozenset[str]:
        return frozenset(field for _, field, _, _ in string.Formatter().parse(self.text) if field)

    def format(self, **values: object) -> str:
        missing = self.variables - values.keys()
        if missing:
            raise PromptError(f"Prompt '{self.name}' needs {', '.join(sorted(missing))}.")
        return self.text.format(**values)


@cache
def load_prompt(name: str) -> Prompt:
    """The prompt in `prompts/NAME.txt`."""
    path = HERE / f"{name}.txt"
    try:
        return Prompt(name, path.read_text(encoding="utf-8").strip() + "\n")
    except OSError:
        raise PromptError(f"There is no prompt named '{name}' in {HERE}.") from None


@dataclass(frozen=True)
class SourcePassage:
    """One numbered source as the model sees it."""

    n: int
    title: str
    authors: str
    year: int | None
    text: str


def _fence(n: int) -> tuple[str, str]:
    return f"<<<SOURCE {n}>>>", f"<<<END SOURCE {n}>>>"


def format_sources(passages: Sequence[SourcePassage]) -> str:
    """Numbered passages, each fenced; fence markers inside a passage are removed.

    [SourcePassage(1, 'T', 'A', 2020, 'text')] ->
    '<<<SOURCE 1>>>\\nTitle: T\\nAuthors: A\\nYear: 2020\\n\\ntext\\n<<<END SOURCE 1>>>'
    """
    blocks = []
    for p in passages:
        start, end = _fence(p.n)
        text = p.text.replace("<<<", "‹‹‹").replace(">>>", "›››")
        header = [f"Title: {p.title}"]
        if p.authors:
            header.append(f"Authors: {p.authors}")
        if p.year:
            header.append(f"Year: {p.year}")
        blocks.append("\n".join([start, *header, "", text.strip(), end]))
    return "\n\n".join(blocks)
