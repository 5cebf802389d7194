"""Offline answering on the dev sets: refusal rates and fact recall.

Run: .venv/bin/python benchmarks/bench_answers.py  (needs `ra index` of corpus/ in RA_DATA_DIR)

- refusal rate on answerable questions (dev_questions.jsonl): target at most 10%;
- refusal rate on unanswerable questions (dev_unanswerable.jsonl): target at least 90%;
- fact recall: the share of answered questions whose answer contains every fact
  string of the question (normalized like titles), and the share with at least one.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.ask import Asker, Done  # noqa: E402
from assistant.library import Library  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from retrieval.text import normalize_title  # noqa: E402

DATA = ROOT / "benchmarks" / "data"


def load(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text().splitlines() if line.strip()]


def main() -> None:
    library = Library(Settings())
    asker = Asker(library.searcher(), embeddings=library.embeddings)

    def answer(question: str):  # type: ignore[no-untyped-def]
        return next(e.answer for e in asker.ask(question) if isinstance(e, Done))

    answerable = load("dev_questions.jsonl")
    unanswerable = load("dev_unanswerable.jsonl")
    refused_ok = []
    all_facts = some_facts = with_facts = 0
    for q in answerable:
        a = answer(q["question"])
        if a.refused:
            refused_ok.append(q["id"])
            continue
        facts = q.get("facts", [])
        if facts:
            with_facts += 1
            text = normalize_title(a.text)
            hits = [normalize_title(f) in text for f in facts]
            all_facts += all(hits)
            some_facts += any(hits)
    refused_bad = [q["id"] for q in unanswerable if answer(q["question"]).refused]
    print(
        f"answerable refused: {len(refused_ok)}/{len(answerable)} ({len(refused_ok) / len(answerable):.0%}) {refused_ok}"
    )
    print(
        f"unanswerable refused: {len(refused_bad)}/{len(unanswerable)} ({len(refused_bad) / len(unanswerable):.0%})"
    )
    missed = [q["id"] for q in unanswerable if q["id"] not in refused_bad]
    print(f"  answered anyway: {missed}")
    print(
        f"fact recall on answered questions with facts: all facts {all_facts}/{with_facts} ({all_facts / max(with_facts, 1):.0%}), at least one {some_facts}/{with_facts} ({some_facts / max(with_facts, 1):.0%})"
    )


if __name__ == "__main__":
    main()
