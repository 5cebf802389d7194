"""The generic Markdown parser: headings, code fences, setext, line endings, and size."""

from __future__ import annotations

import time
from pathlib import Path

from retrieval.parsers import markdown

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _outline(text: str, file: str = "notes.md") -> list[tuple[tuple[str, ...], int]]:
    return [(s.heading_path, s.source.line) for s in markdown.parse(text, file).sections]


def test_sections_follow_headings_with_their_paths_and_heading_lines() -> None:
    text = (
        "Intro before any heading.\n"  # 1
        "\n"
        "# Methods #\n"  # 3: closing hashes are not part of the title
        "We prune.\n"
        "## Data\n"  # 5
        "ImageNet.\n"
        "### Splits\n"  # 7
        "Train and test.\n"
        "## Models\n"  # 9: back up one level
        "ResNets.\n"
        "# Results\n"  # 11
        "It works.\n"
    )
    assert _outline(text) == [
        (("notes",), 1),
        (("Methods",), 3),
        (("Methods", "Data"), 5),
        (("Methods", "Data", "Splits"), 7),
        (("Methods", "Models"), 9),
        (("Results",), 11),
    ]
    sections = markdown.parse(text, "notes.md").sections
    assert [s.text for s in sections[:2]] == ["Intro before any heading.", "We prune."]
    assert {s.kind for s in sections} == {"document"}


def test_empty_sections_are_dropped_but_their_headings_stay_in_the_path() -> None:
    text = "# Part\n\n## Empty\n\n### Leaf\nLeaf text.\n# After\n\n\n"
    assert _outline(text) == [(("Part", "Empty", "Leaf"), 5)]


def test_hashes_inside_code_fences_are_not_headings() -> None:
    text = (
        "# Setup\n"  # 1
        "```bash\n"
        "# install it\n"
        "pip install a*b*c\n"
        "```\n"
        "~~~~\n"  # 6: a tilde fence is closed only by tildes, at least as many
        "```\n"
        "# still code\n"
        "~~~\n"
        "# still code too\n"
        "~~~~\n"  # 11: closes
        "# Usage\n"  # 12
        "Run it.\n"
    )
    result = markdown.parse(text, "notes.md")
    assert [(s.heading_path, s.source.line) for s in result.sections] == [
        (("Setup",), 1),
        (("Usage",), 12),
    ]
    setup = result.sections[0].text
    assert "# install it" in setup and "# still code too" in setup
    assert "pip install a*b*c" in setup  # code keeps its asterisks


def test_an_unclosed_fence_runs_to_the_end_of_the_file() -> None:
    text = "# Notes\n```\n# not a heading\n## nor this\n"
    result = markdown.parse(text, "notes.md")
    assert [s.heading_path for s in result.sections] == [("Notes",)]
    assert "## nor this" in result.sections[0].text


def test_setext_headings_and_what_is_not_one() -> None:
    text = (
        "Title\n"  # 1
        "=====\n"
        "Intro.\n"
        "\n"
        "Part A\n"  # 5
        "------\n"
        "Text A.\n"
        "\n"
        "---\n"  # 9: after a blank line this is a rule, not an underline
        "- a list item\n"
        "---\n"  # 11: a list item is not heading text
        "More A.\n"
    )
    result = markdown.parse(text, "notes.md")
    assert [(s.heading_path, s.source.line) for s in result.sections] == [
        (("Title",), 1),
        (("Title", "Part A"), 5),
    ]
    assert "More A." in result.sections[1].text


def test_front_matter_is_skipped_and_line_numbers_still_count_it() -> None:
    text = "---\ntitle: My notes\ntags: [ml]\n---\n# Heading\nBody.\n"
    result = markdown.parse(text, "notes.md")
    assert [(s.heading_path, s.source.line, s.text) for s in result.sections] == [
        (("Heading",), 5, "Body.")
    ]
    # Two rules around prose are not front matter: the prose is kept.
    ruled = markdown.parse("---\nA note to self.\n\n---\n# Heading\nBody.\n", "notes.md")
    assert ruled.sections[0].heading_path == ("notes",)
    assert "A note to self." in ruled.sections[0].text


def test_inline_markup_is_removed_from_headings_and_text() -> None:
    text = "# **Bold** [Title](https://x.org)\nSee **this** and [that](https://y.org).\n"
    section = markdown.parse(text, "notes.md").sections[0]
    assert section.heading_path == ("Bold Title",)
    assert section.text == "See this and that."


def test_crlf_and_cr_line_endings_read_like_lf() -> None:
    text = "Intro\n\n# A\nbody a\n\nSub\n---\nbody b\n```\n# code\n```\n"
    expected = [
        (s.heading_path, s.text, s.source.line) for s in markdown.parse(text, "n.md").sections
    ]
    for ending in ("\r\n", "\r"):
        got = markdown.parse(text.replace("\n", ending), "n.md").sections
        assert [(s.heading_path, s.text, s.source.line) for s in got] == expected
        assert not any("\r" in s.text for s in got)
    assert [h for h, _, _ in expected] == [("n",), ("A",), ("A", "Sub")]


def test_ten_thousand_headings_in_linear_time() -> None:
    text = "\n".join(f"{'#' * (i % 6 + 1)} H{i}\nbody {i}" for i in range(10_000))
    started = time.perf_counter()
    result = markdown.parse(text, "big.md")
    elapsed = time.perf_counter() - started
    assert len(result.sections) == 10_000
    assert result.sections[5].heading_path == ("H0", "H1", "H2", "H3", "H4", "H5")
    assert result.sections[6].heading_path == ("H6",)
    assert result.sections[9_999].source.line == 19_999
    assert elapsed < 5  # about 0.1 s; a quadratic walk would take minutes


def test_fifty_levels_of_hashes_stop_at_six() -> None:
    text = "\n".join(f"{'#' * level} Level {level}\ntext {level}" for level in range(1, 51))
    result = markdown.parse(text, "deep.md")
    paths = list(dict.fromkeys(s.heading_path for s in result.sections))
    assert [len(p) for p in paths] == [1, 2, 3, 4, 5, 6]
    # Seven or more hashes is text, kept (in pieces of bounded size) under the sixth level.
    deepest = "\n".join(s.text for s in result.sections if s.heading_path == paths[-1])
    assert "####### Level 7" in deepest and "text 50" in deepest


def test_a_five_megabyte_line_becomes_many_bounded_sections() -> None:
    words = 1_000_000
    text = "# Dump\n" + "word " * words
    started = time.perf_counter()
    result = markdown.parse(text, "dump.md")
    elapsed = time.perf_counter() - started
    assert len(result.sections) > 2000
    assert all(len(s.text) <= markdown.MAX_SECTION_CHARS for s in result.sections)
    assert result.sections[0].source.line == 1  # the heading's line
    assert {s.source.line for s in result.sections[1:]} == {2}
    assert sum(s.text.count("word") for s in result.sections) == words  # no word lost or cut
    assert elapsed < 10


def test_the_sample_research_statement_read_as_plain_markdown() -> None:
    # research-statement.md has 8 headings (grep -n '^#'); the one on line 39 has only a
    # blank line under it, so it names no section of its own.
    result = markdown.parse((CORPUS / "research-statement.md").read_text(), "rs.md")
    first_line: dict[tuple[str, ...], int] = {}
    for section in result.sections:
        first_line.setdefault(section.heading_path, section.source.line)
    rs, fw = "Research Statement", "Future Work"
    assert first_line == {
        (rs,): 3,
        (rs, "Prior Work"): 13,
        (rs, "Prior Work", "Computationally Efficient Deep Learning"): 17,
        (rs, "Trustworthy Machine Learning"): 23,
        (rs, fw): 35,
        (
            rs,
            fw,
            "Mechanistic Interpretability and Feature Disentanglement",
            "Understanding Memorization and Data Attribution in Generative Models",
        ): 41,
        (rs, "References"): 45,
    }


def test_detect_claims_markdown_files_only() -> None:
    assert markdown.detect("", Path("notes.md"))
    assert markdown.detect("", Path("NOTES.Markdown"))
    assert not markdown.detect("# looks like markdown", Path("notes.txt"))


def test_headings_follow_commonmark_in_lists_quotes_and_long_underlined_paragraphs() -> None:
    text = (
        "- # in a list item\n"  # 1: a list item's heading is no section heading
        "> # in a quote\n"
        "\n"
        "Two line\n"  # 4: a setext heading may span lines; it is named by all of them
        "title\n"
        "===\n"
        "Body.\n"
    )
    result = markdown.parse(text, "notes.md")
    assert [(s.heading_path, s.source.line) for s in result.sections] == [
        (("notes",), 1),
        (("Two line title",), 4),
    ]
    assert result.sections[1].text == "Body."
