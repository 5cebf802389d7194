"""What the catalog itself knows about the words a request may use.

The request reader asks three things of the corpus, so that nothing about a
particular corpus is written in code:

- acronyms: 'IMP' -> 'iterative magnitude pruning', from a definition the corpus
  writes ('... iterative magnitude pruning (IMP)') or, failing that, a phrase of the
  corpus whose word initials spell it ('MoE' -> 'Mixture-of-Experts');
- topic names: the sections a curated list files papers under, and their short forms;
- source files: which corpus file 'the feed' or 'the awesome list' means, from the
  file's name and the kind of parser that read it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from retrieval.catalog import Catalog
from retrieval.terms import STOPWORDS
from retrieval.text import normalize_title

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
# A source word must be rare in titles: 'deep' names no file, 'feed' does.
MAX_SOURCE_WORD_SHARE = 0.01
_MAX_EXPANSION_WORDS = 5
# Nouns any file could be called by ('the list', 'that page'): they name no one file.
_DOCUMENT_NOUNS = frozenset(
    {"papers", "paper", "list", "page", "file", "files", "notes", "document"}
)


@dataclass(frozen=True)
class SourceFile:
    """A corpus file and the words that name it in a request."""

    file: str
    parser: str
    words: frozenset[str]


@dataclass
class CatalogTerms:
    """Acronyms, topic names and source names of one catalog, computed on demand."""

    catalog: Catalog
    _acronyms: dict[str, str | None] = field(default_factory=dict)

    @cached_property
    def _text(self) -> str:
        parts = []
        for paper in self.catalog.papers:
            parts += [
                paper.title,
                " ; ".join(paper.keywords),
                paper.topic or "",
                paper.abstract or "",
            ]
        parts += [s.text for s in self.catalog.sections]
        return "\n".join(parts)

    @cached_property
    def _folded(self) -> str:
        return f" {normalize_title(self._text)} "

    def says(self, phrase: str) -> bool:
        """Whether the corpus's titles, key words, abstracts or sections use the phrase."""
        return f" {normalize_title(phrase)} " in self._folded

    @cached_property
    def _terms(self) -> Counter[str]:
        """Terms the corpus names things by: its keywords, topics and hyphenated title
        compounds ('Mixture-of-Experts'), with their counts. Ordinary title phrases are
        left out: 'Challenging Common Assumptions' is no name for 'CCA'."""
        counts: Counter[str] = Counter()
        for paper in self.catalog.papers:
            for term in (*paper.keywords, paper.topic or ""):
                if 2 <= len(term.replace("-", " ").split()) <= _MAX_EXPANSION_WORDS:
                    counts[term.strip()] += 1
            counts.update(w for w in re.findall(r"\b[A-Za-z]+(?:-[A-Za-z]+){1,4}\b", paper.title))
        return counts

    def expand(self, acronym: str) -> str | None:
        """The phrase the corpus uses for `acronym`, or None when it has none.

        'IMP' -> 'iterative magnitude pruning' (defined in an abstract);
        'DP-FL' -> 'differentially private federated learning' when each part is known.
        """
        if acronym in self._acronyms:
            return self._acronyms[acronym]
        found = self._defined(acronym) or self._spelled(acronym)
        if found is None and "-" in acronym:
            parts = [self.expand(p) for p in acronym.split("-") if p]
            found = " ".join(p for p in parts if p) if all(parts) else None
        self._acronyms[acronym] = found
        return found

    def _defined(self, acronym: str) -> str | None:
        """The fewest words before '(ACR)' in the corpus that spell it, most common first."""
        votes: Counter[str] = Counter()
        for match in re.finditer(rf"\(\s*{re.escape(acronym)}s?\s*\)", self._text):
            words = self._text[max(0, match.start() - 120) : match.start()].split()
            words = words[-(_MAX_EXPANSION_WORDS + 2) :]
            for start in range(len(words) - 1, -1, -1):
                candidate = [w.strip("\"'“”()[],;:") for w in words[start:]]
                if _spells(acronym, candidate):
                    votes[" ".join(candidate).lower()] += 1
                    break
        return votes.most_common(1)[0][0] if votes else None

    def _spelled(self, acronym: str) -> str | None:
        """A title or keyword phrase whose word initials spell the acronym exactly."""
        best = [
            (count, phrase)
            for phrase, count in self._terms.items()
            if _initials(phrase.split()) == acronym.lower()
        ]
        return max(best)[1].lower() if best else None

    @cached_property
    def topics(self) -> dict[str, str]:
        """Normalised topic name or short form -> the topic as the catalog writes it."""
        from retrieval.query_hints import topic_aliases

        return dict(topic_aliases(self.catalog.papers))

    def topics_in(self, text: str) -> set[str]:
        """The catalog topics a text names."""
        padded = f" {normalize_title(text)} "
        return {topic for alias, topic in self.topics.items() if f" {alias} " in padded}

    @cached_property
    def sources(self) -> list[SourceFile]:
        """Each corpus file with the rare words of its name and of its parser's name."""
        title_df: Counter[str] = Counter()
        for paper in self.catalog.papers:
            title_df.update(set(normalize_title(paper.title).split()))
        limit = max(1, int(MAX_SOURCE_WORD_SHARE * len(self.catalog.papers)))
        named: list[tuple[str, str, set[str]]] = []
        for loaded in self.catalog.files:
            stem = loaded.file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            words = set(normalize_title(f"{stem} {loaded.parser}".replace("_", " ")).split())
            words = {
                w
                for w in words
                if w not in STOPWORDS and w not in _DOCUMENT_NOUNS and title_df[w] <= limit
            }
            named.append((loaded.file, loaded.parser, words))
        shared = Counter(w for _, _, words in named for w in words)
        return [
            SourceFile(file, parser, frozenset(w for w in words if shared[w] == 1))
            for file, parser, words in named
        ]

    def source_named(self, phrase: str) -> SourceFile | None:
        """The one file a short phrase ('the daily feed', 'my CV') names, if exactly one."""
        words = set(normalize_title(phrase).split())
        found = [s for s in self.sources if s.words & words]
        return found[0] if len(found) == 1 else None


def _initials(words: Sequence[str]) -> str:
    """'Mixture-of-Experts' counts each hyphenated part: -> 'moe'."""
    letters = []
    for word in words:
        letters += [part[0].lower() for part in word.split("-") if part]
    return "".join(letters)


def _spells(acronym: str, words: Sequence[str]) -> bool:
    """Whether the words spell the acronym: each word's initial in order, and an
    acronym letter may also come from inside a word ('HyperParameter Optimization'
    -> 'HPO')."""
    letters = acronym.lower().replace("-", "")
    text = [w.lower() for w in words]
    if not text or not letters or text[0][0] != letters[0]:
        return False
    return _align(letters, text, 0, 0)


def _align(letters: str, words: list[str], li: int, wi: int) -> bool:
    """Every word must give at least its first letter, in order; extra letters may come
    from inside the current word."""
    if wi == len(words):
        return li == len(letters)
    if li == len(letters) or letters[li] != words[wi][0]:
        return False
    li += 1
    # Take more letters from inside this word, then move on.
    word = words[wi]
    pos = 1
    taken = [li]
    while li < len(letters):
        found = word.find(letters[li], pos)
        if found < 0:
            break
        li += 1
        pos = found + 1
        taken.append(li)
    return any(_align(letters, words, t, wi + 1) for t in taken)


def acronyms_in(text: str) -> list[str]:
    """Words written as acronyms: 'IMP', 'MoE', 'DP-FL', 'NTKs' (as 'NTK')."""
    found = []
    for word in re.findall(r"\b[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z][A-Za-z0-9]*)*\b", text):
        core = word[:-1] if word.endswith("s") and word[:-1].isupper() else word
        upper = sum(c.isupper() for c in core)
        if 2 <= len(core.replace("-", "")) <= 6 and upper >= 2 and upper >= len(core) - 2:
            found.append(core)
    return list(dict.fromkeys(found))
