"""`make mutate [ONLY="atomic manifest"]`: mutation testing with mutmut, module by module.

Each module runs in a scratch copy of the project (build/mutate/<module>/) with mutmut
mutating that module's file(s) only and running the test files that cover it, on both cores.
The report gives, per module, the mutants killed and survived, the survivors that
tests/mutation-equivalent.txt names as equivalent (one line each: mutant name, then why it
cannot be told apart), and the score: killed / (all - equivalent). The goal is 90%; the run
exits 1 when a module misses it. Survivors not called equivalent are listed with their diffs.

Not part of CI: a full run takes about 15 minutes on two cores (each mutant runs only the tests
that reach its function).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "build" / "mutate"
EQUIVALENT = ROOT / "tests" / "mutation-equivalent.txt"
GOAL = 0.90
MUTMUT = Path(sys.executable).parent / "mutmut"


@dataclass(frozen=True)
class Module:
    """A module under mutation: its source files and the test files that cover it."""

    sources: tuple[str, ...]
    tests: tuple[str, ...]


SCENE_TESTS = (
    "tests/test_scene.py",
    "tests/test_dust.py",
    "tests/test_render.py",
    "tests/test_animation.py",
    "tests/test_animation_card.py",
    "tests/test_showcase.py",
    "tests/test_drawing.py",
)
#: pytest's -k for every module: leaves out the tests that need Chromium
NO_BROWSER = "not test_the_canvas_ and not test_both_backends_"

MODULES = {
    "atomic": Module(("artgen/atomic.py",), ("tests/test_atomic.py",)),
    "manifest": Module(("collection/mint/manifest.py",), ("tests/test_manifest.py",)),
    "sampler": Module(("collection/sampling.py",), ("tests/test_sampling.py",)),
    # the fuzz tests (hypothesis: random inputs, 20 s) are left out: a mutant's verdict must
    # not depend on the draw
    "model": Module(("artgen/model.py",), ("tests/test_model.py", "tests/test_model_encoding.py")),
    "jsontext": Module(("artgen/jsontext.py",), ("tests/test_jsontext.py", "tests/test_model.py")),
    # ord files: the batch YAML and batches.json writer, ord's batch schema, the weight and
    # cost model, the parent and gallery files, and `artgen status` that reads them back
    "ordfiles": Module(
        ("collection/mint/ordfiles.py",),
        ("tests/test_ord_files.py", "tests/test_mint_ord.py", "tests/test_mint_provenance.py"),
    ),
    "ordschema": Module(("collection/mint/ordschema.py",), ("tests/test_ord_schema.py",)),
    "ordcost": Module(
        ("collection/mint/ordcost.py",),
        ("tests/test_ord_cost.py", "tests/test_mint_ord.py", "tests/test_ord_schema.py"),
    ),
    "provenance": Module(
        ("collection/mint/provenance.py",),
        ("tests/test_ord_provenance.py", "tests/test_mint_provenance.py"),
    ),
    "status": Module(("collection/mint/status.py",), ("tests/test_mint_status.py",)),
    # the scene, file by file (`make mutate ONLY=scene` runs all three); its tests without the
    # browser (the canvas tests start Chromium, about 80 s a mutant, and check the JS engine,
    # which these mutants do not touch; the Cairo and Scene halves of test_drawing stay)
    "scene.build": Module(("artgen/scene/build.py", "artgen/scene/__init__.py"), SCENE_TESTS),
    "scene.layout": Module(("artgen/scene/layout.py", "artgen/scene/elements.py"), SCENE_TESTS),
    "scene.particles": Module(("artgen/scene/particles.py",), SCENE_TESTS),
    "lifecycle": Module(("artgen/lifecycle.py",), ("tests/test_lifecycle.py",)),
    "gif": Module(
        ("artgen/animation/gif.py",), ("tests/test_gif.py", "tests/test_animation_video.py")
    ),
}
#: mutmut's exit codes of a mutant's test run, as it reports them.
KILLED = {"killed", "timeout", "caught by type check", "segfault"}


def equivalents() -> dict[str, str]:
    """Mutant name -> the reason it is equivalent, from tests/mutation-equivalent.txt."""
    out = {}
    for line in EQUIVALENT.read_text("utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, reason = line.partition(" ")
            out[name] = reason.strip()
    return out


def prepare(name: str, module: Module) -> Path:
    """A scratch copy of the project whose pyproject.toml tells mutmut what to do."""
    work = WORK / name
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    for folder in ("artgen", "collection", "palettes", "tests"):
        shutil.copytree(
            ROOT / folder, work / folder, ignore=shutil.ignore_patterns("__pycache__", "diff")
        )
    text = (ROOT / "pyproject.toml").read_text("utf-8")
    tomllib.loads(text)  # the project's own settings stay (pytest's warnings are errors)
    sources = ", ".join(f'"{s}"' for s in module.sources)
    tests = ", ".join(f'"{t}"' for t in module.tests)
    text += (
        "\n[tool.mutmut]\n"
        'source_paths = ["artgen", "collection", "palettes"]\n'
        f"only_mutate = [{sources}]\n"
        f"pytest_add_cli_args_test_selection = [{tests}]\n"
        f'pytest_add_cli_args = ["-p", "no:cacheprovider", "-k", "{NO_BROWSER}"]\n'
    )
    (work / "pyproject.toml").write_text(text, "utf-8")
    return work


def results(work: Path) -> dict[str, str]:
    """Mutant name -> mutmut's status, for every mutant of the run in `work`."""
    done = subprocess.run(
        [str(MUTMUT), "results", "--all", "true"], cwd=work, capture_output=True, text=True
    )
    found = re.findall(r"^\s+(\S+): (.+)$", done.stdout, re.MULTILINE)
    return {name: status.strip() for name, status in found}


def diff_of(work: Path, name: str) -> str:
    shown = subprocess.run([str(MUTMUT), "show", name], cwd=work, capture_output=True, text=True)
    return "\n".join(
        line
        for line in shown.stdout.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    )


def run(name: str, module: Module, known: dict[str, str]) -> tuple[float, list[str]]:
    """Mutate one module; returns (score, report lines)."""
    started = time.monotonic()
    work = prepare(name, module)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("ARTGEN_CRASH_AT", None)
    subprocess.run(
        [str(MUTMUT), "run", "--max-children", "2"],
        cwd=work,
        env=env,
        stdout=subprocess.DEVNULL,
        check=False,
    )
    statuses = results(work)
    killed = [m for m, s in statuses.items() if s in KILLED]
    alive = sorted(m for m in statuses if m not in killed)
    equivalent = [m for m in alive if m in known]
    survivors = [m for m in alive if m not in known]
    counted = len(statuses) - len(equivalent)
    score = len(killed) / counted if counted else 0.0
    lines = [
        f"{name}: {score:.1%} of {counted} non-equivalent mutants killed "
        f"({len(statuses)} mutants: {len(killed)} killed, {len(equivalent)} equivalent, "
        f"{len(survivors)} survived) - {'met' if score >= GOAL else 'MISSED'} (goal {GOAL:.0%}), "
        f"{(time.monotonic() - started) / 60:.0f} min"
    ]
    for m in equivalent:
        lines.append(f"  equivalent {m}: {known[m]}")
    prefixes = tuple(f"{source[:-3].replace('/', '.')}.x" for source in module.sources)
    for m in sorted(k for k in known if k.startswith(prefixes) and k not in alive):
        why = "killed now" if m in statuses else "no such mutant now"
        lines.append(f"  STALE equivalent {m}: {why} (the code moved on): drop its line")
    for m in survivors:
        lines.append(f"  SURVIVED {m} ({statuses[m]})")
        lines.extend(f"      {line}" for line in diff_of(work, m).splitlines())
    return score, lines


def main(names: list[str]) -> int:
    names = names or list(MODULES)
    # a group's name runs its parts: scene -> scene.build, scene.layout, scene.particles
    names = [m for n in names for m in (sorted(k for k in MODULES if k.startswith(n + ".")) or [n])]
    unknown = [n for n in names if n not in MODULES]
    if unknown:
        print(f"mutate: no module {unknown[0]!r}; choose from {', '.join(MODULES)}")
        return 2
    if not MUTMUT.exists():
        print("mutate: mutmut is missing; make mutate installs the 'mutate' extra", file=sys.stderr)
        return 2
    known = equivalents()
    scores, report = {}, []
    for name in names:
        print(f"mutate: {name} ...", flush=True)
        scores[name], lines = run(name, MODULES[name], known)
        print("\n".join(lines), flush=True)
        report.extend(lines)
    print("\n=== mutation scores ===")
    for name, score in scores.items():
        print(f"{name:<10} {score:7.1%}  {'met' if score >= GOAL else 'MISSED'}")
    return 0 if all(s >= GOAL for s in scores.values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or os.environ.get("ONLY", "").split()))
