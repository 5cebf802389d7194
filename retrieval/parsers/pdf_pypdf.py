"""The fallback reader for PDFs PDFium cannot open (a file cut inside a page): pypdf,
one document section per page, and a `Paper` when a title can be found.

The title is the metadata /Title unless that is junk ('untitled', 'Microsoft Word -
draft.docx', a file name), else the first substantial line of page 1. Authors come
from /Author, the abstract from the text after an 'Abstract' heading on page 1.

A damaged, truncated or encrypted file raises `ParseError` with a sentence, never a
pypdf traceback. A file cut short (a download that stopped) gets one more try with a
stand-in trailer, so the pages that survived are still read; a page whose text
cannot be extracted is skipped. `parse_pdf_with_note` says when either happened.

Simplified on purpose: no OCR and no layout analysis (two-column text comes out in
pypdf's order); a title broken over two lines keeps its first line; no year or venue
is guessed; only an empty user password is tried on an encrypted file.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from retrieval.parsers import ParseError
from retrieval.parsers.pdf_text import clean
from retrieval.records import Paper, ParseResult, Section, Source
from retrieval.text import collapse_spaces

if TYPE_CHECKING:
    from pypdf import PdfReader

DAMAGED = "is not a readable PDF (truncated or damaged)"
ENCRYPTED = "is an encrypted PDF that needs a password: save an unencrypted copy to index it"
NEEDS_AES = (
    "is an AES-encrypted PDF, which needs the 'cryptography' package to open: "
    "install it or save an unencrypted copy"
)
_JUNK_TITLE = re.compile(
    r"^(?:untitled|title|paper|main|manuscript|draft|document\d*|slide \d+|"
    r"microsoft (?:word|powerpoint)\b.*|.*\.(?:docx?|pdf|tex|dvi|ps|pptx?))$",
    re.I,
)
# Lines at the top of page 1 that are not the title: arXiv stamps, venue banners.
_NOT_TITLE = re.compile(
    r"arxiv|preprint|under review|published as|proceedings|to appear|accepted|copyright|"
    r"©|https?:|www\.|doi|issn|isbn|licen[cs]e",
    re.I,
)
_ABSTRACT = re.compile(r"^[ \t]*abstract\b[ \t]*[.:\u2014\u2013-]?[ \t]*", re.I | re.M)
_ABSTRACT_END = re.compile(
    r"\n[ \t]*(?:(?:\d+(?:\.\d*)?|I\.?)[ \t]*)?(?:introduction|keywords|index terms)\b", re.I
)
_MAX_ABSTRACT_CHARS = 2500
# The catalog object of a file, wherever it sits; bounded so the scan stays linear.
_CATALOG = re.compile(rb"(\d+)\s+(\d+)\s+obj\s*<<(?:(?!endobj).){0,500}?/Type\s*/Catalog\b", re.S)


def parse_with_note(data: bytes, file: str) -> tuple[ParseResult, str | None]:
    """Page sections and a `Paper`, with a note for the user when the file was read only
    in part.

    A PDF cut short after two of its four pages -> (two page sections, 'looks cut short
    or damaged: read the 2 pages of text that survived').
    """
    from pypdf.errors import DependencyError

    with _quiet_pypdf():
        reader, repaired = _open(data)
        try:
            pages = list(reader.pages)
        except Exception:  # a broken page tree: nothing to walk
            raise ParseError(DAMAGED) from None
        texts: list[tuple[int, str]] = []
        unreadable = 0
        for number, page in enumerate(pages, 1):
            try:
                text = (page.extract_text() or "").strip()
            except DependencyError:  # pypdf opens AES files but cannot decrypt them alone
                raise ParseError(NEEDS_AES) from None
            except Exception:  # one broken page must not lose the others
                unreadable += 1
                continue
            text = "\n".join(filter(None, (clean(line) for line in text.splitlines())))
            if text:
                texts.append((number, text))
        title = _title(reader, texts[0][1] if texts else "")
        authors = _split_authors(_meta(reader, "author") or "")
    if not texts:
        if repaired or unreadable:
            raise ParseError(f"{DAMAGED}: no page could be read")
        raise ParseError("is a PDF with no extractable text (scanned pages need OCR first)")
    heading = title or Path(file).stem
    sections = [Section((heading, f"page {n}"), text, Source(file, 1, page=n)) for n, text in texts]
    papers = []
    if title:
        first = texts[0][1] if texts[0][0] == 1 else ""
        papers.append(
            Paper(
                title=title,
                authors=authors,
                abstract=_abstract(first),
                sources=(Source(file, 1, page=1),),
            )
        )
    note = None
    if repaired:
        note = f"looks cut short or damaged: read the {_pages(len(texts))} of text that survived"
    elif unreadable:
        note = f"{unreadable} of {_pages(len(pages))} could not be read"
    return ParseResult(papers=papers, sections=sections), note


def _pages(count: int) -> str:
    return f"{count} page" if count == 1 else f"{count} pages"


def _open(data: bytes) -> tuple[PdfReader, bool]:
    """A reader for `data`, and whether it needed a stand-in trailer to open."""
    from pypdf.errors import DependencyError

    try:
        return _reader(data), False
    except ParseError:
        raise
    except DependencyError:
        raise ParseError(NEEDS_AES) from None
    except Exception:  # pypdf raises many types on damaged files; all mean the same
        pass
    catalogs = list(_CATALOG.finditer(data))
    if not catalogs:
        raise ParseError(DAMAGED) from None
    number, generation = catalogs[-1].groups()
    trailer = b"\ntrailer\n<< /Root %s %s R >>\nstartxref\n0\n%%%%EOF\n" % (number, generation)
    try:
        return _reader(data + trailer), True
    except ParseError:
        raise
    except Exception:
        raise ParseError(DAMAGED) from None


def _reader(data: bytes) -> PdfReader:
    """An open reader with its pages found, decrypted with the empty password if need be."""
    from pypdf import PasswordType, PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
        raise ParseError(ENCRYPTED)
    if len(reader.pages) == 0:
        raise ParseError(f"{DAMAGED}: it has no pages")
    return reader


@contextlib.contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf logs a warning for every flaw it works around; the user gets one note instead."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _meta(reader: PdfReader, name: str) -> str | None:
    try:
        meta = reader.metadata
        value = getattr(meta, name, None) if meta else None
    except Exception:  # a damaged /Info dictionary is no reason to lose the pages
        return None
    return collapse_spaces(str(value)) if value else None


def _title(reader: PdfReader, first_page: str) -> str | None:
    """The metadata title unless it is junk, else the first title-like line of page 1."""
    meta = _meta(reader, "title")
    if meta and len(meta) > 5 and not _JUNK_TITLE.match(meta):
        return meta
    for line in first_page.splitlines()[:20]:
        line = collapse_spaces(line)
        visible = line.replace(" ", "")
        if (
            12 <= len(line) <= 250
            and " " in line
            and sum(ch.isalpha() for ch in visible) >= 0.6 * len(visible)
            and not _NOT_TITLE.search(line)
        ):
            return line
    return None


def _split_authors(meta: str) -> tuple[str, ...]:
    """'Ann Author; Bob Author' or 'Ann Author, Bob Author and Cy Author' -> names;
    'Srinivas, Suraj' -> ('Suraj Srinivas',)."""
    names: list[str] = []
    for part in re.split(r"\s*;\s*|\s+and\s+|\s*&\s*", meta):
        pieces = [piece.strip() for piece in part.split(",") if piece.strip()]
        if len(pieces) == 2 and " " not in pieces[0]:  # 'Last, First'
            names.append(f"{pieces[1]} {pieces[0]}")
        else:
            names.extend(pieces)
    return tuple(names)


def _abstract(first_page: str) -> str | None:
    """The text after an 'Abstract' heading, up to the introduction or keywords."""
    match = _ABSTRACT.search(first_page)
    if not match:
        return None
    body = first_page[match.end() :]
    end = _ABSTRACT_END.search(body)
    body = body[: end.start()] if end else body[:_MAX_ABSTRACT_CHARS]
    return collapse_spaces(body)[:_MAX_ABSTRACT_CHARS] or None
