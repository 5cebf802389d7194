"""The stamp of the last complete index run: what `ra index` with nothing to do checks.

The manifest holds every file's parse (about 150 MB of JSON at 100k papers), and a
full run rebuilds the catalog and every chunk to find that nothing changed: seconds
at that size. The stamp is a small file beside it with only what decides "nothing
changed": the content hash of every file the corpus walk yields (read or skipped),
the settings that affect reading, and a fingerprint of the `retrieval` package's
source, so a new version of `ra` that parses or chunks differently never takes the
short cut. It is removed before a run changes anything and written after the run
completes, so a killed run leaves no stamp and the next run takes the full path.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from retrieval.atomic import write_atomic
from retrieval.loaders import iter_files
from retrieval.records import Skipped

STAMP_VERSION = 1


@dataclass
class Stamp:
    """What the last complete run read and produced."""

    embeddings: str
    code: str
    roots: list[str]
    max_file_mb: float
    hashes: dict[str, str | None]  # absolute path -> sha256 of every walked file
    walk_skipped: list[list[str]]  # (file, reason) the walk itself reported
    manifest: list[int]  # size and mtime_ns of the manifest the run wrote
    papers: int = 0
    chunks: int = 0
    files: int = 0
    skipped: list[list[str]] = field(default_factory=list)  # (file, reason) of the run
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"version": STAMP_VERSION, **asdict(self)}


@cache
def code_fingerprint() -> str:
    """A hash of the `retrieval` package's Python source (parsers, catalog, chunking...)."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _sha(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def walk_state(roots: list[Path]) -> tuple[dict[str, str | None], list[list[str]]]:
    """(absolute path -> content hash, the walk's own skips) for the corpus as it is now."""
    hashes: dict[str, str | None] = {}
    skipped: list[list[str]] = []
    for item in iter_files(roots):
        if isinstance(item, Skipped):
            skipped.append([item.file, item.reason])
        else:
            hashes[str(item[0].absolute())] = _sha(item[0])
    return hashes, skipped


def load_stamp(path: Path) -> Stamp | None:
    """The saved stamp, or None if there is none or it cannot be read."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.pop("version", None) != STAMP_VERSION:
            return None
        return Stamp(**data)
    except (OSError, ValueError, TypeError):
        return None


def save_stamp(path: Path, stamp: Stamp) -> None:
    """Write atomically (temp file + rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(stamp.to_json()))


def file_stat(path: Path) -> list[int]:
    """[size, mtime_ns], or [] when the file is missing."""
    try:
        st = path.stat()
    except OSError:
        return []
    return [st.st_size, st.st_mtime_ns]


def still_current(
    stamp: Stamp | None, embeddings: str, roots: list[Path], max_file_mb: float, manifest: Path
) -> bool:
    """True when the corpus, the settings, the code and the manifest are what the stamp
    saw (a manifest written since, by a run that did not finish, is not)."""
    if stamp is None or file_stat(manifest) != stamp.manifest:
        return False
    if (
        stamp.embeddings != embeddings
        or stamp.code != code_fingerprint()
        or stamp.roots != [str(r.absolute()) for r in roots]
        or stamp.max_file_mb != max_file_mb
    ):
        return False
    hashes, skipped = walk_state(roots)
    return hashes == stamp.hashes and skipped == stamp.walk_skipped
