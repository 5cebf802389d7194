"""Property tests: no input, however broken, crashes a text parser.

Every text parser is fed random Unicode, random bytes decoded leniently, truncated
copies of the sample corpus, Markdown/BibTeX token soup, huge lines and deeply nested
headings. The outcome must always be a `ParseResult` (possibly empty) or a `ParseError`
with a sentence. PDFs are in test_fuzz_pdfs.py, the loader and catalog in
test_fuzz_loader.py, queries and requests in test_fuzz_queries.py; the generators and
checks they share in tests/fuzz_strategies.py.

The `test_bug_*` tests are the five bugs this fuzzing found, kept as regression tests
(each failed before its fix): four regexes that took quadratic time on long runs and
hung the loader, and bibkey suffixes that ran out after 702 papers sharing a key stem.
Nothing here loads the embedding model or starts a server.
"""

from __future__ import annotations

import shutil
import string
from pathlib import Path
from types import ModuleType

from hypothesis import given
from hypothesis import strategies as st

from retrieval.catalog import build_catalog
from retrieval.loaders import load_file
from retrieval.parsers import (
    ParseError,
    bibtex,
)
from tests.fuzz_strategies import (
    CORPUS,
    HUGE,
    SAMPLE_TEXT,
    TEXT_PARSERS,
    bib_file,
    bib_soup,
    check_loaded,
    check_result,
    fuzz,
    markup_soup,
    parse_or_refuse,
    parsers,
    sample_names,
    within,
)


@fuzz(400)
@given(module=parsers, text=st.text(max_size=3000))
def test_text_parsers_survive_random_unicode(module: ModuleType, text: str) -> None:
    """Any Unicode string gives every text parser a result or a ParseError, nothing else."""
    parse_or_refuse(module, text)


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
    parse_or_refuse(module, data.decode(*codec))


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
    parse_or_refuse(module, text[:cut] if keep_head else text[cut:], name)


@fuzz(400)
@given(module=parsers, text=markup_soup)
def test_text_parsers_survive_markup_soup(module: ModuleType, text: str) -> None:
    """Random sequences of the very markers the parsers key on (headings, bullets, bold
    leads, reference entries, feed chrome) never crash them."""
    parse_or_refuse(module, text)


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
    check_result(got.result, "refs.bib")
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
    with within(10, f"{module.NAME} on {depth} nested headings"):
        parse_or_refuse(module, "\n".join(lines))


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
        with within(5, f"{module.NAME} on a {HUGE:,}-character line"):
            parse_or_refuse(module, line)


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
    with within(3, "loading a statement with a base64 image"):
        outcome = load_file(path, "statement.md")
    check_loaded(outcome, "statement.md")


def test_bug_cv_with_long_heading_marker_loads_in_time(tmp_path: Path) -> None:
    """A CV with one '# ####…x' line of 200k characters loads in seconds."""
    text = (
        "# Ann Author\n\n## Education\n\nPhD, 2020\n\n## Selected Publications\n\n"
        '- 2019 Ann Author. "A Paper Title" *ICML*\n\n'
        f"# {'#' * HUGE}x\n"
    )
    path = tmp_path / "cv.md"
    path.write_text(text)
    with within(3, "loading a CV with a long heading marker"):
        outcome = load_file(path, "cv.md")
    check_loaded(outcome, "cv.md")


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
    with within(3, "loading a CV with unclosed <sup> tags"):
        outcome = load_file(path, "cv.md")
    check_loaded(outcome, "cv.md")


def test_bug_awesome_list_entry_with_long_space_run_loads_in_time(tmp_path: Path) -> None:
    """An awesome-list entry whose title holds 200k spaces loads in seconds."""
    detail = "    \u2022 Ann Author. ICML 2023\n    \u2022 Key Word: X.\n    \u2022 Digest Y.\n"
    entries = "".join(f"  \u2022 Paper number {i}. [paper]\n{detail}" for i in range(3))
    text = f"Neural Collapse: 2023\n{entries}  \u2022 Long{' ' * HUGE}title. [paper]\n{detail}"
    path = tmp_path / "awesome.txt"
    path.write_text(text)
    with within(3, "loading an awesome list with a long space run"):
        outcome = load_file(path, "awesome.txt")
    check_loaded(outcome, "awesome.txt")


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
