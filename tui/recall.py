"""The questions typed in the chat, recalled with up and down as in a shell."""

from __future__ import annotations


class InputHistory:
    """What was typed, and where up/down has got to.

    >>> h = InputHistory(); h.add("a"); h.add("b")
    >>> h.step(-1), h.step(-1), h.step(-1), h.step(1), h.step(1)
    ('b', 'a', 'a', 'b', '')
    """

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.position = 0  # len(lines): past the newest, an empty input

    def add(self, line: str) -> None:
        """Remember a sent line; the next up recalls it."""
        self.lines.append(line)
        self.position = len(self.lines)

    def step(self, step: int) -> str:
        """Move by `step` (-1 older, 1 newer) and return the line there ('' past the newest)."""
        self.position = max(0, min(len(self.lines), self.position + step))
        return self.lines[self.position] if self.position < len(self.lines) else ""

    def __bool__(self) -> bool:
        return bool(self.lines)
