"""The chat's job queue, free of Textual: what a typed request does, given whether the
index is open and what is running.

The rules a user sees:

- requests typed before the index is open wait for it, in order (help and model run
  at once); if opening the index failed, the next request also asks to try again;
- one answer and one list or draft at a time: a job typed while another runs waits
  its turn, and the queue is drained one request at a time as jobs end;
- a job started directly (the palette, a resumed session) while one of its kind runs
  is refused with a sentence, never run twice at once.

The chat screen owns one `JobQueue` and does what it says; `handle` is whatever the
screen shows for a queued request (its "queued" message), handed back when it runs.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Generic, Literal, TypeVar

from tui.commands import CommandError, parse

H = TypeVar("H")
Kind = Literal["answer", "writing"]

NOT_READY = "The index is still being prepared: try again in a moment."
BUSY = {
    "answer": "An answer is still running: wait, or press Escape to cancel it.",
    "writing": "A list or draft is still being written: wait for it.",
}


class Verdict(Enum):
    """What to do with a typed request."""

    RUN = "run"  # now
    WAIT_FOR_INDEX = "wait for the index"  # queued until the index is open
    RETRY_INDEX = "retry the index"  # queued, and the failed index is opened again
    WAIT_FOR_JOB = "wait for the job"  # queued until the running job ends


@dataclass(frozen=True)
class Queued(Generic[H]):
    """A request waiting its turn, with what the screen shows for it."""

    text: str
    handle: H


class JobQueue(Generic[H]):
    """Queued requests, the jobs running, and the state of the index."""

    def __init__(self, index_ready: Callable[[], bool]) -> None:
        self._index_ready = index_ready
        self.pending: deque[Queued[H]] = deque()
        self.running: set[Kind] = set()
        self.index_error: str | None = None  # why the index could not be opened

    @property
    def busy(self) -> bool:
        """True while an answer or a list or draft runs."""
        return bool(self.running)

    def verdict(self, text: str) -> Verdict:
        """Where a typed request goes. An unknown command runs (to say it is unknown)."""
        try:
            command = parse(text).command
        except CommandError:
            return Verdict.RUN
        if not self._index_ready() and command.needs_index:
            return Verdict.RETRY_INDEX if self.index_error is not None else Verdict.WAIT_FOR_INDEX
        if self.busy and command.job:
            return Verdict.WAIT_FOR_JOB
        return Verdict.RUN

    def wait(self, text: str, handle: H) -> None:
        """Queue a request until its turn; `handle` comes back with it from `next`."""
        self.pending.append(Queued(text, handle))

    def retry_index(self) -> str | None:
        """Forget the last failure to open the index and return it, to say it is retried."""
        error, self.index_error = self.index_error, None
        return error

    def index_failed(self, sentence: str) -> None:
        """Opening the index failed; `sentence` says why, until it is retried."""
        self.index_error = sentence

    def next(self) -> Queued[H] | None:
        """The request whose turn it is, removed from the queue; None while the index is
        closed or a job runs."""
        if self.pending and self._index_ready() and not self.busy:
            return self.pending.popleft()
        return None

    def unavailable(self) -> str | None:
        """Why a request that needs the index cannot run now, or None when it can."""
        if self._index_ready():
            return None
        return self.index_error or NOT_READY

    def start(self, kind: Kind) -> str | None:
        """Mark a job of `kind` running; a sentence instead when one already runs."""
        if kind in self.running:
            return BUSY[kind]
        self.running.add(kind)
        return None

    def end(self, kind: Kind) -> None:
        """The job of `kind` ended (done, failed or cancelled)."""
        self.running.discard(kind)

    def is_running(self, kind: Kind) -> bool:
        """True while a job of `kind` runs."""
        return kind in self.running
