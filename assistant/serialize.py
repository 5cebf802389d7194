"""Plain JSON views of catalog records, the shapes `--json` promises in docs/commands.md."""

from __future__ import annotations

import json
import sys
from typing import Any

from retrieval.records import Paper, Section, Source


def source_json(source: Source) -> dict[str, Any]:
    """{"file": name, "line": int}, plus "page" for PDFs."""
    out: dict[str, Any] = {"file": source.file, "line": source.line}
    if source.page is not None:
        out["page"] = source.page
    return out


def paper_json(paper: Paper) -> dict[str, Any]:
    """Exactly the keys of `ra papers --json`."""
    return {
        "id": paper.id,
        "title": paper.title,
        "authors": list(paper.authors),
        "year": paper.year,
        "venue": paper.venue,
        "keywords": list(paper.keywords),
        "abstract": paper.abstract,
        "topic": paper.topic,
        "bibkey": paper.bibkey,
        "sources": [source_json(s) for s in paper.sources],
    }


def paper_detail_json(paper: Paper) -> dict[str, Any]:
    """Everything known about one paper: the listing keys plus links and awards."""
    out = paper_json(paper)
    out["links"] = [{"label": link.label, "url": link.url} for link in paper.links]
    out["awards"] = list(paper.awards)
    return out


def section_json(section: Section) -> dict[str, Any]:
    return {
        "heading": section.heading,
        "heading_path": list(section.heading_path),
        "kind": section.kind,
        "owner": section.owner,
        "text": section.text,
        "source": source_json(section.source),
        "cites": list(section.cites),
    }


def print_json(data: object) -> None:
    """Machine-readable output: plain JSON on stdout, no colour and no wrapping."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
