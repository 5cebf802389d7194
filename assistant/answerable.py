"""Whether the retrieved passages can answer a question without an LLM.

The offline answer (assistant/offline_answer.py) quotes the corpus; before it quotes, this
test decides that the corpus cannot answer at all: a name it never mentions, passages
far from the question whose words do not say otherwise, the rare words of what is asked
missing from the passages that hold its topic. Terms and the sentences quoted are
assistant/extractive.py's; thresholds are assistant/thresholds.py's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.extractive import (
    ANSWER_PASSAGES,
    RARE_DF,
    SHORT_QUESTION_TERMS,
    Vocabulary,
    authors_line_names,
    names_in,
    question_terms,
    squash,
)
from assistant.thresholds import DEFAULT, Thresholds
from assistant.titles import leading_subject
from retrieval.terms import content_words, stem, terms

MIN_COVERAGE = 0.4
MAX_ABSENT_SHARE = 0.6
MIN_ABSENT_SHARE = 0.3  # flat from 0.25 to 0.35 on every tuned set
UNKNOWN_SHARE = 0.34


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
    """Capitalised names in the question the corpus never uses: 'Mamba', 'AlphaFold';
    and a subject the question opens with that it never uses ('smoothgrad — do I have
    it?'), however it is written.

    Short all-capital words ('RL', 'ML') are abbreviations the corpus may spell out,
    so they decide nothing.
    """
    subject = leading_subject(question)
    named = names_in(question, vocab.source_words) + ([subject] if subject else [])
    return [
        w
        for w in dict.fromkeys(named)
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
    text = squash(" ".join(passages))
    words = set(terms(" ".join(passages)))
    return [
        w
        for w in names_in(question, skip)
        if squash(_singular(w)) not in text
        and not _parts_in(w, words)
        # 'ASR' the corpus never writes: its papers spell it out ('speech recognition');
        # 'GPU', which it does write, must be in the passages
        and not (
            _abbreviation(_singular(w))
            and df is not None
            and not df.get(stem(_singular(w).lower()))
        )
    ]


def _singular(word: str) -> str:
    """'ANNs' -> 'ANN', 'ViTs' -> 'ViT', 'ResNets' -> 'ResNet': the plural of an acronym
    or of a name written in mixed case."""
    stem_ = word[:-1]
    if not word.endswith("s") or len(word) <= 2:
        return word
    return stem_ if stem_.isupper() or any(c.isupper() for c in stem_[1:]) else word


def _abbreviation(word: str) -> bool:
    """'ASR', 'RL', 'ML': short capitals a passage may spell out ('speech recognition')."""
    return word.isupper() and word.isalpha() and len(word) <= 3


def _parts_in(name: str, words: set[str]) -> bool:
    """'Mixup-style' is about Mixup: a hyphenated name without digits is present when one
    of its long parts is ('GPT-4' needs the whole name)."""
    if "-" not in name or any(c.isdigit() for c in name):
        return False
    return any(stem(p) in words for p in content_words(name) if len(p) > 3)


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
        if not held(t, present) and 1 <= _df(t, vocab) <= RARE_DF
    ]


# A word cut short ('postdoc', 'info', 'stats') is the corpus's longer word that starts
# with it ('postdoctoral'), when at least this many letters are left.
MIN_CLIPPED = 5


def _df(term: str, vocab: Vocabulary) -> int:
    """The term's document frequency, or that of the longest-known word it clips."""
    if vocab.df.get(term) or len(term) < MIN_CLIPPED:
        return vocab.df.get(term, 0)
    return max((df for t, df in vocab.df.items() if t.startswith(term)), default=0)


def held(term: str, words: set[str]) -> bool:
    """Whether `words` hold the term, or a longer word it clips ('postdoc')."""
    return term in words or (len(term) >= MIN_CLIPPED and any(w.startswith(term) for w in words))


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
    # two absent rare words matter when they carry a real share of what is asked: in a
    # long description ('removes up to half of the blocks ... healing it with QLoRA'),
    # 'blocks' and 'little' are paraphrase
    absent_matters = len(absent) >= 2 and absent_share >= MIN_ABSENT_SHARE
    return not (weak_words or absent_matters or many_unknown)


def authored_by_named(question: str, passages: Sequence[str], vocab: Vocabulary) -> bool:
    """Every capitalised name of the question is on the Authors line of one of the best
    passages: the question is about a person whose papers the corpus records ('I'm
    meeting Ada Lovelace: which of her papers do I have?'), however it is worded."""
    people = [w for w in names_in(question, vocab.source_words) if w[:1].isupper() and len(w) > 2]
    if not people:
        return False
    for passage in passages[:ANSWER_PASSAGES]:
        authors = [ln for ln in passage.split("\n") if ln.startswith("Authors: ")]
        if authors and all(authors_line_names(authors[0], [p]) for p in people):
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
        for name in names_in(question, vocab.source_words) + hyphenated
        for w in content_words(name)
        if 1 <= vocab.df.get(stem(w), 0) <= RARE_DF
    ]
    wanted = set(question_terms(question, vocab.source_words))
    for passage in passages[:ANSWER_PASSAGES]:
        present = set(terms(passage))
        # ... and whole: 'g-index' is not said by a passage that says 'h-index'.
        whole = all(squash(h) in squash(passage) for h in hyphenated)
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
    """Question terms the corpus never uses: 'mamba' in 'Who introduced Mamba?' ('postdoc'
    is known when the corpus says 'postdoctoral')."""
    return [t for t in question_terms(question, vocab.source_words) if _df(t, vocab) == 0]
