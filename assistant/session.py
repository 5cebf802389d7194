"""A conversation: questions in, answer events out, every turn saved as it happens.

The TUI and `ra ask` both talk to a `ChatSession`. A turn row is written before the
answer starts; it is completed with the checked answer, or marked incomplete with
the partial text when anything interrupts it (an LLM error, Ctrl-C, Escape).
"""

from __future__ import annotations

from collections.abc import Callable, Generator

from assistant.ask import Asker, Done, Event, Token, Turn
from assistant.history import HistoryStore


class AnswerCancelled(Exception):
    """The user cancelled the answer; its turn is saved as interrupted."""


class ChatSession:
    """One session of the history, answered by one `Asker`."""

    def __init__(self, asker: Asker, store: HistoryStore, session_id: str | None = None) -> None:
        self.asker = asker
        self.store = store
        self.id = session_id or store.new_session()
        self.turns: list[Turn] = [
            Turn(t.question, t.answer) for t in store.turns(self.id) if t.status == "complete"
        ]

    def ask(
        self, question: str, stop: Callable[[], bool] | None = None
    ) -> Generator[Event, None, None]:
        """Answer `question` in the context of the earlier turns, saving as it goes.

        `stop` is asked once more just before the turn is saved as complete, so an
        answer cancelled during the citation check is kept as interrupted.
        """
        turn_id = self.store.start_turn(self.id, question)
        partial: list[str] = []
        try:
            for event in self.asker.ask(question, tuple(self.turns)):
                if isinstance(event, Token):
                    partial.append(event.text)
                if isinstance(event, Done):
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
                    )
                    self.turns.append(Turn(question, answer.text))
                yield event
        except BaseException as exc:  # also Ctrl-C and a cancelled worker: never lose the turn
            self.store.fail_turn(turn_id, partial="".join(partial), error=type(exc).__name__)
            raise
