"""Walk corpus paths, pick a parser per file, and collect what they read.

A bad file never stops a run: it becomes a `Skipped` with a reason a user can act
on, and the other files still load. Specialised parsers (awesome list, daily feed,
publication page, research statement, CV) recognise their files by content and run
before the generic ones (Markdown, plain text, BibTeX, PDF), which go by extension.
A corpus root that is a Zotero data directory (it holds zotero.sqlite) is read as a
library by `retrieval.zotero`, one loaded entry per item, instead of file by file.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from retrieval import zotero
from retrieval.parsers import (
    ParseError,
    awesome_list,
    bibtex,
    cv,
    daily_feed,
    markdown,
    pdf,
    plaintext,
    publication_page,
    research_statement,
)
from retrieval.records import ParseResult, Skipped

log = logging.getLogger(__name__)

# Content-detected formats, most specific first.
SPECIALISED: tuple[ModuleType, ...] = (
    awesome_list,
    daily_feed,
    publication_page,
    research_statement,
    cv,
)
TEXT_SUFFIXES = {".md", ".markdown", ".txt", ".text", ".rst", ""}
SUPPORTED = ".md .markdown .txt .text .rst .bib .pdf"
_SNIFF_BYTES = 8192


@dataclass(frozen=True)
class LoadedFile:
    """One file that loaded: its name, the parser that read it, a content hash, what it held.

    `reused` is true when the result came from a previous run's manifest because the
    content hash had not changed.
    """

    file: str
    path: Path
    parser: str
    sha256: str
    size: int
    mtime_ns: int
    result: ParseResult
    note: str | None = None
    reused: bool = False

    @property
    def papers(self) -> int:
        return len(self.result.papers)

    @property
    def sections(self) -> int:
        return len(self.result.sections)


@dataclass(frozen=True)
class Cached:
    """What a previous run read from a file, offered back to skip parsing it again."""

    sha256: str
    parser: str
    result: ParseResult
    note: str | None = None


@dataclass
class LoadResult:
    """Everything read from the corpus, before papers are merged across sources."""

    files: list[LoadedFile] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def result(self) -> ParseResult:
        """All papers and sections of every file, in load order."""
        merged = ParseResult()
        for loaded in self.files:
            merged.papers.extend(loaded.result.papers)
            merged.sections.extend(loaded.result.sections)
        return merged


def iter_files(roots: Sequence[Path]) -> Iterator[tuple[Path, str] | Skipped]:
    """Yield (path, display name) for every candidate file, or a `Skipped` for a bad path.

    Directories are walked recursively in sorted order, following symlinks but never
    visiting a directory twice (so a symlink loop ends), skipping hidden entries.
    The display name is relative to the root directory, or the bare name for a file.
    """
    for root in roots:
        try:
            st = root.stat()
        except FileNotFoundError:
            yield Skipped(str(root), "does not exist: check the path (RA_CORPUS or --corpus)")
            continue
        except OSError as exc:
            yield Skipped(str(root), f"cannot be read ({_os_reason(exc)})")
            continue
        if not os.path.isdir(root):
            yield root, root.name
            continue
        seen: set[tuple[int, int]] = {(st.st_dev, st.st_ino)}
        yield from _walk(root, root, seen)


def _walk(
    root: Path, directory: Path, seen: set[tuple[int, int]]
) -> Iterator[tuple[Path, str] | Skipped]:
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        yield Skipped(_rel(root, directory), f"cannot be listed ({_os_reason(exc)})")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir(follow_symlinks=True)
            st = entry.stat(follow_symlinks=True)
        except OSError as exc:
            yield Skipped(_rel(root, path), f"cannot be read ({_os_reason(exc)})")
            continue
        if is_dir:
            key = (st.st_dev, st.st_ino)
            if key in seen:
                continue  # a symlink back to a directory already walked
            seen.add(key)
            yield from _walk(root, path, seen)
        else:
            yield path, _rel(root, path)


def _rel(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _os_reason(exc: OSError) -> str:
    if exc.errno == 40:  # ELOOP
        return "a symlink loop"
    return exc.strerror or type(exc).__name__


def load_corpus(
    roots: Sequence[Path],
    *,
    max_file_mb: float = 20.0,
    cache: Mapping[str, Cached] | None = None,
) -> LoadResult:
    """Read every file under `roots`; bad files are skipped with a reason.

    `cache` maps absolute paths to what an earlier run read; a file whose content
    hash is unchanged is not parsed again.
    """
    out = LoadResult()
    for root in roots:
        if zotero.is_library(root):
            _load_zotero(root, out, cache)
            continue
        _load_files(root, out, max_file_mb, cache)
    return out


def _load_files(
    root: Path, out: LoadResult, max_file_mb: float, cache: Mapping[str, Cached] | None
) -> None:
    for item in iter_files([root]):
        if isinstance(item, Skipped):
            out.skipped.append(item)
            continue
        path, name = item
        cached = cache.get(str(path.absolute())) if cache else None
        loaded = load_file(path, name, max_file_mb=max_file_mb, cached=cached)
        if isinstance(loaded, Skipped):
            out.skipped.append(loaded)
        else:
            out.files.append(loaded)


def _load_zotero(root: Path, out: LoadResult, cache: Mapping[str, Cached] | None) -> None:
    """Each item of a Zotero library as one loaded 'file' keyed by its item key, reusing
    what an earlier run read when the item and its attachments are unchanged."""
    db = root / zotero.DATABASE
    try:
        items = zotero.read_items(root)
        st = db.stat()
    except zotero.ZoteroError as exc:
        out.skipped.append(Skipped(str(db), str(exc)))
        return
    except OSError as exc:
        out.skipped.append(Skipped(str(db), f"cannot be read ({_os_reason(exc)})"))
        return
    for item in items:
        path = db.parent / f"{zotero.DATABASE}#{item.key}"
        name = f"zotero:{item.key}"
        digest = item.fingerprint()
        cached = cache.get(str(path.absolute())) if cache else None
        if cached is not None and cached.sha256 == digest:
            result, note, reused = cached.result, cached.note, True
        else:
            result, note = zotero.item_result(item, root)
            reused = False
        out.files.append(
            LoadedFile(
                file=name,
                path=path,
                parser=zotero.NAME,
                sha256=digest,
                size=st.st_size,
                mtime_ns=st.st_mtime_ns,
                result=result,
                note=note,
                reused=reused,
            )
        )


def load_file(
    path: Path, name: str, *, max_file_mb: float = 20.0, cached: Cached | None = None
) -> LoadedFile | Skipped:
    """Parse one file (or reuse `cached` if its content is unchanged), or say why not."""
    try:
        data = path.read_bytes()
        st = path.stat()
    except OSError as exc:
        return Skipped(name, f"cannot be read ({_os_reason(exc)})")
    if not data.strip():
        return Skipped(name, "is empty")
    digest = hashlib.sha256(data).hexdigest()
    if cached is not None and cached.sha256 == digest:
        return LoadedFile(
            file=name,
            path=path,
            parser=cached.parser,
            sha256=digest,
            size=st.st_size,
            mtime_ns=st.st_mtime_ns,
            result=cached.result,
            note=cached.note,
            reused=True,
        )
    try:
        parser, parsed, note = _parse(data, path, name, max_file_mb)
    except ParseError as exc:
        return Skipped(name, str(exc))
    except RecursionError:
        return Skipped(name, "is nested too deeply to parse")
    except Exception as exc:  # a parser bug must not stop the batch; say which file
        log.exception("parser failed on %s", name)
        return Skipped(
            name, f"could not be parsed ({type(exc).__name__}: {exc}); please report this"
        )
    if not parsed.papers and not parsed.sections:
        return Skipped(name, "holds no papers or text that could be read")
    return LoadedFile(
        file=name,
        path=path,
        parser=parser,
        sha256=digest,
        size=st.st_size,
        mtime_ns=st.st_mtime_ns,
        result=parsed,
        note=note,
    )


def _parse(
    data: bytes, path: Path, name: str, max_file_mb: float
) -> tuple[str, ParseResult, str | None]:
    suffix = path.suffix.lower()
    if data.startswith(b"%PDF-"):
        parsed, note = pdf.parse_pdf_with_note(data, name)
        return pdf.NAME, parsed, note
    if suffix == ".pdf":
        raise ParseError("is not a readable PDF (it does not start with a PDF header)")
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise ParseError("is a binary file, not text or PDF")
    if len(data) > max_file_mb * 1024 * 1024:
        size = len(data) / 1024 / 1024
        raise ParseError(
            f"is {size:.0f} MB, over the {max_file_mb:g} MB limit for text files "
            "(raise RA_MAX_FILE_MB to load it)"
        )
    if suffix not in TEXT_SUFFIXES and suffix != ".bib":
        raise ParseError(f"has an unsupported type ({suffix}); supported: {SUPPORTED}")
    text = _decode(data)
    if suffix == ".bib":
        parsed, failed = bibtex.parse_with_failures(text, name)
        note = f"{failed} BibTeX entries could not be read" if failed else None
        return bibtex.NAME, parsed, note
    for module in SPECIALISED:
        if module.detect(text, path):
            return module.NAME, module.parse(text, name), None
    generic = markdown if suffix in {".md", ".markdown"} else plaintext
    return generic.NAME, generic.parse(text, name), None


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(
            f"is not UTF-8 text (bad byte at offset {exc.start}); re-save it as UTF-8"
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")
