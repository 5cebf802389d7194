"""Merging papers across sources, stable ids, unique bibkeys, near-duplicate titles."""

from __future__ import annotations

from retrieval.catalog import (
    Catalog,
    assign_bibkeys,
    base_bibkey,
    find_near_duplicates,
    merge_papers,
    surname,
)
from retrieval.records import Link, Paper, Source, paper_id


def test_paper_id_ignores_case_punctuation_and_spacing() -> None:
    a = paper_id("Full-Gradient Representation for Neural Network Visualization.")
    b = paper_id("full gradient  representation for neural network visualization")
    assert a == b
    assert a != paper_id("Full-Gradient Representation for Neural Network Visualisation")
    assert a.startswith("p") and len(a) == 11


def test_merge_keeps_every_source_and_the_richest_fields() -> None:
    from_cv = Paper(
        title="Full-Gradient Representation for Neural Network Visualization",
        authors=("Suraj Srinivas", "François Fleuret"),
        year=2019,
        venue="Neural Information Processing Systems (NeurIPS)",
        sources=(Source("cv.md", 80),),
        links=(Link("code", "https://github.com/idiap/fullgrad-saliency"),),
    )
    from_statement = Paper(
        title="Full-gradient representation for neural network visualization",
        authors=("S. Srinivas", "F. Fleuret"),
        year=2019,
        venue="Advances in Neural Information Processing Systems",
        abstract=None,
        sources=(Source("research-statement.md", 60),),
    )
    from_list = Paper(
        title="full-gradient representation for neural network visualization",
        abstract="We introduce full-gradients.",
        topic="Others",
        keywords=("Saliency",),
        sources=(Source("list.txt", 9),),
    )
    merged = merge_papers(
        [from_cv, Paper(title="Something else entirely"), from_statement, from_list]
    )
    assert len(merged) == 2
    paper = merged[0]
    assert [s.file for s in paper.sources] == ["cv.md", "research-statement.md", "list.txt"]
    assert paper.title == "Full-Gradient Representation for Neural Network Visualization"
    assert paper.venue == "Neural Information Processing Systems (NeurIPS)"
    assert paper.abstract == "We introduce full-gradients."
    assert paper.topic == "Others"
    assert paper.keywords == ("Saliency",)
    assert paper.links == from_cv.links
    assert paper.year == 2019


def test_merge_prefers_the_year_most_sources_agree_on() -> None:
    papers = [
        Paper(
            title="Modifying Memories in Transformer Models", year=2021, sources=(Source("a", 1),)
        ),
        Paper(
            title="Modifying memories in transformer models", year=2020, sources=(Source("b", 1),)
        ),
        Paper(
            title="Modifying Memories in Transformer Models.", year=2020, sources=(Source("c", 1),)
        ),
    ]
    assert merge_papers(papers)[0].year == 2020


def test_surname_handles_both_name_orders() -> None:
    assert surname("Suraj Srinivas") == "Srinivas"
    assert surname("Srinivas, S.") == "Srinivas"
    assert surname("R. Venkatesh Babu") == "Babu"
    assert surname("") == ""


def test_bibkey_is_surname_year_first_significant_word() -> None:
    paper = Paper(
        title="On the Full-Gradient Representation", authors=("Suraj Srinivas",), year=2019
    )
    assert base_bibkey(paper) == "srinivas2019full"
    accented = Paper(
        title="Estimation of non-normalized models", authors=("Aapo Hyvärinen",), year=2005
    )
    assert base_bibkey(accented) == "hyvarinen2005estimation"
    # No author: the first title word and the year, never a made-up 'anon' author.
    assert base_bibkey(Paper(title="The Lottery Ticket")) == "lottery"
    assert base_bibkey(Paper(title="Compacter: Efficient Adapters", year=2021)) == "compacter2021"


def test_colliding_bibkeys_get_letter_suffixes_and_stay_unique() -> None:
    papers = [
        Paper(title="Pruning Networks A", authors=("A Smith",), year=2020),
        Paper(title="Pruning Networks B", authors=("B Smith",), year=2020),
        Paper(title="Pruning Networks C", authors=("C Smith",), year=2020),
        Paper(title="Other Work", authors=("C Smith",), year=2020),
    ]
    keyed = assign_bibkeys(papers)
    keys = [p.bibkey for p in keyed]
    assert keys[:3] == ["smith2020pruninga", "smith2020pruningb", "smith2020pruningc"]
    assert keys[3] == "smith2020other"
    assert len(set(keys)) == 4
    # The same papers in another order get the same keys: keys do not depend on load order.
    again = {p.title: p.bibkey for p in assign_bibkeys(list(reversed(papers)))}
    assert again == {p.title: p.bibkey for p in keyed}


def test_near_duplicates_are_titles_one_word_apart() -> None:
    papers = [
        Paper(title="Deep Double Descent in Large Language Models"),
        Paper(title="Deep Double Descent in Large Vision Models"),  # one word substituted
        Paper(title="Deep Double Descent in Very Large Language Models"),  # one word inserted
        Paper(title="Rethinking Attribution Methods in Interpretability"),
        Paper(title="Rethinking Attribution Methods for Interpretability"),  # function word
        Paper(title="Broken Neural Scaling Laws"),
        Paper(title="Explaining Neural Scaling Laws"),  # short: a different paper
        Paper(title="Grokking: Generalization Beyond Overfitting"),
    ]
    pairs = {(d.first.title, d.second.title) for d in find_near_duplicates(papers)}
    assert pairs == {
        (
            "Deep Double Descent in Large Language Models",
            "Deep Double Descent in Large Vision Models",
        ),
        (
            "Deep Double Descent in Large Language Models",
            "Deep Double Descent in Very Large Language Models",
        ),
        (
            "Rethinking Attribution Methods in Interpretability",
            "Rethinking Attribution Methods for Interpretability",
        ),
    }


def test_catalog_lookup_and_filters() -> None:
    papers = assign_bibkeys(
        merge_papers(
            [
                Paper(
                    title="Neural Collapse Under MSE Loss",
                    authors=("X. Y. Han", "Vardan Papyan"),
                    year=2022,
                    topic="Neural Collapse",
                    sources=(Source("list.txt", 3),),
                ),
                Paper(
                    title="Training Sparse Neural Networks",
                    authors=("Suraj Srinivas",),
                    year=2017,
                    abstract="Sparsity via gating.",
                    sources=(Source("cv.md", 9),),
                ),
            ]
        )
    )
    catalog = Catalog(papers=papers, sections=[])
    first = papers[0]
    assert catalog.get(first.id) is first
    assert catalog.get(first.bibkey.upper()) is first
    assert catalog.get("nope") is None
    assert [p.title for p in catalog.filter(topic="collapse")] == [first.title]
    assert [p.year for p in catalog.filter(year=2017)] == [2017]
    assert [p.title for p in catalog.filter(author="papyan")] == [first.title]
    assert [p.title for p in catalog.filter(source="cv")] == ["Training Sparse Neural Networks"]
    assert [p.title for p in catalog.filter("sparsity gating")] == [
        "Training Sparse Neural Networks"
    ]
    assert catalog.filter("sparsity mse") == []


def test_keys_from_the_users_bib_are_kept_when_unique() -> None:
    papers = [
        Paper(
            title="Full-Gradient Representation",
            authors=("Suraj Srinivas",),
            year=2019,
            bibkey_hint="fullgrad19",
        ),
        Paper(title="Another Paper", authors=("A Smith",), year=2020, bibkey_hint="same"),
        Paper(title="Third Paper", authors=("B Jones",), year=2021, bibkey_hint="same"),
        Paper(title="Fullgrad Nineteen", authors=("Z Zed",), year=2019),
    ]
    keys = [p.bibkey for p in assign_bibkeys(papers)]
    assert keys[0] == "fullgrad19"  # the user's own key
    assert keys[1] == "smith2020another" and keys[2] == "jones2021third"  # a clash: generated
    assert len(set(keys)) == 4


def test_a_merged_paper_keeps_the_bib_key_of_any_source() -> None:
    merged = merge_papers(
        [
            Paper(title="Knowledge Transfer with Jacobian Matching", sources=(Source("cv.md", 1),)),
            Paper(
                title="Knowledge transfer with Jacobian matching",
                bibkey_hint="srinivas18",
                sources=(Source("my.bib", 3),),
            ),
        ]
    )
    assert merged[0].bibkey_hint == "srinivas18"
    assert assign_bibkeys(merged)[0].bibkey == "srinivas18"


def test_a_merged_paper_keeps_where_its_fields_were_read() -> None:
    from retrieval.catalog import merge_papers

    pdf = Paper(
        title="Same Paper Title", origins=(("title", "page 1 layout"), ("year", "arXiv id"))
    )
    bib = Paper(title="Same paper title", origins=(("title", "refs.bib"), ("venue", "refs.bib")))
    (merged,) = merge_papers([pdf, bib])
    assert dict(merged.origins) == {
        "title": "page 1 layout",
        "year": "arXiv id",
        "venue": "refs.bib",
    }


def test_query_hints_read_surnames_by_the_catalog_rule() -> None:
    from retrieval.query_hints import HintReader

    papers = [
        Paper(title="A", authors=("Srinivas, Suraj",), year=2020),
        Paper(title="B", authors=("Tim van der Berg",), year=2021),
    ]
    reader = HintReader(papers)
    # 'Last, First' gives the surname, not the first name's last word.
    assert set(reader.surnames) == {"srinivas", "berg"}
