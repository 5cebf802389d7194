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

import re
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from assistant.catalog_terms import CatalogTerms, acronyms_in
from assistant.constraints import (
    PURPOSE,
    clean_phrase,
    read_abstract,
    read_audience,
    read_count,
    read_exclusions,
    read_for_me,
    read_sources,
    read_years,
)
from assistant.phrasing import MAX_N, Audience, Task, content_count, cue, first_words, route
from retrieval.terms import content_words

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from retrieval.catalog import Catalog


class Request(BaseModel):
    """A request read into its task, queries and constraints."""

    task: Task = Field(description="What to do: answer, reading list, draft, triage, profile.")
    text: str = Field(description="The request as typed.")
    topic: str = Field(default="", description="What it is about, in a few words.")
    queries: list[str] = Field(default_factory=list, description="Searches whose results fuse.")
    n: int | None = Field(
        default=None, ge=1, le=MAX_N, description="How many papers were asked for."
    )
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


# --- reading a request ---------------------------------------------------------------

# Words that ask for the task rather than say what it is about.
_TASK_WORDS = re.compile(
    r"\b(?:(?:can|could|would|will) you|please|pls|plz|kindly|i'?d like|i would like|i want|i need|we need|need|help me"
    r"|give me|put together|pull together|make me|build me|write me|draft me|show me|find me|send me|get me"
    r"|recommend|suggest|compile|curate|position(?:ing)?|(?:to )?(?:get into|get started (?:with|on)|dive into|learn(?: more)? about|catch up on)|(?:what )?(?:has |have )?(?:come out|been published)(?: recently| lately)?|(?:newest|oldest|most recent|latest) first|chronological(?:ly)?"
    r"|(?:against|relative to|with respect to|versus) (?:the )?(?:prior|previous|existing|related) (?:work|literature)"
    r"|(?:a |an |the |short |brief |quick )*(?:reading[- ]?list|related[- ]work(?: section| paragraphs?)?|lit(?:erature)? review|survey|syllabus)"
    r"|(?:a |one |two |three |four |[1-4] |1-2 |one or two )*(?:short |brief )?paragraphs?|draft|write(?: up)?|looking for|anything"
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
_REPEATED_COMMAS = re.compile(r"\s*,(?:\s*,)+")
_ORPHANS = re.compile(r"(?:\s*[,;]\s*(?:and|or)?)+(?=\s*(?:[.?!]|$))|(?<=[.?!])\s*,", re.I)
_TOPIC_INTRO = re.compile(
    r"\b(?:papers?|readings?|literature|things|references|(?:prior|previous|existing|related) work)\s+(?:on|about|regarding|covering|concerning)\s+",
    re.I,
)
# What a paper's own abstract says it does: 'shows that X' is about X.
_CLAIM_VERB = re.compile(
    r"^\s*(?:(?:we|i|that|which|who)\s+)?(?:shows?|showing|argues?|arguing|finds?|finding|proves?|proving"
    r"|demonstrates?|demonstrating|proposes?|proposing|study|studies|studying|introduces?|introducing|presents?"
    r"|presenting|analy[sz]es?|analy[sz]ing|investigates?|investigating|examines?|examining|explores?|exploring)"
    r"\s+(?:that\s+|how\s+|whether\s+)?",
    re.I,
)
# 'a paragraph we can drop into the paper': a clause about the text asked for, no topic.
_RELATIVE = re.compile(
    r"^\s*(?:that |which )?(?:we|i|you|they) (?:can|could|will|would|might|may|should|could)\b.*$",
    re.I | re.S,
)
_FIRST_PERSON = re.compile(r"\s*(?:i|i'm|i am|we|we're|we are|my|our)\b", re.I)
# 'a seminar on X', 'our project about X': what the speaker's work is on.
_FRAMED_TOPIC = re.compile(
    r"\b(?:a|an|the|my|our|this|some)\s+(?:[\w-]+\s+){0,3}?(?:on|about|regarding|concerning)\s+([^.;:?!]{3,120})",
    re.I,
)
_CONTEXT_TOPIC = re.compile(r"\b(?:on|about|regarding|in)\s+([^.;:?!]{3,120})", re.I)
MIN_SUBTOPIC_WORDS = 1
# Requests shorter than this are topics ('label smoothing'): the rules read them whole,
# and the model is not asked.
LLM_READS_FROM_WORDS = 6


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
    r"\s*(?:\b[a-z0-9]\)|;|:|\s/\s|,? and also\b|,? as well as\b|,? including\b|\bincl\b\.?|,? plus\b|\+|,? especially\b"
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
        if self.llm is None or len(text.split()) < LLM_READS_FROM_WORDS:
            return offline  # a short topic holds no constraint for a model to find
        from assistant.request_llm import read_with_llm

        read = read_with_llm(self.llm, text, offline)
        if read is None:
            return offline
        return read if task is None else read.model_copy(update={"task": task})

    def read_offline(self, text: str, task: Task | None = None) -> Request:
        text = " ".join(text.split())
        abstract, rest = read_abstract(text)
        n, rest = read_count(rest)
        year_min, year_max, rest = read_years(rest)
        audience, rest = read_audience(rest)
        for_me, rest = read_for_me(rest)
        exclude, not_sources, rest = read_exclusions(rest, self.terms)
        sources, rest = read_sources(rest, self.terms, not_sources)
        task = task or route(text)
        if abstract:
            # The abstract says what the work is about; the words around it are instructions.
            topic, subtopics, rest = first_words(abstract), list[str](), ""
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
                # 'What should I read to get up to speed on X': a second way of naming
                # the task before any topic word is part of the task, not the topic.
                while (again := cue(after, task)) and not content_count(
                    _TASK_WORDS.sub(" ", after[: again.start()])
                ):
                    after = after[again.end() :]
                before = sentence[: found.start()]
                # 'the key papers on X I should read before my exam': the topic is
                # before the cue when that side introduces it.
                intro = _TOPIC_INTRO.search(before)
                main = after if _says_something(after) and not intro else before
                if intro and main is before:
                    main = before[intro.end() :]
                others = sentences[i + 1 :]
                if not _says_something(main):
                    # 'We study X. Draft related work.': the topic is the other sentences.
                    main = " ".join(s for s in sentences if s is not sentence)
                    others = []
                break
        else:
            main, others = sentences[0], sentences[1:]
        # 'I am preparing a seminar on X. Can you recommend ...?', 'I work in a lab on X;
        # what should I read?': a first-person sentence of context names the topic, and
        # so does 'a ... about X' in a request whose task words were cut with a count.
        framed = (_FIRST_PERSON.match(main) or found is None) and (
            _TOPIC_INTRO.search(main) or _FRAMED_TOPIC.search(main)
        )
        if framed:
            main = PURPOSE.sub("", framed.group(1) if framed.groups() else main[framed.end() :])
        # 'X I should read': a cue with nothing after it ends the topic.
        while (
            (tail_cue := cue(main, task))
            and tail_cue.start() > 0
            and not _says_something(PURPOSE.sub("", _undocument(main[tail_cue.end() :])))
        ):
            main = main[: tail_cue.start()]
        main = _TASK_WORDS.sub(" ", main)
        main = _undocument(main)
        main = _CLAIM_VERB.sub("", _LEAD.sub("", " ".join(main.split())))
        if _ENUMERATION.match(main) and found is not None:
            # 'a list that covers (a) X, (b) Y': the topic is in the context before it.
            context = " ".join(sentences[: sentences.index(sentence)]) + " " + before
            named = _CONTEXT_TOPIC.search(context)
            if named:
                main = f"{PURPOSE.sub('', named.group(1))}: {main}"
        parts = [clean_phrase(_LEAD.sub("", p)) for p in _with_parentheticals(split_topics(main))]
        parts = [p.strip(" ?.!") for p in parts if content_count(p) >= 1]
        if not parts:
            return clean_phrase(main).strip(" ?.!"), []
        head, tail = parts[0], parts[1:]
        if content_count(PURPOSE.sub("", head)) >= 2:
            head = PURPOSE.sub("", head)
        # Later sentences often list what the topic covers ('What covers A, B and C?').
        for sentence in others:
            cleaned = _LEAD.sub("", " ".join(_TASK_WORDS.sub(" ", sentence).split()))
            tail += [clean_phrase(_LEAD.sub("", p)).strip(" ?.!") for p in split_topics(cleaned)]
        subtopics = [p for p in tail if content_count(p) >= MIN_SUBTOPIC_WORDS or acronyms_in(p)]
        return head, subtopics

    def _queries(
        self, topic: str, subtopics: list[str], rest: str, abstract: str | None
    ) -> list[str]:
        """The topic first, then the whole request, its sub-topics and the abstract's
        sentences; acronyms the corpus defines are written out beside themselves."""
        whole = _LEAD.sub("", " ".join(_TASK_WORDS.sub(" ", rest).split()))
        # Commas and 'and's left where constraints were cut out: 'X. , , and' -> 'X.'
        whole = _ORPHANS.sub("", _REPEATED_COMMAS.sub(",", whole))
        # ... and sentences that were all constraint: 'Only things published since 2020.'
        whole = " ".join(
            s for s in _CUE_SPLIT.split(whole) if content_count(clean_phrase(s).strip(" ?.!"))
        )
        queries = [topic, whole, *subtopics]
        if abstract:
            from retrieval.text import split_sentences

            queries = [abstract, *split_sentences(abstract)[:6], *queries]
        out: list[str] = []
        for query in queries:
            query = " ".join(query.split()).strip(" ,.;:?!")
            # '8-10' or '5' left where a count was cut out is no topic
            if not any(not w.isdigit() for w in content_words(query)):
                continue
            out.append(self._expand(query))
        return list(dict.fromkeys(out))

    def _expand(self, query: str) -> str:
        for acronym in acronyms_in(query):
            expansion = self.terms.expand(acronym)
            if expansion and expansion.lower() not in query.lower():
                query = re.sub(
                    rf"\b{re.escape(acronym)}s?\b", f"{acronym} ({expansion})", query, count=1
                )
        return query


def _undocument(text: str) -> str:
    """'our pruning paper' is about pruning; 'a workshop paper' says nothing of its topic."""
    return _DOCUMENT_WORDS.sub(
        lambda m: " " if m.group(0).lower().startswith(("a ", "an ", "the ")) else " " + m.group(1),
        text,
    )


def _says_something(text: str) -> bool:
    """Whether a stretch of a request has topic words once its task words and
    leftovers ('citing only things in my corpus') are taken out."""
    text = _RELATIVE.sub("", PURPOSE.sub("", " " + _undocument(_TASK_WORDS.sub(" ", text))))
    return content_count(clean_phrase(_LEAD.sub("", text.strip())).strip(" ?.!")) > 0


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
