"""Writing requests as researchers write them, offline on the sample corpus with the real
embedding model: sentence-long requests, constraints (years, sources, counts,
audience), 'for me', empty results that explain themselves, and `ra eval writing`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.latex_cites import cite_keys
from assistant.library import Library
from assistant.reading_list import ReadingList, ReadingLister
from assistant.related_work import Drafter
from tests.cli_runner import run_cli

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
DATA_PRUNING = {"sorscher2022beyond", "ayed2023data"}


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason="Known limit of offline selection by meaning: MiniLM puts 'Data pruning and "
    "neural scaling laws' nearest to 'data-free pruning' (cosine 0.61 against 0.47-0.60 "
    "for the right papers); the word gate that kept it out is gone. Strict: a fix shows.",
)
def test_related_work_on_data_free_pruning_cites_no_data_pruning(sample_library: Library) -> None:
    searcher = sample_library.searcher()
    drafter = Drafter(searcher, sample_library.profile(), embeddings=sample_library.embeddings)
    draft = drafter.draft("data-free pruning", paragraphs=1)
    keys = cite_keys("\n".join(draft.paragraphs))
    assert not DATA_PRUNING & set(keys)
    assert "tanaka2020pruning" in keys  # 'Pruning neural networks without any data'
    assert "srinivas2015data" in keys  # the researcher's own data-free pruning paper
    assert draft.mode == "extractive" and not draft.removed


@pytest.mark.slow
def test_my_own_papers_honour_the_exclusions_of_a_draft(sample_library: Library) -> None:
    searcher = sample_library.searcher()
    drafter = Drafter(searcher, sample_library.profile(), embeddings=sample_library.embeddings)
    topic = "Related work on saliency maps and gradient-based attribution for image classifiers."
    fullgrad = "Full-Gradient Representation for Neural Network Visualization"
    assert fullgrad in [p.title for p in drafter.draft(topic, paragraphs=1).cited]
    # an example in brackets is left out too, and the researcher's own papers with it
    skipped = drafter.draft(topic + " Not my own methods (including my full-gradient work).")
    assert fullgrad not in [p.title for p in skipped.cited] and skipped.cited


LTH_REQUEST = (
    "I work on neural network pruning and want a reading list on the lottery ticket "
    "hypothesis: the original idea, how tickets are found (IMP, rewinding), why they work, "
    "and the theory of 'strong' tickets."
)


def _cli_env(sample_library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RA_DATA_DIR", str(sample_library.settings.data_dir))
    monkeypatch.setenv("RA_CORPUS", str(CORPUS))


@pytest.mark.slow
def test_a_sentence_long_reading_list_request_is_not_empty(
    sample_library: Library, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _cli_env(sample_library, monkeypatch)
    run = run_cli(capsys, "reading-list", LTH_REQUEST, "--json")
    assert run.code == 0, run.err
    data = run.json()
    keys = {p["bibkey"] for t in data["themes"] for p in t["papers"]}
    # Checked by hand in awesome-deep-phenomena.txt: the paper that stated the hypothesis,
    # how tickets are found (IMP: Frankle et al. 2020; rewinding: Renda et al.), and the
    # strong-ticket theory (Malach et al.).
    assert "frankle2019lottery" in keys
    assert keys & {"frankle2020linear", "renda2020comparing"}
    assert "malach2020proving" in keys
    assert not DATA_PRUNING & keys
    assert len(keys) >= 10 and data["searched"][0] == "lottery ticket hypothesis"


@pytest.mark.slow
def test_a_related_work_request_finds_the_researchers_own_paper(
    sample_library: Library, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _cli_env(sample_library, monkeypatch)
    topic = (
        "a paper on training low-curvature networks to improve adversarial robustness "
        "without adversarial training"
    )
    run = run_cli(capsys, "related-work", "--topic", topic, "--json")
    assert run.code == 0, run.err
    data = run.json()
    keys = [c["bibkey"] for c in data["citations"]]
    assert "srinivas2022efficient" in keys  # 'Efficient Training of Low-Curvature Neural Networks'
    assert len(keys) >= 6 and data["note"] is None
    # A draft reads like a draft: no heading that echoes the request, real-looking keys.
    text = "\n".join(data["paragraphs"])
    assert "\\paragraph" not in text and "anon" not in " ".join(keys)


@pytest.mark.slow
def test_ra_ask_routes_a_reading_list_request(
    sample_library: Library, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _cli_env(sample_library, monkeypatch)
    routed = run_cli(capsys, "ask", "Give me a reading list on grokking", "--json")
    direct = run_cli(capsys, "reading-list", "grokking", "--json")
    assert routed.code == direct.code == 0, routed.err + direct.err
    data = routed.json()
    assert data["task"] == "reading_list"
    assert set(data) - {"task"} == set(direct.json())  # the same keys as the command's own
    titles = [p["title"] for t in data["themes"] for p in t["papers"]]
    assert "Grokking: Generalization Beyond Overfitting on Small Algorithmic Datasets" in titles
    profile = run_cli(capsys, "ask", "Show me my research profile", "--json")
    assert profile.json()["task"] == "profile" and profile.json()["names"] == ["Suraj Srinivas"]
    triage = run_cli(capsys, "ask", "What's new in the feed for me?", "--json")
    assert triage.json()["task"] == "triage" and triage.json()["source"].startswith("daily-papers")
    question = run_cli(capsys, "ask", "What is grokking?", "--json")
    assert question.json()["task"] == "ask" and question.json()["citations"]


def _list(sample_library: Library, text: str) -> ReadingList:
    searcher = sample_library.searcher()
    return ReadingLister(searcher, sample_library.profile(searcher.catalog)).build(text)


def _topics(result: ReadingList) -> set[str | None]:
    return {p.topic for p in result.papers}


@pytest.mark.slow
def test_constraints_are_honoured(sample_library: Library) -> None:
    recent = _list(sample_library, "papers on the neural tangent kernel, only 2021 or later")
    assert recent.papers and all((p.year or 0) >= 2021 for p in recent.papers)
    assert "published 2021 or later" in recent.constraints
    older = _list(sample_library, "papers on the neural tangent kernel")
    assert any((p.year or 0) < 2021 for p in older.papers)  # the filter did something

    feed = _list(sample_library, "a reading list on parameter-efficient fine-tuning, just the feed")
    assert feed.papers
    assert all(any(s.file.startswith("daily-papers") for s in p.sources) for p in feed.papers)

    neuro = "Interactions with Neuroscience"
    plain = _list(sample_library, "a reading list on adversarial robustness of vision models")
    skipped = _list(
        sample_library,
        "a reading list on adversarial robustness of vision models. Skip the neuroscience ones.",
    )
    assert neuro in _topics(plain) and neuro not in _topics(skipped)
    assert skipped.papers and "leaving out neuroscience" in skipped.constraints

    four = _list(sample_library, "give me 4 papers on double descent")
    assert len(four.papers) == 4

    newcomer = _list(sample_library, "double descent papers for a new PhD student")
    expert = _list(sample_library, "double descent papers for an expert, state of the art only")
    years = [p.year or 0 for p in newcomer.papers]
    assert years[0] == min(years)  # foundations first
    assert (expert.papers[0].year or 0) == max(p.year or 0 for p in expert.papers)


@pytest.mark.slow
def test_a_subject_refused_at_the_start_of_a_clause_and_named_by_a_title_is_left_out(
    sample_library: Library,
) -> None:
    request = "reading list on how to measure and predict generalization in deep networks"
    plain = [p.title for p in _list(sample_library, request).papers]
    fantastic = "Fantastic Generalization Measures and Where to Find Them"
    assert fantastic in plain
    # 'No X ...' opens a clause by refusing a subject; a title that says the subject
    # outright, its words in order, is left out whatever its meaning's distance
    skipped = _list(sample_library, request + ". No generalization-measure papers, please.")
    assert fantastic not in [p.title for p in skipped.papers] and skipped.papers


@pytest.mark.slow
def test_for_me_ties_papers_to_the_agenda(sample_library: Library) -> None:
    result = _list(sample_library, "papers on pruning relevant to my research")
    assert result.for_me and result.papers
    assert any("your theme" in lp.why for t in result.themes for lp in t.papers)


@pytest.mark.slow
def test_an_empty_result_explains_itself(
    sample_library: Library, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _cli_env(sample_library, monkeypatch)
    run = run_cli(capsys, "reading-list", "sourdough fermentation in medieval bakeries", "--json")
    assert run.code == 0, run.err
    data = run.json()
    assert data["themes"] == []
    assert data["searched"] and data["nearest"]
    assert "Searched:" in data["note"] and "Nearest:" in data["note"]
    shown = run_cli(capsys, "reading-list", "sourdough fermentation in medieval bakeries")
    assert "No paper in your corpus is close enough" in shown.err + shown.out


@pytest.mark.slow
def test_headings_only_when_asked(sample_library: Library) -> None:
    searcher = sample_library.searcher()
    drafter = Drafter(searcher, sample_library.profile(), embeddings=sample_library.embeddings)
    plain = drafter.draft("neural collapse", paragraphs=2)
    headed = drafter.draft("neural collapse", paragraphs=2, headings=True)
    assert not any("\\paragraph{" in p for p in plain.paragraphs)
    assert all(p.startswith("\\paragraph{") for p in headed.paragraphs)


@pytest.mark.slow
def test_eval_writing_reports_coverage_and_off_topic(
    sample_library: Library,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    _cli_env(sample_library, monkeypatch)
    items = [
        {
            "id": "nc",
            "kind": "reading_list",
            "request": "Give me 3 papers on neural collapse",
            "gold_titles": [
                "Prevalence of Neural Collapse during the terminal phase of deep learning training",
                "A Geometric Analysis of Neural Collapse with Unconstrained Features",
                "Neural Collapse Under MSE Loss: Proximity to and Dynamics on the Central Path",
                "Limitations of Neural Collapse for Understanding Generalization in Deep Learning",
            ],
            "must_not_cite": ["AI models collapse when trained on recursively generated data"],
        },
        {
            "id": "dfp",
            "kind": "related_work",
            "request": "related work on sourdough fermentation in medieval bakeries",
            "gold_titles": ["Data-free Parameter Pruning for Deep Neural Networks"],
            "must_not_cite": [],
        },
    ]
    path = tmp_path / "writing.jsonl"
    path.write_text("\n".join(json.dumps(i) for i in items) + "\n")
    run = run_cli(capsys, "eval", "writing", str(path), "--json")
    assert run.code == 0, run.err
    report = run.json()
    first, second = report["items"]
    assert set(first) == {"id", "kind", "coverage", "off_topic", "included"}
    assert len(first["included"]) == 3  # the request's own count
    found = sum(t in first["included"] for t in items[0]["gold_titles"])
    assert first["coverage"] == round(found / 3, 3) and first["off_topic"] == 0
    assert second["coverage"] == 0.0 and second["included"] == []
    assert report["reading_list"]["coverage"] == first["coverage"]
    assert set(report) == {"items", "reading_list", "related_work"}
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "kind": "poem", "request": "r"}\n')
    run = run_cli(capsys, "eval", "writing", str(bad))
    assert run.code == 1 and "bad.jsonl:1 is not a writing request" in run.err


@pytest.mark.slow
def test_a_short_topic_that_titles_name_is_not_empty(sample_library: Library) -> None:
    """MiniLM gives 'mode connectivity' cosines under the floor even with the papers
    titled by it (0.37 at best); the phrase in a title or keyword is evidence enough."""
    result = _list(sample_library, "reading list on mode connectivity")
    named = [
        p
        for p in result.papers
        if any("mode connectivity" in f.lower() for f in (p.title, *p.keywords))
    ]
    assert len(named) >= 4
    # awesome-deep-phenomena.txt:74 and the feed's 'Linear Mode Connectivity and the LTH'
    titles = {p.title for p in result.papers}
    assert "Rethink Model Re-Basin and the Linear Mode Connectivity" in titles


CHONG_YOU = {
    "Deep Isometric Learning for Visual Recognition",
    "Rethinking Bias-Variance Trade-off for Generalization of Neural Networks",
    "Deep Networks from the Principle of Rate Reduction",
    "A Geometric Analysis of Neural Collapse with Unconstrained Features",
    "Large Models are Parsimonious Learners: Activation Sparsity in Trained Transformers",
    "It's an Alignment, Not a Trade-off: Revisiting Bias and Variance in Deep Models",
    "On Emergence of Activation Sparsity in Trained Transformers",
}


@pytest.mark.slow
def test_a_reading_list_of_someones_papers_lists_the_catalogs_papers_by_them(
    sample_library: Library,
) -> None:
    # by hand: the seven entries naming Chong You (six in the Awesome list, one on the
    # Google page); the warning about another person names no works
    every = _list(
        sample_library,
        "Seeing Chong You next week: list every paper of his in my corpus so I can skim "
        "them. Note there is also a Yang You, a different person.",
    )
    assert {p.title for p in every.papers} == CHONG_YOU
    # a source named by its owner ('X's Google Research page') restricts it
    page = _list(
        sample_library,
        "Just from Srinadh Bhojanapalli's Google Research publications page: all of his "
        "papers with Chong You, please.",
    )
    assert [p.title for p in page.papers] == [
        "On Emergence of Activation Sparsity in Trained Transformers"
    ]
    assert any(c.startswith("only from google-research") for c in page.constraints)
    # everything from a file the request keeps to: all of its papers
    everything = _list(
        sample_library,
        "Only from Bhojanapalli's Google Research page: give me everything there, "
        "grouped by theme.",
    )
    page_papers = {
        p.title
        for p in sample_library.searcher().catalog.papers
        if any(s.file.startswith("google-research") for s in p.sources)
    }
    assert len(page_papers) == 10 and {p.title for p in everything.papers} == page_papers
    # a topic beside the person ranks their papers; 'all the papers about X' is a topic
    collapse = _list(sample_library, "2 papers by Chong You on neural collapse, please.")
    assert len(collapse.papers) == 2
    assert "A Geometric Analysis of Neural Collapse with Unconstrained Features" in {
        p.title for p in collapse.papers
    }
    feed = _list(sample_library, "Only from the feed: all the papers about fine-tuning.")
    feed_papers = [
        p
        for p in sample_library.searcher().catalog.papers
        if any(s.file.startswith("daily-papers") for s in p.sources)
    ]
    assert feed.papers and len(feed.papers) < min(15, len(feed_papers))
