"""Answerability from evidence: does the corpus hold what the question asks for?

Two general checks run before any answer is written:

- a question that names a paper ('Who wrote "Machine Love"?', or the title typed
  without quotes: `assistant/titles.py`) is matched against the catalog; a paper the corpus does not hold is
  said to be absent (no neighbour is substituted), and when the question asks for an
  attribute of it (authors, venue, year, key words, awards) the catalog record must
  hold that attribute. The answer then quotes the record's field lines;
- a paper named without an attribute asked ('What does "X" propose?') must be said
  something about: its record holds prose, or another passage names its title. A
  paper the corpus holds only as a reference is said to be one, not answered from
  neighbours;
- a question asking for the title of a named thing ('the S4 paper's full title')
  needs a paper whose title holds the name; one only mentioned inside other papers'
  text is said to be so;
- a 'how many N' question needs a passage line that holds a number next to N and the
  thing the question names ('169 stars' beside the repository asked about).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.titles import TitleIndex, quoted, title_spans
from retrieval.records import Paper
from retrieval.terms import STOPWORDS
from retrieval.text import normalize_title

# The attributes of a catalog record a question can ask for, and how it asks.
# 'Who proposed X?' asks where an idea comes from, not who wrote a paper named after it.
_ASKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "authors",
        re.compile(
            r"\b(?:authors?|co-?authors?|authored|wrote|writes?|written|whose name|who (?:are|is|were) "
            r"(?:the )?(?:authors?|co-?authors?))\b",
            re.I,
        ),
    ),
    (
        "venue",
        re.compile(
            r"\b(?:venue|published|appeared (?:at|in)|conference|journal|proceedings"
            r"|where (?:was|were|did|is))\b",
            re.I,
        ),
    ),
    ("year", re.compile(r"\b(?:(?:what|which) year|when (?:was|were|did|is))\b", re.I)),
    ("keywords", re.compile(r"\b(?:key ?words?|tagged|tags?)\b", re.I)),
    ("awards", re.compile(r"\b(?:awards?|prizes?|best paper|honou?rs?)\b", re.I)),
    ("code", re.compile(r"\b(?:code|repositor(?:y|ies)|repo|github|implementation)\b", re.I)),
)
_VENUE_WORDS = re.compile(r"\b(?:venue|published|conference|journal|proceedings)\b", re.I)
# The words a field is named by in a refusal, and the chunk line that holds it.
FIELD_NAMES = {
    "authors": "authors",
    "venue": "venue",
    "year": "year",
    "keywords": "key words",
    "awards": "award",
    "code": "code link",
}
FIELD_LINES = {
    "authors": ("Authors: ",),
    "venue": ("Published: ",),
    "year": ("Published: ",),
    "keywords": ("Keywords: ", "Topic: "),
    "awards": ("Awards: ",),
    "code": (),  # a link of the record, not a line of its chunk: see code_lines
}
# Asked at the start of a clause: '(the one that learns how many neurons to keep)'
# describes a paper, it does not ask for a count.
_HOW_MANY = re.compile(r"(?:^|[.?!;,:]\s*|\band\s+)how many ((?:[a-z][\w-]*\s+){0,3})", re.I)
# The verb that ends the counted noun phrase: 'how many GitHub stars does ...'.
_AUX = frozenset(
    {"do", "does", "did", "is", "are", "was", "were", "has", "have", "had", "can", "could"}
)
# Counted by listing the catalog, not by a number a passage states.
_RECORD_NOUNS = frozenset({"paper", "work", "publication", "article", "preprint"})


def asked_fields(question: str) -> list[str]:
    """The record fields a question asks for: 'Who wrote X and where?' -> ['authors', 'venue'];
    'Where is the code of X?' -> ['code'] (the where is the code's, not a venue)."""
    fields = [name for name, pattern in _ASKS if pattern.search(question)]
    if "code" in fields and "venue" in fields and not _VENUE_WORDS.search(question):
        fields.remove("venue")
    return fields


def _record_value(paper: Paper, name: str) -> object:
    return {
        "authors": paper.authors,
        "venue": paper.venue,
        "year": paper.year,
        "keywords": paper.keywords,
        "awards": paper.awards,
        "code": code_links(paper),
    }[name]


def code_links(paper: Paper) -> list[str]:
    """The URLs of the paper's code, as its source lists them ('Code: github.com/...')."""
    return [link.url for link in paper.links if link.label == "code"]


@dataclass(frozen=True)
class Verdict:
    """What the evidence check decided: a refusal sentence, or the paper and fields to quote."""

    refusal: str | None = None
    paper: Paper | None = None
    fields: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()


def _where(paper: Paper) -> str:
    parts = list(dict.fromkeys(s.file for s in paper.sources))
    if paper.year:
        parts.append(str(paper.year))
    return f" ({', '.join(parts)})" if parts else ""


def _join(names: Sequence[str]) -> str:
    words = [FIELD_NAMES[n] for n in dict.fromkeys(names)]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def check_named_paper(question: str, titles: TitleIndex) -> Verdict:
    """Refuse when the named paper is absent, or holds none of the fields asked for."""
    cited = titles.uncited(question)
    if cited is not None:
        return Verdict(refusal=f"Your corpus has no paper that matches '{cited}'.")
    named = titles.named(question)
    fields = asked_fields(question)
    if named is None:
        # a paper cited by author and year ('Mnih et al. (2014)') is named too, when the
        # question asks about it rather than for its record ('Is Lipton an author on
        # anything else?')
        return Verdict(paper=None if fields else titles.cited_paper(question))
    if named.paper is None:
        if not named.phrase[:1].isupper():
            return Verdict()  # a quoted phrase, not a title: the usual search decides
        if not fields:
            if titles.in_corpus_text(named.phrase) or not title_spans(named.phrase):
                return Verdict()  # a phrase the corpus uses: the usual search decides
            return Verdict(refusal=f"Your corpus has no paper titled '{named.phrase}'.")
        if titles.in_corpus_text(named.phrase):
            return Verdict(
                refusal=f"Your corpus mentions '{named.phrase}' only inside other papers' "
                f"text and holds no record of it, so it gives no {_join(fields)}."
            )
        return Verdict(refusal=f"Your corpus has no paper titled '{named.phrase}'.")
    paper = named.paper
    if not fields:
        return Verdict(paper=paper)
    missing = tuple(f for f in fields if not _record_value(paper, f))
    if len(missing) == len(fields):
        return Verdict(
            refusal=f"Your corpus has '{paper.title}'{_where(paper)} but gives no {_join(missing)}."
        )
    return Verdict(paper=paper, fields=tuple(fields), missing=missing)


def reference_only(paper: Paper, own: str, others: Sequence[str]) -> str | None:
    """A refusal when the corpus says nothing about `paper`: its chunk `own` holds only
    its title and field lines, and none of the `others` passages names its title."""
    body = [
        line
        for line in own.split("\n")[1:]
        if line.strip() and not line.startswith(tuple(p for ps in FIELD_LINES.values() for p in ps))
    ]
    title = normalize_title(paper.title)
    if body or any(f" {title} " in f" {normalize_title(text)} " for text in others):
        return None
    return (
        f"Your corpus has '{paper.title}'{_where(paper)} only as a reference: it says "
        "nothing about what the paper does."
    )


# A question asking for a title: 'the full title of the S4 paper', 'what is it called';
# not one that mentions titles ('if a near-identical title turns up there').
_TITLE = re.compile(
    r"\b(?:(?:full|exact|complete)\s+title|titles?\s+of|titled|called)\b|\btitles?\s*\?", re.I
)


def untitled_name(question: str, titles: Sequence[str]) -> str | None:
    """A refusal when the question asks for the title of a named thing ('S4', 'GPT-4')
    that no retrieved paper's title holds: the corpus mentions it, holds no paper on it."""
    if not _TITLE.search(question):
        return None
    folded = [f" {normalize_title(t)} " for t in titles]
    # Names written as names ('S4', 'GPT-4', 'LoRA'), not hyphenated words ('co-author').
    for name in [n for n in _names(question) if _is_name(n)]:
        norm = normalize_title(name)
        if not _title_of(question, name):
            continue  # named on the way: 'a Maslow-themed gridworld ... title?'
        if not any(f" {norm} " in t for t in folded):
            return (
                f"Your corpus mentions {name} only inside other papers' text and holds no "
                "paper titled with it."
            )
    return None


def _title_of(question: str, name: str) -> bool:
    """Whether the title asked for is the name's: 'the full title of the S4 paper', 'the
    S4 paper's title', 'what is S4 called'."""
    n = re.escape(name)
    # ... not 'the title of my PhD thesis': the researcher's own work, which the CV names
    near = r"(?:(?!(?:my|our)\b)[\w'-]+\s+){0,2}?"
    return bool(
        re.search(rf"\btitles?\s+of\s+{near}{n}\b", question, re.I)
        or re.search(rf"\b{n}(?:'s)?\s+{near}(?:full\s+|exact\s+)?title", question, re.I)
        or re.search(rf"\b{n}\b{near}\s*(?:\w+\s+)?called\b", question, re.I)
    )


def _is_name(word: str) -> bool:
    """Written as a name ('S4', 'GPT-4', 'LoRA'), not a hyphenated word ('co-author') nor a
    short abbreviation the corpus may spell out ('ML', 'RL')."""
    if word.isupper() and word.isalpha() and len(word) <= 3:
        return False
    return any(c.isupper() or c.isdigit() for c in word)


def unsaid(question: str, verdict: Verdict, sources: Sequence[tuple[str, str, str]]) -> str | None:
    """A refusal when the corpus names what is asked but says nothing about it: a paper
    held only as a reference, a title asked for that no paper has. `sources` are the
    retrieved (paper id, title, passage)."""
    paper = verdict.paper
    if paper is not None and not verdict.fields:
        own = [text for pid, _, text in sources if pid == paper.id]
        if own:
            others = [text for pid, _, text in sources if pid != paper.id]
            return reference_only(paper, own[0], others)
    return untitled_name(question, [title for _, title, _ in sources])


def missing_sentence(paper: Paper, missing: Sequence[str]) -> str:
    """'The corpus gives no venue for it.' for the fields asked about but absent."""
    return f"*Your corpus gives no {_join(missing)} for '{paper.title}'.*" if missing else ""


def field_lines(passage: str, fields: Sequence[str]) -> list[str]:
    """The lines of a paper's chunk that hold the asked fields, in chunk order."""
    prefixes = tuple(p for f in fields for p in FIELD_LINES[f])
    return [line.strip() for line in passage.split("\n") if line.startswith(prefixes)]


def _names(question: str) -> list[str]:
    """Distinctive tokens: hyphenated, mixed case or with digits ('rethinking-saliency')."""
    words = re.findall(r"[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]", question)
    return [
        w
        for w in words
        if w.lower() not in STOPWORDS
        and ("-" in w or any(c.isdigit() for c in w) or any(c.isupper() for c in w[1:]))
    ]


def _counted(words: Sequence[str]) -> str:
    """The counted noun: the word before the verb ('GitHub stars does' -> 'stars'), or
    the first word ('papers in my corpus' -> 'papers')."""
    for i, word in enumerate(words):
        if word.lower() in _AUX and i > 0:
            return words[i - 1]
    return words[0] if words else ""


def count_supported(
    question: str, passages: Sequence[str], sources: frozenset[str] = frozenset()
) -> bool:
    """A 'how many N' question needs a line with a number before N (and its names, but
    not the names of the corpus's files, `sources`: 'according to my CV' says where)."""
    match = _HOW_MANY.search(question)
    if match is None:
        return True
    noun = _counted(match.group(1).split()).lower().rstrip("s")
    if noun in _RECORD_NOUNS:
        return True  # the papers are counted by listing them, not quoted as a number
    names = [n.lower() for n in _names(question) if n.lower() not in sources]
    # A quoted title is named whole: the line must be that paper's ('500+ citations').
    titles = [normalize_title(q) for q in quoted(question)]
    # '169 stars', '500+ citations', or a field: 'Citations: 1400+'.
    number_noun = re.compile(
        rf"\b\d[\d,.]*\+?\s*(?:[a-z-]+\s+)?{re.escape(noun)}|\b{re.escape(noun)}s?:\s*\d", re.I
    )
    for passage in passages:
        for line in passage.split("\n"):
            low = line.lower()
            said = all(n in low for n in names) and all(t in normalize_title(line) for t in titles)
            if number_noun.search(line) and said:
                return True
    return False
