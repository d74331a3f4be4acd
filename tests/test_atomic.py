"""artgen.atomic: a write that fails or dies leaves the old file (or none), never half a file.

The failures are real where they can be (a process killed by SIGKILL inside the write, at the
crash points `artgen.atomic` offers) and injected where they cannot (a full disk, a refused
rename): the injected error comes from the very call that would raise it.
"""

from __future__ import annotations

import errno
import io
import os
import signal
import stat

import pytest

from artgen import atomic, crash

OLD = b"the old, complete file\n"
NEW = bytes(range(256)) * 64  # 16 KiB: large enough to be cut in the middle


def folder_listing(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def temporaries(folder) -> list:
    """Temporary files of atomic writes: hidden, named after their target."""
    return sorted(p for p in folder.iterdir() if p.name.startswith("."))


def test_write_bytes_puts_exactly_the_bytes_and_makes_the_folders(tmp_path):
    target = tmp_path / "a" / "b" / "file.bin"
    assert atomic.write_bytes(target, NEW) == target
    assert target.read_bytes() == NEW
    assert folder_listing(target.parent) == ["file.bin"]
    atomic.write_text(target, "Perceptron #7 \u2014 Stable\n")
    assert target.read_bytes() == "Perceptron #7 \u2014 Stable\n".encode()


def test_a_written_file_has_the_mode_a_plain_open_gives(tmp_path):
    plain = tmp_path / "plain"
    plain.write_bytes(b"x")
    written = atomic.write_bytes(tmp_path / "atomic", b"x")
    assert stat.S_IMODE(written.stat().st_mode) == stat.S_IMODE(plain.stat().st_mode)
    assert stat.S_IMODE(written.stat().st_mode) == atomic.FILE_MODE


def test_the_bytes_go_to_a_hidden_temporary_file_beside_the_target(tmp_path):
    """Beside it, so the rename stays on one file system (atomic); hidden, so no reader of
    the folder (the manifest, a marketplace) sees it while it is written."""
    target = tmp_path / "images" / "3.png"
    seen = []

    def writer(f):
        f.write(b"pixels")
        seen.extend(p.name for p in target.parent.iterdir())

    atomic.write_with(target, writer)
    assert len(seen) == 1 and seen[0].startswith(".3.png.") and seen[0].endswith(".tmp")
    assert folder_listing(target.parent) == ["3.png"]


def test_write_with_hands_the_writer_a_binary_file(tmp_path):
    import numpy as np

    target = tmp_path / "array.npy"
    atomic.write_with(target, lambda f: np.save(f, np.arange(5), allow_pickle=False))
    assert np.load(target).tolist() == [0, 1, 2, 3, 4]


def test_a_failing_writer_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "file.bin"
    target.write_bytes(OLD)

    def writer(f):
        f.write(NEW[:1000])  # half done, then the writer breaks
        raise ValueError("the encoder broke")

    with pytest.raises(ValueError, match="encoder broke"):
        atomic.write_with(target, writer)
    assert target.read_bytes() == OLD
    assert folder_listing(tmp_path) == ["file.bin"]


def test_a_failing_first_write_leaves_no_file_at_all(tmp_path):
    target = tmp_path / "new" / "file.bin"

    def writer(f):
        f.write(NEW[:10])
        raise KeyboardInterrupt  # Ctrl-C in the middle: BaseException, still cleaned up

    with pytest.raises(KeyboardInterrupt):
        atomic.write_with(target, writer)
    assert folder_listing(target.parent) == []


class FullDisk(io.RawIOBase):
    """A file that takes `room` bytes, then fails as a full disk does (ENOSPC)."""

    def __init__(self, fd: int, room: int):
        self.raw, self.room = io.FileIO(fd, "wb"), room

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        if self.room <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        taken = self.raw.write(bytes(data[: self.room]))
        self.room -= taken
        return taken

    def fileno(self) -> int:
        return self.raw.fileno()

    def close(self) -> None:
        self.raw.close()
        super().close()


def test_a_full_disk_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "file.bin"
    target.write_bytes(OLD)
    opened = []

    def fdopen(fd, mode="r", *args, **kwargs):
        assert mode == "wb"
        f = io.BufferedWriter(FullDisk(fd, room=5000), buffer_size=1024)
        opened.append(f)
        return f

    monkeypatch.setattr(atomic.os, "fdopen", fdopen)
    with pytest.raises(OSError) as err:
        atomic.write_bytes(target, NEW)
    assert err.value.errno == errno.ENOSPC
    assert err.value.filename == str(target)  # the one-line message names the file meant
    assert opened and opened[0].closed  # the temporary's descriptor is not leaked
    assert target.read_bytes() == OLD
    assert folder_listing(tmp_path) == ["file.bin"]


def test_a_full_disk_found_at_fsync_leaves_the_old_file(tmp_path, monkeypatch):
    # network and delayed-allocation file systems report a full disk only when flushing
    target = tmp_path / "file.bin"
    target.write_bytes(OLD)

    def fsync(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic.os, "fsync", fsync)
    with pytest.raises(OSError, match="No space") as err:
        atomic.write_bytes(target, NEW)
    assert err.value.filename == str(target)
    assert target.read_bytes() == OLD
    assert folder_listing(tmp_path) == ["file.bin"]


def test_a_failed_rename_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "file.bin"
    target.write_bytes(OLD)
    tried = []

    def replace(src, dst):
        tried.append((os.path.basename(src), os.path.basename(dst)))
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(dst))

    monkeypatch.setattr(atomic.os, "replace", replace)
    with pytest.raises(PermissionError):
        atomic.write_bytes(target, NEW)
    assert len(tried) == 1 and tried[0][1] == "file.bin"
    assert tried[0][0].startswith(".file.bin.") and tried[0][0].endswith(".tmp")
    assert target.read_bytes() == OLD
    assert folder_listing(tmp_path) == ["file.bin"]


def test_every_byte_is_on_disk_before_the_rename(tmp_path, monkeypatch):
    """fsync of the whole temporary file, then the rename: a power cut after the rename
    cannot leave an empty or short file under the real name."""
    target = tmp_path / "file.bin"
    events = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        events.append(("fsync", os.fstat(fd).st_size))
        real_fsync(fd)

    def replace(src, dst):
        events.append(("replace", os.path.getsize(src), os.fspath(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "fsync", fsync)
    monkeypatch.setattr(atomic.os, "replace", replace)
    atomic.write_bytes(target, NEW)
    assert events == [("fsync", len(NEW)), ("replace", len(NEW), os.fspath(target))]


def test_temp_path_for_is_a_hidden_empty_file_beside_the_target(tmp_path):
    target = tmp_path / "previews" / "256px" / "3.gif"
    tmp = atomic.temp_path_for(target)
    assert tmp.parent == target.parent and tmp.name.startswith(".3.gif.")
    assert tmp.suffix == ".gif" and tmp.read_bytes() == b""
    assert stat.S_IMODE(tmp.stat().st_mode) == atomic.FILE_MODE
    assert atomic.temp_path_for(target) != tmp  # a fresh one each time


class Killed(BaseException):
    """What the crash point raises in these tests instead of dying."""


def seen_at_the_crash_point(monkeypatch, target, data, point: str):
    """The target's bytes and the temporary files' bytes at the moment the crash point fires
    (None if it does not), with the kill replaced by an exception in this process."""
    seen = []

    def kill():
        kept = target.read_bytes() if target.exists() else None
        seen.append((kept, [p.read_bytes() for p in temporaries(target.parent)]))
        raise Killed

    monkeypatch.setattr(crash, "kill", kill)
    monkeypatch.setenv(crash.VARIABLE, point)
    try:
        atomic.write_bytes(target, data)
    except Killed:
        return seen[0]
    return None


def killed_inside_a_write(target, data, point: str) -> int:
    """Write `data` to `target` in a forked child that has ARTGEN_CRASH_AT=`point`; the
    signal that ended the child (0 if it finished)."""
    pid = os.fork()
    if pid == 0:  # the child: write, and leave at once however the write ends
        code = 3
        try:
            os.environ[crash.VARIABLE] = point
            atomic.write_bytes(target, data)
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0


#: (stage, an old file there, what the target then holds, what the temporary file holds)
KILLS = [
    # killed with half the bytes in the temporary file: the old file stays whole
    ("partial", True, OLD, NEW[: len(NEW) // 2]),
    ("partial", False, None, NEW[: len(NEW) // 2]),
    # killed between the write (synced) and the rename
    ("synced", True, OLD, NEW),
    ("synced", False, None, NEW),
    # killed right after the rename: the new file is whole
    ("replaced", True, NEW, None),
]


def batches_file(folder, old: bool):
    """ord/batches.json under `folder`, holding OLD when `old`."""
    target = folder / "ord" / "batches.json"
    if old:
        target.parent.mkdir()
        target.write_bytes(OLD)
    return target


@pytest.mark.parametrize(("stage", "old", "kept", "temporary"), KILLS)
def test_a_process_killed_inside_a_write_leaves_a_whole_file_or_none(
    tmp_path, stage, old, kept, temporary
):
    target = batches_file(tmp_path, old)
    assert killed_inside_a_write(target, NEW, f"write-{stage}:ord/batches.json") == signal.SIGKILL
    assert (target.read_bytes() if target.exists() else None) == kept
    left = temporaries(target.parent)
    if temporary is None:
        assert left == []
    else:  # the killed write's temporary: hidden, named after the target, holding its bytes
        assert len(left) == 1 and left[0].name.startswith(".batches.json.")
        assert left[0].read_bytes() == temporary


@pytest.mark.parametrize(("stage", "old", "kept", "temporary"), KILLS)
def test_each_crash_point_inside_a_write_fires_at_its_moment(
    tmp_path, monkeypatch, stage, old, kept, temporary
):
    target = batches_file(tmp_path, old)
    point = f"write-{stage}:ord/batches.json"
    seen = seen_at_the_crash_point(monkeypatch, target, NEW, point)
    assert seen == (kept, [] if temporary is None else [temporary])


def test_a_crash_point_names_any_file_even_one_with_a_colon(tmp_path, monkeypatch):
    target = tmp_path / "notes" / "12:30.json"
    seen = seen_at_the_crash_point(monkeypatch, target, NEW, "write-synced:notes/12:30.json")
    assert seen == (None, [NEW])


@pytest.mark.parametrize(
    "point",
    [
        "write-partial:other.json",  # another file
        "write-partial:atches.json",  # not a whole path part
        "write-synced:ord/other/batches.json",  # another folder
        "write-broken:batches.json",  # no such stage
        "partial:batches.json",
    ],
)
def test_a_crash_point_for_another_file_or_stage_does_not_fire(tmp_path, monkeypatch, point):
    target = tmp_path / "ord" / "batches.json"
    assert killed_inside_a_write(target, NEW, point) == 0
    assert target.read_bytes() == NEW and temporaries(target.parent) == []
    assert seen_at_the_crash_point(monkeypatch, target, OLD, point) is None
    assert target.read_bytes() == OLD and temporaries(target.parent) == []


def test_crash_points_outside_writes_fire_only_on_their_step_and_count(monkeypatch):
    fired = []
    monkeypatch.setattr(crash, "kill", lambda: fired.append(crash.wanted()))
    monkeypatch.setattr(crash, "_COUNTS", {})
    monkeypatch.setenv(crash.VARIABLE, "job:2")
    crash.crash_point("job", 1)
    crash.crash_point("record", 2)
    assert fired == []
    crash.crash_point("job", 2)
    assert fired == ["job:2"]
    fired.clear()
    for _ in range(3):
        crash.counted_crash_point("job")  # visits 1, 2, 3: fires at the second
    assert fired == ["job:2"]
    monkeypatch.delenv(crash.VARIABLE)
    crash.crash_point("job", 2)
    assert fired == ["job:2"]
