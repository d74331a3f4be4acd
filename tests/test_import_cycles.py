"""No import cycles: imports inside artgen, collection and palettes point one way.

Every import counts, at a module's top or inside a function: a lazy import only hides a
cycle until the day two modules need each other while loading. Importing a submodule does
not count as importing its package (`from . import layout` in collection.mint.token), nor
does importing a C extension built from the package's own source (`from . import _mlp`).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("artgen", "collection", "palettes")


def modules(root: Path, packages=PACKAGES) -> dict[str, tuple[Path, bool]]:
    """Dotted module name -> (file, is a package's __init__); C extensions by their source."""
    out = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")) + sorted((root / package).rglob("*.c")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            out[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return out


def import_graph(root: Path, packages=PACKAGES) -> dict[str, set[str]]:
    """Module -> the modules of `packages` it imports anywhere in its text."""
    known = modules(root, packages)
    graph: dict[str, set[str]] = {name: set() for name in known}
    for name, (path, is_package) in known.items():
        if path.suffix != ".py":
            continue  # a C extension imports nothing of ours
        here = name.split(".") if is_package else name.split(".")[:-1]
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = here[: len(here) - node.level + 1] if node.level else []
                module = ".".join(base + ([node.module] if node.module else []))
                subs = [f"{module}.{a.name}" for a in node.names if f"{module}.{a.name}" in known]
                targets = subs if len(subs) == len(node.names) else [module, *subs]
            else:
                continue
            graph[name] |= {t for t in targets if t in known and t != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def describe(graph: dict[str, set[str]], component: list[str]) -> str:
    return "; ".join(f"{m} -> {', '.join(sorted(graph[m] & set(component)))}" for m in component)


def test_the_packages_have_no_import_cycle():
    graph = import_graph(ROOT)
    assert len(graph) > 80  # the walk found the packages
    assert "artgen.chainstate" in graph["artgen.chainrpc"]
    found = cycles(graph)
    assert found == [], "\n".join(describe(graph, c) for c in found)


def test_a_lazy_import_back_is_a_cycle_and_a_submodule_import_is_not(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("from .a import f\n")
    (pkg / "a.py").write_text("from . import _ext, b\n\ndef f():\n    from .c import g\n")
    (pkg / "_ext.c").write_text("/* a C extension's source */\n")
    (pkg / "b.py").write_text("X = 1\n")
    (pkg / "c.py").write_text("def g():\n    from .a import f\n")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "d.py").write_text("from .. import b\nfrom ..sub import e\n")
    (pkg / "sub" / "e.py").write_text("")
    graph = import_graph(tmp_path, ("pkg",))
    assert graph["pkg.a"] == {"pkg._ext", "pkg.b", "pkg.c"}
    assert graph["pkg.sub.d"] == {"pkg.b", "pkg.sub.e"}
    assert cycles(graph) == [["pkg.a", "pkg.c"]]
