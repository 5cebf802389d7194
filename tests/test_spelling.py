"""A question's slips are read as the corpus's words; English words and names are not."""

from __future__ import annotations

import pytest

from assistant.ask import Asker
from assistant.spelling import Speller

CORPUS = [
    "Concept bottleneck models predict concepts first.",
    "Authors: Tom Goldstein, Micah Goldblum. Weight decay and flat minima.",
    "Neighborhood attention; the optimizer decays weights.",
]


def test_a_word_neither_english_nor_the_corpuss_is_read_as_the_corpuss_word() -> None:
    speller = Speller(CORPUS)
    assert speller.respell("concept botleneck models?") == "concept bottleneck models?"
    assert speller.respell("weigth decay") == "weight decay"
    # a capitalised name: two letters swapped only
    assert speller.respell("papers by Goldstien?") == "papers by Goldstein?"
    # a British spelling the corpus writes the American way
    assert speller.respell("in my neighbourhood") == "in my neighborhood"


def test_english_words_short_words_and_unknown_names_are_left_as_typed() -> None:
    speller = Speller(CORPUS)
    # 'decays' and 'defend' are English; 'Goldblatt' is no swap of a corpus name
    for typed in ("Who will defend it?", "It decays.", "Ask Goldblatt.", "Use mamba.", "BotNet"):
        assert speller.respell(typed) == typed
    # a word whose stem the corpus has already meets it; a URL or repository is whole;
    # a very long run of letters is no word
    stems = Speller(["the text was tokenized", "it regularizes weights"])
    assert (
        stems.respell("which tokenizer, which regularizer?")
        == "which tokenizer, which regularizer?"
    )
    assert speller.respell("see github.com/x/botleneck") == "see github.com/x/botleneck"
    assert speller.respell("b" + "o" * 5000) == "b" + "o" * 5000
    # two readings one edit away: neither is chosen
    twins = Speller(["the drafts", "the crafts"])
    assert twins.respell("dafts and xrafts") == "dafts and xrafts"


@pytest.mark.slow
def test_a_typo_in_a_title_word_still_finds_the_paper_and_says_how_it_was_read(
    sample_asker: Asker,
) -> None:
    answer = sample_asker.answer("who wrote the concept botleneck models paper?")
    assert not answer.refused
    assert "Pang Wei Koh" in answer.text
    assert answer.standalone_question == "who wrote the concept bottleneck models paper?"
    from assistant.render import answer_sources

    assert answer_sources(answer).startswith(
        "Read as: “who wrote the concept bottleneck models paper?”."
    )
