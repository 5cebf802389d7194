"""kill -9 during `ra index`, then `ra index` again: the index equals one built from
scratch (same papers, same chunks, same search results). kill -9 of `ra ask` mid-answer,
and a hung-up terminal or SIGTERM under `ra chat`: the streamed text is kept, the turn
marked interrupted, and no `ra` process is left behind."""

from __future__ import annotations

import contextlib
import json
import os
import pty
import select
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.fake_openai import FakeOpenAI, deltas, fake_openai  # noqa: F401 - the fixture

ROOT = Path(__file__).resolve().parent.parent
RA = str(Path(sys.executable).parent / "ra")
QUERIES = ["label smoothing and noisy labels", "what are my future research directions", "grokking"]


def _env(data: Path) -> dict[str, str]:
    return {**os.environ, "RA_DATA_DIR": str(data), "RA_CORPUS": str(ROOT / "corpus")}


def _state(data: Path) -> tuple[dict, list[list[str]]]:
    summary = json.loads(
        subprocess.run(
            [RA, "index", "--json"], env=_env(data), capture_output=True, text=True, check=True
        ).stdout
    )
    results = []
    for query in QUERIES:
        out = subprocess.run(
            [RA, "search", query, "--json"],
            env=_env(data),
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        results.append([hit["title"] for hit in json.loads(out)])
    return summary, results


@pytest.fixture(scope="module")
def fresh_state(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, list[list[str]]]:
    fresh = tmp_path_factory.mktemp("fresh")
    subprocess.run([RA, "index"], env=_env(fresh), capture_output=True, check=True)
    return _state(fresh)


def _wait_for_building(indexes: Path, deadline: float) -> None:
    while time.monotonic() < deadline:  # until the run has started changing the index
        found = list(indexes.glob("*/manifest.json")) if indexes.exists() else []
        if found and json.loads(found[0].read_text()).get("status") == "building":
            return
        time.sleep(0.02)
    pytest.fail("the index run never started building")


def _size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) if folder.exists() else 0


def _wait_for_vectors(chroma: Path, deadline: float) -> None:
    """Until the store has grown by a batch of vectors (128 x 384 floats is 196 kB)."""
    start = _size(chroma)
    while time.monotonic() < deadline:
        if _size(chroma) - start > 100_000:
            return
        time.sleep(0.02)
    pytest.fail("no vectors were written")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("point", "delay"),
    [
        ("reading", None),  # while the corpus is read, before the index is touched
        ("building", 0.0),  # the manifest says building; the model is still loading
        ("embedding", -1.0),  # the first vectors written, the rest not yet
    ],
)
def test_kill_9_then_reindex_equals_a_fresh_build(
    tmp_path: Path, fresh_state: tuple[dict, list[list[str]]], point: str, delay: float | None
) -> None:
    killed = tmp_path / "killed"
    proc = subprocess.Popen(
        [RA, "index"], env=_env(killed), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    if delay is None:
        time.sleep(0.3)
    else:
        _wait_for_building(killed / "indexes", time.monotonic() + 60)
        if delay < 0:  # embedding: how long that takes depends on the machine and model
            _wait_for_vectors(killed / "chroma", time.monotonic() + 120)
        else:
            time.sleep(delay)
    assert proc.poll() is None, f"the index finished before it could be killed ({point})"
    if point == "embedding":  # a second `ra index` on the same data dir meanwhile
        second = subprocess.run(
            [RA, "index"], env=_env(killed), capture_output=True, text=True, timeout=60
        )
        assert second.returncode == 1 and "wait for it to finish" in second.stderr
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)

    search = subprocess.run(
        [RA, "search", "grokking"], env=_env(killed), capture_output=True, text=True
    )
    assert search.returncode == 1  # never trusted half-built
    assert "interrupted" in search.stderr or "does not exist" in search.stderr

    repaired = subprocess.run(
        [RA, "index", "--json"], env=_env(killed), capture_output=True, text=True
    )
    assert repaired.returncode == 0, repaired.stderr
    killed_summary, killed_results = _state(killed)
    fresh_summary, fresh_results = fresh_state
    assert (killed_summary["papers"], killed_summary["chunks"]) == (
        fresh_summary["papers"],
        fresh_summary["chunks"],
    )
    assert killed_summary["unchanged"] == 5
    assert killed_results == fresh_results


# --- an answer in progress when the process dies or loses its terminal ----------------

QUESTION = "Does label smoothing mitigate label noise?"
LONG_REPLY = " ".join(f"point{i}" for i in range(120)) + " [1]."


@pytest.fixture(scope="module")
def small_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("answer-kill")
    corpus = root / "corpus"
    corpus.mkdir()
    shutil.copy(ROOT / "corpus" / "google-research-bhojanapalli.txt", corpus)
    data = root / "data"
    env = {**os.environ, "RA_DATA_DIR": str(data), "RA_CORPUS": str(corpus)}
    subprocess.run([RA, "index"], env=env, capture_output=True, check=True)
    return corpus, data


def _llm_env(index: tuple[Path, Path], server: FakeOpenAI) -> dict[str, str]:
    corpus, data = index
    return {
        **os.environ,
        "RA_DATA_DIR": str(data),
        "RA_CORPUS": str(corpus),
        "RA_LLM_BASE_URL": server.base_url,
        "OPENAI_API_KEY": "sk-test-kill",
    }


def _wait_for_deltas(server: FakeOpenAI, n: int, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while server.deltas_sent < n:
        if time.monotonic() > deadline:
            pytest.fail(f"only {server.deltas_sent} deltas were streamed")
        time.sleep(0.02)


def _last_turn(env: dict[str, str]) -> dict:
    out = subprocess.run(
        [RA, "history", "show", "--json"], env=env, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out)["turns"][-1]


@pytest.mark.slow
def test_kill_9_mid_answer_keeps_the_streamed_text_and_it_can_be_continued(
    small_index: tuple[Path, Path],
    fake_openai: FakeOpenAI,  # noqa: F811
) -> None:
    fake_openai.enqueue(LONG_REPLY)
    fake_openai.delta_delay = 0.1  # a model writing ten tokens a second
    env = _llm_env(small_index, fake_openai)
    proc = subprocess.Popen(
        [RA, "ask", QUESTION], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait_for_deltas(fake_openai, 20)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    turn = _last_turn(env)
    assert turn["status"] == "interrupted" and turn["interrupted"]
    assert turn["answer"].startswith("".join(deltas(LONG_REPLY)[:10]))
    fake_openai.delta_delay = 0.0
    fake_openai.enqueue(" and the rest [1].")
    run = subprocess.run(
        [RA, "history", "continue", "--json"], env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    turn = _last_turn(env)
    assert turn["status"] == "complete" and "and the rest" in turn["answer"]
    assert turn["answer"].startswith("".join(deltas(LONG_REPLY)[:10]))


def _family(pid: int) -> set[int]:
    """`pid` and every process descended from it, from /proc."""
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
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


class _Terminal:
    """The user's side of a pty: reads everything the app draws (an app whose output
    nobody reads blocks), and can type or hang up."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.seen = b""
        self._stop = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if ready:
                try:
                    data = os.read(self.fd, 65536)
                except OSError:
                    return
                if not data:
                    return
                self.seen += data

    def wait_for(self, marker: bytes, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while marker not in self.seen:
            if time.monotonic() > deadline:
                pytest.fail(f"the app never showed {marker!r}")
            time.sleep(0.1)

    def type(self, text: str) -> None:
        os.write(self.fd, text.encode())

    def hang_up(self) -> None:
        self._stop.set()
        self._reader.join(5)
        with contextlib.suppress(OSError):
            os.close(self.fd)


@pytest.mark.slow
@pytest.mark.parametrize("how", ["hangup", "hangup-make", "sigterm"])
def test_a_lost_terminal_or_sigterm_ends_ra_chat_and_keeps_the_answer(
    how: str,
    small_index: tuple[Path, Path],
    fake_openai: FakeOpenAI,  # noqa: F811
) -> None:
    fake_openai.enqueue(LONG_REPLY)
    fake_openai.delta_delay = 0.1
    env = {**_llm_env(small_index, fake_openai), "TERM": "xterm-256color"}
    argv = ["make", "-s", "-C", str(ROOT), "chat"] if how == "hangup-make" else [RA, "chat"]
    pid, master = pty.fork()
    if pid == 0:  # the child: ra chat (or make chat) on the pty's slave end
        os.execvpe(argv[0], argv, env)
    terminal = _Terminal(master)
    try:
        terminal.wait_for(b" chunks", 120)  # the index is open: the status bar counts chunks
        terminal.type(QUESTION + "\r")
        _wait_for_deltas(fake_openai, 15)
        family = _family(pid)
        started = time.monotonic()
        if how == "sigterm":
            ra = [p for p in family if Path(f"/proc/{p}/cmdline").read_bytes().find(b"chat") >= 0]
            os.kill(ra[-1], signal.SIGTERM)
        else:
            terminal.hang_up()  # the terminal window closes
        deadline = started + 5
        while time.monotonic() < deadline and any(_alive(p) for p in family - {pid}):
            time.sleep(0.05)
        with contextlib.suppress(ChildProcessError):  # reaped already: gone, as wanted
            os.waitpid(pid, os.WNOHANG)
        time.sleep(max(0.0, deadline - time.monotonic()))
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        left = [p for p in family if _alive(p)]
        assert not left, f"{how}: ra still running 5 s later: {terminal.seen[-3000:]!r}"
    finally:
        for p in _family(pid):
            with contextlib.suppress(OSError):
                os.kill(p, signal.SIGKILL)
        terminal.hang_up()
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
    turn = _last_turn(env)
    assert turn["status"] == "interrupted"
    # Saved by ra itself as it left, not found dead at the next start.
    assert turn["error"] == (
        "ra was stopped (SIGTERM)" if how == "sigterm" else "the terminal was closed"
    )
    assert turn["answer"].startswith("".join(deltas(LONG_REPLY)[:5]))
