"""The history database's tables, their migrations, and rows turned into records.

`assistant.history.HistoryStore` runs the statements; this module only says what they
are, so a schema change is read in one place.
"""

from __future__ import annotations

import json
import sqlite3

from assistant.history_records import SavedTurn, SessionInfo, one_line

SCHEMA_VERSION = 2
TITLE_CHARS = 60

# One entry per schema version: the statements that bring version n-1 up to n.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        """CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            title TEXT,
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        )""",
        """CREATE TABLE turns (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            question TEXT NOT NULL,
            answer TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL CHECK (status IN ('streaming', 'complete', 'incomplete')),
            mode TEXT,
            refused INTEGER NOT NULL DEFAULT 0,
            citations TEXT NOT NULL DEFAULT '[]',
            removed_citations TEXT NOT NULL DEFAULT '[]',
            usage TEXT,
            error TEXT,
            pid INTEGER,
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        )""",
        "CREATE INDEX turns_by_session ON turns (session_id, id)",
        "CREATE INDEX turns_by_status ON turns (status)",
    ),
    # Why the model stopped ("stop", "length", ...): a "length" answer is complete but cut.
    2: ("ALTER TABLE turns ADD COLUMN finish_reason TEXT",),
}


SESSION_QUERY = """
    SELECT s.id, s.title, s.created, s.updated,
           (SELECT COUNT(*) FROM turns t WHERE t.session_id = s.id) AS n_turns,
           (SELECT question FROM turns t WHERE t.session_id = s.id ORDER BY t.id LIMIT 1)
               AS first_question
    FROM sessions s
"""


def default_title(question: str) -> str:
    """A session title from its first question: one line, at most 60 characters.

    "What   does\\nlabel smoothing do to noisy labels in large-scale image classifiers?"
    -> "What does label smoothing do to noisy labels in large-scale…"
    """
    text = one_line(question)
    if len(text) <= TITLE_CHARS:
        return text
    cut = text[: TITLE_CHARS - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.") + "…"


def session_info(row: sqlite3.Row) -> SessionInfo:
    """A `sessions` row (with its turn count and first question) as a record."""
    title = row["title"] or (
        default_title(row["first_question"]) if row["first_question"] else "New chat"
    )
    return SessionInfo(
        id=row["id"],
        title=title,
        created=row["created"],
        updated=row["updated"],
        turns=row["n_turns"],
    )


def turn_of(row: sqlite3.Row) -> SavedTurn:
    """A `turns` row as a record, its JSON columns decoded."""
    return SavedTurn(
        id=row["id"],
        session_id=row["session_id"],
        question=row["question"],
        answer=row["answer"],
        status=row["status"],
        mode=row["mode"],
        refused=bool(row["refused"]),
        citations=json.loads(row["citations"]),
        removed_citations=json.loads(row["removed_citations"]),
        usage=None if row["usage"] is None else json.loads(row["usage"]),
        error=row["error"],
        created=row["created"],
        finish_reason=row["finish_reason"],
    )
