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
from retrieval.terms import stem
from retrieval.text import normalize_title

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


FEW_MENTIONS = 3
# What follows a method's name in the title of the paper that introduces it.
_FOR = [[stem(w)] for w in ("for", "via", "with", "by", "through")]

# The thing an origin question names: the words after its origin verb, up to a
# punctuation mark or a word that starts a clause ('... introduced SAM, and who ...').
# 'first showed that ...' describes a finding instead of naming it: no name.
_NAMED_ORIGIN = re.compile(
    r"\b(?:introduc\w*|propos\w*|first (?:introduc\w*|propos\w*|describ\w*|defin\w*)"
    r"|original(?:ly)?(?: (?:introduc\w*|propos\w*))?|coin\w*|invent\w*)\s+"
    r"(?:(?P<article>the|a|an)\s+)?(?P<name>[^,.;:?!()]+)",
    re.I,
)
_CLAUSE = re.compile(
    r"\s(?:paper|papers|study|work|article|and|or|in|for|by|with|to|from|on|that|which"
    r"|where|who|when|is|was|does|did|has|had|i\.e|e\.g)\b.*$",
    re.I,
)
_DESCRIBED = re.compile(
    r"^(?:that|how|what|why|whether|(?:idea|name|notion|term|phrase|concept|word)s?)\b", re.I
)
# A verb and its object describe what was done ('pruning a network once, before
# training'); a name has no article inside ('grokking', 'learning rate warmup'); a past
# tense says what was found ('originally claimed that ...').
_ACTION = re.compile(r"^\w+ing\s+(?:\S+\s+)*?(?:a|an|the|each|every|its|their)\b|^\w{3,}ed$", re.I)
# What an introducing paper says of its own idea: 'we propose X', 'our procedure, X',
# 'which we call X'; follow-ups say 'optimizers like X', 'adding a X layer'.
_SAID = r"[\"'“‘]?(?:(?:[A-Z][\w-]*\s+){{1,5}}\()?(?i:{name})"
_COINS = (
    r"(?i:\b(?:we|this paper|this work|the authors)\s+(?:\w+\s+){{0,2}}"
    r"(?:propos|introduc|present|call|term|dub|coin|nam)\w*\s+"
    r"(?:(?:a|an|the|this|it|new|novel)\s+){{0,3}})"
    + _SAID
    + r"|(?i:\b(?:our|this|a new|a novel)\s+"
    r"(?:method|procedure|approach|algorithm|model|framework|phenomenon|technique|architecture)"
    r",?\s+(?:called\s+|named\s+|dubbed\s+)?)"
    + _SAID
    + r"|(?i:\b(?:called|termed|dubbed|coined)\s+"
    r"(?:the\s+)?)" + _SAID
)


def origin_name(question: str) -> str | None:
    """The named thing whose origin is asked: 'Which paper introduced the Adam optimizer?'
    -> 'Adam optimizer'; 'Which paper first showed that ...?' -> None (a description)."""
    match = _NAMED_ORIGIN.search(question)
    # 'proposes a pruning method that ...' describes; 'introduced the X' names.
    if match is None or (match.group("article") or "").lower() in ("a", "an"):
        return None
    name = _CLAUSE.sub("", " " + match.group("name").strip()).strip(" '\"‘’“”")
    if not name or _DESCRIBED.match(name) or not terms(name) or _ACTION.match(name):
        return None
    return name


def introduces(hit: Hit, name: str) -> bool:
    """Whether the paper of `hit` introduces `name`: its main title is the name ('The
    Lottery Ticket Hypothesis: ...', 'Adam: A Method ...' for 'the Adam optimizer'), or
    its text coins it ('our procedure, Sharpness-Aware Minimization (SAM)')."""
    head = _words(hit.title.split(":", 1)[0])
    said = _words(name)
    if head and (head == said or (":" in hit.title and head == said[: len(head)])):
        return True
    # 'Sharpness-Aware Minimization for Efficiently Improving Generalization': the name,
    # then what it is for
    if said and head[: len(said)] == said and head[len(said) : len(said) + 1] in _FOR:
        return True
    return re.search(_COINS.format(name=re.escape(name)), hit.chunk.text) is not None


def _words(text: str) -> list[str]:
    """'The Lottery Ticket Hypotheses' -> ['lotteri', 'ticket', 'hypothesi']: stems in
    order, stop words kept (a title that is a sentence is not a name), articles dropped."""
    words = normalize_title(text).split()
    while words and words[0] in ("the", "a", "an"):
        words = words[1:]
    return [stem(w) for w in words]


def origin_absent(
    question: str, hits: Sequence[Hit], vocab: Vocabulary, spelled: str | None = None
) -> str | None:
    """A refusal when an origin question names a thing that several retrieved papers
    mention and none of them introduces: the introducing paper is not in the corpus,
    and a follow-up must not be given in its place. None when a paper introduces it,
    when at most one paper mentions it (the usual checks decide), or when the question
    describes the thing rather than naming it, or when it is named in at most
    FEW_MENTIONS passages of the corpus, or when a paper introduces `spelled`, the
    name spelled out."""
    name = origin_name(question)
    if name is None:
        return None
    wanted = set(terms(name))
    # An idea named in a handful of passages has too few follow-ups to crowd out its
    # origin: the search ranks that as usual.
    if min(vocab.df.get(t, 0) for t in wanted) <= FEW_MENTIONS:
        return None
    holders = [h for h in hits if wanted <= set(terms(h.chunk.text))]
    if len(holders) < 2 or any(introduces(h, name) for h in holders):
        return None
    # The name's spelling out, from the corpus's own acronyms ('SAM': 'sharpness-aware
    # minimization'): the original's record may use only that.
    if spelled and any(introduces(h, spelled) for h in hits):
        return None
    return (
        f"Your corpus has {len(holders)} papers that mention {name}, but none of them "
        f"introduces it: the paper that does is not in your corpus."
    )
