"""The kind of value a question asks for (a year, a number) and whether an answer holds one.

'In what year did she get her PhD?' is not answered by a sentence about her PhD that
gives no year, and 'What accuracy does it reach?' not by 'a surprisingly high accuracy'.
The check reads the quoted answer only, so it holds however the passages were found.
"""

from __future__ import annotations

import re

from assistant.extractive import Vocabulary, question_terms
from retrieval.terms import terms

# Past tense: 'When did she ...?' asks for a date; 'When do networks become stable?'
# asks for a moment in training.
_YEAR_ASKED = re.compile(r"\b(?:(?:what|which) year|when (?:was|were|did|had))\b", re.I)
# A measured or counted quantity: 'how many', 'what top-1 accuracy', 'what share of'.
# Asked at the start of a clause ('... controlled by how many hypotheses' is no question);
# 'how much X is needed' is often answered in words ('a logarithmic factor').
_NUMBER_ASKED = re.compile(
    r"(?:^|[.?!;,:]\s*|\band\s+)(?:how many|what (?:[\w-]+ ){0,2}?(?:accuracy|percentage|percent|fraction"
    r"|share|proportion|rate|score|number|rank|count|size|error))\b",
    re.I,
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# A number standing alone ('169', '3.0%', '1/T^2'), not part of a name ('ResNet-50', 'top-1').
_NUMBER = re.compile(r"(?<![\w-])\d[\d.,]*(?![\w-])")
# An offline answer's quotes each end with a citation mark; bold source titles are no quote.
_CITED = re.compile(r"\[\d+\][.!?]?")
_TITLE = re.compile(r"\*\*[^*\n]+\*\*")


def asked_value(question: str) -> str | None:
    """'year', 'number' or None: 'When did X appear?' -> 'year'; 'How many ...' -> 'number'."""
    if _YEAR_ASKED.search(question):
        return "year"
    if _NUMBER_ASKED.search(question):
        return "number"
    return None


def lacks_value(question: str, answer: str, vocab: Vocabulary) -> str | None:
    """A refusal when the question asks for a year or a number and no quote of the
    answer holds one beside the rarest thing the question names: 'Published: 2019' of
    another paper is no answer to when she got her PhD, nor another model's accuracy to
    BagNet's. None when a quote does, or when no such value is asked."""
    kind = asked_value(question)
    if kind is None:
        return None
    known = {
        t: vocab.df[t] for t in question_terms(question, vocab.source_words) if vocab.df.get(t)
    }
    if not known:
        return None
    rarest = {t for t, df in known.items() if df == min(known.values())}
    value = _YEAR if kind == "year" else _NUMBER
    for quote in _CITED.split(_TITLE.sub(" ", answer)):
        if value.search(quote) and rarest & set(terms(quote)):
            return None
    return (
        f"Your corpus has passages about this, but none of those found gives the {kind} "
        "you asked for."
    )
