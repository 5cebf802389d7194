"""Hybrid search: dense (Chroma) and BM25 candidates fused by reciprocal rank,
collapsed to one hit per paper, with metadata filters and light query understanding.

Query understanding is deliberately small and only where it clearly pays: a query
that contains a paper's whole title (or a main title before its subtitle that only it
has) puts that paper first; topics, years, authors,
venues and "my" in a query boost matching hits (`retrieval.query_hints`) rather
than filtering them out, so a wrong guess costs little.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from retrieval.catalog import Catalog
from retrieval.phrase_index import PhraseIndex
from retrieval.query_hints import HintReader
from retrieval.records import Chunk, Paper
from retrieval.text import normalize_title

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

    from retrieval.lexical import LexicalIndex
    from retrieval.vectorstore import ChunkStore

Mode = Literal["hybrid", "dense", "bm25"]
MODES: tuple[Mode, ...] = ("hybrid", "dense", "bm25")
# A small k makes reciprocal-rank fusion weigh the top of each list: with the usual 60,
# a paper third in both lists beats BM25's clear first that dense ranks 30th, and the
# fusion lost to BM25 at rank 1 (hybrid MRR 0.810 < BM25 0.829 on the tuning split).
# Chosen on ../shared/devsets/questions.jsonl and benchmarks/data/answers_tune.jsonl,
# where k=5 and dense weight 0.4 put hybrid R@1 and MRR at or above both single modes
# (benchmarks/RESULTS.md, "Answers (issue 13)"); the test split was not looked at.
# The weight was 0.8 until BM25 got Snowball stems (retrieval/terms.py): the stronger
# BM25 then beat the fusion at rank 1 on the shared set; of k in {3, 5, 7, 10, 20, 60}
# x weight in {0.3 .. 1.0}, only k 3-5 with weight 0.3-0.4 keep it at the top of both.
RRF_K = 5
DENSE_WEIGHT = 0.4
CANDIDATES = 60


@dataclass(frozen=True)
class Filters:
    """Metadata a hit must have; text fields match case-insensitive substrings."""

    year_min: int | None = None
    year_max: int | None = None
    topic: str | None = None
    source: str | None = None
    kind: str | None = None
    author: str | None = None

    def active(self) -> bool:
        return any(v is not None for v in vars(self).values())

    def matches(self, chunk: Chunk, paper: Paper | None = None) -> bool:
        if self.year_min is not None and (chunk.year is None or chunk.year < self.year_min):
            return False
        if self.year_max is not None and (chunk.year is None or chunk.year > self.year_max):
            return False
        if self.kind and chunk.kind != self.kind:
            return False
        if self.topic and self.topic.casefold() not in (chunk.topic or "").casefold():
            return False
        files = [s.file for s in paper.sources] if paper else [chunk.file]
        if self.source and not any(self.source.casefold() in f.casefold() for f in files):
            return False
        authors = paper.authors if paper else chunk.authors
        needle = normalize_title(self.author) if self.author else ""
        return not (needle and not any(needle in normalize_title(a) for a in authors))


@dataclass(frozen=True)
class Hit:
    """One search result: the best chunk of a paper (or section) and how it ranked."""

    chunk: Chunk
    score: float
    paper: Paper | None
    dense_rank: int | None
    lexical_rank: int | None
    similarity: float | None = None  # cosine with the query, when dense search ran

    @property
    def key(self) -> str:
        return self.chunk.paper_id or self.chunk.id

    @property
    def title(self) -> str:
        return self.paper.title if self.paper else self.chunk.title


class HybridSearcher:
    """Searches one index; cheap to call repeatedly, holds no per-query state."""

    def __init__(
        self,
        catalog: Catalog,
        chunks: Sequence[Chunk],
        *,
        store: ChunkStore | None,
        lexical: LexicalIndex | None,
        embeddings: Embeddings | None,
        me: Sequence[str] = (),
    ) -> None:
        self.catalog = catalog
        self.chunks = {c.id: c for c in chunks}
        self.store = store
        self.lexical = lexical
        self.embeddings = embeddings
        self._papers = {p.id: p for p in catalog.papers}
        self._chunk_of_paper = {c.paper_id: c.id for c in chunks if c.paper_id}
        self._titles = title_index(catalog.papers)
        self.hints = HintReader(catalog.papers, me)

    def search(
        self,
        query: str,
        *,
        k: int = 10,
        mode: Mode = "hybrid",
        filters: Filters | None = None,
        vector: Sequence[float] | None = None,
    ) -> list[Hit]:
        """The top `k` hits for `query`, one per paper, best first."""
        filters = filters or Filters()
        dense: list[tuple[str, float]] = []
        lexical: list[str] = []
        if mode in ("hybrid", "dense"):
            dense = self._dense(query, filters, vector)
        if mode in ("hybrid", "bm25"):
            lexical = self._lexical(query, filters)
        return self._fuse(query, dense, lexical, k, filters)

    def search_many(
        self,
        queries: Sequence[str],
        *,
        k: int = 10,
        mode: Mode = "hybrid",
        filters: Filters | None = None,
    ) -> list[list[Hit]]:
        """Search many queries, embedding them in one batch."""
        vectors: list[list[float]] | list[None] = [None] * len(queries)
        if mode != "bm25" and self.embeddings is not None and queries:
            vectors = self.embeddings.embed_documents(list(queries))
        return [
            self.search(q, k=k, mode=mode, filters=filters, vector=v)
            for q, v in zip(queries, vectors, strict=True)
        ]

    def paper_vectors(self, papers: Sequence[Paper]) -> dict[str, list[float]]:
        """Each paper's stored vector (of its card chunk), keyed by paper id; papers the
        store lacks are embedded from their card text."""
        chunk_ids = {pid: cid for p in papers if (cid := self._chunk_of_paper.get(pid := p.id))}
        stored = self.store.vectors(list(chunk_ids.values())) if self.store is not None else {}
        out = {pid: stored[cid] for pid, cid in chunk_ids.items() if cid in stored}
        missing = [p for p in papers if p.id not in out and p.id in chunk_ids]
        if missing and self.embeddings is not None:
            texts = [self.chunks[chunk_ids[p.id]].embed_text for p in missing]
            out |= dict(
                zip([p.id for p in missing], self.embeddings.embed_documents(texts), strict=True)
            )
        return out

    def _dense(
        self, query: str, filters: Filters, vector: Sequence[float] | None
    ) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the nearest chunks that pass the filters."""
        if self.store is None or self.embeddings is None:
            return []
        if vector is None:
            vector = self.embeddings.embed_query(query)
        where = _chroma_where(filters)
        fetch = CANDIDATES * (4 if filters.active() else 1)
        found = self.store.query(vector, fetch, where=where)
        return [(cid, sim) for cid, sim in found if self._passes(cid, filters)]

    def _lexical(self, query: str, filters: Filters) -> list[str]:
        if self.lexical is None:
            return []
        allowed = None
        if filters.active():
            allowed = {cid for cid in self.chunks if self._passes(cid, filters)}
        return [cid for cid, _ in self.lexical.search(query, CANDIDATES, allowed=allowed)]

    def _passes(self, chunk_id: str, filters: Filters) -> bool:
        chunk = self.chunks.get(chunk_id)
        if chunk is None:
            return False  # in the store but not in this catalog: stale, never trusted
        paper = self._papers.get(chunk.paper_id) if chunk.paper_id else None
        return filters.matches(chunk, paper)

    def _fuse(
        self,
        query: str,
        dense: list[tuple[str, float]],
        lexical: list[str],
        k: int,
        filters: Filters,
    ) -> list[Hit]:
        scores: dict[str, float] = {}
        similarity = dict(dense)
        dense_ids = [cid for cid, _ in dense]
        dense_rank = {cid: r for r, cid in enumerate(dense_ids, 1)}
        lexical_rank = {cid: r for r, cid in enumerate(lexical, 1)}
        for ranking, weight in ((dense_ids, DENSE_WEIGHT), (lexical, 1.0)):
            for rank, cid in enumerate(ranking, 1):
                if cid in self.chunks:
                    scores[cid] = scores.get(cid, 0.0) + weight / (RRF_K + rank)
        norm_query = normalize_title(query)
        hints = self.hints.read(query)
        for cid in scores:
            chunk = self.chunks[cid]
            paper = self._papers.get(chunk.paper_id) if chunk.paper_id else None
            scores[cid] *= self.hints.boost(chunk, paper, hints)
        best: dict[str, tuple[float, str]] = {}
        for cid, score in scores.items():
            chunk = self.chunks[cid]
            key = chunk.paper_id or cid
            if key not in best or score > best[key][0]:
                best[key] = (score, cid)
        titled = self._title_in_query(norm_query, filters)
        top = 1.0 + max((s for s, _ in best.values()), default=0.0)
        for pid in titled:
            chunk_id = best[pid][1] if pid in best else self._paper_chunk(pid)
            if chunk_id is not None:
                best[pid] = (top, chunk_id)
        ranked = sorted(best.items(), key=lambda item: -item[1][0])[:k]
        hits = []
        for _key, (score, cid) in ranked:
            chunk = self.chunks[cid]
            hits.append(
                Hit(
                    chunk=chunk,
                    score=score,
                    paper=self._papers.get(chunk.paper_id) if chunk.paper_id else None,
                    dense_rank=dense_rank.get(cid),
                    similarity=similarity.get(cid),
                    lexical_rank=lexical_rank.get(cid),
                )
            )
        return hits

    def _title_in_query(self, norm_query: str, filters: Filters) -> list[str]:
        """Papers whose whole title (or main title: `title_index`) the query contains,
        longest title first (at most 3)."""
        found = []
        for _rank, pid in sorted(self._titles.find(norm_query)):
            cid = self._paper_chunk(pid)
            if cid is not None and self._passes(cid, filters) and pid not in found:
                found.append(pid)
        return found[:3]

    def _paper_chunk(self, paper_id: str) -> str | None:
        return self._chunk_of_paper.get(paper_id)


def unique_main_titles(papers: Sequence[Paper]) -> dict[str, Paper]:
    """Main titles before a colon, folded, that one paper alone has: 'teacher s pet' of
    "Teacher's pet: understanding and mitigating biases in distillation"."""
    mains: dict[str, list[Paper]] = {}
    for paper in papers:
        if ":" in paper.title:
            mains.setdefault(normalize_title(paper.title.split(":", 1)[0]), []).append(paper)
    return {main: holders[0] for main, holders in mains.items() if len(holders) == 1}


def title_index(papers: Sequence[Paper]) -> PhraseIndex[tuple[int, str]]:
    """Normalized titles of 3+ words and 12+ characters -> (rank, paper id); a lower rank
    is a longer title, so sorting the matches puts the most specific title first.

    A main title before its subtitle ('Deep Double Descent' of 'Deep Double Descent:
    Where Bigger Models ...') names its paper too when no other paper has it: a question
    about the idea by that name is about that paper first. (Picking the earliest of
    several that share one lost more lookups than it won.)"""
    entries = [(normalize_title(p.title), p.id) for p in papers if len(p.title.split()) >= 3]
    entries += [(main, paper.id) for main, paper in unique_main_titles(papers).items()]
    titles = sorted(
        ((t, pid) for t, pid in entries if len(t.split()) >= 3), key=lambda t: -len(t[0])
    )
    return PhraseIndex(
        (title, (rank, pid)) for rank, (title, pid) in enumerate(titles) if len(title) >= 12
    )


def _chroma_where(filters: Filters) -> dict[str, object] | None:
    clauses: list[dict[str, object]] = []
    if filters.year_min is not None:
        clauses.append({"year": {"$gte": filters.year_min}})
    if filters.year_max is not None:
        clauses.append({"year": {"$lte": filters.year_max}})
    if filters.kind:
        clauses.append({"kind": filters.kind})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}
