"""The index manifest: what each indexed file held, so unchanged files are not parsed
or embedded again, and whether the last index run finished.

It is one JSON file, read and written through pydantic models, written atomically. `status` is "building"
from the moment a run starts changing the indexes until it has finished both, so a
run killed halfway leaves a manifest that says so, and the next run repairs it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from retrieval.atomic import write_atomic
from retrieval.loaders import Cached, LoadedFile
from retrieval.records import ParseResult

MANIFEST_VERSION: Final = 1


def parsers_fingerprint(package: Path | None = None) -> str:
    """A hash of the code that turns a file into papers and sections: the parsers, the
    loader, the records and the text helpers they share (of `retrieval/`, or `package`)."""
    package = package or Path(__file__).resolve().parent
    files = sorted((package / "parsers").glob("*.py")) + [
        package / name for name in ("loaders.py", "records.py", "text.py")
    ]
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# Parses cached by other parser code are not reused, so an upgraded `ra` re-reads the
# corpus (and re-embeds only changed chunks). A hash, not a number someone must bump:
# three rounds of parser changes went out under one number.
PARSER_VERSION = parsers_fingerprint()


class _ManifestFile(BaseModel):
    """The manifest's JSON; an older `version` is not read (the index starts over)."""

    version: Literal[1]
    embeddings: str
    status: str = "empty"
    chunks: int = 0
    papers: int = 0
    chunk_digest: str = ""
    parsers: int | str = 1
    # The loader's own records; `reused` only describes one run and is not stored.
    files: list[LoadedFile] = Field(default_factory=list)


@dataclass
class Manifest:
    embeddings: str
    status: str = "empty"  # "empty" | "building" | "complete"
    files: dict[str, LoadedFile] = field(default_factory=dict)  # keyed by absolute path
    chunks: int = 0
    papers: int = 0
    chunk_digest: str = ""  # of the sorted chunk ids: changes when chunking changes
    parsers: int | str = PARSER_VERSION

    def cache(self) -> dict[str, Cached]:
        """What each file held, for `load_corpus(cache=...)`; nothing when the parses
        were made by another version of the parsers."""
        if self.parsers != PARSER_VERSION:
            return {}
        return {
            key: Cached(sha256=e.sha256, parser=e.parser, result=e.result, note=e.note)
            for key, e in self.files.items()
        }

    def to_json_text(self) -> str:
        """The manifest as stored on disk."""
        stored = _ManifestFile(
            version=MANIFEST_VERSION,
            embeddings=self.embeddings,
            status=self.status,
            chunks=self.chunks,
            papers=self.papers,
            chunk_digest=self.chunk_digest,
            parsers=self.parsers,
            files=list(self.files.values()),
        )
        return stored.model_dump_json(exclude={"files": {"__all__": {"reused"}}})

    @classmethod
    def from_json_text(cls, text: str) -> Manifest:
        """The manifest stored in `text`; pydantic's ValidationError when it is not one."""
        stored = _ManifestFile.model_validate_json(text)
        return cls(
            embeddings=stored.embeddings,
            status=stored.status,
            files={str(entry.path): entry for entry in stored.files},
            chunks=stored.chunks,
            papers=stored.papers,
            chunk_digest=stored.chunk_digest,
            parsers=stored.parsers,
        )


def load_manifest(path: Path, embeddings: str) -> Manifest:
    """The saved manifest, or an empty one if it is missing, unreadable or of another model."""
    try:
        manifest = Manifest.from_json_text(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValidationError):
        return Manifest(embeddings=embeddings)
    return manifest if manifest.embeddings == embeddings else Manifest(embeddings=embeddings)


def save_manifest(path: Path, manifest: Manifest) -> None:
    """Write atomically: a crash leaves the old manifest or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, manifest.to_json_text())


_RESULT = TypeAdapter(ParseResult)


def result_to_json(result: ParseResult) -> dict[str, Any]:
    """A parse as JSON-ready data, as the manifest stores it."""
    data: dict[str, Any] = _RESULT.dump_python(result, mode="json")
    return data


def result_from_json(data: dict[str, Any]) -> ParseResult:
    """The parse stored by `result_to_json`; pydantic's ValidationError when it is not one."""
    return _RESULT.validate_python(data)
