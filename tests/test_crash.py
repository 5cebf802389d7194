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


@pytest.mark.slow
def test_kill_9_mid_embedding_then_reindex_equals_a_fresh_build(tmp_path: Path) -> None:
    killed = tmp_path / "killed"
    proc = subprocess.Popen(
        [RA, "index"], env=_env(killed), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    indexes = killed / "indexes"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait until the run has started changing the index
        found = list(indexes.glob("*/manifest.json")) if indexes.exists() else []
        if found and json.loads(found[0].read_text()).get("status") == "building":
            break
        time.sleep(0.05)
    time.sleep(6)  # model loaded, embedding under way (a full run takes about 19 s)
    assert proc.poll() is None, "the index finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)

    search = subprocess.run(
        [RA, "search", "grokking"], env=_env(killed), capture_output=True, text=True
    )
    assert search.returncode == 1 and "interrupted" in search.stderr  # never trusted half-built

    repaired = subprocess.run(
        [RA, "index", "--json"], env=_env(killed), capture_output=True, text=True
    )
    assert repaired.returncode == 0, repaired.stderr
    fresh = tmp_path / "fresh"
    subprocess.run([RA, "index"], env=_env(fresh), capture_output=True, check=True)

    killed_summary, killed_results = _state(killed)
    fresh_summary, fresh_results = _state(fresh)
    assert (killed_summary["papers"], killed_summary["chunks"]) == (
        fresh_summary["papers"],
        fresh_summary["chunks"],
    )
    assert killed_summary["unchanged"] == 5
    assert killed_results == fresh_results
