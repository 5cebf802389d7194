"""Export: BibTeX entries rendered from the catalog, Markdown references, and files
written so that a bad path or a crash never costs the user what was there before
(`retrieval.atomic`).

BibTeX entries carry author, title, year, the venue as booktitle (conferences and
workshops) or journal, and a note naming the corpus source. Keys are the catalog's
bibkeys, the same keys drafts cite.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import bibtexparser
from bibtexparser import Library
from bibtexparser.middlewares.parsestack import default_unparse_stack
from bibtexparser.model import Block, Entry, Field
from bibtexparser.writer import BibtexFormat
from pylatexenc.latexencode import (
    RULE_DICT,
    UnicodeToLatexConversionRule,
    UnicodeToLatexEncoder,
)

from assistant.errors import UserError
from assistant.render import paper_reference
from retrieval.atomic import write_atomic
from retrieval.records import Paper

_CONFERENCE = re.compile(
    r"conference|proceedings|workshop|symposium|neurips|nips|icml|iclr|cvpr|iccv|eccv|"
    r"aaai|ijcai|aistats|colt|uai|acl|emnlp|naacl|bmvc|kdd|cvprw|interspeech|icassp",
    re.I,
)
# Every LaTeX special and every non-ASCII letter becomes a macro ('é' -> "\\'e"), so a
# .bib file or a draft works with any TeX engine and input encoding. A character with no
# LaTeX spelling (an emoji) is kept as it is rather than lost.
_LATEX = UnicodeToLatexEncoder(
    # A straight double quote stays one: the encoder's '' would close every quotation,
    # and inside a braced BibTeX field '"' is safe.
    conversion_rules=[UnicodeToLatexConversionRule(RULE_DICT, {ord('"'): '"'}), "defaults"],
    non_ascii_only=False,
    replacement_latex_protection="braces-after-macro",
    unknown_char_policy="keep",
    unknown_char_warning=False,
)


# The characters the encoder leaves as they are, asked of the encoder itself: most
# fields are plain ASCII and skip its per-character work (about 10x faster for a list).
_UNCHANGED = frozenset(c for c in map(chr, range(32, 127)) if _LATEX.unicode_to_latex(c) == c)


def latex_escape(text: str) -> str:
    """'Q&A 100%' -> 'Q\\&A 100\\%', 'Gödel' -> 'G\\"odel': safe in a BibTeX field."""
    text = " ".join(text.split())
    return text if _UNCHANGED.issuperset(text) else _LATEX.unicode_to_latex(text)


def entry_type(venue: str | None) -> tuple[str, str | None]:
    """('inproceedings', 'booktitle') for conferences, ('article', 'journal') for
    journals and preprints, ('misc', None) when the venue is unknown."""
    if not venue:
        return "misc", None
    if _CONFERENCE.search(venue):
        return "inproceedings", "booktitle"
    return "article", "journal"


def _entry(paper: Paper) -> Entry:
    """The bibtexparser entry for `paper`; field values are LaTeX, the writer encloses them."""
    kind, venue_field = entry_type(paper.venue)
    fields: list[Field] = []
    if paper.authors:
        fields.append(Field("author", " and ".join(_bib_author(a) for a in paper.authors)))
    # Double braces keep the title's capitals ('{BERT}') through any bibliography style.
    fields.append(Field("title", "{" + latex_escape(paper.title) + "}"))
    if paper.year:
        fields.append(Field("year", str(paper.year)))
    if venue_field and paper.venue:
        fields.append(Field(venue_field, latex_escape(paper.venue)))
    link = next((link.url for link in paper.links if link.url.startswith("http")), None)
    if link:
        fields.append(Field("url", link.replace("}", "%7D").replace("{", "%7B")))
    if paper.sources:
        where = ", ".join(f"{s.file}:{s.line}" for s in paper.sources[:3])
        fields.append(Field("note", latex_escape(f"In the corpus: {where}")))
    return Entry(kind, paper.bibkey, fields)


def _write(entries: list[Entry]) -> str:
    form = BibtexFormat()
    form.indent = "  "
    form.block_separator = "\n"
    blocks: list[Block] = list(entries)
    # The library is built for this one write: no need for the writer to copy it first.
    stack = default_unparse_stack(allow_inplace_modification=True)
    return bibtexparser.write_string(Library(blocks), unparse_stack=stack, bibtex_format=form)


def bibtex_entry(paper: Paper) -> str:
    """One BibTeX entry for `paper`, keyed by its catalog bibkey."""
    return _write([_entry(paper)])


def bibtex(papers: Iterable[Paper]) -> str:
    """Entries for `papers`, once each, in the order given."""
    seen: dict[str, Paper] = {}
    for paper in papers:
        seen.setdefault(paper.bibkey, paper)
    return _write([_entry(p) for p in seen.values()])


def _bib_author(name: str) -> str:
    if name.strip().lower() in {"et al.", "et al", "others"}:
        return "others"
    return latex_escape(name)


def references_markdown(papers: Iterable[Paper]) -> str:
    lines = [f"- `{p.bibkey}`: {paper_reference(p)}" for p in papers]
    return "## References\n\n" + "\n".join(lines) + "\n" if lines else ""


def resolve_output(path: Path, directory: Path | None = None) -> Path:
    """Where to write `path`. With `directory`, the file must stay inside it: '..' and
    symlinks that lead out are refused, so an export cannot overwrite other files."""
    if directory is None:
        return path.expanduser()
    root = directory.expanduser().resolve()
    target = (root / path).resolve()
    if target != root and root not in target.parents:
        raise UserError(
            f"{path} would be written outside {directory}: choose a file name inside it."
        )
    return target


def write_text(path: Path, text: str) -> Path:
    """Write `text` to `path` atomically: a crash or a full disk leaves the old file.

    Refuses a directory or a missing parent directory with one sentence."""
    path = path.expanduser()
    if path.is_dir():
        raise UserError(f"{path} is a directory: give a file name, e.g. {path / 'out.md'}.")
    parent = path.parent
    if not parent.is_dir():
        raise UserError(f"The directory {parent} does not exist: create it or choose another path.")
    try:
        write_atomic(path, text)
    except PermissionError:
        raise UserError(f"Cannot write {path}: permission denied; choose another path.") from None
    except OSError as exc:
        raise UserError(f"Cannot write {path} ({exc.strerror}): choose another path.") from None
    return path
