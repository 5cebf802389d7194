"""Offline answers: the sentences of the retrieved passages that answer the question,
each with its citation, and the test that decides the corpus cannot answer at all.

Simplified on purpose: sentences are scored by the question's content words they
contain, weighted by how rare each word is in the corpus (IDF); words are stemmed by
retrieval/terms.py, as BM25's are, so 'pruned' meets 'pruning'. No generation, so nothing can be invented; the
cost is prose that reads like quotations, which the output says plainly.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assistant.answerability import FIELD_LINES, asked_fields
from assistant.thresholds import DEFAULT, Thresholds
from retrieval.terms import STOPWORDS, content_words, idf, stem, terms
from retrieval.text import split_sentences

# Words a question uses to ask, not to say what it is about.
_ASKING = """
    paper papers work works study studies show shows shown find finds found list give
    tell describe explain discuss related relate relates research researcher corpus
    article articles propose proposes proposed introduce introduces introduced publish
    published publication publications author authors wrote write written main key idea
    ideas approach method methods result results also use used using like one ones two
    many much well please know known mention mentions mentioned anything something say
    says said talk talks
"""
# Words that say where in the corpus to look, not what the answer is about: the kinds
# of source the loaders read (the corpus's own file names are added per corpus:
# Vocabulary.source_words).
_WHERE = """
    feed feeds curated page pages list entry entries appear appears appeared according
"""
ASKING_WORDS = frozenset(_ASKING.split())
QUESTION_WORDS = ASKING_WORDS | frozenset(_WHERE.split())
MIN_COVERAGE = 0.4
# A term in at most this many chunks is rare: when the search brings none of the
# chunks that hold it, the question asks about something the found papers do not say.
RARE_DF = 30
MAX_ABSENT_SHARE = 0.6
UNKNOWN_SHARE = 0.34
SHORT_QUESTION_TERMS = 5
# The passages an offline answer quotes from: the best few, not the whole top k.
ANSWER_PASSAGES = 3
# The statement's words attached to a paper chunk: 'Discussed in Prior Work > ...: '.
_DISCUSSED = re.compile(r"^Discussed in [^:\n]*: ", re.M)
# The catalog fields a paper chunk opens with (retrieval/chunking.py): on a tie they
# lose to the abstract's prose, which says what the keyword only names.
_FIELD = re.compile(r"^(?:Authors|Published|Topic|Keywords|Awards): ")


def question_terms(question: str, skip: frozenset[str] = frozenset()) -> list[str]:
    """The terms that say what a question is about, without its asking words (nor the
    words in `skip`: names of the corpus's files, which say where to look)."""
    words = [
        w
        for w in content_words(question)
        if w not in QUESTION_WORDS and w not in skip and not w.isdigit()
    ]
    return list(dict.fromkeys(stem(w) for w in words))


# A file-name word the chunks use at most this often names the source, not a topic:
# 'the CV', 'the feed', 'the Awesome list'.
SOURCE_WORD_DF = 2


@dataclass(frozen=True)
class Vocabulary:
    """Document frequencies of stemmed terms across the corpus chunks, and the words
    that name the corpus's files."""

    df: dict[str, int]
    n_docs: int
    source_words: frozenset[str] = frozenset()

    @classmethod
    def build(cls, texts: Iterable[str], files: Iterable[str] = ()) -> Vocabulary:
        df: Counter[str] = Counter()
        n = 0
        for text in texts:
            n += 1
            df.update(set(terms(text)))
        words: set[str] = set()
        for name in set(files):
            parts = re.findall(r"[a-z0-9]+", name.lower())[:-1]  # without the extension
            words.update(w for w in parts if len(w) > 1 and df.get(stem(w), 0) <= SOURCE_WORD_DF)
        return cls(dict(df), n, frozenset(words))

    def is_source_word(self, word: str) -> bool:
        return word.lower() in self.source_words

    def idf(self, term: str) -> float:
        return idf(self.df.get(term, 0), self.n_docs)


@dataclass(frozen=True)
class Extract:
    """A sentence chosen from source `n`, with the share of question weight it covers."""

    n: int
    sentence: str
    score: float


def best_sentences(
    question: str, passages: Sequence[str], vocab: Vocabulary, *, per_source: int = 2
) -> list[Extract]:
    """The best sentences of each passage for the question, best passages first.

    On a tie, prose beats the title and the catalog fields, except the field the
    question asks for ('Who wrote X?': X's authors), which beats everything in a
    passage about the question.
    """
    weights = {t: vocab.idf(t) for t in question_terms(question, vocab.source_words)}
    total = sum(weights.values()) or 1.0
    asked = tuple(p for f in asked_fields(question) for p in FIELD_LINES[f])
    people = [w for w in _names(question) if w[:1].isupper() and len(w) > 2]
    extracts: list[Extract] = []
    for n, passage in enumerate(passages, 1):
        title = passage.split("\n", 1)[0].strip()
        sentences = units(_DISCUSSED.sub("", passage))
        scores = [
            sum(weights[t] for t in set(terms(u)) & weights.keys()) / total for u in sentences
        ]
        about = max(scores, default=0.0)  # how well this passage is about the question
        scored = []
        for position, (unit, score) in enumerate(zip(sentences, scores, strict=True)):
            is_asked = bool(asked) and unit.startswith(asked) and about > 0
            score = about if is_asked else score
            if _FIELD.match(unit) and not (is_asked or _names_person(unit, people)):
                continue  # 'Topic: X' names what a passage is about; it is no finding
            if score > 0:
                prose = unit != title and not _FIELD.match(unit)
                scored.append((score, is_asked, prose, -position, unit))
        scored.sort(reverse=True)
        for score, *_, unit in scored[:per_source]:
            extracts.append(Extract(n, unit, score))
    return extracts


def complement(
    question: str,
    keep: list[Extract],
    extracts: list[Extract],
    files: Sequence[str],
    vocab: Vocabulary,
    min_score: float,
) -> Extract | None:
    """A sentence from another file that covers question terms the kept quotes do not.

    A question that joins two documents ('my statement's algorithm: who were my
    co-authors according to the CV?') has each part answered in a different file;
    the best quotes all come from the file that matches most of it. `files[n - 1]` is
    the file of passage n.
    """
    wanted = set(question_terms(question, vocab.source_words))
    covered = {t for e in keep for t in terms(e.sentence)} & wanted
    quoted_files = {files[e.n - 1] for e in keep}
    for e in sorted(extracts, key=lambda x: -x.score):
        if e in keep or e.score < min_score or files[e.n - 1] in quoted_files:
            continue
        if (set(terms(e.sentence)) & wanted) - covered:
            return e
    return None


def widen(
    question: str, keep: list[Extract], extracts: list[Extract], vocab: Vocabulary
) -> list[Extract]:
    """The kept quotes, plus any other sentence of an already quoted source that holds
    a question term no kept quote holds ('... healed with QLoRA' beside the sentence
    that matched the rest)."""
    wanted = set(question_terms(question, vocab.source_words))
    covered = {t for e in keep for t in terms(e.sentence)} & wanted
    sources = {e.n for e in keep}
    out = list(keep)
    for e in extracts:
        new = (set(terms(e.sentence)) & wanted) - covered
        if e not in out and e.n in sources and new:
            out.append(e)
            covered |= new
    return out


def _names_person(unit: str, people: Sequence[str]) -> bool:
    """An Authors line naming someone the question names ('papers by Simon S. Du')."""
    return unit.startswith("Authors: ") and any(
        re.search(rf"\b{re.escape(p)}\b", unit) for p in people
    )


def units(text: str) -> list[str]:
    """The sentences of a chunk, each catalog field line whole ('Eric J. Michaud' is
    not a sentence end)."""
    out: list[str] = []
    prose: list[str] = []
    for line in text.split("\n"):
        if _FIELD.match(line):
            out += [*split_sentences("\n".join(prose)), line.strip()]
            prose = []
        else:
            prose.append(line)
    return out + split_sentences("\n".join(prose))


def coverage(question: str, passages: Sequence[str], vocab: Vocabulary) -> float:
    """IDF-weighted share of the question's terms found in the best single passage."""
    wanted = question_terms(question, vocab.source_words)
    if not wanted:
        return 0.0
    weights = {t: vocab.idf(t) for t in wanted}
    total = sum(weights.values())
    best = 0.0
    for passage in passages:
        present = set(terms(passage))
        best = max(best, sum(w for t, w in weights.items() if t in present) / total)
    return best


def named_unknowns(question: str, vocab: Vocabulary) -> list[str]:
    """Capitalised names in the question the corpus never uses: 'Mamba', 'AlphaFold'.

    Short all-capital words ('RL', 'ML') are abbreviations the corpus may spell out,
    so they decide nothing.
    """
    return [
        w
        for w in _names(question, vocab.source_words)
        if not _abbreviation(w)
        and content_words(w)
        and all(vocab.df.get(stem(p), 0) == 0 for p in content_words(w))
    ]


def absent_names(
    question: str,
    passages: Sequence[str],
    skip: frozenset[str] = frozenset(),
    df: dict[str, int] | None = None,
) -> list[str]:
    """Names in the question that no retrieved passage contains: 'GPT-4' asked about
    while the passages found are about parameter counts in general. A hyphenated
    word is present when its parts are ('Mixup-style'). With the corpus's document
    frequencies `df`, a short abbreviation the corpus never writes ('ASR') is left out:
    its papers spell it out."""
    text = _squash(" ".join(passages))
    words = set(terms(" ".join(passages)))
    return [
        w
        for w in _names(question, skip)
        if _squash(w) not in text
        and not _parts_in(w, words)
        # 'ASR' the corpus never writes: its papers spell it out ('speech recognition');
        # 'GPU', which it does write, must be in the passages
        and not (_abbreviation(w) and df is not None and not df.get(stem(w.lower())))
    ]


def _abbreviation(word: str) -> bool:
    """'ASR', 'RL', 'ML': short capitals a passage may spell out ('speech recognition')."""
    return word.isupper() and word.isalpha() and len(word) <= 3


def _parts_in(name: str, words: set[str]) -> bool:
    """'Mixup-style' is about Mixup: a hyphenated name without digits is present when one
    of its long parts is ('GPT-4' needs the whole name)."""
    if "-" not in name or any(c.isdigit() for c in name):
        return False
    return any(stem(p) in words for p in content_words(name) if len(p) > 3)


def _names(question: str, skip: frozenset[str] = frozenset()) -> list[str]:
    """'GPT-4', 'ResNet', 'Omnigrok': mixed case, digits or a capital, not the first word,
    nor a stop word opening a sentence ('What', 'Does'), nor a word naming a corpus file."""
    # A capital that opens a sentence ('... computes. Title?') names nothing.
    openers = {m.end() for m in re.finditer(r"(?:^|[.?!:;]\s+)", question)}
    found = [
        (m.group(0), m.start() in openers) for m in re.finditer(r"[A-Za-z][A-Za-z0-9-]*", question)
    ][1:]
    words = [(w, o) for w, o in found if w.lower() not in STOPWORDS and w.lower() not in skip]
    names = [
        w for w, _ in words if any(ch.isupper() for ch in w[1:]) or any(c.isdigit() for c in w)
    ]
    names += [w for w, opens in words if w[:1].isupper() and not opens and w not in names]
    return list(dict.fromkeys(names))


def _squash(text: str) -> str:
    """Lower case without separators: 'Gaussian-process' meets 'Gaussian process'."""
    return re.sub(r"[^0-9a-z]+", "", text.lower())


def absent_rare_terms(question: str, passages: Sequence[str], vocab: Vocabulary) -> list[str]:
    """Rare corpus terms of the question that none of the best passages contains.

    'Who won the Turing Award for the lottery ticket hypothesis?' finds the lottery
    ticket papers, but 'won', 'turing' and 'award' are in none of them: the corpus
    knows those words from elsewhere and says nothing joining them to the topic.
    """
    present: set[str] = set()
    for passage in passages[:ANSWER_PASSAGES]:
        present.update(terms(passage))
    return [
        t
        for t in question_terms(question, vocab.source_words)
        if t not in present and 1 <= vocab.df.get(t, 0) <= RARE_DF
    ]


def answerable(
    question: str,
    passages: Sequence[str],
    similarity: float | None,
    vocab: Vocabulary,
    limits: Thresholds = DEFAULT,
    *,
    own: bool = False,
) -> bool:
    """Whether the retrieved passages can answer the question, without an LLM.

    Refuse when the question names something the corpus never mentions or that no
    retrieved passage mentions; when even the nearest passage is semantically far and
    its words do not say otherwise (`_exact`); when most of the question's weight sits
    on rare terms the passages lack (the topic was found, the attribute asked about
    was not); or, for passages only fairly near, when they share few of its terms.
    Thresholds: assistant/thresholds.py.

    `own`: the researcher asks about themselves and one of the best passages is a
    section of their own CV or statement. Those sections are lists and plans that the
    vectors place far from any question, and the question paraphrases them ('my
    doctoral dissertation' for 'Thesis:'): neither the floor on similarity nor the share
    of words found decides; absent rare terms and unknown words still do.
    """
    if not passages or named_unknowns(question, vocab):
        return False
    if absent_names(question, passages, vocab.source_words, vocab.df):
        return False
    if authored_by_named(question, passages, vocab):
        return True
    if similarity is None:  # no dense search: decide on the words alone
        return coverage(question, passages, vocab) >= MIN_COVERAGE and not unknown_terms(
            question, vocab
        )
    exact = _exact(question, passages, vocab) or own
    if similarity < limits.min_similarity and not exact:
        return False
    absent = absent_rare_terms(question, passages, vocab)
    weights = {t: vocab.idf(t) for t in question_terms(question, vocab.source_words)}
    if len(weights) <= SHORT_QUESTION_TERMS:
        # In a short question a word the corpus never uses is half of what is asked
        # ('Which company acquired ...?'); in a long one it is likely a paraphrase.
        absent += unknown_terms(question, vocab)
    absent_share = sum(weights[t] for t in absent) / (sum(weights.values()) or 1.0)
    # A section headed by what is asked answers it, whatever else the question says.
    heading = _heading_match(question, passages, vocab)
    if heading and len(weights) <= SHORT_QUESTION_TERMS:
        # In a short question the heading must name most of what is asked: 'Awards'
        # answers 'What awards did I win?', not 'Which university awarded my degree?'.
        named = sum(w for t, w in weights.items() if t in _heading_terms(passages))
        heading = named >= (1 - MAX_ABSENT_SHARE) * sum(weights.values())
    if len(absent) >= 2 and absent_share >= MAX_ABSENT_SHARE and not heading:
        return False
    if similarity >= limits.near_similarity or heading:
        return True
    weak_words = coverage(question, passages, vocab) < MIN_COVERAGE
    # Words the corpus never uses say little in a long question (paraphrase), much
    # in a short one ('How do I renew a passport?').
    unknown = unknown_terms(question, vocab)
    many_unknown = len(unknown) >= 2 and len(unknown) >= UNKNOWN_SHARE * len(weights)
    if own:
        return True  # the share of absent terms above decides for the researcher's own files
    return not (weak_words or len(absent) >= 2 or many_unknown)


def authored_by_named(question: str, passages: Sequence[str], vocab: Vocabulary) -> bool:
    """Every capitalised name of the question is on the Authors line of one of the best
    passages: the question is about a person whose papers the corpus records ('I'm
    meeting Ada Lovelace: which of her papers do I have?'), however it is worded."""
    people = [w for w in _names(question, vocab.source_words) if w[:1].isupper() and len(w) > 2]
    if not people:
        return False
    for passage in passages[:ANSWER_PASSAGES]:
        authors = [ln for ln in passage.split("\n") if ln.startswith("Authors: ")]
        if authors and all(_names_person(authors[0], [p]) for p in people):
            return True
    return False


def _exact(question: str, passages: Sequence[str], vocab: Vocabulary) -> bool:
    """The words, not the vectors, say one of the best passages is about the question:
    it holds every rare name the question uses ('Who wrote Omnigrok?', 'papers by
    Randall Balestriero'), or its heading holds a rare term of the question (a CV
    section 'Teaching' for 'What teaching have I done?'). Embedding models place
    names they do not know, and long list-like sections, far from any question."""
    # A hyphenated term names a thing as a capital does ('h-index', 'fullgrad-saliency').
    hyphenated = re.findall(r"\b[a-z][a-z0-9]*(?:-[a-z0-9]+)+\b", question)
    rare_names = [
        stem(w)
        for name in _names(question, vocab.source_words) + hyphenated
        for w in content_words(name)
        if 1 <= vocab.df.get(stem(w), 0) <= RARE_DF
    ]
    wanted = set(question_terms(question, vocab.source_words))
    for passage in passages[:ANSWER_PASSAGES]:
        present = set(terms(passage))
        # ... and whole: 'g-index' is not said by a passage that says 'h-index'.
        whole = all(_squash(h) in _squash(passage) for h in hyphenated)
        if rare_names and whole and (set(rare_names) <= present or wanted <= present):
            return True
    return _heading_match(question, passages, vocab)


def _heading_match(question: str, passages: Sequence[str], vocab: Vocabulary) -> bool:
    """One of the best passages is a section whose heading names a rare term of the
    question: the section is about what is asked, whatever else the question says."""
    wanted = question_terms(question, vocab.source_words)
    rare_terms = {t for t in wanted if 1 <= vocab.df.get(t, 0) <= RARE_DF}
    return any(
        rare_terms & set(terms(_heading(p))) for p in passages[:ANSWER_PASSAGES] if _heading(p)
    )


def _heading_terms(passages: Sequence[str]) -> set[str]:
    return {t for p in passages[:ANSWER_PASSAGES] for t in terms(_heading(p))}


def _heading(passage: str) -> str:
    """The section path a profile or document chunk opens with ('Suraj Srinivas > Teaching')."""
    for line in passage.split("\n")[:2]:
        if " > " in line:
            return line.split(" > ", 1)[1]
    return ""


def unknown_terms(question: str, vocab: Vocabulary) -> list[str]:
    """Question terms the corpus never uses: 'mamba' in 'Who introduced Mamba?'."""
    return [t for t in question_terms(question, vocab.source_words) if vocab.df.get(t, 0) == 0]
