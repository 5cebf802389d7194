"""The citation check that runs after every answer, LLM or offline.

A model cites sources as [n]. Code, not the model, decides what survives: a number
that names no retrieved source is removed and reported; each cited sentence gets a
support score against the passage it cites, and weak ones are marked `[n?]`.
Markers inside code, Markdown links, footnote definitions, `arr[1]`-style indexing,
checkboxes and numbers over 999 are not citations.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.thresholds import DEFAULT
from assistant.vectors import cosine
from retrieval.text import split_sentences

INSUFFICIENT = "I could not find this in your corpus."

# [1], [1, 3], [1][2] (two markers), [1-3], [ 2 ], and [2?] / [1?, 2?] as the check marks
# weak support: the one pattern for a citation marker, in answers, history and the TUI.
_MARKER = re.compile(r"\[\s*(\d{1,3}\??(?:\s*(?:,|-|–)\s*\d{1,3}\??)*)\s*\](?!\()")
_CODE = re.compile(r"```.*?(?:```|\Z)|`[^`\n]*`", re.S)
_FOOTNOTE_DEF = re.compile(r"^\s*\[\d+\]:", re.M)
MAX_RANGE = 20

Support = Callable[[list[tuple[str, int]]], list[float]]


@dataclass(frozen=True)
class Marker:
    start: int
    end: int
    raw: str
    numbers: tuple[int, ...]
    weak: bool = False  # written '[n?]': marked weakly supported by an earlier check


@dataclass(frozen=True)
class CitedSentence:
    text: str
    numbers: tuple[int, ...]
    support: float | None


@dataclass(frozen=True)
class CitationCheck:
    text: str
    used: tuple[int, ...]
    removed: tuple[str, ...]
    sentences: tuple[CitedSentence, ...]
    uncited: tuple[str, ...]


def _numbers(body: str) -> tuple[int, ...]:
    out: list[int] = []
    for part in re.split(r"\s*,\s*", body):
        bounds = re.split(r"\s*[-–]\s*", part)
        if len(bounds) == 2:
            lo, hi = int(bounds[0]), int(bounds[1])
            if lo <= hi and hi - lo < MAX_RANGE:
                out.extend(range(lo, hi + 1))
            else:
                out.extend((lo, hi))
        else:
            out.append(int(part))
    return tuple(out)


def find_markers(text: str) -> list[Marker]:
    """Citation markers outside code, links, footnote definitions and indexing.

    'A [1]. `x[2]` B [3, 5].' -> markers for [1] and [3, 5].
    """
    masked = _CODE.sub(lambda m: " " * len(m.group(0)), text)
    masked = _FOOTNOTE_DEF.sub(lambda m: " " * len(m.group(0)), masked)
    markers = []
    for match in _MARKER.finditer(masked):
        before = masked[match.start() - 1] if match.start() > 0 else " "
        if before.isalnum() or before == "_":
            continue  # arr[1], x[0]: indexing, not a citation
        body = match.group(1)
        numbers = _numbers(body.replace("?", ""))
        if any(n > 999 for n in numbers):
            continue
        markers.append(Marker(match.start(), match.end(), match.group(0), numbers, "?" in body))
    return markers


def highlight_citations(text: str) -> str:
    """Markers in bold for display, weak ones flagged: 'A [1]. B [2?].' -> 'A **[1]**. B **[2?]** ⚠'."""
    pieces: list[str] = []
    position = 0
    for marker in find_markers(text):
        if text[marker.start - 1 : marker.start] in {"*", "`"}:
            continue  # already emphasised, or code the mask missed
        pieces.append(text[position : marker.start])
        pieces.append(f"**{marker.raw}**" + (" ⚠" if marker.weak else ""))
        position = marker.end
    pieces.append(text[position:])
    return "".join(pieces)


def is_refusal(text: str) -> bool:
    """True when the answer is the 'not in your corpus' sentinel (give or take case/punctuation)."""
    norm = re.sub(r"[^a-z ]", "", text.lower()).strip()
    target = re.sub(r"[^a-z ]", "", INSUFFICIENT.lower()).strip()
    return norm == target or (norm.startswith(target) and len(norm) < len(target) + 15)


def check_citations(
    text: str,
    n_sources: int,
    *,
    support: Support | None = None,
    weak_threshold: float = DEFAULT.weak_support,
) -> CitationCheck:
    """Remove citations that name no source, score the rest, mark weak ones `[n?]`.

    With 3 sources: 'A holds [1]. B too [4].' -> text 'A holds [1]. B too.',
    used (1,), removed ('[4]',).
    """
    markers = find_markers(text)
    removed: list[str] = []
    used: dict[int, None] = {}
    pieces: list[str] = []
    position = 0
    for marker in markers:
        valid = tuple(n for n in marker.numbers if 1 <= n <= n_sources)
        invalid = [n for n in marker.numbers if not 1 <= n <= n_sources]
        if invalid:
            removed.append(marker.raw if not valid else "[" + ", ".join(map(str, invalid)) + "]")
        chunk = text[position : marker.start]
        if valid:
            pieces.append(chunk)
            pieces.append(_render(valid))
            for n in valid:
                used.setdefault(n, None)
        else:
            pieces.append(chunk.rstrip(" ") if chunk.endswith(" ") else chunk)
        position = marker.end
    pieces.append(text[position:])
    cleaned = "".join(pieces)
    cleaned = re.sub(r"[ \t]+([.,;:!?])", r"\1", cleaned) if removed else cleaned

    sentences = _cited_sentences(cleaned, n_sources, support)
    weak = {
        (s.text, n)
        for s in sentences
        if s.support is not None and s.support < weak_threshold
        for n in s.numbers
    }
    if weak:
        cleaned = _mark_weak(cleaned, sentences, weak_threshold)
    uncited = tuple(
        s for s in split_sentences(_CODE.sub("", cleaned)) if not find_markers(s) and _is_claim(s)
    )
    return CitationCheck(
        text=cleaned,
        used=tuple(used),
        removed=tuple(removed),
        sentences=tuple(sentences),
        uncited=uncited,
    )


def _render(numbers: tuple[int, ...], weak: frozenset[int] = frozenset()) -> str:
    return "[" + ", ".join(f"{n}?" if n in weak else str(n) for n in numbers) + "]"


def _strip_markers(sentence: str) -> str:
    out = sentence
    for marker in reversed(find_markers(sentence)):
        out = out[: marker.start] + out[marker.end :]
    return re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r"\s{2,}", " ", out)).strip()


def _cited_sentences(text: str, n_sources: int, support: Support | None) -> list[CitedSentence]:
    found: list[tuple[str, tuple[int, ...]]] = []
    for sentence in split_sentences(_CODE.sub("", text)):
        numbers = tuple(
            dict.fromkeys(
                n for m in find_markers(sentence) for n in m.numbers if 1 <= n <= n_sources
            )
        )
        if numbers:
            found.append((_strip_markers(sentence), numbers))
    if support is None or not found:
        return [CitedSentence(s, ns, None) for s, ns in found]
    pairs = [(s, n) for s, ns in found for n in ns]
    scores = support(pairs)
    by_pair = dict(zip(pairs, scores, strict=True))
    return [CitedSentence(s, ns, max(by_pair[(s, n)] for n in ns)) for s, ns in found]


def _mark_weak(text: str, sentences: list[CitedSentence], threshold: float) -> str:
    """Rewrite the markers of weakly supported sentences: [2] -> [2?], [1, 2] -> [1, 2?] for a weak 2."""
    weak_sentences = {s.text for s in sentences if s.support is not None and s.support < threshold}
    lines = text.split("\n")
    out_lines = []
    for line in lines:
        rebuilt = []
        for sentence in split_sentences(line) if line.strip() else [line]:
            if _strip_markers(sentence) in weak_sentences:
                for marker in reversed(find_markers(sentence)):
                    sentence = (
                        sentence[: marker.start]
                        + _render(marker.numbers, frozenset(marker.numbers))
                        + sentence[marker.end :]
                    )
            rebuilt.append(sentence)
        prefix = line[: len(line) - len(line.lstrip())]
        out_lines.append(prefix + " ".join(rebuilt) if line.strip() else line)
    return "\n".join(out_lines)


def _is_claim(sentence: str) -> bool:
    stripped = sentence.strip().lstrip("-*0123456789. ").strip()
    if stripped.startswith("#") or stripped.endswith(":") or is_refusal(stripped):
        return False
    if stripped.startswith("*") and stripped.endswith("*"):
        return False  # an italic note, such as the offline label
    return len(stripped.split()) > 6


def embedding_support(
    embed: Callable[[list[str]], list[list[float]]], passages: Sequence[str]
) -> Support:
    """A `support` callable: cosine similarity of each sentence with the best-matching
    sentence window of the passage it cites, in [0, 1]; one embedding call per check."""

    def support(pairs: list[tuple[str, int]]) -> list[float]:
        if not pairs:
            return []
        needed = sorted({n for _, n in pairs})
        windows: dict[int, list[str]] = {}
        for n in needed:
            parts = [w for w in split_sentences(passages[n - 1]) if len(w.split()) >= 3] or [
                passages[n - 1]
            ]
            windows[n] = parts[:40]
        texts = [s for s, _ in pairs] + [w for n in needed for w in windows[n]]
        vectors = embed(texts)
        sentence_vecs = vectors[: len(pairs)]
        offset = len(pairs)
        window_vecs: dict[int, list[list[float]]] = {}
        for n in needed:
            window_vecs[n] = vectors[offset : offset + len(windows[n])]
            offset += len(windows[n])
        scores = []
        for (_, n), vec in zip(pairs, sentence_vecs, strict=True):
            best = max((cosine(vec, w) for w in window_vecs[n]), default=0.0)
            scores.append(min(1.0, max(0.0, best)))
        return scores

    return support
