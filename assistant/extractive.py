"""Offline answers: the sentences of the retrieved passages that answer the question,
each with its citation (whether they can answer at all: assistant/answerable.py).

Simplified on purpose: sentences are scored by the question's content words they
contain, weighted by how rare each word is in the corpus (IDF); words are stemmed by
retrieval/terms.py, as BM25's are, so 'pruned' meets 'pruning'. No generation, so
nothing can be invented; the cost is prose that reads like quotations, which the
output says plainly.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assistant.answerability import FIELD_LINES, asked_fields
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
# A term in at most this many chunks is rare: when the search brings none of the
# chunks that hold it, the question asks about something the found papers do not say.
RARE_DF = 30
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
    people = [w for w in names_in(question) if w[:1].isupper() and len(w) > 2]
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
            if _FIELD.match(unit) and not (is_asked or authors_line_names(unit, people)):
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


# Where one asked part of a question ends and the next begins: 'What was X, and who
# advised it?', 'Who wrote it? Where did it appear?'
_PART_BREAK = re.compile(r"[?;]|,?\s+and\s+(?=(?:who|whom|what|where|when|which|how|why)\b)", re.I)
# ... opening with the asking word, or with a joining word and a few words before it
# ('and besides EPFL which institute ...')
_ASKS_SOMETHING = re.compile(
    r"^(?:who|whom|whose|what|where|when|which|how|why|is|are|was|were|do|does|did|can|have|has)\b"
    r"|^(?:and|but|also|plus|then)\s+(?:[\w'-]+\s+){0,3}?(?:who|whom|whose|what|where|when|which|how|why)\b",
    re.I,
)


def asked_parts(question: str) -> list[str]:
    """The clauses of a question that each ask something: 'What was my thesis about and
    who advised me? need it for a bio' -> ['What was my thesis about', 'who advised me']."""
    pieces = [p.strip(" ,.!") for p in _PART_BREAK.split(question)]
    return [p for p in pieces if _ASKS_SOMETHING.match(p)]


def each_part(
    question: str,
    keep: list[Extract],
    passages: Sequence[str],
    vocab: Vocabulary,
    min_score: float,
    allowed: set[int] | None = None,
) -> list[Extract]:
    """For a question asking two or more things, the best quote for each asked part whose
    rarest word no kept quote holds: the quotes that match the whole question best may all answer
    one part ('the title of my thesis') and none the other ('who advised it').
    `allowed`: the passages (numbers) a part may be quoted from, if not all."""
    parts = asked_parts(question)
    if len(parts) < 2:
        return []
    out: list[Extract] = []
    for part in parts:
        wanted = set(question_terms(part, vocab.source_words))
        # a part is answered when a kept quote holds its rarest word the corpus knows
        known = [t for t in wanted if vocab.df.get(t)]
        rarest = {min(known, key=lambda t: vocab.df[t])} if known else wanted
        if not wanted or any(rarest & set(terms(e.sentence)) for e in keep + out):
            continue
        found = [
            e
            for e in best_sentences(part, passages, vocab, per_source=1)
            if (allowed is None or e.n in allowed) and e.score >= min_score and e not in keep
        ]
        if found:
            out.append(max(found, key=lambda e: e.score))
    return out


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


def authors_line_names(unit: str, people: Sequence[str]) -> bool:
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


def names_in(question: str, skip: frozenset[str] = frozenset()) -> list[str]:
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


def squash(text: str) -> str:
    """Lower case without separators: 'Gaussian-process' meets 'Gaussian process'."""
    return re.sub(r"[^0-9a-z]+", "", text.lower())
