"""The writing jobs of the terminal UI: reading lists, drafts, triage, export.

A part of `ResearchApp` (its base class), kept apart so each file holds one concern:
the jobs run in a thread worker, one at a time, and their results become Markdown
messages whose papers fill the sources panel and whose text `/export` saves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual import work
from textual.app import App

from tui.widgets import SourceEntry, SourcesPanel

if TYPE_CHECKING:
    from assistant.reading_list import ReadingList
    from assistant.related_work import Draft
    from assistant.workspace import Workspace
    from retrieval.records import Paper
    from tui.widgets import MessageView, StatusBar


class WritingJobs(App[None]):
    """Reading lists, drafts, triage and export; the rest of the app is `ResearchApp`."""

    workspace: Workspace
    writing_alive: bool
    last_export: tuple[str, str, str] | None  # (name, markdown, bibtex)
    basket: list[Paper]

    if TYPE_CHECKING:  # provided by ResearchApp

        async def add_message(
            self, role: str, text: str, *, title: str = "", top: bool = False
        ) -> MessageView: ...

        def need_index(self) -> bool: ...

        def drain_pending(self) -> None: ...

        @property
        def status(self) -> StatusBar: ...

    # --- writing jobs ---------------------------------------------------------------------------

    async def command_list(self, topic: str) -> None:
        await self.add_message("user", f"/list {topic}")
        self._writing("reading list", lambda: _listed(self.workspace.reading_list(topic)))

    async def command_me(self, topic: str) -> None:
        await self.add_message("user", f"/me {topic}".strip())
        self._writing(
            "reading list for your agenda",
            lambda: _listed(self.workspace.reading_list(topic, for_me=True)),
        )

    async def command_related(self, topic: str) -> None:
        await self.add_message("user", f"/related {topic}")
        self._writing("related-work draft", lambda: _drafted(self.workspace.related_work(topic)))

    async def command_triage(self, source: str) -> None:
        await self.add_message("user", f"/triage {source}".strip())
        self._writing("triage", lambda: self._triage_markdown(source.strip() or None))

    def _triage_markdown(self, source: str | None) -> Written:
        from assistant.export import bibtex

        report = self.workspace.triage(source)
        return Written(report.to_markdown(), bibtex(report.papers), report.papers)

    def command_routed(self, text: str, task: str) -> None:
        """A request typed in words that names a task ('give me a reading list on X'): run
        that task, as its slash command would, with the constraints the request states."""
        what = {
            "reading_list": "reading list",
            "related_work": "related-work draft",
            "triage": "triage",
            "profile": "profile",
        }[task]
        self._writing(what, lambda: self._run_request(text))

    def _run_request(self, text: str) -> Written:
        from assistant.export import bibtex

        routed = self.workspace.run(self.workspace.read(text))
        result = routed.result
        bib = "" if routed.request.task == "profile" else bibtex(routed.papers)
        return Written(result.to_markdown(), bib, routed.papers)

    def _writing(self, what: str, build: Callable[[], Written]) -> None:
        if not self.need_index():
            return
        if self.writing_alive:
            self.notify("A list or draft is still being written: wait for it.")
            return
        self.writing_alive = True
        self._write(what, build)

    @work(thread=True, group="writing")
    def _write(self, what: str, build: Callable[[], Written]) -> None:
        self.call_from_thread(self.status.set, busy=f"writing the {what}")
        try:
            result = build()
        except Exception as exc:
            sentence = self.workspace.explain(exc)
            self.call_from_thread(self._writing_failed, sentence)
            return
        self.call_from_thread(self._written, what, result)  # type: ignore[arg-type]

    async def _written(self, what: str, result: Written) -> None:
        await self.add_message("assistant", result.markdown, title=f"Assistant · {what}", top=True)
        self.last_export = (what.replace(" ", "-"), result.markdown, result.bibtex)
        if result.papers:  # every listed or cited paper can be opened from the panel
            self.query_one(SourcesPanel).show(
                [SourceEntry(n, p, p.title, _where(p)) for n, p in enumerate(result.papers, 1)]
            )
        self.writing_alive = False
        self.status.set(busy="")
        self.drain_pending()

    def _writing_failed(self, sentence: str) -> None:
        self.writing_alive = False
        self.status.set(busy="")
        self.notify(sentence, severity="error", timeout=15)
        self.drain_pending()

    # --- export -----------------------------------------------------------------------------------

    async def command_export(self, arg: str) -> None:
        """'/export', '/export bib', '/export md my notes.md', '/export ~/x.bib' (spaces kept)."""
        first, _, rest = arg.strip().partition(" ")
        if first in ("md", "bib"):
            self.export(first, rest.strip())
        else:
            path = arg.strip()
            self.export("bib" if path.endswith(".bib") else "md", path)

    def action_export(self) -> None:
        self.export("md", "")

    def export(self, fmt: str, path: str) -> None:
        if self.last_export is None:
            self.notify(
                "Nothing to export yet: ask something or make a list first.", severity="warning"
            )
            return
        name, markdown, bib = self.last_export
        text = markdown if fmt == "md" else bib
        if fmt == "bib" and not text.strip():
            self.notify(
                "The last result cites no paper: nothing to put in a .bib.", severity="warning"
            )
            return
        target = path or f"{name}.{fmt}"
        try:
            written = self.workspace.export(text, target)
        except Exception as exc:
            sentence = self.workspace.explain(exc)
            self.notify(sentence, severity="error")
            return
        self.notify(f"Exported to {written}")

    def reading_basket_add(self, paper: Paper) -> None:
        """'Add to reading list' on a paper screen: collect it for export."""
        if paper.id not in {p.id for p in self.basket}:
            self.basket.append(paper)
        from assistant.export import bibtex, references_markdown

        markdown = "# My reading list\n\n" + references_markdown(self.basket)
        self.last_export = ("my-reading-list", markdown, bibtex(self.basket))
        self.notify(f"Added; your reading list has {len(self.basket)} papers (ctrl+o exports it).")


@dataclass
class Written:
    """What a writing job shows and `/export` saves: Markdown, BibTeX, papers to open."""

    markdown: str
    bibtex: str = ""
    papers: list[Paper] = field(default_factory=list)


def _listed(result: ReadingList) -> Written:
    return Written(result.to_markdown(), result.to_bibtex(), result.papers)


def _drafted(result: Draft) -> Written:
    return Written(result.to_markdown(), result.bibtex, result.cited)


def _where(paper: Paper) -> str:
    return paper.sources[0].short() if paper.sources else ""
