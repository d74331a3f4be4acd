"""The token jobs' allocator tuning: megabyte buffers reused, not faulted in afresh."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import resource, sys, threading
import numpy as np
from collection.mint.allocator import keep_freed_memory

if sys.argv[1] == "tuned":
    assert keep_freed_memory() and keep_freed_memory()  # once per process, idempotent
faults = []

def job():  # as a Dask worker runs a task: on a thread of its own
    before = resource.getrusage(resource.RUSAGE_THREAD).ru_minflt
    for _ in range(40):  # a token's buffers: a surface, its RGB copies, a batch; then all freed
        buffers = [np.ones(n * 2**18, np.uint8) for n in (16, 12, 12, 3, 40)]
        del buffers
    faults.append(resource.getrusage(resource.RUSAGE_THREAD).ru_minflt - before)

thread = threading.Thread(target=job)
thread.start()
thread.join()
print(faults[0])
"""


def page_faults(mode: str) -> int:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, mode], capture_output=True, text=True, check=True
    )
    return int(out.stdout)


def test_freed_buffers_are_reused_instead_of_faulted_in_again():
    untuned, tuned = page_faults("default"), page_faults("tuned")
    assert untuned > 40 * 2000  # glibc's defaults: the buffers' pages fault in again each time
    assert tuned < 8000  # tuned: the first round's 5,000 pages or so, then reuse
