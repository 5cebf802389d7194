"""The chat screen: the conversation, the sources panel and the status bar, and the
state of the chat (its session, queued requests, typed history, the last result).

It owns that state and its parts: `JobQueue` (what a typed request does),
`AnswerJob` (the answer in progress), `WritingJobs` (lists, drafts, export). Widgets
below post messages up; this screen handles them and calls widget methods down.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, ProgressBar

from assistant.phrasing import route
from tui.answering import AnswerJob
from tui.commands import BY_NAME, CommandError, parse, welcome_commands
from tui.controller import BUSY, JobQueue, Verdict
from tui.messages import SourceOpened
from tui.palette import SlashSuggester
from tui.recall import InputHistory
from tui.screens import HelpScreen, HistoryScreen, PaperScreen, PapersScreen
from tui.widgets import MessageView, SourceEntry, SourcesPanel, StatusBar
from tui.writing import WritingJobs

if TYPE_CHECKING:
    from assistant.session import ChatSession
    from assistant.workspace import Workspace

WELCOME = f"""**research-assistant**: ask about the papers in your corpus and your own agenda.
Answers cite numbered sources; text that cites none is marked, and the sources panel
on the right opens each paper.
Type a question, or `/help` for the commands ({welcome_commands()})."""


class ChatScreen(Screen[None]):
    """The `ra chat` conversation; the app's first screen."""

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.session: ChatSession | None = None
        self.jobs: JobQueue[MessageView] = JobQueue(lambda: workspace.ready)
        self.typed = InputHistory()
        self.answers = AnswerJob(self)
        self.writing = WritingJobs(self)

    # --- layout -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            with Vertical(id="chat"):
                yield VerticalScroll(MessageView("assistant", WELCOME, title="ra"), id="messages")
                yield ProgressBar(id="progress", show_eta=False)
                yield Input(
                    placeholder="Ask about your papers, or /help",
                    id="prompt",
                    suggester=SlashSuggester(),
                )
            yield SourcesPanel(id="sources")
        yield StatusBar()
        yield Footer()

    def on_mount(self) -> None:
        self.status.set(mode=self.workspace.mode)
        self.prompt.focus()
        self.prepare()

    @property
    def status(self) -> StatusBar:
        return self.query_one(StatusBar)

    @property
    def messages(self) -> VerticalScroll:
        return self.query_one("#messages", VerticalScroll)

    @property
    def sources(self) -> SourcesPanel:
        return self.query_one(SourcesPanel)

    @property
    def prompt(self) -> Input:
        return self.query_one("#prompt", Input)

    @property
    def progress(self) -> ProgressBar:
        return self.query_one("#progress", ProgressBar)

    # --- opening the index --------------------------------------------------------------

    def prepare(self) -> None:
        """Open (or build) the index in a thread; queued requests run once it is open."""
        self.run_worker(self._prepare, thread=True, exclusive=True, group="prepare")

    def _prepare(self) -> None:
        call: Callable[..., Any] = self.app.call_from_thread
        call(self.status.set, busy="opening the index")
        try:
            stats = self.workspace.prepare(partial(call, self.show_progress))
        except Exception as exc:
            call(self.index_failed, self.workspace.explain(exc))
            return
        call(self.index_ready, stats.papers, stats.chunks)

    def show_progress(self, stage: str, done: int, total: int) -> None:
        """Indexing progress: the bar while embedding, the stage in the status bar."""
        if stage == "embedding" and total:
            self.progress.display = True
            self.progress.update(total=total, progress=done)
        self.status.set(busy=f"indexing: {stage} {done}/{total}" if total else f"{stage}…")

    def index_ready(self, papers: int, chunks: int) -> None:
        """The index is open: say its size and run the first queued request."""
        self.progress.display = False
        self.status.set(index=f"{papers} papers · {chunks} chunks", busy="")
        self.run_next()

    def index_failed(self, sentence: str) -> None:
        """The index could not be opened: say why; the next request tries again."""
        self.jobs.index_failed(sentence)
        self.progress.display = False
        self.status.set(index="index: not available", busy="")
        self.notify(sentence, severity="error", timeout=15)

    def need_index(self) -> bool:
        """True when the index is open; otherwise say why the request must wait."""
        reason = self.jobs.unavailable()
        if reason is not None:
            self.notify(reason)
        return reason is None

    # --- input and the queue --------------------------------------------------------------

    @on(Input.Submitted, "#prompt")
    async def submitted(self, event: Input.Submitted) -> None:
        """Enter in the input: run the request, or queue it (see `JobQueue.verdict`)."""
        text = event.value.strip()
        if not text:
            return
        event.input.value = ""
        self.typed.add(text)
        verdict = self.jobs.verdict(text)
        if verdict is Verdict.RUN:
            await self.dispatch(text)
            return
        view = await self.add_message("user", text, title="You · queued")
        self.jobs.wait(text, view)
        if verdict is Verdict.RETRY_INDEX:  # the last attempt failed: try again
            self.notify(f"{self.jobs.retry_index()} Trying again.", severity="warning")
            self.prepare()
        elif verdict is Verdict.WAIT_FOR_INDEX:
            self.notify(
                "The index is still being prepared: your request will run when it is ready."
            )
        else:
            self.notify("Queued: it runs when the current one is done (Escape cancels an answer).")
        self.run_next()  # the index may have opened, or the job ended, meanwhile

    def run_next(self) -> None:
        """Run the next queued request, one at a time."""
        queued = self.jobs.next()
        if queued is not None:
            self.call_later(self._run_queued, queued.text, queued.handle)

    async def _run_queued(self, text: str, view: MessageView) -> None:
        if view.is_mounted:  # the request shows again, as asked, when it runs
            await view.remove()
        await self.dispatch(text)

    async def dispatch(self, text: str) -> None:
        """Run a typed line: a slash command, or a question."""
        try:
            command = parse(text)
        except CommandError as exc:
            self.notify(str(exc), severity="warning")
            return
        result = getattr(self, f"command_{command.name}")(command.arg)
        if inspect.isawaitable(result):
            await result

    def palette_command(self, name: str) -> None:
        """From the command palette: run it, or put it in the input when it needs words."""
        if BY_NAME[name].needs_arg:
            self.put_back(f"/{name} ")
        else:
            self.call_later(self.dispatch, f"/{name}")

    def put_back(self, text: str) -> None:
        """Put `text` in the input, the cursor at its end, and focus it."""
        self.prompt.value = text
        self.prompt.cursor_position = len(text)
        self.prompt.focus()

    def recall(self, step: int) -> None:
        """Up and down in the input: earlier questions."""
        if not self.typed or self.focused is not self.prompt:
            return
        self.prompt.value = self.typed.step(step)
        self.prompt.cursor_position = len(self.prompt.value)

    async def add_message(
        self, role: str, text: str, *, title: str = "", top: bool = False
    ) -> MessageView:
        """Add a message; `top` scrolls to its start (long lists are read from the top)."""
        view = MessageView(role, text, title=title)
        await self.messages.mount(view)
        if top:
            # Scroll once the whole text is mounted: scrolled while the Markdown is still
            # mounting, the chat is shorter than it will be and the scroll stops short.
            await view.body.update(text)
            self.call_after_refresh(self.messages.scroll_to_widget, view, top=True, animate=False)
        else:
            self.messages.scroll_end(animate=False)
        return view

    # --- the commands ----------------------------------------------------------------------

    async def command_ask(self, question: str) -> None:
        """A question (or a request in words that names another task)."""
        task = route(question)
        if task != "ask":  # 'give me a reading list on X' runs the list, as /list would
            await self.add_message("user", question)
            self.writing.routed(question, task)
            return
        if not self._answer_can_start():
            return
        try:
            if self.session is None:
                self.session = self.workspace.session()
        except Exception as exc:
            self.notify(self.workspace.explain(exc), severity="error", timeout=15)
            return
        await self.answers.start(question)

    async def command_continue(self, _arg: str = "") -> None:
        """Continue the session's last answer where it was cut short or interrupted."""
        if not self._answer_can_start():
            return
        turn = self.session.unfinished() if self.session is not None else None
        if turn is None:
            self.notify("The last answer is complete: there is nothing to continue.")
            return
        await self.answers.start(turn.question, resume=True, shown=turn.answer)

    def _answer_can_start(self) -> bool:
        if self.answers.alive:
            self.notify(BUSY["answer"])
            return False
        return self.need_index()

    async def command_list(self, topic: str) -> None:
        await self.writing.reading_list(topic)

    async def command_me(self, topic: str) -> None:
        await self.writing.reading_list(topic, for_me=True)

    async def command_related(self, topic: str) -> None:
        await self.writing.related(topic)

    async def command_triage(self, source: str) -> None:
        await self.writing.triage(source)

    def command_export(self, arg: str) -> None:
        self.writing.export_command(arg)

    async def command_papers(self, query: str) -> None:
        if self.need_index():
            await self.app.push_screen(PapersScreen(self.workspace, query))

    async def command_new(self, _arg: str = "") -> None:
        self.answers.stop()
        self.session = None  # the session row is written with its first question
        await self.messages.remove_children()
        await self.add_message("assistant", "New session. " + WELCOME, title="ra")
        self.sources.show([])
        self.writing.last_export = None

    def command_history(self, _arg: str = "") -> None:
        self.app.push_screen(HistoryScreen(self.workspace), self.resume)

    async def resume(self, session_id: str | None) -> None:
        """Reopen a past session: its turns, and the sources of its last answer."""
        from tui.resume import restore

        if not session_id or not self.need_index():
            return
        self.answers.stop()
        try:
            self.session = self.workspace.session(session_id)
        except Exception as exc:
            self.notify(self.workspace.explain(exc), severity="error", timeout=15)
            return
        await restore(self, session_id)

    def command_model(self, _arg: str = "") -> None:
        stats = self.workspace.stats
        index = f"{stats.papers} papers, {stats.chunks} chunks" if stats else "being prepared"
        self.notify(
            f"Mode: {self.workspace.mode}. Index: {index}. Data: {self.workspace.settings.data_dir}."
        )

    def command_help(self, _arg: str = "") -> None:
        self.app.push_screen(HelpScreen(self.app.BINDINGS))

    @on(SourceOpened)
    def open_source(self, event: SourceOpened) -> None:
        """A source chosen in the panel: open its paper, or say it is a passage."""
        entry: SourceEntry = event.entry
        if entry.paper is None:
            self.notify(f"{entry.title} is a passage of {entry.location}, not a paper.")
            return
        self.app.push_screen(PaperScreen(self.workspace, entry.paper))
