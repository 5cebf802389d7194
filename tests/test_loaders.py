"""Bad input never stops ingestion: each bad file is skipped with a reason, the rest loads."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from retrieval.loaders import LoadResult, iter_files, load_corpus
from retrieval.records import Skipped

GOOD_MD = "# Notes\n\nSharpness-aware minimization finds flat minima.\n"


def _reasons(result: LoadResult) -> dict[str, str]:
    return {s.file: s.reason for s in result.skipped}


def test_every_kind_of_bad_file_is_skipped_and_good_files_still_load(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text(GOOD_MD)
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "blank.md").write_text("  \n\n ")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    (tmp_path / "latin1.txt").write_bytes("Café résumé naïve".encode("latin-1"))
    (tmp_path / "truncated.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog")
    (tmp_path / "fake.pdf").write_text("not a pdf at all")
    (tmp_path / "data.xyz").write_text("what is this")
    (tmp_path / "broken.bib").write_text("@article{key,\n  title = {Unclosed\n")
    (tmp_path / ".hidden.md").write_text(GOOD_MD)
    result = load_corpus([tmp_path])
    reasons = _reasons(result)
    assert [f.file for f in result.files] == ["good.md"]
    assert reasons["empty.txt"] == "is empty"
    assert reasons["blank.md"] == "is empty"
    assert "binary" in reasons["binary.txt"]
    assert "not UTF-8" in reasons["latin1.txt"] and "re-save it as UTF-8" in reasons["latin1.txt"]
    assert "PDF" in reasons["truncated.pdf"]
    assert "PDF" in reasons["fake.pdf"]
    assert "unsupported type (.xyz)" in reasons["data.xyz"]
    assert "BibTeX" in reasons["broken.bib"]
    assert ".hidden.md" not in reasons
    assert len(reasons) == 8


def test_huge_text_file_is_skipped_with_the_limit_named(tmp_path: Path) -> None:
    big = tmp_path / "huge.txt"
    with big.open("wb") as fh:
        line = b"over-parameterized networks interpolate the training data\n"
        fh.write(line * (50 * 1024 * 1024 // len(line) + 1))
    (tmp_path / "good.md").write_text(GOOD_MD)
    result = load_corpus([tmp_path], max_file_mb=20)
    assert "50 MB" in _reasons(result)["huge.txt"]
    assert "RA_MAX_FILE_MB" in _reasons(result)["huge.txt"]
    assert [f.file for f in result.files] == ["good.md"]


def test_missing_path_is_reported_and_other_roots_load(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text(GOOD_MD)
    missing = tmp_path / "nope"
    result = load_corpus([missing, tmp_path / "good.md"])
    assert "does not exist" in _reasons(result)[str(missing)]
    assert [f.file for f in result.files] == ["good.md"]


def test_symlink_loops_end(tmp_path: Path) -> None:
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "good.md").write_text(GOOD_MD)
    os.symlink(tmp_path, sub / "back")  # directory loop
    os.symlink(tmp_path / "self.md", tmp_path / "self.md")  # a link to itself
    items = list(iter_files([tmp_path]))
    files = [i[1] for i in items if not isinstance(i, Skipped)]
    skipped = {i.file: i.reason for i in items if isinstance(i, Skipped)}
    assert files == ["sub/good.md"]
    assert "symlink loop" in skipped["self.md"]


def test_unreadable_file_is_skipped(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can read any file")
    path = tmp_path / "secret.md"
    path.write_text(GOOD_MD)
    path.chmod(0)
    assert "cannot be read" in _reasons(load_corpus([tmp_path]))["secret.md"]


def test_unchanged_files_are_not_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from retrieval.loaders import Cached

    (tmp_path / "a.md").write_text(GOOD_MD)
    first = load_corpus([tmp_path])
    cache = {
        str(f.path.absolute()): Cached(f.sha256, f.parser, f.result, f.note) for f in first.files
    }
    import retrieval.loaders as loaders

    def boom(*_args: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(loaders, "_parse", boom)
    again = load_corpus([tmp_path], cache=cache)
    assert again.files[0].reused and again.files[0].result == first.files[0].result
    (tmp_path / "a.md").write_text(GOOD_MD + "\nMore.\n")
    changed = load_corpus([tmp_path], cache=cache)
    assert not changed.files and "could not be parsed" in changed.skipped[0].reason


def test_a_pdf_read_in_part_is_reported_as_partly_read(tmp_path: Path) -> None:
    from tests.pdf_factory import make_pdf

    data = make_pdf([["A Long Enough Title For The Page", f"page {i}"] for i in range(4)])
    (tmp_path / "cut.pdf").write_bytes(data[: int(len(data) * 0.8)])
    result = load_corpus([tmp_path])
    (loaded,) = result.files  # the pages before the cut are recovered
    assert loaded.note is not None and "cut short" in loaded.note
    assert loaded.sections == 4 and result.skipped == []
