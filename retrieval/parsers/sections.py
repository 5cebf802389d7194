"""Building document sections under a stack of headings: shared by the Markdown and
plain-text parsers, which differ only in how they recognise a heading.

Lines go into the body of the current heading; opening a heading packs that body
into sections of at most `limit` characters (the first piece keeps the heading's
line) and pops the path back to the new heading's level.
"""

from __future__ import annotations

from pathlib import Path

from retrieval.records import Section, Source
from retrieval.text import pack_lines


class SectionBuilder:
    """Collects (line number, text) lines and emits `Section`s with heading paths.

    b = SectionBuilder('notes.md', 2000); b.add(1, 'Intro'); b.open_heading(1, 'Methods', 2)
    b.add(3, 'We prune.'); b.finish() ->
    [Section(('notes',), 'Intro', line 1), Section(('Methods',), 'We prune.', line 2)]
    """

    def __init__(self, file: str, limit: int) -> None:
        self.file = file
        self.stem = Path(file).stem or file
        self.limit = limit
        self.body: list[tuple[int, str]] = []
        self.sections: list[Section] = []
        self.path: list[tuple[int, str]] = []  # (level, title), outermost first
        self.heading_line = 0  # 0 while in the text before the first heading

    def add(self, line: int, text: str) -> None:
        self.body.append((line, text))

    def open_heading(self, level: int, title: str, line: int) -> None:
        """End the current section and start one under `title` at `level`."""
        self._flush()
        while self.path and self.path[-1][0] >= level:
            self.path.pop()
        self.path.append((level, title))
        self.heading_line = line

    def finish(self) -> list[Section]:
        self._flush()
        return self.sections

    def _flush(self) -> None:
        heading = tuple(title for _, title in self.path) or (self.stem,)
        for n, (line, piece) in enumerate(pack_lines(self.body, self.limit)):
            start = self.heading_line if n == 0 and self.heading_line else line
            self.sections.append(Section(heading, piece, Source(self.file, start)))
        self.body.clear()
