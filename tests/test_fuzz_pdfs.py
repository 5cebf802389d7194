"""Property tests on PDFs: cut at random offsets, mutated byte by byte, or random bytes
under a .pdf name; the outcome is a `ParseResult`, a `ParseError` with a sentence, or,
through the loader, a `Skipped` with a reason, never a crash."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from retrieval.parsers import (
    ParseError,
    pdf,
)
from retrieval.records import Skipped
from tests.fuzz_strategies import (
    GOOD_PDF,
    check_loaded,
    check_result,
    fuzz,
    load_one,
)


@fuzz(200)
@given(cut=st.integers(0, len(GOOD_PDF)))
def test_pdf_cut_at_random_offsets(cut: int) -> None:
    """A PDF cut short anywhere gives its surviving pages (with a note) or a ParseError;
    through the loader it is loaded or skipped with a reason, never a traceback."""
    data = GOOD_PDF[:cut]
    if data.startswith(pdf.MAGIC):
        try:
            result, note = pdf.parse_pdf_with_note(data, "cut.pdf")
        except ParseError as exc:
            assert "PDF" in str(exc)
        else:
            check_result(result, "cut.pdf")
            assert result.sections
            assert note is None or note.strip()
    with tempfile.TemporaryDirectory() as tmp:
        check_loaded(load_one(Path(tmp), "cut.pdf", data), "cut.pdf")


@fuzz(200)
@given(
    edits=st.lists(
        st.tuples(st.integers(0, len(GOOD_PDF) - 1), st.binary(max_size=8), st.integers(0, 8)),
        min_size=1,
        max_size=6,
    )
)
def test_pdf_with_random_byte_edits(edits: list[tuple[int, bytes, int]]) -> None:
    """A valid PDF with bytes overwritten, inserted or deleted at random places (broken
    xref, dictionaries, streams) is read in part or refused with a ParseError."""
    data = bytearray(GOOD_PDF)
    for position, insert, delete in edits:
        data[position : position + delete] = insert
    try:
        result, _ = pdf.parse_pdf_with_note(bytes(data), "edited.pdf")
    except ParseError as exc:
        assert str(exc).strip()
    else:
        check_result(result, "edited.pdf")


@fuzz(150)
@given(
    data=st.binary(max_size=4000),
    header=st.sampled_from([b"", b"%PDF-", b"%PDF-1.4\n", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"]),
    name=st.sampled_from(["random.pdf", "RANDOM.PDF", "random.txt", "random"]),
)
def test_random_bytes_with_a_pdf_name(data: bytes, header: bytes, name: str) -> None:
    """Random bytes named .pdf (with or without a PDF header) are skipped with a reason
    by the loader, and refused with a ParseError by the PDF parser."""
    blob = header + data
    if blob.startswith(pdf.MAGIC):
        try:
            result, _ = pdf.parse_pdf_with_note(blob, name)
        except ParseError:
            pass
        else:
            check_result(result, name)
    with tempfile.TemporaryDirectory() as tmp:
        outcome = load_one(Path(tmp), name, blob)
    check_loaded(outcome, name)
    if name.lower().endswith(".pdf") and not blob.startswith(pdf.MAGIC) and blob.strip():
        assert isinstance(outcome, Skipped) and "PDF" in outcome.reason
