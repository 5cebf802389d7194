"""What an answer is: its text, the numbered sources it was given, the citations that
survived the check, and the references rendered from the catalog (never the model)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant import render
from assistant.usage import TRUNCATING, Usage
from retrieval.hybrid import Hit
from retrieval.records import Paper, Source


@dataclass(frozen=True)
class NumberedSource:
    """Source [n] of an answer: a retrieved hit."""

    n: int
    hit: Hit

    @property
    def title(self) -> str:
        return self.hit.title

    @property
    def paper_id(self) -> str | None:
        return self.hit.chunk.paper_id

    @property
    def bibkey(self) -> str | None:
        return self.hit.paper.bibkey if self.hit.paper else None

    @property
    def location(self) -> str:
        """'cv.md:70' for a paper's first source, the chunk's own place otherwise."""
        if self.hit.paper and self.hit.paper.sources:
            return self.hit.paper.sources[0].short()
        c = self.hit.chunk
        return Source(c.file, c.line, c.page).short()


@dataclass(frozen=True)
class Citation:
    """A citation that survived the check: source n and how well its sentences are supported."""

    n: int
    source: NumberedSource
    support: float | None
    weak: bool = False  # support below the embedding model's threshold: shown as [n?]

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "paper_id": self.source.paper_id,
            "title": self.source.title,
            "bibkey": self.source.bibkey,
            "source": self.source.location,
            "support": None if self.support is None else round(self.support, 3),
        }


@dataclass
class Answer:
    """A checked answer, ready for the CLI, the TUI, JSON and the history."""

    question: str
    text: str
    mode: str  # "llm" | "extractive"
    refused: bool
    sources: list[NumberedSource]
    citations: list[Citation] = field(default_factory=list)
    removed_citations: list[str] = field(default_factory=list)
    usage: Usage | None = None
    standalone_question: str | None = None
    searched: str = ""
    # False when an LLM answer cites no source it was given: the text is the model's
    # own, and the offline quoted answer is offered beside it.
    grounded: bool = True
    uncited_sentences: list[str] = field(default_factory=list)
    # URLs and references in the answer that name nothing in the corpus.
    unknown_references: list[str] = field(default_factory=list)
    # The offline quoted answer, kept for an ungrounded LLM answer.
    fallback: Answer | None = None
    # The model's own reason for ending: "stop"; "length" or "content_filter" for an
    # answer cut short; None offline.
    finish_reason: str | None = None

    @property
    def truncated(self) -> bool:
        """True when the model stopped before the answer was finished (a limit, a filter)."""
        return self.finish_reason in TRUNCATING

    def references_markdown(self) -> str:
        """The references of the citations actually used, numbered as in the text."""
        return render.answer_references(self)

    def closest_markdown(self, limit: int = 5) -> str:
        """For a refusal: the closest papers found, so the user sees what was searched."""
        return render.closest_matches(self, limit)

    @property
    def cited_papers(self) -> list[Paper]:
        """The catalog papers behind the surviving citations, in citation order."""
        return [c.source.hit.paper for c in self.citations if c.source.hit.paper is not None]

    def to_markdown(self) -> str:
        """The answer as a document: the question, the text, its references."""
        return render.answer_document(self)

    def to_bibtex(self) -> str:
        from assistant.export import bibtex

        return bibtex(self.cited_papers)

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.text,
            "mode": self.mode,
            "refused": self.refused,
            "citations": [c.to_json() for c in self.citations],
            "removed_citations": list(self.removed_citations),
            "grounded": self.grounded,
            "uncited_sentences": list(self.uncited_sentences),
            "unknown_references": list(self.unknown_references),
            "fallback_answer": self.fallback.text if self.fallback else None,
            "usage": self.usage.to_json() if self.usage else None,
        }
