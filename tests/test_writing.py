"""Reading lists, related-work drafts, triage and the profile, offline.

Fast tests use hand-made papers and the sample corpus's catalog (no embeddings); the
slow ones run offline mode on the sample corpus with the real embedding model, against
papers checked by hand in corpus/. Export is in test_export.py, the LLM mode in
test_writing_llm.py, requests in a researcher's words in test_writing_requests.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import bibtexparser
import pytest

from assistant.errors import UserError
from assistant.grouping import group_papers
from assistant.latex_cites import cite_keys
from assistant.library import Library
from assistant.profile import build_profile
from assistant.reading_list import ReadingLister
from assistant.related_work import Drafter
from assistant.triage import triage
from retrieval.catalog import Catalog, build_catalog
from retrieval.records import Paper
from tests.cli_runner import run_cli

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _paper(title: str, abstract: str = "", **kw: Any) -> Paper:
    return Paper(title=title, abstract=abstract, **kw)


@pytest.fixture(scope="module")
def sample_catalog() -> Catalog:
    return build_catalog([CORPUS])


def test_groups_are_two_to_five_and_chronological() -> None:
    papers = [
        _paper(f"Paper {i} on Pruning at Initialization", year=2020 + i % 3) for i in range(4)
    ] + [_paper(f"Strong lottery tickets {i}", year=2018 + i) for i in range(3)]
    papers += [_paper("The Lottery Ticket Hypothesis", year=2018)]
    groups = group_papers(papers, "lottery ticket hypothesis")
    assert 2 <= len(groups) <= 5
    assert sum(len(g.papers) for g in groups) == len(papers)
    for group in groups:
        years = [p.year or 0 for p in group.papers]
        assert years == sorted(years)
    assert any(g.name == "Pruning at Initialization" for g in groups)


def test_profile_of_the_sample_corpus(sample_catalog: Catalog) -> None:
    profile = build_profile(sample_catalog)
    assert profile.names == ("Suraj Srinivas",)
    assert set(profile.files) == {"cv.md", "research-statement.md"}
    names = [t.name for t in profile.themes]
    # research-statement.md: the prior-work strands and the future work section.
    for wanted in (
        "Model Pruning with Limited Data",
        "Incorporating Sparsity in Neural Networks",
        "Understanding Feature Attribution Methods",
        "Robustness by Regulating Local Geometry",
        "Future Work",
    ):
        assert wanted in names
    assert "Education" not in names and "Talks" not in names
    pruning = next(t for t in profile.themes if t.name == "Model Pruning with Limited Data")
    assert "pruning" in pruning.keywords
    assert "Data-free Parameter Pruning for Deep Neural Networks" in [
        p.title for p in pruning.own_papers
    ]
    titles = {p.title for p in profile.own_papers}
    assert "Knowledge Transfer with Jacobian Matching" in titles  # cv.md publications
    assert all(any("Srinivas" in a for a in p.authors) for p in profile.own_papers)


def test_profile_globs_choose_the_documents(sample_catalog: Catalog) -> None:
    only_cv = build_profile(sample_catalog, "cv.md")
    assert only_cv.files == ("cv.md",) and not only_cv.themes and only_cv.own_papers
    nothing = build_profile(sample_catalog, "no-such-*.md")
    assert nothing.empty


@pytest.mark.slow
def test_reading_list_on_the_lottery_ticket_hypothesis(sample_library: Library) -> None:
    searcher = sample_library.searcher()
    result = ReadingLister(searcher, sample_library.profile()).build(
        "lottery ticket hypothesis", n=12
    )
    keys = {p.bibkey for p in result.papers}
    # awesome-deep-phenomena.txt, "Lottery Ticket Hypothesis" section.
    assert "frankle2019lottery" in keys  # the paper that stated the hypothesis
    assert len(keys & {"burkholz2022existence", "sreenivasan2022rare", "bai2022dual"}) >= 2
    assert 2 <= len(result.themes) <= 5 and len(result.papers) == 12
    assert result.mode == "extractive"
    first = result.themes[0].papers[0]
    assert first.paper.bibkey == "frankle2019lottery"  # foundational first
    assert all(lp.why and lp.summary for t in result.themes for lp in t.papers)
    assert "Offline reading list" in result.to_markdown()


@pytest.mark.slow
def test_reading_list_on_neural_collapse(sample_library: Library) -> None:
    searcher = sample_library.searcher()
    result = ReadingLister(searcher, sample_library.profile()).build("neural collapse", n=10)
    keys = {p.bibkey for p in result.papers}
    assert "papyan2020prevalence" in keys  # PNAS 2020, the paper that named it
    assert "shumailov2024ai" not in keys  # model collapse is not neural collapse
    assert all("collapse" in (p.title + (p.abstract or "")).lower() for p in result.papers)


@pytest.mark.slow
def test_reading_list_for_me_ties_each_paper_to_a_theme(sample_library: Library) -> None:
    searcher = sample_library.searcher()
    profile = sample_library.profile()
    result = ReadingLister(searcher, profile).build("pruning", n=8, for_me=True)
    own = {p.id for p in profile.own_papers}
    assert result.papers and not own & {p.id for p in result.papers}
    theme_names = {t.name for t in profile.themes}
    tied = [lp for t in result.themes for lp in t.papers if "your theme" in lp.why]
    assert len(tied) >= len(result.papers) // 2
    assert all(any(n in lp.why for n in theme_names) for lp in tied)


@pytest.mark.slow
def test_every_citep_key_has_exactly_one_bib_entry(sample_library: Library, tmp_path: Path) -> None:
    searcher = sample_library.searcher()
    drafter = Drafter(searcher, sample_library.profile(), embeddings=sample_library.embeddings)
    draft = drafter.draft("neural collapse", paragraphs=2)
    keys = cite_keys("\n".join(draft.paragraphs))
    assert 6 <= len(keys) <= 15
    entries = bibtexparser.parse_string(draft.bibtex).entries
    assert sorted(e.key for e in entries) == sorted(keys)
    assert "shumailov2024ai" not in keys


@pytest.mark.slow
def test_triage_ranks_the_feed_by_the_agenda(sample_library: Library) -> None:
    catalog = sample_library.catalog()
    file, ranked = triage(catalog, sample_library.profile(catalog), sample_library.embeddings, n=5)
    assert file == "daily-papers-over-parameterization.txt"
    assert len(ranked) == 5
    assert [t.score for t in ranked] == sorted((t.score for t in ranked), reverse=True)
    # The feed's pruning papers sit closest to an agenda built on pruning and sparsity.
    assert any("pruning" in t.paper.title.lower() for t in ranked[:3])
    assert all(t.theme and t.closest_own and t.reason for t in ranked)


@pytest.mark.slow
def test_cli_writing_commands(
    sample_library: Library,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("RA_DATA_DIR", str(sample_library.settings.data_dir))
    monkeypatch.setenv("RA_CORPUS", str(CORPUS))
    bib = tmp_path / "refs.bib"
    run = run_cli(capsys, "related-work", "--topic", "neural collapse", "--bib", str(bib), "--json")
    assert run.code == 0, run.err
    data = run.json()
    assert data["mode"] == "extractive"
    assert sorted(c["bibkey"] for c in data["citations"]) == sorted(
        e.key for e in bibtexparser.parse_string(bib.read_text()).entries
    )
    md = tmp_path / "list.md"
    run = run_cli(capsys, "reading-list", "neural collapse", "--n", "5", "--out", str(md))
    assert run.code == 0, run.err
    assert md.read_text().startswith("# Reading list: neural collapse")
    run = run_cli(capsys, "reading-list", "neural collapse", "--n", "5", "--format", "bib")
    assert run.code == 0 and run.out.count("@") == 5
    run = run_cli(capsys, "profile", "--json")
    assert run.code == 0 and run.json()["names"] == ["Suraj Srinivas"]
    run = run_cli(capsys, "triage", "--n", "3", "--json")
    assert run.code == 0 and len(run.json()["papers"]) == 3
    run = run_cli(capsys, "related-work")
    assert run.code == 1 and "exactly one of" in run.err
    run = run_cli(capsys, "triage", "--source", "nope.txt")
    assert run.code == 1 and "not a file of your corpus" in run.err
    run = run_cli(capsys, "reading-list", "x", "--format", "pdf")
    assert run.code == 1 and "--format must be md or bib" in run.err
    question = "How sparse are the MLP activations in trained transformers like T5?"
    run = run_cli(capsys, "ask", question, "--out", str(tmp_path / "a.md"))
    assert run.code == 0, run.err
    answer_md = (tmp_path / "a.md").read_text()
    assert answer_md.startswith(f"# {question}") and "References" in answer_md
    run = run_cli(capsys, "ask", question, "--format", "bib", "--out", str(tmp_path / "a.bib"))
    entries = bibtexparser.parse_string((tmp_path / "a.bib").read_text()).entries
    assert run.code == 0 and len(entries) == answer_md.count("\n- [")  # one per reference


def test_triage_source_names_match_whole_file_names(sample_catalog: Catalog) -> None:
    from assistant.triage import feed_file

    assert feed_file(sample_catalog, "cv.md") == "cv.md"
    assert feed_file(sample_catalog, "/any/where/cv.md") == "cv.md"
    with pytest.raises(UserError, match="not a file of your corpus"):
        feed_file(sample_catalog, "v.md")  # a suffix of cv.md, not its name
