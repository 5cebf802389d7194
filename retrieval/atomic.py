"""Atomic file replacement: the one way this program overwrites a file or a directory.

A file is written beside its target under a hidden temporary name and renamed over
it only once complete, so a crash, a full disk or a kill leaves either the old file
or the new one, never half of one; the temporary file never outlives a failure. The
new file gets the mode a plain `open(path, "w")` would give it (the old file's mode,
or 0o666 less the umask), not the private 0600 of a temporary file.

Simplified on purpose: the directory itself is not fsync'ed after the rename, so a
power cut may still lose the rename (never the old file's content).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replacing(target: Path, suffix: str = ".tmp") -> Iterator[Path]:
    """A temporary path beside `target` to write; it replaces `target` when the block ends
    without an error and is removed when it raises.

    with replacing(Path('model.onnx')) as tmp: export(tmp)  # model.onnx now the new file
    """
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}-", suffix=suffix)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, target.stat().st_mode & 0o777 if target.exists() else _default_mode())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


@contextmanager
def replacing_directory(target: Path) -> Iterator[Path]:
    """A temporary directory beside `target` to fill; it takes `target`'s place when the
    block ends without an error and is removed when it raises.

    The old directory is renamed aside, the new one renamed in, then the old removed:
    a crash between the two renames leaves `target.old`, which the next save clears.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}-"))
    try:
        yield tmp
        old = target.with_name(target.name + ".old")
        if target.exists():
            shutil.rmtree(old, ignore_errors=True)
            target.rename(old)
        tmp.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write_atomic(path: Path, text: str) -> None:
    """Write `text` (UTF-8) to `path` atomically, flushed to disk before the rename.

    OSError (a missing directory, no permission, a full disk) reaches the caller, who
    knows what to tell the user; the old file is then untouched."""
    with replacing(path) as tmp, tmp.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def _default_mode() -> int:
    """0o666 less the umask, as open() would create the file."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
