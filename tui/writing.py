"""The writing jobs of the chat: reading lists, drafts, triage, and export.

`WritingJobs` is a part the chat screen holds (composition, not a base class). A job
runs in a thread worker, one at a time; its result becomes a Markdown message whose
papers fill the sources panel and whose text `/export` saves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from tui.widgets import SourceEntry

if TYPE_CHECKING:
    from assistant.reading_list import ReadingList
    from assistant.related_work import Draft
    from retrieval.records import Paper
    from tui.chat import ChatScreen

# The name each task read from a request in words is shown and exported under.
TASK_NAMES = {
    "reading_list": "reading list",
    "related_work": "related-work draft",
    "triage": "triage",
    "profile": "profile",
}


@dataclass
class Written:
    """What a writing job shows and `/export` saves: Markdown, BibTeX, papers to open."""

    markdown: str
    bibtex: str = ""
    papers: list[Paper] = field(default_factory=list)


class WritingJobs:
    """Lists, drafts and triage for the chat, the last result to export, and the papers
    collected from paper screens."""

    def __init__(self, chat: ChatScreen) -> None:
        self.chat = chat
        self.last_export: tuple[str, str, str] | None = None  # (name, markdown, bibtex)
        self.basket: list[Paper] = []

    # --- the jobs -------------------------------------------------------------------------

    async def reading_list(self, topic: str, *, for_me: bool = False) -> None:
        workspace = self.chat.workspace
        if for_me:
            await self.chat.add_message("user", f"/me {topic}".strip())
            build = lambda: _listed(workspace.reading_list(topic, for_me=True))  # noqa: E731
            self.run("reading list for your agenda", build)
        else:
            await self.chat.add_message("user", f"/list {topic}")
            self.run("reading list", lambda: _listed(workspace.reading_list(topic)))

    async def related(self, topic: str) -> None:
        await self.chat.add_message("user", f"/related {topic}")
        workspace = self.chat.workspace
        self.run("related-work draft", lambda: _drafted(workspace.related_work(topic)))

    async def triage(self, source: str) -> None:
        await self.chat.add_message("user", f"/triage {source}".strip())
        self.run("triage", partial(self._triage, source.strip() or None))

    def _triage(self, source: str | None) -> Written:
        from assistant.export import bibtex

        report = self.chat.workspace.triage(source)
        return Written(report.to_markdown(), bibtex(report.papers), report.papers)

    def routed(self, text: str, task: str) -> None:
        """A request typed in words that names a task ('give me a reading list on X'): run
        that task, as its slash command would, with the constraints the request states."""
        self.run(TASK_NAMES[task], partial(self._request, text))

    def _request(self, text: str) -> Written:
        from assistant.export import bibtex

        workspace = self.chat.workspace
        routed = workspace.run(workspace.read(text))
        bib = "" if routed.request.task == "profile" else bibtex(routed.papers)
        return Written(routed.result.to_markdown(), bib, routed.papers)

    def run(self, what: str, build: Callable[[], Written]) -> None:
        """Run `build` in a thread, unless the index is closed or a job of this kind runs."""
        if not self.chat.need_index():
            return
        busy = self.chat.jobs.start("writing")
        if busy is not None:
            self.chat.notify(busy)
            return
        self.chat.run_worker(partial(self._work, what, build), thread=True, group="writing")

    def _work(self, what: str, build: Callable[[], Written]) -> None:
        # Typed loosely: Textual types a callback that returns a coroutine as Never.
        call: Callable[..., Any] = self.chat.app.call_from_thread
        call(self.chat.status.set, busy=f"writing the {what}")
        try:
            result = build()
        except Exception as exc:
            call(self._failed, self.chat.workspace.explain(exc))
            return
        call(self._written, what, result)

    async def _written(self, what: str, result: Written) -> None:
        chat = self.chat
        await chat.add_message("assistant", result.markdown, title=f"Assistant · {what}", top=True)
        self.last_export = (what.replace(" ", "-"), result.markdown, result.bibtex)
        if result.papers:  # every listed or cited paper can be opened from the panel
            chat.sources.show(
                [SourceEntry(n, p, p.title, _where(p)) for n, p in enumerate(result.papers, 1)]
            )
        self._ended()

    def _failed(self, sentence: str) -> None:
        self.chat.notify(sentence, severity="error", timeout=15)
        self._ended()

    def _ended(self) -> None:
        self.chat.jobs.end("writing")
        self.chat.status.set(busy="")
        self.chat.run_next()

    # --- export -----------------------------------------------------------------------------

    def export_command(self, arg: str) -> None:
        """'/export', '/export bib', '/export md my notes.md', '/export ~/x.bib' (spaces kept)."""
        first, _, rest = arg.strip().partition(" ")
        if first in ("md", "bib"):
            self.export(first, rest.strip())
        else:
            path = arg.strip()
            self.export("bib" if path.endswith(".bib") else "md", path)

    def export(self, fmt: str, path: str) -> None:
        """Save the last answer, list or draft as Markdown (`md`) or BibTeX (`bib`)."""
        chat = self.chat
        if self.last_export is None:
            chat.notify(
                "Nothing to export yet: ask something or make a list first.", severity="warning"
            )
            return
        name, markdown, bib = self.last_export
        text = markdown if fmt == "md" else bib
        if fmt == "bib" and not text.strip():
            chat.notify(
                "The last result cites no paper: nothing to put in a .bib.", severity="warning"
            )
            return
        target = path or f"{name}.{fmt}"
        try:
            written = chat.workspace.export(text, target)
        except Exception as exc:
            chat.notify(chat.workspace.explain(exc), severity="error")
            return
        chat.notify(f"Exported to {written}")

    def add_to_basket(self, paper: Paper) -> None:
        """'Add to reading list' on a paper screen: collect it for export."""
        if paper.id not in {p.id for p in self.basket}:
            self.basket.append(paper)
        from assistant.export import bibtex, references_markdown

        markdown = "# My reading list\n\n" + references_markdown(self.basket)
        self.last_export = ("my-reading-list", markdown, bibtex(self.basket))
        self.chat.notify(
            f"Added; your reading list has {len(self.basket)} papers (ctrl+o exports it)."
        )


def _listed(result: ReadingList) -> Written:
    return Written(result.to_markdown(), result.to_bibtex(), result.papers)


def _drafted(result: Draft) -> Written:
    return Written(result.to_markdown(), result.bibtex, result.cited)


def _where(paper: Paper) -> str:
    return paper.sources[0].short() if paper.sources else ""
