"""The researcher profile: the themes of their agenda and their own papers.

Built from the profile documents (the research statement and CV by default, or the
files `RA_PROFILE` names) and the papers the researcher wrote. A theme is one section
of the agenda that says something (not an introduction that only announces its
subsections, nor a CV heading such as Education); its keywords are the section's
most distinctive words across the corpus. Reading lists for "me", triage and
related-work drafts all read the agenda from here.
"""

from __future__ import annotations

import fnmatch
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.errors import UserError
from retrieval.catalog import Catalog
from retrieval.records import Paper, Section, Source
from retrieval.terms import content_words, idf, stem
from retrieval.text import normalize_title

# Parsers whose files describe the researcher who uses `ra` ("me" in questions).
PROFILE_PARSERS = frozenset({"cv", "research-statement"})
# Sections of a CV or statement that describe the person, not the research.
ADMIN_HEADINGS = frozenset(
    {
        "contact",
        "summary",
        "overview",
        "introduction",
        "abstract",
        "research statement",
        "education",
        "work experience",
        "experience",
        "employment",
        "internships",
        "talks",
        "invited talks",
        "reviewing",
        "service",
        "teaching",
        "research mentoring",
        "mentoring",
        "awards and honors",
        "awards",
        "honors",
        "skills",
        "references",
        "bibliography",
        "publications",
        "selected publications",
    }
)
MIN_THEME_CHARS = 150
# An introduction that only announces its subsections ("In the section below, ...").
MAX_INTRO_CHARS = 400
KEYWORDS = 6
MIN_TITLE_DF = 2
# Title words that name no topic.
GENERIC_TITLE_WORDS = frozenset(
    [
        "towards",
        "toward",
        "understanding",
        "learning",
        "neural",
        "networks",
        "network",
        "deep",
        "models",
        "model",
        "using",
        "via",
        "beyond",
        "study",
        "analysis",
        "approach",
        "better",
        "improved",
        "improving",
        "standard",
        "work",
        "works",
        "role",
        "when",
        "what",
        "more",
        "less",
        "first",
        "note",
        "case",
        "their",
        "from",
        "with",
        "into",
        "over",
        "under",
        "without",
        "method",
        "methods",
        "based",
        "large",
        "inspired",
        "framework",
        "scale",
        "behaviour",
        "simple",
        "general",
        "generalized",
        "efficient",
        "local",
    ]
)


@dataclass(frozen=True)
class Theme:
    """One strand of the agenda, with where it is written and the papers it cites."""

    name: str
    group: str
    text: str
    source: Source
    keywords: tuple[str, ...]
    own_papers: tuple[Paper, ...] = ()
    cited_papers: tuple[Paper, ...] = ()

    @property
    def query(self) -> str:
        """What to search for to find papers on this theme."""
        return f"{self.name}: {' '.join(self.keywords)}"

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "group": self.group,
            "keywords": list(self.keywords),
            "source": f"{self.source.file}:{self.source.line}",
            "own_papers": [
                {"paper_id": p.id, "title": p.title, "bibkey": p.bibkey} for p in self.own_papers
            ],
            "cited_papers": [
                {"paper_id": p.id, "title": p.title, "bibkey": p.bibkey} for p in self.cited_papers
            ],
        }


@dataclass(frozen=True)
class Profile:
    """Who the researcher is, as far as the corpus says."""

    names: tuple[str, ...]
    files: tuple[str, ...]
    themes: tuple[Theme, ...]
    own_papers: tuple[Paper, ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not self.themes and not self.own_papers

    @property
    def papers(self) -> list[Paper]:
        return list(self.own_papers)

    def require_themes(self, what: str) -> None:
        """Refuse, in one sentence, a job that needs the agenda when there is none."""
        if not self.themes:
            raise UserError(
                f"{what} needs your agenda, and no research statement was found: add one to "
                "the corpus, or set RA_PROFILE to the files that describe your research."
            )

    def summary_text(self, limit: int = 1500) -> str:
        """The agenda in a few lines, for prompts: each theme with its keywords."""
        lines = [f"Researcher: {', '.join(self.names) or 'unknown'}"]
        for theme in self.themes:
            lines.append(f"- {theme.name}: {' '.join(theme.text.split())[:200]}")
        if self.own_papers:
            lines.append("Their papers: " + "; ".join(p.title for p in self.own_papers[:12]))
        return "\n".join(lines)[:limit]

    def to_markdown(self) -> str:
        """The profile as the chat shows it: themes with keywords, then your papers."""
        if self.empty:
            return (
                "No profile: the corpus has no research statement or CV. Add one, or set "
                "RA_PROFILE to the files that describe you."
            )
        who = ", ".join(self.names) or "Researcher"
        lines = [f"# {who}", "", f"From {', '.join(self.files)}.", ""]
        lines += [f"## {len(self.themes)} themes", ""]
        for t in self.themes:
            mine = ", ".join(p.bibkey for p in t.own_papers)
            lines.append(
                f"- **{t.name}**: {', '.join(t.keywords)}"
                + (f" (your papers: {mine})" if mine else "")
            )
        lines += ["", f"## {len(self.own_papers)} papers of yours", ""]
        lines += [f"- {p.year or '----'} {p.title} `{p.bibkey}`" for p in self.own_papers]
        return "\n".join(lines) + "\n"

    def to_json(self) -> dict[str, Any]:
        return {
            "names": list(self.names),
            "files": list(self.files),
            "themes": [t.to_json() for t in self.themes],
            "own_papers": [
                {"paper_id": p.id, "title": p.title, "bibkey": p.bibkey, "year": p.year}
                for p in self.own_papers
            ],
        }


def profile_files(catalog: Catalog, globs: str | None) -> list[str]:
    """The corpus files that form the profile: those matching `globs` (separated by
    commas or the OS path separator), else the statement and CV parsers' files."""
    if not globs:
        return [f.file for f in catalog.files if f.parser in PROFILE_PARSERS]
    patterns = [p.strip() for p in re.split(r"[,:;]", globs) if p.strip()]
    return [
        f.file
        for f in catalog.files
        if any(
            fnmatch.fnmatch(f.file, p) or fnmatch.fnmatch(f.file.rsplit("/", 1)[-1], p)
            for p in patterns
        )
    ]


def build_profile(catalog: Catalog, globs: str | None = None) -> Profile:
    """The profile from the catalog: themes from the agenda's sections, and own papers."""
    files = profile_files(catalog, globs)
    chosen = set(files)
    sections = [s for s in catalog.sections if s.source.file in chosen]
    names = tuple(sorted({s.owner for s in sections if s.owner}))
    own = tuple(sorted(_own_papers(catalog.papers, names), key=lambda p: -(p.year or 0)))
    own_ids = {p.id for p in own}
    by_id = {p.id: p for p in catalog.papers}
    df = _title_frequencies(catalog)
    themes = []
    for section in _theme_sections(sections):
        cited = [by_id[i] for i in section.cites if i in by_id]
        themes.append(
            Theme(
                name=section.heading_path[-1],
                group=" > ".join(section.heading_path[:-1]),
                text=section.text,
                source=section.source,
                keywords=_keywords(section.text, df, len(catalog.papers)),
                own_papers=tuple(p for p in cited if p.id in own_ids),
                cited_papers=tuple(p for p in cited if p.id not in own_ids),
            )
        )
    return Profile(names=names, files=tuple(files), themes=tuple(themes), own_papers=own)


def _theme_sections(sections: Sequence[Section]) -> list[Section]:
    paths = [s.heading_path for s in sections]
    chosen = []
    for section in sections:
        heading = section.heading_path[-1].strip().casefold() if section.heading_path else ""
        if heading in ADMIN_HEADINGS or len(section.text) < MIN_THEME_CHARS:
            continue
        has_children = any(
            len(p) > len(section.heading_path)
            and p[: len(section.heading_path)] == section.heading_path
            for p in paths
        )
        if has_children and len(section.text) < MAX_INTRO_CHARS:
            continue
        chosen.append(section)
    return chosen


def _own_papers(papers: Sequence[Paper], names: Sequence[str]) -> list[Paper]:
    """Papers with one of `names` among their authors ('S. Srinivas' counts)."""
    wanted = [_name_key(n) for n in names]
    wanted = [w for w in wanted if w]
    return [p for p in papers if any(_name_key(a) in wanted for a in p.authors)]


def _name_key(name: str) -> tuple[str, str] | None:
    """('s', 'srinivas') for 'Suraj Srinivas', 'S. Srinivas' and 'Srinivas, Suraj'."""
    if "," in name:
        last, _, first = name.partition(",")
        name = f"{first} {last}"
    words = normalize_title(name).split()
    if len(words) < 2:
        return None
    return (words[0][0], words[-1])


def _title_frequencies(catalog: Catalog) -> Counter[str]:
    """In how many paper titles each word occurs: the corpus's vocabulary of topics."""
    df: Counter[str] = Counter()
    for paper in catalog.papers:
        df.update(set(content_words(paper.title)))
    return df


def _keywords(text: str, df: Counter[str], n_docs: int) -> tuple[str, ...]:
    """The section's topic words: words of paper titles (so 'pruning', not 'showed'),
    frequent in the section and rare across titles."""
    counts = Counter(w for w in content_words(text) if len(w) > 3 and not w.isdigit())
    scored = {
        w: c * idf(df[w], n_docs)
        for w, c in counts.items()
        if df.get(w, 0) >= MIN_TITLE_DF and w not in GENERIC_TITLE_WORDS
    }
    ranked = sorted(scored, key=lambda w: (-scored[w], w))
    by_stem: dict[str, str] = {}
    for word in ranked:  # 'neurons' and 'neuron' are one keyword
        by_stem.setdefault(stem(word), word)
    return tuple(list(by_stem.values())[:KEYWORDS])
