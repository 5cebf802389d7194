"""The terminal UI: chat with streamed, cite-checked answers, sources you can open,
reading lists, drafts and history.

It only renders and dispatches: every service comes from the `Workspace` handed to
`create_app`, and slow work (indexing, loading the model, answering) runs in thread
workers so the screen is painted before any heavy library is imported.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Input, ProgressBar
from textual.worker import Worker, get_current_worker

from assistant.citations import highlight_citations
from assistant.phrasing import route
from tui.commands import JOBS, CommandError, SlashCommands, SlashSuggester, parse
from tui.screens import HelpScreen, HistoryScreen, PaperScreen, PapersScreen
from tui.widgets import MessageView, SourceEntry, SourcesPanel, StatusBar
from tui.writing import WritingJobs

if TYPE_CHECKING:
    from assistant.answers import Answer
    from assistant.session import ChatSession
    from assistant.workspace import Workspace
    from retrieval.records import Paper

TRUNCATED_NOTE = "Truncated: the model stopped before the answer was finished. Type /continue."
WELCOME = """**research-assistant**: ask about the papers in your corpus and your own agenda.
Answers cite numbered sources; text that cites none is marked, and the sources panel
on the right opens each paper.
Type a question, or `/help` for the commands (`/list TOPIC`, `/related TOPIC`,
`/me`, `/triage`, `/papers`, `/export`, `/history`)."""


class ResearchApp(WritingJobs):
    """The `ra chat` app. Build it with `create_app`."""

    CSS_PATH = "app.tcss"
    TITLE = "research-assistant"
    COMMANDS = App.COMMANDS | {SlashCommands}
    BINDINGS = [
        Binding("escape", "cancel", "Cancel answer", show=True),
        Binding("ctrl+s", "focus_sources", "Sources"),
        Binding("ctrl+o", "export", "Export"),
        Binding("ctrl+n", "new_session", "New"),
        Binding("ctrl+r", "history", "History"),
        Binding("ctrl+t", "toggle_theme", "Theme"),
        Binding("f1", "help", "Help"),
        Binding("up", "history_prev", show=False),
        Binding("down", "history_next", show=False),
        Binding("ctrl+q", "quit", "Quit"),
    ]

    def _fatal_error(self) -> None:
        """Textual's crash report, without local variables: they can hold the API key."""
        import rich
        from rich.segment import Segments
        from rich.traceback import Traceback

        self.bell()
        traceback = Traceback(show_locals=False, width=None, suppress=[rich])
        self._exit_renderables.append(
            Segments(self.console.render(traceback, self.console.options))
        )
        self._close_messages_no_wait()

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.session: ChatSession | None = None
        # Requests typed before the index opened or while another job ran, in order,
        # each shown in the chat as a queued message until it runs.
        self.pending: list[tuple[str, MessageView]] = []
        self.typed: list[str] = []  # input history for up/down
        self._typed_pos = 0
        self.answering: Worker[None] | None = None
        self.answer_view: MessageView | None = None
        self.answer_alive = False  # the answer thread runs until it has saved its turn
        self.writing_alive = False
        self.prepare_error: str | None = None
        self.asked = ""
        self.last_export: tuple[str, str, str] | None = None  # (name, markdown, bibtex)
        self.basket: list[Paper] = []
        self.leaving = False

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
        self.query_one("#prompt", Input).focus()
        if not self.is_headless:  # a real terminal: leave when it goes away
            from tui import lifeline

            self.set_interval(lifeline.POLL_S, lifeline.install(self.leave))
        self.prepare()

    def leave(self, reason: str, code: int) -> None:
        """The terminal is gone or ra was told to stop: save the answer in progress
        as interrupted and exit now, whatever the threads are doing."""
        if self.leaving:
            return
        self.leaving = True
        from tui import lifeline

        if self.session is not None:
            self.session.interrupt(reason)
        lifeline.exit_soon(code)
        self.exit(return_code=code)

    @property
    def status(self) -> StatusBar:
        return self.query_one(StatusBar)

    @property
    def messages(self) -> VerticalScroll:
        return self.query_one("#messages", VerticalScroll)

    # --- preparing the index ----------------------------------------------------------

    @work(thread=True, exclusive=True, group="prepare")
    def prepare(self) -> None:
        self.call_from_thread(self.status.set, busy="opening the index")
        try:
            stats = self.workspace.prepare(self._progress_from_thread)
        except Exception as exc:
            sentence = self.workspace.explain(exc)
            self.call_from_thread(self._prepare_failed, sentence)
            return
        self.call_from_thread(self._prepared, stats.papers, stats.chunks)

    def _progress_from_thread(self, stage: str, done: int, total: int) -> None:
        self.call_from_thread(self._progress, stage, done, total)

    def _progress(self, stage: str, done: int, total: int) -> None:
        bar = self.query_one("#progress", ProgressBar)
        if stage == "embedding" and total:
            bar.display = True
            bar.update(total=total, progress=done)
        self.status.set(busy=f"indexing: {stage} {done}/{total}" if total else f"{stage}…")

    def _prepared(self, papers: int, chunks: int) -> None:
        self.query_one("#progress", ProgressBar).display = False
        self.status.set(index=f"{papers} papers · {chunks} chunks", busy="")
        self.drain_pending()

    def _prepare_failed(self, sentence: str) -> None:
        self.prepare_error = sentence
        self.query_one("#progress", ProgressBar).display = False
        self.status.set(index="index: not available", busy="")
        self.notify(sentence, severity="error", timeout=15)

    def drain_pending(self) -> None:
        """Run the next queued request, one at a time."""
        if self.pending and self.workspace.ready and not self.busy:
            self.call_later(self._run_queued, *self.pending.pop(0))

    async def _queue(self, text: str) -> None:
        view = await self.add_message("user", text, title="You · queued")
        self.pending.append((text, view))
        self.drain_pending()  # the index may have opened, or the job ended, meanwhile

    async def _run_queued(self, text: str, view: MessageView) -> None:
        if view.is_mounted:  # the request shows again, as asked, when it runs
            await view.remove()
        await self.dispatch(text)

    def _is_job(self, text: str) -> bool:
        try:
            return parse(text).name in JOBS
        except CommandError:
            return False

    @property
    def busy(self) -> bool:
        return self.answer_alive or self.writing_alive

    def need_index(self) -> bool:
        """True when the index is open; otherwise say why the request must wait."""
        if self.workspace.ready:
            return True
        self.notify(
            self.prepare_error or "The index is still being prepared: try again in a moment."
        )
        return False

    # --- input ------------------------------------------------------------------------------

    @on(Input.Submitted, "#prompt")
    async def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            return
        event.input.value = ""
        self.typed.append(text)
        self._typed_pos = len(self.typed)
        if not self.workspace.ready and not text.startswith(("/help", "/model")):
            await self._queue(text)
            if self.prepare_error is not None:  # the last attempt failed: try again
                self.notify(f"{self.prepare_error} Trying again.", severity="warning")
                self.prepare_error = None
                self.prepare()
            else:
                self.notify(
                    "The index is still being prepared: your request will run when it is ready."
                )
            return
        if self.busy and self._is_job(text):
            await self._queue(text)
            self.notify("Queued: it runs when the current one is done (Escape cancels an answer).")
            return
        await self.dispatch(text)

    async def dispatch(self, text: str) -> None:
        try:
            command = parse(text)
        except CommandError as exc:
            self.notify(str(exc), severity="warning")
            return
        result = getattr(self, f"command_{command.name}")(command.arg)
        if inspect.isawaitable(result):
            await result

    def palette_command(self, name: str) -> None:
        """From the command palette: run it, or put it in the input to complete."""
        prompt = self.query_one("#prompt", Input)
        if name in ("new", "history", "help", "model", "triage", "me", "papers", "export"):
            self.call_later(self.dispatch, f"/{name}")
        else:
            prompt.value = f"/{name} "
            prompt.cursor_position = len(prompt.value)
            prompt.focus()

    def action_history_prev(self) -> None:
        self._recall(-1)

    def action_history_next(self) -> None:
        self._recall(1)

    def _recall(self, step: int) -> None:
        prompt = self.query_one("#prompt", Input)
        if not self.typed or self.focused is not prompt:
            return
        self._typed_pos = max(0, min(len(self.typed), self._typed_pos + step))
        prompt.value = self.typed[self._typed_pos] if self._typed_pos < len(self.typed) else ""
        prompt.cursor_position = len(prompt.value)

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

    # --- asking --------------------------------------------------------------------------------

    async def command_ask(self, question: str) -> None:
        task = route(question)
        if task != "ask":  # 'give me a reading list on X' runs the list, as /list would
            await self.add_message("user", question)
            self.command_routed(question, task)
            return
        if self.answer_alive:
            self.notify("An answer is still running: wait, or press Escape to cancel it.")
            return
        if not self.need_index():
            return
        try:
            if self.session is None:
                self.session = self.workspace.session()
        except Exception as exc:
            self._explain_or_raise(exc)
            return
        self.asked = question
        await self.add_message("user", question)
        view = await self.add_message("assistant", "", title=f"Assistant · {self.workspace.mode}")
        self.answer_view = view
        self.answer_alive = True
        self.answering = self.answer(question, view)

    async def command_continue(self, _arg: str = "") -> None:
        """Continue the session's last answer where it was cut short or interrupted."""
        if self.answer_alive:
            self.notify("An answer is still running: wait, or press Escape to cancel it.")
            return
        if not self.need_index():
            return
        turn = self.session.unfinished() if self.session is not None else None
        if turn is None:
            self.notify("The last answer is complete: there is nothing to continue.")
            return
        self.asked = turn.question
        await self.add_message("user", "/continue")
        view = await self.add_message(
            "assistant", turn.answer, title=f"Assistant · {self.workspace.mode} · continued"
        )
        self.answer_view = view
        self.answer_alive = True
        self.answering = self.answer(turn.question, view, resume=True)

    def _explain_or_raise(self, exc: Exception) -> None:
        sentence = self.workspace.explain(exc)
        self.notify(sentence, severity="error", timeout=15)

    @work(thread=True, group="answer")
    def answer(self, question: str, view: MessageView, resume: bool = False) -> None:
        from assistant.ask import Done, Status, Token
        from assistant.session import AnswerCancelled

        assert self.session is not None
        worker = get_current_worker()
        started = False
        # The session checks for Escape again just before it saves the turn as complete.
        stop = lambda: worker.is_cancelled  # noqa: E731
        events = self.session.continue_last(stop) if resume else self.session.ask(question, stop)
        try:
            for event in events:
                if worker.is_cancelled:
                    break
                if isinstance(event, Token):
                    started = True
                    self.call_from_thread(self._token, view, event.text)  # type: ignore[arg-type]
                elif isinstance(event, Status):
                    self.call_from_thread(self.status.set, busy=event.text)
                elif isinstance(event, Done):
                    self.call_from_thread(self._answered, view, event.answer)  # type: ignore[arg-type]
        except AnswerCancelled:
            pass
        except Exception as exc:
            sentence = self.workspace.explain(exc, started=started)
            self.call_from_thread(self._failed, view, sentence)  # type: ignore[arg-type]
        finally:
            events.close()  # a cancelled answer is saved as interrupted, never as complete
            self.call_from_thread(self._answer_ended, worker.is_cancelled)

    async def _token(self, view: MessageView, text: str) -> None:
        if view.is_mounted:  # not after /new or a resumed session replaced the messages
            await view.append(text)

    def _answer_ended(self, cancelled: bool) -> None:
        self.answer_alive = False
        if cancelled:
            self.status.set(busy="")
        self.drain_pending()

    async def _answered(self, view: MessageView, answer: Answer) -> None:
        if not view.is_mounted:
            return
        text = highlight_citations(answer.text)
        if answer.truncated:
            text += f"\n\n*{TRUNCATED_NOTE}*"
            self.notify(TRUNCATED_NOTE, severity="warning", timeout=10)
        if answer.refused:
            text += f"\n\nSearched for: “{answer.searched}”.\n\n" + answer.closest_markdown()
        else:
            text += "\n\n" + answer.references_markdown()
        if answer.fallback is not None:
            text += "\n\n---\n\n**Quoted from your corpus instead**\n\n" + (
                highlight_citations(answer.fallback.to_markdown().split("\n", 2)[-1])
            )
        title = f"Assistant · {self.workspace.mode} · truncated" if answer.truncated else None
        await view.replace(text, title=title)
        entries = [
            SourceEntry(
                c.n, c.source.hit.paper, c.source.title, c.source.location, c.support, c.weak
            )
            for c in answer.citations
        ] or [SourceEntry(s.n, s.hit.paper, s.title, s.location) for s in answer.sources[:5]]
        self.query_one(SourcesPanel).show(entries)
        from assistant.llm import usage_line

        self.status.set(usage=usage_line(answer.usage) if answer.usage else "", busy="")
        if answer.removed_citations:
            self.notify(
                "Removed citations that named no retrieved source: "
                + ", ".join(answer.removed_citations),
                severity="warning",
            )
        self.last_export = ("answer", answer.to_markdown(), answer.to_bibtex())
        if not answer.grounded:  # last: mounting awaits, and the screen may change meanwhile
            from assistant.grounding import UNGROUNDED_BANNER

            await view.show_banner(f"⚠ {UNGROUNDED_BANNER}")
        self.messages.scroll_end(animate=False)

    async def _failed(self, view: MessageView, sentence: str) -> None:
        if not view.is_mounted:
            self.notify(sentence, severity="error", timeout=15)
            return
        partial = view.raw
        note = (
            f"{partial}\n\n*Interrupted: not saved as a complete answer.*"
            if partial
            else "*No answer.*"
        )
        await view.replace(note, title="Assistant · error")
        self.status.set(busy="")
        self.notify(sentence, severity="error", timeout=15)

    def action_cancel(self) -> None:
        if self.answering is None or not self.answering.is_running:
            if isinstance(self.screen, HelpScreen):
                self.pop_screen()
            return
        self.answering.cancel()
        view = self.answer_view
        prompt = self.query_one("#prompt", Input)
        prompt.value = self.asked
        prompt.cursor_position = len(prompt.value)
        prompt.focus()
        self.status.set(busy="")
        self.notify("Cancelled; the question is back in the input.")
        if view is not None and view.is_mounted:
            self.call_later(view.replace, (view.raw + "\n\n*Cancelled.*").strip())

    # --- the other commands ----------------------------------------------------------------------

    async def command_papers(self, query: str) -> None:
        if self.need_index():
            await self.push_screen(PapersScreen(self.workspace, query))

    async def command_new(self, _arg: str = "") -> None:
        self._stop_answer()
        self.session = None  # the session row is written with its first question
        await self.messages.remove_children()
        await self.add_message("assistant", "New session. " + WELCOME, title="ra")
        self.query_one(SourcesPanel).show([])
        self.last_export = None

    def command_history(self, _arg: str = "") -> None:
        self.push_screen(HistoryScreen(self.workspace), self._resume)

    def _stop_answer(self) -> None:
        """Cancel a running answer before the messages it would write into go away."""
        if self.answering is not None and self.answering.is_running:
            self.answering.cancel()
        self.answer_view = None

    async def _resume(self, session_id: str | None) -> None:
        if not session_id or not self.need_index():
            return
        self._stop_answer()
        try:
            self.session = self.workspace.session(session_id)
        except Exception as exc:
            self._explain_or_raise(exc)
            return
        await self.messages.remove_children()
        last = None
        for turn in self.workspace.history.turns(session_id):
            await self.add_message("user", turn.question)
            status = "" if turn.state == "complete" else f" ({turn.state})"
            await self.add_message(
                "assistant",
                highlight_citations(turn.answer or "*No answer.*"),
                title=f"Assistant{status}",
            )
            last = turn
        if last is not None:
            from assistant.thresholds import DEFAULT

            entries = []
            for c in last.citations:
                paper = self.workspace.paper(c.get("paper_id") or "") if c.get("paper_id") else None
                support = c.get("support")
                weak = support is not None and support < DEFAULT.weak_support
                entries.append(
                    SourceEntry(
                        int(c["n"]), paper, c["title"], c.get("source", ""), support, weak
                    )
                )
            self.query_one(SourcesPanel).show(entries)
        if last is not None and (last.interrupted or last.truncated):
            self.notify(f"Session restored; its last answer is {last.state}: type /continue.")
        else:
            self.notify("Session restored.")

    def command_model(self, _arg: str = "") -> None:
        stats = self.workspace.stats
        index = f"{stats.papers} papers, {stats.chunks} chunks" if stats else "being prepared"
        self.notify(
            f"Mode: {self.workspace.mode}. Index: {index}. Data: {self.workspace.settings.data_dir}."
        )

    def command_help(self, _arg: str = "") -> None:
        self.push_screen(HelpScreen())

    # --- actions ----------------------------------------------------------------------------------

    def action_focus_sources(self) -> None:
        self.query_one("#source-list").focus()

    async def action_new_session(self) -> None:
        await self.command_new()

    def action_history(self) -> None:
        self.command_history()

    def action_help(self) -> None:
        self.command_help()

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    @on(SourcesPanel.Opened)
    def _open_source(self, event: SourcesPanel.Opened) -> None:
        if event.entry.paper is None:
            self.notify(f"{event.entry.title} is a passage of {event.entry.location}, not a paper.")
            return
        self.push_screen(PaperScreen(self.workspace, event.entry.paper))


def create_app(workspace: Workspace) -> ResearchApp:
    """The app factory the CLI and the tests both use: every service comes in here."""
    return ResearchApp(workspace)
