"""The wiring root: everything the command line and the terminal UI call, built from
one `Settings` behind one object that opens lazily.

The CLI gets a `Workspace` from `shell.wiring`; the TUI gets one from the app factory
and never imports Chroma, LangChain or the retrieval internals. `prepare()` does the slow part
(indexing when the corpus changed, loading the embedding model, opening the index)
and is meant to run in a worker while the UI is already on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.catalog_terms import CatalogTerms
from assistant.errors import RaError, UserError
from assistant.export import bibtex_entry, resolve_output, write_text
from assistant.history import HistoryStore
from assistant.library import Library
from assistant.llm import describe_mode, llm_configured
from assistant.profile import Profile
from assistant.request import Request, RequestReader, Task
from assistant.session import ChatSession
from assistant.settings import Settings
from retrieval.records import Paper

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings
    from langchain_core.language_models import BaseChatModel

    from assistant.ask import Asker
    from assistant.reading_list import ReadingList
    from assistant.related_work import Draft, Style
    from assistant.triage import TriageReport
    from retrieval.catalog import Catalog
    from retrieval.hybrid import HybridSearcher
    from retrieval.vectorstore import ChunkStore

# (stage, done, total): the indexer's `Progress` unpacked, so the TUI needs no retrieval type.
StageProgressFn = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Routed:
    """A request and what its task produced: a reading list, a draft, a triage report or
    the profile. Each has `to_json()` and `to_markdown()`."""

    request: Request
    result: ReadingList | Draft | TriageReport | Profile

    @property
    def papers(self) -> list[Paper]:
        """The papers the result lists or cites, to open or export."""
        return list(self.result.papers)

    def to_json(self) -> dict[str, Any]:
        return {"task": self.request.task, **self.result.to_json()}


@dataclass(frozen=True)
class IndexStats:
    papers: int
    chunks: int


class Workspace:
    """The researcher's library, chat sessions and writing jobs, for one settings object:
    the one place that wires them, for the command line and the terminal UI alike.

    Every collaborator may be passed in instead of built from the settings: `llm` (a
    fake chat model in tests), `embeddings` and `store` (handed to the `Library`), or a
    whole `library`.
    """

    def __init__(
        self,
        settings: Settings,
        corpus: list[Path] | None = None,
        *,
        llm: BaseChatModel | None = None,
        embeddings: Embeddings | None = None,
        store: ChunkStore | None = None,
        library: Library | None = None,
    ) -> None:
        self.settings = settings
        self.library = library or Library(settings, corpus, embeddings=embeddings, store=store)
        self._llm = llm
        self._llm_built = llm is not None
        self._searcher: HybridSearcher | None = None
        self._profile: Profile | None = None
        self._reader: RequestReader | None = None
        self.stats: IndexStats | None = None

    # --- setting up -------------------------------------------------------------

    @property
    def mode(self) -> str:
        if self._llm is not None and not llm_configured(self.settings):
            return f"llm: {getattr(self._llm, 'model_name', None) or 'test model'}"
        return describe_mode(self.settings)

    @property
    def ready(self) -> bool:
        return self._searcher is not None

    def open(self) -> None:
        """Open the index as it is, without indexing (`IndexMissing` if there is none):
        what the command line does; the TUI calls `prepare`."""
        self._searcher = self.library.searcher()

    def prepare(self, progress: StageProgressFn | None = None) -> IndexStats:
        """Index what changed (reporting progress), then open the search index."""
        from retrieval.indexer import Progress

        def report(p: Progress) -> None:
            if progress is not None:
                progress(p.stage, p.done, p.total)

        summary = self.library.index(progress=report)
        self._searcher = self.library.searcher()
        self._profile = self.library.profile(self._searcher.catalog)
        self.stats = IndexStats(summary.papers, summary.chunks)
        return self.stats

    @property
    def llm(self) -> BaseChatModel | None:
        if not self._llm_built:
            from assistant.llm import build_chat_model

            self._llm = build_chat_model(self.settings) if llm_configured(self.settings) else None
            self._llm_built = True
        return self._llm

    @property
    def searcher(self) -> HybridSearcher:
        if self._searcher is None:
            raise UserError("The index is still being prepared: wait for it to finish.")
        return self._searcher

    def catalog(self) -> Catalog:
        """The open index's catalog; before one is open, the corpus as it is now (what
        `ra profile` and `ra triage` read: they never need the index)."""
        return self._searcher.catalog if self._searcher is not None else self.library.catalog()

    @property
    def profile(self) -> Profile:
        if self._profile is None:
            self._profile = self.library.profile(self.catalog())
        return self._profile

    # --- chat ------------------------------------------------------------------------

    @property
    def history(self) -> HistoryStore:
        return self.library.history

    def asker(self, k: int = 8) -> Asker:
        """The question answerer over the open index, reading `k` sources per question."""
        from assistant.ask import Asker

        return Asker(
            self.searcher,
            llm=self.llm,
            model_name=self.settings.llm_model,
            embeddings=self.library.embeddings,
            k=k,
            profile_globs=self.settings.profile,
        )

    def session(self, session_id: str | None = None, *, k: int = 8) -> ChatSession:
        """A new chat session, or an earlier one resumed with its turns."""
        asker = self.asker(k)
        return ChatSession(asker, self.history, session_id)

    def explain(self, exc: BaseException, *, started: bool = False) -> str:
        """One sentence for an error a user can fix; anything else is a bug, raised again."""
        from assistant.llm import explain_llm_error, is_llm_failure

        if is_llm_failure(exc):  # first: the LLM's sentences name the settings to check
            return explain_llm_error(exc, self.settings, started=started)
        if isinstance(exc, RaError):
            return exc.advice
        raise exc

    # --- writing jobs ---------------------------------------------------------------

    def read(self, text: str, task: Task | None = None) -> Request:
        """A request read into its task, queries and constraints (by the LLM when one is
        configured and its reply validates); `task` fixes the task when the caller knows it."""
        return self._request_reader().read(text, task)

    def read_offline(self, text: str, task: Task | None = None) -> Request:
        """A request read by the rules alone, as offline mode reads it."""
        return self._request_reader().read_offline(text, task)

    def _request_reader(self) -> RequestReader:
        if self._reader is None:
            self._reader = RequestReader(CatalogTerms(self.searcher.catalog), llm=self.llm)
        return self._reader

    def reading_list(
        self, request: Request | str, *, n: int | None = None, for_me: bool = False
    ) -> ReadingList:
        """A reading list for a request (or a topic as typed); `n` and `for_me` given here
        override what the request says."""
        from assistant.reading_list import ReadingLister

        if isinstance(request, str):
            request = self.read(request, "reading_list")
        if for_me:
            request = request.model_copy(update={"for_me": True})
        lister = ReadingLister(
            self.searcher, self.profile, llm=self.llm, model_name=self.settings.llm_model
        )
        return lister.build(request, n=n)

    def related_work(
        self,
        request: Request | str | None,
        *,
        abstract: str | None = None,
        paragraphs: int = 2,
        style: Style = "markdown",
        headings: bool = False,
    ) -> Draft:
        """A related-work draft for a request (or a topic as typed, or an abstract)."""
        from assistant.related_work import Drafter

        if not isinstance(request, Request):
            text = request or ""
            if abstract:
                text = f"{text} Abstract: {abstract}".strip()
            request = self.read(text, "related_work")
        drafter = Drafter(
            self.searcher,
            self.profile,
            llm=self.llm,
            model_name=self.settings.llm_model,
            embeddings=self.library.embeddings,
        )
        return drafter.draft(request, paragraphs=paragraphs, style=style, headings=headings)

    def triage(self, source: str | None = None, n: int = 10) -> TriageReport:
        from assistant.triage import TriageReport, triage

        file, ranked = triage(
            self.catalog(), self.profile, self.library.embeddings, source=source, n=n
        )
        return TriageReport(file, ranked)

    def run(self, request: Request) -> Routed:
        """Run a request that is not a question: the task it names, with its constraints."""
        if request.task == "reading_list":
            return Routed(request, self.reading_list(request))
        if request.task == "related_work":
            return Routed(request, self.related_work(request))
        if request.task == "triage":
            source = request.sources[0] if request.sources else None
            return Routed(request, self.triage(source, n=request.n or 10))
        if request.task == "profile":
            return Routed(request, self.profile)
        raise ValueError(f"a question is answered by a session, not run: {request.task}")

    # --- the catalog --------------------------------------------------------------------

    def papers(self, query: str = "") -> list[Paper]:
        return self.searcher.catalog.filter(query or None)

    def paper(self, id_or_bibkey: str) -> Paper | None:
        return self.searcher.catalog.get(id_or_bibkey)

    def similar(self, paper: Paper, k: int = 8) -> list[Paper]:
        """Papers near this one: a hybrid search for its title and abstract."""
        hits = self.searcher.search(f"{paper.title}. {paper.abstract or ''}"[:500], k=k + 1)
        return [h.paper for h in hits if h.paper and h.paper.id != paper.id][:k]

    def bibtex(self, paper: Paper) -> str:
        return bibtex_entry(paper)

    # --- export ------------------------------------------------------------------------

    @property
    def export_dir(self) -> Path:
        return self.settings.data_dir / "exports"

    def export(self, text: str, name: str) -> Path:
        """Write `text` under the exports directory (a relative name cannot leave it),
        or to an absolute path the user typed."""
        path = Path(name).expanduser()
        if not path.is_absolute():
            self.export_dir.mkdir(parents=True, exist_ok=True)
            path = resolve_output(path, self.export_dir)
        return write_text(path, text)
