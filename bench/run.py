"""Run every benchmark in bench/ (or those named on the command line), then one goal table.

Each benchmark is a script `bench/<name>.py` that measures against a baseline in the same run,
prints ratios, and declares its goals with `bench.goals.goal`. `make bench` runs them all;
`make bench ONLY="render train"` runs some. The run ends with one table of every goal (goal,
measured value, met or missed) and exits 1 if a goal was missed or a bench failed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from goals import VARIABLE, read_goals, table  # noqa: E402 (bench/ is not a package)

#: Modules of bench/ that are not benchmarks.
NOT_BENCHES = ("run", "goals", "__init__")


def main(argv: list[str]) -> int:
    names = argv or sorted(p.stem for p in HERE.glob("*.py") if p.stem not in NOT_BENCHES)
    unknown = [n for n in names if n in NOT_BENCHES or not (HERE / f"{n}.py").exists()]
    if unknown:
        print(f"bench: no benchmark named {unknown[0]!r}", file=sys.stderr)
        return 2
    failed = []
    with tempfile.TemporaryDirectory(prefix="artgen-bench-") as tmp:
        record = Path(tmp) / "goals.jsonl"
        env = {**os.environ, VARIABLE: str(record)}
        for name in names:
            print(f"\n=== bench/{name} ===", flush=True)
            start = time.perf_counter()
            before = len(read_goals(record))
            code = subprocess.call(
                [sys.executable, str(HERE / f"{name}.py")], cwd=HERE.parent, env=env
            )
            took = time.perf_counter() - start
            print(f"--- bench/{name}: exit {code}, {took:.1f} s", flush=True)
            missed = any(not g.met for g in read_goals(record)[before:])
            if code and not missed:  # a crash, or a check of its own that failed
                failed.append(name)
        goals = read_goals(record)
    print("\n=== goals ===")
    print(table(goals, failed))
    missed = [g for g in goals if not g.met]
    if missed or failed:
        print(
            f"\nbench: {len(missed)} goal(s) missed, {len(failed)} bench(es) failed",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    only = os.environ.get("ONLY", "").split()
    sys.exit(main(sys.argv[1:] or only))
