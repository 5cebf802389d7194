"""BibTeX files (`.bib`) via bibtexparser 2: one `Paper` per entry, abstracts kept.

Braces and LaTeX accents are decoded to text ('{\\"o}' -> 'ö'); authors become
'First von Last Jr' whatever form the file used; the venue is the booktitle or
journal (or what stands in for them: school, howpublished, the arXiv archive); a DOI
becomes a https://doi.org link. `@string` macros are expanded, `#` concatenations too.

Entries that cannot be read (unbalanced braces, no title) are skipped and counted, and
the rest of the file still loads. `read` returns that count and each paper's own
citation key beside the papers; `parse_with_failures` is the (papers, count) pair the
loader reports as "3 BibTeX entries could not be read"; `parse` is the plain parser
protocol. An entry whose key repeats an earlier one is still read: the catalog assigns
its own unique keys, and a repeated key is usually a second paper, not a copy.

Simplified on purpose: crossref inherits only the venue and year; `@set`/`@xdata`
entries are ignored; month, pages, volume and editors are not kept.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from retrieval.parsers import ParseError
from retrieval.records import Link, Paper, ParseResult, Source
from retrieval.text import collapse_spaces

if TYPE_CHECKING:
    from bibtexparser.model import Entry
    from pylatexenc.latex2text import LatexNodes2Text

NAME = "bibtex"
_VENUE_FIELDS = ("booktitle", "journal", "journaltitle", "school", "institution", "howpublished")
# Used only when neither the entry nor its crossref parent names a venue.
_FALLBACK_VENUE_FIELDS = ("eprinttype", "archiveprefix", "publisher")
_IGNORED_TYPES = {"set", "xdata"}
_YEAR = re.compile(r"\b(\d{4})\b")
_URL_MACRO = re.compile(r"\\url\{([^{}\s]+)\}")
_DOI_PREFIX = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)", re.I)


@dataclass(frozen=True)
class BibtexRead:
    """What a .bib file held: papers, how many entries were unreadable, each paper's key.

    `keys[i]` is the citation key the file gave `result.papers[i]` (e.g. 'srinivas2019').
    """

    result: ParseResult
    failed: int
    keys: tuple[str, ...]


def detect(text: str, path: Path) -> bool:
    """Any `.bib` file."""
    return path.suffix.lower() == ".bib"


def parse(text: str, file: str) -> ParseResult:
    """The papers of a .bib file (the parser protocol); see `read` for the rest."""
    return read(text, file).result


def parse_with_failures(text: str, file: str) -> tuple[ParseResult, int]:
    """The papers of a .bib file and how many entries could not be read."""
    got = read(text, file)
    return got.result, got.failed


def read(text: str, file: str) -> BibtexRead:
    """Papers, the count of unreadable entries, and the file's own keys.

    Raises `ParseError` when not one entry could be read.
    """
    import bibtexparser
    from bibtexparser.model import DuplicateBlockKeyBlock, Entry

    # Its splitter logs every broken block; they are counted and reported instead.
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    library = bibtexparser.parse_string(text)
    strings = {key.lower(): str(s.value) for key, s in library.strings_dict.items()}
    entries = list(library.entries)
    failed = 0
    for block in library.failed_blocks:
        # A repeated key is not a broken entry: read it like any other.
        if isinstance(block, DuplicateBlockKeyBlock) and isinstance(
            block.ignore_error_block, Entry
        ):
            entries.append(block.ignore_error_block)
        else:
            failed += 1
    by_key = {entry.key.lower(): entry for entry in library.entries}
    papers: list[Paper] = []
    keys: list[str] = []
    for entry in sorted(entries, key=lambda e: e.start_line or 0):
        if entry.entry_type.lower() in _IGNORED_TYPES:
            continue
        paper = _paper(entry, file, strings, by_key)
        if paper is None:
            failed += 1
            continue
        papers.append(paper)
        keys.append(entry.key)
    if not papers:
        reason = (
            f"{failed} could not be read; check for unbalanced braces and missing titles"
            if failed
            else "no @article{...} or similar entries were found"
        )
        raise ParseError(f"has no readable BibTeX entries ({reason})")
    return BibtexRead(ParseResult(papers=papers), failed, tuple(keys))


def _paper(
    entry: Entry, file: str, strings: dict[str, str], by_key: dict[str, Entry]
) -> Paper | None:
    """The entry as a Paper, or None when it has no title."""
    fields = {f.key.lower(): _value(f.value, f.enclosing, strings) for f in entry.fields}
    title = latex_to_text(fields.get("title", ""))
    if not title:
        return None
    parent = by_key.get(fields.get("crossref", "").strip().lower())
    inherited = (
        {f.key.lower(): _value(f.value, f.enclosing, strings) for f in parent.fields}
        if parent is not None
        else {}
    )
    venue = (
        _venue(fields, _VENUE_FIELDS)
        or _venue(inherited, _VENUE_FIELDS)
        or latex_to_text(inherited.get("title", ""))
        or _venue(fields, _FALLBACK_VENUE_FIELDS)
    )
    keywords = re.split(r"[;,]", latex_to_text(fields.get("keywords", "")))
    return Paper(
        title=title,
        authors=tuple(split_authors(fields.get("author", ""))),
        year=_year(fields) or _year(inherited),
        venue=venue or None,
        keywords=tuple(k.strip() for k in keywords if k.strip()),
        abstract=latex_to_text(fields.get("abstract", "")) or None,
        sources=(Source(file, (entry.start_line or 0) + 1),),
        links=_links(fields),
        bibkey_hint=entry.key,
    )


def _value(value: object, enclosing: str | None, strings: dict[str, str]) -> str:
    """A field's text, with `@string` macros and `#` concatenations expanded.

    nips # " 32" (with @string{nips = {NeurIPS}}) -> 'NeurIPS 32'
    """
    text = str(value)
    if enclosing != "no-enclosing" or "#" not in text:
        return text
    parts = []
    for part in _split_concatenation(text):
        if len(part) >= 2 and (part[0], part[-1]) in {("{", "}"), ('"', '"')}:
            parts.append(part[1:-1])
        else:
            parts.append(strings.get(part.lower(), part))
    return "".join(parts)


def _split_concatenation(text: str) -> list[str]:
    """'a # {b # c} # "d"' -> ['a', '{b # c}', '"d"']: split on '#' outside braces and quotes."""
    parts, depth, quoted, start = [], 0, False, 0
    for index, char in enumerate(text):
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            parts.append(text[start:index].strip())
            start = index + 1
    parts.append(text[start:].strip())
    return [part for part in parts if part]


def _venue(fields: dict[str, str], names: tuple[str, ...]) -> str:
    """The first of `names` that holds a venue rather than a URL."""
    for name in names:
        value = fields.get(name, "")
        if value and not _URL_MACRO.search(value) and "://" not in value:
            return latex_to_text(value)
    return ""


def _year(fields: dict[str, str]) -> int | None:
    """From `year`, else from biblatex's `date` ('2019-05-01' -> 2019)."""
    match = _YEAR.search(fields.get("year", "")) or _YEAR.search(fields.get("date", ""))
    return int(match.group(1)) if match else None


def _links(fields: dict[str, str]) -> tuple[Link, ...]:
    links = []
    url = fields.get("url", "").strip()
    if not url:
        found = _URL_MACRO.search(fields.get("howpublished", "") + fields.get("note", ""))
        url = found.group(1) if found else ""
    if url:
        links.append(Link("url", url))
    doi = _DOI_PREFIX.sub("", fields.get("doi", "").strip())
    if doi:
        links.append(Link("doi", f"https://doi.org/{doi}"))
    archive = (fields.get("archiveprefix") or fields.get("eprinttype") or "").strip().lower()
    eprint = fields.get("eprint", "").strip()
    if eprint and archive == "arxiv":
        links.append(Link("arxiv", f"https://arxiv.org/abs/{eprint}"))
    return tuple(links)


def latex_to_text(value: str) -> str:
    """LaTeX markup decoded and braces dropped.

    'Full-{G}radient for {\\"o}ne and {\\'e}t{\\'e}' -> 'Full-Gradient for öne and été'
    """
    if not value:
        return ""
    if "\\" in value or "$" in value:
        with contextlib.suppress(Exception):  # malformed LaTeX: just strip the braces
            value = _latex_converter().latex_to_text(value)
    return collapse_spaces(value.replace("{", "").replace("}", "").replace("~", " "))


@functools.cache
def _latex_converter() -> LatexNodes2Text:
    """One converter for all fields: building one costs more than converting a title."""
    from pylatexenc.latex2text import LatexNodes2Text

    return LatexNodes2Text(math_mode="verbatim")


def split_authors(raw: str) -> list[str]:
    """BibTeX names in 'First von Last Jr' order; 'and others' is dropped.

    'Srinivas, Suraj and Fleuret, Fran{\\c{c}}ois and {Google Research}'
    -> ['Suraj Srinivas', 'François Fleuret', 'Google Research']
    """
    from bibtexparser.middlewares.names import (
        parse_single_name_into_parts,
        split_multiple_persons_names,
    )

    names = []
    for name in split_multiple_persons_names(raw):
        if name.strip().lower() == "others":
            continue
        try:
            ordered = parse_single_name_into_parts(name, strict=False).merge_first_name_first
        except Exception:  # an odd name is kept as written rather than lost
            ordered = name
        text = latex_to_text(ordered)
        if text:
            names.append(text)
    return names
