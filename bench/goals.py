"""Benchmark goals: a bench declares each goal with what it measured; `make bench` tables them.

`goal("speed-up, --workers 2", 1.86, at_least=1.8, unit="x")` prints one line and records
the goal; `finish()` is the bench's exit code (1 when a goal was missed). Under `bench/run.py`
the goals also go, one JSON object a line, to the file named by ARTGEN_BENCH_GOALS, and the
run ends with one table of every bench's goals: goal, measured value, met or missed.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

VARIABLE = "ARTGEN_BENCH_GOALS"


@dataclass(frozen=True)
class Goal:
    """One goal of one bench, and how the run did against it."""

    bench: str
    name: str
    measured: float
    bound: float
    sense: str  # ">=" or "<="
    unit: str
    met: bool

    def target(self) -> str:
        return f"{self.sense} {self.bound:g}{self.unit}"

    def value(self) -> str:
        return f"{self.measured:.4g}{self.unit}"  # 4 digits: a miss by 0.004 shows


_SEEN: list[Goal] = []


def goal(
    name: str,
    measured: float,
    *,
    at_least: float | None = None,
    at_most: float | None = None,
    unit: str = "",
) -> bool:
    """Record a goal (exactly one of `at_least`, `at_most`) and whether `measured` meets it."""
    if (at_least is None) == (at_most is None):
        raise ValueError("a goal has one bound: at_least or at_most")
    if at_least is not None:
        sense, bound, met = ">=", at_least, measured >= at_least
    else:
        sense, bound, met = "<=", at_most, measured <= at_most
    bench = Path(sys.argv[0]).stem
    found = Goal(bench, name, float(measured), float(bound), sense, unit, bool(met))
    _SEEN.append(found)
    print(f"goal: {name}: {found.value()} ({found.target()}): {'met' if met else 'MISSED'}")
    path = os.environ.get(VARIABLE)
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps(asdict(found)) + "\n")
    return met


def finish() -> int:
    """The bench's exit code: 0 when every goal it declared was met, 1 otherwise."""
    return 0 if all(g.met for g in _SEEN) else 1


def read_goals(path: Path) -> list[Goal]:
    if not path.exists():
        return []
    return [Goal(**json.loads(line)) for line in path.read_text("utf-8").splitlines() if line]


def table(goals: list[Goal], failed: list[str] = ()) -> str:
    """One table: bench, goal, target, measured, met or missed; benches that crashed last."""
    rows = [("bench", "goal", "target", "measured", "result")]
    rows += [(g.bench, g.name, g.target(), g.value(), "met" if g.met else "MISSED") for g in goals]
    rows += [(name, "(the bench failed before its goals)", "", "", "FAILED") for name in failed]
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)) for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)
