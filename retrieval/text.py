"""Small text helpers shared by the parsers and the catalog."""

from __future__ import annotations

import re
import unicodedata

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
    text = unicodedata.normalize("NFKD", title)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("_", " ")
    text = _PUNCT.sub(" ", text.casefold())
    return collapse_spaces(text)


def find_year(text: str) -> int | None:
    """The last plausible publication year in `text`: 'ICML 2021 (2020)' -> 2020."""
    years = _YEAR.findall(text)
    return int(years[-1]) if years else None


# A sentence ends at . ! or ? (and any citation markers glued to it) before a capital,
# digit, parenthesis or emphasis; 'et al.' and 'e.g.' do not end one.
_SENTENCE_END = re.compile(r"(?<=[.!?])(?:\[[^\]]*\])*\s+(?=[A-Z0-9(*])")
_ABBREV = re.compile(r"\b(?:et al|e\.g|i\.e|vs|cf|Fig|Eq|resp|approx|Dr|Prof)\.$", re.I)


def split_sentences(text: str) -> list[str]:
    """Sentences, line by line; a line ending in a comma continues on the next.

    'Han et al. show X. It works.\\nIntern, Qualcomm,\\nsparsity.' ->
    ['Han et al. show X.', 'It works.', 'Intern, Qualcomm, sparsity.']
    """
    lines: list[str] = []
    for raw in text.splitlines():
        raw = raw.strip()
        if lines and lines[-1].endswith(","):
            lines[-1] = f"{lines[-1]} {raw}".strip()
        elif raw:
            lines.append(raw)
    out: list[str] = []
    for line in lines:
        pending = ""
        for piece in _SENTENCE_END.split(line):
            pending = f"{pending} {piece}".strip() if pending else piece
            if not _ABBREV.search(pending):
                out.append(pending)
                pending = ""
        if pending:
            out.append(pending)
    return out
