"""The layers hold: every import, read from the source with `ast` (never by importing,
so an import hidden inside a function counts too), points down, and no two modules
import each other round a cycle. ARCHITECTURE.md draws the same picture.

    shell -> tui -> assistant -> retrieval -> prompts

A package may import any package below it and none above; only `tui` imports Textual,
only `shell` typer, only `retrieval` Chroma and bm25s, only `assistant` the OpenAI
client; and `tui` takes nothing from `retrieval` but its plain records.
Imports under `if TYPE_CHECKING:` count for the layers (a type names its owner) but not
for cycles: they never run, so they cannot make an import order fail.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("shell", "tui", "assistant", "retrieval", "prompts")  # top to bottom
# Third-party packages one layer alone may import: the UI toolkits, the stores, the
# LLM client.
OWNED = {
    "textual": "tui",
    "typer": "shell",
    "chromadb": "retrieval",
    "bm25s": "retrieval",
    "openai": "assistant",
}


@dataclass(frozen=True)
class Arrow:
    """`source` imports `target`: a module of ours, or a third-party top-level name."""

    source: str
    target: str
    line: int
    type_only: bool
    ours: bool

    def __str__(self) -> str:
        return f"{self.source} -> {self.target} (line {self.line})"


def module_files(root: Path, packages: tuple[str, ...]) -> dict[str, Path]:
    """Dotted module name -> file, for every .py under the packages."""
    found = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _type_only_nodes(tree: ast.Module) -> set[int]:
    """ids of the nodes inside `if TYPE_CHECKING:` blocks."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING"):
            for child in node.body:
                inside.update(id(n) for n in ast.walk(child))
    return inside


def _imported(node: ast.AST, module: str, is_package: bool, modules: set[str]) -> list[str]:
    """The dotted names an import statement reaches, relative imports resolved:
    `from pkg import mod` reaches `pkg.mod` when that is a module, else `pkg`."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    base = node.module or ""
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join([*package, base] if base else package)
    return [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]


def arrows(root: Path, packages: tuple[str, ...]) -> list[Arrow]:
    """Every import in the packages: to our own modules, and to third-party top names."""
    modules = module_files(root, packages)
    out = []
    for name, path in modules.items():
        tree = ast.parse(path.read_text(), str(path))
        type_only = _type_only_nodes(tree)
        for node in ast.walk(tree):
            targets = _imported(node, name, path.name == "__init__.py", set(modules))
            for target in dict.fromkeys(targets):
                ours = target.split(".")[0] in packages
                if ours and target not in modules:
                    raise AssertionError(f"{path}: imports {target}, which does not exist")
                out.append(
                    Arrow(
                        name,
                        target if ours else target.split(".")[0],
                        getattr(node, "lineno", 0),
                        id(node) in type_only,
                        ours,
                    )
                )
    return out


def upward(found: list[Arrow], layers: tuple[str, ...], owned: dict[str, str]) -> list[Arrow]:
    """Arrows from a package to one above it, or to a third-party name another layer owns."""
    rank = {package: i for i, package in enumerate(layers)}

    def wrong(arrow: Arrow) -> bool:
        source, target = arrow.source.split(".")[0], arrow.target.split(".")[0]
        if arrow.ours:
            return rank[target] < rank[source]
        return owned.get(target, source) != source

    return [arrow for arrow in found if wrong(arrow)]


def cycles(found: list[Arrow]) -> list[list[str]]:
    """Groups of our modules that reach each other by imports that run (Tarjan's SCCs)."""
    graph: dict[str, set[str]] = {}
    for arrow in found:
        if arrow.ours and not arrow.type_only and arrow.target != arrow.source:
            graph.setdefault(arrow.source, set()).add(arrow.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_imports_point_down_the_layers() -> None:
    found = arrows(ROOT, LAYERS)
    assert len({a.source for a in found}) > 80  # every package was read
    bad = upward(found, LAYERS, OWNED)
    assert not bad, "imports pointing up the layers:\n" + "\n".join(map(str, bad))


def test_the_tui_takes_only_plain_records_from_retrieval() -> None:
    below = {a.target for a in arrows(ROOT, LAYERS) if a.source.startswith("tui.")}
    assert {t for t in below if t.startswith("retrieval")} <= {"retrieval.records"}


def test_no_module_imports_itself_round_a_cycle() -> None:
    loops = cycles(arrows(ROOT, LAYERS))
    assert not loops, "import cycles:\n" + "\n".join(" <-> ".join(loop) for loop in loops)


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_the_checker_sees_lazy_upward_imports_cycles_and_owned_libraries(tmp_path: Path) -> None:
    """The checks above can fail: a small tree with each kind of fault in it."""
    _write(
        tmp_path,
        {
            "top/__init__.py": "",
            "top/ui.py": "import textual\nfrom low import a\n",
            "low/__init__.py": "",
            # lazy, upward, and a third-party import the top layer owns
            "low/a.py": "def f():\n    from top.ui import x\n    import textual.app\n",
            # a cycle through a lazy import, and one through a relative import
            "low/b.py": "from low import c\n",
            "low/c.py": "def g():\n    from .b import y\n",
            # type-only both ways: no cycle, but still an arrow for the layers
            "low/d.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from low import e\n",
            "low/e.py": "import typing\nif typing.TYPE_CHECKING:\n    from low.d import z\n",
        },
    )
    layers = ("top", "low")
    found = arrows(tmp_path, layers)
    assert sorted(map(str, upward(found, layers, {"textual": "top"}))) == [
        "low.a -> textual (line 3)",
        "low.a -> top.ui (line 2)",
    ]
    # top.ui imports low.a, whose lazy import goes back up: a cycle as well
    assert sorted(cycles(found)) == [["low.a", "top.ui"], ["low.b", "low.c"]]
    assert {(a.source, a.target) for a in found if a.type_only} == {
        ("low.d", "low.e"),
        ("low.e", "low.d"),
    }
