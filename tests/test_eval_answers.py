"""`ra eval answers FILE [--json]`: every question through the same code as `ra ask`,
refusals, facts found and valid citations per type, in the shape the README promises."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.answer_evaluation import fact_in_text
from assistant.library import Library
from tests.cli_runner import run_cli

QUESTIONS = [
    {
        "id": "a1",
        "type": "agenda",
        "question": "What are my future research directions?",
        "gold_titles": [],
        "gold_facts": ["mechanistic interpretability", "a fact nobody wrote"],
        "answerable": True,
    },
    {
        "id": "m1",
        "type": "metadata",
        "question": "Who are the authors of 'Machine Love', and where was it published?",
        "gold_titles": ["Machine Love"],
        "gold_facts": [],
        "answerable": False,
    },
    {
        "id": "u1",
        "type": "unanswerable",
        "question": "What is the boiling point of ethanol at sea level?",
        "gold_titles": [],
        "gold_facts": [],
    },
]


def test_facts_are_matched_from_a_word_start_folding_case_accents_and_hyphens() -> None:
    assert fact_in_text("Venkatesh Babu", "R. VENKATESH-BABU (2017)")
    assert fact_in_text("Pokémon", "pokemon go")
    assert not fact_in_text("Babu", "Ababu")


@pytest.fixture
def sample_env(sample_library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RA_DATA_DIR", str(sample_library.settings.data_dir))
    monkeypatch.setenv("RA_CORPUS", str(sample_library.settings.corpus))


@pytest.mark.slow
def test_eval_answers_json_reports_per_type_and_per_question(
    sample_env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(json.dumps(q) for q in QUESTIONS) + "\n")
    run = run_cli(capsys, "eval", "answers", str(path), "--json")
    assert run.code == 0, run.err
    report = run.json()
    assert set(report["by_type"]) == {"agenda", "metadata", "unanswerable"}
    assert set(report["by_type"]["agenda"]) == {"n", "refused", "fact_recall", "citations_valid"}
    assert report["unanswerable_refused"] == 1.0 and report["answerable_refused"] == 0.0
    assert report["fact_recall"] == 0.5  # one of the two facts of the one answered question
    assert report["by_type"]["agenda"]["citations_valid"] == 1.0
    rows = {r["id"]: r for r in report["per_question"]}
    assert rows["a1"]["facts_found"] == ["mechanistic interpretability"]
    assert rows["a1"]["grounded"] is True and rows["a1"]["citations"]
    assert set(rows["a1"]["citations"][0]) == {"paper_id", "title", "source"}
    assert rows["m1"]["refused"] and "gives no authors or venue" in rows["m1"]["answer"]
    # the table, for people
    table = run_cli(capsys, "eval", "answers", str(path))
    assert table.code == 0 and "unanswerable refused 100%" in " ".join(table.out.split())


def test_a_bad_line_is_one_sentence_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text('{"question": "fine"}\n{"no question": 1}\n')
    run = run_cli(capsys, "eval", "answers", str(path))
    assert run.code != 0
    assert f"{path}:2 is not an object with a 'question' string" in " ".join(run.err.split())
