"""A question about someone's papers lists the catalog's papers by them, not the four
passages that best match its other words."""

from __future__ import annotations

import pytest

from assistant.ask import Asker
from assistant.library import Library
from assistant.works_of import AuthorIndex, by_all, works_asked, works_requested
from retrieval.catalog import Catalog
from retrieval.records import Paper, Source

AUTHORS = AuthorIndex(
    full=frozenset({"chong you", "srinadh bhojanapalli", "simon lacoste julien", "ada quill"}),
    surnames={"bhojanapalli": "bhojanapalli", "quill": "quill"},
)


def test_the_works_asked_for_are_read_from_the_question() -> None:
    asked = (
        "Bhojanapalli's activation-sparsity paper lists Chong You as a co-author. "
        "What else has Chong You got in the corpus?"
    )
    # the last sentence is the question: the works asked for are Chong You's
    assert works_asked(asked, AUTHORS) == ["chong you"]
    # a full name with a hyphen, and the pronoun's sentence names no one
    asked = "Simon Lacoste-Julien co-authored my paper. Does he show up anywhere else?"
    assert works_asked(asked, AUTHORS) == ["simon lacoste julien"]
    # a surname only one author has, in the possessive
    assert works_asked("Which of Quill's papers are here?", AUTHORS) == ["quill"]
    both = "Which paper did Chong You and Srinadh Bhojanapalli write together?"
    assert works_asked(both, AUTHORS) == ["chong you", "srinadh bhojanapalli"]
    # a page named by its owner is no question about the owner's works
    page = "Both Bhojanapalli's page and the feed have a paper on privacy. Which two are they?"
    assert works_asked(page, AUTHORS) == []
    # the person named in the sentence that asks, whatever follows it
    asked = "What has Ada Quill got in the list? want the whole set incl. the NTK ones"
    assert works_asked(asked, AUTHORS) == ["ada quill"]
    assert works_asked("list everything Chong You coauthored (any source)", AUTHORS) == [
        "chong you"
    ]
    # something else asked of them, or a name the catalog lacks
    assert works_asked("Who was Srinadh Bhojanapalli's PhD advisor?", AUTHORS) == []
    assert works_asked("Which papers did Ada Lovelace write?", AUTHORS) == []


def test_the_works_a_request_asks_for_are_read_from_its_asking_sentences() -> None:
    ask = "I'm meeting Chong You at a workshop, list every paper of his. Careful: Ada Quill is a different person."
    assert works_requested(ask, AUTHORS) == ["chong you"]
    assert works_requested("Every paper of Ada Quill, newest first", AUTHORS) == ["ada quill"]
    assert works_requested("Ada Quill list: everything of hers", AUTHORS) == ["ada quill"]
    # a topic with a person named in passing asks for no one's works, nor does 'papers'
    # in a sentence that names someone without tying the papers to them
    assert works_requested("A reading list on isometric nets, like Chong You's", AUTHORS) == []
    beside = "Papers on double descent; Ada Quill's talk got me started."
    assert works_requested(beside, AUTHORS) == []
    assert works_requested("Cite every Quill paper in my corpus", AUTHORS) == ["quill"]
    assert works_requested("papers with Chong You as an author?", AUTHORS) == ["chong you"]
    # the pronoun is the first person named, not the one warned about in the same sentence
    warned = "I want all his papers, from Chong You, and not Ada Quill, a different person."
    assert works_requested(warned, AUTHORS) == ["chong you"]


def test_one_author_under_two_spellings_and_a_person_referred_back_to() -> None:
    papers = [
        Paper("Score matching", authors=("A. Hyvärinen",), sources=(Source("s.md", 1),)),
        Paper("Nonlinear ICA", authors=("Aapo Hyvärinen", "Bo Reyes"), sources=(Source("l", 1),)),
        Paper("Other", authors=("Cy Reyes",), sources=(Source("l", 2),)),
    ]
    index = AuthorIndex.build(Catalog(papers=papers, sections=[]))
    # one first initial: one person, looked for by the surname in both spellings
    assert index.surnames["hyvarinen"] == "hyvarinen"
    assert "reyes" not in index.surnames  # Bo and Cy: two people
    asked = "I cite Hyvärinen's paper. Does the same author have anything in the list? About?"
    assert works_asked(asked, index) == ["hyvarinen"]
    # a study named by its author, then papers on its topic: not the author's works
    topic = "Hyvärinen's study reports X. Which papers in the list look at X?"
    assert works_asked(topic, index) == []


def test_a_paper_is_by_all_the_names_when_each_is_one_of_its_authors() -> None:
    paper = Paper(
        id="p", title="T", authors=("Chong You", "Srinadh Bhojanapalli"), sources=(Source("f", 1),)
    )
    assert by_all(paper, ["chong you", "srinadh bhojanapalli"])
    assert not by_all(paper, ["chong you", "ada quill"])
    assert not by_all(None, ["chong you"])


@pytest.mark.slow
def test_what_else_a_co_author_wrote_lists_their_papers(sample_library: Library) -> None:
    asker = Asker(sample_library.searcher(), embeddings=sample_library.embeddings)
    question = (
        "Bhojanapalli's activation-sparsity paper lists Chong You as a co-author. "
        "What else has Chong You got in the corpus?"
    )
    answer = asker.answer(question)
    assert not answer.refused
    # seven papers in the corpus list Chong You (awesome-deep-phenomena.txt, the Google
    # page); a search for the question's words quoted two of them
    listed = [s.title for s in answer.sources if s.hit.paper and "Chong You" in s.hit.paper.authors]
    assert len(listed) >= 6
    assert "Deep Isometric Learning for Visual Recognition" in answer.text
    assert "Rethinking Bias-Variance Trade-off" in answer.text
