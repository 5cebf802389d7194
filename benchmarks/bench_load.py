"""Load: 200 questions answered back to back in one chat session, memory recorded.

Run: RA_DATA_DIR=<an index of corpus/> .venv/bin/python benchmarks/bench_load.py

The real ChatOpenAI client streams from the local OpenAI-compatible test server
(tests/fake_openai.py) on 127.0.0.1; retrieval uses the real index and embedding
model. Prints the resident set size (VmRSS) after 10 warm-up questions and after all
200, and checks that every turn is in the history, complete.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.ask import Done  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from assistant.workspace import Workspace  # noqa: E402
from tests.fake_openai import serve_fake_openai  # noqa: E402

QUESTIONS = [
    "Does label smoothing mitigate label noise?",
    "What limits multi-head attention?",
    "What are my future research directions?",
    "Which papers study grokking?",
    "How sparse are MLP activations in transformers?",
]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    with serve_fake_openai() as server:
        history = Path(tempfile.mkdtemp()) / "history"
        os.environ["RA_LLM_BASE_URL"] = server.base_url
        os.environ["OPENAI_API_KEY"] = "sk-bench"
        settings = Settings()
        workspace = Workspace(settings)
        workspace.library.__dict__["history"] = _history(history)
        workspace.prepare()
        session = workspace.session()
        answered = 0
        started = time.perf_counter()
        for i in range(200):
            if i == 10:
                start_rss = rss_mb()
            server.enqueue(f"Answer {i}: the corpus says so [1].")
            events = list(session.ask(f"{QUESTIONS[i % len(QUESTIONS)]} (#{i})"))
            answered += isinstance(events[-1], Done)
        seconds = time.perf_counter() - started
        end_rss = rss_mb()
        turns = workspace.history.turns(session.id)
        complete = sum(t.status == "complete" for t in turns)
        print(
            f"200 questions in {seconds:.1f} s: {answered} answered, {len(turns)} turns in "
            f"history ({complete} complete); RSS after 10: {start_rss:.0f} MB, after 200: "
            f"{end_rss:.0f} MB ({end_rss - start_rss:+.0f} MB)"
        )


def _history(folder: Path):  # type: ignore[no-untyped-def]
    from assistant.history import HistoryStore

    folder.mkdir(parents=True, exist_ok=True)
    return HistoryStore(folder / "history.sqlite")


if __name__ == "__main__":
    main()
