"""A lost terminal: how long `ra chat` takes to save its answer and exit.

Run: RA_DATA_DIR=<an index of corpus/> .venv/bin/python benchmarks/bench_lost_terminal.py

Starts `ra chat` (and `make chat`) in a real pty, asks a question that the local
OpenAI-compatible test server (tests/fake_openai.py) answers at ten tokens a second,
and after 10 tokens either hangs the pty up (the terminal window closes) or sends
SIGTERM. Measures the time from that moment until no process of the family is left,
three runs each; the target is under 2 s. The machine is shared: expect noise.
"""

from __future__ import annotations

import os
import pty
import select
import signal
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fake_openai import FakeOpenAI, serve_fake_openai  # noqa: E402

RA = str(Path(sys.executable).parent / "ra")
RUNS = 3
REPLY = " ".join(f"point{i}" for i in range(200)) + " [1]."


def _family(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    family, todo = set(), [pid]
    while todo:
        current = todo.pop()
        family.add(current)
        todo.extend(children.get(current, []))
    return family


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def one_run(how: str, server: FakeOpenAI) -> float:
    server.enqueue(REPLY)
    server.delta_delay = 0.1
    start_count = server.deltas_sent
    env = {
        **os.environ,
        "RA_LLM_BASE_URL": server.base_url,
        "OPENAI_API_KEY": "sk-bench",
        "TERM": "xterm-256color",
    }
    argv = ["make", "-s", "-C", str(ROOT), "chat"] if how == "make chat, hang-up" else [RA, "chat"]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvpe(argv[0], argv, env)
    seen = bytearray()
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            if select.select([fd], [], [], 0.1)[0]:
                try:
                    data = os.read(fd, 65536)
                except OSError:
                    return
                if not data:
                    return
                seen.extend(data)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    while b" chunks" not in seen:
        time.sleep(0.05)
    os.write(fd, b"Does label smoothing mitigate label noise?\r")
    while server.deltas_sent - start_count < 10:
        time.sleep(0.01)
    family = _family(pid)
    started = time.monotonic()
    if how == "ra chat, SIGTERM":
        os.kill(pid, signal.SIGTERM)
    else:
        stop.set()
        reader.join()
        os.close(fd)
    while any(_alive(p) for p in family - {pid}) or _reaped(pid) is False:
        time.sleep(0.01)
    elapsed = time.monotonic() - started
    stop.set()
    if how == "ra chat, SIGTERM":
        reader.join()
        os.close(fd)
    return elapsed


def _reaped(pid: int) -> bool:
    try:
        return os.waitpid(pid, os.WNOHANG)[0] == pid
    except ChildProcessError:
        return True


def main() -> None:
    with serve_fake_openai() as server:
        for how in ("ra chat, hang-up", "make chat, hang-up", "ra chat, SIGTERM"):
            times = [one_run(how, server) for _ in range(RUNS)]
            runs = ", ".join(f"{t:.2f}" for t in times)
            print(
                f"{how}: all processes gone after median {statistics.median(times):.2f} s (runs: {runs}; target < 2 s)"
            )


if __name__ == "__main__":
    main()
