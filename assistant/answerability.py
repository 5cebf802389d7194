"""Answerability from evidence: does the corpus hold what the question asks for?

Two general checks run before any answer is written:

- a question that names a paper ('Who wrote "Machine Love"?', or the title typed
  without quotes) is matched against the catalog; a paper the corpus does not hold is
  said to be absent (no neighbour is substituted), and when the question asks for an
  attribute of it (authors, venue, year, key words, awards) the catalog record must
  hold that attribute. The answer then quotes the record's field lines;
- a paper named without an attribute asked ('What does "X" propose?') must be said
  something about: its record holds prose, or another passage names its title. A
  paper the corpus holds only as a reference is said to be one, not answered from
  neighbours;
- a question asking for the title of a named thing ('the S4 paper's full title')
  needs a paper whose title holds the name; one only mentioned inside other papers'
  text is said to be so;
- a 'how many N' question needs a passage line that holds a number next to N and the
  thing the question names ('169 stars' beside the repository asked about).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from retrieval.catalog import Catalog
from retrieval.hybrid import unique_main_titles
from retrieval.records import Paper
from retrieval.terms import STOPWORDS, content_words
from retrieval.text import TITLE_SMALL_WORDS, normalize_title

# The attributes of a catalog record a question can ask for, and how it asks.
# 'Who proposed X?' asks where an idea comes from, not who wrote a paper named after it.
_ASKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "authors",
        re.compile(
            r"\b(?:authors?|co-?authors?|authored|wrote|writes?|written|whose name|who (?:are|is|were) "
            r"(?:the )?(?:authors?|co-?authors?))\b",
            re.I,
        ),
    ),
    (
        "venue",
        re.compile(
            r"\b(?:venue|published|appeared (?:at|in)|conference|journal|proceedings"
            r"|where (?:was|were|did|is))\b",
            re.I,
        ),
    ),
    ("year", re.compile(r"\b(?:(?:what|which) year|when (?:was|were|did|is))\b", re.I)),
    ("keywords", re.compile(r"\b(?:key ?words?|tagged|tags?)\b", re.I)),
    ("awards", re.compile(r"\b(?:awards?|prizes?|best paper|honou?rs?)\b", re.I)),
    ("code", re.compile(r"\b(?:code|repositor(?:y|ies)|repo|github|implementation)\b", re.I)),
)
_VENUE_WORDS = re.compile(r"\b(?:venue|published|conference|journal|proceedings)\b", re.I)
# The words a field is named by in a refusal, and the chunk line that holds it.
FIELD_NAMES = {
    "authors": "authors",
    "venue": "venue",
    "year": "year",
    "keywords": "key words",
    "awards": "award",
    "code": "code link",
}
FIELD_LINES = {
    "authors": ("Authors: ",),
    "venue": ("Published: ",),
    "year": ("Published: ",),
    "keywords": ("Keywords: ", "Topic: "),
    "awards": ("Awards: ",),
    "code": (),  # a link of the record, not a line of its chunk: see code_lines
}
# An opening quote follows a space or a bracket (not 'al.'s'); a closing one is not
# followed by a letter (not "Mixup's").
_QUOTED = re.compile(r"(?:^|(?<=[\s(\[]))['‘\"“]([^\n]{3,}?)['’\"”](?![A-Za-z0-9])")
MIN_TITLE_WORDS = 3
# Asked at the start of a clause: '(the one that learns how many neurons to keep)'
# describes a paper, it does not ask for a count.
_HOW_MANY = re.compile(r"(?:^|[.?!;,:]\s*|\band\s+)how many ((?:[a-z][\w-]*\s+){0,3})", re.I)
# The verb that ends the counted noun phrase: 'how many GitHub stars does ...'.
_AUX = frozenset(
    {"do", "does", "did", "is", "are", "was", "were", "has", "have", "had", "can", "could"}
)
# Counted by listing the catalog, not by a number a passage states.
_RECORD_NOUNS = frozenset({"paper", "work", "publication", "article", "preprint"})


@dataclass(frozen=True)
class NamedPaper:
    """A paper the question names: the words it uses and the catalog record, if any."""

    phrase: str
    paper: Paper | None


def asked_fields(question: str) -> list[str]:
    """The record fields a question asks for: 'Who wrote X and where?' -> ['authors', 'venue'];
    'Where is the code of X?' -> ['code'] (the where is the code's, not a venue)."""
    fields = [name for name, pattern in _ASKS if pattern.search(question)]
    if "code" in fields and "venue" in fields and not _VENUE_WORDS.search(question):
        fields.remove("venue")
    return fields


def _record_value(paper: Paper, name: str) -> object:
    return {
        "authors": paper.authors,
        "venue": paper.venue,
        "year": paper.year,
        "keywords": paper.keywords,
        "awards": paper.awards,
        "code": code_links(paper),
    }[name]


def code_links(paper: Paper) -> list[str]:
    """The URLs of the paper's code, as its source lists them ('Code: github.com/...')."""
    return [link.url for link in paper.links if link.label == "code"]


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
        # (surname, year) of every paper: what an author-year citation can name
        self.by_citation: dict[tuple[str, int], list[Paper]] = {}
        for paper in catalog.papers:
            if not paper.year:
                continue
            surnames = {n.split()[-1] for a in paper.authors if (n := normalize_title(a)).split()}
            for surname in surnames:
                self.by_citation.setdefault((surname, paper.year), []).append(paper)
        self.cited = set(self.by_citation)

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
            surname = normalize_title(match["name"])
            papers = [
                p for (name, _), ps in self.by_citation.items() if name == surname for p in ps
            ]
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
            if not any((surname, y) in self.cited for y in (year - 1, year, year + 1)):
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


@dataclass(frozen=True)
class Verdict:
    """What the evidence check decided: a refusal sentence, or the paper and fields to quote."""

    refusal: str | None = None
    paper: Paper | None = None
    fields: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()


def _where(paper: Paper) -> str:
    parts = list(dict.fromkeys(s.file for s in paper.sources))
    if paper.year:
        parts.append(str(paper.year))
    return f" ({', '.join(parts)})" if parts else ""


def _join(names: Sequence[str]) -> str:
    words = [FIELD_NAMES[n] for n in dict.fromkeys(names)]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def check_named_paper(question: str, titles: TitleIndex) -> Verdict:
    """Refuse when the named paper is absent, or holds none of the fields asked for."""
    cited = titles.uncited(question)
    if cited is not None:
        return Verdict(refusal=f"Your corpus has no paper that matches '{cited}'.")
    named = titles.named(question)
    fields = asked_fields(question)
    if named is None:
        # a paper cited by author and year ('Mnih et al. (2014)') is named too, when the
        # question asks about it rather than for its record ('Is Lipton an author on
        # anything else?')
        return Verdict(paper=None if fields else titles.cited_paper(question))
    if named.paper is None:
        if not named.phrase[:1].isupper():
            return Verdict()  # a quoted phrase, not a title: the usual search decides
        if not fields:
            if titles.in_corpus_text(named.phrase) or not title_spans(named.phrase):
                return Verdict()  # a phrase the corpus uses: the usual search decides
            return Verdict(refusal=f"Your corpus has no paper titled '{named.phrase}'.")
        if titles.in_corpus_text(named.phrase):
            return Verdict(
                refusal=f"Your corpus mentions '{named.phrase}' only inside other papers' "
                f"text and holds no record of it, so it gives no {_join(fields)}."
            )
        return Verdict(refusal=f"Your corpus has no paper titled '{named.phrase}'.")
    paper = named.paper
    if not fields:
        return Verdict(paper=paper)
    missing = tuple(f for f in fields if not _record_value(paper, f))
    if len(missing) == len(fields):
        return Verdict(
            refusal=f"Your corpus has '{paper.title}'{_where(paper)} but gives no {_join(missing)}."
        )
    return Verdict(paper=paper, fields=tuple(fields), missing=missing)


def reference_only(paper: Paper, own: str, others: Sequence[str]) -> str | None:
    """A refusal when the corpus says nothing about `paper`: its chunk `own` holds only
    its title and field lines, and none of the `others` passages names its title."""
    body = [
        line
        for line in own.split("\n")[1:]
        if line.strip() and not line.startswith(tuple(p for ps in FIELD_LINES.values() for p in ps))
    ]
    title = normalize_title(paper.title)
    if body or any(f" {title} " in f" {normalize_title(text)} " for text in others):
        return None
    return (
        f"Your corpus has '{paper.title}'{_where(paper)} only as a reference: it says "
        "nothing about what the paper does."
    )


# A question asking for a title: 'the full title of the S4 paper', 'what is it called';
# not one that mentions titles ('if a near-identical title turns up there').
_TITLE = re.compile(
    r"\b(?:(?:full|exact|complete)\s+title|titles?\s+of|titled|called)\b|\btitles?\s*\?", re.I
)


def untitled_name(question: str, titles: Sequence[str]) -> str | None:
    """A refusal when the question asks for the title of a named thing ('S4', 'GPT-4')
    that no retrieved paper's title holds: the corpus mentions it, holds no paper on it."""
    if not _TITLE.search(question):
        return None
    folded = [f" {normalize_title(t)} " for t in titles]
    # Names written as names ('S4', 'GPT-4', 'LoRA'), not hyphenated words ('co-author').
    for name in [n for n in _names(question) if _is_name(n)]:
        norm = normalize_title(name)
        if not _title_of(question, name):
            continue  # named on the way: 'a Maslow-themed gridworld ... title?'
        if not any(f" {norm} " in t for t in folded):
            return (
                f"Your corpus mentions {name} only inside other papers' text and holds no "
                "paper titled with it."
            )
    return None


def _title_of(question: str, name: str) -> bool:
    """Whether the title asked for is the name's: 'the full title of the S4 paper', 'the
    S4 paper's title', 'what is S4 called'."""
    n = re.escape(name)
    # ... not 'the title of my PhD thesis': the researcher's own work, which the CV names
    near = r"(?:(?!(?:my|our)\b)[\w'-]+\s+){0,2}?"
    return bool(
        re.search(rf"\btitles?\s+of\s+{near}{n}\b", question, re.I)
        or re.search(rf"\b{n}(?:'s)?\s+{near}(?:full\s+|exact\s+)?title", question, re.I)
        or re.search(rf"\b{n}\b{near}\s*(?:\w+\s+)?called\b", question, re.I)
    )


def _is_name(word: str) -> bool:
    """Written as a name ('S4', 'GPT-4', 'LoRA'), not a hyphenated word ('co-author') nor a
    short abbreviation the corpus may spell out ('ML', 'RL')."""
    if word.isupper() and word.isalpha() and len(word) <= 3:
        return False
    return any(c.isupper() or c.isdigit() for c in word)


def unsaid(question: str, verdict: Verdict, sources: Sequence[tuple[str, str, str]]) -> str | None:
    """A refusal when the corpus names what is asked but says nothing about it: a paper
    held only as a reference, a title asked for that no paper has. `sources` are the
    retrieved (paper id, title, passage)."""
    paper = verdict.paper
    if paper is not None and not verdict.fields:
        own = [text for pid, _, text in sources if pid == paper.id]
        if own:
            others = [text for pid, _, text in sources if pid != paper.id]
            return reference_only(paper, own[0], others)
    return untitled_name(question, [title for _, title, _ in sources])


def missing_sentence(paper: Paper, missing: Sequence[str]) -> str:
    """'The corpus gives no venue for it.' for the fields asked about but absent."""
    return f"*Your corpus gives no {_join(missing)} for '{paper.title}'.*" if missing else ""


def field_lines(passage: str, fields: Sequence[str]) -> list[str]:
    """The lines of a paper's chunk that hold the asked fields, in chunk order."""
    prefixes = tuple(p for f in fields for p in FIELD_LINES[f])
    return [line.strip() for line in passage.split("\n") if line.startswith(prefixes)]


def _names(question: str) -> list[str]:
    """Distinctive tokens: hyphenated, mixed case or with digits ('rethinking-saliency')."""
    words = re.findall(r"[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]", question)
    return [
        w
        for w in words
        if w.lower() not in STOPWORDS
        and ("-" in w or any(c.isdigit() for c in w) or any(c.isupper() for c in w[1:]))
    ]


def _counted(words: Sequence[str]) -> str:
    """The counted noun: the word before the verb ('GitHub stars does' -> 'stars'), or
    the first word ('papers in my corpus' -> 'papers')."""
    for i, word in enumerate(words):
        if word.lower() in _AUX and i > 0:
            return words[i - 1]
    return words[0] if words else ""


def unquoted(question: str) -> str:
    """The question without the titles it quotes: a title's words describe nothing."""
    return _QUOTED.sub(" ", question)


def count_supported(
    question: str, passages: Sequence[str], sources: frozenset[str] = frozenset()
) -> bool:
    """A 'how many N' question needs a line with a number before N (and its names, but
    not the names of the corpus's files, `sources`: 'according to my CV' says where)."""
    match = _HOW_MANY.search(question)
    if match is None:
        return True
    noun = _counted(match.group(1).split()).lower().rstrip("s")
    if noun in _RECORD_NOUNS:
        return True  # the papers are counted by listing them, not quoted as a number
    names = [n.lower() for n in _names(question) if n.lower() not in sources]
    # A quoted title is named whole: the line must be that paper's ('500+ citations').
    titles = [normalize_title(q) for q in _QUOTED.findall(question)]
    # '169 stars', '500+ citations', or a field: 'Citations: 1400+'.
    number_noun = re.compile(
        rf"\b\d[\d,.]*\+?\s*(?:[a-z-]+\s+)?{re.escape(noun)}|\b{re.escape(noun)}s?:\s*\d", re.I
    )
    for passage in passages:
        for line in passage.split("\n"):
            low = line.lower()
            said = all(n in low for n in names) and all(t in normalize_title(line) for t in titles)
            if number_noun.search(line) and said:
                return True
    return False
