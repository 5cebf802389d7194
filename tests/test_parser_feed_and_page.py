"""The daily-feed and publication-page parsers on the sample corpus and on broken input.

Counts verified independently:
  daily feed: awk 'NF' FILE | tail -n +7 | awk 'length($0)<300' | wc -l -> 60 titles
              (6 chrome lines first; every abstract line is over 1,300 characters)
  publication page: grep -c '^View details' FILE -> 10 publications
"""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.parsers import ParseError, daily_feed, publication_page

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
FEED = CORPUS / "daily-papers-over-parameterization.txt"
PAGE = CORPUS / "google-research-bhojanapalli.txt"


@pytest.fixture(scope="module")
def feed() -> dict:
    result = daily_feed.parse(FEED.read_text(encoding="utf-8"), FEED.name)
    return {p.title: p for p in result.papers}


@pytest.fixture(scope="module")
def page() -> tuple[dict, list]:
    result = publication_page.parse(PAGE.read_text(encoding="utf-8"), PAGE.name)
    return {p.title: p for p in result.papers}, result.sections


def test_feed_has_sixty_papers_and_no_chrome(feed: dict) -> None:
    assert len(feed) == 60
    for chrome in ("new", "Subscribe", "Daily Papers", "Aug 6", "byAK and the research community"):
        assert chrome not in feed
    assert all(p.abstract and len(p.abstract) > 1000 for p in feed.values())
    assert all(p.authors == () and p.year is None and p.venue is None for p in feed.values())


def test_feed_papers_field_by_field(feed: dict) -> None:
    first = feed[
        "How Over-Parameterization Slows Down Gradient Descent in Matrix Sensing: "
        "The Curses of Symmetry and Initialization"
    ]
    assert first.sources[0].line == 13
    assert first.abstract.startswith("This paper rigorously shows how over-parameterization")
    question = feed["Does Learning Require Memorization? A Short Tale about a Long Tail"]
    assert question.sources[0].line == 93
    quoted = feed[
        '"Understanding Robustness Lottery": A Geometric Visual Comparative Analysis '
        "of Neural Network Pruning Approaches"
    ]
    assert quoted.sources[0].line == 181
    amp = feed["Scaling & Shifting Your Features: A New Baseline for Efficient Model Tuning"]
    assert amp.abstract.startswith("Existing fine-tuning methods either tune all parameters")
    last = feed[
        "Robust Counterfactual Explanations for Neural Networks With Probabilistic Guarantees"
    ]
    assert last.abstract.startswith("There is an emerging interest in generating robust")


def test_feed_detection_is_by_content() -> None:
    assert daily_feed.detect(FEED.read_text(encoding="utf-8"), Path("anything.txt"))
    assert not daily_feed.detect("Daily notes\n\nI read papers.\n", Path("daily-papers.txt"))


def test_truncated_feed_keeps_complete_papers() -> None:
    text = FEED.read_text(encoding="utf-8")
    cut = text[: text.index("Sharpness-Aware Training for Free") + 40]
    titles = [p.title for p in daily_feed.parse(cut, "cut.txt").papers]
    assert titles[:3] == [
        "How Over-Parameterization Slows Down Gradient Descent in Matrix Sensing: "
        "The Curses of Symmetry and Initialization",
        "Global Convergence of Sub-gradient Method for Robust Matrix Recovery: Small "
        "Initialization, Noisy Measurements, and Over-parameterization",
        "LoRA-based methods on Unet for transfer learning in Subarachnoid Hematoma Segmentation",
    ]


def test_feed_with_only_chrome_is_an_error() -> None:
    with pytest.raises(ParseError, match="no paper titles"):
        daily_feed.parse(
            "new\n\nGet trending papers in your email inbox!\n\nDaily Papers\n", "f.txt"
        )


def test_page_has_ten_publications_with_the_owner_as_author(page: tuple) -> None:
    papers, _ = page
    assert len(papers) == 10
    assert all(p.authors[-1] == "Srinadh Bhojanapalli" for p in papers.values())


def test_page_publications_field_by_field(page: tuple) -> None:
    papers, _ = page
    first = papers[
        "Efficient Language Model Architectures for Differentially Private Federated Learning"
    ]
    assert first.authors == ("Yanxiang Zhang", "Srinadh Bhojanapalli")
    assert first.venue == "Privacy Regulation and Protection in Machine Learning Workshop at ICLR"
    assert first.year == 2024 and first.sources[0].line == 7
    assert "Coupled Input Forget Gate" in first.abstract
    sparsity = papers["On Emergence of Activation Sparsity in Trained Transformers"]
    assert sparsity.authors == (
        "Zonglin Li",
        "Chong You",
        "Daliang Li",
        "Ke Ye",
        "Srinadh Bhojanapalli",
    )
    assert (sparsity.venue, sparsity.year) == (
        "International Conference on Learning Representations",
        2023,
    )
    assert "3.0% for T5-Base" in sparsity.abstract
    memories = papers["Modifying Memories in Transformer Models"]
    assert (memories.venue, memories.year) == (
        "International Conference on Machine Learning (ICML) 2021",
        2020,
    )
    bigo = papers[
        "$O(n)$ Connections are Expressive Enough: Universal Approximability of Sparse Transformers"
    ]
    assert (bigo.venue, bigo.year) == ("Advances in Neural Information Processing Systems", 2020)
    smoothing = papers["Does label smoothing mitigate label noise?"]
    assert smoothing.authors == ("Aditya Krishna Menon", "Srinadh Bhojanapalli")
    lowrank = papers["Low-Rank Bottleneck in Multi-head Attention Models"]
    assert (lowrank.venue, lowrank.year) == (
        "International Conference on Machine Learning (ICML)",
        2020,
    )
    pet = papers["Teacher's pet: understanding and mitigating biases in distillation"]
    assert pet.venue == "Transactions on Machine Learning Research" and pet.year == 2022
    # A multi-line abstract is joined with spaces.
    assert "\n" not in pet.abstract and "amplified by the student model" in pet.abstract


def test_page_bio_is_a_profile_section(page: tuple) -> None:
    _, sections = page
    assert len(sections) == 1
    bio = sections[0]
    assert bio.heading_path == ("Srinadh Bhojanapalli", "Bio")
    assert bio.kind == "profile" and bio.owner == "Srinadh Bhojanapalli"
    assert "research scientist at Google research in New York" in bio.text
    assert "sub-linear time algorithms" in bio.text


BROKEN_PAGE = """Jane Doe
I study things.
Authored Publications
Sort By
A Paper Without Co-authors
Some Conference (2021)
Preview abstract
First line.
View details
Paper With No Abstract
Ann Other
Workshop (2019)
View details
Cut Off Paper
Bob
Journal (2018)
Preview abstract
This abstract was cut mid-sen
"""


def test_broken_page_keeps_what_it_can() -> None:
    result = publication_page.parse(BROKEN_PAGE, "page.txt")
    papers = {p.title: p for p in result.papers}
    assert papers["A Paper Without Co-authors"].authors == ("Jane Doe",)
    assert papers["A Paper Without Co-authors"].abstract == "First line."
    assert papers["Paper With No Abstract"].abstract is None
    assert (
        papers["Paper With No Abstract"].venue == "Workshop"
        and papers["Paper With No Abstract"].year == 2019
    )
    assert papers["Cut Off Paper"].abstract == "This abstract was cut mid-sen"
    assert result.sections[0].text == "I study things."


def test_page_without_publications_is_an_error() -> None:
    with pytest.raises(ParseError):
        publication_page.parse("Jane Doe\nAuthored Publications\nSort By\n", "p.txt")
