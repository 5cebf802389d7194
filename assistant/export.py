"""Export: BibTeX entries rendered from the catalog, Markdown references, and files
written so that a bad path or a crash never costs the user what was there before.

BibTeX entries carry author, title, year, the venue as booktitle (conferences and
workshops) or journal, and a note naming the corpus source. Keys are the catalog's
bibkeys, the same keys drafts cite.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

from assistant.errors import UserError
from assistant.render import paper_reference
from retrieval.records import Paper

_CONFERENCE = re.compile(
    r"conference|proceedings|workshop|symposium|neurips|nips|icml|iclr|cvpr|iccv|eccv|"
    r"aaai|ijcai|aistats|colt|uai|acl|emnlp|naacl|bmvc|kdd|cvprw|interspeech|icassp",
    re.I,
)
_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def latex_escape(text: str) -> str:
    """'Q&A 100%' -> 'Q\\&A 100\\%': safe inside a BibTeX field."""
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in " ".join(text.split()))


def entry_type(venue: str | None) -> tuple[str, str | None]:
    """('inproceedings', 'booktitle') for conferences, ('article', 'journal') for
    journals and preprints, ('misc', None) when the venue is unknown."""
    if not venue:
        return "misc", None
    if _CONFERENCE.search(venue):
        return "inproceedings", "booktitle"
    return "article", "journal"


def bibtex_entry(paper: Paper) -> str:
    """One BibTeX entry for `paper`, keyed by its catalog bibkey."""
    kind, venue_field = entry_type(paper.venue)
    fields: list[tuple[str, str]] = []
    if paper.authors:
        fields.append(("author", " and ".join(_bib_author(a) for a in paper.authors)))
    fields.append(("title", "{" + latex_escape(paper.title) + "}"))
    if paper.year:
        fields.append(("year", str(paper.year)))
    if venue_field and paper.venue:
        fields.append((venue_field, latex_escape(paper.venue)))
    link = next((link.url for link in paper.links if link.url.startswith("http")), None)
    if link:
        fields.append(("url", link.replace("}", "%7D").replace("{", "%7B")))
    if paper.sources:
        where = ", ".join(f"{s.file}:{s.line}" for s in paper.sources[:3])
        fields.append(("note", latex_escape(f"In the corpus: {where}")))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{paper.bibkey},\n{body}\n}}\n"


def bibtex(papers: Iterable[Paper]) -> str:
    """Entries for `papers`, once each, in the order given."""
    seen: dict[str, Paper] = {}
    for paper in papers:
        seen.setdefault(paper.bibkey, paper)
    return "\n".join(bibtex_entry(p) for p in seen.values())


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


def _default_mode() -> int:
    """0o666 less the umask, as open() would create the file."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_text(path: Path, text: str) -> Path:
    """Write `text` to `path` atomically: a crash or a full disk leaves the old file.

    Refuses a directory or a missing parent directory with one sentence."""
    path = path.expanduser()
    if path.is_dir():
        raise UserError(f"{path} is a directory: give a file name, e.g. {path / 'out.md'}.")
    parent = path.parent
    if not parent.is_dir():
        raise UserError(f"The directory {parent} does not exist: create it or choose another path.")
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        # mkstemp makes the file private (0600); give it the mode a plain write would.
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else _default_mode())
        os.replace(tmp, path)
        tmp = None
    except PermissionError:
        raise UserError(f"Cannot write {path}: permission denied; choose another path.") from None
    except OSError as exc:
        raise UserError(f"Cannot write {path} ({exc.strerror}): choose another path.") from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    return path
