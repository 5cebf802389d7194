"""How an answer and its references read, as Markdown: the one renderer that the CLI,
the TUI and the history transcript share.

Pure functions over plain records, so every front end shows the same reference line
and the same answer body. What it simplifies on purpose: a record known only by its
title and place (a history citation, a passage of the user's profile) gets the short
form 'Title [file:line]'; a catalog paper gets the long form with authors, year, venue.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from assistant.citations import highlight_citations

if TYPE_CHECKING:  # for annotations only: answers.py imports this module
    from assistant.answers import Answer, NumberedSource
    from retrieval.records import Paper

TRUNCATED_NOTE = "Truncated: the model stopped before the answer was finished. Type /continue."
MAX_AUTHORS = 4


def reference_line(
    title: str,
    location: str = "",
    *,
    authors: Sequence[str] = (),
    year: int | None = None,
    venue: str | None = None,
) -> str:
    """One reference, the same everywhere.

    'Ada Lovelace, Alan Turing (2020). On engines. *Nature*. [cv.md:70]' with metadata;
    'On engines [cv.md:70]' with a title alone.
    """
    names = ", ".join(authors[:MAX_AUTHORS]) + (" et al." if len(authors) > MAX_AUTHORS else "")
    head = f"{names} ({year})" if names and year else names or (f"({year})" if year else "")
    parts = [p for p in (head, title, f"*{venue}*" if venue else "") if p]
    where = f" [{location}]" if location else ""
    if len(parts) == 1:  # only a title: no sentence to close
        return parts[0] + where
    return " ".join(p if p.endswith(".") else p + "." for p in parts) + where


def byline(paper: Paper | None) -> str:
    """' (Ada Lovelace, Alan Turing, 2020)' after a paper's title in an answer; '' for a
    passage that is no paper, or a paper the corpus gives neither authors nor year."""
    if paper is None:
        return ""
    names = ", ".join(paper.authors[:MAX_AUTHORS])
    names += " et al." if len(paper.authors) > MAX_AUTHORS else ""
    parts = [p for p in (names, str(paper.year) if paper.year else "") if p]
    return f" ({', '.join(parts)})" if parts else ""


def paper_reference(paper: Paper, location: str | None = None) -> str:
    """A catalog paper's reference line, placed at `location` or its first source."""
    if location is None:
        location = paper.sources[0].short() if paper.sources else ""
    return reference_line(
        paper.title, location, authors=paper.authors, year=paper.year, venue=paper.venue
    )


def source_reference(source: NumberedSource) -> str:
    """The reference line of an answer's source: its paper, or the passage's owner."""
    paper = source.hit.paper
    if paper is not None:
        return paper_reference(paper, source.location)
    chunk = source.hit.chunk
    return reference_line(chunk.title, source.location, authors=chunk.authors[:1])


def references_block(lines: Iterable[tuple[int | None, str]]) -> str:
    """'**References**' and one '- [n] line' each; empty when there is none."""
    rows = [f"- [{n}] {line}" if n is not None else f"- {line}" for n, line in lines]
    return "**References**\n\n" + "\n".join(rows) if rows else ""


def answer_references(answer: Answer) -> str:
    """The references of the citations the answer kept, numbered as in its text."""
    return references_block((c.n, source_reference(c.source)) for c in answer.citations)


def closest_matches(answer: Answer, limit: int = 5) -> str:
    """For a refusal: the closest records found, so the user sees what was searched."""
    rows = [f"- {reference_line(s.title, s.location)}" for s in answer.sources[:limit]]
    return "**Closest matches in your corpus**\n\n" + "\n".join(rows) if rows else ""


def answer_sources(answer: Answer) -> str:
    """What follows an answer's text: its references, or for a refusal what was searched
    and the closest matches."""
    if answer.refused:
        return f"Searched for: “{answer.searched}”.\n\n" + closest_matches(answer)
    references = answer_references(answer)
    # a question read otherwise than typed (a slip respelled, a follow-up made whole)
    if answer.standalone_question:
        return f"Read as: “{answer.standalone_question}”.\n\n{references}".strip()
    return references


def answer_body(answer: Answer, *, highlight: bool = False) -> str:
    """The answer's text and what follows it; `highlight` bolds its [n] markers."""
    text = highlight_citations(answer.text) if highlight else answer.text
    tail = answer_sources(answer)
    return f"{text}\n\n{tail}" if tail else text


def answer_markdown(answer: Answer, *, highlight: bool = True) -> str:
    """An answer as a chat message: its body, a note when the model cut it short, and the
    quoted answer from the corpus offered beside an answer that cites nothing."""
    parts = [highlight_citations(answer.text) if highlight else answer.text]
    if answer.truncated:
        parts.append(f"*{TRUNCATED_NOTE}*")
    tail = answer_sources(answer)
    if tail:
        parts.append(tail)
    if answer.fallback is not None:
        parts += ["---", "**Quoted from your corpus instead**"]
        parts.append(answer_body(answer.fallback, highlight=highlight))
    return "\n\n".join(parts)


def answer_document(answer: Answer) -> str:
    """An answer as a file: the question as its title, then its body."""
    return f"# {answer.question}\n\n{answer_body(answer).rstrip()}\n"
