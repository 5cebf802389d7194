"""Evaluation of answers on the user's own questions: refusals, facts found, valid citations.

Input is JSON Lines in the format of the shared dev set: `id`, `type`, `question`,
`gold_titles`, `gold_facts` (or `facts`), `answerable` (default: true unless the type
is 'unanswerable'). Every question goes through the same `Asker` as `ra ask`.

- refusal rate: per type, and over answerable and unanswerable questions apart;
- fact recall: over the answerable questions that were answered, the share of their
  gold facts the user sees (the answer and its rendered references), matched like the
  dev set's checker: case- and accent-folded, hyphens as spaces, from a word start;
- citations valid: the share of citation markers that survived the check (name a
  retrieved source) and whose sentence is supported by that source (`[n?]` is not).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field, field_validator

from assistant.answers import Answer
from retrieval.jsonl import QuestionRow, read_rows


@dataclass(frozen=True)
class AnswerQuestion:
    """One question of an answer evaluation file."""

    id: str
    type: str
    question: str
    gold_titles: tuple[str, ...]
    gold_facts: tuple[str, ...]
    answerable: bool


class _AnswerRow(QuestionRow):
    """One line of an answer question file: a question that is not blank."""

    gold_facts: list[str] | None = None
    facts: list[str] = Field(default_factory=list)  # an older name for gold_facts
    answerable: bool | None = None

    @field_validator("question")
    @classmethod
    def _not_blank(cls, text: str) -> str:
        if not text.strip():
            raise ValueError("the question is empty")
        return text


def load_answer_questions(path: Path) -> list[AnswerQuestion]:
    """Parse a JSONL question file; a bad line is an error naming its line number."""
    rows = read_rows(
        path,
        _AnswerRow,
        "an object with a 'question' string (and list 'gold_facts' / 'gold_titles' if given)",
        "questions",
    )
    return [
        AnswerQuestion(
            id=row.row_id(number),
            type=row.type,
            question=row.question,
            gold_titles=tuple(row.gold_titles),
            gold_facts=tuple(row.gold_facts if row.gold_facts is not None else row.facts),
            answerable=row.answerable if row.answerable is not None else row.type != "unanswerable",
        )
        for number, row in rows
    ]


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[\u2010-\u2015\-]", " ", text)
    return re.sub(r"\s+", " ", text).strip().casefold()


def fact_in_text(fact: str, text: str) -> bool:
    """'Donoho' in '... D. L. Donoho (2020)': folded, from a word start."""
    return re.search(r"(?<![0-9a-z])" + re.escape(_fold(fact)), _fold(text)) is not None


def citation_counts(answer: Answer) -> tuple[int, int]:
    """(valid, total) citation markers of one answer: removed and weak ones are not valid."""
    weak = sum(1 for c in answer.citations if c.weak)
    total = len(answer.citations) + len(answer.removed_citations)
    return len(answer.citations) - weak, total


@dataclass
class _Tally:
    n: int = 0
    refused: int = 0
    facts_found: float = 0.0
    with_facts: int = 0
    valid: int = 0
    cited: int = 0

    def row(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "refused": round(self.refused / self.n, 4) if self.n else 0.0,
            "fact_recall": round(self.facts_found / self.with_facts, 4)
            if self.with_facts
            else None,
            "citations_valid": round(self.valid / self.cited, 4) if self.cited else None,
        }


def evaluate_answers(
    questions: Sequence[AnswerQuestion],
    answer: Callable[[str], Answer],
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Run every question through `answer` and report as `ra eval answers --json` promises."""
    by_type: dict[str, _Tally] = defaultdict(_Tally)
    overall = _Tally()
    unanswerable = _Tally()
    answerable = _Tally()
    per_question = []
    for i, q in enumerate(questions, 1):
        a = answer(q.question)
        shown = a.text + "\n" + a.references_markdown()
        found = [f for f in q.gold_facts if fact_in_text(f, shown)]
        valid, cited = citation_counts(a)
        for tally in (by_type[q.type], overall, answerable if q.answerable else unanswerable):
            tally.n += 1
            tally.refused += a.refused
            tally.valid += valid
            tally.cited += cited
            if q.answerable and not a.refused and q.gold_facts:
                tally.with_facts += 1
                tally.facts_found += len(found) / len(q.gold_facts)
        per_question.append(
            {
                "id": q.id,
                "type": q.type,
                "answer": a.text,
                "refused": a.refused,
                "grounded": a.grounded,
                "facts_found": found,
                "citations": [
                    {
                        "paper_id": c.source.paper_id,
                        "title": c.source.title,
                        "source": c.source.location,
                    }
                    for c in a.citations
                ],
            }
        )
        if progress:
            progress(i)
    return {
        "by_type": {t: tally.row() for t, tally in sorted(by_type.items())},
        "unanswerable_refused": unanswerable.row()["refused"] if unanswerable.n else None,
        "answerable_refused": answerable.row()["refused"] if answerable.n else None,
        "fact_recall": overall.row()["fact_recall"],
        "citations_valid": overall.row()["citations_valid"],
        "n": overall.n,
        "per_question": per_question,
    }
