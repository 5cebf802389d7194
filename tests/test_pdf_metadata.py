"""PDF metadata read as a researcher reads a first page: the rules for titles, author
lines and years, on PDFs the tests generate (tests/pdf_factory.py) or on lines built
here. The parser's text, sections and damaged files are in tests/test_parser_pdf.py."""

from __future__ import annotations

import pytest

from retrieval.parsers import pdf
from retrieval.parsers.pdf_lines import PageLines
from tests.pdf_factory import Run, make_layout_pdf

TITLE = "Sparse Networks Learn Faster Than Dense Ones"
_BODY = "Sparse training keeps the accuracy of the dense network in line {} here."


def _body(x: float, top: float, count: int, size: float = 10) -> list[Run]:
    return [Run(_BODY.format(i), x, top - 12 * i, size) for i in range(count)]


def test_a_running_header_repeating_the_title_does_not_make_page_one_a_cover() -> None:
    # Journals repeat the title as a running header, set above the body size: it is
    # not a later title page, so the authors and page of page 1 stand.
    first = [
        Run(TITLE, 72, 700, 16),
        Run("ANN AUTHOR", 72, 670, 11),
        Run("Abstract. We show that sparse networks learn faster.", 72, 640, 10),
        *_body(72, 620, 30),
    ]
    later = [[Run(TITLE, 72, 760, 11), *_body(72, 700, 40)] for _ in range(4)]
    [paper] = pdf.parse_pdf(make_layout_pdf([first, *later]), "journal.pdf").papers
    assert paper.sources[0].page == 1
    assert paper.authors == ("Ann Author",)


def test_authors_set_side_by_side_are_separate_names() -> None:
    # Three author blocks on one baseline, middle initials and all (ACM style).
    runs = [
        Run(TITLE, 100, 700, 18),
        Run("Wilson C. Hsieh", 72, 660, 11),
        Run("Deborah A. Wallach", 250, 660, 11),
        Run("Mike Burrows", 430, 660, 11),
        Run("Example Labs", 72, 646, 10),
        Run("Example Labs", 250, 646, 10),
        Run("Example Labs", 430, 646, 10),
        Run("Abstract", 72, 610, 11),
        Run("We show that sparse networks learn faster.", 72, 596, 10),
        *_body(72, 570, 20),
    ]
    [paper] = pdf.parse_pdf(make_layout_pdf([runs]), "acm.pdf").papers
    assert paper.authors == ("Wilson C. Hsieh", "Deborah A. Wallach", "Mike Burrows")


@pytest.mark.parametrize(
    "affiliations",
    [
        # 'Google Brain' has a name's shape; set under each author, it repeats ...
        ("Google Brain", "Google Brain", "Google Research"),
        # ... or stands among fields that are mostly affiliations.
        ("Google Brain", "Cornell University", "Stanford University"),
    ],
)
def test_a_row_of_affiliations_under_side_by_side_authors_adds_no_name(
    affiliations: tuple[str, str, str],
) -> None:
    runs = [
        Run(TITLE, 100, 700, 18),
        Run("Ashish Vaswani", 72, 660, 11),
        Run("Noam Shazeer", 250, 660, 11),
        Run("Niki Parmar", 430, 660, 11),
        *(Run(text, x, 646, 10) for text, x in zip(affiliations, (72, 250, 430), strict=True)),
        Run("Abstract", 72, 610, 11),
        Run("We show that sparse networks learn faster.", 72, 596, 10),
        *_body(72, 570, 20),
    ]
    [paper] = pdf.parse_pdf(make_layout_pdf([runs]), "grid.pdf").papers
    assert paper.authors == ("Ashish Vaswani", "Noam Shazeer", "Niki Parmar")


def _one_column_title_page() -> bytes:
    """A two-column page whose title, author and keywords sit in the left column, level
    with the right column's body text, written left column first."""
    left = [
        Run("Sparse Networks Learn", 56, 667, 18),
        Run("Faster Than Dense Ones", 56, 649, 18),
        Run("Edsger W. Author", 56, 617, 9),
        Run("Example Corporation", 56, 606, 10),
        Run("Key Words and Phrases: sparsity, pruning", 56, 570, 9),
        *_body(56, 540, 30, 9),
    ]
    right = [Run(f"the other column runs level with the title and says so {i}", 320,
                 700 - 11 * i, 9) for i in range(50)]  # fmt: skip
    return make_layout_pdf([left + right])


def test_a_title_in_one_column_joins_its_lines_not_the_other_columns() -> None:
    [paper] = pdf.parse_pdf(_one_column_title_page(), "column.pdf").papers
    assert paper.title == TITLE
    # The keywords line ends the author block: 'Key Words' is no author.
    assert paper.authors == ("Edsger W. Author",)


@pytest.mark.parametrize(
    ("lines", "names"),
    [
        (
            ["Murali Kodialam, Associate Member, IEEE, T. V. Lakshman, Fellow, IEEE, and",
             "Sudipta Sengupta, Senior Member, IEEE"],
            ("Murali Kodialam", "T. V. Lakshman", "Sudipta Sengupta"),
        ),
        (["Giuseppe DeCandia, Deniz Hastorun, Avinash", "Lakshman, Alex Pilchin"],
         ("Giuseppe DeCandia", "Deniz Hastorun", "Avinash Lakshman", "Alex Pilchin")),
        (["Irene Lopatovskaa, Ioannis Arapakisb,∗", "aPratt SILS, New York", "bDepartment of Computing"],
         ("Irene Lopatovska", "Ioannis Arapakis")),
        (["Chaoran Yang John Mellor-Crummey", "{chaoran, johnmc}@rice.edu"],
         ("Chaoran Yang", "John Mellor-Crummey")),
        (["Al Demers, Robbert van Renesse †", "Cornell University, Ithaca, NY, USA"],
         ("Al Demers", "Robbert van Renesse")),
        (["David Chaum", "Centre for Mathematics, Kruislan 413, Amsterdam, The Netherlands"],
         ("David Chaum",)),
        # A particle that ends a name is the surname; one that goes on is a particle.
        (["Sheng Di1 , Franck Cappello12"], ("Sheng Di", "Franck Cappello")),
        (["Ann de Wit, Tom van"], ("Ann de Wit",)),
        # What follows an affiliation after a comma is its address, not an author.
        (["MICHAEL J. FISCHER", "Yale University, New Haven, Connecticut", "AND",
          "NANCY A. LYNCH"], ("Michael J. Fischer", "Nancy A. Lynch")),
        (["Asaf Cidon, Stanford University; Robert Escriva, Cornell University"],
         ("Asaf Cidon", "Robert Escriva")),
        # Names in any alphabet: a capital need not be ASCII.
        (["Özalp Babaoğlu, Łukasz Kaiser and Émile Zola"],
         ("Özalp Babaoğlu", "Łukasz Kaiser", "Émile Zola")),
        # A line with a postcode or a state code is an address, places and all.
        (["Ann Author", "New York, NY 10011"], ("Ann Author",)),
        (["Bob Brown", "Mountain View, CA"], ("Bob Brown",)),
    ],
)  # fmt: skip
def test_author_lines_give_names_only(lines: list[str], names: tuple[str, ...]) -> None:
    from retrieval.parsers.pdf_authors import parse_authors

    assert parse_authors(lines) == names


@pytest.mark.parametrize(
    ("texts", "year"),
    [
        (["Journal of Things, Vol. 32, No. 2, April 1985", "Received March 1983"], 1985),
        (["Proceedings of the 20th VLDB Conference", "Santiago, Chile, 1994"], 1994),
        (["February 6, 2006", "arXiv:0601.00001"], 2006),
        (["arXiv:math/9404236v1 [math.HO]"], 1994),
        (["© 2008 IEEE"], 2008),
        (["978-1-4799-0/13 $31.00 c\u20dd 2013 IEEE"], 2013),
        (["SOSP'03, Bolton Landing"], 2003),
        (["EuroSys ’19, March 25–28, Dresden", "© 2018 ACM"], 2019),
        (["Accessed Sat Jul 06 21:36:50 EDT 2013"], None),
        # 'J.' before an initial is a name, not 'J. Cryptology': no venue line here.
        (["Authors' addresses: J. A. Brown, Northwestern University,",
          "Program, 2000 Sheridan Rd.", "November 1974"], 1974),
        (["J. Cryptology (1988) 1:65-75"], 1988),
        # The paper's history dates an earlier step: the year wins ...
        (["This work was originally presented at the 2nd Symposium on Principles,",
          "March 1983.", "Journal of Things, Vol. 32, No. 2, April 1985"], 1985),
        (["Preprint submitted to Information Processing", "June 22, 2010", "© 2011 Elsevier"],
         2011),
        # ... and a history line (with the line it runs on to) is taken last of all.
        (["Received March 1983; revised June 1984"], 1983),
        (["A preliminary version appeared in the Workshop on Things,", "May 2003",
          "© 2005 IEEE"], 2005),
        # A date told in running text is an event, not the paper's date.
        (["In March 2003, the storage cluster of our data center lost power for hours",
          "© 2005 ACM"], 2005),
        # A reference list starting on the page holds other papers' years.
        (["March 2006", "References",
          "[1] B. Brown. In Proceedings of the Workshop on Things, 1998."], 2006),
    ],
)  # fmt: skip
def test_the_year_follows_the_order_of_trust(texts: list[str], year: int | None) -> None:
    from retrieval.parsers.pdf_years import find_year

    found = find_year([_page_of(texts)], 1, {})
    assert (found[0] if found else None) == year


def _page_of(texts: list[str], number: int = 1) -> PageLines:
    from retrieval.parsers.pdf_lines import Line, PageLines

    lines = tuple(
        Line(t, 72, 300, 700 - 12 * i, 708 - 12 * i, 10, number) for i, t in enumerate(texts)
    )
    return PageLines(number, 612, 792, lines)


def test_the_title_page_states_the_year_before_the_page_after_it() -> None:
    from retrieval.parsers.pdf_years import find_year

    # Page 2 is the paper's body: a venue it mentions is another paper's.
    pages = [
        _page_of(["© 2014 ACM 978-1-4503"], 1),
        _page_of(["as the Proceedings of the Symposium on Things 1998 showed"], 2),
    ]
    found = find_year(pages, 1, {})
    assert found is not None and found[0] == 2014
    # With nothing on the title page, the page after it is read.
    later = find_year([_page_of(["A Title"], 1), pages[1]], 1, {})
    assert later is not None and later[0] == 1998


def test_an_issn_after_a_publisher_is_no_venue() -> None:
    from retrieval.parsers.pdf_years import find_year

    texts = ["0 1985 ACM 0734-2071/85/0200-0063 $00.75",  # an OCR layer read © as 0
             "ACM Transactions on Computer Systems, Vol. 3, No. 1, February 1985"]  # fmt: skip
    found = find_year([_page_of(texts)], 1, {})
    assert found is not None and found[:2] == (1985, texts[1])


def test_a_line_citing_the_paper_gives_its_year_over_a_submission_date() -> None:
    from retrieval.parsers.pdf_years import find_year

    texts = [
        "Preprint submitted to Information Processing",
        "June 22, 2010",
        "Author, A., & Brown, B. (2011). Sparse Networks Learn Faster Than Dense",
        "Ones. Information Processing. doi:10.1016/j.ipm.2010.09.001",
    ]
    found = find_year([_page_of(texts)], 1, {}, TITLE)
    assert found is not None and found[0] == 2011
    assert found[2].startswith("citation of the paper on page 1")
    # The same line next to another paper's title says nothing of this one: the
    # submission date is all there is.
    other = find_year([_page_of(texts)], 1, {}, "Dense Graphs Are Slow")
    assert other is not None and other[0] == 2010


def test_a_spacing_accent_drawn_elsewhere_does_not_cut_a_line_in_two() -> None:
    from retrieval.parsers.pdf_lines import Line, _split_at_gaps

    piece = "Ozalp Babao ¨ glu 1 Keith Marzullo2"
    x = {i: 81.0 + 6 * i for i in range(len(piece))}
    x[piece.index("¨")] = 85.0  # the dieresis is drawn over the 'O', far to the left
    for i in range(piece.index("K"), len(piece)):
        x[i] += 40  # a real gap between the two names, wider than two ems

    def box(index: int) -> tuple[float, float, float, float]:
        return x[index], x[index] + 6, 623.0, 633.0

    line = Line(piece, 81, 340, 623, 633, 12, 3)
    parts = [part.text for part in _split_at_gaps(line, piece, 0, box)]
    assert parts == ["Ozalp Babao ¨ glu 1", "Keith Marzullo2"]


def test_a_venue_line_gives_the_venue_without_its_page_number() -> None:
    from retrieval.parsers.pdf_lines import Line, PageLines
    from retrieval.parsers.pdf_years import find_year

    line = Line("To appear in OSDI 2006 1", 72, 300, 40, 48, 9, 1)
    assert find_year([PageLines(1, 612, 792, (line,))], 1, {}) == (
        2006,
        "OSDI 2006",
        "venue line on page 1: 'To appear in OSDI 2006 1'",
    )
