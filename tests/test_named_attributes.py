"""An attribute asked of a named person or thing must be said where they are named
(issue 13: 'the asked attribute must be present in a passage about the named entity')."""

from __future__ import annotations

import pytest

from assistant.ask import Asker
from assistant.extractive import Vocabulary
from assistant.library import Library
from assistant.named_attributes import unsaid_of_named

PASSAGES = [
    "Ada Quill. Authors: Ada Quill, Bo Reyes. We study sparse widgets.",
    "Ada Quill obtained her PhD at Fenwick University, advised by Prof. Cy Moss.",
    "Profile: Citations: 1400+ | h-index: 9",
]
VOCAB = Vocabulary.build(PASSAGES + ["Widgets and models."] * 40)


def test_an_attribute_said_only_of_someone_else_is_refused() -> None:
    refusal = unsaid_of_named("What is Ada Quill's h-index?", PASSAGES, VOCAB)
    assert refusal is not None
    assert refusal.startswith("Your corpus names Ada Quill") and "'h-index'" in refusal


def test_an_attribute_said_beside_the_name_is_answered() -> None:
    # 'advisor' meets 'advised' in the passage that names her
    assert unsaid_of_named("Who was Ada Quill's PhD advisor?", PASSAGES, VOCAB) is None


def test_a_missing_verb_or_ever_is_no_missing_attribute() -> None:
    talks = ["Talks: Jun 2022 Sparse Widgets, Fenwick University, USA."]
    vocab = Vocabulary.build(
        talks + ["Given widgets, we spoke of models.", "A budget."] * 3 + ["Models."] * 40
    )
    # 'ever' is a function word, 'given' the verb of 'have I given': nothing of Fenwick asked
    assert unsaid_of_named("Have I ever given a talk at Fenwick University?", talks, vocab) is None
    # ... while a noun the passage lacks is still an attribute it does not give
    refusal = unsaid_of_named("What budget did Fenwick University have?", talks, vocab)
    assert refusal is not None and "'budget'" in refusal
    # a word in -ing is as often a noun: it is still asked of them
    vocab = Vocabulary.build(talks + ["Pruning widgets."] * 3 + ["Models."] * 40)
    pruning = unsaid_of_named("Is Fenwick University known for pruning?", talks, vocab)
    assert pruning is not None and "'pruning'" in pruning


def test_questions_about_someones_papers_are_left_to_the_authors_lines() -> None:
    assert (
        unsaid_of_named(
            "I'm meeting Ada Quill: which of her papers index widgets?", PASSAGES, VOCAB
        )
        is None
    )


@pytest.fixture(scope="module")
def asker(sample_library: Library) -> Asker:
    return Asker(sample_library.searcher(), embeddings=sample_library.embeddings)


@pytest.mark.slow
def test_the_cv_h_index_is_not_given_as_bhojanapallis(asker: Asker) -> None:
    question = "What is Srinadh Bhojanapalli's h-index?"
    answer = asker.answer(question)
    assert answer.refused and "Srinadh Bhojanapalli" in answer.text and not answer.citations
