"""The year a paper states, from its front pages, most trusted evidence first.

1. a venue line with a year: a journal issue ('Vol. 32, No. 2, April 1985'), a
   proceedings or 'To appear in OSDI 2006' line, 'J. Cryptology (1988) 1:65-75';
2. a printed date ('February 6, 2006', 'April 1960', 'Janvier 2011');
3. an arXiv identifier or stamp ('arXiv:math/9404236v1 ... 1 Apr 1994');
4. a copyright line ('© 2008 IEEE', 'Copyright 2007 ACM');
5. the PDF's /CreationDate.

Dates a reader does not take as the paper's (an 'Accessed ...' line of a repository
cover, a 'Received ...' history) are skipped. A venue line also gives the venue.
"""

from __future__ import annotations

import re

from retrieval.parsers.pdf_lines import PageLines

_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
_MONTHS = (
    r"jan(?:uary|vier)?|feb(?:ruary)?|f[ée]vrier|mar(?:ch)?|mars|apr(?:il)?|avril|may|mai|"
    r"june?|juin|july?|juillet|aug(?:ust)?|ao[uû]t|sep(?:t(?:ember)?)?|septembre|"
    r"oct(?:ober)?|octobre|nov(?:ember)?|novembre|dec(?:ember)?|d[ée]cembre"
)
_DATE = re.compile(
    rf"\b(?:{_MONTHS})\.?\s+(?:\d{{1,2}}(?:\s*[-–]\s*\d{{1,2}})?,?\s+)?({_YEAR})\b|"
    rf"\b\d{{1,2}}\s+(?:{_MONTHS})\.?,?\s+({_YEAR})\b",
    re.I,
)
_VENUE_WORDS = re.compile(
    r"\bvol(?:ume)?\.?\s*\d|\bno\.\s*\d|proceedings|conference|symposium|workshop|"
    r"to appear|appeared in|published in|journal|transactions|\bj\.\s|bulletin|"
    r"communications of|\bpvldb\b",
    re.I,
)
# 'OSDI 2006', "SOSP'03", 'PPoPP ’16': a venue's acronym with its year.
_VENUE_ACRONYM = re.compile(r"\b[A-Z][A-Za-z]*[A-Z]{2,}\s*['’]?\s*(?:\d{2}|\d{4})\b")
_ANY_YEAR = re.compile(rf"(?<![\d/.-])({_YEAR})(?![\d])")
_APOSTROPHE_YEAR = re.compile(r"\b[A-Z][A-Za-z]{2,}\s*['’](\d{2})\b")
_ARXIV_NEW = re.compile(r"arxiv:\s*(\d{2})(\d{2})\.\d{4,5}", re.I)
_ARXIV_OLD = re.compile(r"arxiv:\s*[a-z.-]+/(\d{2})(\d{2})\d{3}", re.I)
_COPYRIGHT = re.compile(rf"(?:©|\(c\)|copyright)\s*(?:\d{{4}}\s*[-–]\s*)?({_YEAR})", re.I)
_IGNORED = re.compile(r"accessed|received|revised|downloaded|retrieved|last modified", re.I)


def find_year(
    pages: list[PageLines], title_page: int, info: dict[str, str]
) -> tuple[int, str | None, str] | None:
    """(year, venue or None, where it came from), or None when nothing states one."""
    lines = [
        (page.number, line.text)
        for page in sorted(pages, key=lambda p: (p.number != title_page, p.number))
        for line in page.lines
        if page.number <= title_page + 1 and not _IGNORED.search(line.text)
    ]
    for i, (number, text) in enumerate(lines):
        worded = _VENUE_WORDS.search(text)
        if (worded or _VENUE_ACRONYM.search(text)) and not _COPYRIGHT.search(text):
            year = _venue_year(text)
            following = lines[i + 1] if i + 1 < len(lines) else None
            if year is None and worded and following and following[0] == number:
                # 'Proceedings of the 20th VLDB Conference' / 'Santiago, Chile, 1994'
                match = _ANY_YEAR.search(following[1])
                year = int(match.group(1)) if match else None
            if year is not None:
                return year, _venue_name(text), f"venue line on page {number}: '{text[:80]}'"
    for number, text in lines:
        match = _DATE.search(text)
        if match:
            return int(match.group(1) or match.group(2)), None, f"date printed on page {number}"
    for number, text in lines:
        arxiv = _ARXIV_NEW.search(text) or _ARXIV_OLD.search(text)
        if arxiv:
            year = int(arxiv.group(1))
            return (
                (1900 + year if year > 90 else 2000 + year),
                None,
                f"arXiv identifier on page {number}",
            )
    for number, text in lines:
        match = _COPYRIGHT.search(text)
        if match:
            return int(match.group(1)), None, f"copyright line on page {number}"
    # dvips stamps the TeX run's date ('TeX output 1995.04.17:1016'): older than the file.
    tex = re.search(rf"TeX output ({_YEAR})", info.get("Creator", "") or "")
    if tex:
        return int(tex.group(1)), None, "PDF metadata (/Creator: TeX output date)"
    created = re.match(r"D:(\d{4})", info.get("CreationDate", "") or "")
    if created and re.fullmatch(_YEAR, created.group(1)):
        return int(created.group(1)), None, "PDF metadata (/CreationDate)"
    return None


def _venue_year(text: str) -> int | None:
    match = _DATE.search(text) or _ANY_YEAR.search(text)
    if match:
        return int(next(g for g in match.groups() if g))
    short = _APOSTROPHE_YEAR.search(text)  # "SOSP'03", "OSDI '14"
    if short:
        year = int(short.group(1))
        return 1900 + year if year > 50 else 2000 + year
    return None


def _venue_name(text: str) -> str | None:
    text = re.sub(r"^(?:to appear in|appeared in|published in)\s+", "", text.strip(), flags=re.I)
    text = re.sub(r"\s+\d{1,3}$", "", text)  # a running footer's page number: 'OSDI 2006 1'
    return text[:160] or None
