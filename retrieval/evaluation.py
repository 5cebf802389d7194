"""Retrieval evaluation on the user's own questions: recall@1/5/10 and MRR, per type.

Input is JSON Lines, one object per question with `question` and `gold_titles`
(optionally `id` and `type`, and `gold_sections`: headings of profile or document
sections that answer it; other keys are ignored). A gold title is found at the
rank of the first hit whose paper title matches it after normalization; a question's
reciprocal rank and recall use every gold title (recall@k is the share of its gold
titles found in the top k).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field

from retrieval.errors import RetrievalError
from retrieval.hybrid import HybridSearcher, Mode
from retrieval.jsonl import QuestionRow, read_rows
from retrieval.text import normalize_title

CUTOFFS = (1, 5, 10)


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    question: str
    gold_titles: tuple[str, ...]
    gold_sections: tuple[str, ...] = ()


class _QuestionRow(QuestionRow):
    """One line of a retrieval question file."""

    gold_titles: list[str] = Field(default_factory=list)
    gold_sections: list[str] = Field(default_factory=list)


def read_questions(path: Path) -> tuple[list[Question], int]:
    """The questions of a JSONL file that name gold titles or sections, and how many
    did not (an unanswerable question, or one answered by prose: nothing to rank), so
    the answer evaluation's file serves this one too. A bad line is an error naming its
    line number; so is a file with no question to rank."""
    rows = read_rows(
        path,
        _QuestionRow,
        "an object with a 'question' string and a 'gold_titles' list",
        "questions",
    )
    questions = [
        Question(
            id=row.row_id(number),
            type=row.type,
            question=row.question,
            gold_titles=tuple(row.gold_titles),
            gold_sections=tuple(row.gold_sections),
        )
        for number, row in rows
        if row.gold_titles or row.gold_sections
    ]
    if not questions:
        raise RetrievalError(
            f"{path} holds no question with gold titles or sections: give each question "
            "the titles of the papers that answer it."
        )
    return questions, len(rows) - len(questions)


def load_questions(path: Path) -> list[Question]:
    """The questions of `read_questions` that can be ranked."""
    return read_questions(path)[0]


def gold_ranks(hit_titles: Sequence[str], gold_titles: Sequence[str]) -> list[int | None]:
    """The 1-based rank of each gold title among the hits, or None if absent.

    (['A', 'B: c'], ['b c', 'z']) -> [2, None]
    """
    normalized = [normalize_title(t) for t in hit_titles]
    ranks: list[int | None] = []
    for gold in gold_titles:
        target = normalize_title(gold)
        ranks.append(next((i for i, t in enumerate(normalized, 1) if t == target), None))
    return ranks


def section_ranks(
    hit_headings: Sequence[str | None], gold_sections: Sequence[str]
) -> list[int | None]:
    """The rank of the first section hit whose heading path includes each gold heading.

    (['Prior Work > Trustworthy ML', None], ['trustworthy ml']) -> [1]
    """
    parts = [
        {normalize_title(p) for p in h.split(" > ")} if h is not None else set()
        for h in hit_headings
    ]
    return [
        next((i for i, p in enumerate(parts, 1) if normalize_title(g) in p), None)
        for g in gold_sections
    ]


def _metrics(per_question: list[list[int | None]]) -> dict[str, Any]:
    n = len(per_question)
    out: dict[str, Any] = {"n": n}
    for cut in CUTOFFS:
        recalls = [
            sum(1 for r in ranks if r is not None and r <= cut) / len(ranks) if ranks else 0.0
            for ranks in per_question
        ]
        out[f"recall@{cut}"] = round(sum(recalls) / n, 4) if n else 0.0
    rr = [
        1.0 / min(r for r in ranks if r is not None) if any(ranks) else 0.0
        for ranks in per_question
    ]
    out["mrr"] = round(sum(rr) / n, 4) if n else 0.0
    return out


def evaluate(
    searcher: HybridSearcher, questions: Sequence[Question], modes: Sequence[Mode], k: int = 10
) -> dict[str, Any]:
    """{"modes": {mode: {n, recall@1, recall@5, recall@10, mrr, by_type, per_question}}}"""
    depth = max(k, max(CUTOFFS))
    results: dict[str, Any] = {}
    for mode in modes:
        hits = searcher.search_many([q.question for q in questions], k=depth, mode=mode)
        per_q = [
            gold_ranks([h.title for h in hs], q.gold_titles)
            + section_ranks([None if h.paper else h.chunk.title for h in hs], q.gold_sections)
            for q, hs in zip(questions, hits, strict=True)
        ]
        by_type: dict[str, list[list[int | None]]] = defaultdict(list)
        for q, ranks in zip(questions, per_q, strict=True):
            by_type[q.type].append(ranks)
        summary = _metrics(per_q)
        summary["by_type"] = {t: _metrics(r) for t, r in sorted(by_type.items())}
        summary["per_question"] = [
            {"id": q.id, "ranks": r} for q, r in zip(questions, per_q, strict=True)
        ]
        results[mode] = summary
    return {"modes": results}
