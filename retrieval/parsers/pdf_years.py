"""The year a paper states, from its front pages, most trusted evidence first.

1. a venue line with a year: a journal issue ('Vol. 32, No. 2, April 1985'), a
   proceedings or 'To appear in OSDI 2006' line, 'J. Cryptology (1988) 1:65-75';
   or a line citing the paper itself ('Lopatovska, I. (2011). Theories, Methods ...'),
   as repository cover sheets and publishers' 'cite as' lines print it;
2. a printed date ('February 6, 2006', 'April 1960', 'Janvier 2011');
3. an arXiv identifier or stamp ('arXiv:math/9404236v1 ... 1 Apr 1994');
4. a copyright line ('© 2008 IEEE', 'Copyright 2007 ACM');
5. the paper's history: 'Received March 1983', 'Preprint submitted to ... June 22,
   2010', 'originally presented at ...', 'A preliminary version appeared in ...';
   such a line (and the line it runs on to) dates an earlier step than the paper's
   own publication, so it is taken only when nothing above states a year;
6. the PDF's /CreationDate.

Dates a reader does not take as the paper's at all (an 'Accessed ...' line of a
repository cover) are skipped. A venue line also gives the venue.
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
    r"to appear|appeared in|published in|journal|transactions|bulletin|"
    r"communications of|\bpvldb\b",
    re.I,
)
# 'J. Cryptology (1988)', 'J. ACM': a journal's abbreviation. 'J. A. Brown' is a name,
# so this word counts only with a year on its own line.
_JOURNAL_ABBREVIATION = re.compile(r"\bJ\.\s+(?:[A-Z]{2,}\b|[A-Z][a-z]{2,})")
# 'OSDI 2006', "SOSP'03", 'PPoPP ’16': a venue's acronym with its year.
# The number must be a year: 'ACM 0734-2071/85' (an ISSN) names no venue.
# A camel-cased name takes only the short form ('EuroSys ’19', 'HotNets '17'): a
# surname such as 'DeCandia' may well stand before a full year.
_VENUE_ACRONYM = re.compile(
    rf"\b[A-Z][A-Za-z]*[A-Z]{{2,}}(?:\s*['’]\s*\d{{2}}\b|\s*{_YEAR}\b)|"
    r"\b[A-Z][a-z]*[A-Z][A-Za-z]*\s*['’]\s*\d{2}\b"
)
_ANY_YEAR = re.compile(rf"(?<![\d/.-])({_YEAR})(?![\d])")
_APOSTROPHE_YEAR = re.compile(r"\b[A-Z][A-Za-z]{2,}\s*['’](\d{2})\b")
_ARXIV_NEW = re.compile(r"arxiv:\s*(\d{2})(\d{2})\.\d{4,5}", re.I)
_ARXIV_OLD = re.compile(r"arxiv:\s*[a-z.-]+/(\d{2})(\d{2})\d{3}", re.I)
# LaTeX's \textcopyright often comes out as 'c' with a combining enclosing circle.
_COPYRIGHT = re.compile(rf"(?:©|\(c\)|c\u20dd|copyright)\s*(?:\d{{4}}\s*[-–]\s*)?({_YEAR})", re.I)
_IGNORED = re.compile(r"accessed|downloaded|retrieved|last modified", re.I)
# Steps before publication: their dates are older than the paper's year.
_HISTORY = re.compile(
    r"\b(?:received|revised|accepted|submitted|originally|preliminary|presented at|"
    r"(?:earlier|previous|extended|shorter|early) version)\b",
    re.I,
)
_SENTENCE_END = re.compile(r"[.;]\s*$")
_PAREN_YEAR = re.compile(rf"\(({_YEAR})[a-z]?\)")
_REFERENCES = re.compile(r"^(?:\d+\.?\s+)?(?:references|bibliography)$", re.I)


def find_year(
    pages: list[PageLines], title_page: int, info: dict[str, str], title: str | None = None
) -> tuple[int, str | None, str] | None:
    """(year, venue or None, where it came from), or None when nothing states one.

    The title page (with any cover sheet before it) is read first; the page after it
    only when the title page states no year, since its text is the paper's body.
    `title`, when known, lets a line that cites the paper itself give its year.
    """
    front, front_history = _front_lines([p for p in pages if p.number <= title_page], title_page)
    after, after_history = _front_lines([p for p in pages if p.number == title_page + 1], 0)
    for lines in (front, after):
        found = _stated_year(lines, title)
        if found is not None:
            return found
    for number, text in front_history + after_history:
        match = _DATE.search(text) or _ANY_YEAR.search(text)
        if match:
            year = int(next(g for g in match.groups() if g))
            return year, None, f"the paper's history on page {number}: '{text[:80]}'"
    # dvips stamps the TeX run's date ('TeX output 1995.04.17:1016'): older than the file.
    tex = re.search(rf"TeX output ({_YEAR})", info.get("Creator", "") or "")
    if tex:
        return int(tex.group(1)), None, "PDF metadata (/Creator: TeX output date)"
    created = re.match(r"D:(\d{4})", info.get("CreationDate", "") or "")
    if created and re.fullmatch(_YEAR, created.group(1)):
        return int(created.group(1)), None, "PDF metadata (/CreationDate)"
    return None


def _stated_year(
    lines: list[tuple[int, str]], title: str | None
) -> tuple[int, str | None, str] | None:
    """The year `lines` (page, text) state, by the order of trust: venue line, citation
    of the paper, printed date, arXiv identifier, copyright line."""
    for i, (number, text) in enumerate(lines):
        worded = _VENUE_WORDS.search(text)
        if (
            worded or _VENUE_ACRONYM.search(text) or _JOURNAL_ABBREVIATION.search(text)
        ) and not _COPYRIGHT.search(text):
            year = _venue_year(text)
            following = lines[i + 1] if i + 1 < len(lines) else None
            if year is None and worded and following and following[0] == number:
                # 'Proceedings of the 20th VLDB Conference' / 'Santiago, Chile, 1994'
                match = _ANY_YEAR.search(following[1])
                year = int(match.group(1)) if match else None
            if year is not None:
                return year, _venue_name(text), f"venue line on page {number}: '{text[:80]}'"
    cited = _self_citation(lines, title) if title else None
    if cited is not None:
        return cited
    for number, text in lines:
        match = _DATE.search(text)
        if match and not _prose(text, match):
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
    return None


def _prose(text: str, date: re.Match[str]) -> bool:
    """A date inside running text ('In March 2003, the cluster lost ...') is an event
    the paper tells of, not the date it is printed with."""
    rest = (text[: date.start()] + " " + text[date.end() :]).split()
    words = [w for w in rest if w[:1].isalpha()]
    return len(words) >= 8 and sum(w[0].islower() for w in words) > 0.5 * len(words)


def _front_lines(
    pages: list[PageLines], first: int
) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(page, text) of `pages`, page `first` first, split into the lines that may
    state the paper's year and its history lines. A page's reference list, if it
    starts there, is left out: the years in it are other papers'."""
    lines: list[tuple[int, str]] = []
    history: list[tuple[int, str]] = []
    for page in sorted(pages, key=lambda p: (p.number != first, p.number)):
        runs_on = False  # the line before was history and did not end its sentence
        for line in page.lines:
            text = line.text
            if _REFERENCES.match(text):
                break
            if _IGNORED.search(text):
                runs_on = False
                continue
            if runs_on or _HISTORY.search(text):
                history.append((page.number, text))
                # Its date may sit on the next line ('... Database Systems,' / 'March
                # 1983.'), but no further: a history note is a line or two.
                runs_on = not runs_on and not _SENTENCE_END.search(text)
                continue
            lines.append((page.number, text))
    return lines, history


def _self_citation(lines: list[tuple[int, str]], title: str) -> tuple[int, str | None, str] | None:
    """The year in parentheses of a line that cites the paper: its title's first
    words printed on that line, the one before or the two after."""
    words = _plain(title).split()[:6]
    if len(words) < 2:
        return None
    wanted = " ".join(words)
    for i, (number, text) in enumerate(lines):
        match = _PAREN_YEAR.search(text)
        if not match:
            continue
        window = " ".join(t for n, t in lines[max(i - 1, 0) : i + 3] if n == number)
        if wanted in _plain(window):
            return (
                int(match.group(1)),
                None,
                f"citation of the paper on page {number}: '{text[:80]}'",
            )
    return None


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


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
