"""Export: BibTeX entries that parse back, LaTeX escaping, cite keys kept or removed,
reference lines, and files written atomically inside the directory asked for."""

from __future__ import annotations

import os
from pathlib import Path

import bibtexparser
import pytest

from assistant.errors import UserError
from assistant.export import (
    bibtex,
    bibtex_entry,
    entry_type,
    latex_escape,
    resolve_output,
    write_text,
)
from assistant.latex_cites import cite_keys, keep_known_keys, render_markdown
from assistant.render import paper_reference as reference_line
from retrieval.records import Paper, Source

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def test_bibtex_entry_has_every_field_and_parses_back() -> None:
    paper = Paper(
        title="Q&A for 100% of {Nets}_x",
        authors=("Ann Lee", "Bo Chen"),
        year=2021,
        venue="International Conference on Learning Representations (ICLR)",
        sources=(Source("list.txt", 7),),
        bibkey="lee2021qa",
    )
    journal = Paper(title="On Things", authors=("Z",), year=2020, venue="PNAS", bibkey="z2020")
    text = bibtex([paper, journal, paper])
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    assert [e.key for e in library.entries] == ["lee2021qa", "z2020"]
    first = library.entries[0]
    assert first.entry_type == "inproceedings"
    assert {"author", "title", "year", "booktitle", "note"} <= set(first.fields_dict)
    assert "list.txt:7" in first.fields_dict["note"].value
    assert r"Q\&A for 100\% of \{Nets\}\_x" in first.fields_dict["title"].value
    assert library.entries[1].entry_type == "article"
    assert entry_type(None) == ("misc", None)
    assert "@misc{x," in bibtex_entry(Paper(title="T", bibkey="x"))


def test_bibtex_with_latex_specials_and_accents_parses_back_to_the_same_text() -> None:
    from pylatexenc.latex2text import LatexNodes2Text

    title = '"Gödel" & Erdős: 50% of {x}_y ~ #1 $5 a\\b, naïve café'
    authors = ("Jörg Müller", "Łukasz Kaiser", "et al.")
    paper = Paper(title=title, authors=authors, year=2020, venue="Revue Générale", bibkey="m2020")
    library = bibtexparser.parse_string(bibtex([paper]))
    assert not library.failed_blocks
    fields = library.entries[0].fields_dict
    assert "ö" not in fields["title"].value and "&" not in fields["title"].value.replace("\\&", "")
    to_text = LatexNodes2Text().latex_to_text
    # The outer braces that keep the title's capitals are not part of its text.
    assert to_text(fields["title"].value[1:-1]) == title
    assert to_text(fields["journal"].value) == "Revue Générale"
    names = fields["author"].value.split(" and ")
    assert [to_text(n) for n in names] == ["Jörg Müller", "Łukasz Kaiser", "others"]
    # latex2text reads a caret back as a spacing accent, so this one is checked as written.
    assert latex_escape("a^b") == r"a\textasciicircum{}b"


def test_output_inside_a_directory_cannot_escape_it(tmp_path: Path) -> None:
    base = tmp_path / "exports"
    base.mkdir()
    (base / "link").symlink_to(tmp_path)
    assert resolve_output(Path("list.md"), base) == base.resolve() / "list.md"
    for bad in ("../evil.md", "link/evil.md", "/etc/passwd"):
        with pytest.raises(UserError, match="outside"):
            resolve_output(Path(bad), base)


def test_write_text_replaces_atomically_and_explains_bad_paths(tmp_path: Path) -> None:
    target = tmp_path / "out.bib"
    target.write_text("old")
    write_text(target, "new")
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.bib"]  # no temp file left
    with pytest.raises(UserError, match="directory"):
        write_text(tmp_path, "x")
    with pytest.raises(UserError, match="does not exist"):
        write_text(tmp_path / "missing" / "x.md", "x")


def test_cite_keys_and_removal_of_unknown_keys() -> None:
    text = r"A \citep{a,ghost}. B \citet{b} and C \cite{ghost}. D \citep{a}."
    assert cite_keys(text) == ["a", "ghost", "b"]
    cleaned, removed = keep_known_keys(text, {"a", "b"})
    assert removed == ["ghost"]
    assert cleaned == r"A \citep{a}. B \citet{b} and C. D \citep{a}."


def test_markdown_style_renders_author_year() -> None:
    by_key = {
        "f": Paper(
            title="T", authors=("Jonathan Frankle", "Michael Carbin"), year=2019, bibkey="f"
        ),
        "l": Paper(title="S", authors=("N Lee", "T A", "P Torr"), year=2019, bibkey="l"),
    }
    text = r"\citet{f} found tickets \citep{f,l}."
    assert render_markdown(text, by_key) == (
        "Frankle and Carbin (2019) found tickets (Frankle and Carbin, 2019; Lee et al., 2019)."
    )


def test_offline_latex_draft_escapes_abstract_text_and_quotes_first_person() -> None:
    from assistant.related_work import _claim

    pct = Paper(
        title="P",
        abstract="We prune 95% of the weights_x with $O(n)$ cost.",
        bibkey="a2020p",
    )
    assert (
        _claim(pct, latex=True)
        == r"\citet{a2020p} prune 95\% of the weights\_x with \$O(n)\$ cost."
    )
    assert "95%" in _claim(pct, latex=False)
    mid = Paper(
        title="Q", abstract="Perhaps surprisingly, we found that tickets transfer.", bibkey="m2019q"
    )
    claim = _claim(mid, latex=False)
    assert claim.startswith(r"\citet{m2019q} write: “Perhaps surprisingly, we found")
    background = Paper(title="Pruning Without Data", abstract="Networks are large.", bibkey="t2020")
    assert _claim(background, latex=False) == r"\citet{t2020} present “Pruning Without Data”."


def test_citation_commands_with_options_are_checked_too() -> None:
    text = r"See \citep[e.g.,][p.~3]{a,ghost} and \citealp{b}; \citet*{ghost}."
    assert cite_keys(text) == ["a", "ghost", "b"]
    cleaned, removed = keep_known_keys(text, {"a", "b"})
    assert removed == ["ghost"]
    assert r"\citep[e.g.,][p.~3]{a}" in cleaned and r"\citealp{b}" in cleaned
    assert "citet*" not in cleaned


def test_draft_to_latex_is_a_latex_fragment() -> None:
    from assistant.related_work import Draft

    draft = Draft("data-free pruning", "extractive", "latex", [r"\paragraph{A.} X \citep{k}."], [])
    tex = draft.to_latex()
    assert tex.startswith("% Related work: data-free pruning (draft from sources")
    assert "#" not in tex and "*" not in tex


def test_exports_get_the_usual_file_mode(tmp_path: Path) -> None:
    os_umask = os.umask(0o022)
    try:
        path = write_text(tmp_path / "out.md", "x")
        assert path.stat().st_mode & 0o777 == 0o644
        path.chmod(0o600)
        write_text(path, "y")  # an existing file keeps its mode
        assert path.stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(os_umask)


def test_reference_lines_name_the_page_of_a_pdf_source() -> None:
    from_text = Paper(title="T", authors=("A. B",), year=2020, sources=(Source("cv.md", 70),))
    from_pdf = Paper(title="P", year=2021, sources=(Source("paper.pdf", 1, page=3),))
    assert reference_line(from_text).endswith("[cv.md:70]")
    assert reference_line(from_pdf).endswith("[paper.pdf, p. 3]")
