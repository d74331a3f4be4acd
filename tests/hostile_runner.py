"""Runs `artgen` commands as a hostile user would meet them, each in a forked child with
bounds: a fork server for tests/test_hostile.py.

Started once (`python tests/hostile_runner.py PARALLEL`), it imports artgen and its heavy
libraries, reads one JSON request per line on stdin until the end, then runs them, PARALLEL
at a time, answering one JSON line per case on stdout as each ends. Each request runs the
console script's entry point in a fresh forked child, so a case costs a fork, not an
interpreter start, and still runs as a real process would: its own stdin,
stdout and stderr files (stdout may be /dev/full), its own working folder and environment,
and its own bounds:

- memory: RLIMIT_AS at the child's size when forked plus `mem_mb` (an allocation beyond it
  fails, which a case sees as a MemoryError traceback);
- time: the child's process group is killed after `timeout` seconds (a hang is reported);
- conditions: "nowrite" drops the capabilities that let root write where it may not (so a
  chmod'ed read-only folder refuses root too); "disk:PATH:BYTES" mounts a tmpfs of BYTES at
  PATH in a private mount namespace (a full disk: ENOSPC), or where namespaces are not
  allowed caps every file at BYTES with RLIMIT_FSIZE (EFBIG).

The answer: exit code, stdout and stderr text, whether it timed out, and the child's peak
resident memory above its size when forked (kB).
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import signal
import sys
import time
import traceback

for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")  # no threads in the fork server: forks stay safe

import importlib.metadata  # noqa: E402

import numpy  # noqa: E402, F401
import PIL.Image  # noqa: E402, F401

ENTRY = importlib.metadata.entry_points(group="console_scripts", name="artgen")
MAIN = next(iter(ENTRY)).load()
import artgen.render  # noqa: E402, F401  (Cairo, so a case forks with it loaded)

_LIBC = ctypes.CDLL(None, use_errno=True)
_CLONE_NEWNS, _MS_REC, _MS_PRIVATE = 0x00020000, 0x4000, 0x40000
_CAP_DAC = (1 << 1) | (1 << 2) | (1 << 3)  # DAC_OVERRIDE, DAC_READ_SEARCH, FOWNER


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


def _drop_write_capabilities() -> None:
    """Root without the capabilities that override file modes: chmod binds it too."""
    header, data = _CapHeader(0x20080522, 0), (_CapData * 2)()
    if _LIBC.capget(ctypes.byref(header), data) != 0:
        return
    data[0].effective &= ~_CAP_DAC
    data[0].permitted &= ~_CAP_DAC
    data[0].inheritable &= ~_CAP_DAC
    _LIBC.capset(ctypes.byref(header), data)


def _small_disk(path: str, size: int) -> None:
    """A tmpfs of `size` bytes at `path`, seen by this process only; RLIMIT_FSIZE otherwise."""
    if _LIBC.unshare(_CLONE_NEWNS) == 0:
        _LIBC.mount(None, b"/", None, _MS_REC | _MS_PRIVATE, None)
        options = f"size={size},mode=0777".encode()
        if _LIBC.mount(b"tmpfs", path.encode(), b"tmpfs", 0, options) == 0:
            return
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the cap fails with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


def _vm_kb(key: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def _child(request: dict, out_path: str, err_path: str, stats_path: str) -> None:
    os.setpgid(0, 0)
    os.chdir(request["cwd"])
    os.environ.update(request.get("env", {}))
    for condition in request.get("conditions", []):
        kind, _, rest = condition.partition(":")
        if kind == "nowrite":
            _drop_write_capabilities()
        elif kind == "disk":
            where, _, size = rest.rpartition(":")
            _small_disk(where, int(size))
    stdin = os.open(request.get("stdin") or os.devnull, os.O_RDONLY)
    stdout = os.open(request.get("stdout") or out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    stderr = os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    for fd, target in ((stdin, 0), (stdout, 1), (stderr, 2)):
        os.dup2(fd, target)
        os.close(fd)
    sys.stdin = open(0, closefd=False)  # noqa: SIM115
    sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
    base_rss = _vm_kb("VmRSS")
    limit = (_vm_kb("VmSize") + request["mem_mb"] * 1024) * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    sys.argv = ["artgen", *request["argv"]]
    code = 0
    try:
        MAIN()
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:  # what the interpreter would print: a case fails on it
        traceback.print_exc()
        code = 1
    try:
        sys.stdout.flush()
    except OSError:
        code = code or 120  # what Python's own exit does when stdout cannot be flushed
        print("Exception ignored while flushing sys.stdout", file=sys.stderr)
    sys.stderr.flush()
    left = sorted(
        os.path.relpath(os.path.join(here, name), folder)
        for folder in request.get("report_dirs", [])
        for here, _, names in os.walk(folder)
        for name in names
    )
    with open(stats_path, "w") as stats:
        json.dump({"rss_kb": _vm_kb("VmHWM") - base_rss, "disk_files": left}, stats)
    os._exit(code)


class _Running:
    """A forked case: its request, process id, start and deadline."""

    def __init__(self, request: dict):
        self.request = request
        folder = request["scratch"]
        self.paths = [os.path.join(folder, n) for n in ("stdout", "stderr", "stats.json")]
        self.started = time.monotonic()
        self.deadline = self.started + request["timeout"]
        self.interrupted = False
        self.pid = os.fork()
        if self.pid == 0:
            try:
                _child(request, *self.paths)
            finally:
                os._exit(99)

    def answer(self, status: int | None) -> dict:
        """What the case did; `status` None when it was killed at its deadline."""
        try:
            os.killpg(self.pid, signal.SIGKILL)  # anything it left running (ffmpeg, a server)
        except (ProcessLookupError, PermissionError):
            pass
        out_path, err_path, stats_path = self.paths
        stats = json.loads(_read(stats_path) or "{}")
        return {
            "id": self.request["id"],
            "code": None if status is None else os.waitstatus_to_exitcode(status),
            "stdout": "" if self.request.get("stdout") else _read(out_path),
            "stderr": _read(err_path),
            "timed_out": status is None,
            "rss_kb": stats.get("rss_kb"),
            "disk_files": stats.get("disk_files", []),
            "seconds": time.monotonic() - self.started,
        }


def _read(path: str) -> str:
    if not os.path.exists(path):
        return ""
    with open(path, errors="replace") as f:
        return f.read()


def run_all(requests: list[dict], parallel: int) -> None:
    """Run every request, `parallel` at a time, printing each answer as its case ends. A
    server case (with a stop file) gets SIGINT, as from Ctrl-C, once its client is done."""
    waiting, running = list(requests), {}
    while waiting or running:
        while waiting and len(running) < parallel:
            case = _Running(waiting.pop(0))
            running[case.pid] = case
        pid, status = os.waitpid(-1, os.WNOHANG)
        if pid in running:
            print(json.dumps(running.pop(pid).answer(status)), flush=True)
            continue
        now = time.monotonic()
        for case in running.values():
            stop = case.request.get("stop_file")
            if stop and not case.interrupted and os.path.exists(stop):
                case.interrupted = True
                os.kill(case.pid, signal.SIGINT)
        for case in [c for c in running.values() if now > c.deadline]:
            try:
                os.killpg(case.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(case.pid, 0)
            print(json.dumps(running.pop(case.pid).answer(None)), flush=True)
        time.sleep(0.005)


def main() -> None:
    """Requests on stdin, one JSON object a line, until end of file; then run them all."""
    parallel = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    run_all([json.loads(line) for line in sys.stdin if line.strip()], parallel)


if __name__ == "__main__":
    main()
