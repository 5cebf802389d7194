"""Property tests: no input, however broken, crashes a parser or stops a batch load.

Every parser is fed random Unicode, random bytes decoded leniently, truncated copies of
the sample corpus, Markdown/BibTeX token soup, huge lines and deeply nested headings;
PDFs are cut at random offsets and mutated. The outcome must always be a `ParseResult`
(possibly empty) or a `ParseError` with a sentence; through the loader, a bad file is a
`Skipped` with a reason and the good files beside it still load. Queries that cannot be
searched raise one `RetrievalError`.

The `test_bug_*` tests are the five bugs this fuzzing found, kept as regression tests
(each failed before its fix): four regexes that took quadratic time on long runs and
hung the loader, and bibkey suffixes that ran out after 702 papers sharing a key stem.
Nothing here loads the embedding model or starts a server.
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import string
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from types import FrameType, ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.errors import UserError
from assistant.request import RequestReader
from retrieval.catalog import build_catalog
from retrieval.errors import RetrievalError
from retrieval.loaders import LoadedFile, load_corpus, load_file
from retrieval.parsers import (
    ParseError,
    awesome_list,
    bibtex,
    cv,
    daily_feed,
    markdown,
    pdf,
    plaintext,
    publication_page,
    research_statement,
)
from retrieval.query import MAX_QUERY_CHARS, check_query
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


# --- helpers -----------------------------------------------------------------------------


class _TooSlow(BaseException):
    """Raised by the alarm; a BaseException so the loader's `except Exception` lets it out."""


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block (regex matching included) after `seconds` of wall time."""

    def _alarm(signum: int, frame: FrameType | None) -> None:
        raise _TooSlow

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _within(seconds: float, what: str) -> contextlib.AbstractContextManager[None]:
    """A time limit that fails the test with a sentence instead of an alarm traceback."""

    @contextlib.contextmanager
    def guard() -> Iterator[None]:
        try:
            with _time_limit(seconds):
                yield
        except _TooSlow:
            pytest.fail(f"{what} took more than {seconds:g} s (super-linear on this input)")

    return guard()


def _check_result(result: ParseResult, file: str) -> None:
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


def _parse_or_refuse(module: ModuleType, text: str, file: str = "fuzz.md") -> ParseResult | None:
    """Run one text parser: a well-formed result, or None for a ParseError; nothing else."""
    try:
        result = module.parse(text, file)
    except ParseError as exc:
        assert str(exc).strip(), f"{module.NAME} raised a ParseError with no message"
        return None
    _check_result(result, file)
    return result


def _check_loaded(outcome: LoadedFile | Skipped, name: str) -> None:
    """The loader's verdict on one file: loaded, or skipped with a reason that is not a bug."""
    if isinstance(outcome, Skipped):
        assert outcome.file == name
        assert outcome.reason.strip(), "a skipped file must say why"
        assert PARSER_BUG not in outcome.reason, f"parser crashed: {outcome.reason}"
    else:
        assert isinstance(outcome, LoadedFile)
        assert outcome.papers or outcome.sections
        _check_result(outcome.result, name)


def _load_one(directory: Path, name: str, data: bytes) -> LoadedFile | Skipped:
    path = directory / name
    path.write_bytes(data)
    return load_file(path, name)


# --- strategies ----------------------------------------------------------------------------

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


# --- 1. text parsers on junk ---------------------------------------------------------------


@fuzz(400)
@given(module=parsers, text=st.text(max_size=3000))
def test_text_parsers_survive_random_unicode(module: ModuleType, text: str) -> None:
    """Any Unicode string gives every text parser a result or a ParseError, nothing else."""
    _parse_or_refuse(module, text)


@fuzz(300)
@given(
    module=parsers,
    data=st.binary(max_size=3000),
    codec=st.sampled_from(
        [("utf-8", "replace"), ("utf-8", "surrogateescape"), ("latin-1", "strict")]
    ),
)
def test_text_parsers_survive_random_bytes_decoded_leniently(
    module: ModuleType, data: bytes, codec: tuple[str, str]
) -> None:
    """Random bytes decoded without complaint (replacement chars, lone surrogates, Latin-1)
    never crash a text parser."""
    _parse_or_refuse(module, data.decode(*codec))


@fuzz(200)
@given(module=parsers, name=sample_names, data=st.data())
def test_text_parsers_survive_truncated_samples(
    module: ModuleType, name: str, data: st.DataObject
) -> None:
    """A real sample file cut at any offset (a partial save or download), start or end,
    is read or refused by every text parser, including ones meant for other formats."""
    text = SAMPLE_TEXT[name]
    cut = data.draw(st.integers(0, len(text)), label="cut")
    keep_head = data.draw(st.booleans(), label="keep_head")
    _parse_or_refuse(module, text[:cut] if keep_head else text[cut:], name)


@fuzz(400)
@given(module=parsers, text=markup_soup)
def test_text_parsers_survive_markup_soup(module: ModuleType, text: str) -> None:
    """Random sequences of the very markers the parsers key on (headings, bullets, bold
    leads, reference entries, feed chrome) never crash them."""
    _parse_or_refuse(module, text)


@fuzz(400)
@given(text=st.one_of(bib_soup, bib_file))
def test_bibtex_survives_unbalanced_braces_and_random_entries(text: str) -> None:
    """BibTeX with unbalanced braces, stray '@' entries and broken fields gives papers and a
    count of unreadable entries, or one ParseError; the counts always add up."""
    try:
        got = bibtex.read(text, "refs.bib")
    except ParseError as exc:
        assert "BibTeX" in str(exc)
        return
    _check_result(got.result, "refs.bib")
    # Every entry, read or not, starts with an '@': no failure is counted from nowhere.
    assert 0 <= got.failed <= text.count("@") - len(got.result.papers)
    assert len(got.keys) == len(got.result.papers) >= 1
    parsed, failed = bibtex.parse_with_failures(text, "refs.bib")
    assert failed == got.failed and len(parsed.papers) == len(got.result.papers)


@fuzz(60)
@given(
    module=parsers,
    depth=st.integers(1, 500),
    marker=st.integers(1, 5000),
    title=st.text(alphabet=string.ascii_letters + " #*", max_size=20),
    fenced=st.booleans(),
)
def test_deeply_nested_markdown_headings(
    module: ModuleType, depth: int, marker: int, title: str, fenced: bool
) -> None:
    """500 levels of '#' headings, very long '#######…' markers (with and without a title)
    and unclosed fences parse without recursion and in bounded time."""
    lines = [f"{'#' * level} {title} {level}\ntext under {level}" for level in range(1, depth + 1)]
    lines.append("#" * marker)
    lines.append(f"{'#' * marker} {title}")
    if fenced:
        lines.insert(depth // 2, "```")
    with _within(10, f"{module.NAME} on {depth} nested headings"):
        _parse_or_refuse(module, "\n".join(lines))


# Pieces of a huge line: each ends with a space, so no single word runs for 200k chars.
line_units = st.text(
    alphabet=string.ascii_letters + string.digits + ".,;:*_[]()'\"-#\u2022 ", max_size=15
).map(lambda unit: unit + " ")


@fuzz(8)
@given(unit=line_units, prefix=st.sampled_from(["", "# ", "- 2019 ", "  \u2022 ", "## "]))
def test_huge_single_line_parses_in_linear_time(unit: str, prefix: str) -> None:
    """A 200,000-character line of ordinary words (as a paragraph, heading, CV item or
    list entry) is parsed by every text parser in seconds, not minutes."""
    line = prefix + (unit * (HUGE // len(unit) + 1))[:HUGE]
    for module in TEXT_PARSERS:
        with _within(5, f"{module.NAME} on a {HUGE:,}-character line"):
            _parse_or_refuse(module, line)


# --- 2. PDFs -------------------------------------------------------------------------------


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
            _check_result(result, "cut.pdf")
            assert result.sections
            assert note is None or note.strip()
    with tempfile.TemporaryDirectory() as tmp:
        _check_loaded(_load_one(Path(tmp), "cut.pdf", data), "cut.pdf")


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
        _check_result(result, "edited.pdf")


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
            _check_result(result, name)
    with tempfile.TemporaryDirectory() as tmp:
        outcome = _load_one(Path(tmp), name, blob)
    _check_loaded(outcome, name)
    if name.lower().endswith(".pdf") and not blob.startswith(pdf.MAGIC) and blob.strip():
        assert isinstance(outcome, Skipped) and "PDF" in outcome.reason


# --- 3. loader and catalog: one bad file among good ones -------------------------------------


def _alone(name: str) -> LoadedFile:
    loaded = load_corpus([CORPUS / name])
    assert not loaded.skipped and len(loaded.files) == 1
    return loaded.files[0]


BASELINE = {name: _alone(name) for name in SAMPLES}


SAMPLE_BYTES = {name: (CORPUS / name).read_bytes() for name in SAMPLES}
truncated_samples = st.tuples(sample_names, st.floats(0, 1)).map(
    lambda pick: SAMPLE_BYTES[pick[0]][: int(len(SAMPLE_BYTES[pick[0]]) * pick[1])]
)


bad_payloads = st.one_of(
    st.binary(max_size=3000),
    st.text(max_size=3000).map(lambda t: t.encode("utf-8")),
    st.text(max_size=300).map(lambda t: t.encode("utf-16")),
    markup_soup.map(lambda t: t.encode("utf-8")),
    bib_file.map(lambda t: t.encode("utf-8")),
    st.integers(0, len(GOOD_PDF)).map(lambda cut: GOOD_PDF[:cut]),
    st.just(b"\xef\xbb\xbf" + b"\n" * 50),
    st.just(b"# " + b"#" * 300 + b"\n" + b"x" * 5000),
)


@fuzz(100)
@given(
    good=sample_names,
    bad_name=st.sampled_from(
        ["bad.md", "bad.txt", "bad.bib", "bad.pdf", "bad", "bad.rst", "bad.markdown", "bad.xyz"]
    ),
    payload=st.one_of(bad_payloads, truncated_samples),
)
def test_catalog_keeps_the_good_file_beside_a_bad_one(
    good: str, bad_name: str, payload: bytes
) -> None:
    """build_catalog over a real sample plus one bad file: the sample loads with the same
    parser and papers as on its own, and the bad file is skipped with a reason or loaded
    harmlessly; the batch never stops."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copy(CORPUS / good, root / good)
        (root / bad_name).write_bytes(payload)
        catalog = build_catalog([root])
    by_name = {f.file: f for f in catalog.files}
    assert good in by_name, f"the good file was lost: {catalog.skipped}"
    expected = BASELINE[good]
    assert by_name[good].parser == expected.parser
    assert by_name[good].papers == expected.papers
    ids = {p.id for p in catalog.papers}
    assert {p.id for p in expected.result.papers} <= ids
    assert len({p.bibkey.casefold() for p in catalog.papers}) == len(catalog.papers)
    skipped = {s.file: s.reason for s in catalog.skipped}
    assert set(skipped) | set(by_name) == {good, bad_name}
    assert not (set(skipped) & set(by_name))
    if bad_name in skipped:
        assert skipped[bad_name].strip()
        assert PARSER_BUG not in skipped[bad_name], skipped[bad_name]
    else:
        _check_result(by_name[bad_name].result, bad_name)


@fuzz(150)
@given(
    name=st.sampled_from(["f.md", "f.txt", "f.bib", "f", "f.rst"]),
    text=st.one_of(st.text(max_size=2000), markup_soup, bib_file),
)
def test_loader_never_reports_a_parser_crash(name: str, text: str) -> None:
    """Whatever text a file holds, load_file loads it or skips it with a reason of its own,
    never with the catch-all 'could not be parsed ... please report this'."""
    with tempfile.TemporaryDirectory() as tmp:
        _check_loaded(_load_one(Path(tmp), name, text.encode("utf-8")), name)


# --- 4. queries ----------------------------------------------------------------------------


def _refused(query: str) -> Exception:
    with pytest.raises((RetrievalError, UserError)) as info:
        check_query(query)
    message = str(info.value)
    assert message.strip() and "\n" not in message and len(message) < 300
    return info.value


@pytest.mark.parametrize(
    "query",
    [
        "",
        " ",
        "\t\n\r\x0b\x0c",
        "\u3000\u00a0\u2003",
        " " * 100_000,
        "?",
        "!!!???...",
        "—–-_*#@$%^&()[]{}<>/\\|;:'\",.`~+=",
        "\u00bf\u00a1\u2026\u201c\u201d",
        "the of and to is what",
        "a" * 100_000,
        "deep learning " * 10_000,
    ],
    ids=[
        "empty",
        "space",
        "ascii-whitespace",
        "unicode-whitespace",
        "100k-spaces",
        "question-mark",
        "punctuation-run",
        "all-ascii-punctuation",
        "unicode-punctuation",
        "stopwords-only",
        "100k-letters",
        "100k-words",
    ],
)
def test_check_query_refuses_unsearchable_queries(query: str) -> None:
    """Empty, blank, punctuation-only, stop-word-only and huge (100k) queries each raise
    one short RetrievalError, never another exception."""
    error = _refused(query)
    if len(query.strip()) > MAX_QUERY_CHARS:
        assert f"{MAX_QUERY_CHARS:,}" in str(error)


@fuzz(300)
@given(
    query=st.text(
        alphabet=st.characters(whitelist_categories=("Zs", "Zl", "Zp", "Cc", "P", "S")),
        max_size=500,
    ).filter(lambda q: not any(ch.isalnum() for ch in unicodedata.normalize("NFKD", q)))
)
def test_check_query_refuses_any_punctuation_or_space_only_query(query: str) -> None:
    """Any mix of spaces, controls, punctuation and symbols is refused with a RetrievalError.

    Symbols that decompose to letters ('⒝' is '(b)') are letters, so they are left out.
    """
    _refused(query)


@fuzz(300)
@given(
    query=st.one_of(st.text(max_size=3000), st.text(min_size=1, max_size=3).map(lambda s: s * 800))
)
def test_check_query_accepts_or_refuses_cleanly(query: str) -> None:
    """Any string either comes back stripped and searchable, or raises a RetrievalError."""
    try:
        checked = check_query(query)
    except (RetrievalError, UserError):
        return
    assert checked == query.strip()
    assert 0 < len(checked) <= MAX_QUERY_CHARS


# --- bugs found by the fuzzing, kept as minimal examples -----------------------------------


def test_bug_statement_with_base64_image_loads_in_time(tmp_path: Path) -> None:
    """A research statement embedding a 200k-character base64 image loads in seconds."""
    blob = ("iVBORw0KGgoAAAANSUhEUgAA" * (HUGE // 24 + 1))[:HUGE]
    text = (
        "# Research Statement\n\nAnn Author\n\n## Prior Work\n\n"
        f"Flat minima generalize.\n\n![figure](data:image/png;base64,{blob})\n\n"
        "## References\n\n- Author, A. (2020). A paper title. *ICML*.\n"
    )
    path = tmp_path / "statement.md"
    path.write_text(text)
    with _within(3, "loading a statement with a base64 image"):
        outcome = load_file(path, "statement.md")
    _check_loaded(outcome, "statement.md")


def test_bug_cv_with_long_heading_marker_loads_in_time(tmp_path: Path) -> None:
    """A CV with one '# ####…x' line of 200k characters loads in seconds."""
    text = (
        "# Ann Author\n\n## Education\n\nPhD, 2020\n\n## Selected Publications\n\n"
        '- 2019 Ann Author. "A Paper Title" *ICML*\n\n'
        f"# {'#' * HUGE}x\n"
    )
    path = tmp_path / "cv.md"
    path.write_text(text)
    with _within(3, "loading a CV with a long heading marker"):
        outcome = load_file(path, "cv.md")
    _check_loaded(outcome, "cv.md")


def test_bug_cv_with_unclosed_sup_tags_loads_in_time(tmp_path: Path) -> None:
    """A CV section holding a 200k-character line of unclosed '<sup>' tags loads in seconds."""
    text = (
        "# Ann Author\n\n## Education\n\n"
        + "<sup>" * (HUGE // 5)
        + "\n\n## Selected Publications\n\n"
        '- 2019 Ann Author. "A Paper Title" *ICML*\n'
    )
    path = tmp_path / "cv.md"
    path.write_text(text)
    with _within(3, "loading a CV with unclosed <sup> tags"):
        outcome = load_file(path, "cv.md")
    _check_loaded(outcome, "cv.md")


def test_bug_awesome_list_entry_with_long_space_run_loads_in_time(tmp_path: Path) -> None:
    """An awesome-list entry whose title holds 200k spaces loads in seconds."""
    detail = "    \u2022 Ann Author. ICML 2023\n    \u2022 Key Word: X.\n    \u2022 Digest Y.\n"
    entries = "".join(f"  \u2022 Paper number {i}. [paper]\n{detail}" for i in range(3))
    text = f"Neural Collapse: 2023\n{entries}  \u2022 Long{' ' * HUGE}title. [paper]\n{detail}"
    path = tmp_path / "awesome.txt"
    path.write_text(text)
    with _within(3, "loading an awesome list with a long space run"):
        outcome = load_file(path, "awesome.txt")
    _check_loaded(outcome, "awesome.txt")


def test_bug_catalog_with_703_papers_sharing_a_key_stem(tmp_path: Path) -> None:
    """A feed of 703 author-less, year-less titles starting with the same word does not stop
    build_catalog; the good sample beside it still loads."""
    shutil.copy(CORPUS / "cv.md", tmp_path / "cv.md")
    feed = "Daily Papers\nGet trending papers in your email inbox!\n\n" + "".join(
        f"Learning {i}\nAn abstract.\n\n" for i in range(703)
    )
    (tmp_path / "feed.txt").write_text(feed)
    catalog = build_catalog([tmp_path])
    assert {f.file for f in catalog.files} == {"cv.md", "feed.txt"}
    assert len({p.bibkey for p in catalog.papers}) == len(catalog.papers)


# --- 5. Requests typed by a user ---------------------------------------------------------------

request_pieces = st.lists(
    st.one_of(
        st.text(max_size=40),
        st.sampled_from(
            [
                "reading list on ",
                "skip the ",
                "only from the ",
                "not from ",
                " 2019 or later",
                " between 2018 and ",
                "(a) ",
                ": ",
                ", and ",
                "'",
                '"',
                " for a new student",
                "Abstract: ",
                " 5 papers",
                "IMP",
                "MoE-",
                " related work ",
            ]
        ),
    ),
    max_size=60,
)


@pytest.fixture(scope="module")
def request_reader() -> RequestReader:
    from assistant.catalog_terms import CatalogTerms
    from assistant.request import RequestReader

    return RequestReader(CatalogTerms(build_catalog([Path(__file__).parent.parent / "corpus"])))


@fuzz(200)
@given(pieces=request_pieces)
def test_the_request_reader_survives_anything_typed(request_reader: RequestReader, pieces: list[str]) -> None:
    """Any text up to the query limit reads into a valid request, quickly."""
    text = "".join(pieces)[:MAX_QUERY_CHARS]
    with _within(5, "the request reader"):
        request = request_reader.read_offline(text)
    assert request.n is None or 1 <= request.n <= 50
    assert all(q.strip() for q in request.queries)


def test_the_request_reader_on_a_long_request_full_of_quotes(request_reader: RequestReader) -> None:
    text = ("I'm sure it's 'the' one, isn't it? skip the 'odd' ones, only from the " * 40)[
        :MAX_QUERY_CHARS
    ]
    with _within(5, "the request reader on quotes"):
        request_reader.read_offline(text)
