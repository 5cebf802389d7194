"""Whether an LLM answer stands on the sources it was given.

The citation check (assistant/citations.py) keeps valid markers and scores them; this
module turns its result into what the user is told: an answer that cites no source is
ungrounded (small local models often write fluent text and cite nothing), sentences
that make a claim without a citation are marked, and URLs or references to papers the
corpus does not hold are flagged, since a model invents them as easily as prose.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assistant.citations import CitationCheck
from assistant.thresholds import DEFAULT

UNCITED_MARK = " *(no source)*"
UNGROUNDED_BANNER = (
    "Ungrounded: the model cited none of your sources, so nothing in its answer is "
    "checked against your corpus. The answer quoted from your corpus is shown below it."
)
_URL = re.compile(r"https?://[^\s<>()\[\]\"'`]+", re.I)
_ARXIV = re.compile(r"\barXiv[:\s]*(\d{4}\.\d{4,5})", re.I)
_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s<>()\[\]\"'`]+)")
# 'Smith et al. (2020)', 'Smith and Jones (2019)', '(Smith, 2020)': an author-year reference.
_AUTHOR_YEAR = re.compile(
    r"\b([A-Z][A-Za-z'\-]+)(?: et al\.?| and [A-Z][A-Za-z'\-]+)?,? \(?((?:19|20)\d\d)\)?"
)


@dataclass(frozen=True)
class Grounding:
    """What the grounding check found in one answer."""

    grounded: bool
    uncited: tuple[str, ...]
    unknown_references: tuple[str, ...]


def _trim(url: str) -> str:
    return url.rstrip(".,;:!?*_")


class CorpusReferences:
    """The URLs, identifiers and author names the corpus holds, to test a model's against."""

    def __init__(self, texts: Iterable[str], authors: Iterable[str]) -> None:
        blob = "\n".join(texts)
        self.urls = {_norm_url(_trim(u)) for u in _URL.findall(blob)}
        self.ids = {m.lower() for m in _ARXIV.findall(blob)} | {
            _trim(m).lower() for m in _DOI.findall(blob)
        }
        self.names = {w.lower() for name in authors for w in re.findall(r"[A-Za-z'\-]+", name)}
        self.words = set(re.findall(r"[a-z'\-]+", blob.lower()))

    def unknown(self, text: str) -> list[str]:
        """URLs, arXiv ids, DOIs and author-year references in `text` the corpus lacks."""
        out: list[str] = []
        for raw in _URL.findall(text):
            url = _trim(raw)
            if _norm_url(url) not in self.urls and not any(
                _norm_url(url).startswith(k) or k.startswith(_norm_url(url)) for k in self.urls
            ):
                out.append(url)
        out += [m for m in _ARXIV.findall(text) if m.lower() not in self.ids]
        out += [_trim(m) for m in _DOI.findall(text) if _trim(m).lower() not in self.ids]
        for match in _AUTHOR_YEAR.finditer(text):
            name = match.group(1).lower()
            if name not in self.names and name not in self.words:
                out.append(match.group(0).strip())
        return list(dict.fromkeys(out))


def _norm_url(url: str) -> str:
    """'https://www.arxiv.org/abs/1/' and 'http://arxiv.org/abs/1' are one address."""
    url = re.sub(r"^https?://(www\.)?", "", url.lower())
    return url.rstrip("/")


def ground(
    check: CitationCheck,
    references: CorpusReferences | None,
    weak_support: float = DEFAULT.weak_support,
) -> Grounding:
    """Grounded when at least one sentence cites a source that supports it.

    A cited sentence whose support is weak (`[n?]`) does not count: a model that cites
    [1] after every sentence of invented text is not grounded by the marker alone.
    """
    supported = [s for s in check.sentences if s.support is None or s.support >= weak_support]
    unknown = tuple(references.unknown(check.text)) if references else ()
    return Grounding(bool(supported), tuple(check.uncited), unknown)


def mark_uncited(text: str, uncited: Sequence[str]) -> str:
    """Append a visible '(no source)' mark to each sentence that claims without citing."""
    for sentence in dict.fromkeys(uncited):
        body = sentence.rstrip()
        if body and body in text:
            text = text.replace(body, body + UNCITED_MARK, 1)
    return text


def unmark(text: str) -> str:
    """The model's own text again, without the marks the checks added: an answer cut
    short is continued from what the model wrote, not from our annotations.
    'A claim *(no source)* B [1?].' -> 'A claim B [1].'"""
    return re.sub(r"\[(\d+)\?\]", r"[\1]", text.replace(UNCITED_MARK, ""))
