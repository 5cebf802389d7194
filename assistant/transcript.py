"""A chat session as a readable Markdown transcript (`ra history show`, exports).

Unfinished answers are marked in the text, so a partial answer is never mistaken for
a complete one: `*(interrupted: the LLM stream broke off)*`, or for an answer the
model cut short, `*(truncated: the model stopped at its length limit)*`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from assistant.history_records import SavedTurn, SessionInfo, one_line
from assistant.render import reference_line, references_block

# What each finish_reason that cuts an answer means, in words.
CUT_REASONS = {
    "length": "the model stopped at its length limit",
    "content_filter": "the server's content filter stopped the answer",
}


def cut_note(turn: SavedTurn) -> str | None:
    """The note an unfinished turn carries, or None for a finished one."""
    if turn.status == "incomplete":
        return f"interrupted: {turn.error or 'unknown error'}"
    if turn.status == "streaming":
        return "interrupted: the answer was still being written"
    if turn.truncated:
        reason = turn.finish_reason or ""
        return f"truncated: {CUT_REASONS.get(reason, reason)}"
    return None


def session_markdown(info: SessionInfo, turns: list[SavedTurn]) -> str:
    """Title, each question as a heading, its answer, any cut note, References."""
    out = [f"# {one_line(info.title)}", "", f"*{_stamp(info.created)}*", ""]
    for turn in turns:
        out += [f"## {one_line(turn.question)}", ""]
        if turn.answer.strip():
            out += [turn.answer.strip(), ""]
        note = cut_note(turn)
        if note is not None:
            out += [f"*({note})*", ""]
        if turn.removed_citations:
            removed = ", ".join(turn.removed_citations)
            out += [f"*Citations removed by the check: {removed}*", ""]
        references = references_block(_reference(c) for c in turn.citations)
        if references:
            out += [references, ""]
    return "\n".join(out).rstrip() + "\n"


def _reference(citation: dict[str, Any]) -> tuple[int | None, str]:
    """(1, 'Does label smoothing mitigate label noise? [cv.md:70]') from a citation's JSON."""
    n = citation.get("n")
    title = str(citation.get("title") or "Untitled")
    return (None if n is None else int(n)), reference_line(title, str(citation.get("source") or ""))


def _stamp(iso: str) -> str:
    return "Started " + datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M UTC")
