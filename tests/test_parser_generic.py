"""Markdown, plain text, BibTeX and PDF: the formats of a researcher's own files."""

from __future__ import annotations

import io

import pytest

from retrieval.parsers import ParseError, bibtex, markdown, pdf, plaintext
from tests.pdf_factory import make_pdf


def test_markdown_sections_follow_headings_but_not_code_fences() -> None:
    text = "Intro text.\n\n# Methods\nWe prune.\n```\n# not a heading\n```\n## Details\nMore.\n# Empty\n"
    result = markdown.parse(text, "notes.md")
    assert [(s.heading_path, s.source.line) for s in result.sections] == [
        (("notes",), 1),
        (("Methods",), 3),
        (("Methods", "Details"), 8),
    ]
    assert "# not a heading" in result.sections[1].text


def test_markdown_survives_ten_thousand_and_deeply_nested_headings() -> None:
    text = "\n".join(f"{'#' * (i % 6 + 1)} H{i}\nbody {i}" for i in range(10_000))
    result = markdown.parse(text, "big.md")
    assert len(result.sections) == 10_000
    assert len(result.sections[5].heading_path) == 6


def test_markdown_crlf_is_handled_by_the_loader(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from retrieval.loaders import load_corpus

    (tmp_path / "win.md").write_bytes(b"# Title\r\nBody line\r\n")
    loaded = load_corpus([tmp_path])
    section = loaded.files[0].result.sections[0]
    assert section.heading_path == ("Title",) and section.text == "Body line"


def test_plaintext_headings_and_long_lines() -> None:
    text = "Preface here.\n\nMETHODS\nWe prune networks.\n\nResults\n=======\nIt works.\n"
    result = plaintext.parse(text, "paper.txt")
    assert [(s.heading, s.source.line) for s in result.sections] == [
        ("paper", 1),
        ("METHODS", 4),
        ("Results", 8),
    ]
    huge = plaintext.parse("word " * 1_000_000, "huge.txt")  # one 5 MB line
    assert len(huge.sections) > 2000
    assert all(len(s.text) <= plaintext.MAX_SECTION_CHARS for s in huge.sections)


GOOD_BIB = r"""
@string{nips = {Advances in Neural Information Processing Systems}}
@comment{ignored}
@inproceedings{srinivas2019,
  title = {Full-{G}radient Representation for Neural Network Visualization},
  author = {Srinivas, Suraj and Fleuret, Fran{\c{c}}ois},
  booktitle = nips,
  year = {2019},
  abstract = {We introduce {\"o}ne new tool.},
  keywords = {saliency; interpretability},
  doi = {10.5555/x}
}
@article{broken,
  title = {Unbalanced {braces,
  year = 2020
}
@article{notitle, author = {Doe, Jane}, year = {2021}}
@article{frankle2019, title={The Lottery Ticket Hypothesis}, author={Jonathan Frankle and Michael Carbin}, journal={ICLR}, year=2019}
"""


def test_bibtex_good_entries_load_and_broken_ones_are_counted() -> None:
    result, failed = bibtex.parse_with_failures(GOOD_BIB, "refs.bib")
    papers = {p.title: p for p in result.papers}
    full = papers["Full-Gradient Representation for Neural Network Visualization"]
    assert full.authors == ("Suraj Srinivas", "François Fleuret")
    assert full.venue == "Advances in Neural Information Processing Systems" and full.year == 2019
    assert full.abstract == "We introduce öne new tool."
    assert full.keywords == ("saliency", "interpretability")
    assert full.links[0].url == "https://doi.org/10.5555/x"
    assert full.sources[0].line == 4
    assert papers["The Lottery Ticket Hypothesis"].authors == ("Jonathan Frankle", "Michael Carbin")
    assert failed >= 2  # the unbalanced entry and the one without a title


@pytest.mark.parametrize(
    "text", ["", "@article{x, title = {never closed", "just prose, no entries"]
)
def test_bibtex_with_nothing_readable_is_an_error(text: str) -> None:
    with pytest.raises(ParseError, match="no readable BibTeX"):
        bibtex.parse(text, "bad.bib")


def test_pdf_pages_title_and_abstract() -> None:
    data = make_pdf(
        [
            [
                "Sparse Networks Learn Faster Than Dense Ones",
                "Ann Author",
                "Abstract",
                "We show it.",
            ],
            ["1 Introduction", "Pruning is old."],
        ],
        title="Sparse Networks Learn Faster Than Dense Ones",
        author="Ann Author; Bob Author",
    )
    result = pdf.parse_pdf(data, "paper.pdf")
    assert [s.source.page for s in result.sections] == [1, 2]
    assert "Pruning is old." in result.sections[1].text
    paper = result.papers[0]
    assert paper.title == "Sparse Networks Learn Faster Than Dense Ones"
    assert paper.authors == ("Ann Author", "Bob Author")
    assert paper.abstract is not None and "We show it." in paper.abstract


def test_pdf_title_falls_back_to_the_first_page_when_metadata_is_junk() -> None:
    data = make_pdf(
        [["A Study of Curvature in Robust Models", "text"]], title="Microsoft Word - draft.docx"
    )
    assert pdf.parse_pdf(data, "x.pdf").papers[0].title == "A Study of Curvature in Robust Models"


@pytest.mark.parametrize("fraction", [0.1, 0.3, 0.5, 0.7, 0.9, 0.97])
def test_truncated_pdfs_fail_with_a_sentence_or_parse_partly(fraction: float) -> None:
    data = make_pdf([["A Reasonably Long Title For A Test", "body"]] * 3)
    cut = data[: int(len(data) * fraction)]
    try:
        result = pdf.parse_pdf(cut, "cut.pdf")
    except ParseError as exc:
        assert "PDF" in str(exc)
    else:
        assert result.sections  # pypdf recovered what it could


def test_encrypted_pdf_says_so() -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(make_pdf([["Secret Title Of A Paper", "x"]]))).pages:
        writer.add_page(page)
    writer.encrypt(user_password="pw", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(ParseError, match="encrypted"):
        pdf.parse_pdf(buffer.getvalue(), "secret.pdf")


def test_pdf_without_text_says_it_needs_ocr() -> None:
    with pytest.raises(ParseError, match="no extractable text"):
        pdf.parse_pdf(make_pdf([[]]), "scan.pdf")
