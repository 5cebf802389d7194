"""PDFs: clean text located by section and page, and a `Paper` read from the first pages.

PDFium (pypdfium2) reads the text with each line's place and size; `pdf_layout`
turns the lines into headings and paragraphs in reading order, and `pdf_metadata`
reads the title, authors, year, venue and abstract the way a researcher would. The
text is cut into one section per heading and page, so a passage is cited as
'Title > 2.9 Fail-overs' on the page it is printed on.

Damaged files: PDFium repairs most of them; a file cut before its trailer gets one
more try with a stand-in trailer; what PDFium still cannot open goes to the pypdf
reader (`pdf_pypdf`), which recovers the pages that survived. Either way a broken
file fails with a `ParseError` sentence, never a traceback, and `parse_pdf_with_note`
says when a file was read only in part.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import TYPE_CHECKING

from retrieval.parsers import ParseError, pdf_pypdf
from retrieval.parsers.pdf_layout import Block, blocks, body_size
from retrieval.parsers.pdf_lines import PDFIUM_LOCK, PageLines, read_lines
from retrieval.parsers.pdf_metadata import PdfMetadata, read_metadata
from retrieval.parsers.pdf_text import clean
from retrieval.records import Paper, ParseResult, Section, Source

if TYPE_CHECKING:
    import pypdfium2

NAME = "pdf"
MAGIC = b"%PDF-"
DAMAGED = pdf_pypdf.DAMAGED
ENCRYPTED = pdf_pypdf.ENCRYPTED
# The catalog object of a file, wherever it sits; bounded so the scan stays linear.
_CATALOG = re.compile(rb"(\d+)\s+(\d+)\s+obj\s*<<(?:(?!endobj).){0,500}?/Type\s*/Catalog\b", re.S)


def detect(data: str | bytes, path: Path) -> bool:
    """Starts with the '%PDF-' magic bytes (readers allow up to 1 KB of junk before them)."""
    head = data[:1024]
    return MAGIC in head if isinstance(head, bytes) else MAGIC.decode() in head


def parse_pdf(data: bytes, file: str) -> ParseResult:
    """Sections by heading and page and, when a title is found, a `Paper` for the PDF."""
    return parse_pdf_with_note(data, file)[0]


def parse_pdf_with_note(data: bytes, file: str) -> tuple[ParseResult, str | None]:
    """As `parse_pdf`, with a note for the user when the file was read only in part.

    A PDF cut short after two of its four pages -> (its sections, 'looks cut short or
    damaged: read the 2 pages of text that survived').
    """
    result = read_pdf(data, file)
    return result.parsed, result.note


@dataclasses.dataclass
class PdfReading:
    """Everything read from one PDF: the parse result, a note, and the metadata with the
    origin of each field (None when the pypdf fallback read the file)."""

    parsed: ParseResult
    note: str | None
    metadata: PdfMetadata | None
    pages: int


def read_pdf(data: bytes, file: str) -> PdfReading:
    """Read `data` (the bytes of a PDF named `file`) with PDFium, or pypdf if it must."""
    with PDFIUM_LOCK:
        opened = _open(data)
        if opened is None:
            parsed, note = pdf_pypdf.parse_with_note(data, file)
            return PdfReading(parsed, note, None, len(parsed.sections))
        doc, repaired = opened
        try:
            pages, unreadable, total = _read_pages(doc)
            info = _info(doc)
        finally:
            doc.close()
    if not any(page.lines for page in pages):
        if repaired or unreadable:
            raise ParseError(f"{DAMAGED}: no page could be read")
        raise ParseError("is a PDF with no extractable text (scanned pages need OCR first)")
    body = body_size(pages)
    doc_blocks = blocks(pages, body)
    meta = read_metadata(pages, doc_blocks, info, body)
    heading = meta.title or Path(file).stem
    sections = _sections(doc_blocks, heading, file)
    papers = []
    if meta.title:
        papers.append(
            Paper(
                title=meta.title,
                authors=meta.authors,
                year=meta.year,
                venue=meta.venue,
                abstract=meta.abstract,
                sources=(Source(file, 1, page=meta.title_page),),
                origins=tuple(meta.origins.items()),
            )
        )
    read = sum(1 for page in pages if page.lines)
    note = None
    if repaired:
        note = f"looks cut short or damaged: read the {_pages(read)} of text that survived"
    elif unreadable:
        note = f"{unreadable} of {_pages(total)} could not be read"
    return PdfReading(ParseResult(papers=papers, sections=sections), note, meta, total)


def _pages(count: int) -> str:
    return f"{count} page" if count == 1 else f"{count} pages"


def _open(data: bytes) -> tuple[pypdfium2.PdfDocument, bool] | None:
    """A PDFium document and whether it needed a stand-in trailer, or None when PDFium
    cannot open the file at all (the pypdf reader gets a try then)."""
    import pypdfium2

    for attempt, blob in enumerate((data, _with_trailer(data))):
        if blob is None:
            break
        try:
            doc = pypdfium2.PdfDocument(blob)
        except pypdfium2.PdfiumError as exc:
            if "password" in str(exc).lower():
                raise ParseError(ENCRYPTED) from None
            continue
        if len(doc) == 0:
            doc.close()
            raise ParseError(f"{DAMAGED}: it has no pages")
        # PDFium repairs small flaws silently; only a stand-in trailer is worth a note.
        return doc, attempt == 1
    return None


def _with_trailer(data: bytes) -> bytes | None:
    """`data` with a trailer naming its last catalog, for a file cut before its own."""
    catalogs = list(_CATALOG.finditer(data))
    if not catalogs:
        return None
    number, generation = catalogs[-1].groups()
    return data + b"\ntrailer\n<< /Root %s %s R >>\nstartxref\n0\n%%%%EOF\n" % (number, generation)


def _read_pages(doc: pypdfium2.PdfDocument) -> tuple[list[PageLines], int, int]:
    """Each page's cleaned lines, how many pages failed, and the page count."""
    pages: list[PageLines] = []
    unreadable = 0
    total = len(doc)
    for index in range(total):
        try:
            page = doc[index]
            try:
                lines = read_lines(page, index + 1)
            finally:
                page.close()
        except Exception:  # one broken page must not lose the others
            unreadable += 1
            continue
        cleaned = (dataclasses.replace(ln, text=clean(ln.text)) for ln in lines.lines)
        pages.append(dataclasses.replace(lines, lines=tuple(ln for ln in cleaned if ln.text)))
    return pages, unreadable, total


def _info(doc: pypdfium2.PdfDocument) -> dict[str, str]:
    try:
        return {k: str(v) for k, v in doc.get_metadata_dict(skip_empty=True).items()}
    except Exception:  # a damaged /Info dictionary is no reason to lose the pages
        return {}


def _sections(doc_blocks: list[Block], title: str, file: str) -> list[Section]:
    """One section per run of paragraphs under one heading on one page."""
    sections: list[Section] = []
    heading: str | None = None
    texts: list[str] = []
    page = 0

    def flush() -> None:
        if texts:
            path = (title, heading) if heading else (title,)
            sections.append(Section(path, "\n\n".join(texts), Source(file, 1, page=page)))
            texts.clear()

    for block in doc_blocks:
        if block.page != page:
            flush()
            page = block.page
        if block.kind == "heading":
            if block.text.casefold() in title.casefold():  # the title's own lines
                continue
            flush()
            heading = block.text
            continue
        texts.append(block.text)
    flush()
    return sections
