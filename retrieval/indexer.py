"""Build and update the indexes: Chroma (dense) and BM25 (lexical), incrementally.

Chunk ids are content hashes, so an update is a set difference: embed the chunks the
store lacks, delete the ones the corpus no longer has, rebuild BM25 from the full
chunk list. The manifest says "building" while the two indexes may disagree and
"complete" once both are written, so a run killed at any point is repaired by the
next one (which recomputes the same difference), and search never trusts a
half-built index. One process at a time holds the data directory's lock.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from filelock import FileLock, Timeout

from retrieval.bulk import bulk_objects
from retrieval.catalog import Catalog, catalog_from
from retrieval.chunking import catalog_chunks
from retrieval.errors import IndexBusy, RetrievalError
from retrieval.index_stamp import (
    Stamp,
    code_fingerprint,
    file_stat,
    load_stamp,
    save_stamp,
    still_current,
    walk_state,
)
from retrieval.loaders import LoadedFile, load_corpus
from retrieval.manifest import PARSER_VERSION, Manifest, load_manifest, save_manifest
from retrieval.records import Chunk, Skipped

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

    from retrieval.vectorstore import ChunkStore

# Texts per embedding call: the model sorts by length within a call (less padding),
# and the progress bar moves once per call.
EMBED_BATCH = 128


@dataclass(frozen=True)
class Progress:
    """A progress report: `done` of `total` in `stage` ("reading", "embedding", "saving")."""

    stage: str
    done: int
    total: int
    detail: str = ""


ProgressFn = Callable[[Progress], None]


@dataclass(frozen=True)
class IndexLayout:
    """Where one embedding model's index lives under the data directory."""

    data_dir: Path
    embeddings_id: str

    @property
    def root(self) -> Path:
        return self.data_dir / "indexes" / self.embeddings_id

    @property
    def manifest(self) -> Path:
        return self.root / "manifest.json"

    @property
    def bm25(self) -> Path:
        return self.root / "bm25"

    @property
    def chroma(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def stamp(self) -> Path:
        return self.root / "stamp.json"

    @property
    def lock(self) -> Path:
        return self.data_dir / "index.lock"

    @property
    def collection(self) -> str:
        return f"ra-{self.embeddings_id}"

    def other_models(self) -> list[str]:
        """Embedding ids that have an index here besides this one."""
        parent = self.data_dir / "indexes"
        if not parent.is_dir():
            return []
        return sorted(
            p.name for p in parent.iterdir() if p.is_dir() and p.name != self.embeddings_id
        )


@dataclass
class IndexSummary:
    """What an index run did; `added`/`updated`/`removed`/`unchanged` count files."""

    papers: int = 0
    chunks: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    embedded: int = 0
    deleted: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> dict[str, object]:
        return {
            "papers": self.papers,
            "chunks": self.chunks,
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "skipped": [{"file": s.file, "reason": s.reason} for s in self.skipped],
            "seconds": round(self.seconds, 3),
        }


@contextmanager
def index_lock(path: Path) -> Iterator[None]:
    """Hold the data directory's index lock, or raise `IndexBusy` at once.

    The lock (filelock: flock on Unix, LockFileEx on Windows) goes with the process, so
    a killed `ra index` never leaves a stale one; the holder writes its pid into the file
    for the message another run shows."""
    lock = FileLock(path, timeout=0)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock.acquire()
        path.write_text(str(os.getpid()), encoding="utf-8")
    except Timeout:
        try:
            holder = path.read_text(encoding="utf-8").strip()
        except OSError:
            holder = ""
        raise IndexBusy(
            f"Another `ra index` (pid {holder or 'another process'}) is updating "
            f"{path.parent}: wait for it to finish, then run the command again."
        ) from None
    except OSError as exc:
        lock.release()
        raise RetrievalError(
            f"Cannot write to the data directory {path.parent} ({exc.strerror}): "
            "fix its permissions or set RA_DATA_DIR to a writable directory."
        ) from None
    try:
        yield
    finally:
        lock.release()


def read_catalog(
    layout: IndexLayout, roots: Sequence[Path], max_file_mb: float
) -> tuple[Catalog, Manifest]:
    """The corpus as the manifest and the files on disk say, reusing unchanged parses."""
    with bulk_objects():
        manifest = load_manifest(layout.manifest, layout.embeddings_id)
        return catalog_for(manifest, roots, max_file_mb), manifest


def catalog_for(manifest: Manifest, roots: Sequence[Path], max_file_mb: float) -> Catalog:
    """The corpus's catalog, reusing the parses `manifest` holds for unchanged files."""
    with bulk_objects():
        loaded = load_corpus(roots, max_file_mb=max_file_mb, cache=manifest.cache())
        return catalog_from(loaded)


def index_corpus(
    roots: Sequence[Path],
    layout: IndexLayout,
    *,
    embeddings: Callable[[], Embeddings],
    open_store: Callable[[], ChunkStore],
    rebuild: bool = False,
    max_file_mb: float = 20.0,
    progress: ProgressFn | None = None,
) -> IndexSummary:
    """Bring the indexes in line with the corpus; returns what changed.

    `embeddings` and `open_store` are factories, so a run with nothing to do never
    loads the embedding model or opens Chroma.
    """
    from retrieval.lexical import LexicalIndex

    started = time.perf_counter()
    report = progress or (lambda _p: None)
    with index_lock(layout.lock):
        stamp = None if rebuild else load_stamp(layout.stamp)
        current = still_current(
            stamp, layout.embeddings_id, list(roots), max_file_mb, layout.manifest
        )
        if current and LexicalIndex.current(layout.bm25):
            assert stamp is not None
            summary = _unchanged_summary(stamp)
            summary.seconds = time.perf_counter() - started
            return summary
        layout.stamp.unlink(missing_ok=True)  # from here the indexes may change
        hashes, walk_skipped = walk_state(list(roots))
        with bulk_objects():  # the read builds the whole catalog; embedding is outside
            manifest = load_manifest(layout.manifest, layout.embeddings_id)
            if rebuild:
                manifest = Manifest(embeddings=layout.embeddings_id)
            loaded = load_corpus(roots, max_file_mb=max_file_mb, cache=manifest.cache())
            catalog = catalog_from(loaded)
            chunks = catalog_chunks(catalog)
        if not loaded.files:
            reasons = "; ".join(f"{s.file} {s.reason}" for s in loaded.skipped[:3])
            raise RetrievalError(
                "Nothing could be read from the corpus"
                + (f" ({reasons})" if reasons else "")
                + ": point --corpus or RA_CORPUS at your papers; the index was not changed."
            )
        n_files = len(loaded.files)
        detail = f"{n_files} files, {len(catalog.papers)} papers, {len(chunks)} chunks"
        report(Progress("reading", n_files, n_files, detail))
        summary = file_changes(manifest, loaded.files)
        summary.papers = len(catalog.papers)
        summary.chunks = len(chunks)
        summary.skipped = list(loaded.skipped)
        summary.warnings = catalog.warnings

        digest = chunk_digest(chunks)
        # Same files and same chunks (a new version of `ra` may chunk differently).
        unchanged = (
            manifest.status == "complete"
            and manifest.chunk_digest == digest
            and not (summary.added or summary.updated or summary.removed)
            and LexicalIndex.current(layout.bm25)
        )
        if not unchanged:
            manifest.status = "building"
            save_manifest(layout.manifest, manifest)
            model = embeddings()
            preload = getattr(model, "preload", None)
            if preload is not None:
                preload()  # the model import takes seconds: overlap it with opening Chroma
            store = open_store()
            if rebuild:
                store.drop()
                store = open_store()
            _sync_store(store, chunks, lambda: model, summary, report)
            report(Progress("saving", 0, 1))
            lexical = LexicalIndex()
            lexical.build([c.id for c in chunks], [c.text for c in chunks])
            lexical.save(layout.bm25)
            report(Progress("saving", 1, 1))
        manifest.files = {str(f.path.absolute()): f for f in loaded.files}
        manifest.parsers = PARSER_VERSION
        manifest.status = "complete"
        manifest.chunks = len(chunks)
        manifest.papers = len(catalog.papers)
        manifest.chunk_digest = digest
        if not unchanged or any(not f.reused for f in loaded.files):
            save_manifest(layout.manifest, manifest)
        save_stamp(
            layout.stamp,
            Stamp(
                embeddings=layout.embeddings_id,
                code=code_fingerprint(),
                roots=[str(r.absolute()) for r in roots],
                max_file_mb=max_file_mb,
                hashes=hashes,
                walk_skipped=walk_skipped,
                manifest=file_stat(layout.manifest),
                papers=summary.papers,
                chunks=summary.chunks,
                files=len(loaded.files),
                skipped=[[s.file, s.reason] for s in summary.skipped],
                warnings=list(summary.warnings),
            ),
        )
    summary.seconds = time.perf_counter() - started
    return summary


def _unchanged_summary(stamp: Stamp) -> IndexSummary:
    """What a run with nothing to do reports: the last complete run's counts."""
    return IndexSummary(
        papers=stamp.papers,
        chunks=stamp.chunks,
        unchanged=stamp.files,
        skipped=[Skipped(file, reason) for file, reason in stamp.skipped],
        warnings=list(stamp.warnings),
    )


def chunk_digest(chunks: Sequence[Chunk]) -> str:
    """A fingerprint of the chunk ids, so a change in chunking is noticed like a file edit."""
    return hashlib.sha256("\n".join(sorted(c.id for c in chunks)).encode()).hexdigest()


def file_changes(manifest: Manifest, files: Sequence[LoadedFile]) -> IndexSummary:
    """Files added, updated, removed and unchanged since the manifest was written."""
    summary = IndexSummary()
    seen = set()
    for f in files:
        key = str(f.path.absolute())
        seen.add(key)
        old = manifest.files.get(key)
        if old is None:
            summary.added += 1
        elif old.sha256 != f.sha256:
            summary.updated += 1
        else:
            summary.unchanged += 1
    summary.removed = sum(1 for key in manifest.files if key not in seen)
    return summary


def _sync_store(
    store: ChunkStore,
    chunks: list[Chunk],
    embeddings: Callable[[], Embeddings],
    summary: IndexSummary,
    report: ProgressFn,
) -> None:
    wanted = {c.id for c in chunks}
    present = set(store.ids())
    missing = [c for c in chunks if c.id not in present]
    stale = sorted(present - wanted)
    if stale:
        store.delete(stale)
    summary.deleted = len(stale)
    if not missing:
        return
    model = embeddings()
    detail = f"{len(missing)} new chunks"
    report(Progress("embedding", 0, len(missing), detail))
    for start in range(0, len(missing), EMBED_BATCH):
        batch = missing[start : start + EMBED_BATCH]
        vectors = model.embed_documents([c.embed_text for c in batch])
        store.upsert(batch, vectors)
        report(Progress("embedding", start + len(batch), len(missing), detail))
    summary.embedded = len(missing)
