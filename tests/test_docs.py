"""The README, docs/commands.md and ARCHITECTURE.md stay true to the code: every
setting, command, option and TUI command is documented where a reader looks for it,
and every module the map names exists."""

from __future__ import annotations

import ast
import builtins
import re
from pathlib import Path
from typing import Any

import typer
from textual.binding import Binding

from assistant.settings import Settings
from shell.cli import app
from tui.app import ResearchApp
from tui.commands import COMMANDS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS_DOC = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")


def _leaves(group: Any, prefix: str) -> list[tuple[str, Any]]:
    """('ra history show', its command) for every command under `group`, groups included."""
    out: list[tuple[str, Any]] = []
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        out.append((path, command))
        if hasattr(command, "commands"):
            out += _leaves(command, path)
    return out


def test_every_setting_is_in_the_readme_configuration_table() -> None:
    table = README.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    for name, field in Settings.model_fields.items():
        env = "OPENAI_API_KEY" if name == "openai_api_key" else f"RA_{name.upper()}"
        assert f"| `{env}` |" in table, f"{env} ({field.description}) is missing"


def test_every_command_and_option_has_its_section_in_docs_commands() -> None:
    root = typer.main.get_command(app)
    headings = re.findall(r"^## (.+)$", COMMANDS_DOC, re.M)
    for path, command in _leaves(root, "ra"):
        if path == "ra eval":
            continue  # a group of its own commands, each with a section
        section = next((h for h in headings if f"`{path} " in h or f"`{path}`" in h), None)
        assert section is not None, f"no section for {path}"
        start = COMMANDS_DOC.index(section)
        end = COMMANDS_DOC.find("\n## ", start + 1)
        text = COMMANDS_DOC[start : end if end > 0 else None]
        for param in command.params:
            for option in param.opts:
                if option.startswith("--") and option not in {"--help", "--corpus"}:
                    assert option in text, f"{path} {option} is not in its section"


def test_every_tui_slash_command_is_in_docs_commands() -> None:
    for command in COMMANDS:
        assert f"`/{command.name}" in COMMANDS_DOC, f"/{command.name} is not documented"


def test_every_tui_key_is_in_docs_commands() -> None:
    keys = [b.key for b in ResearchApp.BINDINGS if isinstance(b, Binding)]
    assert len(keys) >= 10
    for key in keys:
        assert re.search(
            rf"^\| `{re.escape(key)}`|^\| `\w+` / `{re.escape(key)}`", COMMANDS_DOC, re.M
        ), f"the key {key} is not in the keys table of docs/commands.md"


def test_the_readme_stays_short() -> None:
    assert len(README.splitlines()) <= 250


ARCHITECTURE = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
PACKAGES = ("shell", "tui", "assistant", "retrieval", "prompts")


def _top_level_names(path: Path) -> set[str]:
    """The names a module defines or imports at its top level, read with `ast`."""
    names: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names


def _module_file(dotted: list[str]) -> Path | None:
    path = ROOT.joinpath(*dotted)
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def missing_from_the_tree(text: str) -> list[str]:
    """What a map names that the tree lacks: paths (`tui/chat.py`, `shell/commands/`),
    dotted modules and the name after them (`shell.wiring.workspace_for`), and classes
    named alone (`RaError`)."""
    classes = set(dir(builtins)) | {
        name
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        for name in re.findall(r"^\s*class (\w+)", path.read_text(encoding="utf-8"), re.M)
    }
    missing = []
    for token in re.findall(r"`([^`\s]+)`", text):
        if "/" in token and re.fullmatch(r"[\w./]+", token):
            if not (ROOT / token).exists():
                missing.append(token)
        elif re.fullmatch(r"[A-Z][a-z]\w*", token) and token not in classes:
            missing.append(token)
    for match in re.finditer(rf"\b(?:{'|'.join(PACKAGES)})(?:\.\w+)+", text):
        parts = match.group().split(".")
        cut = next((i for i in range(len(parts), 0, -1) if _module_file(parts[:i])), 0)
        module = _module_file(parts[:cut]) if cut else None
        rest = parts[cut:]
        if module is None or (rest and rest[0] not in _top_level_names(module)):
            missing.append(match.group())
    return missing


def test_every_path_module_and_class_in_architecture_md_exists() -> None:
    assert len(re.findall(r"`\w+/[\w/]*\.py`", ARCHITECTURE)) > 60  # the map was read
    assert missing_from_the_tree(ARCHITECTURE) == []


def test_the_architecture_check_sees_what_is_gone() -> None:
    text = (
        "`tui/chat.py` `tui/nowhere.py` `shell/commands/` `shell/gone/` `RaError` `NoSuchThing`"
        " shell.wiring.workspace_for shell.wiring.nothing retrieval.loaders retrieval.nope"
    )
    assert missing_from_the_tree(text) == [
        "tui/nowhere.py",
        "shell/gone/",
        "NoSuchThing",
        "shell.wiring.nothing",
        "retrieval.nope",
    ]


def test_every_module_of_the_packages_is_on_the_map() -> None:
    """The map names every module, so a new one gets its place (or the test says where)."""
    unmapped = [
        f"{path.parent.name}/{path.name}"
        for package in ("assistant", "retrieval", "tui", "shell")
        for path in sorted((ROOT / package).glob("*.py"))
        if path.name != "__init__.py"
        and f"{package}/{path.name}" not in ARCHITECTURE
        and f"{package}.{path.stem}" not in ARCHITECTURE
    ]
    assert unmapped == []
