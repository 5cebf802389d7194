"""The offline answer: which sources can answer, and the sentences quoted from them.

Without an LLM the assistant answers by quoting the corpus. This module decides whether
the retrieved passages hold what was asked (the named paper, the asked field, the
question's rare terms) and, if they do, builds the quoted answer with a citation after
every sentence. `assistant.ask.Asker` checks its citations and wraps it in an `Answer`.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.answerability import (
    FIELD_LINES,
    Verdict,
    asked_fields,
    check_named_paper,
    code_links,
    count_supported,
    field_lines,
    missing_sentence,
    unsaid,
)
from assistant.answerable import answerable
from assistant.answers import NumberedSource
from assistant.asked_values import (
    lacks_field,
    lacks_institution,
    lacks_name,
    lacks_person,
    lacks_value,
    lacks_venue,
    names_person,
    person_asked,
)
from assistant.catalog_terms import SourceFile
from assistant.citations import INSUFFICIENT
from assistant.extractive import (
    ANSWER_PASSAGES,
    SHORT_QUESTION_TERMS,
    Extract,
    Vocabulary,
    best_sentences,
    complement,
    each_part,
    question_terms,
    units,
    widen,
)
from assistant.named_attributes import unsaid_of_named
from assistant.named_sources import files_named
from assistant.origin import is_origin_question
from assistant.render import byline
from assistant.sections import answering_section, entries
from assistant.speaker import is_first_person
from assistant.thresholds import Thresholds
from assistant.titles import TitleIndex, unquoted
from assistant.works_of import AuthorIndex, by_all, by_any, works_asked
from retrieval.terms import terms

MIN_EXTRACT_SCORE = 0.15
DESCRIBING_TERMS = 2 * SHORT_QUESTION_TERMS
EXTRACT_RATIO = 0.6
MAX_EXTRACT_SOURCES = 4
# Sentences looked at per source; the third is quoted only when it adds a question term.
PER_SOURCE = 3
OFFLINE_NOTE = (
    "*Offline answer: sentences quoted from your corpus, not written by a model "
    "(set OPENAI_API_KEY or RA_LLM_BASE_URL for a written answer).*"
)


@dataclass(frozen=True)
class Lookups:
    """What the offline answer knows of the whole corpus, built once per index."""

    vocab: Vocabulary
    titles: TitleIndex
    thresholds: Thresholds
    people: frozenset[str] = frozenset()  # the words of author names, lower case
    authors: AuthorIndex | None = None
    venues: frozenset[str] = frozenset()  # the catalog's venues, folded
    me: frozenset[str] = frozenset()  # the researcher's names (assistant/speaker.py)
    files: tuple[SourceFile, ...] = ()  # the corpus's files and the words naming them


def offline_text(
    standalone: str, sources: list[NumberedSource], passages: list[str], lookups: Lookups
) -> tuple[str, str | None]:
    """The quoted answer and None, or a refusal text and the reason to show (None for the
    plain 'not enough evidence' refusal)."""
    vocab, titles, thresholds = lookups.vocab, lookups.titles, lookups.thresholds
    sims = [s.hit.similarity for s in sources if s.hit.similarity is not None]
    verdict = check_named_paper(standalone, titles)
    if verdict.refusal is not None:
        return verdict.refusal, verdict.refusal
    # A question of ten or more content words describes a paper to find ('How many
    # parameters does a problem really need, measured by training in a random
    # subspace?'): its count, year or 'one line of code' is part of the description,
    # not the answer.
    # ... not counting the words that name a file ('according to my statement')
    naming = vocab.source_words | {w for f in lookups.files for w in f.words}
    describes = len(question_terms(unquoted(standalone), naming)) >= DESCRIBING_TERMS
    if not describes and not count_supported(standalone, passages, vocab.source_words):
        return INSUFFICIENT, None
    nothing = unsaid(standalone, verdict, source_pairs(sources, passages))
    if nothing is not None:
        return nothing, nothing
    # A person's papers are listed from the catalog: what else the question says of
    # them ('everything ... from any source') need not be in a passage.
    works = _works_answer(standalone, sources, lookups.authors)
    if works is not None and not verdict.fields:
        return works, None
    apart = unsaid_of_named(standalone, passages, vocab)
    if apart is not None:
        return apart, apart
    if verdict.fields:
        fields = _fields_answer(verdict, sources)
        if fields is not None:
            return fields, None
    if works is not None:
        return works, None
    # A passage 'holds' the name of its file too: 'the Google page', 'my CV'.
    evidence = [f"{s.hit.chunk.file}\n{p}" for s, p in zip(sources, passages, strict=True)]
    best = max(sims) if sims else None
    own = is_first_person(standalone) and any(
        _own(s, lookups.me) for s in sources[:ANSWER_PASSAGES]
    )
    if not answerable(standalone, evidence, best, vocab, thresholds, own=own):
        return INSUFFICIENT, None
    extracts = best_sentences(standalone, passages, vocab, per_source=PER_SOURCE)
    mine = {s.n for s in sources if _own(s, lookups.me)} if own else set()
    keep = _close_to_best([e for e in extracts if e.n not in mine]) + _close_to_best(
        [e for e in extracts if e.n in mine]
    )
    keep.sort(key=extracts.index)
    keep = widen(standalone, keep, extracts, vocab)
    keep += each_part(standalone, keep, passages, vocab, MIN_EXTRACT_SCORE, mine or None)
    keep += _beside_titles(keep, extracts, sources)
    keep += _fields_of_first(standalone, keep, extracts)
    keep += _persons_named(standalone, keep, sources, passages, lookups)
    files = [s.hit.chunk.file for s in sources]
    other = complement(standalone, keep, extracts, files, vocab, MIN_EXTRACT_SCORE)
    lines = []
    # A list section headed by what is asked answers with its entries, first.
    # ... from a file the question names, if it names one ('per my statement').
    named = files_named(standalone, lookups.files)
    section = answering_section(
        standalone,
        [
            p if not named or s.hit.chunk.file in named else ""
            for s, p in zip(sources, passages, strict=True)
        ],
        vocab,
    )
    if section is not None:
        listed = sources[section]
        items = "".join(f"\n  - {cite(e, listed.n)}" for e in entries(passages[section]))
        lines.append(f"- **{listed.title}**:{items}")
    for n in dict.fromkeys(e.n for e in keep):
        if section is not None and n == section + 1:
            continue
        source = sources[n - 1]
        quoted = [cite(e.sentence, n) for e in keep if e.n == n and e.sentence != source.title]
        if quoted:
            lines.append(f"- **{source.title}**{byline(source.hit.paper)}: " + " ".join(quoted))
    if not lines:
        return INSUFFICIENT, None
    lines = lines[:MAX_EXTRACT_SOURCES]
    if other is not None:
        # the other file's part of the answer is quoted even when four are shown
        lines = lines[: MAX_EXTRACT_SOURCES - 1]
        source = sources[other.n - 1]
        lines.append(
            f"- **{source.title}**{byline(source.hit.paper)}: " + cite(other.sentence, other.n)
        )
    text = OFFLINE_NOTE + "\n\n" + "\n".join(lines)
    lacking = (
        (None if describes else lacks_value(standalone, text, vocab))
        or lacks_person(standalone, text, lookups.people)
        or lacks_venue(standalone, text, lookups.venues)
        or lacks_name(standalone, text, vocab)
        or lacks_institution(standalone, text, vocab)
        or lacks_field(standalone, text, vocab, describes)
    )
    if lacking is not None:
        return lacking, lacking
    return text, None


def _own(source: NumberedSource, me: frozenset[str]) -> bool:
    """A section of the researcher's own CV or statement."""
    return source.hit.chunk.kind == "profile" and bool(set(source.hit.chunk.authors) & me)


def _close_to_best(extracts: list[Extract]) -> list[Extract]:
    """The quotes scoring close to the best one: a quote list padded with weak matches
    reads as noise. A first-person question's own files are cut against their own best
    quote, apart: 'my current position and focus' is answered by the CV's lines, whatever
    a paper's abstract says of 'current' and 'focus'."""
    top = max((e.score for e in extracts), default=0.0)
    return [e for e in extracts if e.score >= max(MIN_EXTRACT_SCORE, EXTRACT_RATIO * top)]


def _persons_named(
    question: str,
    keep: list[Extract],
    sources: list[NumberedSource],
    passages: list[str],
    lookups: Lookups,
) -> list[Extract]:
    """For a 'who' question, a line of a quoted CV or statement section that names a
    person in the role asked ('Advisor: Prof. X' for 'who advised it', 'supervised by
    Prof. Y' for 'who supervises them'): it shares a word with the question. A person
    in another role ('who sat on my thesis committee') is not taken for the answer."""
    if not lookups.people or not person_asked(question):
        return []
    wanted = set(question_terms(question, lookups.vocab.source_words))
    out: list[Extract] = []
    for n in dict.fromkeys(e.n for e in keep):
        if sources[n - 1].hit.chunk.kind != "profile":
            continue
        if any(names_person(question, e.sentence, lookups.people) for e in keep if e.n == n):
            continue
        lines = units(passages[n - 1])[1:]  # the first is the section's heading
        named = [
            u for u in lines if names_person(question, u, lookups.people) and wanted & set(terms(u))
        ]
        if named:
            out.append(Extract(n, named[0], 0.0))
    return out


def _fields_of_first(question: str, keep: list[Extract], extracts: list[Extract]) -> list[Extract]:
    """The asked record lines ('Published: BMVC 2015') of the best-ranked source, when the
    question asks for a venue, year or authors: the paper the search ranks first is the
    one asked about more often than the one whose other words match best."""
    prefixes = tuple(p for f in asked_fields(question) for p in FIELD_LINES[f])
    if not prefixes:
        return []
    return [e for e in extracts if e.n == 1 and e.sentence.startswith(prefixes) and e not in keep]


def _beside_titles(
    keep: list[Extract], extracts: list[Extract], sources: list[NumberedSource]
) -> list[Extract]:
    """For each source kept only for its title (which the answer shows in bold anyway),
    its best other sentence: the paper matched, and the answer must say what it does."""
    quoted = {e.n for e in keep if e.sentence != sources[e.n - 1].title}
    titled = {e.n for e in keep} - quoted
    out: list[Extract] = []
    for n in sorted(titled):
        rest = [
            e
            for e in extracts
            if e.n == n and e.sentence != sources[n - 1].title and e.score >= MIN_EXTRACT_SCORE
        ]
        if rest:
            out.append(max(rest, key=lambda e: e.score))
    return out


def _works_answer(
    question: str, sources: list[NumberedSource], authors: AuthorIndex | None
) -> str | None:
    """The papers of the people whose works the question asks for, each with its authors
    and venue lines; None when it asks for none, or the sources hold none of theirs. 'Which
    paper first showed X' is left to the origin checks, whoever it names."""
    names = works_asked(question, authors) if authors and not is_origin_question(question) else []
    if not names:
        return None
    listed = [s for s in sources if by_all(s.hit.paper, names)]
    listed = listed or [s for s in sources if by_any(s.hit.paper, names)]
    if not listed:
        return None
    lines = []
    for source in listed:
        fields = field_lines(source.hit.chunk.text, ["authors", "venue"])
        quoted = " ".join(cite(line, source.n) for line in fields) or cite(source.title, source.n)
        lines.append(f"- **{source.title}**: {quoted}")
    return OFFLINE_NOTE + "\n\n" + "\n".join(lines)


def _fields_answer(verdict: Verdict, sources: list[NumberedSource]) -> str | None:
    """The asked fields of the named paper, quoted from its chunk, or None if not found."""
    assert verdict.paper is not None
    for source in sources:
        if source.paper_id == verdict.paper.id:
            lines = field_lines(source.hit.chunk.text, verdict.fields)
            if "code" in verdict.fields:
                lines += [f"Code: {url}" for url in code_links(verdict.paper)]
            if not lines:
                return None
            quoted = " ".join(cite(line, source.n) for line in lines)
            note = missing_sentence(verdict.paper, verdict.missing)
            body = f"- **{source.title}**: {quoted}" + (f"\n\n{note}" if note else "")
            return OFFLINE_NOTE + "\n\n" + body
    return None


def source_pairs(sources: list[NumberedSource], passages: list[str]) -> list[tuple[str, str, str]]:
    """(paper id, title, passage) of each source, for the checks in assistant/answerability.py."""
    return [(s.paper_id or "", s.title, p) for s, p in zip(sources, passages, strict=True)]


def cite(sentence: str, n: int) -> str:
    """'It works.' -> 'It works [3].'"""
    body = sentence.rstrip()
    end = body[-1] if body and body[-1] in ".!?" else "."
    return f"{body.rstrip('.!?')} [{n}]{end}"
