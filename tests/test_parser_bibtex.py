"""The BibTeX parser: clean fields from real-world entries, and broken files that still load."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.parsers import ParseError, bibtex
from retrieval.records import Paper

GOOD = r"""% My references, exported by hand.
@string{nips = {Advances in Neural Information Processing Systems}}
@comment{ @article{commented, title = {Never Read}} }
@preamble{"\newcommand{\noop}[1]{}"}

@inproceedings{srinivas2019,
  title     = {Full-{G}radient Representation for Neural Network Visualization},
  author    = {Srinivas, Suraj and Fleuret, Fran{\c{c}}ois},
  booktitle = nips # " 32",
  year      = {2019},
  abstract  = {We introduce {\"o}ne new tool for {\'e}t{\'e} and
               show   it works.},
  keywords  = {saliency; interpretability, gradients},
  doi       = {10.5555/3454287.3454649}
}

@article{frankle2019,
  title = "The Lottery {Ticket} Hypothesis",
  author = {Jonathan Frankle and Michael Carbin and others},
  journal = {ICLR},
  year = 2019,
  url = {https://openreview.net/forum?id=rJl-b3RcF7}
}

@misc{vonneumann,
  TITLE = {{T}heory of {S}elf-{R}eproducing {A}utomata},
  AUTHOR = {von Neumann, John and Burks, Jr., Arthur and {Google Research}},
  DATE = {1966-01-01},
  eprint = {2101.00001}, archivePrefix = {arXiv}
}
"""


def _papers(text: str) -> dict[str, Paper]:
    return {p.title: p for p in bibtex.parse(text, "refs.bib").papers}


def test_a_good_file_gives_clean_titles_authors_venues_and_links() -> None:
    read = bibtex.read(GOOD, "refs.bib")
    assert read.failed == 0
    assert read.keys == ("srinivas2019", "frankle2019", "vonneumann")
    full, lottery, automata = read.result.papers

    assert full.title == "Full-Gradient Representation for Neural Network Visualization"
    assert full.authors == ("Suraj Srinivas", "François Fleuret")
    assert full.venue == "Advances in Neural Information Processing Systems 32"  # macro # text
    assert full.year == 2019
    assert full.abstract == "We introduce öne new tool for été and show it works."
    assert full.keywords == ("saliency", "interpretability", "gradients")
    assert [(link.label, link.url) for link in full.links] == [
        ("doi", "https://doi.org/10.5555/3454287.3454649")
    ]

    assert lottery.title == "The Lottery Ticket Hypothesis"
    assert lottery.authors == ("Jonathan Frankle", "Michael Carbin")  # 'and others' dropped
    assert lottery.venue == "ICLR" and lottery.year == 2019 and lottery.abstract is None
    assert lottery.links[0].url == "https://openreview.net/forum?id=rJl-b3RcF7"

    assert automata.title == "Theory of Self-Reproducing Automata"  # upper-case field names
    assert automata.authors == ("John von Neumann", "Arthur Burks Jr.", "Google Research")
    assert automata.year == 1966  # from biblatex's date
    assert automata.venue == "arXiv"
    assert automata.links[0].url == "https://arxiv.org/abs/2101.00001"


def test_each_paper_points_at_the_line_its_entry_starts_on() -> None:
    # Counted by hand (grep -n '^@' on GOOD): lines 6, 17 and 25.
    lines = {p.title: p.sources[0].line for p in bibtex.parse(GOOD, "refs.bib").papers}
    assert sorted(lines.values()) == [6, 17, 25]
    assert {p.sources[0].file for p in bibtex.parse(GOOD, "refs.bib").papers} == {"refs.bib"}
    assert GOOD.split("\n")[lines["The Lottery Ticket Hypothesis"] - 1] == "@article{frankle2019,"


def test_string_comment_and_preamble_blocks_are_neither_papers_nor_failures() -> None:
    read = bibtex.read(GOOD, "refs.bib")
    assert "Never Read" not in {p.title for p in read.result.papers}
    assert len(read.result.papers) == 3 and read.failed == 0


BROKEN = r"""
@article{good1, title = {First Good Paper}, year = {2020}}

@article{unbalanced,
  title = {Unbalanced {braces in the title,
  year = {2020}
}

@article{notitle, author = {Doe, Jane}, year = {2021}}

@inproceedings{good2,
  title = {Second Good Paper},
  booktitle = {ICML},
  year = {2021}
}

@article{good1, title = {Same Key, Different Paper}, year = {2022}}
"""


def test_broken_entries_are_skipped_and_counted_and_the_rest_loads() -> None:
    result, failed = bibtex.parse_with_failures(BROKEN, "refs.bib")
    assert [p.title for p in result.papers] == [
        "First Good Paper",
        "Second Good Paper",
        "Same Key, Different Paper",
    ]
    assert failed == 2  # the unbalanced entry and the one without a title
    assert [p.sources[0].line for p in result.papers] == [2, 11, 17]


def test_a_repeated_key_is_a_second_paper_not_an_error() -> None:
    read = bibtex.read(BROKEN, "refs.bib")
    assert read.keys.count("good1") == 2
    titles = dict(zip([p.title for p in read.result.papers], read.keys, strict=True))
    assert titles["Same Key, Different Paper"] == "good1"


def test_crossref_supplies_venue_and_year() -> None:
    text = """
@proceedings{icml2021, title = {Proceedings of ICML 2021}, year = {2021}}
@inproceedings{child, title = {A Child Paper}, crossref = {icml2021}}
"""
    child = _papers(text)["A Child Paper"]
    assert child.venue == "Proceedings of ICML 2021" and child.year == 2021


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n",
        "just prose, no entries at all",
        "% only a comment\n@comment{nothing here}\n@string{a = {b}}\n",
    ],
)
def test_a_file_without_entries_is_an_error(text: str) -> None:
    with pytest.raises(ParseError, match="has no readable BibTeX entries"):
        bibtex.parse(text, "empty.bib")


def test_a_file_where_every_entry_is_broken_says_how_many() -> None:
    text = "@article{a, title = {never closed\n\n@article{b, author = {No Title}}\n"
    with pytest.raises(ParseError, match=r"no readable BibTeX entries \(2 could not be read"):
        bibtex.parse(text, "bad.bib")


def test_the_loader_reports_the_skipped_entries(tmp_path: Path) -> None:
    from retrieval.loaders import load_corpus

    (tmp_path / "refs.bib").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "empty.bib").write_text("% nothing\n", encoding="utf-8")
    loaded = load_corpus([tmp_path])
    [refs] = loaded.files
    assert refs.papers == 3
    assert refs.note is not None and "2" in refs.note
    [skipped] = loaded.skipped
    assert skipped.file == "empty.bib" and "no readable BibTeX entries" in skipped.reason


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("Srinivas, Suraj and Fleuret, Fran{\\c{c}}ois", ["Suraj Srinivas", "François Fleuret"]),
        ("Jonathan Frankle and Michael Carbin", ["Jonathan Frankle", "Michael Carbin"]),
        ('{Barnes and Noble} and Sch{\\"o}lkopf, B.', ["Barnes and Noble", "B. Schölkopf"]),
        ("de la Cruz, Ana and others", ["Ana de la Cruz"]),
        ("", []),
    ],
)
def test_author_lists_become_first_last_names(raw: str, names: list[str]) -> None:
    assert bibtex.split_authors(raw) == names


def test_detect_claims_bib_files() -> None:
    assert bibtex.detect("", Path("refs.bib"))
    assert bibtex.detect("", Path("REFS.BIB"))
    assert not bibtex.detect("@article{x, title={y}}", Path("refs.txt"))


def test_entries_carry_their_own_citation_keys() -> None:
    from retrieval.parsers import bibtex as bib

    result = bib.parse(
        "@article{frankle2019lottery, title={The Lottery Ticket Hypothesis}, year=2019}", "r.bib"
    )
    assert result.papers[0].bibkey_hint == "frankle2019lottery"
