"""Origin questions whose introducing paper is not in the corpus are refused, not
answered with the follow-ups that mention the idea (issue 13)."""

from __future__ import annotations

import pytest

from assistant.ask import Asker, Done
from assistant.extractive import Vocabulary
from assistant.library import Library
from assistant.origin import introduces, origin_absent, origin_name
from retrieval.hybrid import Hit
from retrieval.records import Chunk


def _hit(title: str, text: str) -> Hit:
    chunk = Chunk(
        id=title, text=f"{title}\n{text}", kind="paper", file="list.txt", line=1, title=title
    )
    return Hit(chunk=chunk, score=1.0, paper=None, dense_rank=None, lexical_rank=None)


FOLLOW_UPS = [
    _hit("Weight Decay Meets Frobnication", "We study frobnication with weight decay."),
    _hit("On the Implicit Bias of Frobnication", "Optimizers like frobnication converge."),
    _hit("Frobnication Reduces Underfitting", "We show frobnication helps early in training."),
]
# Every passage of the vocabulary names the idea: it is well known in this corpus.
VOCAB = Vocabulary.build([h.chunk.text for h in FOLLOW_UPS] * 3)


def test_the_named_thing_is_read_from_the_origin_question() -> None:
    assert origin_name("Which paper originally introduced the Adam optimizer?") == "Adam optimizer"
    assert origin_name("Is the original ResNet paper (He et al.) in my corpus?") == "ResNet"
    assert origin_name("Who first described 'grokking', i.e. late generalization?") == "grokking"
    # a described finding names nothing whose title could be checked
    assert origin_name("Which paper first showed that networks fit random labels?") is None
    assert origin_name("Which paper coined the name for the tempered regime?") is None
    # a verb and its object describe what was done; a gerund alone can be a name
    assert origin_name("Who first proposed pruning a network once, before training?") is None
    assert origin_name("Which paper first proposed learning rate warmup?") == "learning rate warmup"
    # a past tense says what was found: 'originally claimed that ...'
    assert origin_name("Which work originally claimed that nets sit in one basin?") is None


def test_an_acronym_spelled_out_finds_the_record_that_uses_only_the_spelling() -> None:
    # follow-ups write 'SAM'; the original's record has its title and no abstract
    follow_ups = [
        _hit("SAM Operates Far From Home", "We study SAM and its eigenvalues."),
        _hit("SAM as an Optimal Relaxation", "We relate SAM to Bayes."),
    ]
    original = _hit("Sharpness-Aware Minimization for Efficiently Improving Generalization", "")
    vocab = Vocabulary.build([h.chunk.text for h in follow_ups] * 3)
    question = "What is the original SAM paper?"
    assert introduces(original, "sharpness-aware minimization")  # the name, then 'for ...'
    assert not introduces(follow_ups[0], "sharpness-aware minimization")
    hits = [*follow_ups, original]
    assert origin_absent(question, hits, vocab) is not None
    assert origin_absent(question, hits, vocab, "sharpness-aware minimization") is None


def test_follow_ups_that_mention_an_idea_do_not_answer_who_introduced_it() -> None:
    refusal = origin_absent("Which paper first proposed frobnication?", FOLLOW_UPS, VOCAB)
    assert refusal is not None and "3 papers that mention frobnication" in refusal
    assert "not in your corpus" in refusal


def test_a_paper_titled_with_the_idea_or_coining_it_introduces_it() -> None:
    titled = _hit("Frobnication: A Method for Stochastic Things", "We study things.")
    coined = _hit("Faster Training", "Our method, Fast Robust Frobnication (FRF), trains fast.")
    assert introduces(titled, "frobnication optimizer")
    assert introduces(coined, "FRF")
    assert not introduces(FOLLOW_UPS[2], "frobnication")  # a sentence title, not a name
    question = "Which paper first proposed frobnication?"
    assert origin_absent(question, [*FOLLOW_UPS, titled], VOCAB) is None
    assert origin_absent("Which paper first proposed FRF?", [coined, coined], VOCAB) is None


def test_an_idea_named_in_few_passages_is_left_to_the_usual_checks() -> None:
    rare = Vocabulary.build([h.chunk.text for h in FOLLOW_UPS])  # three passages name it
    assert origin_absent("Which paper first proposed frobnication?", FOLLOW_UPS, rare) is None


@pytest.fixture(scope="module")
def asker(sample_library: Library) -> Asker:
    return Asker(sample_library.searcher(), embeddings=sample_library.embeddings)


@pytest.mark.slow
def test_the_original_dropout_paper_is_said_to_be_absent(asker: Asker) -> None:
    answer = next(
        e.answer for e in asker.ask("Which paper first proposed dropout?") if isinstance(e, Done)
    )
    # the corpus has 'Dropout Reduces Underfitting', 'Dropout Drops Double Descent', ...
    assert answer.refused and not answer.citations
    assert "none of them introduces it" in answer.text


def test_an_indefinite_thing_proposed_is_a_description() -> None:
    assert (
        origin_name("My statement proposes a pruning method that beats magnitude pruning") is None
    )


@pytest.mark.slow
def test_a_model_is_not_asked_when_the_origin_is_absent(sample_library: Library) -> None:
    from langchain_core.language_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage

    # a model given the follow-ups would name one of them as the origin
    llm = GenericFakeChatModel(
        messages=iter([AIMessage(content="Dropout Reduces Underfitting [1].")])
    )
    asker = Asker(sample_library.searcher(), llm=llm)
    events = list(asker.ask("Which paper first proposed dropout?"))
    answer = next(e.answer for e in events if isinstance(e, Done))
    assert answer.refused and answer.mode == "llm" and "none of them introduces it" in answer.text
    assert next(llm.messages, None) is not None  # the reply was never taken
