"""Output paths, checked before any work: nothing is trained or drawn for a file that cannot
be written.

`check_file` and `check_folder` find out, before a command starts its work, whether its
output could be written: the path is not a folder, a FIFO or a device (an atomic write would
replace a device node; as root, /dev/full itself), and the folder that will hold it (or its
nearest existing ancestor, since writes create missing folders) takes a new file, which they
try for real (a probe file, removed at once: it catches permissions, a read-only file system
and a file where a folder should be). Each failure is one `OutputError` line.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from .errors import OutputError
from .inputs import kind_of, os_reason


def check_file(path: str | os.PathLike) -> Path:
    """`path` as a Path, once a file can be written there (atomically, beside it)."""
    target = Path(path)
    info = _status(target, target.lstat)
    if info is not None and not (stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode)):
        found = kind_of(info.st_mode)
        raise OutputError(f"cannot write: expected a file, found {found}", source=str(target))
    _check_writable_folder(target.parent, str(target))
    return target


def check_folder(path: str | os.PathLike) -> Path:
    """`path` as a Path, once files can be written in it (made if missing)."""
    folder = Path(path)
    info = _status(folder, folder.stat)
    if info is not None and not stat.S_ISDIR(info.st_mode):
        found = kind_of(info.st_mode) if not stat.S_ISREG(info.st_mode) else "a file"
        raise OutputError(f"cannot write: expected a folder, found {found}", source=str(folder))
    _check_writable_folder(folder, str(folder))
    return folder


def _status(path: Path, stat_of) -> os.stat_result | None:
    """`stat_of()` (the path's stat or lstat), None when nothing is there."""
    try:
        return stat_of()
    except FileNotFoundError:
        return None
    except OSError as err:
        raise OutputError(f"cannot write: {os_reason(err)}", source=str(path)) from None


def _check_writable_folder(folder: Path, source: str) -> None:
    """Try a new file in `folder`, or in its nearest existing ancestor when it is missing."""
    here = folder if str(folder) else Path(".")
    while not here.exists():
        if here.is_symlink():  # a dangling link: writing through it would fail
            raise OutputError(f"cannot write: {here} is a broken link", source=source)
        if here.parent == here:
            break
        here = here.parent
    if not here.is_dir():
        raise OutputError(f"cannot write: {here} is not a folder", source=source)
    try:
        fd, probe = tempfile.mkstemp(prefix=".artgen-probe-", dir=here)
    except OSError as err:
        raise OutputError(f"cannot write: {os_reason(err)}", source=source) from None
    os.close(fd)
    os.unlink(probe)
