"""The request reader: topics, sub-topics and constraints from requests as researchers
type them, context sentences around the task, acronyms from the corpus, and the LLM
reading validated. Fast: the sample corpus's catalog only (no index, no model).

The phrasings here were written for these tests; none is copied from a dev set.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from langchain_core.language_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from assistant.catalog_terms import CatalogTerms, acronyms_in
from assistant.request import Request, RequestReader
from retrieval.catalog import Catalog, build_catalog

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
FEED = "daily-papers-over-parameterization.txt"
AWESOME = "awesome-deep-phenomena.txt"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return build_catalog([CORPUS])


@pytest.fixture(scope="module")
def reader(catalog: Catalog) -> RequestReader:
    return RequestReader(CatalogTerms(catalog))


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


def test_ranges_and_sources_written_as_researchers_write_them(reader: RequestReader) -> None:
    # a range asks for at most its top, with or without its noun
    request = reader.read("Could you list 8-12 papers on prune-and-regrow sparse training?")
    assert request.n == 12 and "8" not in " ".join(request.queries)
    request = reader.read(
        "Reading list on convergence proofs for wide networks. 6-9, Awesome list only."
    )
    assert request.n == 9 and request.sources == ["awesome-deep-phenomena.txt"]
    assert all(any(c.isalpha() for c in q) for q in request.queries)  # no '6-9' left
    # two files joined by 'and' / 'or'
    request = reader.read("Summarise my compression papers (from my CV and statement) in order.")
    assert request.sources == ["cv.md", "research-statement.md"]
    assert all("( )" not in q for q in request.queries)
    request = reader.read("Anything on noisy labels in my feed or in the Awesome list?")
    assert request.sources == [
        "daily-papers-over-parameterization.txt",
        "awesome-deep-phenomena.txt",
    ]
    assert request.topic == "noisy labels"


def test_subjects_refused_as_researchers_write_it(reader: RequestReader) -> None:
    request = reader.read(
        "Papers on Hessian spectra. Not Riemannian geometry for aerodynamics or the tropical ones."
    )
    assert request.exclude == ["Riemannian geometry for aerodynamics", "tropical"]
    request = reader.read("Related work on circuits; NO post-hoc saliency/attribution methods")
    assert request.exclude == ["post-hoc saliency/attribution"]
    request = reader.read(
        "Sparse training papers. Please don't mix in activation sparsity / sparse features theory."
    )
    assert request.exclude == ["activation sparsity", "sparse features theory"]
    # an example in brackets after the subject is left out too
    request = reader.read(
        "Circuits papers; NO saliency methods (including my own full-gradient work)"
    )
    assert request.exclude == ["saliency", "full-gradient"]  # trailing "methods" is dropped
    # 'no more than', 'not older than' are a count and a year, not subjects
    assert reader.read("Grokking papers. No more than 5.").exclude == []
    assert reader.read("Grokking papers. Nothing older than 2020.").exclude == []


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


def test_an_exclusion_verb_that_is_part_of_a_term_excludes_nothing(
    reader: RequestReader,
) -> None:
    # the corpus writes 'skip connections'; a slash joins 'skip' to 'residual'
    for text in (
        "a reading list on skip connections and trainability at depth",
        "skip / residual connections: what do they buy us in theory? 8 refs",
        "skip-connections in deep nets",
    ):
        request = reader.read(text, "reading_list")
        assert not request.exclude, text
        assert any("connections" in q for q in request.queries), text
    # ... and 'skip' before a subject still leaves it out
    request = reader.read("a reading list on double descent; skip the neuroscience ones")
    assert request.exclude == ["neuroscience"]


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

    position = reader.read_offline(
        "Help me position our paper on spectral bias of deep networks against prior work"
    )
    assert position.topic == "spectral bias of deep networks"

    capped = reader.read_offline(
        "Reading list please: mechanistic interpretability, superposition and polysemantic "
        "neurons; newest first; no more than 10."
    )
    assert capped.n == 10 and capped.topic == "mechanistic interpretability"
    assert not any("newest" in q for q in capped.queries)

    onward = reader.read_offline("papers on in-context learning from 2023 onward")
    assert onward.year_min == 2023 and "onward" not in onward.topic

    dash = reader.read_offline(
        "compare SAM and its variants - which papers should a new student start with?"
    )
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
    start = reader.read_offline(
        "I want to get into mechanistic interpretability - where should I start?"
    )
    assert start.topic == "mechanistic interpretability"
    overview = reader.read_offline(
        "Give me an overview of the literature on neural collapse with the key papers."
    )
    assert overview.topic == "neural collapse"


def test_paragraph_counts_year_pairs_and_two_exclusions(reader: RequestReader) -> None:
    """'3 paragraphs' is no topic; 'from 2022 and 2023' is a range; 'leave out anything
    from the daily feed and anything about model collapse' leaves out a source and a
    subject; 'include' is not 'incl.'; an undergrad is a newcomer."""
    three = reader.read_offline(
        "Related work, 3 paragraphs: neural tangent kernel, lazy vs rich training, and "
        "feature learning beyond NTK."
    )
    assert three.task == "related_work" and three.topic == "neural tangent kernel"
    pair = reader.read_offline("help me find papers on grokking from 2022 and 2023 only")
    assert (pair.topic, pair.year_min, pair.year_max) == ("grokking", 2022, 2023)
    both = reader.read_offline(
        "reading list: neural collapse, but leave out anything from the daily feed and "
        "anything about model collapse"
    )
    assert both.exclude == ["model collapse"]
    assert both.not_sources == ["daily-papers-over-parameterization.txt"]
    classics = reader.read_offline(
        "Could you assemble a short list of readings about implicit regularization of SGD? "
        "Prefer recent work, but include the classics."
    )
    assert not any(q.startswith("ude ") for q in classics.queries)
    intro = reader.read_offline("Any good intro papers on double descent for an undergrad?")
    assert (intro.task, intro.topic, intro.audience) == (
        "reading_list",
        "double descent",
        "newcomer",
    )
