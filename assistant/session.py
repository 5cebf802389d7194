"""A conversation: questions in, answer events out, every turn saved as it happens.

The TUI and `ra ask` both talk to a `ChatSession`. A turn row is written before the
answer starts; while the model streams, the text so far is saved every
`PARTIAL_EVERY_S` seconds or `PARTIAL_EVERY_CHARS` characters, so a process killed
mid-answer (kill -9, a lost terminal) loses at most that much. The turn is completed
with the checked answer (and the model's finish_reason: a cut answer is marked
truncated), or marked incomplete with the partial text when anything interrupts it
(an LLM error, Ctrl-C, Escape). An incomplete or truncated turn can be continued.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Iterator

from assistant.ask import Asker, Done, Event, Token, Turn
from assistant.history import HistoryStore
from assistant.history_records import SavedTurn
from retrieval.errors import RaError

# Partial answers are written at most this often: a few small commits a second.
PARTIAL_EVERY_S = 0.5
PARTIAL_EVERY_CHARS = 200


class AnswerCancelled(Exception):
    """The user cancelled the answer; its turn is saved as interrupted."""


class NothingToContinue(RaError):
    """The turn asked to be continued is finished (or does not exist)."""


class ChatSession:
    """One session of the history, answered by one `Asker`."""

    def __init__(self, asker: Asker, store: HistoryStore, session_id: str | None = None) -> None:
        self.asker = asker
        self.store = store
        self.id = session_id or store.new_session()
        self.turns: list[Turn] = [
            Turn(t.question, t.answer) for t in store.turns(self.id) if t.status == "complete"
        ]
        # The turn being answered and its text so far, for `interrupt` from another thread.
        self._running: tuple[int, list[str]] | None = None
        self._stopped: dict[int, str] = {}  # turn id -> why `interrupt` stopped it

    def interrupt(self, reason: str) -> bool:
        """Save the answer in progress, as far as it got, as interrupted; False if none.

        For a process about to exit (a lost terminal, SIGTERM) whose answer thread may be
        blocked on the network: the turn is saved from here, not from that thread.
        """
        running = self._running
        if running is None:
            return False
        turn_id, partial = running
        self._running = None  # saved once: a second call does not change the reason
        self._stopped[turn_id] = reason
        self.store.fail_turn(turn_id, partial="".join(partial), error=reason)
        return True

    def ask(
        self, question: str, stop: Callable[[], bool] | None = None
    ) -> Generator[Event, None, None]:
        """Answer `question` in the context of the earlier turns, saving as it goes.

        `stop` is asked once more just before the turn is saved as complete, so an
        answer cancelled during the citation check is kept as interrupted.
        """
        turn_id = self.store.start_turn(self.id, question)
        events = self.asker.ask(question, tuple(self.turns))
        yield from self._record(turn_id, question, events, "", stop)

    def unfinished(self) -> SavedTurn | None:
        """The last turn of the session when it was interrupted or cut short, else None."""
        turns = self.store.turns(self.id)
        last = turns[-1] if turns else None
        return last if last is not None and (last.interrupted or last.truncated) else None

    def continue_last(self, stop: Callable[[], bool] | None = None) -> Generator[Event, None, None]:
        """Continue the last turn's cut answer where it stopped, in the same turn.

        Raises NothingToContinue when the last turn is finished.
        """
        turn = self.unfinished()
        if turn is None:
            raise NothingToContinue("The last answer of this session is already complete.")
        self.store.reopen_turn(turn.id)
        if self.turns and turn.status == "complete":  # a truncated answer was in the context
            self.turns.pop()
        events = self.asker.ask(turn.question, tuple(self.turns), resume=turn.answer)
        yield from self._record(turn.id, turn.question, events, turn.answer, stop)

    def _record(
        self,
        turn_id: int,
        question: str,
        events: Iterator[Event],
        prefix: str,
        stop: Callable[[], bool] | None,
    ) -> Generator[Event, None, None]:
        partial = [prefix] if prefix else []
        saved_at, saved_len, length = time.monotonic(), len(prefix), len(prefix)
        self._running = (turn_id, partial)
        try:
            for event in events:
                if isinstance(event, Token):
                    partial.append(event.text)
                    length += len(event.text)
                    now = time.monotonic()
                    if (
                        now - saved_at >= PARTIAL_EVERY_S
                        or length - saved_len >= PARTIAL_EVERY_CHARS
                    ):
                        self.store.append_partial(turn_id, "".join(partial))
                        saved_at, saved_len = now, length
                if isinstance(event, Done):
                    self._running = None  # from here the turn is saved whole, or failed below
                    if stop is not None and stop():
                        raise AnswerCancelled("The answer was cancelled.")
                    answer = event.answer
                    payload = answer.to_json()
                    self.store.finish_turn(
                        turn_id,
                        answer=answer.text,
                        mode=answer.mode,
                        refused=answer.refused,
                        citations=payload["citations"],
                        removed_citations=payload["removed_citations"],
                        usage=payload["usage"],
                        finish_reason=answer.finish_reason,
                    )
                    self.turns.append(Turn(question, answer.text))
                yield event
        except BaseException as exc:  # also Ctrl-C and a cancelled worker: never lose the turn
            # The reason `interrupt` gave, if it stopped this turn: the thread's own
            # exception (GeneratorExit as the app closes) says less.
            error = self._stopped.get(turn_id, type(exc).__name__)
            self.store.fail_turn(turn_id, partial="".join(partial), error=error)
            raise
        finally:
            self._running = None
