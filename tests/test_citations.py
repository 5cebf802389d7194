"""The citation check: a table of tricky model outputs, support scoring, the sentinel."""

from __future__ import annotations

import pytest

from assistant.citations import (
    INSUFFICIENT,
    check_citations,
    embedding_support,
    find_markers,
    highlight_citations,
    is_refusal,
)
from tests.fakes import WordOverlapEmbeddings

CASES = [
    # (model output, n_sources, cleaned text, used, removed)
    ("Flat minima generalize [1].", 3, "Flat minima generalize [1].", (1,), ()),
    ("Both agree [1][2].", 3, "Both agree [1][2].", (1, 2), ()),
    ("Both agree [1, 3].", 3, "Both agree [1, 3].", (1, 3), ()),
    ("A holds [12].", 5, "A holds.", (), ("[12]",)),
    ("Zero is no source [0].", 5, "Zero is no source.", (), ("[0]",)),
    ("Mixed [1, 12] here.", 5, "Mixed [1] here.", (1,), ("[12]",)),
    ("Range [1-3] ok.", 5, "Range [1, 2, 3] ok.", (1, 2, 3), ()),
    # A model writing the weak mark itself is checked like any marker: out of range goes.
    ("Self-marked [2?] and [9?].", 3, "Self-marked [2] and.", (2,), ("[9?]",)),
    ("Code `x[1]` is not [2].", 3, "Code `x[1]` is not [2].", (2,), ()),
    ("```\nweights [1] = 0\n```\nText [2].", 3, "```\nweights [1] = 0\n```\nText [2].", (2,), ()),
    ("Indexing a[2] and arr[0] only.", 3, "Indexing a[2] and arr[0] only.", (), ()),
    ("See [the paper](https://x.org) [1].", 3, "See [the paper](https://x.org) [1].", (1,), ()),
    (
        "- first point [2]\n- second point [7]",
        3,
        "- first point [2]\n- second point",
        (2,),
        ("[7]",),
    ),
    ("1. numbered [1]\n2. list [3]", 3, "1. numbered [1]\n2. list [3]", (1, 3), ()),
    ("- [ ] todo and [x] done", 3, "- [ ] todo and [x] done", (), ()),
    ("[2] Starts with a citation.", 3, "[2] Starts with a citation.", (2,), ()),
    ("Shown [3].", 3, "Shown [3].", (3,), ()),
    ("Again [1] and again [1].", 3, "Again [1] and again [1].", (1,), ()),
    (
        "No citations at all here, none whatsoever.",
        3,
        "No citations at all here, none whatsoever.",
        (),
        (),
    ),
    ("In the year [2020] nothing.", 3, "In the year [2020] nothing.", (), ()),
    ("Han et al. showed it [1].", 3, "Han et al. showed it [1].", (1,), ()),
    ("[1]: https://example.org a footnote", 3, "[1]: https://example.org a footnote", (), ()),
]


@pytest.mark.parametrize(("text", "n", "cleaned", "used", "removed"), CASES)
def test_citation_table(text: str, n: int, cleaned: str, used: tuple, removed: tuple) -> None:
    check = check_citations(text, n)
    assert check.text == cleaned
    assert check.used == used
    assert check.removed == removed


def test_sentences_keep_et_al_and_their_markers() -> None:
    check = check_citations("Han et al. proposed a framework [1]. It unifies methods [2].", 2)
    assert [(s.text, s.numbers) for s in check.sentences] == [
        ("Han et al. proposed a framework.", (1,)),
        ("It unifies methods.", (2,)),
    ]


def test_weak_support_is_marked_and_strong_is_not() -> None:
    passages = [
        "Dropout reduces underfitting when used early in training.",
        "Neural collapse happens in the terminal phase of training.",
    ]
    support = embedding_support(WordOverlapEmbeddings().embed_documents, passages)
    check = check_citations(
        "Dropout reduces underfitting early in training [1]. Bananas are yellow fruit [2].",
        2,
        support=support,
    )
    assert (
        check.text
        == "Dropout reduces underfitting early in training [1]. Bananas are yellow fruit [2?]."
    )
    strong, weak = check.sentences
    assert strong.support is not None and strong.support > 0.6
    assert weak.support is not None and weak.support < 0.35


def test_embedding_support_embeds_once_per_check() -> None:
    fake = WordOverlapEmbeddings()
    support = embedding_support(
        fake.embed_documents, ["alpha beta. gamma delta epsilon.", "zeta eta theta."]
    )
    scores = support(
        [("alpha beta", 1), ("zeta eta", 2), ("unrelated words here", 1), ("zeta eta", 1)]
    )
    assert fake.calls == 1 and len(scores) == 4
    # Each sentence is scored against the passage it cites, and only that one.
    assert scores[0] > 0.5 and scores[1] > 0.5
    assert scores[2] == 0.0 and scores[3] == 0.0  # "zeta eta" is in passage 2, not 1


def test_uncited_claims_are_listed() -> None:
    check = check_citations(
        "Flat minima generalize better than sharp ones in many settings. Short.", 2
    )
    assert check.uncited == ("Flat minima generalize better than sharp ones in many settings.",)


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        (INSUFFICIENT, True),
        ("i could not find this in your corpus", True),
        ("I could not find this in your corpus.\n", True),
        ("Flat minima generalize [1].", False),
        ("I could not find this in your corpus, but paper [1] says a great deal about it.", False),
    ],
)
def test_refusal_sentinel(text: str, refused: bool) -> None:
    assert is_refusal(text) is refused


def test_markers_report_positions() -> None:
    markers = find_markers("x [1] y [2, 4]")
    assert [(m.raw, m.numbers) for m in markers] == [("[1]", (1,)), ("[2, 4]", (2, 4))]


def test_display_highlights_the_markers_the_check_finds_weak_ones_flagged() -> None:
    text = "A [1]. B [1?, 2?]. C [3-4]. `x[5]` arr[6] [7](https://x.org)"
    assert highlight_citations(text) == (
        "A **[1]**. B **[1?, 2?]** ⚠. C **[3-4]**. `x[5]` arr[6] [7](https://x.org)"
    )
    assert [m.weak for m in find_markers(text)] == [False, True, False]
