"""Origin questions ('which paper introduced / first showed X') answered by the paper that
introduces X, not by the follow-ups that mention it.

Among the retrieved papers whose text holds every term of X, the introducing paper is
the one whose title leads with X (not 'Dual X' or 'X for Y'), that is earliest, and that
the others refer back to by its title words. The search order breaks ties, so a
question that is not about an origin keeps the order it had.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.extractive import Vocabulary, question_terms, terms
from retrieval.hybrid import Hit

_ORIGIN = re.compile(
    r"\b(?:introduc\w*|propos\w*|first\w*|original\w*|coin\w*|invent\w*|pioneer\w*"
    r"|start(?:ed)? (?:th(?:at|is|e) )?line|came up with)\b",
    re.I,
)
# The origin words themselves are not part of what X is.
_ORIGIN_TERMS = frozenset(
    terms("introduce introduced proposes proposed first originally original coined started line")
)


def is_origin_question(question: str) -> bool:
    """'Which paper introduced SAM?' -> True; 'What does SAM do?' -> False."""
    return bool(_ORIGIN.search(question))


def _title_terms(hit: Hit) -> list[str]:
    return terms(hit.title)


def prefer_origin(question: str, hits: Sequence[Hit], vocab: Vocabulary) -> list[Hit]:
    """The hits reordered so the paper that introduces the question's concept comes first."""
    hits = list(hits)
    if not is_origin_question(question) or len(hits) < 2:
        return hits
    concept = [t for t in question_terms(question, vocab.source_words) if t not in _ORIGIN_TERMS]
    # The concept is what the best hits share: the rarest terms present in most of them.
    holders = [h for h in hits if set(concept) & set(terms(h.chunk.text))]
    if not concept or len(holders) < 2:
        return hits
    core = {
        t
        for t in concept
        if sum(t in set(terms(h.chunk.text)) for h in holders) * 2 >= len(holders)
    }
    candidates = [h for h in holders if core <= set(terms(h.chunk.text))]
    if len(candidates) < 2:
        return hits
    years = [h.chunk.year for h in candidates if h.chunk.year]
    earliest = min(years) if years else None

    def score(item: tuple[int, Hit]) -> tuple[float, int]:
        rank, hit = item
        title = _title_terms(hit)
        lead = title[: len(core)]
        leads = bool(core) and set(lead) == core  # 'Lottery Ticket Hypothesis: ...'
        named = bool(core) and core <= set(title)
        cited_by = sum(
            1
            for other in candidates
            if other is not hit and _mentions_title(other.chunk.text, hit.title)
        )
        value = (
            2.0 * leads
            + 0.5 * named
            + 1.0 * (earliest is not None and hit.chunk.year == earliest)
            + 1.0 * min(cited_by, 2)
        )
        return (-value, rank)

    ranked = sorted(enumerate(candidates), key=score)
    first = ranked[0][1]
    return [first, *[h for h in hits if h is not first]]


def _mentions_title(text: str, title: str) -> bool:
    """Another paper names this one: its main title (before a colon) appears in the text."""
    head = title.split(":", 1)[0].strip().lower()
    return len(head.split()) >= 2 and head in text.lower()
