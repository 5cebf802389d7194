"""The plain-text parser: heading-like lines, packed paragraphs, line numbers, and size."""

from __future__ import annotations

import time
from pathlib import Path

from retrieval.parsers import plaintext


def _outline(text: str, file: str = "paper.txt") -> list[tuple[tuple[str, ...], int]]:
    return [(s.heading_path, s.source.line) for s in plaintext.parse(text, file).sections]


def test_underlined_overlined_and_caps_headings_nest_by_first_appearance() -> None:
    text = (
        "Preface before any heading.\n"  # 1
        "\n"
        "=========\n"
        "The Guide\n"  # 4: overlined and underlined
        "=========\n"
        "\n"
        "Installing\n"  # 7
        "----------\n"
        "Run the installer.\n"
        "\n"
        "On Linux\n"  # 11
        "~~~~~~~~\n"
        "Use apt.\n"
        "\n"
        "Using\n"  # 15: back to the '-' level
        "-----\n"
        "Call it.\n"
        "\n"
        "APPENDIX\n"  # 19: a caps heading is one more style, the deepest seen so far
        "Extra notes.\n"
    )
    assert _outline(text) == [
        (("paper",), 1),
        (("The Guide", "Installing"), 7),
        (("The Guide", "Installing", "On Linux"), 11),
        (("The Guide", "Using"), 15),
        (("The Guide", "Using", "APPENDIX"), 19),
    ]
    sections = plaintext.parse(text, "paper.txt").sections
    assert [s.text for s in sections] == [
        "Preface before any heading.",
        "Run the installer.",
        "Use apt.",
        "Call it.",
        "Extra notes.",
    ]


def test_heading_like_lines_inside_a_paragraph_stay_text() -> None:
    text = (
        "We tested it\n"
        "NASA AND ESA DATA\n"  # caps, but in the middle of a paragraph
        "and it held.\n"
        "\n"
        "OK\n"  # too short to be a heading
        "\n"
        "The END.\n"  # ends a sentence
        "\n"
        "X = Y + Z\n"  # caps, but mostly symbols
    )
    result = plaintext.parse(text, "notes.txt")
    assert [s.heading_path for s in result.sections] == [("notes",)]
    assert "NASA AND ESA DATA" in result.sections[0].text
    assert "X = Y + Z" in result.sections[0].text


def test_paragraphs_are_packed_and_each_section_names_its_first_line() -> None:
    paragraphs = [f"Paragraph {i}: " + "token " * 70 for i in range(30)]  # ~430 chars each
    text = "\n\n".join(paragraphs)
    lines = text.split("\n")
    sections = plaintext.parse(text, "long.txt").sections
    assert len(sections) > 1
    for section in sections:
        assert len(section.text) <= plaintext.MAX_SECTION_CHARS
        assert section.text.startswith("Paragraph ")  # cut between paragraphs, not inside
        assert lines[section.source.line - 1].rstrip() == section.text.split("\n")[0]
    assert sum(s.text.count("Paragraph ") for s in sections) == 30


def test_a_long_paragraph_is_cut_between_lines_with_the_right_line_numbers() -> None:
    lines = [f"line {n:05d} " + "x" * 40 for n in range(1, 2001)]  # one 100 KB paragraph
    sections = plaintext.parse("\n".join(lines), "one-paragraph.txt").sections
    assert len(sections) > 40
    for section in sections:
        first = section.text.split("\n")[0]
        assert first == lines[section.source.line - 1]
    assert sum(s.text.count("\n") + 1 for s in sections) == 2000


def test_a_five_megabyte_single_line_becomes_many_bounded_sections() -> None:
    words = 1_000_000
    started = time.perf_counter()
    result = plaintext.parse("word " * words, "huge.txt")  # one 5 MB line
    elapsed = time.perf_counter() - started
    assert len(result.sections) >= 2500  # 5 MB / 2,000 characters
    assert all(len(s.text) <= plaintext.MAX_SECTION_CHARS for s in result.sections)
    assert {s.source.line for s in result.sections} == {1}
    assert all(set(s.text.split()) == {"word"} for s in result.sections)  # cut at spaces
    assert sum(len(s.text.split()) for s in result.sections) == words
    assert elapsed < 10


def test_a_line_without_spaces_is_cut_anyway_and_nothing_is_lost() -> None:
    result = plaintext.parse("x" * 1_000_001, "blob.txt")
    assert all(len(s.text) <= plaintext.MAX_SECTION_CHARS for s in result.sections)
    assert sum(len(s.text) for s in result.sections) == 1_000_001


def test_ten_thousand_headings() -> None:
    text = "\n\n".join(f"Heading {i}\n{'-' * 10}\nbody {i}" for i in range(10_000))
    started = time.perf_counter()
    result = plaintext.parse(text, "many.txt")
    elapsed = time.perf_counter() - started
    assert len(result.sections) == 10_000
    assert result.sections[-1].heading_path == ("Heading 9999",)
    assert result.sections[-1].source.line == 4 * 9_999 + 1
    assert elapsed < 5


def test_crlf_and_cr_line_endings_read_like_lf() -> None:
    text = "Intro line.\n\nResults\n=======\nIt works.\n\nMETHODS\nWe prune.\n"
    sections = plaintext.parse(text, "a.txt").sections
    expected = [(s.heading_path, s.text, s.source.line) for s in sections]
    assert expected[1:] == [
        (("Results",), "It works.", 3),
        (("Results", "METHODS"), "We prune.", 7),
    ]
    for ending in ("\r\n", "\r"):
        got = plaintext.parse(text.replace("\n", ending), "a.txt").sections
        assert [(s.heading_path, s.text, s.source.line) for s in got] == expected


def test_blank_and_empty_text_give_no_sections() -> None:
    assert plaintext.parse("", "empty.txt").sections == []
    assert plaintext.parse("\n\n   \n", "blank.txt").sections == []
    assert plaintext.parse("TITLE ONLY\n=========\n", "t.txt").sections == []


def test_detect_by_extension_or_by_text_content() -> None:
    for name in ("a.txt", "a.TEXT", "a.rst"):
        assert plaintext.detect("", Path(name))
    assert plaintext.detect("Some notes\nabout pruning.\n", Path("README"))
    assert not plaintext.detect("\x01\x02\x03\x04binary\x05\x06\x07", Path("blob"))
    assert not plaintext.detect("# notes", Path("notes.md"))
