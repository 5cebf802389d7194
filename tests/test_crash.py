"""kill -9 during `ra index`, then `ra index` again: the index equals one built from
scratch (same papers, same chunks, same search results)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

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


@pytest.mark.slow
@pytest.mark.parametrize(
    ("point", "delay"),
    [
        ("reading", None),  # while the corpus is read, before the index is touched
        ("building", 0.0),  # the manifest says building; the model is still loading
        ("embedding", 6.0),  # vectors half written (a full run takes about 19 s)
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
