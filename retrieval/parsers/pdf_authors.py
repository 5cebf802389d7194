"""Author names from the lines under a paper's title, or from a PDF's /Author entry.

Lines under a title mix names with affiliations, addresses, e-mails and marks. A
piece of a line (split on commas, semicolons, 'and') is a name when it has the shape
of one: two to five words, each capitalised or an initial, with lower-case particles
('van', 'de') allowed, and no word an affiliation would use ('University', 'Inc.').

'Sheng Di1, Franck Cappello12' -> ('Sheng Di', 'Franck Cappello');
'MICHAEL J. FISCHER' -> ('Michael J. Fischer');
'Murali Kodialam, Associate Member, IEEE, T. V. Lakshman, Fellow, IEEE' ->
('Murali Kodialam', 'T. V. Lakshman');
'Yale University, New Haven, Connecticut' -> () (an address follows an affiliation).

A particle counts as one only before a further surname: 'Robbert van Renesse', but
'Sheng Di' ends in the surname 'Di'.

Simplified on purpose: one-word names and names with more than five words are not
recognised; four capitalised words with no separator are read as two names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_AFFILIATION = re.compile(
    r"\b(?:universi\w*|univ\.|institut\w*|laborator\w*|labs?|inc|corp\w*|company|"
    r"department|dept|college|school|research|cent(?:er|re)|faculty|academy|foundation|"
    r"gmbh|ltd|llc|ag|technolog\w*|sciences?|computing|engineering|systems|group|"
    r"division|hospital|national|ministry|project|projet|street|avenue|road|box)\b|"
    r"\b(?:st|ave|rd|blvd)\.",
    re.I,
)
_GRADES = re.compile(
    r",?\s*\b(?:(?:associate|senior|student|life)\s+)?(?:member|fellow)\s*,?\s*(?:ieee|acm)\b",
    re.I,
)
_MARKS = re.compile(r"[*∗†‡§¶⋆#]+|\d+")
# Affiliation numbers after a name ('Sheng Di1', 'Babaoglu 1 Keith') separate names.
_DIGIT_MARKS = re.compile(r"(?<=[A-Za-zà-ÿ])\d{1,2}(?:,\d{1,2})*\b|(?<=[a-zà-ÿ] )\d{1,2}(?= [A-Z])")
# What starts a new author; commas also separate names, but may run on into an address.
_NEW_AUTHOR = re.compile(r"\s*[;&]\s*|\s+and\s+|\s+AND\s+|^and\s+|^AND\s+")
_PARTICLES = {
    "van",
    "von",
    "de",
    "der",
    "den",
    "da",
    "di",
    "del",
    "della",
    "la",
    "le",
    "du",
    "dos",
    "bin",
}
_FUNCTION_WORDS = {"the", "of", "and", "for", "on", "in", "at", "to", "with"}
# An address: a postcode, or a state or country code after a comma ('Seattle, WA',
# 'Ithaca, NY, USA'); names carry neither, so a place shaped like a name ('New York')
# on such a line is not taken for one.
_ADDRESS = re.compile(r"(?<![\d-])\d{4,6}(?![\d-])|,\s*[A-Z]{2}(?:\s+\d{3,6})?\s*(?:,|$)")
# An affiliation key ('aPratt SILS', '1Argonne National Laboratory') opens a line.
_AFFILIATION_KEY = re.compile(r"^([a-z]|\d{1,2})(?=[A-Z])")


def is_affiliation(text: str) -> bool:
    """Whether `text` names an institution ('Google Research', 'Cornell University')."""
    return bool(_AFFILIATION.search(text))


def _shape(word: str) -> str:
    """'Babaoğlu' -> 'Aaaaaaaa', 'Özalp' -> 'Aaaaa': upper-case letters as 'A', lower-case
    as 'a', the rest kept, so name patterns hold for every alphabet, not ASCII alone."""
    return "".join("A" if ch.isupper() else "a" if ch.islower() else ch for ch in word)


def _is_name_word(word: str) -> bool:
    if word.lower() in _PARTICLES:
        return True
    shape = _shape(word)
    if re.fullmatch(r"A\.(?:-?A\.)*", shape):  # initials: 'R.', 'J.-P.', 'Ł.'
        return True
    return bool(re.fullmatch(r"Aa['’a]*(?:Aa+)?(?:[-'’]A?a+)*\.?|A['’]Aa+", shape))


def _name(piece: str) -> str | None:
    piece = re.sub(r"\([^)]*\)|\{[^}]*\}|<[^>]*>", " ", piece)
    piece = _MARKS.sub(" ", piece)
    words = piece.replace("\u00a0", " ").split()
    if not words or _AFFILIATION.search(piece):
        return None
    if all(w.isupper() or not w.isalpha() for w in words):  # 'MICHAEL J. FISCHER'
        words = [w if re.fullmatch(r"A\.", _shape(w)) else w.capitalize() for w in words]
    words = [w for w in words if w not in {".", ","}]
    if not 2 <= len(words) <= 5 or not all(_is_name_word(w) for w in words):
        return None
    if any(w.lower() in _FUNCTION_WORDS for w in words):  # 'The Netherlands'
        return None
    if words[0].lower() in _PARTICLES or words[-1] in _PARTICLES:
        return None
    # A particle is one only before a further surname ('Robbert van Renesse'); last,
    # and capitalised, it is the surname itself ('Sheng Di', 'Tom De').
    if len(words[-1].rstrip(".")) < 2:
        return None
    return " ".join(words)


def _split_runs(piece: str) -> list[str]:
    """'Chaoran Yang John Mellor-Crummey' (four name words, no separator) -> two names."""
    words = piece.split()
    plain = all(re.fullmatch(r"Aa+(?:-Aa+)*", _shape(w)) for w in words)
    if plain and len(words) in (4, 6):
        return [" ".join(words[i : i + 2]) for i in range(0, len(words), 2)]
    return [piece]


def parse_authors(lines: Sequence[str], *, metadata: bool = False) -> tuple[str, ...]:
    """The author names in `lines`, in order, without duplicates.

    With `metadata`, the text is a PDF's /Author entry, where 'Srinivas, Suraj' is one
    name written surname first.
    """
    if metadata:
        return _metadata_authors(lines[0] if lines else "")
    keys = {m.group(1) for line in lines if (m := _AFFILIATION_KEY.match(line))}
    rows: list[list[str]] = []
    for line in lines:
        if "@" in line or _AFFILIATION_KEY.match(line) or _ADDRESS.search(line):
            continue  # "aPratt SILS, New York", 'Pittsburgh, PA 15213'
        line = _DIGIT_MARKS.sub(",", _GRADES.sub(",", line))
        pieces = _pieces(line)
        # A name wrapped across lines ('... Avinash' / 'Lakshman, Alex ...').
        if rows and pieces and _open_end(rows[-1]) and len(pieces[0].split()) == 1:
            rows[-1][-1] += " " + pieces.pop(0)
        rows.append(pieces)
    names: list[str] = []
    for pieces in rows:
        for piece in pieces:
            for run in _split_runs(piece):
                name = _name(_strip_keys(run, keys))
                if name and name not in names:
                    names.append(name)
    return tuple(names)


def _pieces(line: str) -> list[str]:
    """The pieces of a line that may be names: split on ';', '&', 'and' (a new author
    each) and on commas, leaving out what follows an affiliation after a comma, its
    address ('Yale University, New Haven, Connecticut'), shaped like a name or not.
    'Asaf Cidon, Stanford University; Robert Escriva' keeps Robert Escriva."""
    out: list[str] = []
    for part in _NEW_AUTHOR.split(line):
        for piece in part.split(","):
            piece = re.sub(r"^(?:and|AND)\s+", "", piece.strip())
            if piece:
                out.append(piece)
            if _AFFILIATION.search(piece):
                break
    return out


def _open_end(pieces: list[str]) -> bool:
    return bool(pieces) and len(pieces[-1].split()) == 1 and pieces[-1][:1].isupper()


def _strip_keys(piece: str, keys: set[str]) -> str:
    """'Irene Lopatovskaa' -> 'Irene Lopatovska' when 'a' keys an affiliation line."""
    letters = {k for k in keys if k.isalpha()}
    if letters and piece and piece[-1] in letters and len(piece.split()[-1]) > 3:
        return piece[:-1]
    return piece


def _metadata_authors(value: str) -> tuple[str, ...]:
    """'Ann Author; Bob Author' or 'Ann Author, Bob Author and Cy Author' -> names;
    'Srinivas, Suraj' -> ('Suraj Srinivas',)."""
    names: list[str] = []
    for part in re.split(r"\s*;\s*|\s+and\s+|\s*&\s*", value):
        pieces = [piece.strip() for piece in part.split(",") if piece.strip()]
        if len(pieces) == 2 and " " not in pieces[0]:  # 'Last, First'
            names.append(f"{pieces[1]} {pieces[0]}")
        else:
            names.extend(pieces)
    # The entry is often a login or a tool ('Administrator', 'fti'): names only.
    return tuple(name for n in names if (name := _name(n)))
