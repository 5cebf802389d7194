"""Offline answers on the dev sets, through `ra eval answers`' code (assistant/answer_evaluation.py).

Run: .venv/bin/python benchmarks/bench_answers.py  (needs `ra index` of corpus/ in RA_DATA_DIR)

Four files, reported apart: ../shared/devsets/questions.jsonl (the shared dev set),
benchmarks/data/answers_tune.jsonl (our tuning split), answers_fresh.jsonl (47 questions
written in the third round from the corpus alone: near misses, measured before any change
of that round, then tuned on) and answers_test.jsonl (our test split, never looked at
while tuning), answers_fresh2/3 (written blind, to tune on) and answers_blind.jsonl (60
questions written by a session that never saw the code; never tuned on). For each: unanswerable refused (aim >= 0.9),
answerable refused (aim <= 0.1), fact recall in the answers given (aim >= 0.85) and the
share of valid citations, then the same per question type.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.answer_evaluation import evaluate_answers, load_answer_questions  # noqa: E402
from assistant.ask import Asker  # noqa: E402
from assistant.library import Library  # noqa: E402
from assistant.settings import Settings  # noqa: E402

FILES = {
    "shared dev": ROOT.parent / "shared" / "devsets" / "questions.jsonl",
    "own tuning split": ROOT / "benchmarks" / "data" / "answers_tune.jsonl",
    "fresh set": ROOT / "benchmarks" / "data" / "answers_fresh.jsonl",
    "fresh2": ROOT / "benchmarks" / "data" / "answers_fresh2.jsonl",
    "fresh3": ROOT / "benchmarks" / "data" / "answers_fresh3.jsonl",
    "fresh3 extra unanswerable": ROOT / "benchmarks" / "data" / "answers_fresh3_unanswerable.jsonl",
    "fresh4": ROOT / "benchmarks" / "data" / "answers_fresh4.jsonl",
    "fresh4 extra unanswerable": ROOT / "benchmarks" / "data" / "answers_fresh4_unanswerable.jsonl",
    "fresh5": ROOT / "benchmarks" / "data" / "answers_fresh5.jsonl",
    "agenda set": ROOT / "benchmarks" / "data" / "answers_agenda.jsonl",
    "own test split": ROOT / "benchmarks" / "data" / "answers_test.jsonl",
    "blind set": ROOT / "benchmarks" / "data" / "answers_blind.jsonl",
    "blind2": ROOT / "benchmarks" / "data" / "answers_blind2.jsonl",
    "blind2 extra unanswerable": ROOT / "benchmarks" / "data" / "answers_blind2_unanswerable.jsonl",
}


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def main() -> None:
    library = Library(Settings())
    asker = Asker(library.searcher(), embeddings=library.embeddings)

    def answer(question: str):  # type: ignore[no-untyped-def]
        return asker.answer(question)

    for name, path in FILES.items():
        if not path.exists():
            print(f"{name}: {path} missing, skipped")
            continue
        report = evaluate_answers(load_answer_questions(path), answer)
        print(
            f"{name} ({report['n']} questions): unanswerable refused "
            f"{_fmt(report['unanswerable_refused'])}, answerable refused "
            f"{_fmt(report['answerable_refused'])}, fact recall {_fmt(report['fact_recall'])}, "
            f"citations valid {_fmt(report['citations_valid'])}"
        )
        for kind, row in report["by_type"].items():
            print(
                f"  {kind:<15} n={row['n']:<3} refused {_fmt(row['refused'])}  "
                f"fact recall {_fmt(row['fact_recall'])}  citations valid "
                f"{_fmt(row['citations_valid'])}"
            )


if __name__ == "__main__":
    main()
