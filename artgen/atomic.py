"""Atomic file writes: a temporary file in the same folder, fsync, then rename.

A run that dies leaves the old file or the new one, never half of one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

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
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException as err:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(err, OSError) and err.filename is None:
            err.filename = str(target)  # a failed write (no space) names the file it was for
        raise
    return target


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
