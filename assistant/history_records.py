"""The records the chat history holds: a session as the list shows it, and a turn.

A turn's `status` is what is stored ("streaming", "complete", "incomplete"); its
`state` is what people are told: "complete", "truncated" (the model cut the answer
short), "interrupted" (it broke off) or "streaming".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from assistant.usage import TRUNCATING

# A stored turn's state; `assistant.ask.Status` is a different thing (a progress event).
TurnStatus = Literal["streaming", "complete", "incomplete"]


def one_line(text: str) -> str:
    """Whitespace runs, newlines included, as single spaces."""
    return " ".join(text.split())


@dataclass
class SessionInfo:
    """One chat session as the session list shows it."""

    id: str
    title: str
    created: str  # UTC ISO-8601, e.g. "2026-11-22T17:50:31.595375+00:00"
    updated: str  # the last question or answer
    turns: int

    @property
    def n_turns(self) -> int:
        return self.turns


@dataclass
class SavedTurn:
    """One question and its answer as the history stores it (`assistant.ask.Turn` is the
    short form the asker reads). Only status "complete" is a finished answer."""

    id: int
    session_id: str
    question: str
    answer: str
    status: TurnStatus
    mode: str | None
    refused: bool
    citations: list[dict[str, Any]] = field(default_factory=list)
    removed_citations: list[str] = field(default_factory=list)
    usage: dict[str, Any] | None = None
    error: str | None = None
    created: str = ""
    finish_reason: str | None = None

    @property
    def interrupted(self) -> bool:
        """The answer broke off (an error, a cancel, a dead process): its text is partial."""
        return self.status == "incomplete"

    @property
    def truncated(self) -> bool:
        """The model finished, but cut the answer short (a token limit, a content filter)."""
        return self.status == "complete" and self.finish_reason in TRUNCATING

    @property
    def state(self) -> str:
        """One word for people: "complete", "truncated", "interrupted" or "streaming"."""
        if self.interrupted:
            return "interrupted"
        return "truncated" if self.truncated else self.status

    def to_json(self) -> dict[str, Any]:
        """The turn as `ra history show --json` prints it."""
        return {
            "id": self.id,
            "question": self.question,
            "answer": self.answer,
            "status": self.state,
            "interrupted": self.interrupted,
            "truncated": self.truncated,
            "finish_reason": self.finish_reason,
            "error": self.error,
            "mode": self.mode,
            "refused": self.refused,
            "citations": self.citations,
            "removed_citations": self.removed_citations,
            "usage": self.usage,
            "created": self.created,
        }
