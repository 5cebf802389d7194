"""Small text helpers shared by the parsers, the catalog and the assistant."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
_SPACE = re.compile(r"\s+")
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")


def collapse_spaces(text: str) -> str:
    """'a \\n  b ' -> 'a b'."""
    return _SPACE.sub(" ", text).strip()


def normalize_title(title: str) -> str:
    """Case, accents, punctuation and whitespace folded away.

    'Full-Gradient  Representation for Neural Network Visualization.'
    -> 'full gradient representation for neural network visualization'
    """
    if title.isascii():  # most titles: no accents to fold, so skip the per-character pass
        text = title
    else:
        text = unicodedata.normalize("NFKD", title)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("_", " ")
    text = _PUNCT.sub(" ", text.casefold())
    return collapse_spaces(text)


def surname(author: str) -> str:
    """The family name in 'Suraj Srinivas', 'Srinivas, S.' or 'R. Venkatesh Babu'."""
    name = author.split(",")[0] if "," in author else author.split()[-1] if author.split() else ""
    return name.strip()


def find_year(text: str) -> int | None:
    """The last plausible publication year in `text`: 'ICML 2021 (2020)' -> 2020."""
    years = _YEAR.findall(text)
    return int(years[-1]) if years else None


# A sentence ends at . ! or ? (and any citation markers glued to it) before a capital,
# digit, parenthesis or emphasis; 'et al.' and 'e.g.' do not end one.
_SENTENCE_END = re.compile(r"(?<=[.!?])(?:\[[^\]]*\])*\s+(?=[A-Z0-9(*])")
_ABBREV_WORD = re.compile(r"\b(?:et al|e\.g|i\.e|vs|cf|Fig|Eq|resp|approx|Dr|Prof)\.$", re.I)
# ... nor after an initial in a name ('Prof. R. Venkatesh Babu', 'Eric J. Michaud'): a
# capital alone after a capitalised word ('show X.' still ends a sentence).
_INITIAL = re.compile(r"(?:^|\s)[A-Z][\w'-]*\.?\s+[A-Z]\.$")


def _abbreviated(text: str) -> bool:
    """An abbreviation or a name's initial ends the text: no sentence ends there."""
    return bool(_ABBREV_WORD.search(text) or _INITIAL.search(text))


# The short words a title keeps in lower case ('Sanity Checks for Saliency Maps').
_SMALL = "a an and as at by for from in of on or the to with"
TITLE_SMALL_WORDS = frozenset(_SMALL.split())


# A line ending in a comma, an ampersand or a word that joins ('... Lausanne &',
# '... Institute of') goes on on the next line.
_CONTINUED = re.compile(r"(?:[,&]|\b(?:and|or|of|the|at|in|for|with))$")


def split_sentences(text: str) -> list[str]:
    """Sentences, line by line; a line ending in a comma, a joining word or an
    abbreviation ('Prof. R.') continues on the next.

    'Han et al. show X. It works.\\nIntern, Qualcomm,\\nsparsity.' ->
    ['Han et al. show X.', 'It works.', 'Intern, Qualcomm, sparsity.']
    """
    lines: list[str] = []
    for raw in text.splitlines():
        raw = raw.strip()
        if lines and (_CONTINUED.search(lines[-1]) or _abbreviated(lines[-1])):
            lines[-1] = f"{lines[-1]} {raw}".strip()
        elif raw:
            lines.append(raw)
    out: list[str] = []
    for line in lines:
        pending = ""
        for piece in _SENTENCE_END.split(line):
            pending = f"{pending} {piece}".strip() if pending else piece
            if not _abbreviated(pending):
                out.append(pending)
                pending = ""
        if pending:
            out.append(pending)
    return out


def cut_line(line: str, limit: int) -> list[str]:
    """A line cut at spaces into pieces of at most `limit` characters (a run with no
    space in its last three quarters is cut anywhere).

    cut_line('aaa bbb ccc', 7) -> ['aaa bbb', 'ccc']
    """
    pieces: list[str] = []
    start, end = 0, len(line)
    while end - start > limit:
        cut = line.rfind(" ", start, start + limit + 1)
        if cut <= start + limit // 4:
            cut = start + limit
        piece = line[start:cut].strip()
        if piece:
            pieces.append(piece)
        start = cut
    rest = line[start:].strip()
    if rest:
        pieces.append(rest)
    return pieces


def pack_lines(lines: Iterable[tuple[int, str]], limit: int) -> list[tuple[int, str]]:
    """Numbered lines packed into texts of at most `limit` characters, each with the
    number of its first line. Blank lines end paragraphs; a paragraph stays whole when
    it fits, one that does not is cut between lines, and a line longer than `limit`
    at spaces. Linear in the input, so a 50 MB single line is no harder than a page.

    [(1, 'a b'), (2, ''), (3, 'c d')], limit=5 -> [(1, 'a b'), (3, 'c d')]
    [(1, 'a b'), (2, ''), (3, 'c')], limit=6 -> [(1, 'a b\\n\\nc')]
    """
    out: list[tuple[int, str]] = []
    parts: list[str] = []
    size = start = 0

    def add(number: int, text: str, sep: str) -> None:
        nonlocal size, start
        if parts and size + len(sep) + len(text) > limit:
            flush()
        if not parts:
            start, sep = number, ""
        parts.append(sep + text)
        size += len(sep) + len(text)

    def flush() -> None:
        nonlocal size
        if parts:
            out.append((start, "".join(parts)))
        parts.clear()
        size = 0

    for paragraph in _paragraphs(lines):
        length = sum(len(text) + 1 for _, text in paragraph) - 1
        if length <= limit:
            if parts and size + 2 + length > limit:
                flush()  # a paragraph that fits on its own is not split across two texts
            add(paragraph[0][0], "\n".join(text for _, text in paragraph), "\n\n")
            continue
        sep = "\n\n"
        for number, text in paragraph:
            for piece in cut_line(text, limit) if len(text) > limit else [text]:
                add(number, piece, sep)
                sep = " "
            sep = "\n"
    flush()
    return out


def _paragraphs(lines: Iterable[tuple[int, str]]) -> Iterator[list[tuple[int, str]]]:
    """Runs of non-blank lines, right-stripped."""
    paragraph: list[tuple[int, str]] = []
    for number, text in lines:
        text = text.rstrip()
        if text.strip():
            paragraph.append((number, text))
        elif paragraph:
            yield paragraph
            paragraph = []
    if paragraph:
        yield paragraph
