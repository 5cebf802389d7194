"""Property tests on what a user types: queries that cannot be searched raise one
`RetrievalError` (or `UserError`) with a sentence, any other is accepted; the request
reader survives anything typed, in time."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.errors import UserError
from assistant.request import RequestReader
from retrieval.catalog import build_catalog
from retrieval.errors import RetrievalError
from retrieval.query import MAX_QUERY_CHARS, check_query
from tests.fuzz_strategies import (
    fuzz,
    within,
)


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
def test_the_request_reader_survives_anything_typed(
    request_reader: RequestReader, pieces: list[str]
) -> None:
    """Any text up to the query limit reads into a valid request, quickly."""
    text = "".join(pieces)[:MAX_QUERY_CHARS]
    with within(5, "the request reader"):
        request = request_reader.read_offline(text)
    assert request.n is None or 1 <= request.n <= 50
    assert all(q.strip() for q in request.queries)


def test_the_request_reader_on_a_long_request_full_of_quotes(request_reader: RequestReader) -> None:
    text = ("I'm sure it's 'the' one, isn't it? skip the 'odd' ones, only from the " * 40)[
        :MAX_QUERY_CHARS
    ]
    with within(5, "the request reader on quotes"):
        request_reader.read_offline(text)
