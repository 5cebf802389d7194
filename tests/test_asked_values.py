"""A question asking for a year or a number is answered only by a quote that gives one
beside what the question names (issue 13: 'a number asked must be in the quoted passage')."""

from __future__ import annotations

import pytest

from assistant.ask import Asker, Done
from assistant.asked_values import asked_value, lacks_value
from assistant.extractive import Vocabulary
from assistant.library import Library

VOCAB = Vocabulary.build(
    [
        "Ada Quill obtained her PhD at Fenwick University.",
        "Published: 2019. Authors: Ada Quill, Bo Reyes.",
        "Widgetnet reaches a surprisingly high accuracy on ImageNet.",
        "Another model reaches 76.1% top-1 accuracy on ImageNet.",
    ]
    + ["Papers about ImageNet top-1 accuracy and models."] * 20
)


def test_the_kind_of_value_asked_is_read_from_the_question() -> None:
    assert asked_value("In what year did Ada Quill get her PhD?") == "year"
    assert asked_value("When was it published?") == "year"
    assert asked_value("What top-1 accuracy does Widgetnet reach?") == "number"
    assert asked_value("How many stars does the repository have?") == "number"
    # a moment in training, and an amount said in words, are not a year or a number
    assert asked_value("When do networks become stable to SGD noise?") is None
    assert asked_value("How much overparameterization is needed?") is None
    assert asked_value("Regret is set by how many hypotheses are close.") is None


def test_a_year_of_another_record_does_not_answer() -> None:
    question = "In what year did Ada Quill get her PhD at Fenwick?"
    answer = (
        "- **A paper**: Published: 2019 [1]. Ada Quill obtained her PhD at Fenwick University [2]."
    )
    assert lacks_value(question, answer, VOCAB) is not None
    dated = "- **Bio**: Ada Quill obtained her PhD at Fenwick University in 2015 [2]."
    assert lacks_value(question, dated, VOCAB) is None


def test_a_number_must_sit_beside_the_thing_asked_about() -> None:
    question = "What top-1 accuracy does Widgetnet reach on ImageNet?"
    words = "- **Widgetnet**: Widgetnet reaches a surprisingly high accuracy on ImageNet [1]. Another model reaches 76.1% top-1 accuracy on ImageNet [2]."
    assert lacks_value(question, words, VOCAB) is not None
    numbered = "- **Widgetnet (ResNet-50 variant)**: Widgetnet reaches 87.6% top-5 accuracy [1]."
    assert lacks_value(question, numbered, VOCAB) is None


@pytest.fixture(scope="module")
def asker(sample_library: Library) -> Asker:
    return Asker(sample_library.searcher(), embeddings=sample_library.embeddings)


@pytest.mark.slow
def test_a_phd_year_the_corpus_does_not_give_is_refused(asker: Asker) -> None:
    question = "In what year did Srinadh Bhojanapalli get his PhD from UT Austin?"
    answer = next(e.answer for e in asker.ask(question) if isinstance(e, Done))
    # the page says where and with whom, not when; his papers' years are no answer
    assert answer.refused and "gives the year" in answer.text
