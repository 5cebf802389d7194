"""Related-work drafts: paragraphs by theme in which every claim about a paper cites
it, the author's own work positioned against them, and a .bib with exactly the
cited entries.

Only papers the selection retrieved for the topic can be cited; after drafting, the
same kind of check as `ra ask` runs: citation keys that name no selected paper are
removed and listed, and each citing sentence gets a support score against the
abstracts it cites. Drafts are written with `\\citep{key}` / `\\citet{key}`; the
Markdown style renders those as (Author et al., Year).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from assistant.citations import check_citations, embedding_support
from assistant.export import bibtex, latex_escape, references_markdown
from assistant.grouping import Group, group_papers, paper_text
from assistant.latex_cites import CITE_COMMAND, cite_keys, keep_known_keys, render_markdown
from assistant.profile import Profile
from assistant.request import Request, read_offline
from assistant.selection import Scored, Selector
from assistant.thresholds import model_of, thresholds_for
from assistant.usage import Usage, usage_of
from prompts import SourcePassage, format_sources, load_prompt
from retrieval.hybrid import HybridSearcher
from retrieval.records import Paper
from retrieval.text import split_sentences

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings
    from langchain_core.language_models import BaseChatModel

Style = Literal["latex", "markdown"]
MIN_PAPERS = 6
MAX_PAPERS = 15
# A draft cites every paper the selection keeps, up to this many a paragraph (and
# MAX_PAPERS in all): the selection's bar, not a fixed count, decides how many are close
# enough, and 5 a paragraph left right papers out whenever more than ten were.
PER_PARAGRAPH = 8
OFFLINE_LABEL = (
    "Draft from sources: sentences assembled from the cited papers' abstracts, not "
    "written by a model; rewrite before use (set OPENAI_API_KEY or RA_LLM_BASE_URL "
    "for a written draft)."
)
_CONTRIBUTION = re.compile(r"\b(?:we|our|this (?:paper|work|study|letter))\b", re.I)
_ANAPHORA = re.compile(
    r"\b(?:this|these|that|such) (?:question|questions|behaviou?r|phenomen(?:on|a)|problem|issue|gap|observation|finding)s?\b",
    re.I,
)
_LEAD = re.compile(r"^\*\*([^*\n]+)\*\*")
# The abstract's opening that names the paper itself: 'We', 'In this paper, we', ...
_SELF = re.compile(
    r"^(?:(?:in|with) this (?:paper|work|note|letter)\s*,?\s*we|we|this (?:paper|work|study|letter)|the paper|here\s*,?\s*we)\s+",
    re.I,
)


@dataclass
class Draft:
    topic: str
    mode: str
    style: Style
    paragraphs: list[str]
    cited: list[Paper]
    removed: list[str] = field(default_factory=list)
    weak: list[str] = field(default_factory=list)
    usage: Usage | None = None
    note: str | None = None
    considered: int = 0
    searched: list[str] = field(default_factory=list)
    constraints: list[str] = field(default_factory=list)
    nearest: list[Scored] = field(default_factory=list)

    @property
    def bibtex(self) -> str:
        return bibtex(self.cited)

    @property
    def papers(self) -> list[Paper]:
        return list(self.cited)

    def to_json(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "mode": self.mode,
            "style": self.style,
            "paragraphs": self.paragraphs,
            "citations": [
                {"bibkey": p.bibkey, "paper_id": p.id, "title": p.title} for p in self.cited
            ],
            "bibtex": self.bibtex,
            "removed_citations": self.removed,
            "weakly_supported": self.weak,
            "note": self.note,
            "constraints": self.constraints,
            "searched": self.searched,
            "nearest": [
                {"paper_id": s.paper.id, "title": s.paper.title, "relevance": round(s.direct, 3)}
                for s in self.nearest
            ],
            "usage": self.usage.to_json() if self.usage else None,
        }

    def to_latex(self) -> str:
        """The paragraphs as a LaTeX fragment to \\input, its origin in a comment."""
        how = "draft from sources, rewrite before use" if self.mode == "extractive" else self.mode
        head = f"% Related work: {' '.join(self.topic.split())} ({how})\n"
        return head + "\n\n".join(self.paragraphs) + "\n"

    def to_markdown(self) -> str:
        lines = [f"# Related work: {self.topic}", ""]
        if self.mode == "extractive":
            lines += [f"*{OFFLINE_LABEL}*", ""]
        if self.constraints:
            lines += ["*Constraints applied: " + "; ".join(self.constraints) + ".*", ""]
        if self.note:
            lines += [f"*{self.note}*", ""]
        for paragraph in self.paragraphs:
            lines += [paragraph, ""]
        lines.append(references_markdown(self.cited))
        return "\n".join(lines).rstrip() + "\n"


class Drafter:
    """Drafts related work over one searcher; `llm` None means offline."""

    def __init__(
        self,
        searcher: HybridSearcher,
        profile: Profile,
        *,
        llm: BaseChatModel | None = None,
        model_name: str = "",
        embeddings: Embeddings | None = None,
    ) -> None:
        self.searcher = searcher
        self.profile = profile
        self.llm = llm
        self.model_name = model_name
        self.embeddings = embeddings
        self.selector = Selector(searcher)

    def draft(
        self,
        request: Request | str,
        *,
        paragraphs: int = 2,
        style: Style = "latex",
        headings: bool = False,
    ) -> Draft:
        """Related-work paragraphs for the request (or a topic as typed, read offline);
        `headings` starts each paragraph with its theme's name (\\paragraph{...} in LaTeX)."""
        if isinstance(request, str):
            request = read_offline(self.searcher.catalog, request, "related_work")
        if not (request.queries or request.abstract):
            raise ValueError("a draft needs a topic or an abstract")
        topic = request.topic or _first_words(request.abstract or request.text)
        limit = request.n or min(MAX_PAPERS, max(MIN_PAPERS, PER_PARAGRAPH * paragraphs))
        mine = self.profile.own_papers
        selection = self.selector.select(
            request, limit=limit, leave_out=frozenset(p.id for p in mine), judge_too=mine
        )
        chosen = selection.papers
        # The researcher's own papers on the topic (at most 3), positioned apart.
        relevant = [p for p in mine if selection.judged.get(p.id, 0.0) >= selection.bar]
        own = sorted(relevant, key=lambda p: -selection.judged[p.id])[:3] if chosen else []
        note = None
        if 0 < len(chosen) < MIN_PAPERS and request.n is None:
            note = f"Only {len(chosen)} papers in your corpus besides your own are close to this topic; the draft cites all of them."
        if self.llm is not None and chosen:
            draft = self._written(topic, request.abstract, chosen, own, paragraphs)
        else:
            draft = self._offline(
                topic,
                request.abstract,
                chosen,
                own,
                paragraphs,
                latex=style == "latex",
                headings=headings,
            )
        draft.note = draft.note or note
        draft.considered = len(chosen)
        draft.searched = selection.queries
        draft.constraints = selection.constraints
        if selection.empty:
            draft.nearest = selection.nearest
            draft.note = selection.explain_empty()
        self._check(draft, chosen + own)
        if style == "markdown":
            by_key = {p.bibkey: p for p in chosen + own}
            draft.paragraphs = [render_markdown(p, by_key) for p in draft.paragraphs]
        else:
            draft.paragraphs = [_LEAD.sub(r"\\paragraph{\1}", p) for p in draft.paragraphs]
        draft.style = style
        return draft

    def _groups(self, chosen: Sequence[Paper], topic: str, paragraphs: int) -> list[Group]:
        groups = group_papers(chosen, topic, self.searcher.hints.labels)
        if len(groups) == 1 or paragraphs == 1:
            everything = [p for g in groups for p in g.papers]
            groups = [Group(topic[:1].upper() + topic[1:], everything)]
        if len(groups) > paragraphs:
            keep, rest = groups[: paragraphs - 1], groups[paragraphs - 1 :]
            merged = Group("Further directions", [p for g in rest for p in g.papers])
            groups = [*keep, merged]
        return groups

    def _offline(
        self,
        topic: str,
        abstract: str | None,
        chosen: list[Paper],
        own: list[Paper],
        paragraphs: int,
        *,
        latex: bool = True,
        headings: bool = False,
    ) -> Draft:
        """Sentences from the abstracts; in the LaTeX style their text is escaped, so a
        '%' or '_' in an abstract cannot comment out or break the paragraph."""
        out: list[str] = []
        groups = self._groups(chosen, topic, paragraphs) if chosen else []
        for i, group in enumerate(groups):
            sentences = [_claim(p, latex) for p in group.papers]
            lead = f"**{_text(group.name, latex)}.** " if headings else ""
            text = lead + " ".join(sentences)
            if i == len(groups) - 1:
                text += " " + self._position(topic, abstract, own, latex)
            out.append(text)
        return Draft(topic, "extractive", "latex", out, [])

    def _position(
        self,
        topic: str,
        abstract: str | None,
        own: list[Paper],
        latex: bool,
    ) -> str:
        if abstract:
            first = split_sentences(abstract)[:1]
            if not first:
                return ""
            # 'We show X.' -> 'Our work, in contrast, shows X.' reads wrong: keep it whole.
            match = _SELF.match(first[0])
            if match:
                ours = first[0][match.end() :].rstrip(".")
                return f"In contrast, this paper: {_text(ours, latex)}."
            return f"Against this background, our work starts from the following: {_text(first[0], latex)}"
        if own:
            keys = ",".join(p.bibkey for p in own)
            return f"Our own work on {_text(topic, latex)} \\citep{{{keys}}} is positioned against this line of research."
        return ""

    def _written(
        self,
        topic: str,
        abstract: str | None,
        chosen: list[Paper],
        own: list[Paper],
        paragraphs: int,
    ) -> Draft:
        assert self.llm is not None
        profile = abstract or self.profile.summary_text()
        if own:
            profile += "\nTheir papers on this topic (cite by key): " + "; ".join(
                f"{p.bibkey}: {p.title}" for p in own
            )
        sources = [
            SourcePassage(
                n=i,
                title=p.title,
                authors=", ".join(p.authors[:6]),
                year=p.year,
                text=f"key: {p.bibkey}\n{p.abstract or p.title}",
            )
            for i, p in enumerate(chosen, 1)
        ]
        prompt = load_prompt("related_work").format(
            paragraphs=paragraphs,
            topic=topic,
            profile=profile,
            cite_example="\\citep{key} or \\citet{key}",
            sources=format_sources(sources),
        )
        message = self.llm.invoke(prompt)
        usage = usage_of(getattr(message, "usage_metadata", None), self.model_name)
        text = str(message.content).strip()
        parts = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
        if not parts:
            from assistant.errors import EmptyAnswer

            raise EmptyAnswer("The LLM returned an empty draft.")
        return Draft(topic, "llm", "latex", parts, [], usage=usage)

    def _check(self, draft: Draft, allowed: Sequence[Paper]) -> None:
        """Remove unknown keys, score support, and set the cited papers in order."""
        by_key = {p.bibkey: p for p in allowed}
        cleaned = []
        removed: list[str] = []
        for paragraph in draft.paragraphs:
            text, gone = keep_known_keys(paragraph, set(by_key))
            cleaned.append(text)
            removed += gone
        draft.paragraphs = cleaned
        draft.removed = list(dict.fromkeys(removed))
        keys = cite_keys("\n\n".join(cleaned))
        draft.cited = [by_key[k] for k in keys]
        if self.embeddings is not None and draft.cited:
            draft.weak = self._weak(cleaned, draft.cited)

    def _weak(self, paragraphs: list[str], cited: list[Paper]) -> list[str]:
        """Citing sentences whose words sit far from the abstracts they cite."""
        number = {p.bibkey: n for n, p in enumerate(cited, 1)}

        def as_markers(match: re.Match[str]) -> str:
            keys = [k.strip() for k in match.group(3).split(",") if k.strip() in number]
            return "[" + ", ".join(str(number[k]) for k in keys) + "]"

        numbered = "\n\n".join(CITE_COMMAND.sub(as_markers, p) for p in paragraphs)
        assert self.embeddings is not None
        passages = [paper_text(p) for p in cited]
        support: Callable[[list[tuple[str, int]]], list[float]] = embedding_support(
            self.embeddings.embed_documents, passages
        )
        weak = thresholds_for(model_of(self.embeddings)).weak_support
        checked = check_citations(numbered, len(cited), support=support, weak_threshold=weak)
        return [s.text for s in checked.sentences if s.support is not None and s.support < weak]


def _claim(paper: Paper, latex: bool = True) -> str:
    """One sentence about the paper from its abstract, citing it."""
    key = paper.bibkey
    sentences = split_sentences(paper.abstract or "")
    # The sentence that says what this paper did, not the background it opens with.
    own = [
        x
        for x in sentences
        if _CONTRIBUTION.search(x)
        and len(x) <= 400
        and not x.rstrip().endswith("?")
        and not _ANAPHORA.search(x)  # 'an answer to this question' needs the sentence before
    ]
    if not own:
        # No sentence says what this paper did (abstracts often open with background,
        # which would be misattributed): name the paper by its title instead.
        return f"\\citet{{{key}}} present {_quote(paper.title.rstrip('.'), latex)}."
    body = own[0].strip()
    match = _SELF.match(body)
    if match:
        return f"\\citet{{{key}}} {_text(body[match.end() :], latex)}"
    # 'Perhaps surprisingly, we found ...' in the draft's voice would claim the cited
    # paper's finding as ours: quote it, attributed.
    return f"\\citet{{{key}}} write: {_quote(body, latex)}"


def _text(text: str, latex: bool) -> str:
    """Text from a source as it goes into the draft: LaTeX-escaped in the LaTeX style."""
    return latex_escape(text) if latex else text


def _quote(text: str, latex: bool) -> str:
    return f"``{latex_escape(text)}''" if latex else f"“{text}”"


def _first_words(text: str, words: int = 12) -> str:
    """A short name for a draft with no topic: the start of its first sentence."""
    first = split_sentences(text)[:1] or [text]
    cut = first[0].split()[:words]
    return " ".join(cut).rstrip(".,;:")
