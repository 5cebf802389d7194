"""What a query must be before it is searched, and the snippet shown for a hit."""

from __future__ import annotations

import re

from retrieval.errors import RetrievalError
from retrieval.text import normalize_title, split_sentences

MAX_QUERY_CHARS = 2000

# Common English words that carry no topic on their own.
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
    ]
)


def content_words(text: str) -> list[str]:
    """The words of `text` that are not stop words: 'What is the NTK?' -> ['ntk']."""
    return [w for w in normalize_title(text).split() if w not in STOPWORDS]


def check_query(query: str) -> str:
    """The query, stripped; a `RetrievalError` saying what to change if it cannot be searched."""
    query = query.strip()
    if not query:
        raise RetrievalError("The query is empty: type what you are looking for.")
    if len(query) > MAX_QUERY_CHARS:
        raise RetrievalError(
            f"The query is {len(query):,} characters long: keep it under {MAX_QUERY_CHARS:,} "
            "(for a long abstract, use `ra related-work --abstract-file`)."
        )
    if not content_words(query):
        raise RetrievalError(
            "The query has only common words or punctuation: add the words that matter "
            "(a method, a phenomenon, an author)."
        )
    return query


_METADATA_LINE = re.compile(r"^(Authors|Published|Topic|Keywords|Awards): ")


def snippet(text: str, query: str, width: int = 220) -> str:
    """The sentence of `text` sharing the most words with `query`, cut to `width` characters.

    A paper chunk's first line (its title) and its metadata lines are not snippets.
    """
    wanted = set(content_words(query))
    lines = [ln for ln in text.splitlines()[1:] if ln.strip() and not _METADATA_LINE.match(ln)]
    body = " ".join(lines) or text.replace("\n", " ")
    best, best_score = "", -1
    for sentence in split_sentences(body):
        score = len(wanted & set(normalize_title(sentence).split()))
        if score > best_score:
            best, best_score = sentence, score
    best = best.strip()
    return best if len(best) <= width else best[: width - 1].rstrip() + "…"
