"""Title, authors, year, venue and abstract read from a paper's first pages, as a
researcher would read them, with where each came from.

- Title: the largest upright text of the first page that has a title, joined across
  its lines; banners (rights notices, DOIs, arXiv stamps, URLs, 'Reprinted from',
  journal mastheads) never count. A cover sheet (USENIX, DSpace, report covers) is
  recognised when a later page repeats the title: the paper is read from there. The
  PDF's own /Title is used when no title is found, or when it says the same as the
  layout in other words (an OCR layer that misread a word).
  A title set in one column of a two-column page is joined with the lines under it,
  not with the other column's lines level with it; a running header that repeats the
  title is not a later title page.
- Authors: the lines between the title and the abstract (or keywords), in the
  title's column, with e-mail addresses, affiliations and their addresses,
  membership grades and footnote marks taken out.
- Year: a dated venue line (journal issue, proceedings, 'To appear in') or a line
  citing the paper, then a printed date, then an arXiv identifier, then a copyright
  line, on the title page before the page after it; then the paper's history
  ('Received ...', 'submitted to ...'), then /CreationDate (see pdf_years).
- Abstract: the text under an 'Abstract' heading (or run in: 'Abstract—We ...'); with
  no heading, a first paragraph set apart from the body in a smaller size.

Simplified on purpose: author names are recognised by their shape (capitalised words
and initials), so a one-word name or an affiliation shaped like a name may be missed
or kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from retrieval.parsers.pdf_authors import is_affiliation, parse_authors
from retrieval.parsers.pdf_layout import Block, running_lines
from retrieval.parsers.pdf_lines import Line, PageLines
from retrieval.parsers.pdf_years import find_year
from retrieval.text import TITLE_SMALL_WORDS, collapse_spaces

# Lines that are never a title: stamps, banners, notices, identifiers.
BANNER = re.compile(
    r"arxiv|\bdoi\b|doi:|https?:|www\.|\.(?:com|org|edu)\b|©|\(c\)|copyright|all rights|"
    r"general rights|reprinted|to appear|appeared in|published in|proceedings of|"
    r"\bjournal of\b|\bvol(?:ume)?\.?\s*\d|\bno\.\s*\d|issn|isbn|technical report|"
    r"this paper is included|permission to|licen[cs]e|preprint|submitted to|"
    r"@|^\d+$|^page \d",
    re.I,
)
_JUNK_META_TITLE = re.compile(
    r"^(?:untitled|title|paper|main|manuscript|draft|document\d*|slide \d+|"
    r"microsoft (?:word|powerpoint)\b.*|.*\.(?:docx?|pdf|tex|dvi|ps|eps|pptx?))$",
    re.I,
)
_FOOTNOTE_MARKS = re.compile(r"\s*[*∗†‡§¶⋆]+")
_ABSTRACT_HEAD = re.compile(r"^abstract\s*[.:—–-]?\s*", re.I)
_NOT_ABSTRACT_END = re.compile(
    r"^(?:keywords?|key words|index terms|categories and subject|ccs concepts|general terms)",
    re.I,
)
_MAX_ABSTRACT = 2500
# How many pages a cover sheet and front matter may take before the paper starts.
FRONT_PAGES = 4


@dataclass
class PdfMetadata:
    """What the first pages say, and for each field found, where it came from."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    year: int | None = None
    venue: str | None = None
    abstract: str | None = None
    title_page: int = 1
    origins: dict[str, str] = field(default_factory=dict)


def read_metadata(
    pages: list[PageLines], doc_blocks: list[Block], info: dict[str, str], body: float
) -> PdfMetadata:
    """Metadata of a paper from its first `FRONT_PAGES` pages and its /Info dictionary."""
    meta = PdfMetadata()
    front = pages[:FRONT_PAGES]
    found = _layout_title(front)
    meta_title = _meta_title(info.get("Title", ""))
    if found is not None:
        page, lines = found
        title = _join_title(lines)
        later = _repeated_title(front, page, title, running_lines(pages))
        if later is not None:
            page, lines = later
            title = _join_title(lines)
        meta.title, meta.title_page = title, page.number
        meta.origins["title"] = f"largest text on page {page.number}"
        if (
            meta_title
            and _same_words(meta_title, title)
            and set(_words(meta_title)) != set(_words(title))
        ):
            meta.title = meta_title
            meta.origins["title"] = "PDF metadata (/Title), agreeing with the page layout"
        meta.authors = parse_authors(_author_lines(page, lines))
        if meta.authors:
            meta.origins["authors"] = f"lines under the title on page {page.number}"
    elif meta_title:
        meta.title = meta_title
        meta.origins["title"] = "PDF metadata (/Title)"
    elif front and (line := _first_title_line(front[0])) is not None:
        meta.title = line
        meta.origins["title"] = "first title-like line of page 1 (all text one size)"
    if not meta.authors and info.get("Author"):
        meta.authors = parse_authors([info["Author"]], metadata=True)
        if meta.authors:
            meta.origins["authors"] = "PDF metadata (/Author)"
    year = find_year(front, meta.title_page, info, meta.title)
    if year is not None:
        meta.year, meta.venue, origin = year
        meta.origins["year"] = origin
        if meta.venue:
            meta.origins["venue"] = origin
    abstract = _abstract(doc_blocks, meta.title_page, body)
    if abstract is not None:
        meta.abstract, meta.origins["abstract"] = abstract
    return meta


def _candidates(page: PageLines) -> list[Line]:
    return [
        line
        for line in page.lines
        if not line.rotated
        and line.size > 0
        and sum(ch.isalpha() for ch in line.text) >= 4
        and not BANNER.search(line.text)
    ]


def _layout_title(pages: list[PageLines]) -> tuple[PageLines, list[Line]] | None:
    """The first page with a title, and the title's lines: the largest text, with the
    lines of about the same size right below it."""
    for page in pages:
        lines = _title_lines(page)
        if lines:
            return page, lines
    return None


def _title_lines(page: PageLines) -> list[Line]:
    candidates = _candidates(page)
    if not candidates:
        return []
    body = _page_body(page)
    biggest = max(line.size for line in candidates)
    if biggest < 1.07 * body and not _looks_like_caps_title(candidates, body):
        return []
    if biggest < 1.07 * body:  # a title set in capitals at the body size (AMS style)
        first = next(ln for ln in candidates if _caps_title(ln, body))
    else:
        first = max(candidates, key=lambda ln: (ln.size >= 0.94 * biggest, ln.top))
    ordered = sorted(page.lines, key=lambda ln: -ln.top)
    start = ordered.index(first)
    lines = [first]
    for line in ordered[start + 1 :]:
        prev = lines[-1]
        gap = prev.bottom - line.top
        if line.rotated or not _same_column(line, lines, page.width):
            continue  # the other column's text, level with the title
        if abs(line.size - first.size) > 0.1 * first.size or gap > 1.2 * first.size:
            break
        if BANNER.search(line.text):
            break
        lines.append(line)
        if len(lines) == 4:
            break
    return lines


def _first_title_line(page: PageLines) -> str | None:
    """On a page set in one size, the first line shaped like a title."""
    for line in _candidates(page)[:20]:
        text = line.text
        visible = text.replace(" ", "")
        letters = sum(ch.isalpha() for ch in visible)
        if 12 <= len(text) <= 250 and " " in text and letters >= 0.6 * len(visible):
            return _join_title([line])
    return None


def _looks_like_caps_title(candidates: list[Line], body: float) -> bool:
    return any(_caps_title(ln, body) for ln in candidates[:8])


def _caps_title(line: Line, body: float) -> bool:
    return line.text.isupper() and len(line.text) > 12 and line.size >= 0.95 * body


def _page_body(page: PageLines) -> float:
    sizes: dict[float, int] = {}
    for line in page.lines:
        if not line.rotated:
            sizes[round(line.size, 1)] = sizes.get(round(line.size, 1), 0) + len(line.text)
    return max(sizes, key=lambda s: sizes[s]) if sizes else 10.0


def _join_title(lines: list[Line]) -> str:
    text = " ".join(ln.text for ln in lines)
    text = _FOOTNOTE_MARKS.sub("", text)
    text = re.sub(r"\s+([:,])", r"\1", text)
    text = collapse_spaces(text).strip(" ,;")
    if text.isupper():
        text = _title_case(text)
    return text


def _title_case(text: str) -> str:
    small = TITLE_SMALL_WORDS
    words = text.lower().split()
    return " ".join(w if i and w in small else w[:1].upper() + w[1:] for i, w in enumerate(words))


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.casefold())


def _same_words(a: str, b: str) -> bool:
    """Two titles that share most of their words ('X3: A Low Overhead ...' and
    '2Q: A Low Overhead ...')."""
    wa, wb = _words(a), _words(b)
    if len(wa) < 3 or len(wb) < 3 or len(wa) < 0.8 * len(wb):
        return False
    common = len(set(wa) & set(wb))
    return common >= 0.75 * max(len(set(wa)), len(set(wb)))


def _meta_title(value: str) -> str | None:
    """The /Title entry when it looks like a real title."""
    value = re.sub(r"<[^>]+>", "", value or "")
    value = re.sub(r"^\[[^\]]*\]\s*", "", value)  # '[inria-00555588, v1] A ...'
    value = collapse_spaces(value)
    if len(value) < 6 or _JUNK_META_TITLE.match(value) or BANNER.search(value):
        return None
    if len(value.split()) < 2:
        return None
    return value


def _repeated_title(
    pages: list[PageLines], page: PageLines, title: str, running: set[tuple[int, str]]
) -> tuple[PageLines, list[Line]] | None:
    """A later front page whose own title repeats `title`: `page` was a cover sheet.
    `running` holds the document's running headers and footers, (page, text)."""
    for later in pages:
        if later.number <= page.number:
            continue
        lines = _title_lines(later)
        if any((later.number, ln.text) in running for ln in lines):
            continue  # a running header that repeats the title is no title page
        if lines and _same_words(_join_title(lines), title):
            return later, lines
    return None


def _author_lines(page: PageLines, title: list[Line]) -> list[str]:
    """Rows of text between the title and the abstract or body, top to bottom."""
    bottom = min(ln.bottom for ln in title)
    size = title[0].size
    below = [
        ln
        for ln in page.lines
        if ln.top < bottom + 1 and not ln.rotated and _same_column(ln, title, page.width)
    ]
    below.sort(key=lambda ln: -ln.top)
    rows: list[list[Line]] = []
    for line in below:
        if _ABSTRACT_HEAD.match(line.text) or _NOT_ABSTRACT_END.match(line.text):
            break  # the abstract, or the keywords of a paper without one
        if _prose(line.text):
            break
        if rows and bottom - line.top > 12 * size:
            break
        if rows and _overlaps(rows[-1][0], line):
            rows[-1].append(line)
        else:
            rows.append([line])
    return [text for row in rows if (text := _row_text(row))]


def _row_text(row: list[Line]) -> str:
    """The pieces of one row left to right; pieces set apart by a wide gap are
    separate fields (authors side by side), so they are joined as a list. A row of
    such fields that repeat ('Google Brain   Google Brain') or are mostly affiliations
    is the affiliations under the names, and gives no text."""
    fields: list[str] = []
    previous: Line | None = None
    for line in sorted(row, key=lambda ln: ln.x0):
        apart = previous is not None and line.x0 - previous.x1 > 1.5 * max(line.size, previous.size)
        if fields and not apart:
            fields[-1] += " " + line.text
        else:
            fields.append(line.text)
        previous = line
    if len(fields) > 1:
        repeated = len({f.casefold() for f in fields}) < len(fields)
        affiliations = sum(bool(is_affiliation(f)) for f in fields)
        if repeated or affiliations > len(fields) / 2:
            return ""
    return ", ".join(fields)


def _same_column(line: Line, title: list[Line], width: float) -> bool:
    """Whether `line` may lie under the title rather than beside it: a title set in one
    half of a two-column page has the other column's lines at its level. Halves, not
    exact boxes: a line's box is measured by its end characters, which a stray
    accent can throw off."""
    middle = width / 2
    if max(ln.x1 for ln in title) <= middle:
        return line.x0 < middle
    if min(ln.x0 for ln in title) >= middle:
        return line.x1 > middle
    return True


def _prose(text: str) -> bool:
    """A line of running text, not names: mostly lower-case words."""
    words = [w for w in text.split() if w[:1].isalpha()]
    return len(words) >= 8 and sum(w[0].islower() for w in words) > 0.5 * len(words)


def _overlaps(a: Line, b: Line) -> bool:
    overlap = min(a.top, b.top) - max(a.bottom, b.bottom)
    return overlap >= 0.4 * min(a.top - a.bottom, b.top - b.bottom)


def _abstract(doc: list[Block], title_page: int, body: float) -> tuple[str, str] | None:
    """The abstract's text and where it was found."""
    front = [b for b in doc if title_page <= b.page < title_page + FRONT_PAGES - 1]
    for i, block in enumerate(front):
        head = _ABSTRACT_HEAD.match(block.text)
        if not head:
            continue
        if block.kind == "heading" or block.text.strip(" .:—–-").casefold() == "abstract":
            parts = _until_heading(front[i + 1 :])
        else:  # run in: 'Abstract—Today's HPC applications ...'
            parts = [block.text[head.end() :], *_until_heading(front[i + 1 :])]
        text = collapse_spaces(" ".join(parts))[:_MAX_ABSTRACT]
        if len(text) > 40:
            return text, f"'Abstract' section on page {block.page}"
    return _unheaded_abstract(front, body)


def _until_heading(blocks: list[Block]) -> list[str]:
    parts: list[str] = []
    size = None
    for block in blocks:
        if block.kind == "heading" or _NOT_ABSTRACT_END.match(block.text):
            break
        if size is not None and abs(block.size - size) > 0.12 * size:
            break
        size = block.size if size is None else size
        parts.append(block.text)
        if sum(len(p) for p in parts) > _MAX_ABSTRACT:
            break
    return parts


def _unheaded_abstract(front: list[Block], body: float) -> tuple[str, str] | None:
    """A first long paragraph set smaller than the body, before any heading: how
    journals print an abstract without the word."""
    seen_paragraph = False
    for block in front[:12]:
        if block.kind == "heading":
            if seen_paragraph:  # the body has begun: this paper has no abstract
                return None
            continue
        seen_paragraph = True
        if (
            len(block.text) >= 200
            and block.size < 0.92 * body
            and not _NOT_ABSTRACT_END.match(block.text)
        ):
            return collapse_spaces(block.text)[:_MAX_ABSTRACT], (
                f"first paragraph on page {block.page}, set apart from the body"
            )
    return None
