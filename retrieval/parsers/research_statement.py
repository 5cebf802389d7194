"""Parser for a researcher's statement in Markdown: profile sections and references.

Sections follow the headings; a paragraph that opens with a bold lead
("**Model Pruning with Limited Data** Standard networks ...") starts a sub-section
named by that lead, because that is the unit a researcher points to. Paragraphs
after it without a lead belong to it. Headings are kept as the file has them (in
the sample, "## Trustworthy Machine Learning" is an H2 though it reads as part of
Prior Work). Empty headings produce no section.

Every reference-list entry becomes a `Paper`; in-text author-year citations
("(Srinivas and Fleuret, 2019)", "([Srinivas and Babu, 2015](#))", "(Halabi et al.,
2022)", "(Srinivas et al., 2022a)") are resolved to those papers and recorded in
the citing section's `cites`. Reference authors "Srinivas, S." are shown as
"S. Srinivas".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from retrieval.parsers import ParseError
from retrieval.parsers.markdown_blocks import Block, blocks, clean_inline, paragraphs
from retrieval.records import Paper, ParseResult, Section, Source
from retrieval.text import collapse_spaces, normalize_title

NAME = "research-statement"
_H1_STATEMENT = re.compile(r"^#\s+.*\b(statement|proposal)\b", re.I | re.M)
_REFERENCES = re.compile(r"^##\s+(references|bibliography)\s*$", re.I | re.M)
_LEAD = re.compile(r"^\*\*(?P<lead>[^*]+)\*\*\s*(?P<rest>.*)$")
_REF_ENTRY = re.compile(
    r"^(?P<authors>.+?)\s+\((?P<year>(?:19|20)\d\d)(?P<suffix>[a-z]?)\)\.\s+(?P<rest>.+)$"
)
_INITIALS = re.compile(r"^(?:[A-Z][a-z]?\.(?:[ -]?[A-Z][a-z]?\.)*)$")
_ITALIC = re.compile(r"\*([^*]+)\*")
# Starts only at a word's start and bounds each name, so a 200k-character base64 run
# costs linear time, not quadratic.
_CITATION = re.compile(
    r"(?<![\w'\-])(?P<first>[A-Z][\w'\-]{1,40}(?:\s[A-Z][\w'\-]{1,40})?)"
    r"(?:\s+(?:and|&)\s+(?P<second>[A-Z][\w'\-]{1,40})|\s+et\s+al\.)?"
    r",\s*(?P<year>(?:19|20)\d\d)(?P<suffix>[a-z]?)"
)


def detect(text: str, path: Path) -> bool:
    """An H1 naming a statement or proposal, and a References section."""
    return bool(_H1_STATEMENT.search(text[:3000]) and _REFERENCES.search(text))


@dataclass(frozen=True)
class Reference:
    """A reference entry with what citations match on."""

    paper: Paper
    surnames: tuple[str, ...]  # normalized, in order
    year: str  # with suffix: '2016b'


def parse(text: str, file: str) -> ParseResult:
    """Profile sections of the statement, and its reference list as papers."""
    all_blocks = list(blocks(text))
    owner = _owner(all_blocks)
    references: list[Reference] = []
    prose: list[Block] = []
    for block in all_blocks:
        if block.level >= 2 and block.title.casefold() in {"references", "bibliography"}:
            references.extend(_references(block, file))
        else:
            prose.append(block)
    sections = _sections(prose, owner, file, references)
    if not sections and not references:
        raise ParseError("is a research statement with no readable sections or references")
    return ParseResult(papers=[r.paper for r in references], sections=sections)


def _owner(all_blocks: list[Block]) -> str | None:
    """The name on the first non-empty line under the H1 ('Suraj Srinivas')."""
    for block in all_blocks:
        if block.level == 1:
            for _, line in block.body:
                if line.strip():
                    name = clean_inline(line)
                    return name if len(name.split()) <= 5 else None
            return None
    return None


def _sections(
    prose: list[Block], owner: str | None, file: str, references: list[Reference]
) -> list[Section]:
    groups: list[tuple[tuple[str, ...], int, list[str]]] = []  # (heading path, line, paragraphs)
    path: list[tuple[int, str]] = []  # (level, title) of the enclosing headings, H1 excluded
    for block in prose:
        if block.level == 1:
            path = []
        elif block.level > 1:
            path = [p for p in path if p[0] < block.level] + [(block.level, block.title)]
        heading = tuple(t for _, t in path) or (block.title or "Statement",)
        body = _without_name_line(block.body, owner) if block.level == 1 else block.body
        in_block = False
        for number, para in paragraphs(body):
            lead = _LEAD.match(para)
            if lead:
                groups.append(((*heading, clean_inline(lead["lead"])), number, []))
                para = lead["rest"]
            elif not in_block:
                groups.append((heading, number, []))
            in_block = True
            if clean_inline(para):
                groups[-1][2].append(clean_inline(para))
    return [
        Section(
            heading_path=heading,
            text="\n\n".join(texts),
            source=Source(file, line),
            kind="profile",
            owner=owner,
            cites=resolve_all("\n\n".join(texts), references),
        )
        for heading, line, texts in groups
        if texts
    ]


def _without_name_line(body: list[tuple[int, str]], owner: str | None) -> list[tuple[int, str]]:
    out = list(body)
    for i, (_, line) in enumerate(out):
        if line.strip():
            if owner and clean_inline(line) == owner:
                del out[i]
            break
    return out


def _references(block: Block, file: str) -> list[Reference]:
    refs: list[Reference] = []
    for number, line in block.body:
        stripped = line.strip()
        if not stripped.startswith(("- ", "* ")):
            continue
        ref = parse_reference(stripped[2:], file, number)
        if ref is not None:
            refs.append(ref)
    return refs


def parse_reference(entry: str, file: str, line: int) -> Reference | None:
    """'Bai, S., Kolter, J. Z., and Koltun, V. (2019). Deep equilibrium models. *NeurIPS*, 32.'
    -> Paper(title='Deep equilibrium models', authors=('S. Bai', 'J. Z. Kolter', 'V. Koltun'),
    year=2019, venue='NeurIPS'); None when the entry has no (year)."""
    match = _REF_ENTRY.match(collapse_spaces(entry))
    if not match:
        return None
    surnames, authors = _authors(match["authors"])
    rest = match["rest"]
    italic = _ITALIC.search(rest)
    title_part = rest[: italic.start()] if italic else rest
    title_part = re.split(r"\.\s+In\s", title_part, maxsplit=1)[0]
    title = title_part.strip().rstrip(".,").strip()
    if not title:
        return None
    venue = collapse_spaces(italic.group(1)).strip(" .,") if italic else None
    paper = Paper(
        title=title,
        authors=authors,
        year=int(match["year"]),
        venue=venue or None,
        sources=(Source(file, line),),
    )
    return Reference(paper, surnames, match["year"] + match["suffix"])


def _authors(raw: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """'Halabi, M. E., Srinivas, S., and Lacoste-Julien, S.' ->
    (('halabi', 'srinivas', 'lacoste julien'), ('M. E. Halabi', 'S. Srinivas', 'S. Lacoste-Julien'))"""
    raw = re.sub(r",?\s+and\s+", ", ", raw)
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    surnames: list[str] = []
    names: list[str] = []
    i = 0
    while i < len(parts):
        part = parts[i]
        if part.rstrip(".") == "et al":
            i += 1
            continue
        initials = parts[i + 1] if i + 1 < len(parts) and _INITIALS.match(parts[i + 1]) else None
        surnames.append(normalize_title(part))
        names.append(f"{initials} {part}" if initials else part)
        i += 2 if initials else 1
    return tuple(surnames), tuple(names)


def resolve(citation: str, references: list[Reference]) -> Paper | None:
    """The reference an author-year citation names, or None.

    'Srinivas and Fleuret, 2019' -> the 2019 Srinivas & Fleuret paper;
    'Srinivas et al., 2022a' -> the 2022a one; 'Hyvärinen, 2005' -> Hyvärinen (2005).
    """
    match = _CITATION.search(citation)
    if not match:
        return None
    first = normalize_title(match["first"])
    second = normalize_title(match["second"]) if match["second"] else None
    year = match["year"] + match["suffix"]
    candidates = [r for r in references if r.surnames and r.surnames[0] == first and r.year == year]
    if second and len(candidates) > 1:
        candidates = [r for r in candidates if len(r.surnames) > 1 and r.surnames[1] == second]
    if not candidates and not match["suffix"]:
        # '(Srinivas and Babu, 2016)' when the list says 2016a/2016b: ambiguous unless one.
        loose = [
            r for r in references if r.surnames and r.surnames[0] == first and r.year[:4] == year
        ]
        candidates = loose if len(loose) == 1 else []
    return candidates[0].paper if len(candidates) == 1 else None


def resolve_all(text: str, references: list[Reference]) -> tuple[str, ...]:
    """Ids of every reference cited in `text`, in order of first citation."""
    ids: dict[str, None] = {}
    for match in _CITATION.finditer(text):
        paper = resolve(match.group(0), references)
        if paper is not None:
            ids.setdefault(paper.id, None)
    return tuple(ids)
