"""Offline answers: the sentences of the retrieved passages that answer the question,
each with its citation, and the test that decides the corpus cannot answer at all.

Simplified on purpose: sentences are scored by the question's content words they
contain, weighted by how rare each word is in the corpus (IDF), with a light prefix
stemmer so 'pruned' meets 'pruning'. No generation, so nothing can be invented; the
cost is prose that reads like quotations, which the output says plainly.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from retrieval.query import content_words
from retrieval.text import split_sentences

# Words a question uses to ask, not to say what it is about.
QUESTION_WORDS = frozenset(
    [
        "paper",
        "papers",
        "work",
        "works",
        "study",
        "studies",
        "show",
        "shows",
        "shown",
        "find",
        "finds",
        "found",
        "list",
        "give",
        "tell",
        "describe",
        "explain",
        "discuss",
        "related",
        "relate",
        "relates",
        "research",
        "researcher",
        "corpus",
        "article",
        "articles",
        "propose",
        "proposes",
        "proposed",
        "introduce",
        "introduces",
        "introduced",
        "publish",
        "published",
        "publication",
        "publications",
        "author",
        "authors",
        "wrote",
        "write",
        "written",
        "main",
        "key",
        "idea",
        "ideas",
        "approach",
        "method",
        "methods",
        "result",
        "results",
        "also",
        "use",
        "used",
        "using",
        "like",
        "one",
        "ones",
        "two",
        "many",
        "much",
        "well",
        "please",
        "know",
        "known",
        "mention",
        "mentions",
        "mentioned",
        "anything",
        "something",
        "say",
        "says",
        "said",
        "talk",
        "talks",
        # Words that say where in the corpus to look, not what the answer is about.
        "feed",
        "feeds",
        "daily",
        "curated",
        "awesome",
        "page",
        "pages",
        "appear",
        "appears",
        "appeared",
    ]
)
STEM_CHARS = 6
MIN_COVERAGE = 0.4
MIN_SIMILARITY = 0.25
NEAR_SIMILARITY = 0.4
# A term in at most this many chunks is rare: when the search brings none of the
# chunks that hold it, the question asks about something the found papers do not say.
RARE_DF = 30
MAX_ABSENT_SHARE = 0.5
# The passages an offline answer quotes from: the best few, not the whole top k.
ANSWER_PASSAGES = 3
# The statement's words attached to a paper chunk: 'Discussed in Prior Work > ...: '.
_DISCUSSED = re.compile(r"^Discussed in [^:\n]*: ", re.M)
# The catalog fields a paper chunk opens with (retrieval/chunking.py): on a tie they
# lose to the abstract's prose, which says what the keyword only names.
_FIELD = re.compile(r"^(?:Authors|Published|Topic|Keywords|Awards): ")
# ... unless the question asks for that field: 'Who wrote X?' is answered by X's authors.
# 'Who proposed X?' asks where an idea comes from, not who wrote a paper named after it.
_ASKS_FOR = (
    (re.compile(r"\b(?:whose|authors?|wrote|written|co-?authored)\b", re.I), "Authors: "),
    (
        re.compile(
            r"\b(?:published|venue|conference|journal|(?:what|which) year|when (?:was|were))\b",
            re.I,
        ),
        "Published: ",
    ),
)


def stem(word: str) -> str:
    """A crude prefix stem: 'pruning', 'pruned' -> 'prune'[:6] style agreement."""
    for suffix in ("ations", "ation", "ings", "ing", "ies", "ied", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    return word[:STEM_CHARS]


def terms(text: str) -> list[str]:
    """Stemmed content words: 'Pruned networks' -> ['prun', 'networ']."""
    return [stem(w) for w in content_words(text)]


def question_terms(question: str) -> list[str]:
    """The terms that say what a question is about, without its asking words."""
    words = [w for w in content_words(question) if w not in QUESTION_WORDS and not w.isdigit()]
    return list(dict.fromkeys(stem(w) for w in words))


@dataclass(frozen=True)
class Vocabulary:
    """Document frequencies of stemmed terms across the corpus chunks."""

    df: dict[str, int]
    n_docs: int

    @classmethod
    def build(cls, texts: Iterable[str]) -> Vocabulary:
        df: Counter[str] = Counter()
        n = 0
        for text in texts:
            n += 1
            df.update(set(terms(text)))
        return cls(dict(df), n)

    def idf(self, term: str) -> float:
        return math.log(1 + self.n_docs / (1 + self.df.get(term, 0)))


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
    weights = {t: vocab.idf(t) for t in question_terms(question)}
    total = sum(weights.values()) or 1.0
    asked = tuple(field for pattern, field in _ASKS_FOR if pattern.search(question))
    extracts: list[Extract] = []
    for n, passage in enumerate(passages, 1):
        title = passage.split("\n", 1)[0].strip()
        units = _units(_DISCUSSED.sub("", passage))
        scores = [sum(weights[t] for t in set(terms(u)) & weights.keys()) / total for u in units]
        about = max(scores, default=0.0)  # how well this passage is about the question
        scored = []
        for position, (unit, score) in enumerate(zip(units, scores, strict=True)):
            is_asked = bool(asked) and unit.startswith(asked) and about > 0
            score = about if is_asked else score
            if score > 0:
                prose = unit != title and not _FIELD.match(unit)
                scored.append((score, is_asked, prose, -position, unit))
        scored.sort(reverse=True)
        for score, *_, unit in scored[:per_source]:
            extracts.append(Extract(n, unit, score))
    return extracts


def _units(text: str) -> list[str]:
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
    wanted = question_terms(question)
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

    The first word of the question is not a name ('Which', 'Does').
    """
    words = re.findall(r"[A-Za-z][A-Za-z0-9-]*", question)[1:]
    names = [w for w in words if any(ch.isupper() for ch in w)]
    return [
        w
        for w in names
        if all(vocab.df.get(stem(p), 0) == 0 for p in content_words(w)) and content_words(w)
    ]


def absent_names(question: str, passages: Sequence[str]) -> list[str]:
    """Names in the question that no retrieved passage contains: 'GPT-4' asked about
    while the passages found are about parameter counts in general."""
    text = _squash(" ".join(passages))
    return [w for w in _names(question) if _squash(w) not in text]


def _names(question: str) -> list[str]:
    """'GPT-4', 'ResNet', 'Omnigrok': mixed case, digits or a capital, not the first word."""
    words = re.findall(r"[A-Za-z][A-Za-z0-9-]*", question)[1:]
    names = [w for w in words if any(ch.isupper() for ch in w[1:]) or any(c.isdigit() for c in w)]
    names += [w for w in words if w[:1].isupper() and w not in names]
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
        for t in question_terms(question)
        if t not in present and 1 <= vocab.df.get(t, 0) <= RARE_DF
    ]


def answerable(
    question: str, passages: Sequence[str], similarity: float | None, vocab: Vocabulary
) -> bool:
    """Whether the retrieved passages can answer the question, without an LLM.

    Refuse when the question names something the corpus never mentions or that no
    retrieved passage mentions; when even the nearest passage is semantically far;
    when most of the question's weight sits on rare terms the passages lack (the
    topic was found, the attribute asked about was not); or, for passages only fairly
    near, when they share few of the question's terms or several terms are unknown.
    The thresholds were set on benchmarks/data/dev_*.jsonl (see benchmarks/RESULTS.md).
    """
    if not passages or named_unknowns(question, vocab) or absent_names(question, passages):
        return False
    if similarity is None:  # no dense search: decide on the words alone
        return coverage(question, passages, vocab) >= MIN_COVERAGE and not unknown_terms(
            question, vocab
        )
    if similarity < MIN_SIMILARITY and not _exact(question, passages, vocab):
        return False
    absent = absent_rare_terms(question, passages, vocab)
    weights = {t: vocab.idf(t) for t in question_terms(question)}
    absent_share = sum(weights[t] for t in absent) / (sum(weights.values()) or 1.0)
    if len(absent) >= 2 and absent_share >= MAX_ABSENT_SHARE:
        return False
    if similarity >= NEAR_SIMILARITY:
        return True
    weak_words = coverage(question, passages, vocab) < MIN_COVERAGE
    return not (weak_words or len(unknown_terms(question, vocab)) >= 2 or len(absent) >= 2)


def _exact(question: str, passages: Sequence[str], vocab: Vocabulary) -> bool:
    """The question names something rare in the corpus and one of the best passages
    holds all its terms: a name the embedding model does not know ('Who wrote
    Omnigrok?') is found by its words, however far the vectors say it is."""
    rare = any(
        1 <= vocab.df.get(stem(w), 0) <= RARE_DF
        for name in _names(question)
        for w in content_words(name)
    )
    wanted = set(question_terms(question))
    return rare and any(wanted <= set(terms(p)) for p in passages[:ANSWER_PASSAGES])


def unknown_terms(question: str, vocab: Vocabulary) -> list[str]:
    """Question terms the corpus never uses: 'mamba' in 'Who introduced Mamba?'."""
    return [t for t in question_terms(question) if vocab.df.get(t, 0) == 0]
