"""Offline answers from a list section: 'Which talks have I given?' is answered by the
section headed 'Talks', quoted entry by entry, not by its two best sentences.

A profile or document section whose heading names a rare term of the question is
about what is asked (assistant/answerable.py refuses nothing it answers). When such a
section is a list (CV entries, talks, students), the question usually wants the list:
each entry is one quote. Entries are the section's '- ' items with their continuation
lines, or, in a section without markers, its lines joined where a line ends in a
comma (an entry's heading line, 'Research Intern, Company,', goes on below).
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.extractive import RARE_DF, Vocabulary
from retrieval.terms import stem, terms

# At most this many entries are quoted: a long list is cut, the source is cited.
MAX_ENTRIES = 16
MIN_ENTRIES = 2
# Entries longer than this, at the median, are paragraphs: a prose section is no list.
MAX_ENTRY_CHARS = 300
_MARKER = "- "


def heading_of(passage: str) -> str:
    """The last part of the section path a chunk opens with ('Suraj Srinivas > Teaching'
    -> 'Teaching'), or '' for a chunk that is not a section."""
    first = passage.split("\n", 1)[0]
    return first.rsplit(" > ", 1)[1] if " > " in first else ""


def answering_section(question: str, passages: Sequence[str], vocab: Vocabulary) -> int | None:
    """The index of the first retrieved passage that is a list section whose heading
    names a rare term of the question, or None (the section need not rank first: a
    long list sits far from any one question in embedding space)."""
    # The asking words count here: 'Which talks ...?' asks for the section 'Talks'.
    wanted = [t for t in terms(question) if t not in {stem(w) for w in vocab.source_words}]
    rare = {t for t in wanted if 1 <= vocab.df.get(t, 0) <= RARE_DF}
    if not rare:
        return None
    for i, passage in enumerate(passages):
        heading = heading_of(passage)
        if heading and rare & set(terms(heading)) and _is_list(entries(passage)):
            return i
    return None


def entries(passage: str) -> list[str]:
    """The entries of a section chunk (its first line, the section path, left out):
    '- Jul 2022 Talk title\\nPlace' -> ['Jul 2022 Talk title, Place']."""
    lines = [ln.strip() for ln in passage.split("\n")[1:] if ln.strip()]
    out: list[str] = []
    marked = any(ln.startswith(_MARKER) for ln in lines)
    for line in lines:
        starts = line.startswith(_MARKER) if marked else not (out and out[-1].endswith(","))
        if starts or not out:
            out.append(line.removeprefix(_MARKER).strip())
        else:
            joiner = " " if out[-1].endswith(",") else ", "
            out[-1] = f"{out[-1].rstrip('.')}{joiner}{line}"
    return [e for e in out if e][:MAX_ENTRIES]


def _is_list(items: list[str]) -> bool:
    lengths = sorted(len(e) for e in items)
    return len(items) >= MIN_ENTRIES and lengths[len(lengths) // 2] <= MAX_ENTRY_CHARS
