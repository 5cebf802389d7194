"""Triage: the papers of one feed file ranked by how close they are to the agenda.

Each paper is compared (embedding cosine) with every theme of the profile and with
each of the researcher's own papers; its score is its best theme similarity. Ranking
reads the catalog and embeds the feed's papers on the fly: it never touches the index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from assistant.errors import UserError
from assistant.grouping import paper_text, stems
from assistant.profile import Profile, Theme
from assistant.vectors import cosine
from retrieval.catalog import Catalog
from retrieval.records import Paper

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

FEED_PARSERS = ("daily-feed",)
TEXT_CHARS = 1200
T = TypeVar("T")


@dataclass(frozen=True)
class Triaged:
    paper: Paper
    score: float
    theme: Theme | None
    shared: tuple[str, ...]
    closest_own: Paper | None
    own_similarity: float | None

    @property
    def reason(self) -> str:
        if self.theme is None:
            return "Your profile has no themes to compare with."
        line = f"Closest to your theme “{self.theme.name}” (similarity {self.score:.2f}"
        line += f"; shared words: {', '.join(self.shared)})" if self.shared else ")"
        if self.closest_own is not None:
            line += f"; nearest of your papers: “{self.closest_own.title}”"
        return line + "."

    def to_json(self, rank: int) -> dict[str, Any]:
        return {
            "rank": rank,
            "paper_id": self.paper.id,
            "title": self.paper.title,
            "bibkey": self.paper.bibkey,
            "year": self.paper.year,
            "score": round(self.score, 4),
            "theme": self.theme.name if self.theme else None,
            "reason": self.reason,
            "closest_own_paper": (
                {"paper_id": self.closest_own.id, "title": self.closest_own.title}
                if self.closest_own
                else None
            ),
        }


@dataclass(frozen=True)
class TriageReport:
    """A feed file's papers ranked by the agenda, as every front end shows them."""

    file: str
    ranked: list[Triaged]

    @property
    def papers(self) -> list[Paper]:
        return [t.paper for t in self.ranked]

    def to_json(self) -> dict[str, Any]:
        return {"source": self.file, "papers": [t.to_json(i) for i, t in enumerate(self.ranked, 1)]}

    def to_markdown(self) -> str:
        lines = [f"# Triage of {self.file}", ""]
        if not self.ranked:
            lines.append(f"{self.file} holds no papers.")
        for i, t in enumerate(self.ranked, 1):
            lines.append(
                f"{i}. **{t.paper.title}** ({t.paper.year or 'n.d.'}) `{t.paper.bibkey}`  "
            )
            lines.append(f"   {t.reason}")
        return "\n".join(lines) + "\n"


def feed_file(catalog: Catalog, source: str | None) -> str:
    """The corpus file to triage: `source` (a name or path ending), else the first feed."""
    files = [f.file for f in catalog.files]
    if source:
        wanted = source.replace("\\", "/").strip("/")
        # The name as given, or a path ending in it at a '/' ('a.md' is not 'data.md').
        found = [
            f for f in files if f == wanted or wanted.endswith("/" + f) or f.endswith("/" + wanted)
        ]
        if not found:
            raise UserError(
                f"{source} is not a file of your corpus: pick one of {', '.join(files) or 'none'}."
            )
        return found[0]
    feeds = [f.file for f in catalog.files if f.parser in FEED_PARSERS]
    if not feeds:
        raise UserError(
            "Your corpus has no daily-papers feed: name the file to rank "
            "(ra triage --source FILE, or /triage FILE in ra chat)."
        )
    return feeds[0]


def triage(
    catalog: Catalog,
    profile: Profile,
    embeddings: Embeddings,
    *,
    source: str | None = None,
    n: int = 10,
) -> tuple[str, list[Triaged]]:
    """The feed file triaged and its `n` papers closest to the agenda, best first."""
    profile.require_themes("Triage")
    file = feed_file(catalog, source)
    papers = [p for p in catalog.papers if any(s.file == file for s in p.sources)]
    if not papers:
        return file, []
    themes = list(profile.themes)
    own = [p for p in profile.own_papers if p.id not in {q.id for q in papers}]
    texts = [_text(p) for p in papers]
    texts += [f"{t.name}. {t.text}"[:TEXT_CHARS] for t in themes]
    texts += [_text(p) for p in own]
    vectors = embeddings.embed_documents(texts)
    paper_vecs = vectors[: len(papers)]
    theme_vecs = vectors[len(papers) : len(papers) + len(themes)]
    own_vecs = vectors[len(papers) + len(themes) :]
    ranked = []
    for paper, vec in zip(papers, paper_vecs, strict=True):
        theme, score = _best(themes, theme_vecs, vec)
        mine, mine_score = _best(own, own_vecs, vec)
        shared = _shared_words(paper, theme) if theme else ()
        ranked.append(Triaged(paper, score, theme, shared, mine, mine_score if mine else None))
    ranked.sort(key=lambda t: -t.score)
    return file, ranked[:n]


def _text(paper: Paper) -> str:
    return f"{paper.title}. {paper.abstract or ''}"[:TEXT_CHARS]


def _best(
    items: Sequence[T], vectors: Sequence[Sequence[float]], vec: Sequence[float]
) -> tuple[T | None, float]:
    best: T | None = None
    best_score = 0.0
    for item, other in zip(items, vectors, strict=True):
        score = cosine(vec, other)
        if best is None or score > best_score:
            best, best_score = item, score
    return best, best_score


def _shared_words(paper: Paper, theme: Theme) -> tuple[str, ...]:
    have = set(stems(paper_text(paper)))
    return tuple(w for w in theme.keywords if stems(w) and stems(w)[0] in have)[:4]
