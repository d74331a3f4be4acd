"""ARCHITECTURE.md is a map a newcomer follows: every path it names exists, and every module
of the engine and the collection is found from it (named itself, or inside a package it names)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "ARCHITECTURE.md").read_text()
NAMED = set(re.findall(r"`([^`\s]*/[^`\s]*)`", DOC))


def test_every_path_the_map_names_exists():
    missing = sorted(p for p in NAMED if p != "assets/" and not (ROOT / p).exists())
    assert missing == []


def test_every_module_is_on_the_map():
    packages = {p for p in NAMED if p.endswith("/")}
    unmapped = []
    for path in sorted([*ROOT.glob("artgen/**/*.py"), *ROOT.glob("collection/**/*.py")]):
        rel = path.relative_to(ROOT).as_posix()
        if path.name == "__init__.py" or rel in NAMED:
            continue
        if any(rel.startswith(p) for p in packages) or path.stem in DOC:
            continue
        unmapped.append(rel)
    assert unmapped == []
