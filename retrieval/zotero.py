"""A Zotero data directory (the folder with zotero.sqlite and storage/) as papers.

Zotero keeps its database open and locked while it runs, so the database (and its
write-ahead log, if any) is copied to a temporary directory and the copy is opened
read-only; the user's library is never written. Per item, not in the trash:

- title, creators (authors; editors only when there are no authors), date -> year,
  publication (journal, proceedings, conference, book, university...) -> venue,
  abstract, DOI (as a link), tags -> keywords, collections -> topic ('Parent/Child',
  several joined by '; ', so `ra papers --topic pruning` finds a collection);
- the full text of each PDF attachment in storage/ (or a linked file), read by the
  PDF reader and cited by page; Zotero's metadata wins over what the PDF says, the
  PDF only fills fields Zotero left empty;
- child notes, as text of the paper.

Each item is one `LoadedFile` keyed '<dir>/zotero.sqlite#<item key>', whose hash is
made of the item's version, modification date and attachments' sizes and times, so
re-indexing reads and embeds only what changed in Zotero.

Simplified on purpose: group libraries are read like the user's own; annotations
made in Zotero's PDF reader are not read.
"""

from __future__ import annotations

import hashlib
import html
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from retrieval.errors import RaError
from retrieval.records import Link, Paper, ParseResult, Section, Source

NAME = "zotero"
DATABASE = "zotero.sqlite"
# Zotero 5 to 7 write userdata schema versions in this range; a newer one may have
# moved what this reader needs.
MAX_SCHEMA = 135
_VENUE_FIELDS = (
    "publicationTitle",
    "proceedingsTitle",
    "conferenceName",
    "bookTitle",
    "websiteTitle",
    "university",
    "institution",
    "publisher",
)
_SKIPPED_TYPES = ("note", "attachment", "annotation")


class ZoteroError(RaError):
    """A Zotero library that cannot be read, in one sentence saying what to do."""


@dataclass(frozen=True)
class ZoteroItem:
    """One regular item of the library, with its attachments and notes."""

    item_id: int
    key: str
    version: int
    modified: str
    title: str
    authors: tuple[str, ...]
    date: str
    venue: str | None
    abstract: str | None
    doi: str | None
    url: str | None
    tags: tuple[str, ...]
    collections: tuple[str, ...]
    pdfs: tuple[Path, ...]
    notes: tuple[str, ...]

    def fingerprint(self) -> str:
        """Changes when the item, its notes or its attached files change."""
        parts = [self.key, str(self.version), self.modified, *self.notes]
        for pdf in self.pdfs:
            try:
                st = pdf.stat()
                parts.append(f"{pdf}:{st.st_size}:{st.st_mtime_ns}")
            except OSError:
                parts.append(f"{pdf}:missing")
        return hashlib.sha256("\x00".join(parts).encode()).hexdigest()

    @property
    def year(self) -> int | None:
        match = re.search(r"\b(1[5-9]\d\d|20\d\d)\b", self.date)
        return int(match.group(1)) if match else None


def is_library(path: Path) -> bool:
    """A directory holding zotero.sqlite."""
    return path.is_dir() and (path / DATABASE).is_file()


def read_items(root: Path) -> list[ZoteroItem]:
    """The library's items, not in the trash, in the order Zotero added them."""
    with tempfile.TemporaryDirectory(prefix="ra-zotero-") as tmp:
        copy = _copy_database(root, Path(tmp))
        try:
            conn = sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)
        except sqlite3.Error as exc:
            raise ZoteroError(_corrupt(exc)) from None
        try:
            _check_schema(conn)
            return list(_items(conn, root))
        except sqlite3.DatabaseError as exc:
            if "locked" in str(exc).lower():
                raise ZoteroError(_locked()) from None
            raise ZoteroError(_corrupt(exc)) from None
        finally:
            conn.close()


def _locked() -> str:
    return (
        "is a Zotero database that is locked for reading: close Zotero (or wait for it "
        "to finish syncing) and index again"
    )


def _corrupt(exc: Exception) -> str:
    return (
        f"is not a readable Zotero database ({exc}): check the folder, or restore "
        "zotero.sqlite from Zotero's zotero.sqlite.bak"
    )


def _copy_database(root: Path, tmp: Path) -> Path:
    """Copy zotero.sqlite (and its -wal, holding the latest changes) into `tmp`."""
    target = tmp / DATABASE
    try:
        shutil.copyfile(root / DATABASE, target)
        wal = root / f"{DATABASE}-wal"
        if wal.is_file():
            shutil.copyfile(wal, tmp / f"{DATABASE}-wal")
    except PermissionError:
        raise ZoteroError(_locked()) from None
    except OSError as exc:
        raise ZoteroError(f"could not be copied to be read ({exc.strerror or exc})") from None
    return target


def _check_schema(conn: sqlite3.Connection) -> None:
    try:
        row = conn.execute("SELECT version FROM version WHERE schema = 'userdata'").fetchone()
    except sqlite3.OperationalError:
        raise ZoteroError(
            "does not look like a Zotero database (it has no schema version): point "
            "RA_CORPUS at the Zotero data directory, the folder holding zotero.sqlite"
        ) from None
    if row is None:
        raise ZoteroError(
            "does not look like a Zotero database (no userdata schema version): point "
            "RA_CORPUS at the Zotero data directory, the folder holding zotero.sqlite"
        )
    if int(row[0]) > MAX_SCHEMA:
        raise ZoteroError(
            f"was written by a newer Zotero (database schema {row[0]}, this reader knows up "
            f"to {MAX_SCHEMA}): update research-assistant, or export the library as BibTeX"
        )


def _items(conn: sqlite3.Connection, root: Path) -> Iterator[ZoteroItem]:
    fields_table = "fieldsCombined" if _has_rows(conn, "fieldsCombined") else "fields"
    types_table = "itemTypesCombined" if _has_rows(conn, "itemTypesCombined") else "itemTypes"
    deleted = {row[0] for row in conn.execute("SELECT itemID FROM deletedItems")}
    rows = conn.execute(
        f"SELECT i.itemID, i.key, i.version, i.dateModified, t.typeName FROM items i "
        f"JOIN {types_table} t ON t.itemTypeID = i.itemTypeID ORDER BY i.itemID"
    ).fetchall()
    paths = _collection_paths(conn)
    for item_id, key, version, modified, type_name in rows:
        if type_name in _SKIPPED_TYPES or item_id in deleted:
            continue
        fields = dict(
            conn.execute(
                f"SELECT f.fieldName, v.value FROM itemData d "
                f"JOIN {fields_table} f ON f.fieldID = d.fieldID "
                f"JOIN itemDataValues v ON v.valueID = d.valueID WHERE d.itemID = ?",
                (item_id,),
            ).fetchall()
        )
        title = str(fields.get("title") or "").strip()
        if not title:
            continue
        yield ZoteroItem(
            item_id=item_id,
            key=key,
            version=int(version or 0),
            modified=str(modified or ""),
            title=title,
            authors=_creators(conn, item_id),
            date=str(fields.get("date") or ""),
            venue=next((str(fields[f]) for f in _VENUE_FIELDS if fields.get(f)), None),
            abstract=str(fields["abstractNote"]).strip() if fields.get("abstractNote") else None,
            doi=str(fields["DOI"]).strip() if fields.get("DOI") else None,
            url=str(fields["url"]).strip() if fields.get("url") else None,
            tags=tuple(
                r[0]
                for r in conn.execute(
                    "SELECT t.name FROM itemTags it JOIN tags t ON t.tagID = it.tagID "
                    "WHERE it.itemID = ? ORDER BY t.name",
                    (item_id,),
                )
            ),
            collections=tuple(
                sorted(
                    paths[r[0]]
                    for r in conn.execute(
                        "SELECT collectionID FROM collectionItems WHERE itemID = ?", (item_id,)
                    )
                    if r[0] in paths
                )
            ),
            pdfs=_pdfs(conn, item_id, root, deleted),
            notes=_notes(conn, item_id, deleted),
        )


def _has_rows(conn: sqlite3.Connection, table: str) -> bool:
    try:
        return conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is not None
    except sqlite3.OperationalError:
        return False


def _creators(conn: sqlite3.Connection, item_id: int) -> tuple[str, ...]:
    rows = conn.execute(
        "SELECT c.firstName, c.lastName, c.fieldMode, t.creatorType FROM itemCreators ic "
        "JOIN creators c ON c.creatorID = ic.creatorID "
        "JOIN creatorTypes t ON t.creatorTypeID = ic.creatorTypeID "
        "WHERE ic.itemID = ? ORDER BY ic.orderIndex",
        (item_id,),
    ).fetchall()
    authors = [r for r in rows if r[3] == "author"] or rows
    # fieldMode 1 is a single-field name (an institution): lastName holds all of it.
    return tuple(
        (last or "") if mode == 1 else " ".join(p for p in (first, last) if p)
        for first, last, mode, _ in authors
    )


def _collection_paths(conn: sqlite3.Connection) -> dict[int, str]:
    """collectionID -> 'Parent/Child' names."""
    rows = {
        cid: (name, parent)
        for cid, name, parent in conn.execute(
            "SELECT collectionID, collectionName, parentCollectionID FROM collections"
        )
    }
    out = {}
    for cid in rows:
        names, seen, current = [], set(), cid
        while current in rows and current not in seen:
            seen.add(current)
            name, current = rows[current]
            names.append(name)
        out[cid] = "/".join(reversed(names))
    return out


def _pdfs(
    conn: sqlite3.Connection, item_id: int, root: Path, deleted: set[int]
) -> tuple[Path, ...]:
    out = []
    rows = conn.execute(
        "SELECT a.itemID, i.key, a.path, a.contentType FROM itemAttachments a "
        "JOIN items i ON i.itemID = a.itemID WHERE a.parentItemID = ? ORDER BY a.itemID",
        (item_id,),
    )
    for att_id, att_key, path, content_type in rows:
        if att_id in deleted or not path or content_type != "application/pdf":
            continue
        if path.startswith("storage:"):
            out.append(root / "storage" / att_key / path.removeprefix("storage:"))
        elif not path.startswith(("attachments:", "http")):
            out.append(Path(path))  # a linked file, by absolute path
    return tuple(out)


def _notes(conn: sqlite3.Connection, item_id: int, deleted: set[int]) -> tuple[str, ...]:
    rows = conn.execute(
        "SELECT itemID, note FROM itemNotes WHERE parentItemID = ? ORDER BY itemID", (item_id,)
    )
    return tuple(text for nid, note in rows if nid not in deleted and (text := _plain(note or "")))


def _plain(note: str) -> str:
    """A note's HTML as text: paragraphs kept, tags and entities gone."""
    text = re.sub(r"</(?:p|div|h\d|li)>|<br\s*/?>", "\n\n", note, flags=re.I)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return "\n\n".join(p.strip() for p in re.split(r"\n\s*\n", text) if p.strip())


def item_result(item: ZoteroItem, root: Path) -> tuple[ParseResult, str | None]:
    """The item as a paper (Zotero's fields first, the PDF's filling gaps), its PDFs'
    sections cited by page, and its notes; a note when an attachment could not be read."""
    from retrieval.parsers import ParseError
    from retrieval.parsers.pdf import read_pdf

    sections: list[Section] = []
    problems: list[str] = []
    pdf_paper: Paper | None = None
    for pdf in item.pdfs:
        name = _display(pdf, root)
        try:
            reading = read_pdf(pdf.read_bytes(), name)
        except ParseError as exc:
            problems.append(f"{name} {exc}")
            continue
        except OSError as exc:
            problems.append(f"{name} cannot be read ({exc.strerror or exc}): sync it in Zotero")
            continue
        if reading.parsed.papers and pdf_paper is None:
            pdf_paper = reading.parsed.papers[0]
        for s in reading.parsed.sections:
            sections.append(Section((item.title, *s.heading_path[1:]), s.text, s.source))
    source = Source(f"zotero:{item.key}", 1)
    for note in item.notes:
        sections.append(Section((item.title, "Zotero note"), note, source))
    links = tuple(
        link
        for link in (
            Link("doi", f"https://doi.org/{item.doi}") if item.doi else None,
            Link("url", item.url) if item.url else None,
        )
        if link is not None
    )
    origins = [("title", "Zotero")]
    for name, from_zotero, from_pdf in (
        ("authors", item.authors, pdf_paper and pdf_paper.authors),
        ("year", item.year, pdf_paper and pdf_paper.year),
        ("venue", item.venue, pdf_paper and pdf_paper.venue),
        ("abstract", item.abstract, pdf_paper and pdf_paper.abstract),
    ):
        if from_zotero:
            origins.append((name, "Zotero"))
        elif from_pdf and pdf_paper is not None:
            pdf_origin = dict(pdf_paper.origins).get(name, "the PDF")
            origins.append((name, f"{pdf_paper.sources[0].file}: {pdf_origin}"))
    if item.tags:
        origins.append(("keywords", "Zotero tags"))
    if item.collections:
        origins.append(("topic", "Zotero collections"))
    paper = Paper(
        title=item.title,
        authors=item.authors or (pdf_paper.authors if pdf_paper else ()),
        year=item.year or (pdf_paper.year if pdf_paper else None),
        venue=item.venue or (pdf_paper.venue if pdf_paper else None),
        keywords=item.tags,
        abstract=item.abstract or (pdf_paper.abstract if pdf_paper else None),
        topic="; ".join(item.collections) or None,
        sources=(source, *(pdf_paper.sources if pdf_paper else ())),
        links=links,
        origins=tuple(origins),
    )
    return ParseResult(papers=[paper], sections=sections), "; ".join(problems) or None


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
