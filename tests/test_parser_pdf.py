"""The PDF parser: pages, title and abstract, and damaged files that fail with a sentence."""

from __future__ import annotations

import importlib.util
import io
import logging
import random
from pathlib import Path

import pytest

from retrieval.parsers import ParseError, pdf
from retrieval.records import ParseResult
from tests.pdf_factory import make_pdf

TITLE = "Sparse Networks Learn Faster Than Dense Ones"
PAPER_PAGES = [
    ["arXiv:2101.00001v2 [cs.LG] 4 Jan 2021", TITLE, "Ann Author, Bob Author", "Abstract",
     "We show that sparse networks", "learn faster.", "1 Introduction", "Pruning is old."],
    ["2 Related Work", "Han et al. prune weights."],
    ["3 Experiments", "It works on ImageNet."],
]  # fmt: skip


def _paper_pdf(title: str | None = None, author: str | None = None) -> bytes:
    return make_pdf(PAPER_PAGES, title=title, author=author)


def _parse_or_error(data: bytes) -> ParseResult | ParseError:
    """The result, or the ParseError; any other exception fails the test that calls it."""
    try:
        return pdf.parse_pdf(data, "damaged.pdf")
    except ParseError as exc:
        return exc


def test_one_section_per_page_and_the_paper_from_metadata() -> None:
    data = _paper_pdf(title=TITLE, author="Ann Author; Bob Author")
    result = pdf.parse_pdf(data, "papers/sparse.pdf")
    assert [(s.heading_path, s.source.page, s.source.line) for s in result.sections] == [
        ((TITLE, "page 1"), 1, 1),
        ((TITLE, "page 2"), 2, 1),
        ((TITLE, "page 3"), 3, 1),
    ]
    assert "Han et al. prune weights." in result.sections[1].text
    assert {s.kind for s in result.sections} == {"document"}
    [paper] = result.papers
    assert paper.title == TITLE
    assert paper.authors == ("Ann Author", "Bob Author")
    assert paper.abstract == "We show that sparse networks learn faster."
    assert paper.sources[0].file == "papers/sparse.pdf" and paper.sources[0].page == 1


@pytest.mark.parametrize(
    "junk", ["Microsoft Word - draft7.docx", "untitled", "main.tex", "Document1", "paper"]
)
def test_a_junk_metadata_title_gives_way_to_the_first_real_line(junk: str) -> None:
    result = pdf.parse_pdf(_paper_pdf(title=junk), "x.pdf")
    assert result.papers[0].title == TITLE  # the arXiv stamp above it is skipped
    assert result.sections[0].heading_path == (TITLE, "page 1")


def test_last_first_metadata_authors_are_reordered() -> None:
    result = pdf.parse_pdf(_paper_pdf(author="Author, Ann"), "x.pdf")
    assert result.papers[0].authors == ("Ann Author",)


def test_no_title_means_no_paper_and_pages_named_after_the_file() -> None:
    result = pdf.parse_pdf(make_pdf([["1", "ok"], ["2"]]), "scans/receipt.pdf")
    assert result.papers == []
    assert [s.heading_path for s in result.sections] == [
        ("receipt", "page 1"),
        ("receipt", "page 2"),
    ]


def test_a_page_without_text_is_left_out_and_a_file_without_any_needs_ocr() -> None:
    result = pdf.parse_pdf(
        make_pdf([["A Title Long Enough To Count"], [], ["Last page."]]), "x.pdf"
    )
    assert [s.source.page for s in result.sections] == [1, 3]
    with pytest.raises(ParseError, match=r"no extractable text .*OCR"):
        pdf.parse_pdf(make_pdf([[], []]), "scan.pdf")


def test_a_page_that_fails_to_extract_is_skipped_and_noted() -> None:
    data = make_pdf([["A Title Long Enough To Count"], ["Broken page here"], ["Fine page."]])
    # An unterminated string in page 2's content stream, at the same length.
    broken = data.replace(b"(Broken page here) Tj", b"(Broken page here  Tj")
    assert broken != data
    result, note = pdf.parse_pdf_with_note(broken, "x.pdf")
    assert [s.source.page for s in result.sections] == [1, 3]
    assert note == "1 of 3 pages could not be read"


def test_a_file_cut_before_its_xref_still_gives_every_page() -> None:
    data = _paper_pdf(title=TITLE)
    result, note = pdf.parse_pdf_with_note(data[: data.index(b"xref")], "x.pdf")
    assert [s.source.page for s in result.sections] == [1, 2, 3]
    assert note is not None and "cut short" in note
    assert result.papers[0].title == TITLE


def test_a_file_cut_inside_its_last_page_keeps_the_pages_before() -> None:
    data = _paper_pdf()
    cut = data.index(b"It works on ImageNet.")
    result, note = pdf.parse_pdf_with_note(data[:cut], "x.pdf")
    assert [s.source.page for s in result.sections] == [1, 2]
    assert note == "looks cut short or damaged: read the 2 pages of text that survived"


@pytest.mark.parametrize("fraction", [0.0, 0.002, 0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 0.99])
def test_truncated_files_fail_with_a_sentence_or_read_in_part(fraction: float) -> None:
    data = _paper_pdf(title=TITLE)
    outcome = _parse_or_error(data[: int(len(data) * fraction)])
    if isinstance(outcome, ParseError):
        assert str(outcome).startswith("is not a readable PDF (truncated or damaged)")
    else:
        assert outcome.sections
        assert {s.source.page for s in outcome.sections} <= {1, 2, 3}


def test_every_truncation_point_is_handled() -> None:
    data = _paper_pdf(title=TITLE, author="Ann Author")
    errors = results = 0
    for cut in range(0, len(data), 3):
        outcome = _parse_or_error(data[:cut])
        if isinstance(outcome, ParseError):
            assert "PDF" in str(outcome)
            errors += 1
        else:
            results += 1
    assert errors and results  # early cuts fail, later ones recover pages


def test_randomly_corrupted_files_never_raise_anything_but_parse_error() -> None:
    data = _paper_pdf(title=TITLE, author="Ann Author")
    rng = random.Random(7)
    for _ in range(200):
        damaged = bytearray(data)
        for _ in range(rng.choice([1, 4, 16, 64])):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        outcome = _parse_or_error(bytes(damaged))
        if isinstance(outcome, ParseError):
            assert "PDF" in str(outcome)


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.4\n", b"%PDF-1.7\n" + bytes(range(256)) * 20, b"%PDF-\n%%EOF\n", b"not a pdf at all"],
)
def test_garbage_is_not_a_readable_pdf(data: bytes) -> None:
    with pytest.raises(ParseError, match=r"^is not a readable PDF \(truncated or damaged\)"):
        pdf.parse_pdf(data, "junk.pdf")


def _encrypted(user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(_paper_pdf(title=TITLE))).pages:
        writer.add_page(page)
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_password_protected_pdf_says_so() -> None:
    with pytest.raises(ParseError, match="encrypted PDF that needs a password"):
        pdf.parse_pdf(_encrypted("secret"), "secret.pdf")


def test_an_encrypted_pdf_with_an_empty_password_reads_normally() -> None:
    result = pdf.parse_pdf(_encrypted(""), "restricted.pdf")
    assert [s.source.page for s in result.sections] == [1, 2, 3]


@pytest.mark.skipif(
    importlib.util.find_spec("cryptography") is not None, reason="cryptography decrypts AES"
)
def test_an_aes_pdf_without_the_cryptography_package_says_what_to_install() -> None:
    data = make_pdf([["A Title Long Enough To Count"]], aes_declared=True)
    with pytest.raises(ParseError, match="needs the 'cryptography' package"):
        pdf.parse_pdf(data, "publisher.pdf")


def test_pypdf_warnings_are_silenced_and_its_log_level_restored(
    caplog: pytest.LogCaptureFixture,
) -> None:
    data = _paper_pdf()
    logger = logging.getLogger("pypdf")
    before = logger.level
    with caplog.at_level(logging.DEBUG):
        pdf.parse_pdf_with_note(data[: data.index(b"xref")], "cut.pdf")
        _parse_or_error(data[:100])
    assert not [r for r in caplog.records if r.name.startswith("pypdf")]
    assert logger.level == before


def test_detect_by_magic_bytes_not_by_name() -> None:
    assert pdf.detect(b"%PDF-1.7\n...", Path("paper"))
    assert pdf.detect(b"\xef\xbb\xbf junk %PDF-1.4\n", Path("x.bin"))
    assert pdf.detect("%PDF-1.4", Path("x.pdf"))
    assert not pdf.detect(b"<html>", Path("fake.pdf"))


def test_the_loader_skips_broken_pdfs_with_the_reason(tmp_path: Path) -> None:
    from retrieval.loaders import load_corpus

    data = _paper_pdf(title=TITLE)
    (tmp_path / "good.pdf").write_bytes(data)
    (tmp_path / "cut.pdf").write_bytes(data[:200])
    (tmp_path / "secret.pdf").write_bytes(_encrypted("secret"))
    loaded = load_corpus([tmp_path])
    assert [(f.file, f.parser, f.sections) for f in loaded.files] == [("good.pdf", "pdf", 3)]
    reasons = {s.file: s.reason for s in loaded.skipped}
    assert reasons["cut.pdf"].startswith("is not a readable PDF (truncated or damaged)")
    assert "encrypted" in reasons["secret.pdf"]
