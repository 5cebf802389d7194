"""The awesome-list parser on the sample corpus, and on malformed lists of its kind.

Counts verified independently of the parser:
  grep -c '^  • ' corpus/awesome-deep-phenomena.txt            -> 544 entries, of which
  grep -n '^  • Paper Title' ...                                -> 1 contribution template (line 2962)
  awk '/^[A-Z][A-Za-z ]+: (19|20)[0-9][0-9]$/{split($0,a,":");t=a[1]} /^  • /{c[t]++}
       END{for(k in c) print c[k], k}'                           -> per-topic counts below
       (Others 215 there includes the template).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from retrieval.parsers import ParseError, awesome_list

FILE = Path(__file__).resolve().parent.parent / "corpus" / "awesome-deep-phenomena.txt"
TOPICS = {
    "Others": 214,
    "Empirical Study": 87,
    "Lottery Ticket Hypothesis": 72,
    "Neural Tangent Kernel": 41,
    "Emergence and Phase Transitions": 34,
    "Interactions with Neuroscience": 31,
    "Information Bottleneck": 22,
    "Deep Double Descent": 22,
    "Neural Collapse": 20,
}


@pytest.fixture(scope="module")
def papers() -> dict[str, Any]:
    result = awesome_list.parse(FILE.read_text(encoding="utf-8"), FILE.name)
    return {p.title: p for p in result.papers} | {"__all__": result.papers}


def test_detects_by_content() -> None:
    assert awesome_list.detect(FILE.read_text(encoding="utf-8"), Path("x.txt"))
    assert not awesome_list.detect("# Notes\n\n- a bullet\n", Path("awesome.md"))


def test_every_entry_and_topic_is_counted(papers: dict) -> None:
    everything = papers["__all__"]
    assert len(everything) == 543
    assert Counter(p.topic for p in everything) == TOPICS
    assert all(p.sources[0].file == FILE.name for p in everything)
    assert not any(p.title == "Paper Title" for p in everything)


def test_nature_venue_and_year_from_subsection(papers: dict) -> None:
    p = papers["AI models collapse when trained on recursively generated data"]
    assert p.authors[0] == "Ilia Shumailov" and p.authors[-1] == "Yarin Gal" and len(p.authors) == 6
    assert (p.venue, p.year, p.topic) == ("Nature", 2024, "Empirical Study")
    assert p.keywords == ("Model Collapse", "Generative Model")
    assert p.abstract.startswith("The paper demonstrates that AI models trained on recursively")
    assert p.sources[0].line == 39


def test_question_mark_title_with_conference_venue(papers: dict) -> None:
    p = papers["Can Neural Network Memorization Be Localized?"]
    assert p.authors == (
        "Pratyush Maini",
        "Michael C. Mozer",
        "Hanie Sedghi",
        "Zachary C. Lipton",
        "J. Zico Kolter",
        "Chiyuan Zhang",
    )
    assert (p.venue, p.year) == ("ICML", 2023)
    assert p.keywords == (
        "Atypical Example Memorization",
        "Location of Memorization",
        "Task Specific Neurons",
    )
    assert p.sources[0].line == 102


def test_colon_title_and_author_line_without_venue(papers: dict) -> None:
    p = papers[
        "Truth is in There: Improving Reasoning in Language Models with Layer-Selective Rank Reduction"
    ]
    assert p.authors == ("Pratyusha Sharma", "Jordan T. Ash", "Dipendra Misra")
    assert p.venue is None and p.year == 2023  # year from "Empirical Study: 2023"
    assert "LAyer-SElective Rank reduction (LASER)" in p.abstract


def test_multiword_journal_venue(papers: dict) -> None:
    p = papers["Shortcut Learning in Deep Neural Networks"]
    assert p.venue == "Nature Machine Intelligence"
    assert p.authors[1] == "Jörn-Henrik Jacobsen" and p.authors[-1] == "Felix A. Wichmann"


def test_author_list_prefix_ampersand_and_italic_venue(papers: dict) -> None:
    p = papers["A deep learning framework for neuroscience"]
    assert p.authors[0] == "Blake A. Richards"
    assert p.authors[-2:] == ("Denis Therien", "Konrad P. Kording")
    assert len(p.authors) == 32
    assert p.venue == "Nature Neuroscience" and p.topic == "Interactions with Neuroscience"


def test_entries_without_authors_or_keywords(papers: dict) -> None:
    msam = papers["mSAM: Micro-Batch-Averaged Sharpness-Aware Minimization"]
    assert msam.authors == () and msam.venue is None and msam.year == 2023
    assert msam.keywords == ("Sharpness-Aware Minimization",)
    relu = papers["Deep ReLU Networks Have Surprisingly Few Activation Patterns"]
    assert relu.keywords == () and (relu.venue, relu.year) == ("NeurIPS", 2019)
    assert relu.authors == ("Boris Hanin", "David Rolnick")


def test_single_author_without_venue(papers: dict) -> None:
    p = papers["Rethinking Conventional Wisdom in Machine Learning: From Generalization to Scaling"]
    assert p.authors == ("Lechao Xiao",) and p.venue is None and p.year == 2024
    assert p.keywords == ("Regularization", "Generalization", "Neural Scaling Law")


def test_phd_thesis_venue(papers: dict) -> None:
    p = papers["Implicit Regularization in Deep Learning"]
    assert (p.authors, p.venue, p.year) == (("Behnam Neyshabur",), "PhD Thesis", 2017)


MALFORMED = """Neural Collapse

Neural Collapse: 2023

  • Only a title, nothing else. [paper]
  • A Second Entry: Missing Its Digest. [paper]

    • Ann Author, Bob Author. ICML 2022
    • Key Word: Collapse.
random garbage line between entries
    • Digest This digest follows garbage and must not attach to the entry above.
  • Third Entry? [paper] [code]

    • Carol Author.
    • Key Word: A; B.
    • Digest Fine.

Empty Section: 2020

  • Another. [paper]
    • Key Word: X.
    • Digest Y.
    • Key Word: Z.
    • Digest W.
"""


def test_malformed_entries_keep_what_can_be_read() -> None:
    result = awesome_list.parse(MALFORMED, "bad.txt")
    by_title = {p.title: p for p in result.papers}
    assert list(by_title) == [
        "Only a title, nothing else",
        "A Second Entry: Missing Its Digest",
        "Third Entry?",
        "Another",
    ]
    assert by_title["Only a title, nothing else"].authors == ()
    second = by_title["A Second Entry: Missing Its Digest"]
    assert (second.venue, second.year, second.abstract) == ("ICML", 2022, None)
    assert by_title["Third Entry?"].abstract == "Fine."
    assert by_title["Another"].topic == "Empty Section" and by_title["Another"].year == 2020


def test_list_shaped_file_with_no_entries_is_an_error() -> None:
    text = "Title\n" + "    • Key Word: x.\n    • Digest y.\n" * 5
    with pytest.raises(ParseError, match="no entry"):
        awesome_list.parse(text, "broken.txt")


def test_venue_glued_to_the_last_author(papers: dict) -> None:
    # awesome-deep-phenomena.txt line 1122: "Jonathan Frankle, Michael Carbin ICLR 2019"
    p = papers["The Lottery Ticket Hypothesis: Finding Sparse, Trainable Neural Networks"]
    assert p.authors == ("Jonathan Frankle", "Michael Carbin")
    assert (p.venue, p.year) == ("ICLR", 2019)
