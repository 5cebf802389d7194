"""Which paper a question names: in quotes, typed in title case, opening the question
('Machine Love - who wrote it?'), or cited by its author ('Mnih et al. (2014)',
"Graves' adaptive computation time"). `assistant/answerability.py` decides what the
corpus then holds of it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from retrieval.catalog import Catalog
from retrieval.hybrid import unique_main_titles
from retrieval.records import Paper
from retrieval.terms import content_words
from retrieval.text import TITLE_SMALL_WORDS, normalize_title

# An opening quote follows a space or a bracket (not 'al.'s'); a closing one is not
# followed by a letter (not "Mixup's").
_QUOTED = re.compile(r"(?:^|(?<=[\s(\[]))['‘\"“]([^\n]{3,}?)['’\"”](?![A-Za-z0-9])")
MIN_TITLE_WORDS = 3


@dataclass(frozen=True)
class NamedPaper:
    """A paper the question names: the words it uses and the catalog record, if any."""

    phrase: str
    paper: Paper | None


class TitleIndex:
    """The catalog's titles, normalized, for finding the paper a question names."""

    def __init__(self, catalog: Catalog, texts: Sequence[str]) -> None:
        self.by_title: dict[str, Paper] = {}
        for paper in catalog.papers:
            self.by_title.setdefault(normalize_title(paper.title), paper)
        self.main_titles = unique_main_titles(catalog.papers)
        self._text = " " + " ".join(normalize_title(t) for t in texts) + " "
        self.name_words = {
            w for paper in catalog.papers for a in paper.authors for w in normalize_title(a).split()
        }
        self.file_words = {
            w
            for paper in catalog.papers
            for source in paper.sources
            for w in re.findall(r"[a-z0-9]+", source.file.lower())
        }
        # the papers of every author surname, and of every (surname, year): what a
        # citation can name
        self.by_surname: dict[str, list[Paper]] = {}
        self.by_citation: dict[tuple[str, int], list[Paper]] = {}
        for paper in catalog.papers:
            surnames = {n.split()[-1] for a in paper.authors if (n := normalize_title(a)).split()}
            for surname in surnames:
                self.by_surname.setdefault(surname, []).append(paper)
                if paper.year:
                    self.by_citation.setdefault((surname, paper.year), []).append(paper)

    def cited_paper(self, question: str) -> Paper | None:
        """The one paper an author-year citation of the question names ('Mnih et al.
        (2014)'), if exactly one does; or the paper of an author the question names by
        surname ("Graves' adaptive computation time", "Mnih et al.'s recurrent attention
        paper") whose title shares the most words with it, at least MIN_TITLE_WORDS - 1."""
        for match in _CITATION.finditer(question):
            papers = self.by_citation.get((normalize_title(match["name"]), int(match["year"])))
            if papers and len(papers) == 1:
                return papers[0]
        asked = set(content_words(question))
        for match in _BY_SURNAME.finditer(question):
            papers = self.by_surname.get(normalize_title(match["name"]), [])
            shared = sorted(
                ((len(asked & set(content_words(p.title))), p.title, p) for p in papers),
                key=lambda c: (-c[0], c[1]),
            )
            alone = len(shared) == 1 or (len(shared) > 1 and shared[1][0] < shared[0][0])
            if shared and shared[0][0] >= MIN_TITLE_WORDS - 1 and alone:
                return shared[0][2]
        return None

    def uncited(self, question: str) -> str | None:
        """An author-year citation of the question ('He et al. 2015', 'Lipton (2018)') that
        no paper of the corpus matches (a year either side, for preprints), as written."""
        for match in _CITATION.finditer(question):
            surname, year = normalize_title(match["name"]), int(match["year"])
            if not any((surname, y) in self.by_citation for y in (year - 1, year, year + 1)):
                return match.group(0).strip(" ,")
        # 'Keskar et al.' without a year, opening the question or owning what it asks
        # about ("Keskar et al.'s gap"): no author of the corpus has that surname. Cited
        # in passing ('Following Keskar et al., do sharp minima ...?') it decides nothing.
        for match in _ET_AL.finditer(question):
            owns = question[match.end() : match.end() + 2] in ("'s", "’s")
            if match.start() > 0 and not owns:
                continue
            surname = normalize_title(match["name"])
            if surname not in self.name_words and not self.in_corpus_text(surname):
                return match.group(0)
        return None

    def match(self, phrase: str) -> Paper | None:
        """The paper with this title, allowing a dropped subtitle on either side."""
        norm = normalize_title(phrase)
        if norm in self.by_title:
            return self.by_title[norm]
        # 'Platonic Representation Hypothesis' for 'The Platonic Representation Hypothesis'
        for article in ("the ", "a ", "an "):
            if article + norm in self.by_title:
                return self.by_title[article + norm]
        # A short title before its subtitle: 'Teacher's pet' for 'Teacher's pet: ...'.
        if norm in self.main_titles:
            return self.main_titles[norm]
        if len(norm.split()) < MIN_TITLE_WORDS + 1:
            return None
        close = [
            (len(t), p)
            for t, p in self.by_title.items()
            if t.startswith(norm + " ") or norm.startswith(t + " ")
        ]
        return min(close, key=lambda c: c[0])[1] if close else None

    def in_corpus_text(self, phrase: str) -> bool:
        return f" {normalize_title(phrase)} " in self._text

    def named(self, question: str) -> NamedPaper | None:
        """The paper a question names in quotes, by its full title without them, or by
        a title that opens the question as its subject ('Machine Love - who wrote it?')."""
        for phrase in _QUOTED.findall(question):
            paper = self.match(phrase)
            # A short quoted phrase names a paper only when a title says exactly that.
            if paper is not None or len(normalize_title(phrase).split()) >= MIN_TITLE_WORDS:
                return NamedPaper(phrase.strip(), paper)
        subject = leading_subject(question)
        if subject is not None and (paper := self.match(subject)) is not None:
            return NamedPaper(subject, paper)
        norm = f" {normalize_title(question)} "
        found = [
            (len(t), p)
            for t, p in self.by_title.items()
            if len(t.split()) >= MIN_TITLE_WORDS + 1 and f" {t} " in norm
        ]
        if found:
            paper = max(found, key=lambda c: c[0])[1]
            return NamedPaper(paper.title, paper)
        # A title typed in title case, without quotes: 'Toy Models of Superposition -
        # what did they find?', 'What venue was Deep Image Prior published at?'; not in
        # a question typed in title case throughout ('What Is The Best Optimizer?')
        for span in [] if _title_cased(question) else title_spans(question, 2):
            paper = self.match(span)
            if paper is not None:
                return NamedPaper(span, paper)
            if len(title_spans(span)) == 0:
                continue  # two capitalised words name a paper only by its exact title
            # the corpus's own words (a concept, a venue, a talk), a run of people's
            # names or a file's name: no title
            capitals = [w.lower() for w in span.split() if w[:1].isupper()]
            known = sum(w in self.name_words or w in self.file_words for w in capitals)
            if not self.in_corpus_text(span) and known * 2 < len(capitals):
                return NamedPaper(span, None)
        return None


# 'He et al. 2015', 'Lipton (2018)', 'Ioffe and Szegedy, 2015': a work cited by its
# authors and year (a bare 'In 2019' is none: 'et al.', a co-author or brackets make it one).
_CITATION = re.compile(
    r"\b(?P<name>[A-Z][a-zà-ÿ'-]+)(?:'s)?"
    r"(?:\s+et\s+al\.?(?:'s)?,?\s+\(?|\s+(?:and|&)\s+[A-Z][a-zà-ÿ'-]+,?\s+\(?|,?\s+\()"
    r"(?P<year>(?:19|20)\d\d)\b"
)
# A surname that owns a work: "Graves' adaptive computation time", "Mnih et al.'s paper".
_BY_SURNAME = re.compile(r"\b(?P<name>[A-Z][a-zà-ÿ'-]+?)(?:'s?|\s+et\s+al\.?'s)(?=\s)")
_ET_AL = re.compile(r"\b(?P<name>[A-Z][a-zà-ÿ'-]+)(?:'s)?\s+et\s+al\b\.?")
# 'Machine Love - who wrote it?', 'smoothgrad — does my corpus have it?', 'X: which
# venue?': the words before a dash or colon that opens the question name its subject.
_SUBJECT = re.compile(r"^\s*((?:(?!\s[-—–]+\s|:\s)[^?!.]){3,80}?)\s*(?:\s[-—–]+\s|:\s)")


def leading_subject(question: str) -> str | None:
    """The subject a question opens with before a dash or a colon, if it does."""
    match = _SUBJECT.match(question)
    return match.group(1).strip(" '\"“”‘’") if match else None


# Lower-case words a title keeps between its capitalised ones ('Sanity Checks for
# Saliency Maps'), and the words that open a question rather than a title.
_TITLE_JOINERS = TITLE_SMALL_WORDS | {"into", "is", "via", "vs", "without"}
_OPENING = """
    what which who whom whose when where why how is are was were do does did can could
    should would will has have had i my me we our in on for about from
"""
_OPENERS = frozenset(_OPENING.split())
_WORD = re.compile(r"[^\s]+")


def _title_cased(question: str) -> bool:
    """Whether the question is typed in title case throughout: two or more of its small
    or asking words are capitalised past its first word ('What Is The Best Optimizer For
    Transformers?'), which a title typed inside a question rarely does."""
    words = re.findall(r"[A-Za-z][\w'’-]*", question)[1:]
    small = _TITLE_JOINERS | _OPENERS
    return sum(w[:1].isupper() and w.lower() in small and w != "I" for w in words) >= 2


def title_spans(question: str, fewest: int = MIN_TITLE_WORDS) -> list[str]:
    """Runs of capitalised words written as a title: at least MIN_TITLE_WORDS capitalised,
    two of them neither all capitals nor capitalised for opening a sentence ('Sanity
    Checks for Saliency Maps', 'Toy Models of Superposition'; not 'NTK GP RBF', not
    'Before the PhD I'). A run ends at punctuation other than a subtitle's colon."""
    spans: list[str] = []
    run: list[tuple[str, bool]] = []  # (word, opens a sentence)

    def close() -> None:
        while run and (run[-1][0].lower() in _TITLE_JOINERS or run[-1][0] == "I"):
            run.pop()
        while run and run[0][0].lower() in _OPENERS | _TITLE_JOINERS:
            run.pop(0)
        capitals = [(w, first) for w, first in run if w[:1].isupper() and w != "I"]
        telling = [w for w, first in capitals if not first and not w.isupper()]
        if len(capitals) >= fewest and len(telling) >= 2:
            spans.append(" ".join(w for w, _ in run).replace(": ", ":").replace(":", ": "))
        run.clear()

    opening = True
    for match in _WORD.finditer(question):
        token = match.group(0)
        word = token.strip("'\"‘’“”()[],.;:?!")
        if token[:1] in "(\"“'‘":
            close()
        if word and (word[:1].isupper() or (run and word.lower() in _TITLE_JOINERS)):
            run.append((word + (":" if token.endswith(":") else ""), opening))
            if token[-1:] in ",.;?!)" or token.endswith(("'s", "’s")) or "." in word:
                close()
        else:
            close()
        opening = token[-1:] in ".?!"
    close()
    return spans


def unquoted(question: str) -> str:
    """The question without the titles it quotes: a title's words describe nothing."""
    return _QUOTED.sub(" ", question)


def quoted(question: str) -> list[str]:
    """The phrases the question puts in quotes."""
    return _QUOTED.findall(question)
