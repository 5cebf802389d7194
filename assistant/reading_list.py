"""Reading lists: papers on a topic (or on the researcher's agenda), grouped into
themes, foundational to recent, each with why to read it and a short summary.

The request is read first (`assistant.request`: topic, sub-topics, constraints), and
papers are chosen by retrieval and meaning (`assistant.selection`). With an LLM the model names the themes and writes the lines,
from the candidates only; offline the themes come from the catalog's topics and the
phrases titles share, and the summaries are the abstracts' own sentences. Both give
the same structure, and the same JSON.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import AliasChoices, BaseModel, Field, ValidationError

from assistant.export import bibtex, references_markdown
from assistant.grouping import (
    Group,
    chronological,
    group_papers,
    paper_text,
    stems,
    summary_sentences,
)
from assistant.llm_json import parse_reply
from assistant.profile import Profile, Theme
from assistant.request import Request, read_offline
from assistant.selection import Scored, Selection, Selector
from assistant.usage import Usage, usage_of
from prompts import SourcePassage, format_sources, load_prompt
from retrieval.hybrid import HybridSearcher
from retrieval.records import Paper
from retrieval.terms import content_words

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

OFFLINE_LABEL = (
    "Offline reading list: themes from your corpus's topics and title phrases, "
    "summaries quoted from the abstracts (set OPENAI_API_KEY or RA_LLM_BASE_URL for "
    "written ones)."
)
# The agenda's own theme closest to a paper must share at least this many words.
MIN_THEME_WORDS = 2
DEFAULT_N = 15


@dataclass(frozen=True)
class ListedPaper:
    paper: Paper
    why: str
    summary: str

    def to_json(self) -> dict[str, Any]:
        p = self.paper
        return {
            "paper_id": p.id,
            "title": p.title,
            "bibkey": p.bibkey,
            "authors": list(p.authors),
            "year": p.year,
            "venue": p.venue,
            "why": self.why,
            "summary": self.summary,
        }


@dataclass(frozen=True)
class ReadingTheme:
    name: str
    papers: tuple[ListedPaper, ...]


@dataclass
class ReadingList:
    topic: str
    mode: str
    themes: list[ReadingTheme]
    for_me: bool = False
    note: str | None = None
    usage: Usage | None = None
    searched: list[str] = field(default_factory=list)
    constraints: list[str] = field(default_factory=list)
    nearest: list[Scored] = field(default_factory=list)

    @property
    def papers(self) -> list[Paper]:
        return [lp.paper for theme in self.themes for lp in theme.papers]

    def to_json(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "mode": self.mode,
            "for_me": self.for_me,
            "themes": [
                {"name": t.name, "papers": [lp.to_json() for lp in t.papers]} for t in self.themes
            ],
            "note": self.note,
            "constraints": self.constraints,
            "searched": self.searched,
            "nearest": [
                {"paper_id": s.paper.id, "title": s.paper.title, "relevance": round(s.direct, 3)}
                for s in self.nearest
            ],
            "usage": self.usage.to_json() if self.usage else None,
        }

    def to_markdown(self) -> str:
        title = self.topic or "your agenda"
        lines = [f"# Reading list: {title}", ""]
        if self.mode == "extractive":
            lines += [f"*{OFFLINE_LABEL}*", ""]
        if self.constraints:
            lines += ["*Constraints applied: " + "; ".join(self.constraints) + ".*", ""]
        if self.note:
            lines += [f"*{self.note}*", ""]
        for theme in self.themes:
            lines += [f"## {theme.name}", ""]
            for lp in theme.papers:
                p = lp.paper
                meta = ", ".join(x for x in (_authors(p), str(p.year or ""), p.venue or "") if x)
                lines.append(f"1. **{p.title}** ({meta}) `{p.bibkey}`  ")
                lines.append(f"   *Why:* {lp.why}  ")
                lines.append(f"   {lp.summary}")
            lines.append("")
        if self.themes:
            lines.append(references_markdown(self.papers))
        return "\n".join(lines).rstrip() + "\n"

    def to_bibtex(self) -> str:
        return bibtex(self.papers)


def matched_words(topic: str, paper: Paper) -> list[str]:
    """The topic's own words that the paper's title, abstract or keywords use, as written."""
    have = set(stems(paper_text(paper)))
    return [w for w in dict.fromkeys(content_words(topic)) if stems(w) and stems(w)[0] in have]


def _authors(paper: Paper) -> str:
    if not paper.authors:
        return ""
    return paper.authors[0] + (" et al." if len(paper.authors) > 1 else "")


class ReadingLister:
    """Builds reading lists over one searcher; `llm` None means offline."""

    def __init__(
        self,
        searcher: HybridSearcher,
        profile: Profile,
        *,
        llm: BaseChatModel | None = None,
        model_name: str = "",
    ) -> None:
        self.searcher = searcher
        self.profile = profile
        self.llm = llm
        self.model_name = model_name
        self.selector = Selector(searcher)

    def build(
        self, request: Request | str, *, n: int | None = None, for_me: bool = False
    ) -> ReadingList:
        """The reading list for a request (or a topic as typed, read offline); `n` and
        `for_me`, when given, override what the request says."""
        if isinstance(request, str):
            request = read_offline(self.searcher.catalog, request, "reading_list")
        if for_me:
            request = request.model_copy(update={"for_me": True})
        n = n or request.n or DEFAULT_N
        topic = request.topic
        for_me = request.for_me
        if not request.queries and not for_me:
            raise ValueError("a reading list needs a topic or for_me")
        if for_me:
            self.profile.require_themes("A reading list for you")
        selection = self.candidates(request, n=n)
        chosen = selection.papers
        themes = {p.id: self.closest_theme(p) for p in chosen} if for_me else {}
        if self.llm is not None and chosen:
            result = self._written(topic, chosen, themes, for_me, selection.queries)
        else:
            result = self._offline(request, chosen, themes)
        result.searched = selection.queries
        result.constraints = selection.constraints
        if selection.empty:
            result.nearest = selection.nearest
            result.note = selection.explain_empty()
        if request.audience == "expert":
            result.themes = [
                ReadingTheme(t.name, tuple(reversed(t.papers))) for t in reversed(result.themes)
            ]
        return result

    def candidates(self, request: Request, *, n: int) -> Selection:
        """Up to `n` papers for the request (and the agenda, for a list 'for me')."""
        own = frozenset(p.id for p in self.profile.own_papers) if request.for_me else frozenset()
        extra = (
            [f"{request.topic} {t.query}".strip() for t in self.profile.themes]
            if request.for_me
            else []
        )
        return self.selector.select(request, limit=n, extra_queries=extra, leave_out=own)

    def closest_theme(self, paper: Paper) -> tuple[Theme, list[str]] | None:
        """The agenda theme sharing most words with the paper, and those words."""
        have = set(stems(paper_text(paper)))
        best: tuple[Theme, list[str]] | None = None
        for theme in self.profile.themes:
            words = [w for w in dict.fromkeys([*theme.keywords, *theme.name.lower().split()])]
            shared = [w for w in words if stems(w) and stems(w)[0] in have]
            if len(shared) >= MIN_THEME_WORDS and (best is None or len(shared) > len(best[1])):
                best = (theme, shared)
        return best

    def why(
        self,
        paper: Paper,
        topic: str,
        group: Sequence[Paper],
        themes: dict[str, tuple[Theme, list[str]] | None],
    ) -> str:
        """One line, from what the catalog knows: where the paper sits, what it shares."""
        parts = []
        years = [p.year for p in group if p.year]
        if paper.year and years.count(paper.year) == 1 and len(group) > 1:
            if paper.year == min(years):
                parts.append(f"The earliest ({paper.year}) paper of this theme in your corpus")
            elif paper.year == max(years):
                parts.append(f"The most recent ({paper.year}) paper of this theme in your corpus")
        words = matched_words(topic, paper)
        if words:
            where = "title" if all(w.lower() in paper.title.lower() for w in words) else "abstract"
            parts.append(f"its {where} is about {' '.join(words)}")
        labels = self.searcher.hints.labels
        if paper.topic and paper.topic not in labels and paper.topic.casefold() != topic.casefold():
            file = paper.sources[0].file if paper.sources else "your corpus"
            parts.append(f"filed under “{paper.topic}” in {file}")
        if paper.awards:
            parts.append(f"{paper.awards[0]}")
        closest = themes.get(paper.id)
        if closest:
            theme, shared = closest
            parts.append(f"closest to your theme “{theme.name}” ({', '.join(shared[:4])})")
        if not parts:
            return "Found by searching for the topic."
        line = "; ".join(parts)
        return line[0].upper() + line[1:] + "."

    def _offline(
        self,
        request: Request,
        chosen: list[Paper],
        themes: dict[str, tuple[Theme, list[str]] | None],
    ) -> ReadingList:
        topic = request.topic
        groups = group_papers(chosen, topic, self.searcher.hints.labels)
        if request.for_me and not topic:
            groups = self._agenda_groups(chosen, themes)
        listed = [
            ReadingTheme(
                g.name,
                tuple(
                    ListedPaper(p, self.why(p, topic, g.papers, themes), summary_sentences(p))
                    for p in g.papers
                ),
            )
            for g in groups
        ]
        return ReadingList(topic, "extractive", listed, for_me=request.for_me)

    def _agenda_groups(
        self, chosen: list[Paper], themes: dict[str, tuple[Theme, list[str]] | None]
    ) -> list[Group]:
        by: dict[str, list[Paper]] = {}
        for paper in chosen:
            closest = themes.get(paper.id)
            by.setdefault(closest[0].name if closest else "Other work", []).append(paper)
        groups = [Group(name, chronological(ps)) for name, ps in by.items()]
        return sorted(groups, key=lambda g: (g.name == "Other work", -len(g.papers)))

    def _written(
        self,
        topic: str,
        chosen: list[Paper],
        themes: dict[str, tuple[Theme, list[str]] | None],
        for_me: bool,
        searched: list[str],
    ) -> ReadingList:
        assert self.llm is not None
        agenda = (
            "The researcher's agenda (tie each 'why' to one of these themes by name):\n"
            + self.profile.summary_text()
            if for_me
            else ""
        )
        prompt = load_prompt("reading_list").format(
            topic=topic or "the researcher's agenda",
            agenda=agenda,
            sources=format_sources([_source(i, p) for i, p in enumerate(chosen, 1)]),
        )
        message = self.llm.invoke(prompt)
        usage = usage_of(getattr(message, "usage_metadata", None), self.model_name)
        parsed = _parse_themes(str(message.content), {p.bibkey: p for p in chosen})
        if parsed is None:
            offline = self._offline(
                Request(task="reading_list", text=topic, topic=topic, for_me=for_me), chosen, themes
            )
            offline.note = (
                "The model's reply was not a usable reading list; this is the offline one."
            )
            offline.usage = usage
            return offline
        return ReadingList(topic, "llm", parsed, for_me=for_me, usage=usage, searched=searched)


def _source(n: int, paper: Paper) -> SourcePassage:
    text = f"key: {paper.bibkey}\n{paper.abstract or paper.title}"
    return SourcePassage(
        n=n, title=paper.title, authors=", ".join(paper.authors[:6]), year=paper.year, text=text
    )


Item = TypeVar("Item", bound=BaseModel)


class _ThemePaper(BaseModel):
    key: str = Field(default="", validation_alias=AliasChoices("key", "bibkey"))
    why: str = ""
    summary: str = ""


class _Theme(BaseModel):
    name: str | None = None
    papers: list[Any]


class _ThemesReply(BaseModel):
    """The reply the reading-list prompt asks for; themes and papers are checked one
    by one, so a malformed one is dropped rather than the whole list."""

    themes: list[Any]


def _parse_themes(reply: str, by_key: dict[str, Paper]) -> list[ReadingTheme] | None:
    """The model's JSON themes, keeping only listed papers, each once, chronological."""
    parsed = parse_reply(reply, _ThemesReply)
    if parsed is None:
        return None
    themes: list[ReadingTheme] = []
    seen: set[str] = set()
    for theme in _valid(_Theme, parsed.themes):
        entries = []
        for item in _valid(_ThemePaper, theme.papers):
            if item.key not in by_key or item.key in seen:
                continue
            seen.add(item.key)
            paper = by_key[item.key]
            summary = item.summary.strip() or summary_sentences(paper)
            entries.append(ListedPaper(paper, item.why.strip(), summary))
        if entries:
            order = {p.id: i for i, p in enumerate(chronological([e.paper for e in entries]))}
            entries.sort(key=lambda e: order[e.paper.id])
            themes.append(ReadingTheme(theme.name or "Papers", tuple(entries)))
    return themes or None


def _valid(model: type[Item], raw: list[Any]) -> Iterator[Item]:
    """The items of `raw` that validate as `model`, in order."""
    for item in raw:
        try:
            yield model.model_validate(item)
        except ValidationError:
            continue
