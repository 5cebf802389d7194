"""How fast the terminal UI answers the user: first paint, and Enter to first token.

Run: RA_DATA_DIR=<an index of corpus/> .venv/bin/python benchmarks/bench_tui_start.py

1. Process start to first paint: a fresh `python` process imports the app, builds the
   real workspace and runs it headless; the time from spawning it to the first screen
   refresh (target under 1.0 s). Median of 5.
2. Enter to the first streamed token, with a fake chat model (no network): measured
   in the app with the real index and embedding model, minus the time retrieval alone
   takes for the same question (target under 150 ms beyond retrieval). Median of 5.
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUESTION = "What limits the expressive power of multi-head attention?"
CHILD = """
import os, sys, time
sys.path.insert(0, {root!r})
from assistant.settings import Settings
from assistant.workspace import Workspace
from tui.app import ResearchApp

class Probe(ResearchApp):
    CSS_PATH = {css!r}  # a class defined in `-c` code has no file to resolve it against

    def on_mount(self) -> None:
        super().on_mount()
        self.call_after_refresh(self._painted)

    def _painted(self) -> None:
        sys.stdout.write("PAINTED\\n")
        sys.stdout.flush()
        os._exit(0)  # the index is still opening in a worker thread: do not wait for it

Probe(Workspace(Settings())).run(headless=True, size=(100, 30))
"""


def first_paint() -> float:
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD.format(root=str(ROOT), css=str(ROOT / "tui" / "app.tcss"))],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - start
    proc.wait(timeout=60)
    if "PAINTED" not in line:
        raise SystemExit(f"the app did not paint: {line!r}")
    return elapsed


async def enter_to_first_token() -> tuple[float, float]:
    from langchain_core.language_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage

    from assistant.settings import Settings
    from assistant.workspace import Workspace
    from tui.app import create_app
    from tui.widgets import MessageView

    answer = "Low-rank heads limit attention [1]. " * 5
    fake = GenericFakeChatModel(messages=iter([AIMessage(content=answer)] * 10))
    workspace = Workspace(Settings(), llm=fake)
    app = create_app(workspace)
    first: list[float] = []
    original = MessageView.append

    async def spy(self: MessageView, text: str) -> None:
        if not first:
            first.append(time.perf_counter())
        await original(self, text)

    MessageView.append = spy  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        while not workspace.ready:
            await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        workspace.searcher.search(QUESTION)  # warm the model once, as a session would be
        t0 = time.perf_counter()
        workspace.searcher.search(QUESTION, k=8)
        retrieval = time.perf_counter() - t0
        prompt = app.query_one("#prompt")
        prompt.focus()
        prompt.value = QUESTION  # type: ignore[attr-defined]
        pressed = time.perf_counter()
        await pilot.press("enter")
        while not first:
            await pilot.pause(0.001)
        await app.workers.wait_for_complete()
    MessageView.append = original  # type: ignore[method-assign]
    return first[0] - pressed, retrieval


def main() -> None:
    paints = [first_paint() for _ in range(5)]
    print(
        f"process start to first paint: median {statistics.median(paints):.3f} s "
        f"(runs: {', '.join(f'{p:.3f}' for p in paints)}; target < 1.0 s)"
    )
    runs = [asyncio.run(enter_to_first_token()) for _ in range(5)]
    latency = statistics.median(r[0] for r in runs)
    retrieval = statistics.median(r[1] for r in runs)
    print(
        f"enter to first token: median {latency * 1000:.0f} ms, retrieval alone "
        f"{retrieval * 1000:.0f} ms, beyond retrieval {(latency - retrieval) * 1000:.0f} ms "
        f"(target < 150 ms)"
    )


if __name__ == "__main__":
    main()
