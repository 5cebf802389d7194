"""The one renderer of answers and reference lines, shared by the CLI, the TUI and the
history transcript: a table of reference forms, and an answer rendered each way."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from assistant import render
from assistant.answers import Answer, Citation, NumberedSource
from assistant.history_records import SavedTurn, SessionInfo
from assistant.transcript import session_markdown
from retrieval.hybrid import Hit
from retrieval.records import Chunk, Paper, Source

PAPER = Paper(
    title="Low-rank bottleneck in multi-head attention models",
    authors=(
        "Srinadh Bhojanapalli",
        "Chulhee Yun",
        "Ankit Singh Rawat",
        "Sashank Reddi",
        "Sanjiv Kumar",
    ),
    year=2020,
    venue="ICML",
    sources=(Source("google-research-bhojanapalli.txt", 12),),
)


@pytest.mark.parametrize(
    ("kwargs", "line"),
    [
        (
            {
                "title": "On engines",
                "location": "cv.md:70",
                "authors": ("Ada", "Alan"),
                "year": 2020,
                "venue": "Nature",
            },
            "Ada, Alan (2020). On engines. *Nature*. [cv.md:70]",
        ),
        ({"title": "On engines", "location": "cv.md:70"}, "On engines [cv.md:70]"),
        ({"title": "On engines"}, "On engines"),
        ({"title": "On engines", "year": 2021}, "(2021). On engines."),
        (
            {"title": "On engines", "authors": ("A", "B", "C", "D", "E")},
            "A, B, C, D et al. On engines.",
        ),
    ],
)
def test_reference_line_forms(kwargs: dict, line: str) -> None:
    assert render.reference_line(**kwargs) == line


def test_the_byline_after_a_title_in_an_answer() -> None:
    many = Paper("T", authors=("A One", "B Two", "C Three", "D Four", "E Five"), year=2019)
    assert render.byline(many) == " (A One, B Two, C Three, D Four et al., 2019)"
    assert render.byline(Paper("T", year=2023)) == " (2023)"
    assert render.byline(Paper("T")) == ""
    assert render.byline(None) == ""


def test_a_paper_is_placed_at_its_first_source_unless_told() -> None:
    assert render.paper_reference(PAPER).endswith(". *ICML*. [google-research-bhojanapalli.txt:12]")
    assert render.paper_reference(PAPER, "elsewhere.md:3").endswith("[elsewhere.md:3]")
    assert " et al." in render.paper_reference(PAPER)  # five authors: four, then et al.


def _source(n: int, paper: Paper | None, title: str = "") -> NumberedSource:
    chunk = Chunk(
        id=f"c{n}",
        text="text",
        kind="paper" if paper else "profile",
        file="research-statement.md",
        line=5,
        title=title or (paper.title if paper else ""),
        paper_id=paper.id if paper else None,
        authors=("Suraj Srinivas",) if paper is None else (),
    )
    return NumberedSource(n, Hit(chunk, 1.0, paper, 1, 1))


def _answer(**fields: Any) -> Answer:
    sources = [_source(1, PAPER), _source(2, None, "Research statement: agenda")]
    base: dict[str, Any] = {
        "question": "What limits attention?",
        "text": "Low-rank heads limit attention [1]. My agenda is robustness [2?].",
        "mode": "llm",
        "refused": False,
        "sources": sources,
        "citations": [Citation(1, sources[0], 0.8), Citation(2, sources[1], 0.2, weak=True)],
    }
    return Answer(**(base | fields))


def test_an_answer_reads_the_same_in_the_chat_and_as_a_document() -> None:
    answer = _answer()
    chat = render.answer_markdown(answer)
    document = render.answer_document(answer)
    assert chat.startswith("Low-rank heads limit attention **[1]**.")
    assert "**[2?]** ⚠" in chat
    assert document.startswith("# What limits attention?\n\nLow-rank heads limit attention [1].")
    references = render.answer_references(answer)
    assert references in chat and references in document
    assert references.splitlines()[2:] == [
        "- [1] " + render.paper_reference(PAPER),
        "- [2] Suraj Srinivas. Research statement: agenda. [research-statement.md:5]",
    ]
    assert answer.to_markdown() == document and answer.references_markdown() == references


def test_a_cut_answer_says_so_and_an_ungrounded_one_offers_the_quoted_answer() -> None:
    quoted = _answer(mode="extractive", text="From your corpus: heads are low rank [1].")
    answer = _answer(
        text="Attention is limited.", citations=[], finish_reason="length", fallback=quoted
    )
    chat = render.answer_markdown(answer)
    assert f"*{render.TRUNCATED_NOTE}*" in chat
    head, _, tail = chat.partition("**Quoted from your corpus instead**")
    assert "References" not in head  # the answer kept no citation
    assert tail.strip().startswith("From your corpus: heads are low rank **[1]**.")
    assert render.answer_references(quoted) in tail
    assert render.TRUNCATED_NOTE not in render.answer_markdown(_answer())


def test_a_refusal_shows_what_was_searched_and_the_closest_matches() -> None:
    answer = _answer(refused=True, citations=[], searched="attention limits", text="Not found.")
    sources = render.answer_sources(answer)
    assert sources.startswith("Searched for: “attention limits”.")
    assert f"- {PAPER.title} [google-research-bhojanapalli.txt:12]" in sources
    assert "References" not in render.answer_document(answer)
    assert answer.closest_markdown() in render.answer_document(answer)


def test_the_history_transcript_uses_the_same_reference_line() -> None:
    answer = _answer()
    stamp = datetime(2026, 1, 2, 3, 4, tzinfo=UTC).isoformat()
    info = SessionInfo(id="s", title="Attention", created=stamp, updated=stamp, turns=1)
    turn = SavedTurn(
        id=1,
        session_id="s",
        question=answer.question,
        answer=answer.text,
        status="complete",
        mode="llm",
        refused=False,
        citations=[c.to_json() for c in answer.citations],
    )
    transcript = session_markdown(info, [turn])
    # The history keeps a title and a place per citation: the short form of the same line.
    title_only = render.reference_line(PAPER.title, "google-research-bhojanapalli.txt:12")
    assert f"- [1] {title_only}" in transcript
    assert "**References**" in transcript


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        ("A [1]. B [2?].", "A **[1]**. B **[2?]** ⚠."),
        ("Both [1, 3].", "Both **[1, 3]**."),
        ("code `x[1]` and ```\nx[2]\n``` stay", "code `x[1]` and ```\nx[2]\n``` stay"),
        ("a link [1](http://x) is not a citation", "a link [1](http://x) is not a citation"),
    ],
)
def test_highlight_citations(text: str, marked: str) -> None:
    assert render.highlight_citations(text) == marked
