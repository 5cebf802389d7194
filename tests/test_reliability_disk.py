"""Writes that fail and indexes that change underfoot: an export to a full or read-only
disk, a directory or a locked folder keeps what was there; answering while an index run
changes the index corrupts nothing."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from assistant.library import Library
from assistant.settings import Settings
from tests.fake_openai import FakeOpenAI, closed_port_url, fake_openai  # noqa: F401 - fixture
from tests.fakes import WordOverlapEmbeddings
from tests.reliability_corpus import CORPUS, QUESTION, ROOT, small_corpus

# Run in a private mount namespace (`unshare -rm`: no root needed where user namespaces
# are allowed), so the tiny file systems vanish with the child and nothing is mounted
# on the test machine itself.
_EXPORT_FAULTS = """
import os, sys
from pathlib import Path
from assistant.errors import UserError
from assistant.export import write_text
disk = Path(sys.argv[1])
print("MOUNTED", flush=True)
target = disk / "list.md"
target.write_text("the old list\\n")
if sys.argv[2] == "full":  # fill the disk to the last block
    fd = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"x" * 4096)
    except OSError:
        os.close(fd)
else:  # the directory becomes read-only
    os.system(f"mount -o remount,ro {disk}")
try:
    write_text(target, "the new list\\n" * 20000)
    print("WRITTEN")
except UserError as exc:
    print("ERROR", exc)
print("OLD", target.read_text().strip())
print("LEFT", sorted(p.name for p in disk.iterdir()))
"""


def _in_tiny_filesystem(tmp_path: Path, fault: str) -> str:
    disk = tmp_path / fault
    disk.mkdir()
    script = (
        f'mount -t tmpfs -o size=64k tmpfs {disk} && exec {sys.executable} -c "$0" {disk} {fault}'
    )
    for prefix in (["unshare", "-rm"], ["unshare", "-m"]):
        run = subprocess.run(
            [*prefix, "sh", "-c", script, _EXPORT_FAULTS],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        if "MOUNTED" in run.stdout:  # from here on, any failure is the test's to report
            return run.stdout + run.stderr
    pytest.skip(f"cannot mount a tiny tmpfs here (no user or mount namespaces): {run.stderr}")


@pytest.mark.parametrize(
    ("fault", "sentence"),
    [("full", "No space left on device"), ("readonly", "Read-only file system")],
    ids=["full", "readonly"],
)
def test_an_export_to_a_full_or_read_only_disk_keeps_the_old_file(
    tmp_path: Path, fault: str, sentence: str
) -> None:
    out = _in_tiny_filesystem(tmp_path, fault)
    assert "Cannot write" in out and sentence in out and "choose another path" in out
    assert "WRITTEN" not in out
    assert "OLD the old list" in out  # intact: the write went to a temporary file first
    assert ".tmp" not in out.split("LEFT", 1)[1]  # and the temporary file is gone


def test_an_export_to_a_directory_or_a_locked_folder_keeps_what_was_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from assistant.errors import UserError
    from assistant.export import write_text

    folder = tmp_path / "lists"
    folder.mkdir()
    (folder / "old.md").write_text("kept")
    with pytest.raises(UserError, match="is a directory: give a file name"):
        write_text(folder, "new")
    assert [p.name for p in folder.iterdir()] == ["old.md"]
    if os.geteuid() != 0:  # root writes through permission bits: the mount test covers it
        locked = tmp_path / "locked"
        locked.mkdir()
        (locked / "list.md").write_text("the old list")
        locked.chmod(0o555)
        try:
            with pytest.raises(UserError, match="permission denied"):
                write_text(locked / "list.md", "new")
        finally:
            locked.chmod(0o755)
        assert (locked / "list.md").read_text() == "the old list"


def test_answering_while_indexing_corrupts_nothing(tmp_path: Path) -> None:
    from langchain_core.language_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage

    from assistant.ask import Done
    from assistant.workspace import Workspace

    corpus = small_corpus(tmp_path)
    settings = Settings(data_dir=tmp_path / "data", corpus=str(corpus))
    library = Library(settings, embeddings=WordOverlapEmbeddings())
    # As many replies as the loop asks for: a slow index run on a loaded machine can take
    # more answers than any fixed number (each uses two: condense, then answer).
    replies = itertools.repeat(AIMessage(content="Label smoothing helps [1]."))
    workspace = Workspace(settings, llm=GenericFakeChatModel(messages=replies), library=library)
    workspace.prepare()
    session = workspace.session()
    shutil.copy(CORPUS / "daily-papers-over-parameterization.txt", corpus)
    errors: list[BaseException] = []

    def index() -> None:
        try:
            library.index()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    indexer = threading.Thread(target=index)
    indexer.start()
    answers = 0
    while indexer.is_alive() or answers < 10:
        events = list(session.ask(QUESTION))
        answers += isinstance(events[-1], Done)
    indexer.join()
    assert not errors
    # The hazard happened: the session's searcher, opened before the run, answered
    # while the store gained chunks its catalog does not know (it must skip them).
    stale = set(library.open_store().ids()) - set(workspace.searcher.chunks)
    assert stale
    turns = workspace.history.turns(session.id)
    assert len(turns) == answers and all(t.status == "complete" for t in turns)
    fresh = library.searcher()
    assert fresh.search("grokking", k=3)  # the new file's papers are searchable
    assert library.index().embedded == 0  # and the index is complete: nothing left to do
