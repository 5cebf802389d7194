"""Time parsing the whole sample corpus into a catalog (target: under 1 s).

Run: .venv/bin/python benchmarks/bench_catalog.py
Prints the median and best of several runs, and the counts, so the figure can be
checked against the same corpus it was measured on.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from retrieval.catalog import build_catalog  # noqa: E402

RUNS = 7


def main() -> None:
    corpus = ROOT / "corpus"
    times = []
    catalog = None
    for _ in range(RUNS):
        start = time.perf_counter()
        catalog = build_catalog([corpus])
        times.append(time.perf_counter() - start)
    assert catalog is not None
    print(
        f"catalog: {len(catalog.papers)} papers, {len(catalog.sections)} sections from "
        f"{len(catalog.files)} files; median {statistics.median(times) * 1000:.0f} ms, "
        f"best {min(times) * 1000:.0f} ms over {RUNS} runs (target < 1000 ms)"
    )


if __name__ == "__main__":
    main()
