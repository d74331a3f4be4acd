"""Run every benchmark in bench/ (or those named on the command line) and report each one.

Each benchmark is a script `bench/<name>.py` that measures against a baseline in the same run
and prints ratios. `make bench` runs them all; `make bench ONLY="render train"` runs some.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    names = argv or sorted(p.stem for p in HERE.glob("*.py") if p.stem not in ("run", "__init__"))
    failed = []
    for name in names:
        script = HERE / f"{name}.py"
        if not script.exists():
            print(f"bench: no benchmark named {name!r}", file=sys.stderr)
            return 2
        print(f"\n=== bench/{name} ===", flush=True)
        start = time.perf_counter()
        code = subprocess.call([sys.executable, str(script)], cwd=HERE.parent)
        print(f"--- bench/{name}: exit {code}, {time.perf_counter() - start:.1f} s", flush=True)
        if code:
            failed.append(name)
    if failed:
        print(f"\nbench: failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    only = os.environ.get("ONLY", "").split()
    sys.exit(main(sys.argv[1:] or only))
