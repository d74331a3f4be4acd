"""The engine's build: the committed engine.min.js is what its sources build to, byte for byte.

`make engine` (tools/build-engine.mjs, with the tools pinned in package-lock.json) bundles the
ES modules of artgen/inscription/engine/ and compiles the kernel's WebAssembly text; these
tests rebuild it from the sources and compare, so the committed script can never go stale.
Python then writes the data into its one mark at mint time; that step keeps the script whole.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from artgen.inscription import build, engine_data, engine_js, with_data

ROOT = Path(__file__).resolve().parent.parent
BUILDER = ROOT / "tools/build-engine.mjs"
SOURCES = ROOT / "artgen/inscription/engine"
BUILT = ROOT / "artgen/inscription/engine.min.js"


def build_engine(out: Path, *, readable: bool = False) -> str:
    """The engine built from the sources into `out` (unminified when `readable`); its text."""
    args = ["node", str(BUILDER), "--readable" if readable else "--out", str(out)]
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{' '.join(args)} failed (run `make install`):\n{done.stderr}"
    return out.read_text("utf-8")


def test_the_committed_engine_is_what_its_sources_build_to(tmp_path):
    first = build_engine(tmp_path / "first.js")
    second = build_engine(tmp_path / "second.js")
    assert first == second  # deterministic: the same sources give the same bytes
    assert first == BUILT.read_text("utf-8"), "engine.min.js is stale: run `make engine`"


def test_every_module_is_in_the_bundle_and_the_kernel_is_compiled_in(tmp_path):
    readable = build_engine(tmp_path / "engine.js", readable=True)
    bundled = set(re.findall(r"^\s*// artgen/inscription/engine/(\w+\.js)$", readable, re.M))
    assert bundled == {path.name for path in SOURCES.glob("*.js")}  # no module left out
    kernel = re.search(r'"(AGFzbQEAAAA[A-Za-z0-9+/=]+)"', BUILT.read_text("utf-8"))
    assert kernel, "the kernel module (\\0asm, version 1, base64) is not in the engine"


def test_the_engine_is_smaller_than_its_sources_and_holds_the_python_data():
    script = engine_js()
    sources = sum(len(p.read_bytes()) for p in SOURCES.glob("*.js"))
    assert len(script.encode()) < sources * 0.6
    assert "\n" not in script and "readable source" not in script
    data = engine_data()
    assert data["palettes"]["Nak"] == ["#722F1F", "#FCE1B2", "#FCE1B2"]
    assert data["constants"]["border"] == 100.0
    assert json.dumps(data, ensure_ascii=True, separators=(",", ":")) in script
    assert build.DATA_MARK not in script


def test_the_data_is_written_into_exactly_one_mark():
    with pytest.raises(ValueError, match="exactly once"):
        with_data("var a = 1;")
    with pytest.raises(ValueError, match="exactly once"):
        with_data(f"var a = {build.DATA_MARK}, b = {build.DATA_MARK};")
    assert with_data(f"var a = {build.DATA_MARK};").startswith('var a = {"version":')


@pytest.mark.parametrize("hostile", ["</script><script>alert(1)", "<!-- x", "</SCRIPT >"])
def test_data_that_could_end_the_script_element_is_refused(monkeypatch, hostile):
    real = build.engine_data

    def engine_data_with(tables=None):
        return {**real(tables), "history": {"2009": hostile}}

    monkeypatch.setattr(build, "engine_data", engine_data_with)
    with pytest.raises(ValueError, match="must not hold"):
        with_data(f"var DATA = {build.DATA_MARK};")
