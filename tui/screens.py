"""Screens pushed over the chat: a paper, the catalog table, past sessions, help."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Footer, Input, Label, Markdown

from tui.commands import help_markdown
from tui.messages import AddToReadingList, PaperChosen

if TYPE_CHECKING:
    from assistant.history import SessionInfo
    from assistant.workspace import Workspace
    from retrieval.records import Paper

# The input's own key: not an app binding, but the first thing to know.
SUBMIT = ("enter", "send the question or command")


def keys_markdown(bindings: Iterable[BindingType]) -> str:
    """The keys table of the help screen: one row per binding with a tooltip, in order,
    neighbours with the same tooltip on one row (`up` / `down`)."""
    rows: list[tuple[list[str], str]] = [([SUBMIT[0]], SUBMIT[1])]
    for binding in bindings:
        if not isinstance(binding, Binding) or not binding.tooltip:
            continue
        if rows[-1][1] == binding.tooltip:
            rows[-1][0].append(binding.key)
        else:
            rows.append(([binding.key], binding.tooltip))
    lines = ["## Keys", "", "| key | what it does |", "| --- | --- |"]
    lines += [f"| {' / '.join(f'`{k}`' for k in keys)} | {text} |" for keys, text in rows]
    return "\n".join(lines) + "\n"


def paper_markdown(paper: Paper, bibtex: str) -> str:
    """Everything the catalog holds about a paper, as Markdown."""
    lines = [f"# {paper.title}", ""]
    if paper.authors:
        lines.append(f"**Authors:** {', '.join(paper.authors)}  ")
    meta = [
        f"**Year:** {paper.year}" if paper.year else "",
        f"**Venue:** {paper.venue}" if paper.venue else "",
    ]
    if any(meta):
        lines.append("  ·  ".join(m for m in meta if m) + "  ")
    if paper.topic:
        lines.append(f"**Topic:** {paper.topic}  ")
    if paper.keywords:
        lines.append(f"**Keywords:** {', '.join(paper.keywords)}  ")
    if paper.awards:
        lines.append(f"**Awards:** {', '.join(paper.awards)}  ")
    lines.append(f"**Key:** `{paper.bibkey}`")
    if paper.abstract:
        lines += ["", "## Abstract", "", paper.abstract]
    lines += ["", "## Sources", ""]
    lines += [f"- {s.label()}" for s in paper.sources] or ["- (none)"]
    if paper.links:
        lines += ["", "## Links", ""] + [f"- {link.label}: {link.url}" for link in paper.links]
    lines += ["", "## BibTeX", "", "```bibtex", bibtex.rstrip(), "```"]
    return "\n".join(lines)


class PaperScreen(Screen[None]):
    """One paper: all the catalog knows, its BibTeX, and what to do with it."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("a", "add", "Add to reading list"),
        Binding("c", "copy", "Copy BibTeX"),
        Binding("s", "similar", "Search similar"),
    ]

    def __init__(self, workspace: Workspace, paper: Paper) -> None:
        super().__init__()
        self.workspace = workspace
        self.paper = paper

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="paper-body"):
            yield Markdown(paper_markdown(self.paper, self.workspace.bibtex(self.paper)))
            yield Markdown("", id="similar")
        with Horizontal(id="paper-actions"):
            yield Button("Add to reading list", id="add")
            yield Button("Copy BibTeX", id="copy")
            yield Button("Search similar", id="similar-button")
        yield Footer()

    @on(Button.Pressed, "#add")
    def action_add(self) -> None:
        self.post_message(AddToReadingList(self.paper))

    @on(Button.Pressed, "#copy")
    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.workspace.bibtex(self.paper))
        self.notify(f"Copied the BibTeX of {self.paper.bibkey}.")

    @on(Button.Pressed, "#similar-button")
    def action_similar(self) -> None:
        self._similar()

    @work(thread=True, exclusive=True, group="similar")
    def _similar(self) -> None:
        try:
            papers = self.workspace.similar(self.paper)
        except Exception as exc:
            sentence = self.workspace.explain(exc)
            self.app.call_from_thread(self.notify, sentence, severity="error")
            return
        lines = ["## Similar papers", ""] + [
            f"- **{p.title}** ({p.year or 'n.d.'}) `{p.bibkey}`" for p in papers
        ]
        self.app.call_from_thread(self.query_one("#similar", Markdown).update, "\n".join(lines))


class PapersScreen(Screen[None]):
    """The catalog as a table, filtered as you type; Enter opens a paper."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, workspace: Workspace, query: str = "") -> None:
        super().__init__()
        self.workspace = workspace
        self.initial = query
        self.shown: list[Paper] = []

    def compose(self) -> ComposeResult:
        yield Input(
            self.initial, placeholder="filter: words in title, authors, venue…", id="filter"
        )
        yield DataTable(id="papers", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("year", "title", "authors", "venue", "key")
        self._fill(self.initial)
        self.query_one("#filter", Input).focus()

    @on(Input.Changed, "#filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#filter")
    def _to_table(self) -> None:
        self.query_one(DataTable).focus()

    def _fill(self, query: str) -> None:
        table = self.query_one(DataTable)
        table.clear()
        self.shown = self.workspace.papers(query)
        for p in self.shown[:500]:
            authors = ", ".join(p.authors[:2]) + (" et al." if len(p.authors) > 2 else "")
            table.add_row(
                str(p.year or ""), p.title[:70], authors[:30], (p.venue or "")[:20], p.bibkey
            )
        self.sub_title = f"{len(self.shown)} papers"

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self.shown):
            self.post_message(PaperChosen(self.shown[event.cursor_row]))


class HistoryScreen(Screen["str | None"]):
    """Past sessions: Enter reopens one, d deletes it."""

    BINDINGS = [
        Binding("escape", "dismiss_none", "Back"),
        Binding("d", "delete", "Delete"),
    ]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.sessions: list[SessionInfo] = []

    def compose(self) -> ComposeResult:
        yield Label("Past sessions: enter reopens, d deletes", id="history-title")
        yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("updated", "turns", "title")
        self._fill()
        table.focus()

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        self.sessions = self.workspace.history.sessions()
        for s in self.sessions:
            table.add_row(s.updated[:16].replace("T", " "), str(s.turns), s.title[:60])

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self.sessions):
            self.dismiss(self.sessions[event.cursor_row].id)

    def action_delete(self) -> None:
        row = self.query_one(DataTable).cursor_row
        if 0 <= row < len(self.sessions):
            session = self.sessions[row]
            self.workspace.history.delete_session(session.id)
            self.notify(f"Deleted “{session.title}”.")
            self._fill()


class HelpScreen(ModalScreen[None]):
    """The keys (from the app's bindings) and the slash commands (from their table)."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Close"),
        Binding("f1", "app.pop_screen", "Close"),
    ]

    def __init__(self, keys: Iterable[BindingType]) -> None:
        super().__init__()
        self.keys = list(keys)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown(keys_markdown(self.keys) + "\n" + help_markdown())
