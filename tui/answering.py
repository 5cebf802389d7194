"""One answer at a time in the chat: started, streamed token by token into its message,
replaced by the cite-checked text when it is done, cancelled by Escape.

`AnswerJob` is a part the chat screen holds (composition, not a base class): it keeps
the running worker, the message it writes into and the question asked, so Escape can
put that question back into the input.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.worker import Worker, get_current_worker

from assistant.render import TRUNCATED_NOTE, answer_markdown
from tui.widgets import MessageView, SourceEntry, SourcesPanel

if TYPE_CHECKING:
    from assistant.answers import Answer
    from tui.chat import ChatScreen


class AnswerJob:
    """The chat's answer in progress, if any."""

    def __init__(self, chat: ChatScreen) -> None:
        self.chat = chat
        self.worker: Worker[None] | None = None
        self.view: MessageView | None = None
        self.asked = ""

    @property
    def alive(self) -> bool:
        """True until the answer thread has saved its turn (also after a cancel)."""
        return self.chat.jobs.is_running("answer")

    async def start(self, question: str, *, resume: bool = False, shown: str = "") -> None:
        """Show the question and an empty answer, and stream the answer into it; `resume`
        continues the session's unfinished answer, whose text `shown` already holds."""
        busy = self.chat.jobs.start("answer")
        assert busy is None, "the chat checks that no answer runs before it starts one"
        self.asked = question
        mode = self.chat.workspace.mode
        await self.chat.add_message("user", "/continue" if resume else question)
        title = f"Assistant · {mode} · continued" if resume else f"Assistant · {mode}"
        self.view = await self.chat.add_message("assistant", shown, title=title)
        work = partial(self._run, question, self.view, resume)
        self.worker = self.chat.run_worker(work, thread=True, group="answer")

    def cancel(self) -> bool:
        """Escape: stop the answer and put its question back; False when none runs."""
        if self.worker is None or not self.worker.is_running:
            return False
        self.worker.cancel()
        self.chat.status.set(busy="")
        self.chat.put_back(self.asked)
        self.chat.notify("Cancelled; the question is back in the input.")
        view = self.view
        if view is not None and view.is_mounted:
            self.chat.call_later(view.replace, (view.raw + "\n\n*Cancelled.*").strip())
        return True

    def stop(self) -> None:
        """Cancel a running answer before the messages it would write into go away."""
        if self.worker is not None and self.worker.is_running:
            self.worker.cancel()
        self.view = None

    # --- the thread and what it reports -------------------------------------------------

    def _run(self, question: str, view: MessageView, resume: bool) -> None:
        from assistant.ask import Done, Status, Token
        from assistant.session import AnswerCancelled

        session = self.chat.session
        assert session is not None
        # Typed loosely: Textual types a callback that returns a coroutine as Never.
        call: Callable[..., Any] = self.chat.app.call_from_thread
        worker = get_current_worker()
        started = False
        # The session checks for Escape again just before it saves the turn as complete.
        stop = lambda: worker.is_cancelled  # noqa: E731
        events = session.continue_last(stop) if resume else session.ask(question, stop)
        try:
            for event in events:
                if worker.is_cancelled:
                    break
                if isinstance(event, Token):
                    started = True
                    call(self._token, view, event.text)
                elif isinstance(event, Status):
                    call(self.chat.status.set, busy=event.text)
                elif isinstance(event, Done):
                    call(self._answered, view, event.answer)
        except AnswerCancelled:
            pass
        except Exception as exc:
            sentence = self.chat.workspace.explain(exc, started=started)
            call(self._failed, view, sentence)
        finally:
            events.close()  # a cancelled answer is saved as interrupted, never as complete
            call(self._ended, worker.is_cancelled)

    async def _token(self, view: MessageView, text: str) -> None:
        if view.is_mounted:  # not after /new or a resumed session replaced the messages
            await view.append(text)

    def _ended(self, cancelled: bool) -> None:
        self.chat.jobs.end("answer")
        if cancelled:
            self.chat.status.set(busy="")
        self.chat.run_next()

    async def _answered(self, view: MessageView, answer: Answer) -> None:
        if not view.is_mounted:
            return
        chat = self.chat
        if answer.truncated:
            chat.notify(TRUNCATED_NOTE, severity="warning", timeout=10)
        title = f"Assistant · {chat.workspace.mode} · truncated" if answer.truncated else None
        await view.replace(answer_markdown(answer), title=title)
        if not (view.is_attached and chat.is_attached and chat.query(SourcesPanel)):
            return  # the app closed while the answer was drawn: nothing left to update
        entries = [
            SourceEntry(
                c.n, c.source.hit.paper, c.source.title, c.source.location, c.support, c.weak
            )
            for c in answer.citations
        ] or [SourceEntry(s.n, s.hit.paper, s.title, s.location) for s in answer.sources[:5]]
        chat.sources.show(entries)
        from assistant.usage import usage_line

        chat.status.set(usage=usage_line(answer.usage) if answer.usage else "", busy="")
        if answer.removed_citations:
            chat.notify(
                "Removed citations that named no retrieved source: "
                + ", ".join(answer.removed_citations),
                severity="warning",
            )
        chat.writing.last_export = ("answer", answer.to_markdown(), answer.to_bibtex())
        if not answer.grounded:  # last: mounting awaits, and the screen may change meanwhile
            from assistant.grounding import UNGROUNDED_BANNER

            await view.show_banner(f"⚠ {UNGROUNDED_BANNER}")
        chat.messages.scroll_end(animate=False)

    async def _failed(self, view: MessageView, sentence: str) -> None:
        if not view.is_mounted:
            self.chat.notify(sentence, severity="error", timeout=15)
            return
        partial_text = view.raw
        note = (
            f"{partial_text}\n\n*Interrupted: not saved as a complete answer.*"
            if partial_text
            else "*No answer.*"
        )
        await view.replace(note, title="Assistant · error")
        self.chat.status.set(busy="")
        self.chat.notify(sentence, severity="error", timeout=15)
