"""The fast paths give the same answers as the slow ones they replace.

Title and author lookups by word n-gram (`retrieval.phrase_index`) are checked against
the linear scans they replaced, kept here as the oracle, on the sample corpus's own
titles and names and on random queries built from its words.
"""

from __future__ import annotations

import random
from collections import Counter
from functools import cache

import pytest

from retrieval.catalog import Catalog, build_catalog
from retrieval.hybrid import Filters, HybridSearcher
from retrieval.phrase_index import PhraseIndex
from retrieval.query_hints import HintReader
from retrieval.records import Chunk
from retrieval.text import normalize_title
from tests.conftest import CORPUS


@cache
def _catalog() -> Catalog:
    return build_catalog([CORPUS])


def _scan_titles(catalog: Catalog, norm_query: str) -> list[str]:
    """The scan `HybridSearcher._title_in_query` used to run over every title, and over
    the main titles (before a colon) that one paper has."""
    mains = Counter(
        normalize_title(p.title.split(":", 1)[0]) for p in catalog.papers if ":" in p.title
    )
    named = [(normalize_title(p.title), p.id) for p in catalog.papers if len(p.title.split()) >= 3]
    named += [
        (normalize_title(p.title.split(":", 1)[0]), p.id)
        for p in catalog.papers
        if ":" in p.title and mains[normalize_title(p.title.split(":", 1)[0])] == 1
    ]
    titles = sorted(((t, pid) for t, pid in named if len(t.split()) >= 3), key=lambda t: -len(t[0]))
    found = [pid for title, pid in titles if len(title) >= 12 and f" {title} " in f" {norm_query} "]
    return list(dict.fromkeys(found))[:3]


def _scan_authors(reader: HintReader, norm_query: str) -> set[str]:
    """The scan `HintReader.read` used to run over every full name."""
    found: set[str] = set()
    for name, ids in reader.full_names.items():
        if f" {name} " in f" {norm_query} ":
            found |= ids
    return found


def _scan_topics(reader: HintReader, norm_query: str) -> set[str]:
    return {t for alias, t in reader.topics if f" {alias} " in f" {norm_query} "}


def _queries(catalog: Catalog, n: int, seed: int) -> list[str]:
    """Queries as people write them: a paper's title or an author inside other words,
    two titles at once, a title cut short, and random runs of corpus words."""
    rng = random.Random(seed)
    words = sorted({w for p in catalog.papers for w in normalize_title(p.title).split()})
    names = sorted({a for p in catalog.papers for a in p.authors})
    out = []
    for _ in range(n):
        filler = " ".join(rng.choices(words, k=rng.randint(0, 6)))
        title = rng.choice(catalog.papers).title
        kind = rng.randrange(5)
        if kind == 0:
            out.append(f"what does {title} show about {filler}")
        elif kind == 1:
            out.append(f"papers by {rng.choice(names)} on {filler}")
        elif kind == 2:
            other = rng.choice(catalog.papers).title
            out.append(f"compare {title} and {other}")
        elif kind == 3:
            cut = title.split()
            out.append(" ".join(cut[: max(1, len(cut) - 1)]) + " " + filler)
        else:
            out.append(" ".join(rng.choices(words, k=rng.randint(1, 25))))
    return out


def _searcher(catalog: Catalog) -> HybridSearcher:
    chunks = [
        Chunk(
            id=f"c{i}", text=p.title, kind="paper", file="x", line=1, title=p.title, paper_id=p.id
        )
        for i, p in enumerate(catalog.papers)
    ]
    return HybridSearcher(catalog, chunks, store=None, lexical=None, embeddings=None)


def test_phrase_index_finds_whole_word_runs_only() -> None:
    index = PhraseIndex([("lottery ticket", 1), ("ticket", 2), ("deep double descent", 3)])
    assert sorted(index.find("the lottery ticket hypothesis")) == [1, 2]
    assert index.find("lottery tickets") == []  # a word run, not a substring
    assert index.find("deep double") == []
    assert index.find("deep double descent deep double descent") == [3]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_title_lookup_matches_the_scan(seed: int) -> None:
    catalog = _catalog()
    searcher = _searcher(catalog)
    queries = _queries(catalog, 300, seed)
    matched = 0
    for query in queries:
        norm = normalize_title(query)
        expected = _scan_titles(catalog, norm)
        assert searcher._title_in_query(norm, Filters()) == expected, query
        matched += bool(expected)
    assert matched > 60  # the queries do name titles, so the comparison has teeth


def test_every_sample_title_is_found_by_lookup() -> None:
    catalog = _catalog()
    searcher = _searcher(catalog)
    for paper in catalog.papers:
        norm = normalize_title(paper.title)
        assert searcher._title_in_query(norm, Filters()) == _scan_titles(catalog, norm)


@pytest.mark.parametrize("seed", [1, 2])
def test_author_and_topic_lookup_match_the_scan(seed: int) -> None:
    catalog = _catalog()
    reader = HintReader(catalog.papers)
    found = 0
    for query in _queries(catalog, 300, seed):
        norm = normalize_title(query)
        hints = reader.read(query)
        assert hints.author_papers == frozenset(_scan_authors(reader, norm)), query
        assert hints.topics == frozenset(_scan_topics(reader, norm)), query
        found += bool(hints.author_papers)
    assert found > 40


def _slow_normalize(title: str) -> str:
    """`normalize_title` before its ASCII fast path: every string folded character by character."""
    import re
    import unicodedata

    text = unicodedata.normalize("NFKD", title)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).replace("_", " ")
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def test_normalize_title_fast_path_agrees_with_the_full_fold() -> None:
    rng = random.Random(5)
    alphabet = "abcXYZ019 _-.,:;'\"()[]\t\n!?&/"
    samples = ["".join(rng.choices(alphabet, k=rng.randint(0, 40))) for _ in range(2000)]
    samples += [p.title for p in _catalog().papers] + [
        a for p in _catalog().papers for a in p.authors
    ]
    for text in samples:
        assert normalize_title(text) == _slow_normalize(text), text


def test_my_papers_found_in_one_pass_match_the_per_author_check() -> None:
    papers = _catalog().papers
    reader = HintReader(papers, me=["Srinadh Bhojanapalli"])
    expected = {p.id for p in papers if any(reader._is_me(a) for a in p.authors)}
    assert reader.my_papers == expected
    assert len(expected) >= 5
