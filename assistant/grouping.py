"""Grouping chosen papers into themes, foundational to recent, and their summaries.

Shared by reading lists and related-work drafts once `assistant.selection` has chosen
the papers. Offline, themes come from the topics a curated list files papers under
and, for one large group, from the phrases its titles share; a group nothing tells
apart is split by time into foundations and recent work.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from retrieval.records import Paper
from retrieval.terms import content_words, stem
from retrieval.text import split_sentences

MAX_THEMES = 5
MIN_THEME_SIZE = 2
# Themes drawn from the words papers share: only when a group is this large.
SPLIT_AT = 6
GENERIC = frozenset(
    stem(w)
    for w in [
        "neural",
        "network",
        "networks",
        "deep",
        "learning",
        "model",
        "models",
        "towards",
        "toward",
        "via",
        "using",
        "understanding",
        "analysis",
        "study",
        "approach",
        "method",
        "methods",
        "new",
        "learn",
        "learned",
        "beyond",
        "revisiting",
        "rethinking",
        "simple",
        "efficient",
        "better",
        "improving",
        "improved",
        "training",
    ]
)


_WITHOUT = re.compile(r"\bwithout (?:any |the )?([A-Za-z]+)", re.I)


def paper_text(paper: Paper) -> str:
    """Everything the catalog says a paper is about, for word tests; 'without any
    data' is read as 'data-free', the way topics are usually written."""
    text = " ".join(
        [paper.title, paper.abstract or "", " ".join(paper.keywords), paper.topic or ""]
    )
    return _WITHOUT.sub(lambda m: f"{m.group(1)}-free", text)


def stems(text: str) -> list[str]:
    return [stem(w) for w in content_words(text)]


def pairs(words: Sequence[str]) -> set[tuple[str, str]]:
    return set(itertools.pairwise(words))


@dataclass
class Group:
    name: str
    papers: list[Paper]


def chronological(papers: Sequence[Paper]) -> list[Paper]:
    """Foundational to recent: by year, papers without a year last."""
    return sorted(papers, key=lambda p: (p.year is None, p.year or 0))


def group_papers(
    papers: Sequence[Paper], topic: str = "", labels: Collection[str] = ()
) -> list[Group]:
    """2-5 themes from the catalog's topics and the word pairs titles share.

    Papers first group by the topic their list files them under; a large group is
    split by the title phrases its papers share ('pruning at initialization'); small
    leftovers merge into one 'Other work' group. Each group is chronological.
    """
    by_topic: dict[str, list[Paper]] = defaultdict(list)
    for paper in papers:
        by_topic[_topic_name(paper, labels)].append(paper)
    groups = [Group(name, members) for name, members in by_topic.items()]
    groups.sort(key=lambda g: -len(g.papers))
    if len(groups) < 2 and groups and len(groups[0].papers) >= SPLIT_AT:
        groups = _split_by_phrases(groups[0], topic) or groups
    if len(groups) < 2 and groups and len(groups[0].papers) >= 2 * MIN_THEME_SIZE:
        groups = _split_by_era(groups[0], topic)
    groups = _merge_small(groups)
    for group in groups:
        group.papers = chronological(group.papers)
    # Themes that hold the foundational papers first; 'Other work' last.
    groups.sort(key=lambda g: (g.name == "Other work", g.papers[0].year or 9999))
    return groups


def _split_by_era(group: Group, topic: str) -> list[Group]:
    """Two themes by time when nothing else tells the papers apart: the earlier half
    ('Foundations') and the later ('Recent work')."""
    ordered = chronological(group.papers)
    half = len(ordered) // 2
    years = [p.year for p in ordered[half:] if p.year]
    recent = f"Recent work on {topic}" if topic else "Recent work"
    if years:
        recent += f" ({min(years)}–{max(years)})"
    first = f"Foundations of {topic}" if topic else "Foundations"
    return [Group(first, ordered[:half]), Group(recent, ordered[half:])]


def _topic_name(paper: Paper, labels: Collection[str]) -> str:
    """The theme a paper files under: its list's topic, unless that is a filing label
    (`retrieval.query_hints.filing_labels`), else its first keyword."""
    if paper.topic and paper.topic not in labels:
        return paper.topic
    if paper.keywords:
        return paper.keywords[0].strip().capitalize()
    return "Other work"


def _split_by_phrases(group: Group, topic: str) -> list[Group]:
    """Split by the title word pairs most papers share, skipping the topic's own words."""
    topic_words = set(stems(topic)) | GENERIC
    titles = {p.id: stems(p.title) for p in group.papers}
    remaining = list(group.papers)
    out: list[Group] = []
    while remaining and len(out) < MAX_THEMES - 2:
        counts: Counter[tuple[str, str]] = Counter()
        for paper in remaining:
            words = [w for w in titles[paper.id] if w not in topic_words]
            counts.update(pairs(words) | {(w, "") for w in words})
        best = [(c, pair) for pair, c in counts.items() if c >= MIN_THEME_SIZE]
        if not best:
            break
        # Prefer pairs to single words at equal counts: they name a theme better.
        _, pair = max(best, key=lambda cp: (cp[0], cp[1][1] != "", cp[1]))
        members = [
            p
            for p in remaining
            if (pair[1] and pair in pairs([w for w in titles[p.id] if w not in topic_words]))
            or (not pair[1] and pair[0] in titles[p.id])
        ]
        out.append(Group(_phrase_name(pair, members, topic), members))
        remaining = [p for p in remaining if p not in members]
    if not out:
        return []
    if remaining:
        out.append(Group(f"Core papers on {topic}" if topic else "Other work", remaining))
    return out


def _phrase_name(pair: tuple[str, str], members: Sequence[Paper], topic: str = "") -> str:
    """The phrase as a title writes it: ('prune', 'initia') -> 'Pruning at Initialization';
    a single word grows over the topic words after it ('Strong Lottery Ticket
    Hypothesis'), or is named with the topic ('Neural collapse: transfer')."""
    first, second = pair
    topic_words = set(stems(topic))
    best = ""
    for paper in members:
        words = re.findall(r"[\w'-]+", paper.title)
        for i, word in enumerate(words):
            if not _stem_is(word, first):
                continue
            if second:
                for j in range(i + 1, min(i + 4, len(words))):
                    if _stem_is(words[j], second):
                        phrase = " ".join(words[i : j + 1])
                        return phrase[:1].upper() + phrase[1:]
                continue
            j = i + 1
            while j < len(words) and j - i <= 3 and any(_stem_is(words[j], t) for t in topic_words):
                j += 1
            phrase = " ".join(words[i:j])
            if len(phrase) > len(best):
                best = phrase
    if best and len(best.split()) > 1:
        return best[:1].upper() + best[1:]
    word = best or " ".join(w for w in pair if w)
    return f"{topic[:1].upper() + topic[1:]}: {word.lower()}" if topic else word.capitalize()


def _stem_is(word: str, wanted: str) -> bool:
    found = content_words(word)
    return bool(found) and stem(found[0]) == wanted


def _merge_small(groups: list[Group]) -> list[Group]:
    """At most MAX_THEMES groups; singletons beyond the first groups go to 'Other work'."""
    big = [g for g in groups if len(g.papers) >= MIN_THEME_SIZE]
    small = [p for g in groups if len(g.papers) < MIN_THEME_SIZE for p in g.papers]
    if len(big) > MAX_THEMES - 1:
        small += [p for g in big[MAX_THEMES - 1 :] for p in g.papers]
        big = big[: MAX_THEMES - 1]
    if small:
        other = next((g for g in big if g.name == "Other work"), None)
        if other:
            other.papers.extend(small)
        elif big:
            big.append(Group("Other work", small))
        else:
            big = [Group("Other work", small)]
    return big


def summary_sentences(paper: Paper, n: int = 2, limit: int = 400) -> str:
    """The abstract's first `n` sentences, or what the catalog knows when there is none."""
    if paper.abstract:
        sentences = split_sentences(paper.abstract)
        text = " ".join(sentences[:n]) if sentences else paper.abstract
        return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
    where = paper.sources[0].file if paper.sources else "the corpus"
    filed = f" under “{paper.topic}”" if paper.topic else ""
    return f"No abstract in the corpus; listed in {where}{filed}."
