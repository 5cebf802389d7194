"""Parser for a CV in Markdown: profile sections, and Selected Publications as papers.

The H1 is the person's name; every H2 section (Summary, Work Experience, Education,
Internships, Talks, Reviewing, Teaching, Research Mentoring, Awards and Honors)
becomes a profile section with its Markdown cleaned away. A publication entry is a
"- YEAR authors “Title” *Venue* ..." list item that may wrap over several lines:

    - 2018 **Suraj Srinivas**, François Fleuret.
    “Knowledge Transfer with Jacobian Matching”
    *International Conference on Machine Learning (ICML)*
    *NeurIPS Learning with Limited Data (LLD) Workshop* - **Best Paper Award**

The first italic line after the title is the venue; a later italic line followed by
a bold award is where the award was given ("Best Paper Award at NeurIPS Learning
with Limited Data (LLD) Workshop"); a bold mark on the venue line ("- **Oral**") is
an award of the paper itself. Co-first-author marks (\\*, <sup>m</sup>) are dropped.
"""

from __future__ import annotations

import re
from pathlib import Path

from retrieval.parsers import ParseError
from retrieval.parsers.markdown_blocks import Block, blocks, clean_inline
from retrieval.records import Link, Paper, ParseResult, Section, Source
from retrieval.text import collapse_spaces

NAME = "cv"
_PUBLICATIONS = {"selected publications", "publications"}
_ENTRY_START = re.compile(r"^[-*]\s+(?P<year>(?:19|20)\d\d)\b\s*(?P<rest>.*)$")
_TITLE = re.compile(r"[“\"](?P<title>[^”\"]+)[”\"]")
_ITALIC = re.compile(r"(?<!\*)\*(?!\*)(?P<text>[^*]+?)(?<!\\)\*(?!\*)")
_BOLD = re.compile(r"\*\*(?P<text>[^*]+?)\*\*")
_CODE = re.compile(r"Code:\s*\[(?P<text>[^\]]*)\]\((?P<url>[^)]+)\)")
_NOTE = re.compile(r"\(\\?\*\s*co-first-author\)|\(Mentoring Role\)|\(Jointly authored\)", re.I)


def detect(text: str, path: Path) -> bool:
    """A Markdown CV: a Selected Publications section and at least one other CV section."""
    headings = {m.group(1).strip().casefold() for m in re.finditer(r"^##\s+(.+)$", text, re.M)}
    cv_sections = {
        "education",
        "work experience",
        "experience",
        "talks",
        "awards and honors",
        "teaching",
    }
    return bool(headings & _PUBLICATIONS) and len(headings & cv_sections) >= 1


def parse(text: str, file: str) -> ParseResult:
    """Profile sections and the publications of the CV."""
    all_blocks = list(blocks(text))
    name = next((b.title for b in all_blocks if b.level == 1), None)
    papers: list[Paper] = []
    sections: list[Section] = []
    for block in all_blocks:
        if block.level == 0 or (block.level == 1 and not _has_text(block)):
            continue
        heading = block.title if block.level > 1 else "Contact"
        if heading.casefold() in _PUBLICATIONS:
            papers.extend(_publications(block, file))
            # What the entries' fields do not hold ('Citations: 1400+ | h-index: 9', '169
            # stars') stays quotable as the section's text.
            body = _publication_notes(block)
        else:
            body = _section_text(block)
        if body:
            sections.append(
                Section(
                    heading_path=(name or "CV", heading),
                    text=body,
                    source=Source(file, block.line),
                    kind="profile",
                    owner=name,
                )
            )
    if not papers and not sections:
        raise ParseError("is a CV with no readable sections or publications")
    return ParseResult(papers=papers, sections=sections)


def _has_text(block: Block) -> bool:
    return any(line.strip() and line.strip() != "---" for _, line in block.body)


def _section_text(block: Block) -> str:
    lines = []
    for _, line in block.body:
        stripped = line.strip()
        if not stripped or stripped == "---":
            continue
        lines.append(clean_inline(stripped))
    return "\n".join(line for line in lines if line)


def _entries(block: Block) -> list[tuple[int, str, list[str]]]:
    """(line, year, lines) for each '- YEAR ...' item, continuation lines included."""
    entries: list[tuple[int, str, list[str]]] = []
    for number, line in block.body:
        stripped = line.strip()
        start = _ENTRY_START.match(stripped)
        if start:
            entries.append((number, start["year"], [start["rest"]]))
        elif (
            stripped and entries and not stripped.startswith("[") and not stripped.startswith("- [")
        ):
            entries[-1][2].append(stripped)
    return entries


def _publication_notes(block: Block) -> str:
    """The section's lines that are no entry, and each entry's words left over once its
    authors, title, venue and awards are read: 'Title (2019): code github.com/x/y - 169
    stars'. The code link stays: a star count is the repository's, and 'which code does
    my CV link' is answered from here."""
    first = min((line for line, _, _ in _entries(block)), default=None)
    notes = [
        clean_inline(text.strip())
        for number, text in block.body
        if text.strip() and text.strip() != "---" and (first is None or number < first)
    ]
    for _, year, lines in _entries(block):
        joined = " ".join(collapse_spaces(line) for line in lines)
        title = _TITLE.search(joined)
        if title is None:
            continue
        code = _CODE.sub(lambda m: f" code {m['text'] or m['url']} ", joined[title.end() :])
        rest = _BOLD.sub(" ", _ITALIC.sub(" ", code))
        left = collapse_spaces(_NOTE.sub(" ", clean_inline(rest))).strip(" -–—.,;|")
        if left:
            notes.append(f"{collapse_spaces(title['title']).strip(' ,.')} ({year}): {left}")
    return "\n".join(n for n in notes if n)


def _publications(block: Block, file: str) -> list[Paper]:
    papers = []
    for line, year, lines in _entries(block):
        paper = parse_publication(year, lines, Source(file, line))
        if paper is not None:
            papers.append(paper)
    return papers


def parse_publication(year: str, lines: list[str], source: Source) -> Paper | None:
    """One CV publication from its (possibly wrapped) lines; None without a quoted title."""
    joined = " ".join(collapse_spaces(line) for line in lines)
    title_match = _TITLE.search(joined)
    if not title_match:
        return None
    title = collapse_spaces(title_match["title"]).strip(" ,.")
    authors = _authors(joined[: title_match.start()])
    after = joined[title_match.end() :]
    code = [Link("code", m["url"]) for m in _CODE.finditer(after)]
    after = _CODE.sub(" ", after)
    italics = list(_ITALIC.finditer(after))
    venue = collapse_spaces(italics[0]["text"]) if italics else None
    awards = _awards(after, italics)
    return Paper(
        title=title,
        authors=authors,
        year=int(year),
        venue=venue,
        awards=awards,
        links=tuple(code),
        sources=(source,),
    )


def _authors(raw: str) -> tuple[str, ...]:
    """'**Suraj Srinivas\\***, Kyle Matoba\\*, Hima Lakkaraju. (\\*co-first-author)' ->
    ('Suraj Srinivas', 'Kyle Matoba', 'Hima Lakkaraju')"""
    raw = _NOTE.sub(" ", raw)
    names = [clean_inline(part).strip(" .") for part in raw.split(",")]
    return tuple(n for n in names if n)


def _awards(after: str, italics: list[re.Match[str]]) -> tuple[str, ...]:
    """Bold marks after the venue: 'Oral', or 'Best Paper Award at <workshop>'."""
    awards: list[str] = []
    for bold in _BOLD.finditer(after):
        text = collapse_spaces(bold["text"])
        where = [m for m in italics[1:] if m.end() <= bold.start()]
        if where and after[where[-1].end() : bold.start()].strip(" -") == "":
            awards.append(f"{text} at {collapse_spaces(where[-1]['text'])}")
        else:
            awards.append(text)
    return tuple(awards)
