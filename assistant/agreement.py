"""Shared words: what the best candidates for a query agree on, and who lacks it.

A look-alike shares part of a request's wording with the papers that are really on it
and misses the rest: 'Data pruning and neural scaling laws' for 'pruning at
initialization' says 'pruning' but never 'initialization', which the papers nearest to
that query all say. The words a query's best candidates (by meaning) share are its
*consensus*; a candidate that lacks the consensus of every query of the request is
suspect. This is one signal beside the cosine (`assistant.selection` subtracts a
weighted share of it from relevance), never a gate, and it asks for no list of words:
the consensus comes from the candidates themselves.

Simplified on purpose: words are the stems of `retrieval.terms`, and two stems that
differ only by one trailing letter count as one word (Snowball leaves 'noisy' as
'noisi' and 'noise' as 'nois').
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from assistant.grouping import paper_text
from retrieval.records import Paper
from retrieval.terms import terms

# How many of a query's best candidates vote, and the share of them that must carry a
# word for it to be that query's consensus (tuned with the selection cut).
VOTERS = 10
SHARE = 0.5
_MIN_STEM = 4


def paper_terms(paper: Paper) -> frozenset[str]:
    """The stems of everything the catalog says the paper is about."""
    return frozenset(terms(paper_text(paper)))


def carries(term: str, words: frozenset[str]) -> bool:
    """Whether `words` hold `term`, or a stem one trailing letter longer or shorter."""
    if term in words:
        return True
    if len(term) < _MIN_STEM:
        return False
    shorter = len(term) > _MIN_STEM and term[:-1] in words
    return shorter or any(len(w) == len(term) + 1 and w.startswith(term) for w in words)


def consensus(query: str, voters: Iterable[frozenset[str]], share: float = SHARE) -> list[str]:
    """The query's words that at least `share` of the voters carry, in the query's order."""
    ballots = list(voters)
    if not ballots:
        return []
    wanted = list(dict.fromkeys(terms(query)))
    return [t for t in wanted if sum(carries(t, b) for b in ballots) >= share * len(ballots)]


def missing(consensuses: Sequence[Sequence[str]], words: frozenset[str]) -> float:
    """The share of consensus words a paper lacks, for the query it agrees with most
    (0 when any query has no consensus, or the paper carries one query's whole
    consensus): a paper is suspect only when no query's shared words are its own."""
    shares = []
    for agreed in consensuses:
        if not agreed:
            return 0.0
        shares.append(sum(not carries(t, words) for t in agreed) / len(agreed))
    return min(shares, default=0.0)
