"""A small Zotero data directory for tests: zotero.sqlite with the tables the reader
uses, laid out as Zotero's published schema has them (zotero/zotero,
resource/schema/userdata.sql, schema 107+, and system.sql), and storage/ with PDFs.

Only the tables and columns the reader touches are created; their names and meaning
follow the schema, so a real Zotero database reads the same way.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

SCHEMA = """
CREATE TABLE version (schema TEXT PRIMARY KEY, version INT NOT NULL);
CREATE TABLE itemTypes (itemTypeID INTEGER PRIMARY KEY, typeName TEXT,
    templateItemTypeID INT, display INT DEFAULT 1);
CREATE TABLE fields (fieldID INTEGER PRIMARY KEY, fieldName TEXT, fieldFormatID INT);
CREATE TABLE creatorTypes (creatorTypeID INTEGER PRIMARY KEY, creatorType TEXT);
CREATE TABLE libraries (libraryID INTEGER PRIMARY KEY, type TEXT NOT NULL,
    editable INT NOT NULL, filesEditable INT NOT NULL, version INT NOT NULL DEFAULT 0,
    storageVersion INT NOT NULL DEFAULT 0, lastSync INT NOT NULL DEFAULT 0,
    archived INT NOT NULL DEFAULT 0);
CREATE TABLE items (itemID INTEGER PRIMARY KEY, itemTypeID INT NOT NULL,
    dateAdded TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    dateModified TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    clientDateModified TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    libraryID INT NOT NULL, key TEXT NOT NULL, version INT NOT NULL DEFAULT 0,
    synced INT NOT NULL DEFAULT 0, UNIQUE (libraryID, key));
CREATE TABLE itemDataValues (valueID INTEGER PRIMARY KEY, value UNIQUE);
CREATE TABLE itemData (itemID INT, fieldID INT, valueID, PRIMARY KEY (itemID, fieldID));
CREATE TABLE itemNotes (itemID INTEGER PRIMARY KEY, parentItemID INT, note TEXT, title TEXT);
CREATE TABLE itemAttachments (itemID INTEGER PRIMARY KEY, parentItemID INT, linkMode INT,
    contentType TEXT, charsetID INT, path TEXT, syncState INT DEFAULT 0,
    storageModTime INT, storageHash TEXT);
CREATE TABLE tags (tagID INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE itemTags (itemID INT NOT NULL, tagID INT NOT NULL, type INT NOT NULL,
    PRIMARY KEY (itemID, tagID));
CREATE TABLE creators (creatorID INTEGER PRIMARY KEY, firstName TEXT, lastName TEXT,
    fieldMode INT, UNIQUE (lastName, firstName, fieldMode));
CREATE TABLE itemCreators (itemID INT NOT NULL, creatorID INT NOT NULL,
    creatorTypeID INT NOT NULL DEFAULT 1, orderIndex INT NOT NULL DEFAULT 0,
    PRIMARY KEY (itemID, creatorID, creatorTypeID, orderIndex), UNIQUE (itemID, orderIndex));
CREATE TABLE collections (collectionID INTEGER PRIMARY KEY, collectionName TEXT NOT NULL,
    parentCollectionID INT DEFAULT NULL,
    clientDateModified TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    libraryID INT NOT NULL, key TEXT NOT NULL, version INT NOT NULL DEFAULT 0,
    synced INT NOT NULL DEFAULT 0, UNIQUE (libraryID, key));
CREATE TABLE collectionItems (collectionID INT NOT NULL, itemID INT NOT NULL,
    orderIndex INT NOT NULL DEFAULT 0, PRIMARY KEY (collectionID, itemID));
CREATE TABLE deletedItems (itemID INTEGER PRIMARY KEY,
    dateDeleted DEFAULT CURRENT_TIMESTAMP NOT NULL);
INSERT INTO libraries VALUES (1, 'user', 1, 1, 0, 0, 0, 0);
INSERT INTO itemTypes VALUES (1, 'note', NULL, 0), (2, 'book', NULL, 2),
    (4, 'journalArticle', NULL, 2), (14, 'attachment', NULL, 0),
    (33, 'conferencePaper', NULL, 1);
INSERT INTO fields VALUES (1, 'url', NULL), (12, 'publicationTitle', NULL),
    (14, 'date', NULL), (26, 'DOI', NULL), (90, 'abstractNote', NULL), (110, 'title', NULL),
    (114, 'proceedingsTitle', NULL);
INSERT INTO creatorTypes VALUES (1, 'author'), (2, 'contributor'), (3, 'editor');
"""
TYPES = {"note": 1, "book": 2, "journalArticle": 4, "attachment": 14, "conferencePaper": 33}
FIELDS = {"url": 1, "publicationTitle": 12, "date": 14, "DOI": 26, "abstractNote": 90,
          "title": 110, "proceedingsTitle": 114}  # fmt: skip


@dataclass
class Item:
    """A regular item to put in the library."""

    key: str
    title: str
    authors: list[tuple[str, str]] = field(default_factory=list)  # (first, last)
    fields: dict[str, str] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    collections: list[str] = field(default_factory=list)  # 'Parent/Child'
    pdf: bytes | None = None
    notes: list[str] = field(default_factory=list)
    deleted: bool = False
    item_type: str = "journalArticle"
    version: int = 1


def build_library(root: Path, items: list[Item], *, schema_version: int = 120) -> Path:
    """Write `root`/zotero.sqlite (and storage/) holding `items`; returns `root`."""
    root.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(root / "zotero.sqlite")
    conn.executescript(SCHEMA)
    conn.execute("INSERT INTO version VALUES ('userdata', ?)", (schema_version,))
    collections: dict[str, int] = {}
    next_id = 1

    def new_item(type_name: str, key: str, version: int = 1) -> int:
        nonlocal next_id
        item_id = next_id
        next_id += 1
        conn.execute(
            "INSERT INTO items (itemID, itemTypeID, libraryID, key, version, dateModified) "
            "VALUES (?, ?, 1, ?, ?, ?)",
            (item_id, TYPES[type_name], key, version, f"2024-01-0{version % 9 + 1} 10:00:00"),
        )
        return item_id

    def collection(path: str) -> int:
        parent = None
        for depth, name in enumerate(path.split("/")):
            sub = "/".join(path.split("/")[: depth + 1])
            if sub not in collections:
                collections[sub] = len(collections) + 1
                conn.execute(
                    "INSERT INTO collections (collectionID, collectionName, parentCollectionID,"
                    " libraryID, key) VALUES (?, ?, ?, 1, ?)",
                    (collections[sub], name, parent, f"COLL{collections[sub]:04d}"),
                )
            parent = collections[sub]
        return collections[path]

    for item in items:
        item_id = new_item(item.item_type, item.key, item.version)
        for name, value in {"title": item.title, **item.fields}.items():
            conn.execute("INSERT OR IGNORE INTO itemDataValues (value) VALUES (?)", (value,))
            (value_id,) = conn.execute(
                "SELECT valueID FROM itemDataValues WHERE value = ?", (value,)
            ).fetchone()
            conn.execute("INSERT INTO itemData VALUES (?, ?, ?)", (item_id, FIELDS[name], value_id))
        for index, (first, last) in enumerate(item.authors):
            conn.execute(
                "INSERT OR IGNORE INTO creators (firstName, lastName, fieldMode) VALUES (?, ?, 0)",
                (first, last),
            )
            (creator_id,) = conn.execute(
                "SELECT creatorID FROM creators WHERE firstName = ? AND lastName = ?", (first, last)
            ).fetchone()
            conn.execute(
                "INSERT INTO itemCreators VALUES (?, ?, 1, ?)", (item_id, creator_id, index)
            )
        for tag in item.tags:
            conn.execute("INSERT OR IGNORE INTO tags (name) VALUES (?)", (tag,))
            (tag_id,) = conn.execute("SELECT tagID FROM tags WHERE name = ?", (tag,)).fetchone()
            conn.execute("INSERT INTO itemTags VALUES (?, ?, 0)", (item_id, tag_id))
        for path in item.collections:
            conn.execute(
                "INSERT INTO collectionItems VALUES (?, ?, 0)", (collection(path), item_id)
            )
        if item.pdf is not None:
            att_key = f"A{item.key[1:]}"
            att_id = new_item("attachment", att_key)
            conn.execute(
                "INSERT INTO itemAttachments (itemID, parentItemID, linkMode, contentType, path) "
                "VALUES (?, ?, 0, 'application/pdf', 'storage:paper.pdf')",
                (att_id, item_id),
            )
            folder = root / "storage" / att_key
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "paper.pdf").write_bytes(item.pdf)
        for index, note in enumerate(item.notes):
            note_id = new_item("note", f"N{item.key[1:]}{index}")
            conn.execute(
                "INSERT INTO itemNotes (itemID, parentItemID, note, title) VALUES (?, ?, ?, '')",
                (note_id, item_id, note),
            )
        if item.deleted:
            conn.execute("INSERT INTO deletedItems (itemID) VALUES (?)", (item_id,))
    conn.commit()
    conn.close()
    return root
