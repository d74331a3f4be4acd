"""Runs the local process pool in a fresh interpreter and prints what its workers saw (JSON).

The pool forks from a single-threaded coordinator and uses a fork server otherwise, and the
test run itself has threads (the browser driver's): the tests run this file with the
condition they need made so (`python pool_probe.py fork|forkserver`), in a new process.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

WARMED: list[str] = []


def warm_flag(spec) -> None:
    WARMED.append(spec)


def job(spec, item):
    """Who ran the job, and what `warm_flag` left in its memory. A pooled job waits (up to a
    minute) until jobs have started in two processes, so both workers get some however busy
    the machine is (a started worker that found no job left would prove nothing)."""
    if spec == "spec":
        meet = Path(os.environ["POOL_PROBE_MEET"])  # the coordinator's, in every worker
        (meet / str(os.getpid())).touch()
        deadline = time.monotonic() + 60
        while len(list(meet.iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
    return item, os.getpid(), os.getppid(), list(WARMED)


def main(mode: str) -> None:
    from collection.mint.parallel import _context, run_jobs

    os.environ["POOL_PROBE_MEET"] = tempfile.mkdtemp(prefix="pool-probe-")
    stop = threading.Event()
    if mode == "forkserver":  # a coordinator with another thread (a Dask client, a browser)
        threading.Thread(target=stop.wait, daemon=True).start()
    threads = threading.active_count()
    method = _context(__name__).get_start_method()
    try:
        results = list(run_jobs(job, "spec", range(6), workers=2, warm=warm_flag))
    finally:
        stop.set()
        shutil.rmtree(os.environ["POOL_PROBE_MEET"], ignore_errors=True)
    inline = list(run_jobs(job, "inline", range(2), warm=warm_flag))
    report = {
        "threads": threads,
        "method": method,
        "coordinator": os.getpid(),
        "warmed": WARMED,
        "jobs": sorted(item for item, *_ in results),
        "workers": sorted({pid for _, pid, _, _ in results}),
        "parents": sorted({ppid for _, _, ppid, _ in results}),
        "seen": [seen for *_, seen in results],
        "inline": [(item, pid, seen) for item, pid, _, seen in inline],
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main(sys.argv[1])
