"""Atomic replacement: a failure while writing leaves the old file (or directory) and no
temporary one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from retrieval.atomic import replacing, replacing_directory, write_atomic


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "manifest.json"
    target.write_text("old")
    with pytest.raises(RuntimeError), replacing(target) as tmp:
        tmp.write_text("half of the new")
        raise RuntimeError("killed halfway")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["manifest.json"]


def test_a_replaced_file_keeps_its_mode_and_a_new_one_gets_the_usual_mode(tmp_path: Path) -> None:
    kept = tmp_path / "kept.md"
    kept.write_text("old")
    kept.chmod(0o640)
    write_atomic(kept, "new")
    assert kept.read_text() == "new"
    assert kept.stat().st_mode & 0o777 == 0o640
    fresh = tmp_path / "fresh.md"
    write_atomic(fresh, "é")
    umask = os.umask(0)
    os.umask(umask)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~umask
    assert fresh.read_text(encoding="utf-8") == "é"


def test_a_missing_directory_is_an_oserror_for_the_caller_to_explain(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        write_atomic(tmp_path / "missing" / "x.json", "{}")


def test_a_directory_is_replaced_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "bm25"
    target.mkdir()
    (target / "ids.json").write_text("old")
    with pytest.raises(RuntimeError), replacing_directory(target) as tmp:
        (tmp / "ids.json").write_text("half")
        raise RuntimeError("killed halfway")
    assert (target / "ids.json").read_text() == "old"
    with replacing_directory(target) as tmp:
        (tmp / "ids.json").write_text("new")
    assert (target / "ids.json").read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["bm25"]  # no temporary or .old left
