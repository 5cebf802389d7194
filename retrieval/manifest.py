"""The index manifest: what each indexed file held, so unchanged files are not parsed
or embedded again, and whether the last index run finished.

It is one JSON file written atomically (temp file + rename). `status` is "building"
from the moment a run starts changing the indexes until it has finished both, so a
run killed halfway leaves a manifest that says so, and the next run repairs it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from retrieval.atomic import write_atomic
from retrieval.loaders import Cached, LoadedFile
from retrieval.records import Link, Paper, ParseResult, Section, Source

MANIFEST_VERSION = 1
# Bump when any parser's output changes: parses cached under another version are not
# reused, so an upgraded `ra` re-reads the corpus (and re-embeds only changed chunks).
PARSER_VERSION = 3


@dataclass
class Manifest:
    embeddings: str
    status: str = "empty"  # "empty" | "building" | "complete"
    files: dict[str, LoadedFile] = field(default_factory=dict)  # keyed by absolute path
    chunks: int = 0
    papers: int = 0
    chunk_digest: str = ""  # of the sorted chunk ids: changes when chunking changes
    parsers: int = PARSER_VERSION

    def cache(self) -> dict[str, Cached]:
        """What each file held, for `load_corpus(cache=...)`; nothing when the parses
        were made by another version of the parsers."""
        if self.parsers != PARSER_VERSION:
            return {}
        return {
            key: Cached(sha256=e.sha256, parser=e.parser, result=e.result, note=e.note)
            for key, e in self.files.items()
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "version": MANIFEST_VERSION,
            "embeddings": self.embeddings,
            "status": self.status,
            "chunks": self.chunks,
            "papers": self.papers,
            "chunk_digest": self.chunk_digest,
            "parsers": self.parsers,
            "files": [
                {
                    "file": e.file,
                    "path": str(e.path),
                    "parser": e.parser,
                    "sha256": e.sha256,
                    "size": e.size,
                    "mtime_ns": e.mtime_ns,
                    "note": e.note,
                    "result": result_to_json(e.result),
                }
                for e in self.files.values()
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Manifest:
        files = {}
        for raw in data.get("files", []):
            entry = LoadedFile(
                file=raw["file"],
                path=Path(raw["path"]),
                sha256=raw["sha256"],
                size=raw["size"],
                mtime_ns=raw["mtime_ns"],
                parser=raw["parser"],
                note=raw.get("note"),
                result=result_from_json(raw["result"]),
            )
            files[str(entry.path)] = entry
        return cls(
            embeddings=data["embeddings"],
            status=data.get("status", "empty"),
            files=files,
            chunks=data.get("chunks", 0),
            papers=data.get("papers", 0),
            chunk_digest=data.get("chunk_digest", ""),
            parsers=data.get("parsers", 1),
        )


def load_manifest(path: Path, embeddings: str) -> Manifest:
    """The saved manifest, or an empty one if it is missing, unreadable or of another model."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != MANIFEST_VERSION:
            return Manifest(embeddings=embeddings)
        manifest = Manifest.from_json(data)
    except (OSError, ValueError, KeyError, TypeError):
        return Manifest(embeddings=embeddings)
    return manifest if manifest.embeddings == embeddings else Manifest(embeddings=embeddings)


def save_manifest(path: Path, manifest: Manifest) -> None:
    """Write atomically: a crash leaves the old manifest or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(manifest.to_json()))


def _source(raw: dict[str, Any]) -> Source:
    return Source(file=raw["file"], line=raw["line"], page=raw.get("page"))


def result_to_json(result: ParseResult) -> dict[str, Any]:
    return {
        "papers": [asdict(p) for p in result.papers],
        "sections": [asdict(s) for s in result.sections],
    }


def result_from_json(data: dict[str, Any]) -> ParseResult:
    papers = [
        Paper(
            title=p["title"],
            authors=tuple(p["authors"]),
            year=p["year"],
            venue=p["venue"],
            keywords=tuple(p["keywords"]),
            abstract=p["abstract"],
            topic=p["topic"],
            sources=tuple(_source(s) for s in p["sources"]),
            links=tuple(Link(**link) for link in p["links"]),
            awards=tuple(p["awards"]),
            bibkey=p["bibkey"],
            id=p["id"],
            bibkey_hint=p.get("bibkey_hint", ""),
            origins=tuple((str(k), str(v)) for k, v in p.get("origins", ())),
        )
        for p in data["papers"]
    ]
    sections = [
        Section(
            heading_path=tuple(s["heading_path"]),
            text=s["text"],
            source=_source(s["source"]),
            kind=s["kind"],
            owner=s["owner"],
            cites=tuple(s["cites"]),
        )
        for s in data["sections"]
    ]
    return ParseResult(papers=papers, sections=sections)
