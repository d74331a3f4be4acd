"""Deterministic crash points for tests: ARTGEN_CRASH_AT=<step>:<n> SIGKILLs the process there.

Steps: "job" (this process is about to run its n-th token job: inline, in a pool worker or
on a Dask worker), "start" (state written, no token yet), "files" (token n's first file written, its
record not), "record" (token n's record written), "finalize" (the n-th collection file
written), "manifest" (manifest written, run not yet marked complete), "backup" (a forced run:
0 once the collection files are copied into its backup, n once the n-th replaced token's
files and record are moved there).
"""

from __future__ import annotations

import os
import signal

VARIABLE = "ARTGEN_CRASH_AT"


def crash_point(step: str, n: int = 0) -> None:
    """Kill this process with SIGKILL when ARTGEN_CRASH_AT names this step and number."""
    if os.environ.get(VARIABLE) == f"{step}:{n}":
        os.kill(os.getpid(), signal.SIGKILL)


_COUNTS: dict[str, int] = {}


def counted_crash_point(step: str) -> None:
    """`crash_point(step, n)` where n counts this step's visits in this process (1, 2, ...)."""
    _COUNTS[step] = _COUNTS.get(step, 0) + 1
    crash_point(step, _COUNTS[step])
