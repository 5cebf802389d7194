"""The chat screen's widgets: messages that stream Markdown, the sources panel, the
status bar. They render what they are given and post messages up; no logic here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.markup import escape
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, ListItem, ListView, Markdown, Static
from textual.widgets.markdown import MarkdownStream

from tui.messages import SourceOpened

if TYPE_CHECKING:
    from retrieval.records import Paper

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


class MessageView(Vertical):
    """One message: who wrote it, then Markdown that can grow token by token."""

    def __init__(self, role: str, text: str = "", *, title: str = "") -> None:
        super().__init__(classes=f"message {role}")
        self.role = role
        self.title = title or ("You" if role == "user" else "Assistant")
        self._initial = text
        self._stream: MarkdownStream | None = None
        self.raw = text

    def compose(self) -> ComposeResult:
        yield Label(self.title, classes="who")
        yield Markdown(self._initial, classes="body")

    @property
    def body(self) -> Markdown:
        return self.query_one(".body", Markdown)

    async def append(self, text: str) -> None:
        """Add streamed text without re-rendering what is already shown."""
        if self._stream is None:
            self._stream = Markdown.get_stream(self.body)
        self.raw += text
        await self._stream.write(text)

    async def replace(self, text: str, *, title: str | None = None) -> None:
        """Show the final (cite-checked) text in place of the raw stream."""
        if self._stream is not None:
            await self._stream.stop()
            self._stream = None
        self.raw = text
        if title is not None:
            self.title = title
            self.query_one(".who", Label).update(title)
        await self.body.update(text)

    async def show_banner(self, text: str) -> None:
        """A warning above the body, e.g. for an answer that cites none of its sources."""
        for old in self.query(".banner"):
            await old.remove()
        await self.mount(Static(text, classes="banner", markup=False), before=self.body)


@dataclass(frozen=True)
class SourceEntry:
    n: int
    paper: Paper | None
    title: str
    location: str
    support: float | None = None
    weak: bool = False


class SourceItem(ListItem):
    def __init__(self, entry: SourceEntry) -> None:
        super().__init__()
        self.entry = entry

    def compose(self) -> ComposeResult:
        e = self.entry
        p = e.paper
        meta = ""
        if p is not None:
            authors = ", ".join(p.authors[:2]) + (" et al." if len(p.authors) > 2 else "")
            meta = " · ".join(x for x in (authors, str(p.year or ""), p.venue or "") if x)
        weak = " ⚠ weak support" if e.weak else ""
        yield Label(f"[b]\\[{e.n}][/b] {escape(e.title)}", markup=True, classes="source-title")
        yield Label(f"{meta}\n{e.location}{weak}", markup=False, classes="source-meta")


class SourcesPanel(Vertical):
    """The papers cited by the current answer; Enter or a click posts `SourceOpened`."""

    def compose(self) -> ComposeResult:
        yield Label("Sources", classes="panel-title")
        yield ListView(id="source-list")

    def show(self, entries: list[SourceEntry]) -> None:
        # While the app closes its children go first: then there is nothing to show in.
        for view in self.query(ListView).results(ListView):
            view.clear()
            for entry in entries:
                view.append(SourceItem(entry))
            if entries:
                view.index = 0  # so Enter opens the first source straight after ctrl+s
        for title in self.query(".panel-title").results(Label):
            title.update(f"Sources ({len(entries)})" if entries else "Sources")

    def on_list_view_selected(self, event: ListView.Selected) -> None:
        if isinstance(event.item, SourceItem):
            self.post_message(SourceOpened(event.item.entry))


class StatusBar(Static):
    """Mode, index size, the last answer's tokens and cost, and a spinner while busy."""

    def __init__(self) -> None:
        super().__init__(id="status")
        self.mode = ""
        self.index = "index: preparing…"
        self.usage = ""
        self.busy = ""
        self._frame = 0

    def on_mount(self) -> None:
        self.set_interval(0.1, self._tick)

    def _tick(self) -> None:
        if self.busy:
            self._frame = (self._frame + 1) % len(SPINNER)
            self.refresh_text()

    def set(self, **fields: str) -> None:
        for name, value in fields.items():
            setattr(self, name, value)
        self.refresh_text()

    def refresh_text(self) -> None:
        parts = [self.mode, self.index]
        if self.usage:
            parts.append(self.usage)
        if self.busy:
            parts.append(f"{SPINNER[self._frame]} {self.busy}")
        self.update(" │ ".join(p for p in parts if p))
