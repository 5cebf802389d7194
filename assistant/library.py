"""The researcher's library: the index and the searcher, opened from the settings.

The one place that turns `Settings` into retrieval objects (embeddings, Chroma store,
BM25, catalog), so the CLI, the TUI and the tasks all open them the same way.
Heavy libraries are imported only when a function needs them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.history import HistoryStore
from assistant.profile import Profile, build_profile, profile_files
from assistant.settings import Settings
from retrieval.bulk import bulk_objects
from retrieval.errors import IndexMissing
from retrieval.indexer import (
    IndexLayout,
    IndexSummary,
    ProgressFn,
    catalog_for,
    index_corpus,
    read_catalog,
)
from retrieval.manifest import load_manifest

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

    from retrieval.catalog import Catalog
    from retrieval.hybrid import HybridSearcher
    from retrieval.vectorstore import ChunkStore


def researcher_names(catalog: Catalog, globs: str | None = None) -> list[str]:
    """Names of the people whose profile documents are in the corpus: who "me" is."""
    files = set(profile_files(catalog, globs))
    names = {s.owner for s in catalog.sections if s.owner and s.source.file in files}
    return sorted(names)


class Library:
    """Lazily opened retrieval services for one settings object.

    `embeddings` and `store` replace the ones the settings name (tests pass fakes; a
    caller holding an open store shares it); left out, they are built on first use.
    """

    def __init__(
        self,
        settings: Settings,
        corpus: Sequence[Path] | None = None,
        *,
        embeddings: Embeddings | None = None,
        store: ChunkStore | None = None,
    ) -> None:
        self.settings = settings
        self.roots = list(corpus) if corpus else settings.corpus_paths()
        self._embeddings = embeddings
        self._store = store

    @cached_property
    def embeddings_id(self) -> str:
        from retrieval.embeddings import embeddings_id

        return embeddings_id(self.settings.embeddings, self.settings.embeddings_model)

    @cached_property
    def layout(self) -> IndexLayout:
        return IndexLayout(self.settings.data_dir, self.embeddings_id)

    @property
    def embeddings(self) -> Embeddings:
        """The embedding model: the one passed in, else the settings' (built once)."""
        if self._embeddings is None:
            from retrieval.embeddings import make_embeddings

            s = self.settings
            key = s.openai_api_key.get_secret_value() if s.openai_api_key else None
            models = s.models_dir or s.data_dir / "models"
            self._embeddings = make_embeddings(
                s.embeddings, s.embeddings_model, s.llm_base_url, key, models
            )
        return self._embeddings

    def open_store(self) -> ChunkStore:
        """The vector store: the one passed in, else Chroma as the settings say."""
        from retrieval.vectorstore import ChunkStore

        if self._store is not None:
            return self._store
        if self.settings.chroma_url:
            return ChunkStore.open(self.layout.collection, url=self.settings.chroma_url)
        return ChunkStore.open(self.layout.collection, path=self.layout.chroma)

    def index(self, *, rebuild: bool = False, progress: ProgressFn | None = None) -> IndexSummary:
        """Bring the index up to date with the corpus."""
        return index_corpus(
            self.roots,
            self.layout,
            embeddings=lambda: self.embeddings,
            open_store=self.open_store,
            rebuild=rebuild,
            max_file_mb=self.settings.max_file_mb,
            progress=progress,
        )

    @cached_property
    def history(self) -> HistoryStore:
        """The chat history under the data directory; interrupted turns are marked at open."""
        store = HistoryStore(self.settings.data_dir / "history.sqlite")
        store.recover()
        return store

    def catalog(self) -> Catalog:
        """The catalog as the corpus is now, reusing parses the manifest holds."""
        catalog, _ = read_catalog(self.layout, self.roots, self.settings.max_file_mb)
        return catalog

    def profile(self, catalog: Catalog | None = None) -> Profile:
        """The researcher profile from the documents `RA_PROFILE` names (default: the
        research statement and CV)."""
        return build_profile(catalog or self.catalog(), self.settings.profile)

    def searcher(self) -> HybridSearcher:
        """A searcher over the complete index; `IndexMissing` if there is none.

        Opening Chroma (its import alone takes about half a second) and loading the
        embedding model run on other threads while the catalog and BM25 are read, so a
        one-shot `ra search` or `ra ask` pays for the slowest, not for all of them.
        """
        with bulk_objects():
            return self._open_searcher()

    def _open_searcher(self) -> HybridSearcher:
        from concurrent.futures import ThreadPoolExecutor

        from retrieval.chunking import catalog_chunks
        from retrieval.hybrid import HybridSearcher
        from retrieval.lexical import LexicalIndex

        manifest = load_manifest(self.layout.manifest, self.layout.embeddings_id)
        if manifest.status != "complete":
            state = "was interrupted" if manifest.status == "building" else "does not exist yet"
            raise IndexMissing(f"The search index {state}: run `ra index` first.")
        preload = getattr(self.embeddings, "preload", None)
        if preload is not None:
            preload()
        with ThreadPoolExecutor(1, thread_name_prefix="open-store") as pool:
            store = pool.submit(self.open_store)
            catalog = catalog_for(manifest, self.roots, self.settings.max_file_mb)
            chunks = catalog_chunks(catalog)
            if self.layout.bm25.exists() and not LexicalIndex.current(self.layout.bm25):
                # built with another version's tokens (an upgrade changed the stop words):
                # rebuilt from the indexed chunks, which needs no embedding
                lexical = LexicalIndex()
                lexical.build([c.id for c in chunks], [c.text for c in chunks])
                with contextlib.suppress(OSError):  # a read-only data dir: keep it in memory
                    lexical.save(self.layout.bm25)
            else:
                try:
                    lexical = LexicalIndex.load(self.layout.bm25)
                except Exception:
                    raise IndexMissing(
                        "The BM25 index is missing or damaged: run `ra index`."
                    ) from None
            return HybridSearcher(
                catalog,
                chunks,
                store=store.result(),
                lexical=lexical,
                embeddings=self.embeddings,
                me=researcher_names(catalog, self.settings.profile),
            )
