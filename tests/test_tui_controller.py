"""The chat's job queue, command table and input history: plain objects, no Textual,
no Pilot. They say what a typed request does before and after the index opens."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tui.commands import COMMANDS, CommandError, completion, help_markdown, parse
from tui.controller import BUSY, NOT_READY, JobQueue, Verdict
from tui.recall import InputHistory

ROOT = Path(__file__).resolve().parent.parent


class Index:
    """The index's state, as the workspace reports it."""

    def __init__(self) -> None:
        self.ready = False


@pytest.fixture
def index() -> Index:
    return Index()


@pytest.fixture
def jobs(index: Index) -> JobQueue[str]:
    return JobQueue(lambda: index.ready)


def test_requests_before_the_index_opens_wait_in_order(index: Index, jobs: JobQueue[str]) -> None:
    assert jobs.verdict("What is grokking?") is Verdict.WAIT_FOR_INDEX
    jobs.wait("What is grokking?", "view 1")
    jobs.wait("/list attention", "view 2")
    assert jobs.next() is None  # the index is still closed
    index.ready = True
    first = jobs.next()
    assert first is not None and (first.text, first.handle) == ("What is grokking?", "view 1")
    second = jobs.next()
    assert second is not None and second.text == "/list attention"
    assert jobs.next() is None


def test_help_and_model_run_before_the_index_opens(jobs: JobQueue[str]) -> None:
    assert jobs.verdict("/help") is Verdict.RUN
    assert jobs.verdict("/model") is Verdict.RUN
    for command in ("/new", "/history", "/papers x", "/export", "/continue"):
        assert jobs.verdict(command) is Verdict.WAIT_FOR_INDEX, command


def test_an_unknown_command_runs_at_once_to_say_so(jobs: JobQueue[str]) -> None:
    assert jobs.verdict("/frobnicate") is Verdict.RUN


def test_a_failed_index_is_retried_by_the_next_request(index: Index, jobs: JobQueue[str]) -> None:
    jobs.index_failed("The Chroma server stopped answering: start it again.")
    assert jobs.unavailable() == "The Chroma server stopped answering: start it again."
    assert jobs.verdict("What is grokking?") is Verdict.RETRY_INDEX
    assert jobs.retry_index() == "The Chroma server stopped answering: start it again."
    assert jobs.verdict("What is grokking?") is Verdict.WAIT_FOR_INDEX  # retried once
    assert jobs.unavailable() == NOT_READY
    index.ready = True
    assert jobs.unavailable() is None


def test_one_job_at_a_time_the_next_waits_its_turn(index: Index, jobs: JobQueue[str]) -> None:
    index.ready = True
    assert jobs.start("answer") is None
    assert jobs.busy
    # Jobs typed meanwhile wait; commands that are not jobs still run.
    assert jobs.verdict("And what about low-rank heads?") is Verdict.WAIT_FOR_JOB
    assert jobs.verdict("/related attention") is Verdict.WAIT_FOR_JOB
    assert jobs.verdict("/papers") is Verdict.RUN
    assert jobs.verdict("/export bib") is Verdict.RUN
    jobs.wait("And what about low-rank heads?", "queued")
    assert jobs.next() is None  # the answer still runs
    jobs.end("answer")
    queued = jobs.next()
    assert queued is not None and queued.handle == "queued"


def test_a_second_job_of_a_kind_is_refused_with_a_sentence(jobs: JobQueue[str]) -> None:
    assert jobs.start("writing") is None
    assert jobs.start("writing") == BUSY["writing"]
    assert jobs.start("answer") is None  # an answer may run beside a list
    assert jobs.is_running("answer") and jobs.is_running("writing")
    jobs.end("writing")
    jobs.end("answer")
    assert not jobs.busy
    assert jobs.start("writing") is None


def test_the_command_table_decides_what_is_a_job() -> None:
    jobs = {c.name for c in COMMANDS if c.job}
    assert jobs == {"ask", "continue", "list", "me", "related", "triage"}
    assert {c.name for c in COMMANDS if not c.needs_index} == {"help", "model"}
    table = help_markdown()
    assert all(f"`{c.usage}`" in table for c in COMMANDS)


@pytest.mark.parametrize(
    ("typed", "name", "arg"),
    [
        ("What is grokking?", "ask", "What is grokking?"),
        ("/list lottery tickets", "list", "lottery tickets"),
        ("/LIST  attention ", "list", "attention"),
        ("/me", "me", ""),
        ("/export md my notes.md", "export", "md my notes.md"),
    ],
)
def test_parse(typed: str, name: str, arg: str) -> None:
    parsed = parse(typed)
    assert (parsed.name, parsed.arg) == (name, arg)


@pytest.mark.parametrize(
    ("typed", "says"), [("/frobnicate", "/help"), ("/list", "/list needs TOPIC")]
)
def test_parse_errors_say_what_to_type(typed: str, says: str) -> None:
    with pytest.raises(CommandError, match=says):
        parse(typed)


def test_completion() -> None:
    assert completion("/li") == "/list "
    assert completion("/h") == "/history "  # the first in the table
    assert completion("/he") == "/help "
    assert completion("/") is None and completion("list") is None
    assert completion("/list at") is None


def test_input_history_walks_back_and_forth() -> None:
    typed = InputHistory()
    assert not typed
    typed.add("first")
    typed.add("second")
    assert typed.step(-1) == "second"
    assert typed.step(-1) == "first"
    assert typed.step(-1) == "first"  # stops at the oldest
    assert typed.step(1) == "second"
    assert typed.step(1) == ""  # past the newest: an empty input
    typed.add("third")
    assert typed.step(-1) == "third"


def test_the_queue_and_the_command_table_import_no_textual() -> None:
    code = (
        "import sys, tui.controller, tui.commands, tui.recall, assistant.render; "
        "print('textual' in sys.modules); sys.exit('textual' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
