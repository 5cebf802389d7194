"""Answering a question: retrieve, decide whether the corpus can answer, generate (LLM,
streaming) or extract (offline), check every citation, render references.

`Asker.ask()` yields events so the CLI can stream tokens and the TUI can update a
message as it arrives; the last event is always `Done` with the checked `Answer`.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.answerability import check_named_paper, unsaid
from assistant.answers import Answer, Citation, NumberedSource
from assistant.citations import INSUFFICIENT, check_citations, embedding_support, is_refusal
from assistant.errors import AnswerInterrupted, EmptyAnswer
from assistant.finding import Finder
from assistant.grounding import ground, mark_uncited, unmark
from assistant.llm import rejects_stream_options
from assistant.named_attributes import unsaid_of_named
from assistant.offline_answer import offline_text, source_pairs
from assistant.origin import origin_absent, origin_name
from assistant.thresholds import model_of, thresholds_for
from assistant.usage import Usage, estimated_usage, usage_of
from prompts import SourcePassage, format_sources, load_prompt
from retrieval.hybrid import Hit, HybridSearcher
from retrieval.query import check_query

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import BaseMessage, BaseMessageChunk


@dataclass(frozen=True)
class Token:
    """A piece of the answer as the model streams it (raw: not yet cite-checked)."""

    text: str


@dataclass(frozen=True)
class Status:
    """What the assistant is doing now: 'searching', 'writing', 'checking citations'."""

    text: str


@dataclass(frozen=True)
class Done:
    answer: Answer


Event = Token | Status | Done


@dataclass(frozen=True)
class Turn:
    """One earlier exchange, for rewriting follow-up questions."""

    question: str
    answer: str


class Asker:
    """Answers questions over one searcher, with an LLM when one is given, else offline."""

    def __init__(
        self,
        searcher: HybridSearcher,
        *,
        llm: BaseChatModel | None = None,
        model_name: str = "",
        embeddings: Embeddings | None = None,
        k: int = 8,
        profile_globs: str | None = None,
    ) -> None:
        self.searcher = searcher
        self.llm = llm
        self.model_name = model_name
        self.embeddings = embeddings
        self.k = k
        self.thresholds = thresholds_for(model_of(embeddings))
        self.finder = Finder(searcher, self.thresholds, profile_globs)
        self.stream_usage = True  # off once the server refused `stream_options`

    def answer(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        """The checked answer to `question`, without the stream of events `ask` gives."""
        return next(e.answer for e in self.ask(question, history) if isinstance(e, Done))

    def ask(
        self, question: str, history: Sequence[Turn] = (), *, resume: str = ""
    ) -> Iterator[Event]:
        """Answer `question`; yields Status and Token events, then Done.

        `resume` is an answer that was cut off (a length limit, a crash): the model
        continues it instead of starting over, and Done has the whole text.
        """
        question = check_query(question)
        usage: Usage | None = None
        standalone = question
        if self.llm is not None and history:
            yield Status("rewriting the follow-up question")
            standalone, usage = self._condense(question, history)
        # a slip ('botleneck') is read as the corpus's word; the answer shows what was read
        standalone = self.finder.speller.respell(standalone)
        yield Status("searching your corpus")
        found, hits = self.finder.hits(standalone, self.k)
        sources = [NumberedSource(n, hit) for n, hit in enumerate(hits, 1)]
        passages = [hit.chunk.text for hit in hits]
        # Follow-ups that name an idea are no answer to who introduced it.
        name = origin_name(standalone)
        spelled = self.finder.spelled(name) if name else None
        absent = origin_absent(standalone, found, self.finder.vocabulary, spelled)
        if absent is not None:
            mode = "llm" if self.llm is not None else "extractive"
            yield Done(
                self._finish(
                    question, standalone, absent, mode, sources, passages, usage, reason=absent
                )
            )
            return
        if self.llm is None:
            yield from self._extractive(question, standalone, sources, passages)
            return
        # A model given a neighbour of an absent paper, or a record without the asked
        # field, writes the answer anyway: the catalog decides before it is asked.
        verdict = check_named_paper(standalone, self.finder.titles)
        missing = (
            verdict.refusal
            or unsaid(standalone, verdict, source_pairs(sources, passages))
            or unsaid_of_named(standalone, passages, self.finder.vocabulary)
        )
        if missing is not None:
            yield Done(
                self._finish(
                    question, standalone, missing, "llm", sources, passages, usage, reason=missing
                )
            )
            return
        yield Status("writing")
        text, gen_usage, reason = yield from self._generate(standalone, sources, unmark(resume))
        usage = gen_usage if usage is None else (usage + gen_usage if gen_usage else usage)
        yield Status("checking citations")
        answer = self._finish(question, standalone, text, "llm", sources, passages, usage)
        answer.finish_reason = reason
        yield Done(answer)

    def _condense(self, question: str, history: Sequence[Turn]) -> tuple[str, Usage | None]:
        assert self.llm is not None
        lines = []
        for turn in history[-4:]:
            lines.append(f"User: {turn.question}\nAssistant: {turn.answer[:600]}")
        prompt = load_prompt("condense").format(history="\n\n".join(lines), question=question)
        message = self.llm.invoke(prompt)
        text = str(message.content).strip().strip('"') or question
        return text, usage_of(getattr(message, "usage_metadata", None), self.model_name)

    def _generate(
        self, question: str, sources: list[NumberedSource], resume: str = ""
    ) -> Generator[Event, None, tuple[str, Usage | None, str | None]]:
        """Stream the model's answer; returns its text, usage and finish_reason."""
        from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

        assert self.llm is not None
        system = load_prompt("answer_system").format(sentinel=INSUFFICIENT)
        user = load_prompt("answer_user").format(
            sources=format_sources([_passage(s) for s in sources]), question=question
        )
        messages: list[BaseMessage] = [SystemMessage(system), HumanMessage(user)]
        if resume:
            messages += [AIMessage(resume), HumanMessage(load_prompt("continue_answer").text)]
        parts: list[str] = []
        usage: Usage | None = None
        reason: str | None = None
        reported = False
        for chunk in self._stream(messages):
            piece = text_of(chunk.content)
            if piece:
                parts.append(piece)
                yield Token(piece)
            meta = getattr(chunk, "usage_metadata", None)
            if meta:
                usage = usage_of(meta, self.model_name)
            reported = reported or bool(chunk.response_metadata)
            reason = chunk.response_metadata.get("finish_reason") or reason
        # An OpenAI-compatible stream ends with a finish_reason; one cut off mid-answer
        # just stops. (Models that report no metadata at all, like test fakes, are
        # taken at their word.)
        if reported and not reason:
            raise AnswerInterrupted("The LLM stream ended before the answer was complete.")
        text = "".join(parts)
        if not (resume + text).strip():
            raise EmptyAnswer("The LLM returned an empty answer.")
        if usage is None and reported:  # a server that ignores stream_options.include_usage
            prompt = [str(m.content) for m in messages]
            usage = estimated_usage(prompt, text, self.model_name)
        return resume + text, usage, reason

    def _stream(self, messages: list[BaseMessage]) -> Iterator[BaseMessageChunk]:
        """The model's stream; a 400 before the first chunk is retried once without
        asking for usage in the stream, which some servers refuse."""
        assert self.llm is not None
        started = False
        chunks = (
            self.llm.stream(messages)
            if self.stream_usage
            else self.llm.stream(messages, stream_usage=False)
        )
        try:
            for chunk in chunks:
                started = True
                yield chunk
        except Exception as exc:
            if started or not self.stream_usage or not rejects_stream_options(exc):
                raise
            self.stream_usage = False  # this server's answer will not change: ask once
            yield from self.llm.stream(messages, stream_usage=False)

    def _extractive(
        self,
        question: str,
        standalone: str,
        sources: list[NumberedSource],
        passages: list[str],
    ) -> Iterator[Event]:
        yield Done(self._offline(question, standalone, sources, passages))

    def _offline(
        self,
        question: str,
        standalone: str,
        sources: list[NumberedSource],
        passages: list[str],
    ) -> Answer:
        """The offline answer: sentences quoted from the sources, or a refusal."""
        text, reason = offline_text(standalone, sources, passages, self.finder.lookups)
        return self._finish(
            question, standalone, text, "extractive", sources, passages, None, reason=reason
        )

    def _finish(
        self,
        question: str,
        standalone: str,
        text: str,
        mode: str,
        sources: list[NumberedSource],
        passages: list[str],
        usage: Usage | None,
        *,
        reason: str | None = None,
    ) -> Answer:
        refused = reason is not None or is_refusal(text)
        support: Callable[[list[tuple[str, int]]], list[float]] | None = None
        if mode == "extractive" and not refused:
            support = _quoted  # every sentence is a quote of the passage it cites
        elif self.embeddings is not None and not refused:
            support = embedding_support(self.embeddings.embed_documents, passages)
        weak = self.thresholds.weak_support
        checked = check_citations(text, len(sources), support=support, weak_threshold=weak)
        best: dict[int, float | None] = {}
        for sentence in checked.sentences:
            for n in sentence.numbers:
                prev = best.get(n)
                if sentence.support is None:
                    best.setdefault(n, None)
                elif prev is None or sentence.support > prev:
                    best[n] = sentence.support
        citations = [
            Citation(n, sources[n - 1], best.get(n), _below(best.get(n), weak))
            for n in checked.used
        ]
        shown = checked.text
        grounded, fallback = True, None
        uncited: tuple[str, ...] = ()
        unknown: tuple[str, ...] = ()
        if mode == "llm" and not refused:
            grounding = ground(checked, self.finder.references, weak)
            grounded, uncited, unknown = (
                grounding.grounded,
                grounding.uncited,
                grounding.unknown_references,
            )
            shown = mark_uncited(shown, uncited)
            if not grounded:
                fallback = self._offline(question, standalone, sources, passages)
        return Answer(
            question=question,
            text=shown if not refused else (reason or INSUFFICIENT),
            mode=mode,
            refused=refused,
            sources=sources,
            citations=[] if refused else citations,
            removed_citations=list(checked.removed),
            usage=usage,
            standalone_question=standalone if standalone != question else None,
            searched=standalone,
            grounded=grounded,
            uncited_sentences=list(uncited),
            unknown_references=list(unknown),
            fallback=fallback,
        )


def _below(support: float | None, threshold: float) -> bool:
    return support is not None and support < threshold


def text_of(content: object) -> str:
    """The text of a streamed delta: a string, or the text parts of a list of content
    blocks (some servers send `[{"type": "text", "text": "..."}]`); anything else is
    no text. "Hi" -> "Hi"; [{"type": "text", "text": "Hi"}, {"type": "image"}] -> "Hi"."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            part if isinstance(part, str) else str(part.get("text") or "")
            for part in content
            if isinstance(part, str) or (isinstance(part, dict) and part.get("type") == "text")
        )
    return ""


def _quoted(pairs: list[tuple[str, int]]) -> list[float]:
    """Full support: an offline answer's sentences are quoted from the passages they cite."""
    return [1.0] * len(pairs)


def _passage(source: NumberedSource) -> SourcePassage:
    hit: Hit = source.hit
    paper = hit.paper
    return SourcePassage(
        n=source.n,
        title=hit.title,
        authors=", ".join((paper.authors if paper else hit.chunk.authors)[:6]),
        year=paper.year if paper else hit.chunk.year,
        text=hit.chunk.text,
    )
