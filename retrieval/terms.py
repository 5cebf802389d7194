"""Terms: the one tokenizer, stop-word list, stemmer and IDF of the whole program.

BM25 (retrieval/lexical.py), the offline answers (assistant/extractive.py,
answerability, origin), the selection of papers for reading lists and drafts, the
profile and triage all turn text into terms here, so a word that matches in one of
them matches in the others. Simplified on purpose: English only (Snowball's English
stemmer, through PyStemmer, the stemmer bm25s itself accepts), words split at anything
that is not a letter or a digit ('in-context' is 'in' and 'context').
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

import Stemmer

from retrieval.text import normalize_title

# Common English function words: they carry no topic on their own. The classic
# information-retrieval list (articles, pronouns, auxiliaries, prepositions,
# conjunctions, quantifiers, 'ever' and 'never') and the pieces contractions leave once
# the apostrophe is split off ("I'm" -> 'i' 'm', "don't" -> 'don' 't').
_STOP = """
    a about above after again against all also am among an and any are as at be because
    been before being below between both but by can could did do does doing down during
    each either ever every few for from further had has have having he her here hers herself
    him himself his how i if in into is it its itself just may me might more most must my
    myself neither never no nor not now of off on once only or other our ours ourselves out
    over own same shall she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up upon us
    very via was we were what when where which while who whom whose why will with within
    would yet you your yours yourself yourselves
    s t m d ll re ve don doesn didn isn aren wasn weren wouldn couldn shouldn
"""
STOPWORDS = frozenset(_STOP.split())

# 'LLMs', 'GPUs', 'CNNs': the plural of an acronym is the acronym ('LLM').
_ACRONYM_PLURAL = re.compile(r"\b([A-Z][A-Z0-9]*[A-Z])s\b")
_STEMMER = Stemmer.Stemmer("english")


def words(text: str) -> list[str]:
    """All words, folded: 'In-Context LLMs' -> ['in', 'context', 'llm']."""
    return normalize_title(_ACRONYM_PLURAL.sub(r"\1", text)).split()


def content_words(text: str) -> list[str]:
    """The words of `text` that are not stop words: 'What is the NTK?' -> ['ntk']."""
    return [w for w in words(text) if w not in STOPWORDS]


# Snowball keeps agent nouns whole ('advisor', 'supervisor', 'predictor') while it cuts
# their verbs ('advised' -> 'advis'): 'who advised me?' must meet 'Advisor: ...'. The
# '-or' is cut when five letters or more remain ('creator' -> 'creat'; not 'factor').
_AGENT = re.compile(r"^(?P<base>[a-z]{5,})or$")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball's English stem of a folded word: 'pruning', 'pruned' -> 'prune';
    'advisor', 'advised' -> 'advis'; words with digits ('gpt4', '2020') are kept whole."""
    if any(c.isdigit() for c in word):
        return word
    stemmed = str(_STEMMER.stemWord(word))
    agent = _AGENT.match(stemmed)
    return agent["base"] if agent else stemmed


def terms(text: str) -> list[str]:
    """Stemmed content words, in order: 'Pruned networks' -> ['prune', 'network']."""
    return [stem(w) for w in content_words(text)]


def idf(df: int, n_docs: int) -> float:
    """How rare a term is: the smoothed inverse document frequency every ranking uses."""
    return math.log(1 + n_docs / (1 + df))
