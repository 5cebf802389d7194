"""The catalog: papers merged across sources, with stable ids and unique BibTeX keys.

Papers are the same paper when their normalized titles agree (case, accents,
punctuation, whitespace). A merged paper keeps every source and the richest value
of every field. Titles one word apart are never merged silently: they are listed
as possible duplicates for the user to judge.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from retrieval.records import Paper, Section, Skipped
from retrieval.text import normalize_title, surname

if TYPE_CHECKING:
    from retrieval.loaders import LoadedFile, LoadResult

T = TypeVar("T")

# Words that never make a BibTeX key: 'On the Origin of ...' -> 'origin'.
_KEY_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "on",
        "of",
        "in",
        "for",
        "to",
        "and",
        "with",
        "via",
        "is",
        "are",
        "do",
        "does",
        "did",
        "what",
        "how",
        "why",
        "when",
        "where",
        "which",
        "who",
        "towards",
        "toward",
        "from",
        "by",
        "at",
        "as",
        "can",
        "we",
        "our",
        "your",
        "not",
        "no",
        "all",
        "its",
        "it",
        "be",
        "into",
        "over",
        "under",
        "than",
        "this",
        "that",
        "these",
        "those",
    ]
)


@dataclass(frozen=True)
class NearDuplicate:
    """Two papers whose titles differ by one word: maybe the same paper, maybe not."""

    first: Paper
    second: Paper


@dataclass
class Catalog:
    """Every paper and section of a corpus, and what could not be read."""

    papers: list[Paper]
    sections: list[Section]
    files: list[LoadedFile] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_key: dict[str, Paper] = {}
        for paper in self.papers:
            self._by_key[paper.id] = paper
            self._by_key[paper.bibkey.casefold()] = paper

    @cached_property
    def near_duplicates(self) -> list[NearDuplicate]:
        """Pairs of titles one word apart, found on first use: only `ra corpus` shows
        them, and at 100k papers finding them costs more than a search."""
        return find_near_duplicates(self.papers)

    def get(self, id_or_bibkey: str) -> Paper | None:
        """A paper by its id ('p1a2b3c4d5e') or BibTeX key (case-insensitive)."""
        return self._by_key.get(id_or_bibkey) or self._by_key.get(id_or_bibkey.casefold())

    @property
    def warnings(self) -> list[str]:
        """Per-file notes of partial loads, e.g. BibTeX entries that could not be read."""
        return [f"{f.file}: {f.note}" for f in self.files if f.note]

    @property
    def partial(self) -> bool:
        """True when anything was skipped, wholly or in part."""
        return bool(self.skipped or self.warnings)

    def filter(
        self,
        query: str | None = None,
        *,
        topic: str | None = None,
        year: int | None = None,
        author: str | None = None,
        source: str | None = None,
    ) -> list[Paper]:
        """Papers matching every given criterion; text matches ignore case and accents.

        `query` words must all occur in the title, authors, venue, keywords or abstract;
        `topic`, `author` and `source` match substrings.
        """
        words = normalize_title(query).split() if query else []
        topic_n = normalize_title(topic) if topic else None
        author_n = normalize_title(author) if author else None
        source_n = source.casefold() if source else None
        out = []
        for paper in self.papers:
            if year is not None and paper.year != year:
                continue
            if topic_n and topic_n not in normalize_title(paper.topic or ""):
                continue
            if author_n and not any(author_n in normalize_title(a) for a in paper.authors):
                continue
            if source_n and not any(source_n in s.file.casefold() for s in paper.sources):
                continue
            if words:
                haystack = normalize_title(
                    " ".join(
                        [
                            paper.title,
                            *paper.authors,
                            paper.venue or "",
                            *paper.keywords,
                            paper.abstract or "",
                        ]
                    )
                )
                if not all(_has_word(haystack, w) for w in words):
                    continue
            out.append(paper)
        return out


def _has_word(haystack: str, word: str) -> bool:
    return re.search(rf"\b{re.escape(word)}", haystack) is not None


def build_catalog(roots: Sequence[Path], *, max_file_mb: float = 20.0) -> Catalog:
    """Load every file under `roots` and merge what they hold into one catalog."""
    from retrieval.loaders import load_corpus

    return catalog_from(load_corpus(roots, max_file_mb=max_file_mb))


def catalog_from(loaded: LoadResult) -> Catalog:
    """Merge the papers of a load into a catalog with unique bibkeys."""
    merged = merge_papers(loaded.result.papers)
    papers = assign_bibkeys(merged)
    return Catalog(
        papers=papers,
        sections=list(loaded.result.sections),
        files=list(loaded.files),
        skipped=list(loaded.skipped),
    )


def merge_papers(papers: Iterable[Paper]) -> list[Paper]:
    """Merge papers with the same normalized title, in order of first appearance."""
    groups: dict[str, list[Paper]] = defaultdict(list)
    for paper in papers:
        groups[paper.id].append(paper)
    return [_merge(group) for group in groups.values()]


def _merge(group: list[Paper]) -> Paper:
    if len(group) == 1:
        return group[0]
    years = Counter(p.year for p in group if p.year is not None)
    return Paper(
        id=group[0].id,
        title=max((p.title for p in group), key=_title_richness),
        authors=max((p.authors for p in group), key=len),
        # The year most sources agree on; on a tie, the first source's.
        year=years.most_common(1)[0][0] if years else None,
        venue=max((p.venue for p in group if p.venue), key=_venue_richness, default=None),
        keywords=_union(p.keywords for p in group),
        abstract=_longest(p.abstract for p in group),
        topic=next((p.topic for p in group if p.topic), None),
        sources=_union(p.sources for p in group),
        links=_union(p.links for p in group),
        awards=_union(p.awards for p in group),
        bibkey_hint=next((p.bibkey_hint for p in group if p.bibkey_hint), ""),
        origins=_first_origins(group),
    )


def _first_origins(group: list[Paper]) -> tuple[tuple[str, str], ...]:
    """Where each field was read, as the first source that says it puts it."""
    origins: dict[str, str] = {}
    for paper in group:
        for field_name, where in paper.origins:
            origins.setdefault(field_name, where)
    return tuple(origins.items())


def _title_richness(title: str) -> tuple[bool, int]:
    # Prefer a title with capitals (not a lower-cased reference list), then the longest;
    # a sentence period is not information.
    return (sum(ch.isupper() for ch in title) > 1, len(title.rstrip(". ")))


_ACRONYM = re.compile(r"\b(?=\w*[A-Z]\w*[A-Z])\w+\b")


def _venue_richness(venue: str) -> tuple[bool, int]:
    # 'Neural Information Processing Systems (NeurIPS)' beats the longer
    # 'Advances in Neural Information Processing Systems': the acronym is what people search.
    return (_ACRONYM.search(venue) is not None, len(venue))


def _longest(values: Iterable[str | None]) -> str | None:
    present = [v for v in values if v]
    return max(present, key=len) if present else None


def _union(groups: Iterable[tuple[T, ...]]) -> tuple[T, ...]:
    seen: dict[T, None] = {}
    for group in groups:
        for item in group:
            seen.setdefault(item, None)
    return tuple(seen)


def _ascii_word(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z0-9]", "", text.encode("ascii", "ignore").decode().lower())


def base_bibkey(paper: Paper) -> str:
    """'Srinivas' + 2019 + 'Full-Gradient Representation ...' -> 'srinivas2019full';
    with no author, the first title word and the year: 'compacter2021'."""
    author = _ascii_word(surname(paper.authors[0])) if paper.authors else ""
    words = [_ascii_word(w) for w in normalize_title(paper.title).split()]
    significant = [w for w in words if w and w not in _KEY_STOPWORDS]
    first = significant[0] if significant else (words[0] if words and words[0] else "paper")
    year = str(paper.year) if paper.year else ""
    return f"{author}{year}{first}" if author else f"{first}{year}"


_VALID_KEY = re.compile(r"^[A-Za-z0-9_:.+/-]+$")


def assign_bibkeys(papers: Sequence[Paper]) -> list[Paper]:
    """Give every paper a unique key.

    A key from the user's own .bib is kept when no other paper claims it; the others
    get surname + year + first word, colliding ones a, b, c... in title order.
    """
    hints: dict[str, list[Paper]] = defaultdict(list)
    for paper in papers:
        if paper.bibkey_hint and _VALID_KEY.match(paper.bibkey_hint):
            hints[paper.bibkey_hint.casefold()].append(paper)
    keys: dict[str, str] = {g[0].id: g[0].bibkey_hint for g in hints.values() if len(g) == 1}
    taken = {k.casefold() for k in keys.values()}
    by_key: dict[str, list[Paper]] = defaultdict(list)
    for paper in papers:
        if paper.id not in keys:
            by_key[base_bibkey(paper)].append(paper)
    for key, group in by_key.items():
        if len(group) == 1 and key not in taken:
            keys[group[0].id] = key
            taken.add(key)
            continue
        suffixes = _suffixes()
        for paper in sorted(group, key=lambda p: (normalize_title(p.title), p.id)):
            candidate = key + next(suffixes)
            while candidate in taken:
                candidate = key + next(suffixes)
            taken.add(candidate)
            keys[paper.id] = candidate
    return [replace(p, bibkey=keys[p.id]) for p in papers]


def _suffixes() -> Iterator[str]:
    """'a'..'z', 'aa'..'zz', 'aaa'..: never runs out, however many papers share a key."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    for length in itertools.count(1):
        for combo in itertools.product(letters, repeat=length):
            yield "".join(combo)


def find_near_duplicates(papers: Sequence[Paper]) -> list[NearDuplicate]:
    """Pairs of papers whose normalized titles differ by exactly one word.

    One substituted, inserted or deleted word: 'rethinking attribution methods in model
    interpretability' vs '... for model interpretability'. Short titles differ by one
    word all the time ('Broken Neural Scaling Laws', 'Explaining Neural Scaling Laws'),
    so a pair counts when the differing words are function words ('in'/'for', 'a'/'the')
    or the titles have at least `NEAR_MIN_WORDS` words.
    """
    buckets: dict[tuple[str, ...], list[int]] = defaultdict(list)
    words = [tuple(normalize_title(p.title).split()) for p in papers]
    for i, tokens in enumerate(words):
        if len(tokens) < 3:
            continue
        buckets[tokens].append(i)  # matches a deletion key of a one-word-longer title
        for pos in range(len(tokens)):
            buckets[(*tokens[:pos], "\x00", *tokens[pos + 1 :])].append(i)  # substitution
    deletion_of: dict[int, list[tuple[str, ...]]] = {
        i: [tokens[:pos] + tokens[pos + 1 :] for pos in range(len(tokens))]
        for i, tokens in enumerate(words)
        if len(tokens) >= 4
    }
    pairs: set[tuple[int, int]] = set()
    for members in buckets.values():
        for a in members:
            for b in members:
                if a < b and words[a] != words[b]:
                    pairs.add((a, b))
    for i, keys in deletion_of.items():
        for key in keys:
            for j in buckets.get(key, ()):
                if words[j] == key and i != j:
                    pairs.add((min(i, j), max(i, j)))
    return [
        NearDuplicate(papers[a], papers[b])
        for a, b in sorted(pairs)
        if _suspicious(words[a], words[b])
    ]


NEAR_MIN_WORDS = 6


def _suspicious(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    differing = set(a).symmetric_difference(b)
    return min(len(a), len(b)) >= NEAR_MIN_WORDS or differing <= _KEY_STOPWORDS
