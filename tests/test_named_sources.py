"""A question that joins two files is answered from both: each named file is searched on
its own, and a paper that matched by its title is quoted for what it does."""

from __future__ import annotations

import pytest

from assistant.ask import Asker
from assistant.catalog_terms import SourceFile
from assistant.library import Library
from assistant.named_sources import files_named

SOURCES = [
    SourceFile("awesome-deep-phenomena.txt", "awesome-list", frozenset({"awesome", "phenomena"})),
    SourceFile("daily.txt", "daily-feed", frozenset({"daily", "feed"})),
    SourceFile("page.txt", "publication-page", frozenset({"google", "publication"})),
]


def test_the_files_a_question_names() -> None:
    asked = "Which feed paper and which Awesome list entries study Tensor Programs?"
    assert files_named(asked, SOURCES) == ["awesome-deep-phenomena.txt", "daily.txt"]
    # 'publication' asks, it does not name the page
    assert files_named("Which publication introduced SAM?", SOURCES) == []


@pytest.mark.slow
def test_a_paper_from_each_named_file_is_quoted(sample_library: Library) -> None:
    asker = Asker(sample_library.searcher(), embeddings=sample_library.embeddings)
    question = (
        "One paper on the Google page and one in the daily feed are about privacy in "
        "federated learning. What does each of them use to protect privacy?"
    )
    answer = asker.answer(question)
    files = {c.source.hit.chunk.file for c in answer.citations}
    assert {"google-research-bhojanapalli.txt", "daily-papers-over-parameterization.txt"} <= files
    # the feed paper matched by its title (shown in bold); a sentence of its abstract is
    # quoted beside it, so it is cited, not only named
    feed = "**Expressive variational quantum circuits provide inherent privacy in federated learning**: "
    assert feed in answer.text
    line = answer.text.split(feed, 1)[1].split("\n", 1)[0]
    assert "Federated learning" in line and "[" in line


@pytest.mark.slow
def test_each_named_file_gets_its_own_search(sample_library: Library) -> None:
    asker = Asker(sample_library.searcher(), embeddings=sample_library.embeddings)
    question = (
        "Is there a paper in the daily feed on the same topic as the label smoothing "
        "paper on the Google page?"
    )
    # one search over the corpus fills the top with the Google page's papers
    plain = {h.chunk.file for h in asker.searcher.search(question, k=8)}
    assert "daily-papers-over-parameterization.txt" not in plain
    answer = asker.answer(question)
    files = [s.hit.chunk.file for s in answer.sources]
    assert files[:2].count("daily-papers-over-parameterization.txt") == 1
    assert "google-research-bhojanapalli.txt" in files[:2]


@pytest.mark.slow
def test_a_question_naming_one_file_is_answered_from_it(sample_library: Library) -> None:
    asker = Asker(sample_library.searcher(), embeddings=sample_library.embeddings)
    question = (
        "For my job talk: what are the big directions I plan to pursue next, per my statement?"
    )
    answer = asker.answer(question)
    # the statement's sections come first, and the CV's 'Talks' list (headed by a word
    # of the question's context) is not quoted as the answer
    assert answer.sources[0].hit.chunk.file == "research-statement.md"
    assert "Simons Institute" not in answer.text


@pytest.mark.slow
def test_the_file_a_question_names_comes_first(sample_library: Library) -> None:
    asker = Asker(sample_library.searcher(), embeddings=sample_library.embeddings)
    question = "What does the daily feed have on grokking?"
    # the Awesome list has more grokking papers: one search ranks them first
    assert asker.searcher.search(question, k=8)[0].chunk.file == "awesome-deep-phenomena.txt"
    answer = asker.answer(question)
    feed = "daily-papers-over-parameterization.txt"
    assert [s.hit.chunk.file for s in answer.sources[:3]] == [feed] * 3
