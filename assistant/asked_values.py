"""The kind of value a question asks for (a year, a number, a person) and whether an
answer holds one.

'In what year did she get her PhD?' is not answered by a sentence about her PhD that
gives no year, 'What accuracy does it reach?' not by 'a surprisingly high accuracy', and
'Who was my supervisor at X?' not by a line about X that names no one. The check reads
the quoted answer only, so it holds however the passages were found.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Set

from assistant.answerable import held
from assistant.extractive import RARE_DF, Vocabulary, names_in, question_terms
from assistant.origin import is_origin_question
from retrieval.terms import content_words, terms
from retrieval.text import normalize_title

# Past tense: 'When did she ...?' asks for a date; 'When do networks become stable?'
# asks for a moment in training.
_YEAR_ASKED = re.compile(r"\b(?:(?:what|which) year|when (?:was|were|did|had))\b", re.I)
# A measured or counted quantity: 'how many', 'what top-1 accuracy', 'what share of'.
# Asked at the start of a clause ('... controlled by how many hypotheses' is no question);
# 'how much X is needed' is often answered in words ('a logarithmic factor').
_NUMBER_ASKED = re.compile(
    r"(?:^|[.?!;,:]\s*|\band\s+)(?:(?:by|to|of|in|at|for|with)\s+)?"
    r"(?:how many|by how much|what (?:[\w-]+ ){0,2}?(?:accuracy|percentage|percent|fraction"
    r"|share|proportion|ratio|rate|score|number|rank|count|size|error))\b",
    re.I,
)
# A year in a citation ('Molchanov et al., 2017', '(Lee, 2019)', '2022a') is no measured
# or counted value.
_CITED_YEAR = re.compile(
    r"(?:\bal\.?,?|[A-Z][\w-]+,|\()\s*(?:19|20)\d\d[a-z]?\b|\b(?:19|20)\d\d[a-z]\b"
)
# 'Who ...?' at the start of a clause asks for a person ('..., and who advised me?').
_PERSON_ASKED = re.compile(r"(?:^|[.?!;,:]\s*|\band\s+)whom?\b", re.I)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# Where a paper appeared, in the words that say so ('Where did I intern?' asks a place).
_VENUE_ASKED = re.compile(
    r"\b(?:venue|conference|journal|proceedings|published (?:at|in)|appear(?:ed)? (?:at|in)"
    r"|presented at|which workshop)\b|\bwhere (?:was|were|did|is) [^?.]{0,40}\b(?:published|appear)",
    re.I,
)
_PUBLISHED = re.compile(r"\bPublished: ([^\n\[]*)")
_CAPITALISED = re.compile(r"\b[A-Z][a-zà-ÿ'-]+")
# A person is written by full name ('Hima Lakkaraju', 'R. Venkatesh Babu') or with a
# title ('Prof. Fleuret'); one capitalised word is as often a month ('Jun') or a place.
_FULL_NAME = re.compile(r"(?=\b([A-Z][a-zà-ÿ'-]+)\s+(?:[A-Z]\.\s+)*([A-Z][a-zà-ÿ'-]+))")
# A work cited by its author: 'Lipton (2018)', '(Lipton, 2018)', 'Frankle et al.'
_CITED_AUTHOR = re.compile(r"\b([A-Z][a-zà-ÿ'-]+)(?:(?:,\s*|\s+\()(?:19|20)\d\d\b|\s+et al\b)")
_TITLED = re.compile(r"\b(?:Prof|Dr|Professor)\.?\s+(?:[A-Z]\.\s+)*([A-Z][a-zà-ÿ'-]+)")
# A number standing alone ('169', '3.0%', '1/T^2'), not part of a name ('ResNet-50', 'top-1').
_NUMBER = re.compile(r"(?<![\w-])\d[\d.,]*(?![\w-])")
# An offline answer's quotes each end with a citation mark; bold source titles are no quote.
_CITED = re.compile(r"\[\d+\][.!?]?")
# ... nor the authors and year shown after one ('**Title** (A. Lee, B. Roy, 2019):').
_BOLD = re.compile(r"\*\*([^*\n]+)\*\*")
_TITLE = re.compile(r"\*\*[^*\n]+\*\*(?: \([^()\n]*\))?")


def asked_value(question: str) -> str | None:
    """'year', 'number' or None: 'When did X appear?' -> 'year'; 'How many ...' -> 'number'."""
    if _YEAR_ASKED.search(question):
        return "year"
    if _NUMBER_ASKED.search(question):
        return "number"
    return None


def person_asked(question: str) -> bool:
    """'Who ...?' at the start of a clause, not 'who first showed X' (the paper answers
    that: assistant/origin.py)."""
    return bool(_PERSON_ASKED.search(question)) and not is_origin_question(question)


def names_person(question: str, quote: str, people: frozenset[str]) -> bool:
    """Whether `quote` names a person the question does not: `people` are the corpus's
    author names, lower case."""
    asked = {w.lower() for w in _CAPITALISED.findall(question)}
    pairs = [(a.lower(), b.lower()) for a, b in _FULL_NAME.findall(quote)]
    named = {b for a, b in pairs if a in people and b in people}
    named |= {w.lower() for w in _TITLED.findall(quote)}
    named |= {w.lower() for w in _CITED_AUTHOR.findall(quote) if w.lower() in people}
    return bool(named - asked)


def lacks_person(question: str, answer: str, people: frozenset[str]) -> str | None:
    """A refusal when the question asks who and no quote of the answer names a person
    the question does not. The line on an internship is no answer to who supervised it."""
    if not people or not person_asked(question):
        return None
    if any(names_person(question, q, people) for q in _CITED.split(_TITLE.sub(" ", answer))):
        return None
    return "Your corpus has passages about this, but none of those found names the person you asked for."


_AUX = r"(?:do|does|did|is|are|was|were|has|have|had|can|could|will|would)"
_HOW_MANY_PHRASE = re.compile(rf"\bhow many ((?:(?!{_AUX}\b)[\w-]+\s+){{0,3}}?)(?:{_AUX})\b", re.I)


def _counted_phrase(question: str) -> str:
    """'How many GitHub stars does X have?' -> 'GitHub stars'; 'What top-1 accuracy does
    it reach?' -> 'top-1 accuracy'."""
    match = _HOW_MANY_PHRASE.search(question)
    if match:
        return match.group(1)
    match = _NUMBER_ASKED.search(question)
    return match.group(0) if match else ""


# A record's field asked for, and what a line of the answer that gives it holds.
_FIELDS: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...] = (
    (
        "key words",
        re.compile(r"\bkey ?words?\b|\btags?\b", re.I),
        # the 'Topic:' line is the section an entry is filed under, not its key words
        re.compile(r"\bKeywords: "),
    ),
    (
        "code link",
        re.compile(r"\b(?:code|repo|repository|github|implementation)\b", re.I),
        re.compile(r"https?://|\b(?:github|gitlab|bitbucket)\.(?:com|org)/", re.I),
    ),
    (
        "arXiv id or DOI",
        re.compile(r"\barxiv (?:id|number|identifier)\b|\bdoi\b", re.I),
        re.compile(r"\b\d{4}\.\d{4,5}\b|\b10\.\d{4,}/"),
    ),
    (
        "award",
        re.compile(r"\b(?:awards?|prizes?|best paper|honou?rs?)\b", re.I),
        re.compile(r"\b(?:awards?|prizes?|best paper|distinction|honou?rs?)\b", re.I),
    ),
)


def lacks_field(
    question: str, answer: str, vocab: Vocabulary, describes: bool = False
) -> str | None:
    """A refusal when the question asks for a key word line, a code link, an identifier
    or an award of something, and no source line of the answer gives one beside the
    rarest thing the question names: the CV's awards are no answer to whether the
    submodular pruning paper won one, another paper's repository no code link for it."""
    for name, asked, given in _FIELDS:
        if asked.search(question) is None:
            continue
        if describes and name == "code link":
            continue  # a long description of a paper: '... in one line of code'

        own = {t for m in asked.findall(question) for t in terms(m)}
        # the rare things the question names (a line must hold one of them, if any);
        # a verb ('received', 'winning') names nothing
        nouns = " ".join(w for w in content_words(question) if not w.endswith(("ed", "ing")))
        named = {
            t
            for t in question_terms(nouns, vocab.source_words)
            if 0 < vocab.df.get(t, 0) <= RARE_DF and t not in own
        }
        # the line of the source most about what is named (of two papers by the same
        # authors, the one whose title the question describes) must give the field
        lines = answer.split("\n")
        about = [len(named & set(terms(line))) for line in lines]
        best = max(about, default=0)
        if not any(
            given.search(ln) and (not named or a == best > 0)
            for ln, a in zip(lines, about, strict=True)
        ):
            return (
                f"Your corpus has passages about this, but none of those found gives the "
                f"{name} you asked for."
            )
    return None


# A named thing asked for: 'which datasets', 'on what benchmark', 'which environments'.
_NAME_ASKED = re.compile(
    r"\b(?:which|what)\s+(?:[\w-]+\s+){0,3}?(?:datasets?|benchmarks?|environments?|corpora)\b",
    re.I,
)


def _rarest(question: str, vocab: Vocabulary, skip: Set[str] = frozenset()) -> set[str]:
    """The question's terms the corpus knows that are in the fewest chunks (not `skip`)."""
    known = {
        t: vocab.df[t]
        for t in question_terms(question, vocab.source_words)
        if vocab.df.get(t) and t not in skip
    }
    return {t for t, df in known.items() if df == min(known.values())} if known else set()


def lacks_name(question: str, answer: str, vocab: Vocabulary) -> str | None:
    """A refusal when the question asks which datasets, benchmarks or environments, and
    no quote about the rarest thing it names holds a name it does not ('CIFAR-10',
    'ImageNet', 'Atari'): an abstract that says 'on several benchmarks' names none."""
    if not _NAME_ASKED.search(question):
        return None
    asked = {w.lower() for w in re.findall(r"[\w-]+", question)}
    rarest = _rarest(question, vocab)
    for line in answer.split("\n"):
        title = " ".join(_BOLD.findall(line))
        for quote in _CITED.split(_TITLE.sub(" ", line)):
            about = not rarest or rarest & set(terms(f"{title} {quote}"))
            if about and any(w.lower() not in asked for w in names_in(quote)):
                return None
    return (
        "Your corpus has passages about this, but none of those found names the datasets or "
        "benchmarks you asked for."
    )


# A place of study or work asked by its kind: 'which university awarded it', 'the
# college name', "the name of X's lab". A quote answers with a name of that kind.
_INSTITUTION_KINDS = (
    (
        re.compile(r"universit(?:y|ies)|colleges?|institutes?|schools?", re.I),
        # capitalised, as in a name: 'graduate school' names none
        re.compile(r"\b(?:Universit|College|Institut|School|[ÉE]cole|Polytechni|Academy)"),
    ),
)


def _holds_any(wanted: set[str], quote: str) -> bool:
    """Whether the quote holds one of the terms, or a longer word one clips ('postdoc')."""
    words = set(terms(quote))
    return any(held(t, words) for t in wanted)


def _spells_any(acronyms: list[str], quote: str) -> bool:
    """Whether the initials of a run of the quote's capitalised words spell one of the
    acronyms: 'EPFL' in 'École Polytechnique Fédérale de Lausanne'."""
    initials = "".join(
        unicodedata.normalize("NFKD", w)[0].upper()
        for w in re.findall(r"\b[^\W\d_][\w'-]*", quote)
        if w[:1].isupper()
    )
    return any(a in initials for a in acronyms)


def lacks_institution(question: str, answer: str, vocab: Vocabulary) -> str | None:
    """A refusal when the question asks which university, college or institute ('which
    university awarded it?', 'the college name') and no quote names one beside another
    word of the question: an entrance exam for undergraduate programmes names no
    college, and the university of the postdoc is not the undergraduate one."""
    for kind, given in _INSTITUTION_KINDS:
        asked = re.search(
            rf"\b(?:which|what)\s+(?:[\w-]+\s+){{0,2}}?(?:{kind.pattern})\b"
            rf"|\b(?:{kind.pattern})(?:'s)?\s+name\b|\bname\s+of\s+(?:[\w'-]+\s+){{0,3}}?(?:{kind.pattern})\b",
            question,
            re.I,
        )
        if asked is None:
            continue
        quotes = _CITED.split(_TITLE.sub(" ", answer))
        others = set(question_terms(question, vocab.source_words)) - set(terms(asked.group(0)))
        acronyms = [w for w in re.findall(r"\b[A-Z]{2,6}\b", question) if w != "I"]
        if not any(
            given.search(q) and (not others or _holds_any(others, q) or _spells_any(acronyms, q))
            for q in quotes
        ):
            return (
                "Your corpus has passages about this, but none of those found names the "
                f"{asked.group(0).split()[-1].rstrip('?')} you asked for."
            )
    return None


def lacks_venue(question: str, answer: str, venues: frozenset[str]) -> str | None:
    """A refusal when the question asks where a paper appeared and no quote names a venue:
    a 'Published:' line with more than a year, or a venue the catalog knows. 'Published:
    2024' of the paper described is no answer to which conference it was in."""
    if not _VENUE_ASKED.search(question):
        return None
    for quote in _CITED.split(_TITLE.sub(" ", answer)):
        published = _PUBLISHED.search(quote)
        if published and re.search(r"[A-Za-z]", published.group(1)):
            return None
        folded = f" {normalize_title(quote)} "
        if any(f" {v} " in folded for v in venues):
            return None
    return "Your corpus has passages about this, but none of those found gives the venue you asked for."


def lacks_value(question: str, answer: str, vocab: Vocabulary) -> str | None:
    """A refusal when the question asks for a year or a number and no quote of the
    answer holds one beside the rarest thing the question names: 'Published: 2019' of
    another paper is no answer to when she got her PhD, nor another model's accuracy to
    BagNet's. None when a quote does, or when no such value is asked."""
    kind = asked_value(question)
    if kind is None:
        return None
    # The thing counted ('GitHub stars', 'top-1 accuracy'), or the word 'year', is on
    # every line that gives one; the rarest other thing names whose count is asked ('my
    # cyclical pruning paper', not the saliency repository beside it).
    counted = set(terms(_counted_phrase(question))) if kind == "number" else {"year"}
    rarest = _rarest(question, vocab, counted)
    if not rarest:
        return None
    value = _YEAR if kind == "year" else _NUMBER
    for line in answer.split("\n"):
        # the thing may be named by the quoted paper's title: its 'Published: 2015' line
        # gives the year of the paper whose title holds 'data-free'
        title = " ".join(_BOLD.findall(line))
        for quote in _CITED.split(_TITLE.sub(" ", line)):
            held = _CITED_YEAR.sub(" ", quote) if kind == "number" else quote
            if value.search(held) and rarest & set(terms(f"{title} {quote}")):
                return None
    return (
        f"Your corpus has passages about this, but none of those found gives the {kind} "
        "you asked for."
    )
