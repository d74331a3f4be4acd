"""The import layers hold (STYLE.md habit 12), read from the source's imports with `ast`.

- `artgen` imports nothing from `collection` (at module top or inside a function), and names
  no `collection` module to `importlib`;
- `artgen.scene` imports no Cairo, and neither the render nor the animation package: a scene
  is plain data;
- the facades are the doors to their backends: the Cairo and SVG backends are imported only
  inside `artgen.render`, and by the animation modules that composite Cairo frames; the GIF
  and MP4 encoders only inside `artgen.animation`; `cairo` itself only by the modules listed.
These lists pin what is true today: a new door fails here, and says where.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("artgen", "collection", "palettes")

RENDER_BACKENDS = {"artgen.render.cairo_backend", "artgen.render.svg"}
#: Modules outside artgen.render that draw with the Cairo backend directly (frames, the
#: card): the animation composites layers per frame, below its own facade.
RENDER_BACKEND_USERS = {
    "artgen.animation.frames",
    "artgen.animation.card",
}
ANIMATION_BACKENDS = {"artgen.animation.gif", "artgen.animation.mp4"}
#: Modules outside artgen.animation that reach into an encoder: the config checks a GIF's
#: frame rate (GIF_FPS) before any token is trained.
ANIMATION_BACKEND_USERS = {"collection.config"}
#: The modules that import pycairo itself.
CAIRO_USERS = {
    "artgen.render.cairo_backend",
    "artgen.animation.frames",
    "artgen.animation.timelapse",
    "artgen.animation.card",
    "artgen.animation.brain_icon",  # the result card's icon
    "artgen.intelligence",  # the accuracy curve's plot
    "collection.mint.contact",  # the contact sheet's text and grid
    "collection.showcase",  # the stage labels under the showcase's panels
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def sources() -> Iterator[tuple[str, Path, ast.Module]]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            yield module_name(path), path, ast.parse(path.read_text("utf-8"), str(path))


def imports(module: str, path: Path, tree: ast.Module) -> Iterator[tuple[str, int]]:
    """(absolute module name, line) of every import in the file, wherever it sits."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            yield target, node.lineno
            for alias in node.names:  # `from .render import cairo_backend` names a module too
                yield f"{target}.{alias.name}", node.lineno
        elif isinstance(node, ast.Call) and _dynamic_import(node):
            arg = node.args[0] if node.args else None
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                yield arg.value, node.lineno


def _dynamic_import(call: ast.Call) -> bool:
    f = call.func
    name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
    return name in ("import_module", "__import__")


def within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


ALL = [(m, p, [i for i in imports(m, p, t)]) for m, p, t in sources()]


def where(path: Path, line: int) -> str:
    return f"{path.relative_to(ROOT)}:{line}"


def test_the_reader_finds_every_kind_of_import():
    names = {m for m, _, _ in ALL}
    assert {"artgen.cli", "artgen.scene.build", "collection.cli", "artgen.render"} <= names
    found = {m: {n for n, _ in i} for m, _, i in ALL}
    assert "artgen.scene.build" in found["artgen.scene"]  # from .build import ...
    assert "artgen.render.cairo_backend" in found["artgen.animation.frames"]  # from ..render.x
    text = """
import cairo
def later():
    from collection.mint import verify
    from ..render import svg
    importlib.import_module("collection.cli")
"""
    seen = {n for n, _ in imports("artgen.x.y", Path("y.py"), ast.parse(text))}
    assert {"cairo", "collection.mint", "artgen.render.svg", "collection.cli"} <= seen


def test_artgen_imports_nothing_from_collection():
    bad = [
        f"{where(path, line)} imports {name}"
        for module, path, found in ALL
        if within(module, "artgen")
        for name, line in found
        if within(name, "collection")
    ]
    assert bad == []


def test_the_scene_imports_no_cairo_and_no_backend():
    bad = [
        f"{where(path, line)} imports {name}"
        for module, path, found in ALL
        if within(module, "artgen.scene")
        for name, line in found
        if any(within(name, p) for p in ("cairo", "artgen.render", "artgen.animation", "PIL"))
    ]
    assert bad == []


def test_the_facades_are_the_only_doors_to_their_backends():
    bad = []
    for module, path, found in ALL:
        for name, line in found:
            if name in RENDER_BACKENDS and not within(module, "artgen.render"):
                if module not in RENDER_BACKEND_USERS:
                    bad.append(f"{where(path, line)} imports {name} (use artgen.render)")
            if name in ANIMATION_BACKENDS and not within(module, "artgen.animation"):
                if module not in ANIMATION_BACKEND_USERS:
                    bad.append(f"{where(path, line)} imports {name} (use artgen.animation)")
            if within(name, "cairo") and module not in CAIRO_USERS:
                bad.append(f"{where(path, line)} imports pycairo")
    assert bad == []
    users = {m for m, _, found in ALL for n, _ in found if within(n, "cairo")}
    assert users == CAIRO_USERS  # the lists name no module that stopped using its door
    doors = {m for m, _, found in ALL for n, _ in found if n in ANIMATION_BACKENDS}
    assert {m for m in doors if not within(m, "artgen.animation")} == ANIMATION_BACKEND_USERS
