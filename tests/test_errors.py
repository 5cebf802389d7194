"""One error family: every error class of ours descends from `RaError`, whose `advice`
is the sentence the CLI prints and the TUI shows. Read from the source, like the layers."""

from __future__ import annotations

import ast
import builtins

from tests.test_layers import LAYERS, ROOT, module_files

# The roots allowed besides RaError, and why they are not problems a user can fix.
OTHER_ROOTS = {
    "RaError": "the root itself",
    "AnswerCancelled": "control flow: the user stopped an answer on purpose",
    "PromptError": "a bug: a prompt file or variable missing from the package",
}
BUILTIN_EXCEPTIONS = {
    name
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
}


def test_every_error_class_descends_from_ra_error() -> None:
    roots = {}
    for name, path in module_files(ROOT, LAYERS).items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef):
                bases = {ast.unparse(b).split(".")[-1] for b in node.bases}
                if bases & BUILTIN_EXCEPTIONS:
                    roots[node.name] = f"{name} ({', '.join(sorted(bases))})"
    assert len(roots) >= len(OTHER_ROOTS)  # the scan found the classes at all
    strays = {k: v for k, v in roots.items() if k not in OTHER_ROOTS}
    assert not strays, f"error roots outside the RaError family: {strays}"


def test_each_family_member_carries_its_sentence_as_advice() -> None:
    from assistant.errors import LlmError, UserError
    from assistant.history import HistoryError
    from retrieval.errors import IndexMissing, RaError
    from retrieval.parsers import ParseError
    from retrieval.zotero import ZoteroError
    from tui.commands import CommandError

    for cls in (UserError, HistoryError, IndexMissing, ParseError, ZoteroError, CommandError):
        error = cls("Run `ra index` first.")
        assert isinstance(error, RaError) and error.advice == "Run `ra index` first."
    assert issubclass(LlmError, RaError) and not issubclass(LlmError, ValueError)
