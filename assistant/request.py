"""The request reader: any request, as a researcher types it, becomes a `Request`.

A `Request` names the task (ask, reading list, related work, triage, profile), the
topic as one or more search queries, and the constraints: how many papers, which
years, which source files, what to leave out, for whom, and whether it is about the
researcher's own agenda. Offline, rules read the request's grammar (numbers, years,
'skip ...', 'only from ...') and the catalog supplies the rest (its acronyms, topic
names and file names, see `assistant.catalog_terms`); with an LLM the model fills the
same structure as JSON, validated here, and the offline reader stands in when the
reply does not validate.

The rules look for how a constraint is said, never for a topic: what remains of the
request after the constraints and the task's own words are taken out is the topic.
"""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from assistant.catalog_terms import CatalogTerms, acronyms_in
from retrieval.query import STOPWORDS

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from retrieval.catalog import Catalog

Task = Literal["ask", "reading_list", "related_work", "triage", "profile"]
Audience = Literal["newcomer", "expert"]
MAX_N = 50
_NUMBERS = {
    w: i
    for i, w in enumerate(
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"]
    )
} | {"dozen": 12, "a dozen": 12, "half a dozen": 6, "couple": 2, "a couple": 2, "few": 4}


class Request(BaseModel):
    """A request read into its task, queries and constraints."""

    task: Task = Field(description="What to do: answer, reading list, draft, triage, profile.")
    text: str = Field(description="The request as typed.")
    topic: str = Field(default="", description="What it is about, in a few words.")
    queries: list[str] = Field(default_factory=list, description="Searches whose results fuse.")
    n: int | None = Field(default=None, ge=1, le=MAX_N, description="How many papers were asked for.")
    year_min: int | None = Field(default=None, ge=1900, le=2100)
    year_max: int | None = Field(default=None, ge=1900, le=2100)
    sources: list[str] = Field(default_factory=list, description="Only papers from these files.")
    not_sources: list[str] = Field(default_factory=list, description="No papers from these.")
    exclude: list[str] = Field(default_factory=list, description="Subjects to leave out.")
    audience: Audience | None = Field(default=None)
    for_me: bool = Field(default=False, description="About the researcher's own agenda.")
    abstract: str | None = Field(default=None, description="An abstract pasted into the request.")

    def constraints(self) -> list[str]:
        """The constraints read from the request, in words, for the result to show."""
        out = []
        if self.n is not None:
            out.append(f"{self.n} papers")
        if self.year_min is not None and self.year_max is not None:
            out.append(
                f"published in {self.year_min}"
                if self.year_min == self.year_max
                else f"published {self.year_min}–{self.year_max}"
            )
        elif self.year_min is not None:
            out.append(f"published {self.year_min} or later")
        elif self.year_max is not None:
            out.append(f"published {self.year_max} or earlier")
        out += [f"only from {s}" for s in self.sources]
        out += [f"not from {s}" for s in self.not_sources]
        out += [f"leaving out {e}" for e in self.exclude]
        if self.audience == "newcomer":
            out.append("for a newcomer: foundations first")
        elif self.audience == "expert":
            out.append("for an expert: recent work first")
        if self.for_me:
            out.append("chosen for your agenda")
        if self.abstract:
            out.append("searched with the pasted abstract")
        return out


# --- the task -------------------------------------------------------------------------

_ROUTES: tuple[tuple[Task, re.Pattern[str]], ...] = (
    (
        "related_work",
        re.compile(
            r"\brelated[- ]work\b|\bliterature review\b|\bbackground section\b"
            r"|\b(?:draft|write|compose|prepare)\b[^.?!]{0,60}\b(?:paragraphs?|section|survey)\b"
            r"|\bposition (?:my|our) (?:paper|work)\b",
            re.I,
        ),
    ),
    (
        "reading_list",
        re.compile(
            r"\breading[- ]?list\b|\bsyllabus\b|\bwhat to read\b|\bread(?:ing)? up on\b"
            r"|\b(?:should|must|could|can|do) (?:i|we|she|he|they|you|(?:my |our |the |a )?(?:[a-z-]+ )?(?:students?|group|team|lab|class)) (?:start )?(?:read|study)\b"
            r"|\b(?:papers?|things) (?:i|we) should read\b|\bpapers? to read\b|\bmust[- ]reads?\b"
            r"|\bget (?:me |us |her |him |them )?up to speed\b"
            r"|\b(?:recommend|suggest|give|find|collect|curate|send|gather|looking for|want)\b"
            r"(?: [a-z0-9~-]+){0,5}? (?:papers|readings|references)\b"
            r"|\bpapers,? (?:pls|please)\b|^\s*(?:some |any |good |key )?papers (?:on|about|covering)\b",
            re.I,
        ),
    ),
    (
        "triage",
        re.compile(
            r"\btriage\b|\bwhat'?s new\b|\bwhat is new\b|\banything new\b"
            r"|\bnew (?:papers|arrivals|entries|items)\b[^.?!]{0,40}\b(?:for me|my|relevant|worth)\b"
            r"|\b(?:today'?s|this week'?s|latest|recent) (?:papers|feed|arxiv|entries)\b[^.?!]{0,40}\b(?:for me|my|relevant|worth|should i)\b"
            r"|\b(?:rank|sort|filter|skim|go through)\b[^.?!]{0,30}\b(?:feed|new papers|daily papers)\b",
            re.I,
        ),
    ),
    (
        "profile",
        re.compile(
            r"\bmy (?:research )?profile\b"
            r"|\bwhat (?:are|is) my (?:main )?(?:research )?(?:themes|agenda|interests|topics|directions)\b"
            r"|\b(?:summari[sz]e|describe|show|outline|list)\b (?:me )?my (?:research )?(?:agenda|themes|interests|profile|directions)\b",
            re.I,
        ),
    ),
)


def route(text: str) -> Task:
    """The task a request asks for; a question that names no other task is answered."""
    for task, pattern in _ROUTES:
        if pattern.search(text):
            return task
    return "ask"


def cue(text: str, task: Task) -> re.Match[str] | None:
    """Where `text` names `task` ('a reading list', 'related work'), if it does."""
    for name, pattern in _ROUTES:
        if name == task:
            return pattern.search(text)
    return None


# --- constraints ----------------------------------------------------------------------

_NUM = r"(\d{1,2}|" + "|".join(sorted((re.escape(w) for w in _NUMBERS), key=len, reverse=True)) + r")"
_COUNT = re.compile(
    r"(?:\b(?:top|best|about|around|roughly|approximately|some|at most|no more than|up to|maybe|~)\s*)?"
    rf"~?\b{_NUM}\b(?:\s+(?:or so|max|at most))?"
    r"(?:\s+(?:[a-z-]+\s+){0,3}?)(?:papers|readings|references|citations|works|articles|items|entries|picks)\b",
    re.I,
)
_COUNT_AFTER = re.compile(r"\b(?:top|best)\s+" + _NUM + r"\b", re.I)
_YEAR = r"((?:19|20)\d\d)"
_YEAR_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"\bbetween {_YEAR} and {_YEAR}\b|\b{_YEAR}\s*(?:-|–|to|through)\s*{_YEAR}\b", re.I), "range"),
    (re.compile(rf"\b(?:(?:from|since|in)\s+)?{_YEAR}\s*(?:or|and) (?:later|after|newer|more recent|onwards?|beyond)\b|\b{_YEAR}\s*(?:\+|onwards?)|\b(?:since|from|after|post|starting(?: in| from)?|no earlier than|not before)\s+{_YEAR}\b", re.I), "min"),
    (re.compile(rf"\b(?:(?:from|in|until)\s+)?{_YEAR}\s*(?:or|and) (?:earlier|before|older)\b|\b(?:before|until|up to|through|prior to|no later than|not after|pre)\s*-?\s*{_YEAR}\b", re.I), "max"),
    (re.compile(rf"\b(?:published|appeared|from|in)\s+(?:the year\s+)?{_YEAR}\b(?!\s*(?:-|–|or|and|to))", re.I), "exact"),
)
_LAST_YEARS = re.compile(r"\b(?:last|past|previous)\s+" + _NUM + r"\s+years?\b", re.I)
_EXCLUDE = re.compile(
    r"\b(?:skip|exclude|excluding|omit|omitting|leave out|leaving out|ignore|ignoring|drop|minus"
    r"|except(?: for)?|but not|apart from|no need for|not interested in|don'?t (?:include|want|need|list|cite)"
    r"|do not (?:include|want|need|list|cite)|nothing (?:on|about|from)|not (?:from|in|the|any))\s+"
    r"(?:the |any |all |those |these )?([^.;!?()]+?)(?=\s*(?:[.;!?()]|,|\bi'?ve\b|\bi have\b|\bsince\b|\bbecause\b|\bas\b|\bthat'?s\b|$))",
    re.I,
)
_ONLY = re.compile(
    r"\b(?:only|just|solely|exclusively|restricted to|limited to)\s+(?:papers\s+|things\s+)?(?:from|in|on)?\s*(?:the |my )?([a-z][\w -]{0,40}?)(?=[,.;!?)]|$|\s+(?:not|and|but|please|pls)\b)"
    r"|\b(?:from|in) (?:the |my )([a-z][\w -]{0,30}?)\s+only\b"
    r"|\b(?:in|from) (?:the |my )([a-z][\w-]*(?: (?!for\b|on\b|about\b|with\b|that\b)[a-z][\w-]*)?)",
    re.I,
)
_NEWCOMER = re.compile(
    r"\b(?:new|first[- ]year|junior|incoming|beginning|starting|fresh)\s+(?:phd\s+|grad(?:uate)?\s+|master'?s\s+|ms\s+|undergrad(?:uate)?\s+)?(?:students?|researchers?|members?|hires?|people)\b"
    r"|\bnewcomers?\b|\bbeginners?\b|\bnovices?\b|\bintroduct(?:ion|ory)\b|\bprimer\b|\bonboard"
    r"|\bnew to (?:the|this) (?:field|area|topic)\b|\bcomes? from (?:a |another |outside)|\bstarting out\b",
    re.I,
)
# The whole phrase naming the reader, to take out of the topic: 'for a new student'.
_AUDIENCE_PHRASE = re.compile(
    r"\b(?:for|to)\s+(?:an?|my|our|the)\s+(?:[\w-]+\s+){0,2}?(?:students?|researchers?|members?|hires?|newcomers?|beginners?|novices?)\b",
    re.I,
)
_EXPERT = re.compile(r"\b(?:for (?:an? )?experts?|advanced|state of the art only|cutting[- ]edge)\b", re.I)
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
    return _NUMBERS.get(word)


def read_count(text: str) -> tuple[int | None, str]:
    """'Give me the 5 most relevant papers' -> 5, and the text without that phrase."""
    for pattern in (_COUNT, _COUNT_AFTER):
        match = pattern.search(text)
        if match:
            n = _number(match.group(1))
            if n is not None and 1 <= n <= MAX_N:
                return n, _cut(text, match)
    return None, text


def read_years(text: str, today: datetime.date | None = None) -> tuple[int | None, int | None, str]:
    """'only 2021 or later' -> (2021, None); 'between 2018 and 2020' -> (2018, 2020)."""
    last = _LAST_YEARS.search(text)
    if last:
        n = _number(last.group(1))
        if n:
            year = (today or datetime.date.today()).year
            return year - n, None, _cut(text, last)
    for pattern, kind in _YEAR_RULES:
        match = pattern.search(text)
        if not match:
            continue
        years = [int(y) for y in match.groups() if y]
        rest = _cut(text, match)
        if kind == "range":
            return min(years), max(years), rest
        if kind == "min":
            after = re.search(r"\bafter|post\b", match.group(0), re.I) is not None
            return years[0] + (1 if after else 0), None, rest
        if kind == "max":
            before = re.search(r"\b(?:before|prior to|pre)\b", match.group(0), re.I) is not None
            return None, years[0] - (1 if before else 0), rest
        return years[0], years[0], rest
    return None, None, text


def _cut(text: str, match: re.Match[str]) -> str:
    return (text[: match.start()] + " " + text[match.end() :]).strip()


# Words left dangling at the end of a phrase once a constraint is cut out of it.
_TRAILING = frozenset(
    ["ones", "one", "papers", "paper", "stuff", "methods", "please", "pls", "too", "either", "published", "appeared", "max", "min", "only", "and", "or", "from", "in"]
)
_PURPOSE = re.compile(r"\s+for (?:my|our|a|an|the|his|her|their) [^,;:()]*$", re.I)


def _clean_phrase(phrase: str) -> str:
    """'the neuroscience / human-vs-machine vision ones' -> 'neuroscience / human-vs-machine vision'."""
    words = phrase.strip(" ,:-").split()
    while words and words[-1].lower() in _TRAILING:
        words.pop()
    while words and words[0].lower() in {"the", "any", "all", "those", "these", "of"}:
        words.pop(0)
    return " ".join(words)


# --- reading a request ---------------------------------------------------------------

# Words that ask for the task rather than say what it is about.
_TASK_WORDS = re.compile(
    r"\b(?:(?:can|could|would|will) you|please|pls|plz|kindly|i'?d like|i would like|i want|i need|we need|help me"
    r"|give me|put together|pull together|make me|build me|write me|draft me|show me|find me|send me|get me"
    r"|(?:a |an |the |short |brief |quick )*(?:reading[- ]?list|related[- ]work(?: section| paragraphs?)?|literature review|survey|syllabus)"
    r"|(?:a |one |two |1-2 |one or two )*(?:short |brief )?paragraphs?|draft|write(?: up)?|looking for|anything"
    r"|what should (?:i|we|she|he|they) read|what to read|papers? (?:i|we) should read|from (?:this|the|my) corpus"
    r"|in (?:this|the|my) corpus|the corpus|(?:citing|cite) only(?: corpus)?(?: papers)?|thanks?(?: you)?)\b",
    re.I,
)
# What introduces the topic after the task's words: 'on', 'that covers', 'for our ... paper'.
_LEAD = re.compile(
    r"^(?:\s*(?:that|which|what|to)?\s*(?:covers?|covering|discuss(?:es)?|on|about|regarding|concerning|around|into|of|for|re|in)(?=[\s:,])[\s:,]*"
    r"|\s*(?:some|any|good|key|the|a|an|our|my|this|her|his|their)\s+|\s*(?:papers?|readings?|works?)\s+(?=on|about|covering|regarding)"
    r"|\s*[:,-]\s*)+",
    re.I,
)
_DOCUMENT_WORDS = re.compile(
    r"\b(?:our|my|this|the|an?)\s+((?:[\w-]+\s+){0,3}?)(?:paper|project|submission|manuscript|work|abstract)\b",
    re.I,
)
_CUE_SPLIT = re.compile(r"(?<=[.?!;])\s+")
_ENUMERATION = re.compile(r"^\s*(?:;|\(?[a-z1-9]\)|the following\b)", re.I)
_CONTEXT_TOPIC = re.compile(r"\b(?:on|about|regarding|in)\s+([^.;:?!]{3,120})", re.I)
MIN_SUBTOPIC_WORDS = 1


def split_topics(text: str) -> list[str]:
    """Split at the top level (not inside parentheses) on ':', ';', commas, 'and',
    '(a)' markers, 'including', 'plus' and '/':

    'A: b, c (x, y), and d' -> ['A', 'b', 'c (x, y)', 'd'].
    """
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    tokens = re.split(r"(\(|\))", re.sub(r"\(\s*[a-z0-9]\s*\)", ";", text))
    for token in tokens:
        if token == "(":
            depth += 1
            current.append(token)
        elif token == ")":
            depth = max(0, depth - 1)
            current.append(token)
        elif depth:
            current.append(token)
        else:
            pieces = _SPLIT.split(token)
            current.append(pieces[0])
            for piece in pieces[1:]:
                parts.append("".join(current))
                current = [piece]
    parts.append("".join(current))
    return [" ".join(p.split()) for p in parts if p.strip()]


_SPLIT = re.compile(
    r"\s*(?:\b[a-z0-9]\)|;|:|\s/\s|,? and also\b|,? as well as\b|,? including\b|\bincl\.?|,? plus\b|\+|,? especially\b"
    r"|,? e\.g\.,?|,? such as\b|,? i\.e\.,?|,\s*and\b|,)\s*",
    re.I,
)


class RequestReader:
    """Reads requests against one catalog; `llm` None means the offline rules."""

    def __init__(self, terms: CatalogTerms, llm: BaseChatModel | None = None) -> None:
        self.terms = terms
        self.llm = llm

    def read(self, text: str, task: Task | None = None) -> Request:
        """The request read by the LLM when there is one and its reply validates, else
        by the rules. `task`, when given, is the task the caller already knows."""
        offline = self.read_offline(text, task)
        if self.llm is None:
            return offline
        from assistant.request_llm import read_with_llm

        read = read_with_llm(self.llm, text, offline)
        if read is None:
            return offline
        return read if task is None else read.model_copy(update={"task": task})

    def read_offline(self, text: str, task: Task | None = None) -> Request:
        text = " ".join(text.split())
        abstract, rest = _abstract(text)
        n, rest = read_count(rest)
        year_min, year_max, rest = read_years(rest)
        audience: Audience | None = None
        if _NEWCOMER.search(rest):
            audience = "newcomer"
            rest = _AUDIENCE_PHRASE.sub(" ", rest)
        elif _EXPERT.search(rest):
            audience = "expert"
        for_me = bool(_FOR_ME.search(rest))
        rest = _FOR_ME.sub(" ", rest)
        exclude, not_sources, rest = self._exclusions(rest)
        sources, rest = self._sources(rest, not_sources)
        task = task or route(text)
        if abstract:
            # The abstract says what the work is about; the words around it are instructions.
            topic, subtopics, rest = _first_words(abstract), list[str](), ""
        else:
            topic, subtopics = self._topic(rest, task)
            topic = self._expand(topic)
        queries = self._queries(topic, subtopics, rest, abstract)
        return Request(
            task=task,
            text=text,
            topic=topic,
            queries=queries,
            n=n,
            year_min=year_min,
            year_max=year_max,
            sources=sources,
            not_sources=not_sources,
            exclude=exclude,
            audience=audience,
            for_me=for_me,
            abstract=abstract,
        )

    def _exclusions(self, text: str) -> tuple[list[str], list[str], str]:
        """Subjects and source files the request leaves out."""
        subjects: list[str] = []
        files: list[str] = []
        for match in list(_EXCLUDE.finditer(text)):
            phrase = _clean_phrase(match.group(1))
            if not phrase:
                continue
            source = self.terms.source_named(phrase) if len(phrase.split()) <= 4 else None
            if source is not None:
                files.append(source.file)
            else:
                subjects += [p for p in (_clean_phrase(x) for x in re.split(r"\s+or\s+|,", phrase)) if p]
            text = text.replace(match.group(0), " ")
        return list(dict.fromkeys(subjects)), list(dict.fromkeys(files)), text

    def _sources(self, text: str, excluded: list[str]) -> tuple[list[str], str]:
        """Files the request restricts itself to ('just the feed', 'from my CV')."""
        found: list[str] = []
        for match in list(_ONLY.finditer(text)):
            phrase = next(g for g in match.groups() if g is not None)
            source = self.terms.source_named(" ".join(phrase.split()[:4]))
            if source is None or source.file in excluded:
                continue
            found.append(source.file)
            text = text.replace(match.group(0), " ")
        return list(dict.fromkeys(found)), text

    def _topic(self, text: str, task: Task) -> tuple[str, list[str]]:
        """The topic and its sub-topics, from what the constraints left of the request.

        The sentence that names the task holds the topic after the task's words ('a
        reading list on X: a, b'); a sentence of context ('I am starting a project on
        Y') still reaches the search through the whole-request query.
        """
        sentences = [s for s in _CUE_SPLIT.split(text) if s.strip()] or [text]
        found = None
        others: list[str] = []
        for i, sentence in enumerate(sentences):
            found = cue(sentence, task)
            if found is not None:
                after = sentence[found.end() :]
                before = sentence[: found.start()]
                main = after if _content(_TASK_WORDS.sub(" ", after)) else before
                others = sentences[i + 1 :]
                if not _content(_DOCUMENT_WORDS.sub(" ", _TASK_WORDS.sub(" ", main))):
                    # 'We study X. Draft related work.': the topic is the other sentences.
                    main = " ".join(s for s in sentences if s is not sentence)
                    others = []
                break
        else:
            main, others = sentences[0], sentences[1:]
        main = _TASK_WORDS.sub(" ", main)
        main = _DOCUMENT_WORDS.sub(lambda m: " " + m.group(1), main)
        main = _LEAD.sub("", " ".join(main.split()))
        if _ENUMERATION.match(main) and found is not None:
            # 'a list that covers (a) X, (b) Y': the topic is in the context before it.
            context = " ".join(sentences[: sentences.index(sentence)]) + " " + before
            named = _CONTEXT_TOPIC.search(context)
            if named:
                main = f"{_PURPOSE.sub('', named.group(1))}: {main}"
        parts = [_clean_phrase(_LEAD.sub("", p)) for p in _with_parentheticals(split_topics(main))]
        parts = [p.strip(" ?.!") for p in parts if _content(p) >= 1]
        if not parts:
            return _clean_phrase(main).strip(" ?.!"), []
        head, tail = parts[0], parts[1:]
        if _content(_PURPOSE.sub("", head)) >= 2:
            head = _PURPOSE.sub("", head)
        # Later sentences often list what the topic covers ('What covers A, B and C?').
        for sentence in others:
            cleaned = _LEAD.sub("", " ".join(_TASK_WORDS.sub(" ", sentence).split()))
            tail += [_clean_phrase(_LEAD.sub("", p)).strip(" ?.!") for p in split_topics(cleaned)]
        subtopics = [p for p in tail if _content(p) >= MIN_SUBTOPIC_WORDS or acronyms_in(p)]
        return head, subtopics

    def _queries(
        self, topic: str, subtopics: list[str], rest: str, abstract: str | None
    ) -> list[str]:
        """The topic first, then the whole request, its sub-topics and the abstract's
        sentences; acronyms the corpus defines are written out beside themselves."""
        whole = _LEAD.sub("", " ".join(_TASK_WORDS.sub(" ", rest).split()))
        queries = [topic, whole, *subtopics]
        if abstract:
            from retrieval.text import split_sentences

            queries = [abstract, *split_sentences(abstract)[:6], *queries]
        out: list[str] = []
        for query in queries:
            query = " ".join(query.split()).strip(" ,.;:?!")
            if _content(query) == 0:
                continue
            out.append(self._expand(query))
        return list(dict.fromkeys(out))

    def _expand(self, query: str) -> str:
        for acronym in acronyms_in(query):
            expansion = self.terms.expand(acronym)
            if expansion and expansion.lower() not in query.lower():
                query = re.sub(rf"\b{re.escape(acronym)}s?\b", f"{acronym} ({expansion})", query, count=1)
        return query


def read_offline(catalog: Catalog, text: str, task: Task | None = None) -> Request:
    """A request read by the rules against a catalog (no LLM)."""
    return RequestReader(CatalogTerms(catalog)).read_offline(text, task)


def _with_parentheticals(parts: list[str]) -> list[str]:
    """A list in parentheses is sub-topics too: 'DP-FL (privacy of client updates,
    gradient inversion)' -> ['DP-FL', 'privacy of client updates', 'gradient inversion']."""
    out: list[str] = []
    for part in parts:
        inner = re.search(r"\(([^()]*,[^()]*)\)", part)
        if inner:
            out.append((part[: inner.start()] + part[inner.end() :]).strip())
            out += [p for p in split_topics(inner.group(1)) if p]
        else:
            out.append(part)
    return out


def _first_words(text: str, words: int = 12) -> str:
    """The start of the first sentence, as a short topic for a pasted abstract."""
    first = re.split(r"(?<=[.?!])\s+", text.strip())[0]
    return " ".join(first.split()[:words]).rstrip(".,;:")


def _abstract(text: str) -> tuple[str | None, str]:
    """An abstract pasted into the request (quoted, or after 'Abstract:'), and the rest."""
    match = _QUOTED.search(text)
    if match and len(match.group(1).split()) >= 15:
        return match.group(1).strip(), _cut(text, match)
    label = _ABSTRACT_LABEL.search(text)
    if label and len(label.group(1).split()) >= 15:
        return label.group(1).strip(" '\"“”"), text[: label.start()].strip()
    return None, text


def _content(text: str) -> int:
    return sum(1 for w in re.findall(r"[a-z][a-z0-9'-]*", text.lower()) if w not in STOPWORDS)
