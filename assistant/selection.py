"""Choosing the papers a request is about, by retrieval and meaning, not word gates.

Shared by reading lists and related-work drafts. Candidates come from hybrid search
over every query of the request (the topic, the whole request, each sub-topic, a
pasted abstract's sentences), fused by reciprocal rank. Each candidate is then judged
by the meaning of the whole paper against the request: the cosine between its stored
vector and the request's query vectors. A paper is kept when that relevance is close
to the best candidates' (a margin below them) and above a floor, both calibrated per
embedding model; so 'data pruning' stays out of a list on model pruning because its
abstract is about something else, not because of a list of traps. One lexical signal
joins the cosine: a candidate lacking the words that every query's best candidates
share loses some relevance (`assistant.agreement`), never its place outright.

Constraints are applied here too: years and a single source file as search filters,
other sources and the subjects to leave out after the search (a paper leaves when its
catalog topic names the excluded subject or its meaning is closer to that subject
than to the request).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from assistant.agreement import VOTERS, consensus, missing, paper_terms
from assistant.request import Request
from assistant.thresholds import SelectionCut, model_of, thresholds_for
from assistant.vectors import cosine
from assistant.works_of import AuthorIndex, by_all, by_any, works_requested
from retrieval.hybrid import Filters, HybridSearcher
from retrieval.records import Paper
from retrieval.terms import terms
from retrieval.text import normalize_title

RRF_K = 10
CANDIDATES = 50
NEAREST = 5
# A request for all of a file's papers: 'everything there', 'all the papers'; not 'all
# the papers about diffusion from the feed', which names a topic.
_EVERYTHING = re.compile(
    r"\b(?:everything|every (?:single )?paper|all (?:the |of the )?papers|all of (?:it|them))\b"
    r"(?!\s+(?:on|about|in|for|related|regarding|that|which|with|dealing|covering)\b)",
    re.I,
)
# Query weights in the fusion: the topic and the whole request count most.
TOPIC_WEIGHT = 2.0
WHOLE_WEIGHT = 1.5
PART_WEIGHT = 1.0


@dataclass(frozen=True)
class Scored:
    """A candidate and how it was judged."""

    paper: Paper
    relevance: float  # cosine with the request's closest query
    score: float  # relevance, with the fused rank breaking near-ties
    queries: int  # how many queries retrieved it
    sims: tuple[float, ...] = ()  # cosine with each query, in the request's order
    direct: float = 1.0  # cosine with the closest query alone, before the feedback mix


@dataclass
class Selection:
    """The papers chosen for a request, best first, and what was searched."""

    papers: list[Paper]
    queries: list[str]
    constraints: list[str]
    nearest: list[Scored] = field(default_factory=list)
    excluded: int = 0
    bar: float = 1.0  # the relevance a paper needed to be chosen
    judged: dict[str, float] = field(default_factory=dict)  # papers judged, not chosen

    @property
    def empty(self) -> bool:
        return not self.papers

    def explain_empty(self) -> str:
        """One sentence for an empty result: what was searched and what came closest."""
        searched = "; ".join(f"“{q[:80]}”" for q in self.queries[:4]) or "nothing"
        if self.nearest:
            near = "; ".join(f"{s.paper.title} ({s.direct:.2f})" for s in self.nearest[:3])
            return (
                f"No paper in your corpus is close enough to this request. Searched: {searched}. "
                f"Nearest: {near}. Try other words or fewer constraints."
            )
        return f"No paper in your corpus matches this request. Searched: {searched}. Try other words or fewer constraints."


class Selector:
    """Chooses papers for requests over one searcher."""

    def __init__(self, searcher: HybridSearcher, cut: SelectionCut | None = None) -> None:
        self.searcher = searcher
        self.cut = cut or thresholds_for(model_of(searcher.embeddings)).selection

    @cached_property
    def authors(self) -> AuthorIndex:
        return AuthorIndex.build(self.searcher.catalog)

    def select(
        self,
        request: Request,
        *,
        limit: int,
        extra_queries: Sequence[str] = (),
        leave_out: frozenset[str] = frozenset(),
        judge_too: Sequence[Paper] = (),
    ) -> Selection:
        """Up to `limit` papers for the request, best first. `extra_queries` join the
        search (the agenda's themes for a list 'for me'); `leave_out` are paper ids never
        chosen; `judge_too` are papers scored on the same scale but not chosen (the
        researcher's own papers, positioned apart in a draft): see `Selection.judged`."""
        queries = list(dict.fromkeys([*request.queries, *extra_queries]))
        if not queries:
            return Selection([], [], request.constraints())
        listed = self._listed(request, leave_out)
        if listed:
            return Selection(listed[:limit], queries, request.constraints())
        filters = Filters(
            kind="paper",
            year_min=request.year_min,
            year_max=request.year_max,
            source=request.sources[0] if len(request.sources) == 1 else None,
        )
        results = self.searcher.search_many(queries, k=CANDIDATES, filters=filters)
        weights = self._weights(request, queries)
        fused: dict[str, float] = {}
        found: dict[str, int] = {}
        papers: dict[str, Paper] = {}
        for weight, hits in zip(weights, results, strict=True):
            for rank, hit in enumerate(hits):
                paper = hit.paper
                if paper is None or paper.id in leave_out or not self._allowed(paper, request):
                    continue
                papers[paper.id] = paper
                fused[paper.id] = fused.get(paper.id, 0.0) + weight / (RRF_K + rank)
                found[paper.id] = found.get(paper.id, 0) + 1
        # the researcher's own papers honour the request's constraints too
        extra = [p for p in judge_too if p.id not in papers and self._allowed(p, request)]
        for paper in extra:
            fused.setdefault(paper.id, 0.0)
            found.setdefault(paper.id, 0)
        scored, excluded = self._judge(
            request, queries, weights, [*papers.values(), *extra], fused, found, len(papers)
        )
        extra_ids = {p.id for p in extra}
        judged = {
            s.paper.id: s.relevance
            for s in scored
            if s.paper.id in extra_ids and s.direct >= self.cut.floor
        }
        scored = [s for s in scored if s.paper.id not in extra_ids]
        bar = self._bar(scored)
        # The floor is on the request's own cosine: the feedback mix would lift a few weak
        # candidates that merely resemble each other.
        floor = self.cut.floor
        # A paper whose title or keywords name the topic outright needs no floor: a short
        # topic ('mode connectivity') gets low cosines from a small model even with the
        # papers that are about it, and the exact phrase is evidence enough.
        naming = _names(request.topic)
        chosen = [
            s.paper for s in scored if s.relevance >= bar and (s.direct >= floor or naming(s.paper))
        ][:limit]
        nearest = [] if chosen else scored[:NEAREST]
        return Selection(chosen, queries, request.constraints(), nearest, excluded, bar, judged)

    def _listed(self, request: Request, leave_out: frozenset[str]) -> list[Paper]:
        """The catalog's papers a request lists rather than searches for: 'every paper of
        Zhiyuan Li's' (theirs, newest first, or ranked by a topic beside them), and
        'everything there' of a file the request keeps to; [] for any other request."""
        names = works_requested(request.text, self.authors)
        if not names and not (request.sources and _EVERYTHING.search(request.text)):
            return []
        works = [
            p
            for p in self.searcher.catalog.papers
            if (not names or by_all(p, names) or (len(names) > 1 and by_any(p, names)))
            and p.id not in leave_out
            and self._allowed(p, request)
            and (request.year_min is None or (p.year or 0) >= request.year_min)
            and (request.year_max is None or (p.year or 9999) <= request.year_max)
        ]
        works = [p for p in works if names and by_all(p, names)] or works
        works.sort(key=lambda p: -(p.year or 0))
        order = self._rank_among(request, works, names)
        return sorted(works, key=lambda p: order.get(p.id, len(order)))

    def _rank_among(
        self, request: Request, works: Sequence[Paper], names: Sequence[str]
    ) -> dict[str, int]:
        """The works' order by relevance to the request's topic, when it names one
        besides the people (their names are no topic)."""
        topic = request.topic
        for name in names:
            topic = re.sub(rf"\b{re.escape(name)}\b", " ", normalize_title(topic))
        if not terms(topic) or not names:
            return {}
        hits = self.searcher.search(
            topic, k=max(len(works), 1), filters=Filters(kind="paper", author=names[0])
        )
        wanted = {p.id for p in works}
        ranked = [h.paper.id for h in hits if h.paper is not None and h.paper.id in wanted]
        return {pid: i for i, pid in enumerate(dict.fromkeys(ranked))}

    def _anchored(self, request: Request, queries: Sequence[str]) -> list[str]:
        weights = self._weights(request, queries)
        return [
            _anchor(q, request.topic) if w == PART_WEIGHT else q
            for q, w in zip(queries, weights, strict=True)
        ]

    def _weights(self, request: Request, queries: Sequence[str]) -> list[float]:
        heavy = {request.topic.casefold(): TOPIC_WEIGHT}
        if len(request.queries) > 1:
            heavy.setdefault(request.queries[1].casefold(), WHOLE_WEIGHT)
        if request.abstract:
            heavy[request.abstract.casefold()] = TOPIC_WEIGHT
        return [heavy.get(q.casefold(), PART_WEIGHT) for q in queries]

    def _allowed(self, paper: Paper, request: Request) -> bool:
        files = [s.file for s in paper.sources]
        if request.sources and not any(w in f for w in request.sources for f in files):
            return False
        if request.not_sources and all(any(w in f for w in request.not_sources) for f in files):
            return False
        if request.exclude and paper.topic:
            topic = f" {normalize_title(paper.topic)} "
            for subject in request.exclude:
                words = [w for w in normalize_title(subject).split() if len(w) > 3]
                if words and any(f" {w}" in topic for w in words):
                    return False
        # A title that says the excluded subject outright ('Fantastic Generalization
        # Measures' for 'the generalization-measure papers'), its words in order.
        title = f" {' '.join(terms(paper.title))} "
        return not any(
            (said := " ".join(terms(subject))) and f" {said} " in title
            for subject in request.exclude
        )

    def _judge(
        self,
        request: Request,
        queries: list[str],
        weights: list[float],
        papers: list[Paper],
        fused: dict[str, float],
        found: dict[str, int],
        searched: int,
    ) -> tuple[list[Scored], int]:
        """Score each candidate by meaning; drop those closer to an excluded subject."""
        if not papers:
            return [], 0
        embeddings = self.searcher.embeddings
        if embeddings is None:  # BM25 only: rank order is all there is
            order = sorted(papers, key=lambda p: -fused[p.id])
            return [Scored(p, 1.0, fused[p.id], found[p.id]) for p in order], 0
        vectors = embeddings.embed_documents(
            self._anchored(request, queries) + list(request.exclude)
        )
        query_vecs, exclude_vecs = vectors[: len(queries)], vectors[len(queries) :]
        paper_vecs = {pid: _unit(v) for pid, v in self.searcher.paper_vectors(papers).items()}
        best_rank = max(fused.values()) or 1.0
        # A curated list's own section for the topic vouches for its papers.
        named = self.searcher.hints.read(request.topic).topics if request.topic else frozenset()
        direct: dict[str, tuple[float, list[float]]] = {}
        excluded = 0
        for paper in papers:
            vec = paper_vecs.get(paper.id)
            if vec is None:
                continue
            sims = [cosine(vec, q) for q in query_vecs]
            relevance = max(sims) + (self.cut.topic_bonus if paper.topic in named else 0.0)
            margin = self.cut.exclude_margin
            if any(cosine(vec, x) >= relevance - margin for x in exclude_vecs):
                excluded += 1
                continue
            direct[paper.id] = (relevance, sims)
        # Pseudo-relevance feedback: what the best few candidates share is what the
        # request means; a look-alike that only shares its words ('data pruning' for
        # 'data-free pruning') sits away from that centre. Only searched candidates
        # (the first `searched` papers) form it.
        searched_ids = [p.id for p in papers[:searched] if p.id in direct]
        lacking = self._disagreement(queries, papers, direct, searched_ids)
        top = sorted(searched_ids, key=lambda pid: -direct[pid][0])[: self.cut.feedback]
        centre = (
            _unit([sum(col) for col in zip(*(paper_vecs[pid] for pid in top), strict=True)])
            if top
            else []
        )
        mix = self.cut.feedback_weight if centre else 0.0
        scored: list[Scored] = []
        for paper in papers:
            if paper.id not in direct:
                continue
            query_relevance, sims = direct[paper.id]
            near_centre = cosine(paper_vecs[paper.id], centre) if centre else 0.0
            relevance = (1 - mix) * query_relevance + mix * near_centre
            relevance -= self.cut.agreement_weight * lacking.get(paper.id, 0.0)
            # The fused rank breaks near-ties: agreement among the queries counts.
            score = relevance + self.cut.rank_weight * fused[paper.id] / best_rank
            scored.append(
                Scored(paper, relevance, score, found[paper.id], tuple(sims), query_relevance)
            )
        scored.sort(key=lambda s: -s.score)
        return scored, excluded

    def _disagreement(
        self,
        queries: Sequence[str],
        papers: Sequence[Paper],
        direct: dict[str, tuple[float, list[float]]],
        searched_ids: Sequence[str],
    ) -> dict[str, float]:
        """For each judged paper, the share of shared words it lacks (`assistant.agreement`):
        each query's consensus is voted by its best searched candidates by meaning."""
        if not self.cut.agreement_weight or not searched_ids:
            return {}
        words = {p.id: paper_terms(p) for p in papers if p.id in direct}
        consensuses = []
        for j, query in enumerate(queries):
            voters = sorted(searched_ids, key=lambda pid: -direct[pid][1][j])[:VOTERS]
            consensuses.append(consensus(query, (words[pid] for pid in voters)))
        return {pid: missing(consensuses, w) for pid, w in words.items()}

    def _bar(self, scored: list[Scored]) -> float:
        """The relevance a paper needs: within a margin of the few best."""
        if not scored:
            return 1.0
        ranked = sorted((s.relevance for s in scored), reverse=True)
        reference = ranked[min(self.cut.reference, len(ranked)) - 1]
        return reference - self.cut.margin


def _names(topic: str) -> Callable[[Paper], bool]:
    """Whether a paper's title or one of its keywords contains the topic as a phrase."""
    phrase = normalize_title(topic)
    if len(phrase) < 4:
        return lambda paper: False
    pattern = re.compile(rf"(?:^| ){re.escape(phrase)}(?: |$)")

    def naming(paper: Paper) -> bool:
        fields = (paper.title, *paper.keywords)
        return any(pattern.search(normalize_title(f)) for f in fields)

    return naming


def _anchor(query: str, topic: str) -> str:
    """A sub-topic read in the context of the topic: 'why they work' alone matches
    anything, 'lottery tickets: why they work' does not."""
    if not topic or topic.casefold() in query.casefold():
        return query
    return f"{topic}: {query}"


def _unit(vector: Sequence[float]) -> list[float]:
    norm = math.sqrt(sum(x * x for x in vector))
    return [x / norm for x in vector] if norm else list(vector)
