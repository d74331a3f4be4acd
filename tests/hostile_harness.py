"""The harness of tests/test_hostile.py: a table of cases, run as one batch in bounded forks.

A `Case` is one command a hostile but realistic user runs: its arguments (with {d} for the
case's own folder and {a} for the shared assets), a setup that writes its inputs into {d},
the exit code and the words its one-line error must hold, and its bounds. `run_batch` runs
every case in tests/hostile_runner.py (a fork server: each case a forked child under a
memory limit and a deadline, a few at a time) and gives each case's outcome, with a
snapshot of its folder before and after, so a test can say that nothing was left behind.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

RUNNER = Path(__file__).with_name("hostile_runner.py")
PARALLEL = 3  # cases at once: the machine has two cores, and most cases wait on something


@dataclass(frozen=True)
class Case:
    """One hostile command and what must come of it."""

    name: str
    argv: tuple[str, ...]
    code: int
    words: tuple[str, ...] = ()  # in the one error line (or in stdout when code is 0)
    setup: Callable[[Path], None] | None = None
    stdout: str | None = None  # a path for stdout ("/dev/full"); None: captured
    conditions: tuple[str, ...] = ()  # hostile_runner conditions ("nowrite", "disk:...")
    mem_mb: int = 768  # address space beyond the fork's size
    timeout: float = 60.0  # seconds before the case counts as a hang
    changes: tuple[str, ...] = ()  # paths under {d} the command may write (successes)
    forbid: tuple[str, ...] = ()  # text that must appear nowhere (secrets)
    client: Callable[[Path, dict], None] | None = None  # talks to a server case, then stops it
    env: dict = field(default_factory=dict)


@dataclass
class Outcome:
    """What a case did: its answer from the runner, its folder before and after."""

    answer: dict
    before: dict
    after: dict
    client: dict


def snapshot(root: Path) -> dict[str, tuple]:
    """path -> (kind, size, mtime) of everything under `root` (links not followed)."""
    out = {}
    for here, dirs, names in os.walk(root):
        for name in dirs + names:
            path = Path(here, name)
            info = path.lstat()
            kind = stat.S_IFMT(info.st_mode)
            size = info.st_size if stat.S_ISREG(info.st_mode) else 0
            out[path.relative_to(root).as_posix()] = (kind, size, info.st_mtime_ns)
    return out


def fill(text: str, folder: Path, assets: Path, extra: dict) -> str:
    return text.format(d=folder, a=assets, **extra)


def run_batch(cases: list[Case], root: Path, assets: Path, extra: dict, env: dict) -> dict:
    """Run every case (a folder each under `root`); name -> Outcome."""
    requests, before, folders = [], {}, {}
    for case in cases:
        folder = root / case.name
        scratch = root / f".{case.name}.runner"
        folder.mkdir()
        scratch.mkdir()
        if case.setup is not None:
            case.setup(folder)
        folders[case.name] = (folder, scratch)
        before[case.name] = snapshot(folder)
        requests.append(
            {
                "id": case.name,
                "argv": [fill(arg, folder, assets, extra) for arg in case.argv],
                "cwd": str(folder),
                "scratch": str(scratch),
                "stdout": case.stdout and fill(case.stdout, folder, assets, extra),
                "env": {**env, **case.env},
                "conditions": [fill(c, folder, assets, extra) for c in case.conditions],
                "mem_mb": case.mem_mb,
                "timeout": case.timeout,
                "stop_file": str(scratch / "stop") if case.client else None,
                "report_dirs": [
                    fill(c.split(":")[1], folder, assets, extra)
                    for c in case.conditions
                    if c.startswith("disk:")
                ],
            }
        )
    clients, client_results = [], {}
    for case in cases:
        if case.client is not None:
            result: dict = {}
            client_results[case.name] = result
            thread = threading.Thread(
                target=_client, args=(case, folders[case.name], result), daemon=True
            )
            clients.append(thread)
            thread.start()
    requests.sort(key=lambda r: r["stop_file"] is None)  # servers first: clients wait on them
    process = subprocess.run(
        [sys.executable, str(RUNNER), str(PARALLEL)],
        input="".join(json.dumps(r) + "\n" for r in requests),
        capture_output=True,
        text=True,
        timeout=sum(c.timeout for c in cases) + 60,
        env={**os.environ, **env},
    )
    for thread in clients:
        thread.join(30)
    answers = {}
    for line in process.stdout.splitlines():
        answer = json.loads(line)
        answers[answer["id"]] = answer
    missing = {"code": None, "stdout": "", "stderr": process.stderr, "timed_out": False,
               "rss_kb": None, "seconds": 0.0}  # fmt: skip
    return {
        case.name: Outcome(
            answers.get(case.name, {**missing, "id": case.name}),
            before[case.name],
            snapshot(folders[case.name][0]),
            client_results.get(case.name, {}),
        )
        for case in cases
    }


def _client(case: Case, folders: tuple[Path, Path], result: dict) -> None:
    """Wait for the server case to print its address, talk to it, then ask it to stop."""
    folder, scratch = folders
    try:
        case.client(scratch, result)
    except Exception as err:  # the test reports it
        result["error"] = f"{type(err).__name__}: {err}"
    finally:
        (scratch / "stop").write_text("stop")
