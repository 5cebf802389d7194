"""`ra corpus`, `ra papers`, `ra paper` as a user runs them, on the sample corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_runner import run_cli

PAPER_KEYS = {
    "id",
    "title",
    "authors",
    "year",
    "venue",
    "keywords",
    "abstract",
    "topic",
    "bibkey",
    "sources",
}


def test_corpus_summary_counts(capsys: pytest.CaptureFixture[str]) -> None:
    run = run_cli(capsys, "corpus", "--json")
    assert run.code == 0, run.err
    summary = run.json()
    # 543 + 60 + 10 + 20 + 10 parsed, 16 of them merged into 15 others.
    assert summary["papers"] == 627
    assert {f["file"]: f["papers"] for f in summary["files"]} == {
        "awesome-deep-phenomena.txt": 543,
        "cv.md": 10,
        "daily-papers-over-parameterization.txt": 60,
        "google-research-bhojanapalli.txt": 10,
        "research-statement.md": 20,
    }
    assert summary["multi_source"] == 15
    assert summary["by_topic"]["Neural Collapse"] == 20
    assert summary["by_topic"]["Others"] == 213  # 214 entries, one listed twice
    assert summary["skipped"] == []
    assert [d["first"]["title"] for d in summary["near_duplicates"]] == [
        "Rethinking the Role of Gradient-based Attribution Methods in Model Interpretability"
    ]


def test_corpus_table_is_readable(capsys: pytest.CaptureFixture[str]) -> None:
    run = run_cli(capsys, "corpus")
    assert run.code == 0
    assert "627 papers" in run.out and "Possible duplicates" in run.out


def test_papers_json_has_exactly_the_documented_keys(capsys: pytest.CaptureFixture[str]) -> None:
    run = run_cli(capsys, "papers", "--json")
    papers = run.json()
    assert len(papers) == 627
    assert all(set(p) == PAPER_KEYS for p in papers)
    assert len({p["bibkey"] for p in papers}) == 627
    assert len({p["id"] for p in papers}) == 627
    assert all(
        isinstance(s["line"], int) and set(s) == {"file", "line"}
        for p in papers
        for s in p["sources"]
    )


def test_papers_filters(capsys: pytest.CaptureFixture[str]) -> None:
    collapse = run_cli(capsys, "papers", "--topic", "neural collapse", "--json").json()
    assert len(collapse) == 20
    mine = run_cli(capsys, "papers", "--author", "Suraj Srinivas", "--json").json()
    assert len(mine) == 10  # the CV's publications (merged with the statement's references)
    year = run_cli(capsys, "papers", "pruning", "--year", "2015", "--json").json()
    assert [p["title"] for p in year] == ["Data-free Parameter Pruning for Deep Neural Networks"]
    feed = run_cli(capsys, "papers", "--source", "daily-papers", "--json").json()
    assert len(feed) == 60


def test_paper_by_bibkey_shows_every_source(capsys: pytest.CaptureFixture[str]) -> None:
    papers = run_cli(capsys, "papers", "full-gradient representation", "--json").json()
    assert len(papers) == 1
    key = papers[0]["bibkey"]
    assert key == "srinivas2019full"
    run = run_cli(capsys, "paper", key, "--json")
    detail = run.json()
    assert {s["file"] for s in detail["sources"]} == {"cv.md", "research-statement.md"}
    assert detail["links"] == [
        {"label": "code", "url": "https://github.com/idiap/fullgrad-saliency"}
    ]
    text = run_cli(capsys, "paper", papers[0]["id"])
    assert "Full-Gradient Representation" in text.out and "cv.md" in text.out


def test_unknown_paper_is_one_sentence_and_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    run = run_cli(capsys, "paper", "nosuchkey2099")
    assert run.code == 1
    assert "No paper has the id or BibTeX key 'nosuchkey2099'" in run.err
    assert "Traceback" not in run.err + run.out


def test_bad_files_are_skipped_with_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "good.bib").write_text(
        "@article{a, title={A Good Paper}, author={Doe, Jane}, year=2020}"
    )
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4 truncated")
    (tmp_path / "empty.md").write_text("")
    run = run_cli(capsys, "papers", "--corpus", str(tmp_path), "--json")
    assert run.code == 2
    assert [p["title"] for p in run.json()] == ["A Good Paper"]
    assert "skipped bad.pdf: is not a readable PDF" in run.err
    assert "skipped empty.md: is empty" in run.err


def test_missing_corpus_is_a_user_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    run = run_cli(capsys, "corpus", str(tmp_path / "nowhere"))
    assert run.code == 1
    assert "Nothing could be read from the corpus" in run.err and "does not exist" in run.err


def test_ra_corpus_env_chooses_the_corpus(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.bib").write_text("@article{a, title={Only Paper}, year=2020}")
    monkeypatch.setenv("RA_CORPUS", str(tmp_path))
    assert [p["title"] for p in run_cli(capsys, "papers", "--json").json()] == ["Only Paper"]


def test_bad_setting_is_named(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RA_EMBEDDINGS", "word2vec")
    run = run_cli(capsys, "corpus")
    assert run.code == 1 and "RA_EMBEDDINGS is invalid" in run.err


def test_help_everywhere(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("corpus", "papers", "paper", "index", "search", "chat"):
        run = run_cli(capsys, command, "--help")
        assert run.code == 0 and "Usage" in run.out
