"""Property tests on the loader and the catalog: one bad file (truncated, token soup, a
broken PDF) among the sample corpus is skipped with a reason, the good files beside it
load as they do alone, and no parser crash is ever reported as one."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from retrieval.catalog import build_catalog
from retrieval.loaders import LoadedFile, load_corpus
from tests.fuzz_strategies import (
    CORPUS,
    GOOD_PDF,
    PARSER_BUG,
    SAMPLES,
    bib_file,
    check_loaded,
    check_result,
    fuzz,
    load_one,
    markup_soup,
    sample_names,
)


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
        check_result(by_name[bad_name].result, bad_name)


@fuzz(150)
@given(
    name=st.sampled_from(["f.md", "f.txt", "f.bib", "f", "f.rst"]),
    text=st.one_of(st.text(max_size=2000), markup_soup, bib_file),
)
def test_loader_never_reports_a_parser_crash(name: str, text: str) -> None:
    """Whatever text a file holds, load_file loads it or skips it with a reason of its own,
    never with the catch-all 'could not be parsed ... please report this'."""
    with tempfile.TemporaryDirectory() as tmp:
        check_loaded(load_one(Path(tmp), name, text.encode("utf-8")), name)
