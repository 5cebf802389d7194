"""Questions that say where to look: 'What does the daily feed have on grokking?', or
that join two files: 'Both Bhojanapalli's Google page and the daily feed have a paper
about privacy in federated learning: which two?'.

One search ranks the whole corpus, and the file that matches most of the question fills
the top: the named file's answer, or the other file's part of it, is missed. When a
question names corpus files (by the rare words of their names and parsers:
assistant/catalog_terms.py), each is searched on its own and their best hits are taken
in turn, before the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import zip_longest

from assistant.catalog_terms import SourceFile
from assistant.extractive import ASKING_WORDS
from retrieval.hybrid import Filters, Hit, HybridSearcher
from retrieval.text import normalize_title

MIN_PER_FILE = 2


def files_named(question: str, sources: Sequence[SourceFile]) -> list[str]:
    """The files the question names: 'the feed' and 'the Awesome list' -> their files.
    Words that also ask ('publication') name nothing."""
    words = set(normalize_title(question).split()) - ASKING_WORDS
    return [s.file for s in sources if s.words & words]


def joined_hits(
    searcher: HybridSearcher, question: str, files: Sequence[str], hits: Sequence[Hit], k: int
) -> list[Hit]:
    """The best hits of each named file in turn (at most half of `k` from one file), then
    the other `hits`; `hits` unchanged when no file is named."""
    if not files:
        return list(hits)
    each = max(MIN_PER_FILE, k // max(2, len(files)))
    per_file = [searcher.search(question, k=each, filters=Filters(source=f)) for f in files]
    out: dict[str, Hit] = {}
    for row in zip_longest(*per_file):
        for hit in row:
            if hit is not None:
                out.setdefault(hit.key, hit)
    for hit in hits:
        out.setdefault(hit.key, hit)
    return list(out.values())[:k]
