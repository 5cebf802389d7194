"""The request reader's rules for a request's task, count and years: a routing table of
requests as researchers type them, and counts and year ranges read from words. Topics,
sub-topics and the other constraints are in test_request_reader.py.

The phrasings here were written for these tests; none is copied from a dev set.
"""

from __future__ import annotations

import datetime

import pytest

from assistant.constraints import read_count, read_years
from assistant.phrasing import route

ROUTES = [
    # reading lists
    ("Give me a reading list on grokking", "reading_list"),
    (
        "Can you put together a reading list about neural tangent kernels for our group?",
        "reading_list",
    ),
    ("What should I read to get into mechanistic interpretability?", "reading_list"),
    ("what should my new student read on double descent", "reading_list"),
    ("Recommend a few papers on sharpness-aware minimization", "reading_list"),
    ("I need a syllabus for a seminar on the information bottleneck", "reading_list"),
    ("Suggest 8 papers about lottery tickets, newest first", "reading_list"),
    ("Papers on neural collapse please", "reading_list"),
    ("Which papers should we read before starting on model merging?", "reading_list"),
    ("Get me up to speed on in-context learning theory", "reading_list"),
    ("Find me some good papers about benign overfitting since 2020", "reading_list"),
    # related work
    ("Draft a related-work section on data-free pruning", "related_work"),
    ("Write two paragraphs of related work for my paper on saliency maps", "related_work"),
    ("I need the related work for an abstract about label noise and memorization", "related_work"),
    ("Could you write a literature review paragraph on emergent abilities?", "related_work"),
    ("related work: low-curvature training and adversarial robustness", "related_work"),
    (
        "Help me position my paper against prior work on knowledge distillation: draft a "
        "paragraph with citations",
        "related_work",
    ),
    # triage
    ("What's new in the feed for me?", "triage"),
    ("Triage today's daily papers", "triage"),
    ("Anything new worth reading in the feed?", "triage"),
    ("Go through the daily papers feed and rank them for my agenda", "triage"),
    # profile
    ("Show me my research profile", "profile"),
    ("What are my main research themes?", "profile"),
    ("Summarize my research agenda", "profile"),
    # questions stay questions, lists of papers included
    ("Who wrote the lottery ticket hypothesis paper?", "ask"),
    ("What did I propose in my PhD thesis?", "ask"),
    ("Which paper introduced sharpness-aware minimization?", "ask"),
    ("How does grokking relate to double descent?", "ask"),
    ("What is neural collapse?", "ask"),
    ("Which papers in my corpus study the neural tangent kernel?", "ask"),
    ("List the papers on pruning at initialization.", "ask"),
    ("When was 'Machine Love' published and where?", "ask"),
    ("Is there anything in the corpus about dormant neurons in RL?", "ask"),
    # added with the readings below (written for these tests)
    (
        "Need a lit review paragraph about weight decay and normalization layers, max 6 refs",
        "related_work",
    ),
    ("Help me position our paper on spectral bias against prior work", "related_work"),
    (
        "what are the key papers on the edge of stability I should read before my exam",
        "reading_list",
    ),
    ("compare SAM and its variants: which papers should a new student start with?", "reading_list"),
    ("Which papers in my feed today are worth reading given my research?", "triage"),
    ("Could you list a few papers about in-context learning?", "ask"),
    (
        "My student starts on loss landscapes. What are 5 good papers for her to begin with?",
        "reading_list",
    ),
    ("Suggest some reading on why interpolating networks still generalize", "reading_list"),
    ("Any papers I should know about on pruning at initialization?", "reading_list"),
    ("Can you recap what my research statement says my agenda is?", "profile"),
    ("I want to get into mechanistic interpretability: where should I start?", "reading_list"),
    ("top 5 NTK papers", "reading_list"),
    (
        "I am writing a survey section on scaling laws, please draft it with citations",
        "related_work",
    ),
    ("What came out in the feed on sharpness that I should look at?", "reading_list"),
    ("Could you assemble a short list of readings about implicit regularization?", "reading_list"),
    ("I need about a dozen references on memorization for a grant proposal.", "reading_list"),
    ("Any good intro papers on double descent for an undergrad?", "reading_list"),
]


@pytest.mark.parametrize(("text", "task"), ROUTES)
def test_routing_table(text: str, task: str) -> None:
    assert route(text) == task


def test_routing_table_is_large_and_covers_every_task() -> None:
    assert len(ROUTES) >= 25
    assert {task for _, task in ROUTES} == {
        "ask",
        "reading_list",
        "related_work",
        "triage",
        "profile",
    }


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("give me 5 papers on pruning", 5),
        ("a dozen papers about grokking", 12),
        ("the top 7 on neural collapse", 7),
        ("~10 papers on simplicity bias", 10),
        ("no more than six papers please", 6),
        ("around 8 citations on label noise", 8),
        ("papers from 2021 on transformers", None),  # a year is not a count
        ("papers on ResNet-50 features", None),
    ],
)
def test_counts(text: str, n: int | None) -> None:
    assert read_count(text)[0] == n


TODAY = datetime.date(2026, 11, 29)


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("only 2022 or later", (2022, None)),
        ("papers since 2019", (2019, None)),
        ("anything after 2019", (2020, None)),
        ("work from 2020 onwards", (2020, None)),
        ("before 2020 please", (None, 2019)),
        ("2018 or earlier", (None, 2018)),
        ("between 2018 and 2020", (2018, 2020)),
        ("from 2019-2021", (2019, 2021)),
        ("published in 2021", (2021, 2021)),
        ("from the last 3 years", (2023, None)),
        ("the ResNet paper", (None, None)),
        ("nothing older than 2019, please", (2019, None)),
        ("only papers newer than 2020", (2021, None)),
        ("classics older than 2010", (None, 2009)),
        ("not more recent than 2015", (None, 2015)),
    ],
)
def test_years(text: str, years: tuple[int | None, int | None]) -> None:
    low, high, _ = read_years(text, TODAY)
    assert (low, high) == years
