"""Everything the terminal UI calls, behind one object that opens lazily.

The TUI renders and dispatches; it gets a `Workspace` from the app factory and never
imports Chroma, LangChain or the retrieval internals. `prepare()` does the slow part
(indexing when the corpus changed, loading the embedding model, opening the index)
and is meant to run in a worker while the UI is already on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.errors import UserError
from assistant.export import bibtex_entry, resolve_output, write_text
from assistant.history import HistoryStore
from assistant.library import Library
from assistant.llm import describe_mode, llm_configured
from assistant.profile import Profile
from assistant.session import ChatSession
from assistant.settings import Settings
from retrieval.errors import RetrievalError
from retrieval.records import Paper

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.reading_list import ReadingList
    from assistant.related_work import Draft, Style
    from assistant.triage import Triaged
    from retrieval.hybrid import HybridSearcher

ProgressFn = Callable[[str, int, int], None]


@dataclass(frozen=True)
class IndexStats:
    papers: int
    chunks: int


class Workspace:
    """The researcher's library, chat sessions and writing jobs, for one settings object.

    `llm` overrides the configured model (tests pass a fake chat model); `library`
    lets tests hand in one with fake embeddings.
    """

    def __init__(
        self,
        settings: Settings,
        corpus: list[Path] | None = None,
        *,
        llm: BaseChatModel | None = None,
        library: Library | None = None,
    ) -> None:
        self.settings = settings
        self.library = library or Library(settings, corpus)
        self._llm = llm
        self._llm_built = llm is not None
        self._searcher: HybridSearcher | None = None
        self._profile: Profile | None = None
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

    def prepare(self, progress: ProgressFn | None = None) -> IndexStats:
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

    @property
    def profile(self) -> Profile:
        if self._profile is None:
            self._profile = self.library.profile(self.searcher.catalog)
        return self._profile

    # --- chat ------------------------------------------------------------------------

    @property
    def history(self) -> HistoryStore:
        return self.library.history

    def session(self, session_id: str | None = None) -> ChatSession:
        """A new chat session, or an earlier one resumed with its turns."""
        from assistant.ask import Asker

        asker = Asker(
            self.searcher,
            llm=self.llm,
            model_name=self.settings.llm_model,
            embeddings=self.library.embeddings,
        )
        return ChatSession(asker, self.history, session_id)

    def explain(self, exc: BaseException, *, started: bool = False) -> str:
        """One sentence for an error a user can fix; anything else is a bug, raised again."""
        if isinstance(exc, UserError | RetrievalError):
            return str(exc)
        from assistant.history import HistoryError

        if isinstance(exc, HistoryError):
            return str(exc)
        from assistant.llm import explain_llm_error, is_llm_failure

        if is_llm_failure(exc):
            return explain_llm_error(exc, self.settings, started=started)
        raise exc

    # --- writing jobs ---------------------------------------------------------------

    def reading_list(self, topic: str, *, n: int = 12, for_me: bool = False) -> ReadingList:
        from assistant.reading_list import ReadingLister

        lister = ReadingLister(
            self.searcher, self.profile, llm=self.llm, model_name=self.settings.llm_model
        )
        return lister.build(topic, n=n, for_me=for_me)

    def related_work(
        self,
        topic: str | None,
        *,
        abstract: str | None = None,
        paragraphs: int = 2,
        style: Style = "markdown",
    ) -> Draft:
        from assistant.related_work import Drafter

        drafter = Drafter(
            self.searcher,
            self.profile,
            llm=self.llm,
            model_name=self.settings.llm_model,
            embeddings=self.library.embeddings,
        )
        return drafter.draft(topic=topic, abstract=abstract, paragraphs=paragraphs, style=style)

    def triage(self, source: str | None = None, n: int = 10) -> tuple[str, list[Triaged]]:
        from assistant.triage import triage

        return triage(
            self.searcher.catalog, self.profile, self.library.embeddings, source=source, n=n
        )

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
