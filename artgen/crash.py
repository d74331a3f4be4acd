"""Deterministic crash points for tests: ARTGEN_CRASH_AT=<step>:<where> SIGKILLs the process.

A resumable run must end as an uninterrupted one gives, whatever moment it dies at; these
points let a test kill it at a chosen one, in any process that inherits the variable (pool
and Dask workers too). The minter's steps are listed in `collection.mint.crash`; the points
inside a file write are in `artgen.atomic`.
"""

from __future__ import annotations

import os
import signal

VARIABLE = "ARTGEN_CRASH_AT"


def wanted() -> str | None:
    """The crash point this process is asked to die at, if any."""
    return os.environ.get(VARIABLE)


def kill() -> None:
    """Die at once, as `kill -9` would: no cleanup, no exit handlers, buffers lost."""
    os.kill(os.getpid(), signal.SIGKILL)


def crash_point(step: str, n: int | str = 0) -> None:
    """Kill this process when ARTGEN_CRASH_AT is "<step>:<n>"."""
    if wanted() == f"{step}:{n}":
        kill()


_COUNTS: dict[str, int] = {}


def counted_crash_point(step: str) -> None:
    """`crash_point(step, n)` where n counts this step's visits in this process (1, 2, ...)."""
    _COUNTS[step] = _COUNTS.get(step, 0) + 1
    crash_point(step, _COUNTS[step])
