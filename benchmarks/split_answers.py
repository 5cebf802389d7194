"""Write the answer dev set's tuning and test splits from the hand-written question files.

Run: .venv/bin/python benchmarks/split_answers.py

Every 4th question of dev_questions.jsonl and of dev_unanswerable.jsonl (by position)
goes to answers_test.jsonl, which is never looked at while tuning; the rest to
answers_tune.jsonl. Both are in the format `ra eval answers` reads.
"""

from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def main() -> None:
    tune: list[dict] = []
    test: list[dict] = []
    for name in ("dev_questions.jsonl", "dev_unanswerable.jsonl"):
        rows = [json.loads(x) for x in (DATA / name).read_text().splitlines() if x.strip()]
        for i, row in enumerate(rows):
            row["answerable"] = row.get("type") != "unanswerable"
            row["gold_facts"] = row.pop("facts", [])
            (test if i % 4 == 3 else tune).append(row)
    for name, rows in (("answers_tune.jsonl", tune), ("answers_test.jsonl", test)):
        lines = [json.dumps(r, ensure_ascii=False) for r in rows]
        (DATA / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{name}: {len(rows)} questions")


if __name__ == "__main__":
    main()
