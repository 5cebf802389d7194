"""Whole-process times of one-shot CLI calls, and `ra chat` first paint in a real terminal.

Run: .venv/bin/python benchmarks/bench_cli_start.py [--runs 5]

1. `ra search`, `ra ask` (offline) and `ra papers` as whole processes against an index
   of corpus/ built first, warm disk (one unmeasured run each first); median wall time
   of `--runs`, and median CPU time (user + sys of the child), which a machine shared
   with other jobs inflates less than wall time. Target: at most 2 s wall.
2. `ra chat` in tmux: a detached session of 120x40 is started with `ra chat`, and the
   pane is captured every 10 ms until the chat screen shows; median of `--runs`.
   Target: under 1 s. With `--versus OTHER_RA`, paints alternate with another
   checkout's `ra`, so a busy machine slows both alike.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RA = str(ROOT / ".venv" / "bin" / "ra")
COMMANDS = {
    "ra search": ["search", "pruning at initialization"],
    "ra ask (offline)": ["ask", "What is the lottery ticket hypothesis?"],
    "ra papers": ["papers"],
}
# Text the chat screen shows once painted: its welcome line and the sources panel.
PAINTED = ("research-assistant:", "Sources")


def timed(args: list[str], env: dict[str, str], ra: str = RA) -> tuple[float, float]:
    """(wall seconds, child CPU seconds) of one whole `ra` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([ra, *args], env=env, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def tmux_first_paint(env: dict[str, str], timeout: float = 20.0, ra: str = RA) -> float:
    """Seconds from starting `ra chat` in a tmux pane to the chat screen on it."""
    time.sleep(0.5)  # a tmux server whose last session just closed is still exiting
    session = f"ra-bench-{os.getpid()}"
    exports = " ".join(f"{k}={env[k]}" for k in ("RA_DATA_DIR", "RA_CORPUS"))
    start = time.perf_counter()
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "40",
         f"env {exports} TERM=xterm-256color {ra} chat"],
        check=True,
    )  # fmt: skip
    try:
        while time.perf_counter() - start < timeout:
            pane = subprocess.run(
                ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True
            ).stdout
            if all(mark in pane for mark in PAINTED):
                return time.perf_counter() - start
            time.sleep(0.01)
        raise RuntimeError(f"no chat screen after {timeout} s:\n{pane}")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--versus", help="another checkout's `ra`: first paints alternate with it, same load"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
        env = {**os.environ, "RA_DATA_DIR": tmp, "RA_CORPUS": str(ROOT / "corpus")}
        for name in list(env):
            if name.startswith("OPENAI_") or name in ("RA_LLM_BASE_URL", "RA_CHROMA_URL"):
                env.pop(name)
        subprocess.run([RA, "index"], env=env, check=True, capture_output=True)
        print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
        if args.versus:  # its own index (another embedding id) in the same data dir
            subprocess.run([args.versus, "index"], env=env, check=True, capture_output=True)
        for label, argv in COMMANDS.items():
            timed(argv, env)  # warm the disk cache and the exported model
            runs = [timed(argv, env) for _ in range(args.runs)]
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            print(
                f"{label}: median {wall:.2f} s wall, {cpu:.2f} s CPU "
                f"(walls: {', '.join(f'{r[0]:.2f}' for r in runs)}; target <= 2 s)"
            )
            if args.versus:
                timed(argv, env, args.versus)
                other = [timed(argv, env, args.versus) for _ in range(args.runs)]
                print(
                    f"  {args.versus}: median {statistics.median(r[0] for r in other):.2f} s "
                    f"wall, {statistics.median(r[1] for r in other):.2f} s CPU"
                )
        if shutil.which("tmux"):
            tmux_first_paint(env)  # warm
            paints = [tmux_first_paint(env) for _ in range(args.runs)]
            print(
                f"ra chat first paint in tmux: median {statistics.median(paints):.2f} s "
                f"(runs: {', '.join(f'{p:.2f}' for p in paints)}; target < 1 s)"
            )
            if args.versus:
                ours, theirs = [], []
                for _ in range(args.runs):
                    theirs.append(tmux_first_paint(env, ra=args.versus))
                    ours.append(tmux_first_paint(env))
                print(
                    f"  alternating with {args.versus}: this checkout median "
                    f"{statistics.median(ours):.2f} s, the other {statistics.median(theirs):.2f} s"
                )
        else:
            print("ra chat first paint in tmux: skipped, tmux is not installed")
        print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    sys.exit(main())
