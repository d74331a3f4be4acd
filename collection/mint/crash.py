"""The minter's crash points for tests (the mechanism is `artgen.crash`).

ARTGEN_CRASH_AT=<step>:<n> SIGKILLs the process there. Steps: "job" (this process is about to
run its n-th token job: inline, in a pool worker or on a Dask worker), "start" (state written,
no token yet), "files" (token n's first file written, its record not), "record" (token n's
record written), "finalize" (the n-th collection file written), "manifest" (manifest written,
run not yet marked complete), "backup" (a forced run: 0 once the collection files are copied
into its backup, n once the n-th replaced token's files and record are moved there). Inside
any file's atomic write: "write-partial", "write-synced" and "write-replaced" with the file's
path (see `artgen.atomic`).
"""

from __future__ import annotations

from artgen.crash import VARIABLE, counted_crash_point, crash_point

__all__ = ["VARIABLE", "counted_crash_point", "crash_point"]
