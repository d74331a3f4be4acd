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
    """(config path, cache folder, the folder of an uninterrupted run)."""
    folder = tmp_path_factory.mktemp("crash")
    cache = folder / "cache"
    config = folder / "tiny.toml"
    config.write_text(TINY, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ARTGEN_CACHE", str(cache))
        result = mint_collection(folder / "reference", config=config, workers=1, progress=False)
    return config, cache, result.root


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


def visible_files(root) -> dict[str, bytes]:
    """The files a person (or a marketplace) sees: everything but hidden files and folders."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    }


def assert_only_whole_files(out, reference):
    """Every file the killed run left in view is the finished collection's file, byte for byte:
    no partial, truncated or provisional file is visible."""
    expected = visible_files(reference)
    for relative, data in visible_files(out).items():
        assert relative in expected, f"{relative}: a file the finished collection does not have"
        assert data == expected[relative], f"{relative}: differs from the finished collection's"


def assert_resumes_exactly(config, out, workers, cache, reference, started=True):
    """The same command again ends with the uninterrupted run's collection; `started`: the
    killed run had written its resume state, so this one resumes rather than starts."""
    resumed = run_mint(config, out, workers, cache)
    assert resumed.returncode == 0, resumed.stderr
    if started:
        assert "resumed" in resumed.stderr or "refreshed" in resumed.stderr
    assert (out / "manifest.json").read_bytes() == (reference / "manifest.json").read_bytes()
    assert visible_files(out) == visible_files(reference)
    assert verify(out) == [] and leftovers(out) == []


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
    assert_only_whole_files(out, reference)
    assert_resumes_exactly(config, out, workers, cache, reference)


@pytest.mark.parametrize(
    "crash",
    [
        # inside the writes of a token's files and its resume record
        "write-partial:models/2.json",
        "write-synced:images/3.png",
        "write-partial:.artgen/tokens/1.json",
        "write-synced:.artgen/tokens/4.json",
        # inside the first write of the resume state: the folder holds nothing yet
        "write-partial:.artgen/run.json",
        # inside the ord file writer (ordfiles.write_ord_files through finalize)
        "write-partial:ord/batch-001.yaml",
        "write-synced:ord/batches.json",
        "write-replaced:ord/batches.json",
        # inside the manifest's write, and right after it lands
        "write-partial:manifest.json",
        "write-synced:manifest.json",
        "write-replaced:manifest.json",
        # inside collection files written by finalize
        "write-partial:contact-sheet.png",
        "write-synced:inscriptions.json",
    ],
)
def test_kill_inside_a_file_write_then_resume_gives_the_same_collection(setup, tmp_path, crash):
    config, cache, reference = setup
    out = tmp_path / "out"
    stage, _, relative = crash.partition(":")
    killed = run_mint(config, out, 1, cache, crash)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    target = out / relative
    temporary = [p for p in leftovers(out) if p.name.startswith(f".{target.name}.")]
    if stage == "write-replaced":  # it landed whole, and the run died right after
        assert target.read_bytes() == (reference / relative).read_bytes()
        assert temporary == []
    else:  # died inside the write: the file is not there, its temporary is, and hidden
        assert not target.exists()
        assert [p.parent for p in temporary] == [target.parent]
        whole = (reference / relative).read_bytes()
        data = temporary[0].read_bytes()
        assert data == (whole if stage == "write-synced" else whole[: len(whole) // 2])
    assert not (out / "manifest.json").exists() or relative == "manifest.json"
    assert_only_whole_files(out, reference)
    started = relative != ".artgen/run.json"
    assert_resumes_exactly(config, out, 1, cache, reference, started)


def test_kill_on_an_observed_moment_then_resume(setup, tmp_path):
    """SIGKILL to the command and its workers when the k-th token's record appears (k drawn at
    random: the moment varies from run to run, and is printed when the test fails); the kill
    must land before the mint ends."""
    config, cache, reference = setup
    out = tmp_path / "out"
    records = out / ".artgen" / "tokens"
    k = random.randint(1, 4)  # at least two tokens and the collection files still to make
    process = subprocess.Popen(
        mint_command(config, out, 2),
        env=environment(cache),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    seen = 0  # records seen when the kill was sent (0: never sent)
    try:
        deadline = time.monotonic() + 120
        while process.poll() is None and time.monotonic() < deadline:
            done = len(list(records.glob("*.json"))) if records.is_dir() else 0
            if done >= k:
                os.killpg(process.pid, signal.SIGKILL)  # the command and its workers
                seen = done
                break
            time.sleep(0.002)
    finally:
        if process.poll() is None and not seen:  # a test that failed: leave nothing running
            os.killpg(process.pid, signal.SIGKILL)
        code = process.wait(timeout=60)
    assert seen, f"k={k}: the mint ended (exit {code}) before its {k}th token's record"
    assert code == -signal.SIGKILL, f"k={k}: the mint ended (exit {code}) before the kill"
    assert not (out / "manifest.json").exists(), f"k={k}: killed after the manifest"
    state = json.loads((out / ".artgen" / "run.json").read_text())
    assert state["status"] == "running", f"k={k}"
    assert k <= len(list(records.glob("*.json"))) < 6, f"k={k}"
    assert_only_whole_files(out, reference)
    assert_resumes_exactly(config, out, 2, cache, reference)


def test_a_killed_pool_worker_stops_the_run_cleanly_and_resume_finishes(setup, tmp_path):
    config, cache, reference = setup
    out = tmp_path / "out"
    # ARTGEN_CRASH_AT reaches the pool workers too: each dies at its second job
    broken = run_mint(config, out, 2, cache, "job:2")
    assert broken.returncode == 2
    last = broken.stderr.strip().splitlines()[-1]
    assert last.startswith("artgen mint: error: a worker process died")
    assert_only_whole_files(out, reference)
    assert_resumes_exactly(config, out, 2, cache, reference)
