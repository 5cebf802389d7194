"""BibTeX files (`.bib`) via bibtexparser 2: one `Paper` per entry, abstracts kept.

Braces and LaTeX accents are decoded to text ('{\\"O}' -> 'Ö'); authors are
turned from 'Last, First' into 'First Last'; the venue is the booktitle or journal.
Entries that do not parse (unbalanced braces, no title) are skipped and counted,
and the rest of the file still loads: `parse_with_failures` returns that count for
the loader to report.
"""

from __future__ import annotations

import contextlib
import logging
import re
from pathlib import Path

from retrieval.parsers import ParseError
from retrieval.records import Link, Paper, ParseResult, Source
from retrieval.text import collapse_spaces, find_year

NAME = "bibtex"
_VENUE_FIELDS = ("booktitle", "journal", "series", "publisher", "school", "howpublished")


def detect(text: str, path: Path) -> bool:
    return path.suffix.lower() == ".bib"


def parse(text: str, file: str) -> ParseResult:
    return parse_with_failures(text, file)[0]


def parse_with_failures(text: str, file: str) -> tuple[ParseResult, int]:
    """The papers of a .bib file and how many entries could not be read."""
    import bibtexparser

    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    library = bibtexparser.parse_string(text)
    papers: list[Paper] = []
    failed = len(library.failed_blocks)
    for entry in library.entries:
        fields = {k.lower(): str(v.value) for k, v in entry.fields_dict.items()}
        title = latex_to_text(fields.get("title", ""))
        if not title:
            failed += 1
            continue
        links = []
        if fields.get("url"):
            links.append(Link("url", fields["url"].strip()))
        if fields.get("doi"):
            doi = fields["doi"].strip()
            links.append(Link("doi", doi if doi.startswith("http") else f"https://doi.org/{doi}"))
        venue = next((latex_to_text(fields[f]) for f in _VENUE_FIELDS if fields.get(f)), None)
        keywords = tuple(
            k.strip()
            for k in re.split(r"[;,]", latex_to_text(fields.get("keywords", "")))
            if k.strip()
        )
        papers.append(
            Paper(
                title=title,
                authors=tuple(_authors(fields.get("author", ""))),
                year=find_year(fields.get("year", "")),
                venue=venue or None,
                keywords=keywords,
                abstract=latex_to_text(fields.get("abstract", "")) or None,
                sources=(Source(file, (entry.start_line or 0) + 1),),
                links=tuple(links),
            )
        )
    if not papers:
        raise ParseError("has no readable BibTeX entries (check for unbalanced braces)")
    return ParseResult(papers=papers), failed


def latex_to_text(value: str) -> str:
    """'Full-{G}radient for {\\"O}ne' -> 'Full-Gradient for Öne'."""
    if not value:
        return ""
    if "\\" in value or "$" in value:
        from pylatexenc.latex2text import LatexNodes2Text

        with contextlib.suppress(Exception):  # malformed LaTeX: just strip the braces
            value = LatexNodes2Text(math_mode="verbatim").latex_to_text(value)
    return collapse_spaces(value.replace("{", "").replace("}", ""))


def _authors(raw: str) -> list[str]:
    """'Srinivas, Suraj and Fleuret, Fran{\\c{c}}ois' -> ['Suraj Srinivas', 'François Fleuret']"""
    names = []
    for part in re.split(r"\s+and\s+", latex_to_text(raw)):
        part = part.strip()
        if not part or part.lower() == "others":
            continue
        if "," in part:
            last, _, first = part.partition(",")
            part = f"{first.strip()} {last.strip()}".strip()
        names.append(part)
    return names
