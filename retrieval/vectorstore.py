"""The dense index: chunks and their vectors in a Chroma collection.

Embedded (`PersistentClient` under the data directory) by default; a Chroma server
(`HttpClient`) when a URL is given, which is how a lab shares one index. We always
pass our own vectors: Chroma's default embedding function would download a model.
Similarity is cosine, returned as `1 - distance`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from retrieval.errors import RetrievalError
from retrieval.records import Chunk

_GET_PAGE = 2000
# Up to this many chunks the dense search is exact, over the vectors held in memory
# (15 MB at 10k): Chroma's HNSW search missed the nearest chunk of 1 query in 150 on the
# 652-chunk sample corpus, and not the same one from one process to the next, so the
# same question got two answers. Larger collections, and a Chroma server's (shared, and
# changed by others), use HNSW.
EXACT_LIMIT = 10_000


class StoreUnavailable(RetrievalError):
    """Chroma cannot be opened or reached."""


def _meta(chunk: Chunk) -> dict[str, Any]:
    """Chroma metadata: scalars only, no None, lists joined."""
    meta: dict[str, Any] = {
        "kind": chunk.kind,
        "file": chunk.file,
        "line": chunk.line,
        "title": chunk.title,
    }
    optional = {
        "paper_id": chunk.paper_id,
        "year": chunk.year,
        "venue": chunk.venue,
        "topic": chunk.topic,
        "page": chunk.page,
        "authors": "; ".join(chunk.authors) if chunk.authors else None,
    }
    meta.update({k: v for k, v in optional.items() if v is not None})
    return meta


def _chunk(chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
    authors = meta.get("authors")
    return Chunk(
        id=chunk_id,
        text=text,
        kind=str(meta.get("kind", "document")),
        file=str(meta.get("file", "")),
        line=int(meta.get("line", 0)),
        title=str(meta.get("title", "")),
        paper_id=meta.get("paper_id"),
        year=meta.get("year"),
        venue=meta.get("venue"),
        topic=meta.get("topic"),
        authors=tuple(authors.split("; ")) if authors else (),
        page=meta.get("page"),
    )


class ChunkStore:
    """One Chroma collection of chunks."""

    def __init__(self, client: Any, name: str, url: str | None = None) -> None:
        self.client = client
        self.name = name
        self.url = url
        # (ids, unit vectors) for the exact search; False when the collection is larger
        # than EXACT_LIMIT; None until the first query or after a write.
        self._exact: tuple[list[str], Any] | bool | None = None
        with self._guard():
            self.collection = client.get_or_create_collection(
                name=name, embedding_function=None, metadata={"hnsw:space": "cosine"}
            )

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """A server that stops answering, or answers with an error, mid-query or
        mid-index is one sentence, not a traceback; the embedded store's errors are bugs
        and propagate."""
        try:
            yield
        except RetrievalError:
            raise
        except Exception as exc:
            if self.url is None:
                raise
            import httpx

            if isinstance(exc, httpx.TransportError | ConnectionError):
                raise StoreUnavailable(
                    f"The Chroma server at {self.url} stopped answering: start it again and "
                    "retry (an interrupted `ra index` resumes where it stopped)."
                ) from None
            said = " ".join(str(exc).split())[:200] or type(exc).__name__
            raise StoreUnavailable(
                f"The Chroma server at {self.url} refused the request ({said}): check the "
                "server's log, and run `ra index` again if its data was reset or deleted."
            ) from None

    @classmethod
    def open(cls, name: str, *, path: Path | None = None, url: str | None = None) -> ChunkStore:
        """The collection `name` in an embedded store at `path`, or on the server at `url`."""
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        settings = ChromaSettings(anonymized_telemetry=False)
        if url:
            parsed = urlparse(url if "://" in url else f"http://{url}")
            try:
                client = chromadb.HttpClient(
                    host=parsed.hostname or "127.0.0.1",
                    port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                    ssl=parsed.scheme == "https",
                    settings=settings,
                )
                return cls(client, name, url)
            except Exception as exc:
                if isinstance(exc, RetrievalError):
                    raise
                raise StoreUnavailable(
                    f"Cannot reach the Chroma server at {url}: start it with "
                    "`chroma run --path DIR --port PORT`, or unset RA_CHROMA_URL."
                ) from None
        if path is None:
            raise ValueError("ChunkStore.open needs a path or a url")
        try:
            path.mkdir(parents=True, exist_ok=True)
            client = chromadb.PersistentClient(path=str(path), settings=settings)
            return cls(client, name)
        except OSError as exc:
            raise StoreUnavailable(
                f"Cannot open the index at {path} ({exc.strerror}): check its permissions, "
                "or set RA_DATA_DIR to a writable directory."
            ) from None

    def count(self) -> int:
        with self._guard():
            return int(self.collection.count())

    def ids(self) -> list[str]:
        """Every chunk id in the collection."""
        with self._guard():
            out: list[str] = []
            offset = 0
            while True:
                page = self.collection.get(include=[], limit=_GET_PAGE, offset=offset)
                out.extend(page["ids"])
                if len(page["ids"]) < _GET_PAGE:
                    return out
                offset += _GET_PAGE

    def upsert(self, chunks: Sequence[Chunk], vectors: Sequence[Sequence[float]]) -> None:
        """Add or replace chunks, in batches Chroma accepts."""
        self._exact = None
        with self._guard():
            step = max(1, min(self.client.get_max_batch_size(), 5000))
            for start in range(0, len(chunks), step):
                batch = chunks[start : start + step]
                self.collection.upsert(
                    ids=[c.id for c in batch],
                    embeddings=[list(v) for v in vectors[start : start + step]],
                    documents=[c.text for c in batch],
                    metadatas=[_meta(c) for c in batch],
                )

    def delete(self, ids: Sequence[str]) -> None:
        self._exact = None
        with self._guard():
            for start in range(0, len(ids), 5000):
                self.collection.delete(ids=list(ids[start : start + 5000]))

    def get(self, ids: Sequence[str]) -> list[Chunk]:
        with self._guard():
            if not ids:
                return []
            page = self.collection.get(ids=list(ids), include=["documents", "metadatas"])
            return [
                _chunk(i, d or "", m or {})
                for i, d, m in zip(page["ids"], page["documents"], page["metadatas"], strict=True)
            ]

    def vectors(self, ids: Sequence[str]) -> dict[str, list[float]]:
        """The stored vectors of these chunk ids (ids not in the store are left out)."""
        with self._guard():
            if not ids:
                return {}
            page = self.collection.get(ids=list(ids), include=["embeddings"])
            found = page.get("embeddings")
            if found is None:
                return {}
            return {i: [float(x) for x in v] for i, v in zip(page["ids"], found, strict=True)}

    def all_chunks(self) -> list[Chunk]:
        with self._guard():
            out: list[Chunk] = []
            offset = 0
            while True:
                page = self.collection.get(
                    include=["documents", "metadatas"], limit=_GET_PAGE, offset=offset
                )
                out.extend(
                    _chunk(i, d or "", m or {})
                    for i, d, m in zip(
                        page["ids"], page["documents"], page["metadatas"], strict=True
                    )
                )
                if len(page["ids"]) < _GET_PAGE:
                    return out
                offset += _GET_PAGE

    def query(
        self, vector: Sequence[float], k: int, where: dict[str, Any] | None = None
    ) -> list[tuple[str, float]]:
        """The `k` nearest chunk ids with cosine similarity, best first."""
        exact = self._exact_vectors()
        if not isinstance(exact, bool):
            return self._exact_query(exact, vector, k, where)
        with self._guard():
            # No count() first: Chroma 1.5 returns what it has when asked for more (or
            # nothing from an empty collection), and counting cost 14 ms at 100k chunks,
            # more than the query itself.
            result = self.collection.query(
                query_embeddings=[list(vector)],
                n_results=k,
                where=where,
                include=["distances"],
            )
            ids = result["ids"][0]
            distances = result["distances"][0] if result.get("distances") else [0.0] * len(ids)
            return [(i, 1.0 - float(d)) for i, d in zip(ids, distances, strict=True)]

    def _exact_vectors(self) -> tuple[list[str], Any] | bool:
        """The collection's ids and unit vectors, loaded once, or False above EXACT_LIMIT."""
        if self._exact is None:
            # a server's collection is shared and changes under us: the server searches it
            if self.url is not None or self.count() > EXACT_LIMIT:
                self._exact = False
            else:
                import numpy as np

                ids = self.ids()
                found = self.vectors(ids)
                ids = sorted(i for i in ids if i in found)
                matrix = np.asarray([found[i] for i in ids] or [[0.0]], dtype=np.float32)
                norms = np.linalg.norm(matrix, axis=1, keepdims=True)
                self._exact = (ids, matrix / np.where(norms == 0, 1.0, norms))
        return self._exact

    def _exact_query(
        self,
        exact: tuple[list[str], Any],
        vector: Sequence[float],
        k: int,
        where: dict[str, Any] | None,
    ) -> list[tuple[str, float]]:
        import numpy as np

        ids, matrix = exact
        if not ids:
            return []
        query = np.asarray(vector, dtype=np.float32)
        sims = matrix @ (query / (np.linalg.norm(query) or 1.0))
        if where is not None:
            with self._guard():
                allowed = set(self.collection.get(where=where, include=[])["ids"])
            sims = np.where([i in allowed for i in ids], sims, -np.inf)
        top = np.argpartition(-sims, k)[:k] if k < len(ids) else np.arange(len(ids))
        # ties broken by id (ids are sorted), so that the order never depends on the run
        order = top[np.lexsort((top, -sims[top]))]
        return [(ids[i], float(sims[i])) for i in order if np.isfinite(sims[i])]

    def drop(self) -> None:
        """Delete the whole collection (for `ra index --rebuild`)."""
        self._exact = None
        with self._guard():
            self.client.delete_collection(self.name)
