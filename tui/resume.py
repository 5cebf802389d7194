"""A past session shown again in the chat: its questions, its answers as they were
saved (cut ones marked), and the sources of its last answer in the panel."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assistant.citations import highlight_citations
from tui.widgets import SourceEntry

if TYPE_CHECKING:
    from assistant.workspace import Workspace
    from tui.chat import ChatScreen


async def restore(chat: ChatScreen, session_id: str) -> None:
    """Replace the chat's messages with the turns of `session_id`."""
    await chat.messages.remove_children()
    last = None
    for turn in chat.workspace.history.turns(session_id):
        await chat.add_message("user", turn.question)
        status = "" if turn.state == "complete" else f" ({turn.state})"
        await chat.add_message(
            "assistant",
            highlight_citations(turn.answer or "*No answer.*"),
            title=f"Assistant{status}",
        )
        last = turn
    if last is not None:
        chat.sources.show([_entry(chat.workspace, c) for c in last.citations])
    if last is not None and (last.interrupted or last.truncated):
        chat.notify(f"Session restored; its last answer is {last.state}: type /continue.")
    else:
        chat.notify("Session restored.")


def _entry(workspace: Workspace, citation: dict[str, Any]) -> SourceEntry:
    """A saved citation as a source to open: its paper when the catalog still has it."""
    from assistant.thresholds import DEFAULT

    paper_id = citation.get("paper_id") or ""
    paper = workspace.paper(paper_id) if paper_id else None
    support = citation.get("support")
    weak = support is not None and support < DEFAULT.weak_support
    return SourceEntry(
        int(citation["n"]), paper, citation["title"], citation.get("source", ""), support, weak
    )
