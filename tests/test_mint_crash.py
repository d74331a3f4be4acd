"""kill -9 during `artgen mint`, then the same command: the manifest of an uninterrupted run."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time

import pytest
from mint_configs import tiny_config

from collection.mint import mint_collection, verify

TINY = tiny_config("Crash Test", size=6, seed=11)
ARTGEN = [sys.executable, "-c", "from collection.cli import main; main()"]


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    """(config path, cache folder, manifest bytes of an uninterrupted run)."""
    folder = tmp_path_factory.mktemp("crash")
    cache = folder / "cache"
    config = folder / "tiny.toml"
    config.write_text(TINY, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ARTGEN_CACHE", str(cache))
        result = mint_collection(folder / "reference", config=config, workers=1, progress=False)
    return config, cache, (result.root / "manifest.json").read_bytes()


def mint_command(config, out, workers):
    return [*ARTGEN, "mint", "--config", str(config), "--out", str(out), "--workers", str(workers)]


def environment(cache, crash=None):
    env = {**os.environ, "ARTGEN_CACHE": str(cache)}
    env.pop("ARTGEN_CRASH_AT", None)
    if crash:
        env["ARTGEN_CRASH_AT"] = crash
    return env


def run_mint(config, out, workers, cache, crash=None):
    """`artgen mint` to its end (or its crash point); text output captured."""
    return subprocess.run(
        mint_command(config, out, workers),
        env=environment(cache, crash),
        capture_output=True,
        timeout=120,
        text=True,
    )


def leftovers(root):
    """Temporary files of atomic writes still lying in the collection folder."""
    return [p for p in root.rglob(".*") if p.is_file() and p.name.count(".") >= 2]


@pytest.mark.parametrize(
    ("crash", "workers"),
    [
        ("start:0", 1),  # state and collection.toml written, no token yet
        ("job:3", 1),  # inside the third token job
        ("files:2", 1),  # token 2's model written, its still and record not
        ("record:4", 2),  # token 4's record written, other tokens in flight
        ("finalize:5", 1),  # in the middle of the collection files
        ("manifest:0", 1),  # manifest written, run not marked complete
    ],
)
def test_kill_at_a_point_then_resume_gives_the_same_manifest(setup, tmp_path, crash, workers):
    config, cache, reference = setup
    out = tmp_path / "out"
    killed = run_mint(config, out, workers, cache, crash)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    state = json.loads((out / ".artgen" / "run.json").read_text())
    assert state["status"] == "running"
    resumed = run_mint(config, out, workers, cache)
    assert resumed.returncode == 0, resumed.stderr
    assert "resumed" in resumed.stderr or "refreshed" in resumed.stderr
    assert (out / "manifest.json").read_bytes() == reference
    assert verify(out) == [] and leftovers(out) == []


def test_kill_at_a_random_moment_then_resume(setup, tmp_path):
    config, cache, reference = setup
    out = tmp_path / "out"
    delay = random.uniform(0.3, 2.0)
    process = subprocess.Popen(
        mint_command(config, out, 2),
        env=environment(cache),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    time.sleep(delay)
    try:
        os.killpg(process.pid, signal.SIGKILL)  # the command and its workers
    except ProcessLookupError:
        pass  # it had finished: the rerun must then do nothing
    process.wait(timeout=60)
    resumed = run_mint(config, out, 2, cache)
    assert resumed.returncode == 0, f"killed after {delay:.2f} s: {resumed.stderr}"
    assert (out / "manifest.json").read_bytes() == reference, f"killed after {delay:.2f} s"
    assert verify(out) == []


def test_a_killed_pool_worker_stops_the_run_cleanly_and_resume_finishes(setup, tmp_path):
    config, cache, reference = setup
    out = tmp_path / "out"
    # ARTGEN_CRASH_AT reaches the pool workers too: each dies at its second job
    broken = run_mint(config, out, 2, cache, "job:2")
    assert broken.returncode == 2
    last = broken.stderr.strip().splitlines()[-1]
    assert last.startswith("artgen mint: error: a worker process died")
    resumed = run_mint(config, out, 2, cache)
    assert resumed.returncode == 0, resumed.stderr
    assert (out / "manifest.json").read_bytes() == reference
