"""A first-person question is answered from the researcher's own sections, not from
another researcher's bio written in the first person."""

from __future__ import annotations

import pytest

from assistant.ask import Asker
from assistant.library import Library
from assistant.speaker import is_first_person, own_voice_first
from retrieval.hybrid import Hit
from retrieval.records import Chunk

ME = frozenset({"Ada Quill"})


def _section(owner: str, heading: str, text: str) -> Hit:
    chunk = Chunk(
        id=f"{owner}{heading}",
        text=f"{owner} > {heading}\n{text}",
        kind="profile",
        file="page.txt",
        line=1,
        title=f"{owner} > {heading}",
        authors=(owner,),
    )
    return Hit(chunk=chunk, score=1.0, paper=None, dense_rank=None, lexical_rank=None)


OTHER_BIO = _section("Bo Reyes", "Bio", "I was advised by Prof. Cy Lin during my PhD.")
MY_EDUCATION = _section("Ada Quill", "Education", "Doctor of Philosophy. Advisor: Prof. Di Ma")


def test_first_person_is_read_from_the_pronouns() -> None:
    assert is_first_person("Who advised my PhD?")
    assert is_first_person("What did I propose in 2021?")
    assert not is_first_person("Who advised Bo Reyes?")
    assert not is_first_person("Is MoE sparse?")  # no 'me' inside a word
    assert is_first_person("which journals have i refereed for?")  # 'i' as people type it
    assert not is_first_person("It shows (i) sparsity and (ii) speed.")


def test_another_researchers_bio_does_not_answer_a_first_person_question() -> None:
    hits = [OTHER_BIO, MY_EDUCATION]
    assert own_voice_first("Who advised my PhD?", hits, ME) == [MY_EDUCATION]
    # ... unless the question names them, or is not in the first person
    assert own_voice_first("Was I advised by the same people as Reyes?", hits, ME) == hits
    assert own_voice_first("Who advised Bo Reyes?", hits, ME) == hits
    # without a known researcher nothing is dropped
    assert own_voice_first("Who advised my PhD?", hits, frozenset()) == hits


@pytest.mark.slow
def test_my_advisor_is_not_the_google_page_owners(sample_library: Library) -> None:
    asker = Asker(sample_library.searcher(), embeddings=sample_library.embeddings)
    assert asker.finder.me == {"Suraj Srinivas"}
    answer = asker.answer("Who advised my PhD?")
    # Bhojanapalli's bio says 'I was advised by Prof. Sujay Sanghavi'
    assert "Sanghavi" not in answer.text
    assert all("Bio" not in s.title for s in answer.sources)


@pytest.mark.slow
def test_my_own_lines_are_not_cut_against_a_papers_better_word_match(
    sample_asker: Asker,
) -> None:
    answer = sample_asker.answer("What's my current position and its stated focus?")
    # an abstract that says 'current ... focus' twice outscores the CV's lines; the CV
    # is cut against its own best line, so its entry is quoted, and first
    assert not answer.refused
    assert "Postdoctoral Research Fellow" in answer.text
    assert "Foundations of Post-hoc Interpretability" in answer.text
