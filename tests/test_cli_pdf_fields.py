"""`ra corpus` on a folder of PDFs says, per PDF, which metadata fields were found."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_runner import run_cli
from tests.pdf_factory import Run, make_layout_pdf, make_pdf

BODY = [
    Run(f"Sparse training keeps the accuracy of dense nets, line {i}.", 72, 560 - 12 * i)
    for i in range(12)
]


def test_corpus_reports_the_fields_found_per_pdf(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    full = [
        Run("Sparse Networks Learn Faster", 100, 700, 18),
        Run("Ann Author, Bob Author", 100, 670, 11),
        Run("Proceedings of the Sparse Conference 2020", 100, 655, 9),
        Run("Abstract", 72, 620, 11),
        Run("We show that sparse networks learn faster than dense ones do.", 72, 600, 10),
        Run("1 Introduction", 72, 580, 12),
        *BODY,
    ]
    (tmp_path / "full.pdf").write_bytes(make_layout_pdf([full]))
    (tmp_path / "bare.pdf").write_bytes(make_pdf([["1", "ok"]]))
    run = run_cli(capsys, "corpus", "--json", str(tmp_path))
    assert run.code == 0, run.err
    rows = {row["file"]: row for row in run.json()["pdf_fields"]}
    assert rows["full.pdf"] == {
        "file": "full.pdf",
        "title": True,
        "authors": True,
        "year": True,
        "venue": True,
        "abstract": True,
    }
    assert not any(v for k, v in rows["bare.pdf"].items() if k != "file")
    table = run_cli(capsys, "corpus", str(tmp_path))
    assert "Fields read from each PDF" in table.out


def test_paper_shows_where_each_field_came_from(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runs = [
        Run("Sparse Networks Learn Faster", 100, 700, 18),
        Run("Ann Author, Bob Author", 100, 670, 11),
        Run("To appear in OSDI 2006", 100, 655, 9),
        Run("Abstract", 72, 620, 11),
        Run("We show that sparse networks learn faster than dense ones do.", 72, 600, 10),
        Run("1 Introduction", 72, 580, 12),
        *BODY,
    ]
    (tmp_path / "sparse.pdf").write_bytes(make_layout_pdf([runs]))
    [listed] = run_cli(capsys, "papers", "--corpus", str(tmp_path), "--json").json()
    detail = run_cli(capsys, "paper", listed["id"], "--corpus", str(tmp_path), "--json").json()
    assert detail["origins"]["title"] == "largest text on page 1"
    assert detail["origins"]["authors"] == "lines under the title on page 1"
    assert detail["origins"]["year"].startswith("venue line on page 1")
    assert detail["origins"]["abstract"] == "'Abstract' section on page 1"
    shown = run_cli(capsys, "paper", listed["id"], "--corpus", str(tmp_path))
    assert "Where each field came from" in shown.out
    assert "largest text on page 1" in shown.out
