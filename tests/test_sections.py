"""List sections answer list questions entry by entry; papers held only as references,
and titles the corpus lacks, are said to be so."""

from __future__ import annotations

import pytest

from assistant.answerability import reference_only, untitled_name
from assistant.answerable import answerable
from assistant.ask import Asker, Done
from assistant.extractive import Vocabulary
from assistant.library import Library
from assistant.sections import answering_section, entries
from retrieval.records import Paper, Source

TALKS = (
    "Ada Lovelace > Invited Talks\n"
    "- Jul 2022 Engines that weave patterns\n"
    "Royal Society, London\n"
    "- Mar 2021 Notes on the analytical engine\n"
    "Turin Academy"
)
JOBS = (
    "Ada Lovelace > Apprenticeships\n"
    "2020 Apprentice, Loom Works, Lyon,\n"
    "Punched cards for weaving.\n"
    "2018 Apprentice, Mill House, Leeds,\n"
    "Gear trains for mills."
)
ESSAY = "Ada Lovelace > Talks Policy\n" + "A long paragraph of prose about giving talks. " * 8
OTHER = ["Weaving machines and looms in history.", "Analytical engines compute numbers."] * 20


def test_entries_of_marked_and_unmarked_lists() -> None:
    assert entries(TALKS) == [
        "Jul 2022 Engines that weave patterns, Royal Society, London",
        "Mar 2021 Notes on the analytical engine, Turin Academy",
    ]
    assert entries(JOBS) == [
        "2020 Apprentice, Loom Works, Lyon, Punched cards for weaving.",
        "2018 Apprentice, Mill House, Leeds, Gear trains for mills.",
    ]


def test_a_list_section_headed_by_the_asked_term_answers() -> None:
    vocab = Vocabulary.build([TALKS, JOBS, ESSAY, *OTHER])
    assert answering_section("Which talks have I given?", [JOBS, TALKS], vocab) == 1
    assert answering_section("Where did I do apprenticeships?", [TALKS, JOBS], vocab) == 1
    # a heading naming nothing asked, or a prose section, is no list answer
    assert answering_section("Which looms were built?", [TALKS, JOBS], vocab) is None
    assert answering_section("What is the talks policy?", [ESSAY], vocab) is None


def test_a_paper_held_only_as_a_reference_is_said_to_be_one() -> None:
    paper = Paper("Generalized pooling", year=2016, sources=(Source("statement.md", 5),))
    own = "Generalized pooling\nAuthors: A. Author\nPublished: arXiv 2016"
    refusal = reference_only(paper, own, ["Max pooling is common."])
    assert refusal == (
        "Your corpus has 'Generalized pooling' (statement.md, 2016) only as a reference: "
        "it says nothing about what the paper does."
    )
    # the paper's own prose, or another passage naming it, says something
    assert reference_only(paper, own + "\nWe pool features.", []) is None
    assert reference_only(paper, own, ["As Generalized Pooling shows, pooling helps."]) is None


def test_a_title_asked_for_must_hold_the_named_thing() -> None:
    titles = ["What makes convolutions great on long sequences?", "GPT-4 Technical Report"]
    refusal = untitled_name("What is the full title of the S4 paper?", titles)
    assert refusal == (
        "Your corpus mentions S4 only inside other papers' text and holds no paper titled with it."
    )
    assert untitled_name("What is the title of the GPT-4 report?", titles) is None
    assert untitled_name("What does the S4 model do?", titles) is None  # no title asked
    assert untitled_name("Which co-author's paper has another title?", titles) is None
    # a described paper's title, with an abbreviation on the way, names nothing absent
    asked = "A paper argues ML optimises for wants, with a Maslow-themed gridworld. Title?"
    assert untitled_name(asked, titles) is None
    # a title mentioned, not asked for
    mentioned = "Is my CVPRW paper in the list? If a near-identical title turns up, whose is it?"
    assert untitled_name(mentioned, titles) is None


def test_a_word_the_corpus_never_uses_counts_as_absent_in_a_short_question() -> None:
    passage = "Double descent: test error falls, rises, then falls again as models grow."
    vocab = Vocabulary.build([passage] * 5 + [*OTHER, "Who acquired the loom works in 1850?"])
    assert not answerable("Which firm acquired the double descent authors?", [passage], 0.6, vocab)
    assert answerable("What is double descent in test error?", [passage], 0.6, vocab)


@pytest.fixture(scope="module")
def asker(sample_library: Library) -> Asker:
    return Asker(sample_library.searcher(), embeddings=sample_library.embeddings)


@pytest.mark.slow
def test_a_list_question_quotes_every_entry_of_the_cv_section(asker: Asker) -> None:
    answer = next(
        e.answer for e in asker.ask("List the internships on my CV.") if isinstance(e, Done)
    )
    assert not answer.refused
    for company in ("Qualcomm", "DataGrokr", "Tonbo Imaging", "Indian Institute of Science"):
        assert company in answer.text


def test_a_sources_other_sentence_is_quoted_when_it_adds_a_question_term() -> None:
    from assistant.extractive import Extract, widen

    vocab = Vocabulary.build([TALKS, JOBS, *OTHER])
    keep = [Extract(1, "Looms weave punched patterns.", 0.8)]
    extracts = [
        *keep,
        Extract(1, "The patterns came from Lyon.", 0.3),
        Extract(1, "Looms are old.", 0.3),
        Extract(2, "Lyon had many looms.", 0.3),
    ]
    widened = widen("Which looms in Lyon weave patterns?", keep, extracts, vocab)
    # the same source's sentence naming Lyon joins; nothing new, or another source, does not
    assert widened == [*keep, extracts[1]]


def test_a_person_on_an_authors_line_makes_the_question_answerable() -> None:
    from assistant.answerable import authored_by_named

    paper = "Notes on the engine\nAuthors: Ada Lovelace, Charles Babbage\nPublished: 1843"
    vocab = Vocabulary.build([paper, *OTHER])
    question = "I'm meeting Ada Lovelace next week. Which of her papers do I have?"
    assert authored_by_named(question, [paper], vocab)
    # its wording alone (meeting, next week) would refuse it at a middling similarity
    assert answerable(question, [paper], 0.3, vocab)
    assert not authored_by_named("Did Ada Lovelace win the Turing prize?", [paper], vocab)
    assert not authored_by_named("Which engines compute?", [paper], vocab)
