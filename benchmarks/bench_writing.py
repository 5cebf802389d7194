"""Reading lists and related-work drafts on the dev requests: expected papers included,
off-topic papers cited.

Run: .venv/bin/python benchmarks/bench_writing.py  (needs `ra index` of corpus/ in RA_DATA_DIR)

Requests and their expected papers are in benchmarks/data/writing_dev.jsonl (bibkeys of
the sample corpus, chosen by hand: the papers a researcher would expect on the topic,
and 'off_topic' traps that share its words but not its meaning). Offline mode.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.library import Library  # noqa: E402
from assistant.reading_list import ReadingLister  # noqa: E402
from assistant.related_work import Drafter, cite_keys  # noqa: E402
from assistant.settings import Settings  # noqa: E402

DATA = ROOT / "benchmarks" / "data" / "writing_dev.jsonl"


def main() -> None:
    library = Library(Settings())
    searcher = library.searcher()
    profile = library.profile(searcher.catalog)
    lister = ReadingLister(searcher, profile)
    drafter = Drafter(searcher, profile, embeddings=library.embeddings)
    requests = [json.loads(line) for line in DATA.read_text().splitlines() if line.strip()]
    totals: dict[str, list[int]] = {"reading-list": [0, 0, 0, 0], "related-work": [0, 0, 0, 0]}
    print(f"{'id':4} {'task':13} {'topic':28} {'expected':>9} {'off-topic':>9} {'papers':>6}")
    for req in requests:
        if req["task"] == "reading-list":
            keys = {p.bibkey for p in lister.build(req["topic"], n=12).papers}
        else:
            draft = drafter.draft(topic=req["topic"], paragraphs=2)
            keys = set(cite_keys("\n".join(draft.paragraphs)))
        found = len(keys & set(req["expected"]))
        off = len(keys & set(req["off_topic"]))
        t = totals[req["task"]]
        t[0] += found
        t[1] += len(req["expected"])
        t[2] += off
        t[3] += len(keys)
        print(
            f"{req['id']:4} {req['task']:13} {req['topic'][:28]:28} "
            f"{found:>4}/{len(req['expected']):<4} {off:>9} {len(keys):>6}"
        )
    for task, (found, expected, off, n) in totals.items():
        print(
            f"{task}: expected papers included {found}/{expected} ({found / expected:.0%}), "
            f"off-topic citations {off}, papers listed {n}"
        )


if __name__ == "__main__":
    main()
