"""A Zotero data directory as a corpus: items, PDFs, notes, collections and tags, the
trash left out, incremental re-reads, and broken databases that lose nothing else."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from retrieval.loaders import load_corpus
from retrieval.manifest import Manifest
from tests.cli_runner import run_cli
from tests.pdf_factory import Run, make_layout_pdf
from tests.zotero_factory import Item, build_library

BODY = [
    Run(f"Magnitude pruning removes the smallest weights, step {i}.", 72, 560 - 12 * i)
    for i in range(12)
]


def _pdf() -> bytes:
    """A PDF whose own first page says less than Zotero does (another title, no year)."""
    page1 = [
        Run("Pruning Preprint Draft Title", 100, 700, 18),
        Run("Abstract", 72, 640, 11),
        Run("The PDF's own abstract, which Zotero's abstract overrides here.", 72, 620, 10),
        Run("1 Introduction", 72, 590, 12),
        *BODY,
    ]
    page2 = [
        Run("2.9 Fail-overs", 72, 700, 12),
        Run("The lottery ticket survives fail-overs.", 72, 680),
    ]
    return make_layout_pdf([page1, page2])


def _items() -> list[Item]:
    return [
        Item(
            key="I0000001",
            title="The Lottery Ticket Hypothesis",
            authors=[("Jonathan", "Frankle"), ("Michael", "Carbin")],
            fields={"date": "2019-05-06", "publicationTitle": "ICLR", "DOI": "10.1/ltr",
                    "abstractNote": "Dense networks contain sparse subnetworks."},
            tags=["sparsity", "lottery"],
            collections=["Deep learning/pruning"],
            pdf=_pdf(),
            notes=["<p>Read <b>twice</b>: the rewinding trick.</p>"],
        ),
        Item(
            key="I0000002",
            title="Attention Is All You Need",
            authors=[("Ashish", "Vaswani")],
            fields={"date": "2017", "proceedingsTitle": "NeurIPS"},
            tags=["transformers"],
            collections=["Deep learning"],
            item_type="conferencePaper",
        ),
        Item(key="I0000003", title="A Paper In The Trash", authors=[("Del", "Eted")], deleted=True),
    ]  # fmt: skip


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return build_library(tmp_path / "Zotero", _items())


def _papers(root: Path) -> dict:
    loaded = load_corpus([root])
    return {p.title: p for f in loaded.files for p in f.result.papers}


def test_items_read_with_zotero_metadata_and_the_trash_left_out(library: Path) -> None:
    papers = _papers(library)
    assert set(papers) == {"The Lottery Ticket Hypothesis", "Attention Is All You Need"}
    lottery = papers["The Lottery Ticket Hypothesis"]
    assert lottery.authors == ("Jonathan Frankle", "Michael Carbin")
    assert lottery.year == 2019
    assert lottery.venue == "ICLR"
    assert lottery.abstract == "Dense networks contain sparse subnetworks."  # Zotero wins
    assert lottery.keywords == ("lottery", "sparsity")
    assert lottery.topic == "Deep learning/pruning"
    assert [link.url for link in lottery.links] == ["https://doi.org/10.1/ltr"]
    assert papers["Attention Is All You Need"].venue == "NeurIPS"
    assert dict(lottery.origins)["abstract"] == "Zotero"
    assert dict(lottery.origins)["topic"] == "Zotero collections"


def test_field_origins_survive_the_manifest(library: Path) -> None:
    from retrieval.manifest import result_from_json, result_to_json

    [loaded] = [f for f in load_corpus([library]).files if f.file == "zotero:I0000001"]
    again = result_from_json(result_to_json(loaded.result))
    assert again.papers[0].origins == loaded.result.papers[0].origins != ()


def test_the_pdf_full_text_is_attached_by_page_under_the_zotero_title(library: Path) -> None:
    loaded = load_corpus([library])
    [lottery] = [f for f in loaded.files if f.file == "zotero:I0000001"]
    sections = lottery.result.sections
    fail_overs = [
        s for s in sections if s.heading_path == ("The Lottery Ticket Hypothesis", "2.9 Fail-overs")
    ]
    assert fail_overs and fail_overs[0].source.page == 2
    assert fail_overs[0].source.file == "storage/A0000001/paper.pdf"
    notes = [s for s in sections if s.heading_path[-1] == "Zotero note"]
    assert [s.text for s in notes] == ["Read twice: the rewinding trick."]
    # The storage folder is not walked again as loose PDFs.
    assert {f.parser for f in loaded.files} == {"zotero"}


def test_collections_are_topics_for_ra_papers(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = run_cli(capsys, "papers", "--topic", "pruning", "--corpus", str(library), "--json")
    assert run.code == 0, run.err
    assert [p["title"] for p in run.json()] == ["The Lottery Ticket Hypothesis"]


def test_reindexing_rereads_only_items_whose_version_changed(library: Path) -> None:
    first = load_corpus([library])
    cache = Manifest(embeddings="x", files={str(f.path.absolute()): f for f in first.files}).cache()
    again = load_corpus([library], cache=cache)
    assert all(f.reused for f in again.files)
    with sqlite3.connect(library / "zotero.sqlite") as conn:
        conn.execute("UPDATE items SET version = 7 WHERE key = 'I0000002'")
    third = load_corpus([library], cache=cache)
    assert {f.file: f.reused for f in third.files} == {
        "zotero:I0000001": True,
        "zotero:I0000002": False,
    }


def test_a_database_zotero_holds_locked_is_read_from_a_copy(library: Path) -> None:
    holder = sqlite3.connect(library / "zotero.sqlite")
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        assert "The Lottery Ticket Hypothesis" in _papers(library)
    finally:
        holder.close()


def _notes_dir(tmp_path: Path) -> Path:
    other = tmp_path / "notes"
    other.mkdir()
    (other / "ideas.md").write_text("# Ideas\n\nPrune early, prune often.\n")
    return other


def test_a_database_that_cannot_be_copied_says_close_zotero_and_keeps_the_rest(
    library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "The process cannot access the file")

    monkeypatch.setattr(shutil, "copyfile", refuse)
    loaded = load_corpus([library, _notes_dir(tmp_path)])
    [skipped] = loaded.skipped
    assert "locked" in skipped.reason and "close Zotero" in skipped.reason
    assert [f.file for f in loaded.files] == ["ideas.md"]


def test_a_corrupt_database_is_one_sentence_and_the_rest_loads(tmp_path: Path) -> None:
    library = tmp_path / "Zotero"
    library.mkdir()
    (library / "zotero.sqlite").write_bytes(b"this is not SQLite at all" * 100)
    loaded = load_corpus([library, _notes_dir(tmp_path)])
    [skipped] = loaded.skipped
    assert skipped.reason.startswith("is not a readable Zotero database")
    assert "zotero.sqlite.bak" in skipped.reason
    assert [f.file for f in loaded.files] == ["ideas.md"]


def test_a_newer_schema_says_to_update(tmp_path: Path) -> None:
    library = build_library(tmp_path / "Zotero", _items()[1:2], schema_version=999)
    loaded = load_corpus([library, _notes_dir(tmp_path)])
    [skipped] = loaded.skipped
    assert "newer Zotero" in skipped.reason and "999" in skipped.reason
    assert [f.file for f in loaded.files] == ["ideas.md"]
