"""The development question sets are well formed and every label is true to the corpus:
each gold title is a paper of the catalog, each gold section a heading, each fact a
string that really occurs in the corpus text."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from retrieval.catalog import Catalog, build_catalog
from retrieval.text import normalize_title

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
MINIMUMS = {"lookup": 35, "metadata": 12, "agenda": 12, "topic_list": 12, "cross_doc": 10}


def _load(name: str) -> list[dict]:
    return [
        json.loads(line)
        for line in (DATA / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return build_catalog([ROOT / "corpus"])


def test_questions_are_well_formed_and_cover_every_type() -> None:
    questions = _load("dev_questions.jsonl")
    assert len(questions) >= 80
    assert len({q["id"] for q in questions}) == len(questions)
    counts = Counter(q["type"] for q in questions)
    for kind, minimum in MINIMUMS.items():
        assert counts[kind] >= minimum, kind
    for q in questions:
        assert isinstance(q["question"], str) and q["question"].strip()
        assert q["gold_titles"] or q.get("gold_sections"), q["id"]


def test_every_gold_title_and_section_is_in_the_catalog(catalog: Catalog) -> None:
    titles = {normalize_title(p.title) for p in catalog.papers}
    headings = {normalize_title(part) for s in catalog.sections for part in s.heading_path}
    for q in _load("dev_questions.jsonl"):
        for title in q["gold_titles"]:
            assert normalize_title(title) in titles, (q["id"], title)
        for section in q.get("gold_sections", []):
            assert normalize_title(section) in headings, (q["id"], section)


def test_every_fact_occurs_in_the_corpus() -> None:
    text = normalize_title(
        " ".join(p.read_text(encoding="utf-8") for p in (ROOT / "corpus").iterdir())
    )
    for q in _load("dev_questions.jsonl"):
        for fact in q.get("facts", []):
            assert normalize_title(fact) in text, (q["id"], fact)


def test_unanswerable_questions_are_well_formed() -> None:
    questions = _load("dev_unanswerable.jsonl")
    assert len(questions) >= 30
    assert len({q["id"] for q in questions}) == len(questions)
    assert all(q["type"] == "unanswerable" and q["question"].strip() for q in questions)


def test_the_answer_splits_partition_the_dev_questions() -> None:
    """answers_tune.jsonl and answers_test.jsonl (benchmarks/split_answers.py) hold every
    dev question exactly once, every 4th of each file in the test split."""
    tune = {q["id"] for q in _load("answers_tune.jsonl")}
    test = {q["id"] for q in _load("answers_test.jsonl")}
    assert not tune & test
    for name in ("dev_questions.jsonl", "dev_unanswerable.jsonl"):
        rows = _load(name)
        assert {q["id"] for i, q in enumerate(rows) if i % 4 == 3} <= test
        assert {q["id"] for i, q in enumerate(rows) if i % 4 != 3} <= tune
    assert len(tune) + len(test) == len(_load("dev_questions.jsonl")) + len(
        _load("dev_unanswerable.jsonl")
    )
