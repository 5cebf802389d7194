"""The research-statement and CV parsers on the sample corpus and on broken input.

Counts verified by reading the files: the statement's "## References" list has 20
"- " entries (awk '/^## References/{f=1} f && /^- /{n++} END{print n}'); the CV's
"## Selected Publications" has 10 entries, each starting "- YEAR".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.parsers import ParseError, cv, research_statement
from retrieval.parsers.research_statement import parse_reference, resolve
from retrieval.records import ParseResult, paper_id

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
STATEMENT = CORPUS / "research-statement.md"
CV = CORPUS / "cv.md"


@pytest.fixture(scope="module")
def statement() -> ParseResult:
    return research_statement.parse(STATEMENT.read_text(encoding="utf-8"), STATEMENT.name)


@pytest.fixture(scope="module")
def cv_result() -> ParseResult:
    return cv.parse(CV.read_text(encoding="utf-8"), CV.name)


def test_detection_by_content() -> None:
    assert research_statement.detect(STATEMENT.read_text(encoding="utf-8"), Path("a.md"))
    assert cv.detect(CV.read_text(encoding="utf-8"), Path("b.md"))
    plain = "# Notes\n\n## References\n\n- a link\n"
    assert not research_statement.detect(plain, Path("statement.md"))
    assert not cv.detect(plain, Path("cv.md"))
    assert not cv.detect(STATEMENT.read_text(encoding="utf-8"), Path("cv.md"))


def test_statement_references_field_by_field(statement: ParseResult) -> None:
    papers = {p.title: p for p in statement.papers}
    assert len(papers) == 20
    bai = papers["Deep equilibrium models"]
    assert bai.authors == ("S. Bai", "J. Z. Kolter", "V. Koltun")
    assert (bai.year, bai.venue) == (2019, "Advances in Neural Information Processing Systems")
    bubeck = papers["A universal law of robustness via isoperimetry"]
    assert bubeck.authors == ("S. Bubeck", "M. Sellke")  # the editors are not authors
    jacobian = papers["Knowledge transfer with Jacobian matching"]
    assert jacobian.venue == "Proceedings of the 35th International Conference on Machine Learning"
    which = papers[
        "Which explanation should i choose? a function approximation perspective to "
        "characterizing post hoc explanations"
    ]
    assert which.authors == ("T. Han", "S. Srinivas", "H. Lakkaraju") and which.year == 2022
    lipton = papers[
        "The mythos of model interpretability: In machine learning, the concept of "
        "interpretability is both important and slippery"
    ]
    assert lipton.venue == "Queue" and lipton.year == 2018
    mnih = papers["Recurrent models of visual attention"]
    assert mnih.authors == ("V. Mnih", "N. Heess", "A. Graves")  # "et al." dropped
    grathwohl = papers[
        "Your classifier is secretly an energy based model and you should treat it like one"
    ]
    assert grathwohl.authors[1:3] == ("K.-C. Wang", "J.-H. Jacobsen")
    babu = papers["Training sparse neural networks"]
    assert babu.authors[-1] == "R. Venkatesh Babu" and babu.sources[0].line == 66


def test_statement_sections_have_heading_paths(statement: ParseResult) -> None:
    headings = [s.heading_path for s in statement.sections]
    assert (
        "Prior Work",
        "Computationally Efficient Deep Learning",
        "Model Pruning with Limited Data",
    ) in headings
    assert ("Trustworthy Machine Learning", "Understanding Feature Attribution Methods") in headings
    assert ("Future Work",) in headings
    assert all(s.kind == "profile" and s.owner == "Suraj Srinivas" for s in statement.sections)
    assert not any(h[-1] == "References" for h in headings)
    intro = statement.sections[0]
    assert intro.heading_path == ("Research Statement",)
    assert intro.text.startswith("Modern progress in machine learning")


def test_statement_in_text_citations_resolve(statement: ParseResult) -> None:
    by_heading = {s.heading_path[-1]: s for s in statement.sections}
    pruning = by_heading["Model Pruning with Limited Data"]
    assert pruning.cites == (
        paper_id("Data-free parameter pruning for deep neural networks"),
        paper_id("Data-efficient structured pruning via submodular optimization"),
    )
    sparsity = by_heading["Incorporating Sparsity in Neural Networks"]
    assert paper_id("Cyclical pruning for sparse neural networks") in sparsity.cites
    assert paper_id("Learning the architecture of deep neural networks") in sparsity.cites


@pytest.mark.parametrize(
    ("citation", "title"),
    [
        (
            "(Srinivas and Fleuret, 2019)",
            "Full-gradient representation for neural network visualization",
        ),
        ("([Srinivas and Babu, 2015](#))", "Data-free parameter pruning for deep neural networks"),
        ("(Halabi et al., 2022)", "Data-efficient structured pruning via submodular optimization"),
        ("(Srinivas et al., 2022a)", "Cyclical pruning for sparse neural networks"),
        ("(Srinivas et al., 2022b)", "Efficient training of low-curvature neural networks"),
        ("(Srinivas and Babu, 2016b)", "Learning the architecture of deep neural networks"),
        ("(Hyvärinen, 2005)", "Estimation of non-normalized statistical models by score matching"),
        ("(Lipton, 2018)", None),  # resolved below by prefix: the title is long
        ("(Srinivas and Babu, 2016)", None),  # ambiguous: 2016a and 2016b
        ("(Nobody, 2019)", None),
        ("no citation here", None),
    ],
)
def test_citation_resolver(statement: ParseResult, citation: str, title: str | None) -> None:
    parsed = [
        parse_reference(line.strip()[2:], "s.md", n)
        for n, line in enumerate(STATEMENT.read_text(encoding="utf-8").splitlines(), 1)
        if line.startswith("- ") and "(" in line
    ]
    refs = [r for r in parsed if r is not None]
    found = resolve(citation, refs)
    if citation == "(Lipton, 2018)":
        assert found is not None and found.title.startswith("The mythos of model interpretability")
    elif title is None:
        assert found is None
    else:
        assert found is not None and found.title == title


def test_reference_without_year_is_skipped() -> None:
    assert parse_reference("Someone, A. Untitled work. *Venue*.", "s.md", 1) is None


def test_cv_publications_field_by_field(cv_result: ParseResult) -> None:
    papers = {p.title: p for p in cv_result.papers}
    assert len(papers) == 10
    curvature = papers["Efficient Training of Low-Curvature Neural Networks"]
    assert curvature.authors == (
        "Suraj Srinivas",
        "Kyle Matoba",
        "Hima Lakkaraju",
        "François Fleuret",
    )
    assert (
        curvature.venue == "Neural Information Processing Systems (NeurIPS)"
        and curvature.year == 2022
    )
    assert curvature.links[0].url == "https://github.com/kylematoba/lcnn"
    which = papers[
        "Which Explanation Should I Choose? A Function Approximation Perspective to "
        "Characterizing Post hoc Explanations"
    ]
    assert which.authors == ("Tessa Han", "Suraj Srinivas", "Hima Lakkaraju")
    assert which.awards == ("Best Paper Award at ICML Interpretable ML for Healthcare Workshop",)
    wrapped = papers["Data-Efficient Structured Pruning via Submodular Optimization"]
    assert wrapped.authors == ("Marwa El Halabi", "Suraj Srinivas", "Simon Lacoste-Julien")
    rethinking = papers[
        "Rethinking the Role of Gradient-based Attribution Methods in Model Interpretability"
    ]
    assert rethinking.awards == ("Oral",) and rethinking.year == 2021
    assert rethinking.venue == "International Conference on Learning Representations (ICLR)"
    jacobian = papers["Knowledge Transfer with Jacobian Matching"]
    assert jacobian.awards == (
        "Best Paper Award at NeurIPS Learning with Limited Data (LLD) Workshop",
    )
    assert jacobian.venue == "International Conference on Machine Learning (ICML)"
    cyclical = papers["Cyclical Pruning for Sparse Neural Networks"]
    assert len(cyclical.authors) == 6 and cyclical.authors[3] == "Mart van Baalen"
    datafree = papers["Data-free Parameter Pruning for Deep Neural Networks"]
    assert (datafree.year, datafree.venue) == (2015, "British Computer Vision Conference (BMVC)")
    assert datafree.sources[0].line == 85


def test_cv_profile_sections(cv_result: ParseResult) -> None:
    sections = {s.heading_path[-1]: s for s in cv_result.sections}
    for name in (
        "Summary",
        "Work Experience",
        "Education",
        "Internships",
        "Talks",
        "Reviewing",
        "Teaching",
        "Research Mentoring",
        "Awards and Honors",
    ):
        assert name in sections and sections[name].kind == "profile"
        assert sections[name].owner == "Suraj Srinivas"
    assert "Qualcomm AI Research, Netherlands" in sections["Internships"].text
    assert "*" not in sections["Internships"].text
    assert (
        "Local Function Approximation to Characterize Explanations"
        in sections["Research Mentoring"].text
    )
    # The publications are papers; their section holds only what no paper field holds.
    assert "Cyclical Pruning" not in sections["Selected Publications"].text


BROKEN_CV = """# Jane Doe

## Education

2010 - 2014 **PhD**, Somewhere

## Selected Publications

- 2020 Jane Doe. “A Title That Never Closes
*Some Venue*
- 2019 Jane Doe, Bob Roe. “Fine Paper”
*Good Venue* - **Oral**
- not a publication line

## Talks

### Nested
#### Deeper
##### Deepest

## Empty
"""


def test_broken_cv_keeps_what_it_can() -> None:
    result = cv.parse(BROKEN_CV, "cv.md")
    assert [p.title for p in result.papers] == ["Fine Paper"]
    assert result.papers[0].awards == ("Oral",) and result.papers[0].venue == "Good Venue"
    assert "Education" in {s.heading_path[-1] for s in result.sections}


BROKEN_STATEMENT = """# Research Statement

Jane Doe

## Empty Heading

## Ideas

Text citing (Doe, 2020) and (Ghost, 1999).

## References

- Doe, J. (2020). A real paper. *Venue*.
- Broken line without a year.
- Roe, R. (2021).
"""


def test_broken_statement_keeps_what_it_can() -> None:
    result = research_statement.parse(BROKEN_STATEMENT, "s.md")
    assert [p.title for p in result.papers] == ["A real paper"]
    ideas = next(s for s in result.sections if s.heading_path == ("Ideas",))
    assert ideas.cites == (paper_id("A real paper"),)
    assert not any(s.heading_path == ("Empty Heading",) for s in result.sections)


def test_statement_with_nothing_readable_is_an_error() -> None:
    with pytest.raises(ParseError):
        research_statement.parse("# Research Statement\n\n## References\n\n- nothing\n", "s.md")


def test_cv_publication_notes_stay_quotable(cv_result: ParseResult) -> None:
    """What no field of a publication holds is kept as the section's text: the Scholar
    line before the list (cv.md:50) and an entry's trailing note (cv.md:74, cv.md:87).
    A code link stays beside its note: the star count is the repository's."""
    notes = {s.heading_path[-1]: s for s in cv_result.sections}["Selected Publications"]
    assert notes.kind == "profile" and notes.source.line > 0
    assert "Citations: 1400+ | h-index: 9" in notes.text
    assert (
        "Full-Gradient Representation for Neural Network Visualization (2019): "
        "code github.com/idiap/fullgrad-saliency - 169 stars"
    ) in notes.text
    assert "Low-Curvature Neural Networks (2022): code github.com/kylematoba/lcnn" in notes.text
    assert (
        "Data-free Parameter Pruning for Deep Neural Networks (2015): 500+ citations" in notes.text
    )
    assert "NeurIPS" not in notes.text and "](" not in notes.text  # fields stay fields
