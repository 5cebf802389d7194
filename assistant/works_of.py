"""Questions about a person's papers: 'What else has Chong You got in the corpus?'.

A search ranks passages by their words, so a person's papers that say nothing else the
question says are missed, and the offline answer quotes the four best. When a question
names authors the catalog knows (a full name, or a surname only one author has) and asks
for their works ('papers', 'what else', 'co-authored'), the catalog's papers by them
(all of them together, when it names several) are searched with an author filter and put
first, and the answer lists each one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from retrieval.catalog import Catalog
from retrieval.hybrid import Filters, Hit, HybridSearcher
from retrieval.records import Paper
from retrieval.text import normalize_title

# What asks for someone's works rather than about them ('Who advised Bhojanapalli?').
# One paper named by its author ('Mnih et al.'s attention paper: what does it show?') is
# no question about the author's works; 'papers', 'anything else', 'co-authored' are.
_WORKS = re.compile(
    r"\b(?:papers|works|publications|articles|preprints|else|other|anything|anywhere"
    r"|co-?author(?:ed|s)?|authors?|authored|write|wrote|written|publish(?:ed)?|got)\b",
    re.I,
)
MIN_SURNAME = 4
# Works tied to a person, in folded text ("X's" folds to 'x s'): 'papers by X', 'X's
# papers', 'with X as an author', 'authored by X', 'everything of X'.
_WORK_NOUN = r"(?:papers?|works?|publications?|articles?|preprints?)"
_TIED = (
    rf"\b{_WORK_NOUN} (?:\w+ )?(?:by|of|from) {{n}}\b",
    rf"\b{{n}} s (?:\w+ )?{_WORK_NOUN}\b",
    r"\bwith {n} as (?:an? )?(?:co )?authors?\b",
    rf"\b{_WORK_NOUN} (?:\w+ )?with {{n}}\b",
    r"\b(?:authored|written|co authored|coauthored) by {n}\b",
    r"\beverything (?:of|by|from) {n}\b",
    rf"\b(?:every|each|all)(?: of)? {{n}}(?: s)? {_WORK_NOUN}",
)
# ... or to a pronoun for a person the sentence names: 'every paper of his'.
_THEIR_WORKS = re.compile(
    rf"\b(?:(?:every|each|all)(?: of)? (?:\w+ )?{_WORK_NOUN} (?:of|by) (?:his|hers?|him|theirs?|them)"
    rf"|(?:all|every|each)(?: of)? (?:his|her|their) {_WORK_NOUN}"
    r"|everything (?:of|by|from) (?:his|hers?|him|theirs?|them))\b"
)
_REFERS_BACK = re.compile(
    r"\b(?:he|she|him|his|her|hers|(?:the\s+same|this|that|these|those)\s+authors?)\b", re.I
)
# 'Bhojanapalli's Google Research page', 'Ada's CV': a file, named by whose it is.
_OWNED_FILE = re.compile(
    r"\b[A-Z][\w-]*'s\s+(?:[\w-]+\s+){0,2}?(?:page|homepage|site|list|feed|cv|statement)\b"
)


@dataclass(frozen=True)
class AuthorIndex:
    """The catalog's author names, folded, and the surnames only one author has (each
    mapped to what the author filter looks for)."""

    full: frozenset[str]
    surnames: dict[str, str]

    @classmethod
    def build(cls, catalog: Catalog) -> AuthorIndex:
        names = {normalize_title(a) for p in catalog.papers for a in p.authors}
        names = {n for n in names if len(n.split()) >= 2}
        # 'A. Hyvärinen' and 'Aapo Hyvärinen' are one person: a surname names one author
        # when every name with it has the same first initial. The surname is then what
        # the author filter looks for, so both spellings are found.
        initials: dict[str, set[str]] = {}
        for name in names:
            initials.setdefault(name.split()[-1], set()).add(name[0])
        surnames = {
            last: last
            for last, first in initials.items()
            if len(first) == 1 and len(last) >= MIN_SURNAME
        }
        return cls(frozenset(names), surnames)

    def named(self, question: str) -> list[str]:
        """The authors a question names, folded: 'Chong You' or 'Bhojanapalli's'."""
        words = normalize_title(question).split()
        found: list[str] = []
        for size in (4, 3, 2):
            for i in range(len(words) - size + 1):
                name = " ".join(words[i : i + size])
                if name in self.full and not any(name in f for f in found):
                    found.append(name)
        capitalised = {normalize_title(w) for w in re.findall(r"\b[A-Z][\w-]+", question)}
        for word in words:
            if word in capitalised:
                needle = self.surnames.get(word)
                if needle and not any(word in f.split() for f in found):
                    found.append(needle)
        return found


def works_asked(question: str, authors: AuthorIndex) -> list[str]:
    """The authors whose works the question asks for; [] when it names none, or asks
    something else of them. The sentences that ask ('...?') say whose: in 'X's paper lists
    Y as a co-author. What else has Y got?' the works asked for are Y's."""
    if not _WORKS.search(question):
        return []
    sentences = [s for s in re.split(r"(?<=[.?!])\s+", question.strip()) if s]
    asking = [s for s in sentences if s.rstrip().endswith("?")] or sentences[-1:]
    named = list(dict.fromkeys(n for s in asking for n in authors.named(s)))
    # '... co-authored my paper. Does he show up anywhere else?': the person is named
    # before, and referred to ('he', 'the same author'); 'X's study reports ... Which
    # papers look at ...?' asks for papers on a topic, not X's; 'Both X's page and the
    # feed have a paper' names a file by its owner.
    if not named and (len(sentences) == 1 or _REFERS_BACK.search(" ".join(sentences[1:]))):
        named = authors.named(_OWNED_FILE.sub(" ", question))
    return named


def works_requested(request: str, authors: AuthorIndex) -> list[str]:
    """The authors whose works a reading-list or draft request asks for, when it ties
    the works to them: 'papers by X', "X's papers", 'with X as an author', 'everything
    of X', or 'every paper of his' in a sentence naming X. A person named beside a topic
    ('double descent, starting from Belkin's') or in a warning ('there is also a Yuanzhi
    Li, a different person') asks for no one's works."""
    out: list[str] = []
    for sentence in re.split(r"(?<=[.?!])\s+", request.strip()):
        folded = normalize_title(sentence)
        named = authors.named(sentence)
        # 'all his papers, from Zhiyuan Li, not Yuanzhi Li': the pronoun is the first
        # person the sentence names
        if named and _THEIR_WORKS.search(folded):
            out.append(named[0])
        for name in named:
            if any(re.search(p.format(n=re.escape(name)), folded) for p in _TIED):
                out.append(name)
    return list(dict.fromkeys(out))


def works_of(searcher: HybridSearcher, question: str, names: Sequence[str], k: int) -> list[Hit]:
    """The papers by every one of `names`, by relevance to the question; by any of them
    when none is by all."""
    by_name = [searcher.search(question, k=k, filters=Filters(author=n)) for n in names]
    together = [h for h in by_name[0] if by_all(h.paper, names)]
    if together:
        return together
    merged: dict[str, Hit] = {}
    for hits in by_name:
        for hit in hits:
            merged.setdefault(hit.key, hit)
    return list(merged.values())[:k]


def by_all(paper: Paper | None, names: Sequence[str]) -> bool:
    """Whether every one of the folded `names` is among the paper's authors."""
    if paper is None:
        return False
    authors = [normalize_title(a) for a in paper.authors]
    return all(any(n in a for a in authors) for n in names)


def by_any(paper: Paper | None, names: Sequence[str]) -> bool:
    return any(by_all(paper, [n]) for n in names)
