"""Text repair for what PDFs hand out: ligatures, unmapped glyphs, split accents, hyphens.

`clean` is applied to every line a PDF yields, before layout and metadata see it:

- NFKC turns the ligature code points into letters ('ﬁ' -> 'fi').
- Fonts that never mapped their ligature glyphs to Unicode leave control characters;
  between letters they are the TeX ligature slots ('Simpli\\x02ed' -> 'Simplified'),
  anywhere else (a footnote mark) they are dropped.
- Accents typeset as separate spacing characters are put back on their letter
  ('L´aszl´o' -> 'László') or, when the text layer moved them away from it
  ('Laszl ´ o'), dropped so the word is whole again ('Laszlo').
- PDFium marks a hyphen it removed at a line end with U+FFFE; the mark is deleted.
"""

from __future__ import annotations

import re
import unicodedata

# Ligature slots of TeX's OT1/T1 font encodings and of fonts without a ToUnicode map.
_LIGATURE_SLOTS = {
    "\x02": "fi",
    "\x03": "fl",
    "\x0b": "ff",
    "\x0c": "fi",
    "\x0d": "fl",
    "\x0e": "ffi",
    "\x0f": "ffl",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffd]")
_SLOT_BETWEEN_LETTERS = re.compile(r"(?<=[A-Za-z])([\x02\x03\x0b-\x0f])(?=[a-z])")
# Spacing accents and the combining marks they stand for.
_SPACING_ACCENTS = {
    "´": "\u0301",
    "`": "\u0300",
    "¨": "\u0308",
    "˘": "\u0306",
    "ˆ": "\u0302",
    "˜": "\u0303",
    "¸": "\u0327",
    "˚": "\u030a",
    "˝": "\u030b",
    "ˇ": "\u030c",
    "¯": "\u0304",
}
SPACING_ACCENTS = "".join(_SPACING_ACCENTS)
_ACCENT_CLASS = SPACING_ACCENTS
# 'L´aszl´o': an accent glued before a letter belongs to that letter.
_GLUED_ACCENT = re.compile(rf"([{_ACCENT_CLASS}])(?=[A-Za-z])")
# 'Laszl ´ o', 'Babao ¨ glu ˘': a detached accent between word pieces, or trailing one.
_DETACHED_ACCENT = re.compile(rf"(?<=[A-Za-z]) [{_ACCENT_CLASS}] (?=[a-z])")
_STRAY_ACCENT = re.compile(rf"(?:(?<=\s)|^)[{_ACCENT_CLASS}](?=\s|$)")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b]+")


def clean(text: str) -> str:
    """One line of PDF text made readable.

    'Simpli\\x02ed Data' -> 'Simplified Data'; 'Eﬃcient' -> 'Efficient';
    'L´aszl´o Szekeres' -> 'László Szekeres'; 'associ\\ufffeated' -> 'associated'.
    """
    text = text.replace("\ufffe", "").replace("\u00ad", "")
    text = _SLOT_BETWEEN_LETTERS.sub(lambda m: _LIGATURE_SLOTS[m.group(1)], text)
    text = _CONTROL.sub("", text)
    text = _DETACHED_ACCENT.sub("", text)
    text = _STRAY_ACCENT.sub("", text)
    text = _GLUED_ACCENT.sub(lambda m: "\x00" + _SPACING_ACCENTS[m.group(1)], text)
    if "\x00" in text:  # move each combining mark after the letter it precedes
        text = re.sub(r"\x00(.)(.)", r"\2\1", text)
    text = unicodedata.normalize("NFKC", text)
    return _SPACES.sub(" ", text).strip()


def join_lines(lines: list[str]) -> str:
    """Lines of one paragraph as running text: a line-end hyphen before a lower-case
    word is kept as a compound's hyphen ('fetch-' + 'and-add'), else lines join with
    a space. PDFium has already undone the hyphenation it recognised."""
    out = ""
    for line in lines:
        if not out:
            out = line
        elif out.endswith("-") and line[:1].islower():
            out += line
        else:
            out += " " + line
    return out
