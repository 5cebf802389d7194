"""Answering: the LLM path with LangChain's fake chat model, and the offline path on the
sample corpus with the real embedding model (facts checked by hand against the files)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from langchain_core.language_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from assistant.ask import Asker, Done, Token, Turn
from assistant.citations import INSUFFICIENT
from assistant.library import Library
from assistant.settings import Settings
from retrieval.hybrid import HybridSearcher
from tests.fakes import WordOverlapEmbeddings

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


@pytest.fixture(scope="module")
def small_searcher(tmp_path_factory: pytest.TempPathFactory) -> HybridSearcher:
    root = tmp_path_factory.mktemp("ask")
    corpus = root / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / "google-research-bhojanapalli.txt", corpus)
    library = Library(
        Settings(data_dir=root / "data", corpus=str(corpus)),
        embeddings=WordOverlapEmbeddings(),
    )
    library.index()
    return library.searcher()


def _fake(*replies: str) -> GenericFakeChatModel:
    return GenericFakeChatModel(messages=iter([AIMessage(content=r) for r in replies]))


def _run(asker: Asker, question: str, history: tuple[Turn, ...] = ()):
    events = list(asker.ask(question, history))
    assert isinstance(events[-1], Done)
    return events, events[-1].answer


def test_llm_answer_streams_and_invalid_citations_are_removed(
    small_searcher: HybridSearcher,
) -> None:
    asker = Asker(
        small_searcher, llm=_fake("Label smoothing can help with noisy labels [1]. Also [9]."), k=4
    )
    events, answer = _run(asker, "does label smoothing help with label noise")
    tokens = [e.text for e in events if isinstance(e, Token)]
    assert len(tokens) > 3 and "".join(tokens).startswith("Label smoothing")
    assert answer.mode == "llm" and not answer.refused
    assert answer.removed_citations == ["[9]"]
    assert "[9]" not in answer.text and "[1]" in answer.text
    assert [c.n for c in answer.citations] == [1]
    assert answer.citations[0].source.title == answer.sources[0].title
    assert answer.to_json()["citations"][0]["bibkey"]


def test_llm_sentinel_is_a_refusal_with_the_closest_papers(small_searcher: HybridSearcher) -> None:
    asker = Asker(small_searcher, llm=_fake(INSUFFICIENT), k=4)
    _, answer = _run(asker, "what GPU did they use for label smoothing")
    assert answer.refused and answer.text == INSUFFICIENT and answer.citations == []
    assert "Closest matches" in answer.closest_markdown()


def test_follow_up_is_rewritten_before_searching(small_searcher: HybridSearcher) -> None:
    asker = Asker(
        small_searcher,
        llm=_fake("Which venue published the label smoothing paper?", "ICML [1]."),
        k=3,
    )
    history = (Turn("does label smoothing help with label noise", "Yes [1]."),)
    _, answer = _run(asker, "which venue was it?", history)
    assert answer.searched == "Which venue published the label smoothing paper?"
    assert answer.standalone_question == answer.searched


def test_empty_question_is_refused_before_any_work(small_searcher: HybridSearcher) -> None:
    from retrieval.errors import RetrievalError

    with pytest.raises(RetrievalError, match="empty"):
        list(Asker(small_searcher).ask("  "))


@pytest.fixture(scope="module")
def sample_asker(sample_library: Library) -> Asker:
    return Asker(sample_library.searcher(), embeddings=sample_library.embeddings)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "fact", "title"),
    [
        # research-statement.md, Future Work: "three broad directions ... mechanistic interpretability"
        ("What are my future research directions?", "mechanistic interpretability", None),
        # google-research-bhojanapalli.txt line 21 abstract: "3.0% for T5-Base"
        (
            "How sparse are the MLP activations in trained transformers like T5?",
            "3.0%",
            "On Emergence of Activation Sparsity in Trained Transformers",
        ),
        # awesome-deep-phenomena.txt line 137: dropout at the start of training mitigates underfitting
        (
            "Does dropout help underfitting models early in training?",
            "underfitting",
            "Dropout Reduces Underfitting",
        ),
    ],
)
def test_offline_answers_contain_the_fact(
    sample_asker: Asker, question: str, fact: str, title: str | None
) -> None:
    _, answer = _run(sample_asker, question)
    assert answer.mode == "extractive" and not answer.refused
    assert answer.text.startswith("*Offline answer")
    assert fact.lower() in answer.text.lower()
    # Full support is claimed for quotes only: every quoted sentence is in its source.
    # a quote follows a source's title and byline ('**T** (A. Lee, 2019): ') or a quote
    quotes = re.findall(
        r"(?:^- \*\*.+?\*\*(?: \([^()\n]*\))?: | )(.+?) \[(\d+)\][.!?]", answer.text, re.M
    )
    assert quotes and all(c.support == 1.0 for c in answer.citations)
    for sentence, n in quotes:
        passage = " ".join(answer.sources[int(n) - 1].hit.chunk.text.split())
        assert " ".join(sentence.split()) in passage, (sentence, n)
    assert "?]" not in answer.text
    if title:
        assert title in [c.source.title for c in answer.citations]


@pytest.mark.slow
@pytest.mark.parametrize(
    "question",
    [
        "What is the boiling point of ethanol?",
        "Which paper introduced the Mamba state-space model?",
        # Near misses: the topic is in the corpus, the attribute asked about is not.
        "Who won the Turing Award for the lottery ticket hypothesis?",
        "Which company acquired the authors of the double descent paper?",
    ],
)
def test_offline_refuses_what_the_corpus_does_not_hold(sample_asker: Asker, question: str) -> None:
    _, answer = _run(sample_asker, question)
    assert answer.refused and answer.text == INSUFFICIENT and answer.sources
