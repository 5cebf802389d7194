"""What a query must be before it is searched, and the snippet shown for a hit."""

from __future__ import annotations

import re

from retrieval.errors import RetrievalError
from retrieval.terms import content_words
from retrieval.text import normalize_title, split_sentences

MAX_QUERY_CHARS = 2000


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
