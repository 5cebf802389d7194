"""Run the real `ra` entry point in-process and capture what a user would see."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import pytest

from shell.cli import main
from shell.wiring import Collaborators

# What `run_cli` hands `main` when the call names none (set by `handing`).
_HANDED: ContextVar[Collaborators | None] = ContextVar("handed", default=None)


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@contextmanager
def handing(collaborators: Collaborators) -> Iterator[None]:
    """Every `run_cli` inside the block hands `main` these (fake embeddings, a fake LLM)."""
    token = _HANDED.set(collaborators)
    try:
        yield
    finally:
        _HANDED.reset(token)


def run_cli(
    capsys: pytest.CaptureFixture[str], *args: str, collaborators: Collaborators | None = None
) -> Run:
    """`ra ARGS...` through `main()`, so exit codes and error sentences are the real ones."""
    capsys.readouterr()
    argv = sys.argv
    sys.argv = ["ra", *args]
    try:
        main(collaborators or _HANDED.get())
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv = argv
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)
