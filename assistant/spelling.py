"""Words of a question read as the corpus writes them: 'botleneck' is 'bottleneck'.

A typed slip turns a word the corpus uses into one it never does, and every check
downstream (the search, the names a passage must hold, the rare terms) then takes the
question for one about something absent. A word that is neither the corpus's nor an
English word (pyspellchecker's list, shipped in its wheel) is read as the corpus's word
one edit away, when exactly one is: any edit for a lower-case word of six or more
letters, only two letters swapped for a capitalised one ('Goldstien'), since a name one
letter off is as often another person. English words ('defend', 'drafting'), words whose
stem the corpus has ('tokenizer' beside 'tokenized'), shorter or very long words, names in
mixed case ('AlphaFold'), URLs and words with two readings are left as typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from retrieval.terms import stem

_WORD = re.compile(r"\b[A-Za-z][a-z]+\b")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
MIN_LETTERS = 6
MAX_LETTERS = 30  # a longer run of letters is no word to respell (and costs its edits)


def _swaps(word: str) -> set[str]:
    return {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}


def _edits(word: str) -> set[str]:
    """Every word one deletion, swap, replacement or insertion away."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    out |= {a + c + b for a, b in splits for c in _LETTERS}
    return out | _swaps(word)


class Speller:
    """The corpus's words, and the reading of a question's words it never uses."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.words: set[str] = set()
        for text in texts:
            self.words.update(w.lower() for w in re.findall(r"[A-Za-z]+", text))
        self.stems = {stem(w) for w in self.words}
        self._english: Any = None

    def _is_english(self, word: str) -> bool:
        if self._english is None:
            from spellchecker import SpellChecker

            self._english = SpellChecker(language="en", distance=1)
        return bool(self._english.known([word]))

    def respell(self, question: str) -> str:
        """The question with each slip read as the corpus's word (unchanged if none). A
        token with a slash or an @ (a URL, a repository, an address) is left whole."""
        return re.sub(
            r"\S+",
            lambda t: (
                t.group(0)
                if re.search(r"[/@]", t.group(0))
                else _WORD.sub(lambda m: self._word(m.group(0)), t.group(0))
            ),
            question,
        )

    def _word(self, word: str) -> str:
        low = word.lower()
        if not MIN_LETTERS <= len(low) <= MAX_LETTERS or low in self.words:
            return word
        # a word whose stem the corpus has already meets it ('tokenizer', 'tokenized')
        if stem(low) in self.stems or self._is_english(low):
            return word
        near = _swaps(low) if word[0].isupper() else _edits(low)
        found = sorted((near - {low}) & self.words)
        if len(found) != 1:
            return word
        return found[0].capitalize() if word[0].isupper() else found[0]
