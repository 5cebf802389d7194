"""What a query says besides its topic words: a catalog topic, a year, an author, a
venue, or "me". Each hint boosts matching hits by a fixed factor; nothing is
filtered out, so a wrong guess costs a little rank, never a lost paper.

Simplified on purpose: names and venues are matched as whole phrases of the
normalized query (looked up by the query's word n-grams, `retrieval.phrase_index`, so
the cost does not grow with the catalog); a surname alone counts only when it is capitalised in the query
and names few papers, so 'Long' or 'Wang' in a sentence do not pull in authors.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from retrieval.phrase_index import PhraseIndex
from retrieval.records import Chunk, Paper
from retrieval.terms import content_words, terms
from retrieval.text import normalize_title, surname

TOPIC_BOOST = 1.5
YEAR_BOOST = 1.3
AUTHOR_BOOST = 2.0
SURNAME_BOOST = 1.5
VENUE_BOOST = 1.3
MY_PAPER_BOOST = 1.5
MY_PROFILE_BOOST = 1.3
# A surname shared by more papers than this is too common to be a hint.
MAX_SURNAME_PAPERS = 25

# A topic none of whose papers use its name's words in their titles or keywords is a
# filing label ('Others', 'Empirical Study' in a curated list), not a subject: a request
# that says its words is not asking for those papers. Measured on the sample list: such
# labels reach at most 3% of their papers, subjects at least 16%.
MIN_TOPIC_COHESION = 0.1
TOPIC_SAMPLE = 200
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
_FIRST_PERSON = re.compile(r"\b(i|me|my|mine|myself|i'm|i've)\b", re.I)
_VENUE_WORDS = {"nature", "science", "pnas", "jmlr", "tmlr"}


@dataclass(frozen=True)
class QueryHints:
    topics: frozenset[str] = frozenset()
    year: int | None = None
    author_papers: frozenset[str] = frozenset()
    surname_papers: frozenset[str] = frozenset()
    venues: frozenset[str] = frozenset()
    about_me: bool = False


class HintReader:
    """Reads hints from queries against one catalog; `me` are the researcher's names."""

    def __init__(self, papers: Sequence[Paper], me: Iterable[str] = ()) -> None:
        # Filing labels ('Others'): topics no theme or alias should be named after.
        self.labels = frozenset(filing_labels(papers))
        self.topics = topic_aliases(papers, self.labels)
        self.my_names = [normalize_title(n) for n in me if n]
        full: dict[str, set[str]] = defaultdict(set)
        surnames: dict[str, set[str]] = defaultdict(set)
        mine: set[str] = set()
        # One pass, one normalisation per author: at 100k papers this is most of the cost.
        # authors recur across papers: normalise each once, with its surname
        normalized: dict[str, tuple[str, str]] = {}
        for paper in papers:
            for author in paper.authors:
                known = normalized.get(author)
                if known is None:
                    # 'Srinivas, S.' -> 'srinivas'; 'Tim van der Berg' -> 'berg'
                    family_words = normalize_title(surname(author)).split()
                    known = normalized[author] = (
                        normalize_title(author),
                        family_words[-1] if family_words else "",
                    )
                name, family = known
                words = name.split()
                if len(words) >= 2:
                    full[name].add(paper.id)
                if family:
                    surnames[family].add(paper.id)
                    if self._is_me_words(words):
                        mine.add(paper.id)
        self.full_names = {n: frozenset(ids) for n, ids in full.items()}
        self._names = PhraseIndex(self.full_names.items())
        self._topics = PhraseIndex(self.topics)
        self._venues: dict[str, frozenset[str]] = {}
        self.surnames = {
            s: frozenset(ids)
            for s, ids in surnames.items()
            if len(s) >= 4 and len(ids) <= MAX_SURNAME_PAPERS
        }
        venues = {p.venue for p in papers if p.venue}
        self.venue_tokens = {t for v in venues for t in _venue_tokens(v)}
        self.my_papers = frozenset(mine)

    def _is_me(self, author: str) -> bool:
        return self._is_me_words(normalize_title(author).split())

    def _is_me_words(self, name: list[str]) -> bool:
        for mine in self.my_names:
            parts = mine.split()
            if name and parts and name[-1] == parts[-1] and name[0][0] == parts[0][0]:
                return True
        return False

    def read(self, query: str) -> QueryHints:
        norm = normalize_title(query)
        topics = frozenset(self._topics.find(norm))
        years = _YEAR.findall(query)
        authors: set[str] = set()
        for ids in self._names.find(norm):
            authors |= ids
        capitalised = {normalize_title(w) for w in re.findall(r"\b[A-Z][\w'-]+", query)}
        surname_hits: set[str] = set()
        for word in capitalised:
            surname_hits |= self.surnames.get(word, frozenset())
        words = set(norm.split())
        venues = frozenset(
            w
            for w in words
            if w in self.venue_tokens and (w in _VENUE_WORDS or _is_acronym(w, query))
        )
        return QueryHints(
            topics=topics,
            year=int(years[-1]) if years else None,
            author_papers=frozenset(authors),
            surname_papers=frozenset(surname_hits - authors),
            venues=venues,
            about_me=bool(_FIRST_PERSON.search(query)),
        )

    def boost(self, chunk: Chunk, paper: Paper | None, hints: QueryHints) -> float:
        """The factor a hit's fused score is multiplied by."""
        factor = 1.0
        if hints.topics and chunk.topic in hints.topics:
            factor *= TOPIC_BOOST
        if hints.year is not None and chunk.year == hints.year:
            factor *= YEAR_BOOST
        pid = chunk.paper_id
        if pid and pid in hints.author_papers:
            factor *= AUTHOR_BOOST
        elif pid and pid in hints.surname_papers:
            factor *= SURNAME_BOOST
        if hints.venues and paper and paper.venue and hints.venues & self._venue_set(paper.venue):
            factor *= VENUE_BOOST
        if hints.about_me:
            if pid and pid in self.my_papers:
                factor *= MY_PAPER_BOOST
            elif chunk.kind == "profile" and any(self._is_me(a) for a in chunk.authors):
                factor *= MY_PROFILE_BOOST
        return factor

    def _venue_set(self, venue: str) -> frozenset[str]:
        # Normalizing is the costly part of a boost, and a catalog has few distinct venues.
        tokens = self._venues.get(venue)
        if tokens is None:
            tokens = self._venues[venue] = frozenset(_venue_tokens(venue))
        return tokens


def _venue_tokens(venue: str) -> list[str]:
    return [t for t in normalize_title(venue).split() if len(t) >= 3]


def _is_acronym(word: str, query: str) -> bool:
    """'icml' counts when the query writes it with capitals: 'ICML', 'NeurIPS'."""
    for original in re.findall(r"[\w-]+", query):
        if original.lower() == word and sum(ch.isupper() for ch in original) >= 2:
            return True
    return False


def filing_labels(papers: Iterable[Paper]) -> set[str]:
    """The topics whose names almost none of their papers use (see MIN_TOPIC_COHESION).

    Measured on at most TOPIC_SAMPLE papers a topic: a share needs no more, and a
    large curated list then costs no more than a small one when the searcher opens.
    """
    named: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    name_terms: dict[str, set[str]] = {}
    for paper in papers:
        if not paper.topic or named[paper.topic][1] >= TOPIC_SAMPLE:
            continue
        if paper.topic not in name_terms:
            name_terms[paper.topic] = set(terms(paper.topic))
        count = named[paper.topic]
        count[1] += 1
        words = set(terms(" ".join([paper.title, *paper.keywords])))
        count[0] += bool(words & name_terms[paper.topic])
    return {topic for topic, (hit, total) in named.items() if hit < MIN_TOPIC_COHESION * total}


def topic_aliases(
    papers: Iterable[Paper], labels: Collection[str] | None = None
) -> list[tuple[str, str]]:
    """('lottery ticket hypothesis' -> topic), ('lottery ticket' -> topic), ...

    Each topic is known by its full name and by every run of two or more consecutive
    content words of it ('lottery ticket', 'ticket hypothesis'), so a request may
    leave out a word of the name. Broad topics ('Others') get no alias.
    """
    papers = list(papers)
    labels = filing_labels(papers) if labels is None else labels
    aliases: dict[str, str] = {}
    for topic in {p.topic for p in papers if p.topic} - set(labels):
        norm = normalize_title(topic)
        aliases[norm] = topic
        core = content_words(norm)
        for size in range(2, len(core) + 1):
            for start in range(len(core) - size + 1):
                aliases.setdefault(" ".join(core[start : start + size]), topic)
    return sorted(aliases.items())
