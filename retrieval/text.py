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
