"""An attribute asked of a named person, place or thing must be said where it is named.

'What is Srinadh Bhojanapalli's h-index?' finds his papers (they name him) and a CV that
gives someone's h-index (it names no one asked about): each part is in the corpus, the
answer is not. The check asks for one retrieved passage that holds a name of the
question together with each rare word of what is asked about it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.extractive import RARE_DF, SHORT_QUESTION_TERMS, Vocabulary, question_terms
from retrieval.terms import STOPWORDS, content_words, stem, terms

# Two stems are one word when they share this long a prefix, most of the shorter one:
# 'advisor' and 'advised' (advis-), 'supervisor' and 'supervised'; not 'superposition'.
MIN_PREFIX = 5
_RECORDS = re.compile(r"\b(?:papers?|works?|publications?|articles?)\b", re.I)
PREFIX_SHARE = 0.7


def _names(question: str, skip: frozenset[str]) -> list[str]:
    """Capitalised words after the first, not stop words nor file names: the entities."""
    words = re.findall(r"[A-Za-z][A-Za-z0-9-]*", question)[1:]
    return [w for w in words if w[:1].isupper() and w.lower() not in STOPWORDS | skip]


def _same(a: str, b: str) -> bool:
    if a == b:
        return True
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n >= MIN_PREFIX and n >= PREFIX_SHARE * min(len(a), len(b))


def _holds(words: set[str], term: str) -> bool:
    return term in words or any(_same(term, w) for w in words)


def _known(term: str, vocab: Vocabulary) -> int:
    """How many chunks hold the term, or a stem of the same word ('supervisor' for
    'supervised'); 0 when the corpus never uses it."""
    if vocab.df.get(term):
        return vocab.df[term]
    return max((df for t, df in vocab.df.items() if _same(term, t)), default=0)


# The participle after a form of 'have': 'have I ever given', 'has she spoken'.
_PARTICIPLE = re.compile(r"\b(?:have|has|had|'ve)\s+(?:\w+\s+){0,2}?(\w+(?:en|wn))\b", re.I)


def unsaid_of_named(question: str, passages: Sequence[str], vocab: Vocabulary) -> str | None:
    """A refusal when a short question names someone or something and asks about rare
    words that no retrieved passage naming them holds; None otherwise, and for a
    question about their papers."""
    if _RECORDS.search(question):
        return None  # 'which of his papers': the Authors lines answer that
    names = _names(question, vocab.source_words)
    entity = {stem(w) for n in names for w in content_words(n) if vocab.df.get(stem(w))}
    if not entity:
        return None
    wanted = question_terms(question, vocab.source_words)
    # A long question describes what it wants in many words, some of them paraphrase;
    # a short one asks one thing of the name ('X's h-index', 'my supervisor at X').
    if len(wanted) > SHORT_QUESTION_TERMS:
        return None
    # the verbs of the question: 'received from X', 'have I given'
    # (a word in -ing is as often a noun: 'pruning', 'embedding'; 'speed' is no past)
    verbs = {
        stem(w.lower())
        for w in re.findall(r"[A-Za-z]+", question)
        if re.search(r"[^e]ed$", w.lower()) and len(w) > 4
    } | {stem(w.lower()) for w in _PARTICIPLE.findall(question)}
    asked = [t for t in wanted if t not in entity and 1 <= _known(t, vocab) <= RARE_DF]
    if not asked:
        return None
    about = [words for words in (set(terms(p)) for p in passages) if entity & words]
    if not about:
        return None  # no passage names them: the other checks decide
    # One word of the question may be its verb ('receive'): refuse only when no passage
    # naming them holds any of what is asked.
    if any(_holds(words, t) for words in about for t in asked):
        return None
    if all(t in verbs for t in asked):
        return None  # only the verb is missing: 'Have I given a talk at X?' asks of X
    who = " ".join(dict.fromkeys(names))
    said = [w for w in re.findall(r"[\w-]+", question) if set(terms(w)) & set(asked)]
    what = ", ".join(f"'{w}'" for w in dict.fromkeys(said)) or "what you asked"
    return f"Your corpus names {who}, but no passage about them says anything of {what}."
