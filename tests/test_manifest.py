"""The manifest survives a round trip and a damaged file means 'start over', not a crash."""

from __future__ import annotations

from pathlib import Path

from retrieval.loaders import LoadedFile
from retrieval.manifest import (
    PARSER_VERSION,
    Manifest,
    load_manifest,
    parsers_fingerprint,
    save_manifest,
)
from retrieval.records import Link, Paper, ParseResult, Section, Source


def _entry(tmp_path: Path) -> LoadedFile:
    paper = Paper(
        title="Cyclical Pruning for Sparse Neural Networks",
        authors=("Suraj Srinivas",),
        year=2022,
        venue="CVPRW",
        keywords=("pruning",),
        abstract="Cycles.",
        topic=None,
        sources=(Source("cv.md", 70), Source("paper.pdf", 1, page=1)),
        links=(Link("code", "https://example.org"),),
        awards=("Oral",),
        bibkey="srinivas2022cyclical",
    )
    section = Section(
        ("Me", "Talks"),
        "Talk text",
        Source("cv.md", 90),
        kind="profile",
        owner="Me",
        cites=(paper.id,),
    )
    return LoadedFile(
        file="cv.md",
        path=tmp_path / "cv.md",
        parser="cv",
        sha256="ab" * 32,
        size=10,
        mtime_ns=5,
        result=ParseResult(papers=[paper], sections=[section]),
        note="1 thing",
    )


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    entry = _entry(tmp_path)
    manifest = Manifest(
        embeddings="local-x", status="complete", files={str(entry.path): entry}, chunks=3, papers=1
    )
    path = tmp_path / "m" / "manifest.json"
    save_manifest(path, manifest)
    loaded = load_manifest(path, "local-x")
    assert loaded.status == "complete" and loaded.chunks == 3 and loaded.papers == 1
    assert loaded.files[str(entry.path)] == entry
    assert loaded.cache()[str(entry.path)].result == entry.result


def test_damaged_or_foreign_manifest_starts_empty(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    path.write_text("{not json")
    assert load_manifest(path, "local-x").status == "empty"
    save_manifest(path, Manifest(embeddings="openai-y", status="complete"))
    assert load_manifest(path, "local-x").files == {}
    assert load_manifest(path, "local-x").status == "empty"
    assert not list(tmp_path.glob(".manifest-*"))  # no temp files left behind


def test_parses_of_older_parsers_are_not_reused(tmp_path: Path) -> None:
    """An upgraded `ra` whose parsers changed re-reads files instead of trusting old parses."""
    entry = _entry(tmp_path)
    manifest = Manifest(embeddings="local-x", status="complete", files={str(entry.path): entry})
    manifest.parsers = 3  # what manifests stored before the version became a hash
    path = tmp_path / "manifest.json"
    save_manifest(path, manifest)
    loaded = load_manifest(path, "local-x")
    assert loaded.files and loaded.cache() == {}
    loaded.parsers = PARSER_VERSION
    assert loaded.cache()


def test_the_parser_version_follows_the_parsers_code(tmp_path: Path) -> None:
    """Changing any parser (here the CV's) gives another version, with no number to bump."""
    import shutil

    package = Path(__file__).resolve().parent.parent / "retrieval"
    copy = tmp_path / "retrieval"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert parsers_fingerprint(copy) == PARSER_VERSION
    cv = copy / "parsers" / "cv.py"
    cv.write_text(cv.read_text(encoding="utf-8") + "\n# a change\n", encoding="utf-8")
    assert parsers_fingerprint(copy) != PARSER_VERSION
