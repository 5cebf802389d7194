"""The request reader: tasks, topics, sub-topics and constraints from requests as
researchers type them. Fast: the sample corpus's catalog only (no index, no model).

The phrasings here were written for these tests; none is copied from a dev set.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from langchain_core.language_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from assistant.catalog_terms import CatalogTerms, acronyms_in
from assistant.phrasing import read_count, read_years, route
from assistant.request import Request, RequestReader
from retrieval.catalog import Catalog, build_catalog

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
FEED = "daily-papers-over-parameterization.txt"
AWESOME = "awesome-deep-phenomena.txt"

ROUTES = [
    # reading lists
    ("Give me a reading list on grokking", "reading_list"),
    ("Can you put together a reading list about neural tangent kernels for our group?", "reading_list"),
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
    ("Need a lit review paragraph about weight decay and normalization layers, max 6 refs", "related_work"),
    ("Help me position our paper on spectral bias against prior work", "related_work"),
    ("what are the key papers on the edge of stability I should read before my exam", "reading_list"),
    ("compare SAM and its variants: which papers should a new student start with?", "reading_list"),
    ("Which papers in my feed today are worth reading given my research?", "triage"),
    ("Could you list a few papers about in-context learning?", "ask"),
    ("My student starts on loss landscapes. What are 5 good papers for her to begin with?", "reading_list"),
    ("Suggest some reading on why interpolating networks still generalize", "reading_list"),
    ("Any papers I should know about on pruning at initialization?", "reading_list"),
    ("Can you recap what my research statement says my agenda is?", "profile"),
    ("I want to get into mechanistic interpretability: where should I start?", "reading_list"),
    ("top 5 NTK papers", "reading_list"),
    ("I am writing a survey section on scaling laws, please draft it with citations", "related_work"),
    ("What came out in the feed on sharpness that I should look at?", "reading_list"),
]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return build_catalog([CORPUS])


@pytest.fixture(scope="module")
def reader(catalog: Catalog) -> RequestReader:
    return RequestReader(CatalogTerms(catalog))


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


def test_the_lottery_ticket_request_gives_a_topic_and_its_sub_topics(
    reader: RequestReader,
) -> None:
    request = reader.read(
        "I work on neural network pruning and want a reading list on the lottery ticket "
        "hypothesis: the original idea, how tickets are found (IMP, rewinding), why they "
        "work, and the theory of 'strong' tickets."
    )
    assert request.task == "reading_list"
    assert request.topic == "lottery ticket hypothesis"
    queries = " | ".join(request.queries)
    assert "how tickets are found (IMP (iterative magnitude pruning), rewinding)" in queries
    assert "theory of 'strong' tickets" in queries
    assert "why they work" in queries
    assert request.queries[0] == "lottery ticket hypothesis"


def test_constraints_are_read_and_said(reader: RequestReader) -> None:
    request = reader.read(
        "I'm onboarding a first-year PhD student; what should they read on double descent? "
        "Skip the neuroscience ones, 6 papers max, only from the awesome list, 2019 or later."
    )
    assert request.task == "reading_list"
    assert request.topic == "double descent"
    assert request.n == 6
    assert request.sources == [AWESOME]
    assert request.exclude == ["neuroscience"]
    assert request.audience == "newcomer"
    assert request.year_min == 2019
    assert request.constraints() == [
        "6 papers",
        "published 2019 or later",
        f"only from {AWESOME}",
        "leaving out neuroscience",
        "for a newcomer: foundations first",
    ]


def test_sources_named_by_the_catalog(reader: RequestReader) -> None:
    assert reader.read("reading list on emergence, just the feed").sources == [FEED]
    assert reader.read("papers on grokking in the daily feed please").sources == [FEED]
    not_awesome = reader.read("papers on neural collapse, not from the awesome list")
    assert not_awesome.not_sources == [AWESOME] and not not_awesome.sources
    # 'deep' is in a file name but names no file: it is in many titles.
    assert reader.read("a reading list on deep learning theory").sources == []


def test_exclusions_and_for_me(reader: RequestReader) -> None:
    request = reader.read(
        "Reading list on transfer learning relevant to my research. Exclude quantization, "
        "and leave out adapters or prompt tuning."
    )
    assert request.for_me
    assert request.exclude == ["quantization", "adapters", "prompt tuning"]
    assert request.topic == "transfer learning"


def test_without_in_a_topic_is_not_an_exclusion(reader: RequestReader) -> None:
    request = reader.read(
        "a paper on training low-curvature networks to improve adversarial robustness "
        "without adversarial training",
        "related_work",
    )
    assert not request.exclude
    assert request.topic.startswith("training low-curvature networks")
    assert request.topic.endswith("without adversarial training")


def test_a_pasted_abstract_drives_the_search(reader: RequestReader) -> None:
    abstract = (
        "We show that wide networks trained by gradient descent stay close to their "
        "linearisation early in training. We then characterise when they leave this lazy "
        "regime and learn features."
    )
    quoted = reader.read(f"Related work for this abstract: '{abstract}' Two paragraphs please.")
    labelled = reader.read(f"Draft the related work. Abstract: {abstract}")
    for request in (quoted, labelled):
        assert request.task == "related_work"
        assert request.abstract == abstract
        assert request.queries[0] == abstract.rstrip(".")
        assert request.topic.startswith("We show that wide networks")
        assert "searched with the pasted abstract" in request.constraints()


def test_acronyms_come_from_the_corpus(catalog: Catalog) -> None:
    terms = CatalogTerms(catalog)
    assert terms.expand("IMP") == "iterative magnitude pruning"
    assert terms.expand("LTH") == "lottery ticket hypothesis"
    assert terms.expand("NTK") == "neural tangent kernel"
    assert terms.expand("SAM") == "sharpness-aware minimization"
    assert terms.expand("MoE") == "mixture-of-experts"  # a keyword's initials, no definition
    assert terms.expand("ZZQ") is None
    assert acronyms_in("How do MoE layers and NTKs relate to IMP and DP-FL?") == [
        "MoE",
        "NTK",
        "IMP",
        "DP-FL",
    ]


def test_an_acronym_defined_only_in_a_users_corpus(tmp_path: Path) -> None:
    """Nothing about acronyms is written in code: a new corpus defines its own."""
    (tmp_path / "refs.bib").write_text(
        "@article{a2024, title={Frobnicated Widget Networks}, author={Ann Lee}, year={2024},"
        " abstract={We study frobnicated widget networks (FWN) and their limits.}}\n"
    )
    catalog = build_catalog([tmp_path])
    request = RequestReader(CatalogTerms(catalog)).read("a reading list on FWN pruning")
    assert request.queries[0] == "FWN (frobnicated widget networks) pruning"


def test_llm_reading_is_validated_and_falls_back(reader: RequestReader) -> None:
    text = "Could you gather the key papers on flat minima since 2020?"
    reply = json.dumps(
        {
            "task": "reading_list",
            "topic": "flat minima and generalization",
            "queries": ["flat minima", "sharpness and generalization"],
            "n": 9,
            "year_min": 2020,
            "exclude": [],
            "audience": None,
            "for_me": False,
        }
    )
    llm_reader = RequestReader(reader.terms, llm=_fake(f"```json\n{reply}\n```"))
    read = llm_reader.read(text)
    assert read.topic == "flat minima and generalization"
    assert read.queries == ["flat minima", "sharpness and generalization"]
    assert (read.n, read.year_min) == (9, 2020)
    for bad in ("Sure! Here are papers.", '{"task": "write a poem"}', '{"task": "ask", "n": 0}'):
        fallback = RequestReader(reader.terms, llm=_fake(bad)).read(text)
        assert fallback == reader.read_offline(text), bad


def _fake(*replies: str) -> GenericFakeChatModel:
    return GenericFakeChatModel(messages=iter([AIMessage(content=r) for r in replies]))


def test_request_is_a_plain_model() -> None:
    request = Request(task="reading_list", text="x", topic="x", queries=["x"], n=3)
    assert Request.model_validate(request.model_dump()) == request
    with pytest.raises(ValueError):
        Request(task="reading_list", text="x", n=0)


def test_context_sentences_and_the_leftovers_of_cut_constraints(reader: RequestReader) -> None:
    """What is left once constraints are cut out is the topic, and nothing else: no
    empty brackets, no 'only things', no second way of asking for the task."""
    speed = reader.read_offline(
        "What should I read to get up to speed on mode connectivity? Only things published since 2020."
    )
    assert speed.task == "reading_list" and speed.topic == "mode connectivity"
    assert speed.year_min == 2020
    assert not any("things" in q or "Only" in q for q in speed.queries)

    brackets = reader.read_offline(
        "Could you put together a short reading list (about six papers) on sharpness and flat "
        "minima for a first-year student? Leave out anything about transformers."
    )
    assert brackets.topic == "sharpness and flat minima" and brackets.n == 6
    assert brackets.exclude == ["transformers"] and brackets.audience == "newcomer"

    seminar = reader.read_offline(
        "I am preparing a seminar on implicit bias of gradient descent. Can you recommend 8 "
        "papers, nothing older than 2019, and skip the ones on linear regression?"
    )
    assert seminar.task == "reading_list" and seminar.topic == "implicit bias of gradient descent"
    assert (seminar.n, seminar.year_min, seminar.exclude) == (8, 2019, ["linear regression"])
    assert not any(q.endswith((",", "and")) or "recommend" in q for q in seminar.queries)

    lab = reader.read_offline("I work in a lab on pruning; what should I read?")
    assert lab.topic == "pruning"
    # A first-person sentence whose 'on' is no topic keeps its words.
    wrong = reader.read_offline(
        "My classifier is confidently wrong on inputs far from the training data. "
        "I want a reading list that covers calibration."
    )
    assert "inputs far from" not in wrong.topic


def test_topics_inside_longer_requests(reader: RequestReader) -> None:
    """The topic sits before a trailing cue, after a claim verb, or in 'a ... about X';
    counts come with 'refs' or with no noun at all."""
    exam = reader.read_offline(
        "what are the key papers on the edge of stability I should read before my qualifying exam"
    )
    assert (exam.task, exam.topic) == ("reading_list", "edge of stability")

    claim = reader.read_offline(
        "Our submission shows that sharpness-aware training improves out-of-distribution "
        "robustness in vision transformers. Can you write the related work, two paragraphs, "
        "citing only things in my corpus?"
    )
    assert claim.task == "related_work"
    assert claim.topic.startswith("sharpness-aware training improves out-of-distribution")

    review = reader.read_offline(
        "Need a lit review paragraph about weight decay and its interaction with normalization "
        "layers, max 6 refs"
    )
    assert (review.task, review.n) == ("related_work", 6)
    assert review.topic == "weight decay and its interaction with normalization layers"

    position = reader.read_offline("Help me position our paper on spectral bias of deep networks against prior work")
    assert position.topic == "spectral bias of deep networks"

    capped = reader.read_offline(
        "Reading list please: mechanistic interpretability, superposition and polysemantic "
        "neurons; newest first; no more than 10."
    )
    assert capped.n == 10 and capped.topic == "mechanistic interpretability"
    assert not any("newest" in q for q in capped.queries)

    onward = reader.read_offline("papers on in-context learning from 2023 onward")
    assert onward.year_min == 2023 and "onward" not in onward.topic

    dash = reader.read_offline("compare SAM and its variants - which papers should a new student start with?")
    assert dash.task == "reading_list" and dash.audience == "newcomer"
    assert dash.topic.startswith("compare SAM") and dash.topic.endswith("variants")


def test_context_first_then_the_task(reader: RequestReader) -> None:
    """The topic is in a sentence of context when the task's sentence holds none: a
    count cut out keeps its noun, a time or a clause about the text is no topic, and
    'a workshop paper' says nothing of what the paper is about."""
    student = reader.read_offline(
        "My student is starting on loss landscapes next week. What are 5 good papers for her to begin with?"
    )
    assert (student.task, student.topic, student.n) == ("reading_list", "loss landscapes", 5)

    reviewer = reader.read_offline(
        "I have a reviewer asking us to discuss prior work on the information bottleneck theory "
        "of deep learning; write a paragraph we can drop into the paper."
    )
    assert reviewer.task == "related_work"
    assert reviewer.topic == "information bottleneck theory of deep learning"
    assert reviewer.exclude == []  # 'drop into the paper' leaves nothing out

    workshop = reader.read_offline(
        "Background section for a workshop paper: we analyse neural collapse in the terminal "
        "phase of training for imbalanced datasets."
    )
    assert workshop.task == "related_work"
    assert workshop.topic.startswith("neural collapse in the terminal phase")

    positioning = reader.read_offline(
        "Draft a related work section positioning my paper on lottery tickets in transformers."
    )
    assert positioning.topic == "lottery tickets in transformers"


def test_drafts_for_a_paper_and_paces(reader: RequestReader) -> None:
    """'our pruning paper' is about pruning; 'a paper that studies how X' is about X; a
    pace ('2 papers a week') is not a count; a dangling 'with the' is no topic."""
    ours = reader.read_offline("Draft related work for our pruning paper.")
    assert (ours.task, ours.topic) == ("related_work", "pruning")
    studies = reader.read_offline(
        "Write two paragraphs of related work for a paper that studies how label noise "
        "interacts with early stopping."
    )
    assert studies.topic == "label noise interacts with early stopping"
    pace = reader.read_offline(
        "Put together a syllabus on generalization theory for a 10-week seminar, 2 papers a week."
    )
    assert (pace.task, pace.topic, pace.n) == ("reading_list", "generalization theory", None)
    start = reader.read_offline("I want to get into mechanistic interpretability - where should I start?")
    assert start.topic == "mechanistic interpretability"
    overview = reader.read_offline(
        "Give me an overview of the literature on neural collapse with the key papers."
    )
    assert overview.topic == "neural collapse"
