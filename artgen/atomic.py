"""Atomic file writes: a temporary file in the same folder, fsync, then rename.

A run that dies leaves the old file or the new one, never half of one. Tests kill a process
inside a write with ARTGEN_CRASH_AT (`artgen.crash`) set to "write-<stage>:<path>", where the
target's path ends with <path> ("manifest.json", "ord/batch-001.yaml"): stage "partial" (the
temporary file holds half the bytes, unsynced), "synced" (all of them on disk, not yet renamed)
or "replaced" (renamed into place, the call not yet returned).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from . import crash

_UMASK = os.umask(0)
os.umask(_UMASK)
#: Mode of written files: what a plain open() would give (mkstemp alone gives 0600).
FILE_MODE = 0o666 & ~_UMASK


def write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write `data` to `path` atomically; creates the parent folder."""
    return write_with(path, lambda f: f.write(data))


def write_text(path: str | os.PathLike, text: str) -> Path:
    """Write UTF-8 `text` to `path` atomically."""
    return write_bytes(path, text.encode("utf-8"))


def write_with(path: str | os.PathLike, writer: Callable) -> Path:
    """Call `writer(binary_file)` on a temporary file, then move it to `path` atomically."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as f:
            writer(f)
            f.flush()
            _crash_inside("partial", target, f)
            os.fsync(f.fileno())
        _crash_inside("synced", target)
        os.replace(tmp, target)
        _crash_inside("replaced", target)
    except BaseException as err:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(err, OSError) and err.filename is None:
            err.filename = str(target)  # a failed write (no space) names the file it was for
        raise
    return target


def _crash_inside(stage: str, target: Path, file=None) -> None:
    """Die here when ARTGEN_CRASH_AT names this stage and a path `target` ends with; at
    "partial", the temporary `file` is first cut to half its bytes (a write cut short)."""
    point = crash.wanted()
    if point is None or not point.startswith(f"write-{stage}:"):
        return
    if not f"/{target.as_posix()}".endswith(f"/{point.partition(':')[2]}"):
        return
    if file is not None:
        os.ftruncate(file.fileno(), file.tell() // 2)
    crash.kill()


def temp_path_for(path: str | os.PathLike) -> Path:
    """A fresh temporary path beside `path`, for writers that need a file name (encoders).

    The caller moves it into place with `os.replace` (or removes it on failure).
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=target.suffix, dir=target.parent)
    os.fchmod(fd, FILE_MODE)
    os.close(fd)
    return Path(tmp)
