"""PDFs via pypdf: one document section per page, and the paper itself when its title
can be found (metadata, else the first substantial line of page 1).

A truncated, damaged or encrypted file raises `ParseError` with a sentence, never a
pypdf traceback; a page whose text cannot be extracted is skipped.
"""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

from retrieval.parsers import ParseError
from retrieval.records import Paper, ParseResult, Section, Source
from retrieval.text import collapse_spaces

NAME = "pdf"
_JUNK_TITLES = re.compile(
    r"^(untitled|microsoft word\b|document\d*|slide \d+|.*\.(docx?|pdf|tex|dvi))", re.I
)
_ABSTRACT = re.compile(r"\babstract\b[\s.:—-]*", re.I)


def detect(text: str, path: Path) -> bool:
    return path.suffix.lower() == ".pdf"


def parse_pdf(data: bytes, file: str) -> ParseResult:
    """Page sections and, when a title is found, a `Paper` for the PDF itself."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            reader.decrypt("")  # many PDFs are "encrypted" with an empty user password
        pages = list(reader.pages)
        if pages:
            pages[0].extract_text()  # raises here, not later, if the password was needed
    except FileNotDecryptedError:
        raise ParseError("is an encrypted PDF: save an unencrypted copy to index it") from None
    except Exception as exc:  # pypdf raises many types on damaged files; all mean the same
        raise ParseError(
            f"is not a readable PDF (truncated or damaged: {type(exc).__name__})"
        ) from None
    texts: list[tuple[int, str]] = []
    for number, page in enumerate(pages, 1):
        try:
            text = page.extract_text() or ""
        except Exception:  # one broken page must not lose the others
            continue
        text = text.strip()
        if text:
            texts.append((number, text))
    if not texts:
        raise ParseError("is a PDF with no extractable text (scanned images need OCR first)")
    title = _title(reader, texts[0][1])
    heading = title or Path(file).stem
    sections = [Section((heading, f"page {n}"), text, Source(file, 1, page=n)) for n, text in texts]
    papers = []
    if title:
        authors = _meta(reader, "author")
        papers.append(
            Paper(
                title=title,
                authors=tuple(a.strip() for a in re.split(r";|,| and ", authors) if a.strip())
                if authors
                else (),
                abstract=_abstract(texts[0][1]),
                sources=(Source(file, 1, page=1),),
            )
        )
    return ParseResult(papers=papers, sections=sections)


def _meta(reader: object, name: str) -> str | None:
    try:
        meta = reader.metadata  # type: ignore[attr-defined]
        value = getattr(meta, name, None) if meta else None
    except Exception:
        return None
    return collapse_spaces(str(value)) if value else None


def _title(reader: object, first_page: str) -> str | None:
    meta = _meta(reader, "title")
    if meta and len(meta) > 5 and not _JUNK_TITLES.match(meta):
        return meta
    for line in first_page.splitlines()[:15]:
        line = collapse_spaces(line)
        if 15 <= len(line) <= 200 and sum(ch.isalpha() for ch in line) > len(line) * 0.6:
            return line
    return None


def _abstract(first_page: str) -> str | None:
    match = _ABSTRACT.search(first_page)
    if not match:
        return None
    body = first_page[match.end() :]
    cut = re.search(r"\n\s*(?:1\.?\s+)?Introduction\b", body, re.I)
    body = body[: cut.start()] if cut else body[:2000]
    return collapse_spaces(body) or None
