"""Files from outside, opened safely and read within a byte budget.

Only regular files are read: a FIFO would block forever and a device (/dev/zero, /dev/urandom)
never ends, so both are refused before a byte is read (the file is opened non-blocking, then
checked). The size is checked against the reader's `artgen.limits` budget from the file's
metadata and again while reading (a file can grow). Every OSError becomes one line naming the
file, in the caller's exception type.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from .errors import ArtgenError
from .limits import Limit


def kind_of(mode: int) -> str:
    """What a file of this st_mode is, in words ("a FIFO", "a folder", ...)."""
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def os_reason(err: OSError) -> str:
    """The system's reason for an OSError, without Python's decoration."""
    return err.strerror or type(err).__name__


def open_regular(
    path: str | os.PathLike, limit: Limit, error: type[ArtgenError], source: str | None = None
) -> BinaryIO:
    """An open binary file at `path`, once it is known to be a regular file within `limit`."""
    where = str(path) if source is None else source
    try:
        fd = os.open(Path(path), os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise error("cannot read: no such file", source=where) from None
    except IsADirectoryError:
        raise error("expected a file, found a folder", source=where) from None
    except OSError as err:
        raise error(f"cannot read: {os_reason(err)}", source=where) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise error(f"expected a regular file, found {kind_of(info.st_mode)}", source=where)
        limit.check(info.st_size, source=where)
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_bytes(
    path: str | os.PathLike, limit: Limit, error: type[ArtgenError], source: str | None = None
) -> bytes:
    """The bytes of the regular file at `path`, at most `limit.high` of them."""
    where = str(path) if source is None else source
    with open_regular(path, limit, error, where) as f:
        try:
            # read(n) sets aside n bytes before reading: ask for the file's size (plus one, to
            # see it grow), and only for the rest of the limit when it did
            size = os.fstat(f.fileno()).st_size  # at most limit.high: open_regular checked
            data = f.read(size + 1)
            if len(data) > size:  # it grew since (or is a /proc file of size 0): read on
                data += f.read(int(limit.high) + 1 - len(data))
        except OSError as err:
            raise error(f"cannot read: {os_reason(err)}", source=where) from None
    limit.check(len(data), source=where)
    return data
