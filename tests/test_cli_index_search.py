"""`ra index`, `ra search`, `ra eval retrieval` as a user runs them: real embedding
model, real embedded Chroma, a small corpus; and every bad input ends in one sentence."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from tests.cli_runner import run_cli

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
# Every test here runs `ra` over an index built with the real model.
pytestmark = pytest.mark.slow


@pytest.fixture
def indexed(small_real_index: tuple[Path, Path]) -> tuple[Path, Path]:
    """The CV, statement and publication page, indexed once per session with the real model."""
    return small_real_index


@pytest.fixture
def env(indexed: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    corpus, data = indexed
    monkeypatch.setenv("RA_CORPUS", str(corpus))
    monkeypatch.setenv("RA_DATA_DIR", str(data))
    return indexed


@pytest.mark.slow
def test_index_json_summary_and_nothing_to_do_the_second_time(
    env: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    run = run_cli(capsys, "index", "--json")
    assert run.code == 0, run.err
    summary = run.json()
    assert set(summary) == {
        "papers",
        "chunks",
        "added",
        "updated",
        "removed",
        "unchanged",
        "skipped",
        "seconds",
    }
    assert (summary["added"], summary["updated"], summary["removed"], summary["unchanged"]) == (
        0,
        0,
        0,
        3,
    )
    assert summary["papers"] == 31  # 10 CV + 20 references - 9 merged + 10 publications
    assert summary["skipped"] == []


@pytest.mark.slow
def test_search_json_finds_a_paraphrase(
    env: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    run = run_cli(
        capsys,
        "search",
        "does smoothing the targets help when annotations are wrong",
        "--json",
        "--k",
        "3",
    )
    assert run.code == 0, run.err
    hits = run.json()
    assert hits[0]["title"] == "Does label smoothing mitigate label noise?"
    assert set(hits[0]) == {"rank", "paper_id", "title", "score", "kind", "source", "snippet"}
    assert [h["rank"] for h in hits] == [1, 2, 3]
    assert hits[0]["source"] == "google-research-bhojanapalli.txt:70"


@pytest.mark.slow
def test_search_table_and_filters(
    env: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    run = run_cli(capsys, "search", "pruning", "--year", "2015")
    assert run.code == 0 and "Data-free Parameter Pruning" in run.out
    profile = run_cli(capsys, "search", "internship", "--kind", "profile", "--json").json()
    assert profile and all(h["kind"] == "profile" for h in profile)


@pytest.mark.slow
def test_eval_retrieval_reports_every_mode(
    env: tuple[Path, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        json.dumps(
            {
                "id": "a",
                "type": "lookup",
                "question": "attention heads with too small a rank",
                "gold_titles": ["Low-Rank Bottleneck in Multi-head Attention Models"],
            }
        )
        + "\n"
        + json.dumps(
            {
                "question": "what did I do at Qualcomm",
                "gold_titles": [],
                "gold_sections": ["Internships"],
                "extra": 1,
            }
        )
        + "\n"
        + json.dumps({"question": "Who won the 2018 World Cup?", "gold_titles": []})
        + "\n"
    )
    run = run_cli(capsys, "eval", "retrieval", str(questions), "--json")
    assert run.code == 0, run.err
    assert run.json()["skipped"] == 1  # nothing to rank: counted, not an error
    report = run.json()["modes"]
    assert set(report) == {"hybrid", "dense", "bm25"}
    hybrid = report["hybrid"]
    assert hybrid["n"] == 2 and set(hybrid["by_type"]) == {"lookup", "all"}
    assert hybrid["per_question"][0] == {"id": "a", "ranks": [1]}
    assert hybrid["recall@10"] == 1.0
    table = run_cli(capsys, "eval", "retrieval", str(questions), "--mode", "bm25")
    assert "R@10" in table.out and "hybrid" not in table.out
    assert "1 questions with no gold titles" in table.out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", "the of and what is"], "only common words"),
        (["search", "   "], "The query is empty"),
        (["search", "x" * 10_000], "10,000 characters"),
        (
            ["search", "pruning", "--mode", "fuzzy"],
            "'fuzzy' is not one of 'hybrid', 'dense', 'bm25'",
        ),
    ],
)
def test_bad_queries_are_one_sentence(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    run = run_cli(capsys, *args)
    assert run.code == 1 and message in run.err and "Traceback" not in run.err


def test_search_before_indexing_says_run_ra_index(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RA_DATA_DIR", str(tmp_path / "empty"))
    run = run_cli(capsys, "search", "pruning")
    assert run.code == 1 and "run `ra index` first" in run.err


def test_index_of_a_missing_corpus_leaves_the_index_alone(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RA_DATA_DIR", str(tmp_path / "data"))
    run = run_cli(capsys, "index", "--corpus", str(tmp_path / "nope"))
    assert run.code == 1
    assert "Nothing could be read from the corpus" in run.err and "does not exist" in run.err
    assert not (tmp_path / "data" / "chroma").exists()


def test_unwritable_data_dir_is_one_sentence(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where a directory should be")
    monkeypatch.setenv("RA_DATA_DIR", str(blocker / "data"))
    run = run_cli(capsys, "index", "--corpus", str(CORPUS / "cv.md"))
    assert run.code == 1 and "RA_DATA_DIR" in run.err and "Traceback" not in run.err


def test_unreachable_chroma_server_is_one_sentence(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("RA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("RA_CHROMA_URL", f"http://127.0.0.1:{port}")
    run = run_cli(capsys, "index", "--corpus", str(CORPUS / "cv.md"))
    assert run.code == 1 and "Cannot reach the Chroma server" in run.err


def test_bad_question_file_names_the_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, env: tuple[Path, Path]
) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text('{"question": "ok", "gold_titles": ["x"]}\nnot json\n')
    run = run_cli(capsys, "eval", "retrieval", str(questions))
    assert run.code == 1 and "q.jsonl:2" in run.err


@pytest.mark.slow
def test_ask_offline_json_and_refusal(
    env: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    run = run_cli(capsys, "ask", "What did I work on during my internship at Qualcomm?", "--json")
    assert run.code == 0, run.err
    answer = run.json()
    assert set(answer) == {
        "task",
        "question",
        "answer",
        "mode",
        "refused",
        "citations",
        "removed_citations",
        "grounded",
        "uncited_sentences",
        "unknown_references",
        "fallback_answer",
        "usage",
        "finish_reason",
    }
    assert answer["grounded"] is True and answer["fallback_answer"] is None
    assert answer["mode"] == "extractive" and not answer["refused"] and answer["usage"] is None
    assert answer["finish_reason"] is None  # no model wrote it
    assert "sparsify neural networks" in answer["answer"]  # cv.md, Internships
    assert {"n", "paper_id", "title", "bibkey", "source", "support"} == set(answer["citations"][0])
    refused = run_cli(capsys, "ask", "What is the boiling point of ethanol?", "--json").json()
    assert refused["refused"] and refused["citations"] == []
    text = run_cli(capsys, "ask", "What is the boiling point of ethanol?")
    assert "I could not find this in your corpus." in text.out and "Closest matches" in text.out


def test_empty_question_is_refused_before_anything_is_saved(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RA_DATA_DIR", str(tmp_path))
    run = run_cli(capsys, "ask", "   ")
    assert run.code == 1 and "The query is empty" in run.err
    assert not (tmp_path / "history.sqlite").exists()
