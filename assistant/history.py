"""Chat history in SQLite: sessions, their turns, and what happens when ra dies mid-answer.

A turn is written the moment a question is asked (status "streaming"), may be updated
with the partial answer while the model streams, and ends "complete" (`finish_turn`) or
"incomplete" (`fail_turn`, or `recover()` at the next start-up when the process died).
Every write is its own committed transaction in WAL mode, so killing the process loses at
most the partial text since the last `append_partial`, never an earlier turn.

Simplified on purpose:
- `synchronous=NORMAL`: a commit survives the process dying (it is in the WAL, which the
  OS holds); a power cut may roll back the last few commits, never corrupt the file.
- One connection per `HistoryStore`, shared by threads under a lock (the TUI calls from
  worker threads). Several stores, or several ra processes, on one file are safe too:
  SQLite's own locking, with a busy timeout, orders their writes.
- `recover()` only marks turns whose writing process is gone (checked by pid on this
  machine); a turn another live ra is still streaming is left alone. On Windows, where a
  pid cannot be probed safely with `os.kill`, every other process's turn counts as dead.
- Citations and usage are stored as JSON text, as `Answer.to_json()` shapes them.
- No API key or setting is ever stored: nothing in this API takes one.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.history_records import SavedTurn, SessionInfo, TurnStatus
from assistant.history_schema import (
    MIGRATIONS,
    SCHEMA_VERSION,
    SESSION_QUERY,
    session_info,
    turn_of,
)
from retrieval.errors import RaError

BUSY_TIMEOUT_S = 30.0
RECOVERED_ERROR = "ra was interrupted before the answer was finished"


class HistoryError(RaError):
    """The history database cannot be opened or written; the message says what to do."""


class HistoryStore:
    """The chat history of one data directory, in one SQLite file.

    Thread-safe: one connection opened with `check_same_thread=False`, every call made
    under a lock, so TUI workers may share a store.

    Example: `store = HistoryStore(data_dir / "history.sqlite"); store.recover();
    sid = store.new_session(); turn = store.start_turn(sid, "What is label smoothing?")`,
    then `append_partial(turn, text_so_far)` while streaming, and `finish_turn(turn, ...)`
    or `fail_turn(turn, partial=..., error=...)`.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise HistoryError(
                f"The history database at {self.path} cannot be created ({exc.strerror}): "
                "check that its folder is writable, or set RA_DATA_DIR, and restart ra."
            ) from exc
        self._conn: sqlite3.Connection | None = None
        with self._translate():
            self._conn = sqlite3.connect(
                self.path,
                timeout=BUSY_TIMEOUT_S,
                check_same_thread=False,
                isolation_level=None,  # autocommit; transactions are explicit below
            )
            self._conn.row_factory = sqlite3.Row
        try:
            with self._translate():
                # WAL lets readers (the session list) run while an answer is being written.
                self._conn.execute("PRAGMA journal_mode=WAL")
                self._conn.execute("PRAGMA synchronous=NORMAL")
                self._conn.execute("PRAGMA foreign_keys=ON")
                self._migrate()
        except BaseException:
            self.close()  # no half-open connection left holding the damaged file
            raise

    # -- lifecycle ---------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection; safe to call twice."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- writing -----------------------------------------------------------------------

    def new_session(self, title: str | None = None) -> str:
        """Start a session and return its id (16 hex digits). No title: the first question."""
        session_id = secrets.token_hex(8)
        now = _now()
        with self._write() as db:
            db.execute(
                "INSERT INTO sessions (id, title, created, updated) VALUES (?, ?, ?, ?)",
                (session_id, title.strip() if title and title.strip() else None, now, now),
            )
        return session_id

    def start_turn(self, session_id: str, question: str) -> int:
        """Record a question before any answer exists; committed at once. Returns the turn id.

        Raises KeyError for an unknown session.
        """
        now = _now()
        with self._write() as db:
            if db.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone() is None:
                raise KeyError(f"no history session {session_id!r}")
            cursor = db.execute(
                "INSERT INTO turns (session_id, question, status, pid, created, updated) "
                "VALUES (?, ?, 'streaming', ?, ?, ?)",
                (session_id, question, os.getpid(), now, now),
            )
            db.execute("UPDATE sessions SET updated = ? WHERE id = ?", (now, session_id))
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def append_partial(self, turn_id: int, text: str) -> None:
        """Save the answer streamed so far (the whole text, not a delta).

        One small UPDATE and commit: cheap, but the caller should throttle it (a few times
        a second), since each call is a write. Ignored once the turn has ended.
        """
        with self._write() as db:
            db.execute(
                "UPDATE turns SET answer = ?, updated = ? WHERE id = ? AND status = 'streaming'",
                (text, _now(), turn_id),
            )

    def finish_turn(
        self,
        turn_id: int,
        *,
        answer: str,
        mode: str,
        refused: bool,
        citations: list[dict[str, Any]],
        removed_citations: list[str],
        usage: dict[str, Any] | None,
        finish_reason: str | None = None,
    ) -> None:
        """Store the checked answer and mark the turn "complete". KeyError if no such turn.

        `finish_reason` is the model's ("stop"; "length" marks the turn truncated).
        """
        self._end_turn(
            turn_id,
            status="complete",
            answer=answer,
            error=None,
            extra=(
                ", mode = ?, refused = ?, citations = ?, removed_citations = ?, usage = ?, "
                "finish_reason = ?",
                (
                    mode,
                    int(refused),
                    _dumps(citations),
                    _dumps(removed_citations),
                    None if usage is None else _dumps(usage),
                    finish_reason,
                ),
            ),
        )

    def reopen_turn(self, turn_id: int) -> None:
        """Mark a turn "streaming" again, by this process, to continue its answer."""
        now = _now()
        with self._write() as db:
            updated = db.execute(
                "UPDATE turns SET status = 'streaming', error = NULL, pid = ?, updated = ? "
                "WHERE id = ?",
                (os.getpid(), now, turn_id),
            ).rowcount
        if not updated:
            raise KeyError(f"no history turn {turn_id}")

    def fail_turn(self, turn_id: int, *, partial: str, error: str) -> None:
        """Keep the partial answer, mark the turn "incomplete" with why. KeyError if no turn."""
        self._end_turn(turn_id, status="incomplete", answer=partial, error=error)

    def recover(self) -> int:
        """At start-up: turns left "streaming" by a process that died become "incomplete".

        Their partial text (as of the last `append_partial`) is kept. Returns how many.
        """
        with self._write() as db:
            rows = db.execute("SELECT id, pid FROM turns WHERE status = 'streaming'").fetchall()
            dead = [row["id"] for row in rows if not _process_alive(row["pid"])]
            now = _now()
            db.executemany(
                "UPDATE turns SET status = 'incomplete', error = ?, updated = ? WHERE id = ?",
                [(RECOVERED_ERROR, now, turn_id) for turn_id in dead],
            )
        return len(dead)

    def delete_session(self, session_id: str) -> bool:
        """Delete a session and its turns; False when there was no such session."""
        with self._write() as db:
            deleted = db.execute("DELETE FROM sessions WHERE id = ?", (session_id,)).rowcount
        return deleted > 0

    # -- reading -----------------------------------------------------------------------

    def sessions(self) -> list[SessionInfo]:
        """Every session, most recently active first."""
        with self._read() as db:
            rows = db.execute(SESSION_QUERY + " ORDER BY s.updated DESC, s.rowid DESC").fetchall()
        return [session_info(row) for row in rows]

    def session(self, session_id: str) -> SessionInfo | None:
        """One session, or None."""
        with self._read() as db:
            row = db.execute(SESSION_QUERY + " WHERE s.id = ?", (session_id,)).fetchone()
        return None if row is None else session_info(row)

    def turns(self, session_id: str) -> list[SavedTurn]:
        """The turns of a session in the order they were asked (empty for an unknown id)."""
        with self._read() as db:
            rows = db.execute(
                "SELECT * FROM turns WHERE session_id = ? ORDER BY id", (session_id,)
            ).fetchall()
        return [turn_of(row) for row in rows]

    def to_markdown(self, session_id: str) -> str:
        """A readable transcript of the session (see `assistant.transcript`).

        KeyError if no such session.
        """
        from assistant.transcript import session_markdown

        info = self.session(session_id)
        if info is None:
            raise KeyError(f"no history session {session_id!r}")
        return session_markdown(info, self.turns(session_id))

    # -- internals ---------------------------------------------------------------------

    def _end_turn(
        self,
        turn_id: int,
        *,
        status: TurnStatus,
        answer: str,
        error: str | None,
        extra: tuple[str, tuple[Any, ...]] = ("", ()),
    ) -> None:
        now = _now()
        columns, values = extra
        with self._write() as db:
            row = db.execute("SELECT session_id FROM turns WHERE id = ?", (turn_id,)).fetchone()
            if row is None:
                raise KeyError(f"no history turn {turn_id}")
            db.execute(
                f"UPDATE turns SET status = ?, answer = ?, error = ?, updated = ?{columns} "
                "WHERE id = ?",
                (status, answer, error, now, *values, turn_id),
            )
            db.execute("UPDATE sessions SET updated = ? WHERE id = ?", (now, row["session_id"]))

    def _migrate(self) -> None:
        with self._write() as db:
            db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = db.execute("SELECT MAX(version) AS v FROM schema_version").fetchone()
            version = row["v"] or 0
            if version > SCHEMA_VERSION:
                raise HistoryError(
                    f"The history database at {self.path} was written by a newer ra "
                    f"(schema {version}): upgrade ra, or move the file aside and restart ra."
                )
            for target in range(version + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[target]:
                    db.execute(statement)
                db.execute("INSERT INTO schema_version (version) VALUES (?)", (target,))

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        # BEGIN IMMEDIATE takes the write lock up front: a deferred transaction that
        # upgrades from read to write can fail at once with "database is locked" in WAL
        # mode instead of waiting for the busy timeout.
        with self._translate(), self._lock:
            db = self._connection()
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:  # a failed COMMIT (disk full) leaves it open
                    db.execute("ROLLBACK")
                raise

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._translate(), self._lock:
            yield self._connection()

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RuntimeError("HistoryStore is closed")
        return self._conn

    @contextmanager
    def _translate(self) -> Iterator[None]:
        """Turn SQLite's failures into a HistoryError that says what to do."""
        try:
            yield
        except (sqlite3.ProgrammingError, sqlite3.IntegrityError, sqlite3.InterfaceError):
            raise  # our bugs, not the user's file
        except sqlite3.DatabaseError as exc:
            raise HistoryError(_explain(self.path, exc)) from exc


def _explain(path: Path, exc: sqlite3.DatabaseError) -> str:
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return (
            f"The history database at {path} stayed locked by another program for "
            f"{BUSY_TIMEOUT_S:g} s: close other ra windows and try again."
        )
    if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")):
        return (
            f"The history database at {path} cannot be written: check the permissions of "
            f"{path.parent} (or set RA_DATA_DIR) and restart ra."
        )
    if name.startswith("SQLITE_FULL"):
        return f"The disk holding {path} is full: free some space and restart ra."
    return f"The history database at {path} is damaged: move it aside and restart ra."


def _now() -> str:
    # Fixed width (microseconds, +00:00) so the text sorts in time order in SQL.
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _process_alive(pid: int | None) -> bool:
    if pid is None:
        return False
    if pid == os.getpid():
        return True
    if os.name == "nt":
        return False  # os.kill(pid, 0) would terminate the process on Windows
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True
