"""A request's constraints, read by rules: how many papers, which years, which files,
what to leave out, for whom, whether for me, and a pasted abstract.

The patterns here look for the grammar of a constraint ('8-12 papers', 'only 2022 or
later', 'Awesome list only', 'skip ...', 'Not X', 'for a new student', a quoted
abstract), never for a topic: each reader returns what it found and the text without
it, and what is left is the topic (`assistant.request`). Which file 'the feed' means
comes from the catalog (`assistant.catalog_terms`); the task's words are
`assistant.phrasing`'s.
"""

from __future__ import annotations

import datetime
import re

from assistant.catalog_terms import CatalogTerms
from assistant.phrasing import MAX_N, NUM, NUMBERS, Audience

# --- constraints ----------------------------------------------------------------------

# The count is cut out and the noun left in place, so 'give me 5 papers on X' still asks
# for papers ('give me papers on X') when the task and the topic are read.
_COUNT = re.compile(
    r"(?P<count>(?:\b(?:top|best|about|around|roughly|approximately|some|at most|no more than|up to|maybe|max(?:imum)?(?: of)?|~)\s*)?"
    rf"~?\b(?:\d{{1,2}}\s*(?:-|–|to)\s*)?{NUM}\b(?:\s+(?:or so|max|at most))?)"
    r"(?:\s+(?:[a-z-]+\s+){0,3}?)(?:papers|readings|references|refs|citations|works|articles|items|entries|picks)\b"
    # '2 papers a week' is a pace, not how many
    r"(?!\s+(?:a|an|per|each|every)\s+(?:week|day|session|class|month|meeting|lecture)\b)",
    re.I,
)
# '8-10, Awesome list only': a range that ends a clause, the noun left out; its top.
_COUNT_RANGE = re.compile(r"(?<![\w-])\d{1,2}\s*(?:-|–)\s*(\d{1,2})(?=\s*(?:[.,;!?)]|$))")
_COUNT_AFTER = re.compile(r"\b(?:top|best)\s+" + NUM + r"\b", re.I)
# 'no more than 10.' with the noun left out: a limit word and a number that ends a clause.
_COUNT_BARE = re.compile(
    r"\b(?:no more than|not more than|at most|up to|max(?:imum)?(?: of)?|limit(?:ed)? to)\s+"
    + NUM
    + r"(?=\s*(?:[.,;!?)]|$))",
    re.I,
)
_YEAR = r"((?:19|20)\d\d)"
_YEAR_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    # Comparatives, the negated ones first: 'nothing older than 2019' is 2019 or later.
    (
        re.compile(
            rf"\b(?:nothing|none|no (?:papers?|work)|not)\s+(?:older|earlier)\s+than\s+{_YEAR}\b",
            re.I,
        ),
        "min",
    ),
    (
        re.compile(
            rf"\b(?:nothing|none|no (?:papers?|work)|not)\s+(?:newer|more recent|later)\s+than\s+{_YEAR}\b",
            re.I,
        ),
        "max",
    ),
    (re.compile(rf"\b(?:newer|more recent|later)\s+than\s+{_YEAR}\b", re.I), "min_after"),
    (re.compile(rf"\b(?:older|earlier)\s+than\s+{_YEAR}\b", re.I), "max_before"),
    (
        re.compile(
            rf"\bbetween {_YEAR} and {_YEAR}\b|\b{_YEAR}\s*(?:-|–|to|through)\s*{_YEAR}\b|\b(?:from|in) {_YEAR} and {_YEAR}\b",
            re.I,
        ),
        "range",
    ),
    (
        re.compile(
            rf"\b(?:(?:from|since|in)\s+)?{_YEAR}\s*(?:or|and) (?:later|after|newer|more recent|onwards?|beyond)\b|\b(?:(?:from|since|in)\s+)?{_YEAR}\s*(?:\+|onwards?\b)|\b(?:since|from|after|post|starting(?: in| from)?|no earlier than|not before)\s+{_YEAR}\b",
            re.I,
        ),
        "min",
    ),
    (
        re.compile(
            rf"\b(?:(?:from|in|until)\s+)?{_YEAR}\s*(?:or|and) (?:earlier|before|older)\b|\b(?:before|until|up to|through|prior to|no later than|not after|pre)\s*-?\s*{_YEAR}\b",
            re.I,
        ),
        "max",
    ),
    (
        re.compile(
            rf"\b(?:published|appeared|from|in)\s+(?:the year\s+)?{_YEAR}\b(?!\s*(?:-|–|or|and|to))",
            re.I,
        ),
        "exact",
    ),
)
_LAST_YEARS = re.compile(r"\b(?:last|past|previous)\s+" + NUM + r"\s+years?\b", re.I)
_EXCLUDE = re.compile(
    r"(?:\b(?:skip|exclude|excluding|omit|omitting|leave out|leaving out|ignore|ignoring|drop|minus"
    r"|except(?: for)?|but not|apart from|no need for|not interested in"
    r"|don'?t (?:include|want|need|list|cite|mix in|add)"
    r"|do not (?:include|want|need|list|cite|mix in|add)|nothing (?:on|about|from)|not (?:from|in|the|any))"
    # 'Not Riemannian geometry ...', 'NO post-hoc saliency methods': a clause that opens
    # by refusing a subject
    r"|(?:^|(?<=[.;:!?(]\s)|(?<=--\s))(?:no|not)(?!\s+(?:more|less|fewer|older|newer|earlier|later)\b))\s+"
    # 'drop into the paper', 'ignore for now': a preposition after the verb is no subject.
    r"(?!(?:into|in|on|onto|to|from|by|with|at|for|up)\b)"
    r"(?:the |any |all |those |these )?([^.;!?()]+?)(?=\s*(?:[.;!?()]|,|\bi'?ve\b|\bi have\b|\bsince\b|\bbecause\b|\bas\b|\bthat'?s\b|$))",
    re.I,
)
_ONLY = re.compile(
    r"\b(?:only|just|solely|exclusively|restricted to|limited to)\s+(?:papers\s+|things\s+)?(?:from|in|on)?\s*(?:the |my )?([a-z][\w' -]{0,60}?)(?=[,.;:!?)]|$|\s+(?:not|and|but|please|pls)\b)"
    r"|\b(?:from|in) (?:the |my )([a-z][\w -]{0,30}?)\s+only\b"
    # 'Awesome list only': a clause that is a source and 'only'
    r"|(?:^|(?<=[,.;:(])\s*)([a-z][\w -]{0,30}?)\s+only\b"
    r"|\b(?:in|from) (?:the |my )([a-z][\w-]*(?: (?!for\b|on\b|about\b|with\b|that\b|and\b|or\b)[a-z][\w-]*)?"
    # 'from my CV and statement', 'in the feed or the Awesome list'
    r"(?:\s*(?:,|and|or)\s+(?:(?:in|from)\s+)?(?:the |my )?(?!in\b|from\b|the\b|my\b)[a-z][\w-]*"
    r"(?: (?!for\b|on\b|about\b|with\b|that\b)[a-z][\w-]*)?)?)",
    re.I,
)
_NEWCOMER = re.compile(
    r"\b(?:new|first[- ]year|junior|incoming|beginning|starting|fresh)\s+(?:phd\s+|grad(?:uate)?\s+|master'?s\s+|ms\s+|undergrad(?:uate)?\s+)?(?:students?|researchers?|members?|hires?|people)\b"
    r"|\bnewcomers?\b|\bbeginners?\b|\bnovices?\b|\bintroduct(?:ion|ory)\b|\bintro\b|\bundergrad(?:uate)?s?\b|\bprimer\b|\bonboard"
    r"|\bnew to (?:the|this) (?:field|area|topic)\b|\bcomes? from (?:a |another |outside)|\bstarting out\b",
    re.I,
)
# The whole phrase naming the reader, to take out of the topic: 'for a new student'.
_AUDIENCE_PHRASE = re.compile(
    r"\b(?:for|to)\s+(?:an?|my|our|the)\s+(?:[\w-]+\s+){0,2}?(?:students?|researchers?|members?|hires?|newcomers?|beginners?|novices?)\b",
    re.I,
)
_EXPERT = re.compile(
    r"\b(?:for (?:an? )?experts?|advanced|state of the art only|cutting[- ]edge)\b", re.I
)
_FOR_ME = re.compile(
    r"\bfor me\b|\b(?:relevant|related|close|closest) to (?:me|my (?:own )?(?:research|work|agenda|interests|profile))\b"
    r"|\bmy (?:research )?(?:agenda|interests)\b|\bbased on my (?:research|work|profile|cv|statement)\b",
    re.I,
)
_QUOTED = re.compile(r"(?:'|\"|“|‘)([^'\"”’]{80,}?)(?:'|\"|”|’)(?=\s|[.,;:!?)]|$)")
_ABSTRACT_LABEL = re.compile(r"\babstract\s*[:\-–]\s*(.{80,})", re.I | re.S)


def _number(word: str) -> int | None:
    word = word.lower().strip()
    if word.isdigit():
        return int(word)
    return NUMBERS.get(word)


def read_count(text: str) -> tuple[int | None, str]:
    """'Give me the 5 most relevant papers' -> 5, and the text without that phrase; a
    range asks for at most its top: '8-12 papers' -> 12."""
    for pattern in (_COUNT, _COUNT_AFTER, _COUNT_BARE, _COUNT_RANGE):
        match = pattern.search(text)
        if match:
            counted = "count" in pattern.groupindex  # the number is then the second group
            n = _number(match.group(2 if counted else 1))
            if n is not None and 1 <= n <= MAX_N:
                span = match.span("count") if counted else match.span()
                return n, _cut_span(text, *span)
    return None, text


def read_years(text: str, today: datetime.date | None = None) -> tuple[int | None, int | None, str]:
    """'only 2021 or later' -> (2021, None); 'between 2018 and 2020' -> (2018, 2020)."""
    last = _LAST_YEARS.search(text)
    if last:
        n = _number(last.group(1))
        if n:
            year = (today or datetime.date.today()).year
            return year - n, None, cut_match(text, last)
    for pattern, kind in _YEAR_RULES:
        match = pattern.search(text)
        if not match:
            continue
        years = [int(y) for y in match.groups() if y]
        rest = cut_match(text, match)
        if kind == "range":
            return min(years), max(years), rest
        if kind in ("min", "min_after"):
            after = (
                kind == "min_after"
                or re.search(r"\bafter|post\b", match.group(0), re.I) is not None
            )
            return years[0] + (1 if after else 0), None, rest
        if kind in ("max", "max_before"):
            before = (
                kind == "max_before"
                or re.search(r"\b(?:before|prior to|pre)\b", match.group(0), re.I) is not None
            )
            return None, years[0] - (1 if before else 0), rest
        return years[0], years[0], rest
    return None, None, text


_EMPTY_BRACKETS = re.compile(
    r"\(\s*(?:(?:papers|readings|references|refs|citations|works|articles|items|entries|picks)\s*)?\)|\[\s*\]",
    re.I,
)


def cut_match(text: str, match: re.Match[str]) -> str:
    """`text` without the match; brackets it leaves empty go too ('a list (5 papers) on X')."""
    return _cut_span(text, match.start(), match.end())


def _cut_span(text: str, start: int, end: int) -> str:
    return " ".join(_EMPTY_BRACKETS.sub(" ", text[:start] + " " + text[end:]).split())


# Words left dangling at the end of a phrase once a constraint is cut out of it.
_TRAILING = frozenset(
    [
        "ones",
        "one",
        "papers",
        "paper",
        "citations",
        "references",
        "refs",
        "readings",
        "articles",
        "things",
        "stuff",
        "which",
        "what",
        "that",
        "with",
        "the",
        "a",
        "an",
        "of",
        "to",
        "methods",
        "please",
        "pls",
        "too",
        "either",
        "published",
        "appeared",
        "max",
        "min",
        "only",
        "and",
        "or",
        "from",
        "in",
    ]
)
# ... and at its start: 'anything about transformers' -> 'transformers'.
_LEADING = frozenset(
    [
        "the",
        "any",
        "all",
        "those",
        "these",
        "of",
        "only",
        "just",
        "anything",
        "everything",
        "something",
        "ones",
        "one",
        "papers",
        "paper",
        "citations",
        "references",
        "refs",
        "readings",
        "articles",
        "work",
        "works",
        "about",
        "on",
        "regarding",
        "concerning",
    ]
)
# When: 'loss landscapes next week' -> 'loss landscapes'.
_WHEN = re.compile(
    r"\s+(?:(?:next|this|last|coming)\s+(?:week|month|semester|term|quarter|year)|tomorrow|today|soon)\s*$",
    re.I,
)
PURPOSE = re.compile(
    r"\s+(?:for|before|ahead of) (?:my|our|a|an|the|his|her|their) [^,;:()]*$", re.I
)


_EDGE = " ,:-–—.?!"


def clean_phrase(phrase: str) -> str:
    """'the neuroscience / human-vs-machine vision ones' -> 'neuroscience / human-vs-machine vision'."""
    words = _WHEN.sub("", phrase.strip(_EDGE)).split()
    while words and (words[-1].lower() in _TRAILING or not words[-1].strip(_EDGE)):
        words.pop()
    while words and words[0].lower() in _LEADING:
        words.pop(0)
    return " ".join(words).strip(_EDGE)


_EXCLUDED_PARTS = re.compile(
    r"\s+(?:and|or)\s+(?=(?:anything|any|everything|all|those|the ones|ones)\b)", re.I
)
_FROM = re.compile(r"^(?:from|in)\s+(?:the\s+|my\s+)?", re.I)


_EXAMPLE = re.compile(
    r"\s*\((?:including|incl\.?|e\.g\.,?|especially|such as|like)\s+(?:my own\s+|the\s+)?([^()]{3,60})\)",
    re.I,
)


def read_exclusions(text: str, terms: CatalogTerms) -> tuple[list[str], list[str], str]:
    """Subjects and source files the request leaves out."""
    subjects: list[str] = []
    files: list[str] = []
    for match in list(_EXCLUDE.finditer(text)):
        if _compound(match, terms):
            continue
        # 'anything from the daily feed and anything about model collapse': two things.
        for part in _EXCLUDED_PARTS.split(match.group(1)):
            phrase = clean_phrase(_FROM.sub("", clean_phrase(part)))
            if not phrase:
                continue
            source = terms.source_named(phrase) if len(phrase.split()) <= 4 else None
            if source is not None:
                files.append(source.file)
            else:
                subjects += [
                    p
                    for p in (clean_phrase(x) for x in re.split(r"\s+or\s+|,|\s+/\s+", phrase))
                    if p
                ]
        # 'NO saliency methods (including my own full-gradient work)': the example in
        # brackets is left out too
        example = _EXAMPLE.match(text, match.end())
        if example:
            said = re.sub(
                r"\s+(?:work|works|papers?|methods?|ones?)$", "", example.group(1).strip()
            )
            subjects.append(clean_phrase(said))
            text = text.replace(example.group(0), " ")
        text = text.replace(match.group(0), " ")
    return list(dict.fromkeys(s for s in subjects if s)), list(dict.fromkeys(files)), text


def _compound(match: re.Match[str], terms: CatalogTerms) -> bool:
    """A one-word exclusion verb that is part of a term: 'skip / residual connections'
    (a slash or hyphen joins it to what follows), 'skip connections', 'drop path' (the
    corpus writes the verb and the next word together)."""
    verb = match.string[match.start() : match.start(1)].split()
    subject = match.group(1)
    if len(verb) != 1:
        return False
    if subject[:1] in "/-":
        return True
    return terms.says(f"{verb[0]} {subject.split(' ', 1)[0]}")


def read_sources(text: str, terms: CatalogTerms, excluded: list[str]) -> tuple[list[str], str]:
    """Files the request restricts itself to ('just the feed', 'from my CV')."""
    found: list[str] = []
    for match in list(_ONLY.finditer(text)):
        phrase = next(g for g in match.groups() if g is not None)
        named = [
            terms.source_named(" ".join(part.split()[:4]))
            for part in re.split(r"\s*(?:,|\band\b|\bor\b)\s*", phrase)
            if part.strip()
        ]
        files = [s.file for s in named if s is not None and s.file not in excluded]
        if not files:
            continue
        found += files
        text = _EMPTY_BRACKETS.sub(" ", text.replace(match.group(0), " "))
    return list(dict.fromkeys(found)), text


def read_audience(text: str) -> tuple[Audience | None, str]:
    """'for a new PhD student' -> 'newcomer' (and the phrase out of the text)."""
    if _NEWCOMER.search(text):
        return "newcomer", _AUDIENCE_PHRASE.sub(" ", text)
    if _EXPERT.search(text):
        return "expert", text
    return None, text


def read_for_me(text: str) -> tuple[bool, str]:
    """'relevant to my research' -> True (and the phrase out of the text)."""
    return bool(_FOR_ME.search(text)), _FOR_ME.sub(" ", text)


def read_abstract(text: str) -> tuple[str | None, str]:
    """An abstract pasted into the request (quoted, or after 'Abstract:'), and the rest."""
    match = _QUOTED.search(text)
    if match and len(match.group(1).split()) >= 15:
        return match.group(1).strip(), cut_match(text, match)
    label = _ABSTRACT_LABEL.search(text)
    if label and len(label.group(1).split()) >= 15:
        return label.group(1).strip(" '\"“”"), text[: label.start()].strip()
    return None, text
