"""A bug that crashes the TUI prints Textual's crash report without local variables:
they can hold the API key (RELIABILITY.md). Run in a child process, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECRET = "sk-test-" + "S3CRET" * 4

CRASH = """
from tui.app import ResearchApp


class Workspace:
    mode = "offline: extractive"
    ready = False

    def prepare(self, progress):
        raise RuntimeError("no index in this test")

    def explain(self, exc, **kwargs):
        return "No index in this test."


class Buggy(ResearchApp):
    CSS_PATH = "CSS_PLACEHOLDER"

    def action_toggle_theme(self):
        api_key = "sk-test-" + "S3CRET" * 4  # a local holding a key, as a frame can
        raise RuntimeError("a bug in a key handler " + str(len(api_key)))


async def press(pilot):
    await pilot.press("ctrl+t")


Buggy(Workspace()).run(headless=True, auto_pilot=press)
"""


def test_a_crash_report_names_the_bug_and_shows_no_local_variables(tmp_path: Path) -> None:
    script = tmp_path / "crash.py"  # a file: Textual finds the app's stylesheet beside it
    script.write_text(CRASH.replace("CSS_PLACEHOLDER", str(ROOT / "tui" / "app.tcss")))
    result = subprocess.run(
        [sys.executable, str(script)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    report = result.stdout + result.stderr
    assert "a bug in a key handler" in report and "RuntimeError" in report
    assert SECRET not in report
