"""What the fuzz tests share: the sample corpus as text and bytes, hypothesis settings,
generators of junk (Markdown and BibTeX token soup, random entries, a good PDF to cut),
a time limit for parsers that must stay linear, and the checks every outcome must pass
(a `ParseResult`, a `ParseError` with a sentence, or a `Skipped` with a reason).
"""

from __future__ import annotations

import contextlib
import signal
import string
from collections.abc import Iterator
from pathlib import Path
from types import FrameType, ModuleType

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from retrieval.loaders import LoadedFile, load_file
from retrieval.parsers import (
    ParseError,
    awesome_list,
    bibtex,
    cv,
    daily_feed,
    markdown,
    plaintext,
    publication_page,
    research_statement,
)
from retrieval.records import Paper, ParseResult, Section, Skipped
from tests.pdf_factory import make_pdf

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SAMPLES = sorted(p.name for p in CORPUS.iterdir() if p.is_file() and not p.name.startswith("."))
SAMPLE_TEXT = {name: (CORPUS / name).read_text(encoding="utf-8") for name in SAMPLES}

TEXT_PARSERS: tuple[ModuleType, ...] = (
    awesome_list,
    daily_feed,
    publication_page,
    research_statement,
    cv,
    markdown,
    plaintext,
    bibtex,
)
# The loader's message when a parser raised something other than ParseError: a bug.
PARSER_BUG = "please report this"
HUGE = 200_000

BASE = settings(
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)


def fuzz(examples: int) -> settings:
    """Fast settings with `examples` examples: no deadline, no health check on slow data."""
    return settings(BASE, max_examples=examples)


GOOD_PDF = make_pdf(
    [
        [
            "Sharpness Aware Minimization Finds Flat Minima",
            "Ann Author, Bob Author",
            "Abstract",
            "We study flat minima of over-parameterized networks.",
            "1 Introduction",
        ],
        ["Second page about implicit regularization and double descent."],
        ["Third page on neural collapse."],
    ],
    title="Sharpness Aware Minimization Finds Flat Minima",
    author="Ann Author; Bob Author",
)


class TooSlow(BaseException):
    """Raised by the alarm; a BaseException so the loader's `except Exception` lets it out."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block (regex matching included) after `seconds` of wall time."""

    def _alarm(signum: int, frame: FrameType | None) -> None:
        raise TooSlow

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def within(seconds: float, what: str) -> contextlib.AbstractContextManager[None]:
    """A time limit that fails the test with a sentence instead of an alarm traceback."""

    @contextlib.contextmanager
    def guard() -> Iterator[None]:
        try:
            with time_limit(seconds):
                yield
        except TooSlow:
            pytest.fail(f"{what} took more than {seconds:g} s (super-linear on this input)")

    return guard()


def check_result(result: ParseResult, file: str) -> None:
    """A parse result is well formed: papers with titles, sources in this file."""
    assert isinstance(result, ParseResult)
    for paper in result.papers:
        assert isinstance(paper, Paper)
        assert isinstance(paper.title, str) and paper.title.strip()
        assert paper.id.startswith("p")
        for source in paper.sources:
            assert source.file == file and source.line >= 1
    for section in result.sections:
        assert isinstance(section, Section)
        assert isinstance(section.text, str)
        assert section.source.file == file and section.source.line >= 1


def parse_or_refuse(module: ModuleType, text: str, file: str = "fuzz.md") -> ParseResult | None:
    """Run one text parser: a well-formed result, or None for a ParseError; nothing else."""
    try:
        result = module.parse(text, file)
    except ParseError as exc:
        assert str(exc).strip(), f"{module.NAME} raised a ParseError with no message"
        return None
    check_result(result, file)
    return result


def check_loaded(outcome: LoadedFile | Skipped, name: str) -> None:
    """The loader's verdict on one file: loaded, or skipped with a reason that is not a bug."""
    if isinstance(outcome, Skipped):
        assert outcome.file == name
        assert outcome.reason.strip(), "a skipped file must say why"
        assert PARSER_BUG not in outcome.reason, f"parser crashed: {outcome.reason}"
    else:
        assert isinstance(outcome, LoadedFile)
        assert outcome.papers or outcome.sections
        check_result(outcome.result, name)


def load_one(directory: Path, name: str, data: bytes) -> LoadedFile | Skipped:
    path = directory / name
    path.write_bytes(data)
    return load_file(path, name)


parsers = st.sampled_from(TEXT_PARSERS)
sample_names = st.sampled_from(SAMPLES)

# Pieces of the formats the parsers look for, so soup reaches past their first checks.
MARKUP_TOKENS = [
    "\n",
    "\n\n",
    " ",
    "  ",
    "    ",
    "\t",
    "# ",
    "## ",
    "### ",
    "####### ",
    "#",
    "---",
    "===",
    "~~~",
    "```",
    "- ",
    "* ",
    "**",
    "*",
    "__",
    "_",
    "[",
    "](",
    ")",
    "(",
    "<sup>",
    "</sup>",
    "<b>",
    "\\*",
    '"',
    "“",
    "”",
    ",",
    ". ",
    ": ",
    ";",
    "2019",
    "(2020)",
    "2021a",
    "et al.",
    " and ",
    "Srinivas",
    "Fleuret, F.",
    "Research Statement",
    "# Research Statement",
    "## References",
    "## Bibliography",
    "## Selected Publications",
    "## Education",
    "Code: [code](https://x.org/y)",
    "  \u2022 ",
    "    \u2022 ",
    "\u2022 Key Word: ",
    "\u2022 Digest ",
    "Neural Collapse: 2023",
    "[paper]",
    "[code]",
    "ICML 2023",
    "Daily Papers",
    "Get trending papers in your email inbox!",
    "Aug 6",
    "Authored Publications",
    "Sort By",
    "Preview abstract",
    "View details",
    "(to appear)",
    "Research Areas",
    "ABSTRACT",
    "Title",
    "é",
    "\u200b",
    "\x0c",
    "\r",
    "\r\n",
    "x" * 301,
]
markup_soup = st.lists(st.sampled_from(MARKUP_TOKENS), max_size=120).map("".join)

BIB_TOKENS = [
    "@",
    "@article",
    "@inproceedings",
    "@misc",
    "@string",
    "@comment",
    "@preamble",
    "@set",
    "@xdata",
    "@",
    "{",
    "{",
    "}",
    "}",
    "(",
    ")",
    ",",
    "=",
    '"',
    "#",
    " ",
    "\n",
    "key",
    "key2",
    "title",
    "author",
    "year",
    "date",
    "booktitle",
    "journal",
    "crossref",
    "keywords",
    "abstract",
    "doi",
    "url",
    "eprint",
    "archiveprefix",
    "howpublished",
    " and ",
    "others",
    "Srinivas, Suraj",
    '{\\"o}',
    "\\c{c}",
    "\\url{",
    "$x^2$",
    "\\",
    "nips",
    "2019",
    "arXiv",
    "https://doi.org/10.1/x",
    "%",
]
bib_soup = st.lists(st.sampled_from(BIB_TOKENS), max_size=100).map("".join)
FIELDS = ["title", "author", "year", "booktitle", "journal", "crossref", "abstract", "doi", "url"]
braces = st.text(alphabet="{}", max_size=6)
bib_entry = st.builds(
    lambda kind, key, fields: (
        f"@{kind}{{{key},\n"
        + "".join(f"  {name} = {{{value}}}{extra},\n" for name, value, extra in fields)
        + "}\n"
    ),
    st.sampled_from(["article", "inproceedings", "misc", "book", "string", "weird"]),
    st.text(alphabet=string.ascii_letters + string.digits + ":_-{}", max_size=12),
    st.lists(
        st.tuples(
            st.sampled_from(FIELDS),
            st.text(alphabet=string.ascii_letters + " {}\\\"'@,=#", max_size=30),
            braces,
        ),
        max_size=5,
    ),
)
bib_file = st.lists(st.one_of(bib_entry, bib_soup), min_size=1, max_size=6).map("\n".join)
