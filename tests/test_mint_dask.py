"""Minting on a real Dask cluster on 127.0.0.1, with one worker killed mid-run."""

from __future__ import annotations

import contextlib
import operator
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from mint_configs import tiny_config
from ord_batches import check_ord_batches

from collection.cli import cli
from collection.mint import mint_collection, parallel

TINY = tiny_config("Dask Test", size=8, seed=5)
DASK = Path(sys.executable).parent / "dask"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_workers(address: str, count: int, timeout: float = 60.0) -> None:
    from distributed import Client

    with Client(address, timeout="20s", set_as_default=False) as client:
        client.wait_for_workers(count, timeout=timeout)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextlib.contextmanager
def loopback_cluster(folder: Path, doomed: bool):
    """A scheduler and two one-thread workers on 127.0.0.1: (address, cache, first worker).
    With `doomed`, the first worker dies at its second token job."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    cache = folder / "cache"
    env = {
        **os.environ,
        "ARTGEN_CACHE": str(cache),
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }
    env.pop("ARTGEN_CRASH_AT", None)
    logs = open(folder / "dask.log", "wb")  # noqa: SIM115 (closed at teardown)
    common = {"env": env, "stdout": logs, "stderr": logs, "cwd": folder}
    processes = [
        subprocess.Popen(
            [
                str(DASK),
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--dashboard-address",
                ":0",
            ],
            **common,
        )
    ]
    worker = [
        str(DASK),
        "worker",
        address,
        "--nthreads",
        "1",
        "--no-nanny",
        "--memory-limit",
        "0",
        "--dashboard-address",
        ":0",
    ]
    first = {**env, "ARTGEN_CRASH_AT": "job:2"} if doomed else env
    try:
        processes.append(subprocess.Popen(worker, **{**common, "env": first}))
        processes.append(subprocess.Popen(worker, **common))
        deadline = time.monotonic() + 30
        while True:
            try:
                wait_for_workers(address, 2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        yield address, cache, processes[1]
    finally:
        for process in reversed(processes):
            stop(process)
        logs.close()


@pytest.fixture
def cluster(tmp_path):
    """A loopback cluster whose first worker dies at its second token job."""
    with loopback_cluster(tmp_path, doomed=True) as running:
        yield running


def test_dask_mint_survives_a_killed_worker_and_matches_the_local_run(
    cluster, tmp_path, monkeypatch
):
    address, cache, doomed = cluster
    monkeypatch.setenv("ARTGEN_CACHE", str(cache))
    config = tmp_path / "tiny.toml"
    config.write_text(TINY, encoding="utf-8")
    local = mint_collection(tmp_path / "local", config=config, workers=1, progress=False)
    run = CliRunner().invoke(
        cli,
        ["mint", "--config", str(config), "--out", str(tmp_path / "dask"), "--scheduler", address],
    )
    assert run.exit_code == 0, run.output
    assert doomed.wait(timeout=30) == -signal.SIGKILL  # the worker really died mid-run
    assert (tmp_path / "dask/manifest.json").read_bytes() == (
        local.root / "manifest.json"
    ).read_bytes()
    check_ord_batches(tmp_path / "dask")


def test_unreachable_scheduler_is_one_line_exit_2(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "CONNECT_TIMEOUT", "1s")
    config = tmp_path / "tiny.toml"
    config.write_text(TINY, encoding="utf-8")
    address = f"tcp://127.0.0.1:{free_port()}"
    run = CliRunner().invoke(
        cli, ["mint", "--config", str(config), "--out", str(tmp_path / "o"), "--scheduler", address]
    )
    assert run.exit_code == 2
    assert address in run.output and "scheduler" in run.output


def test_results_come_straight_from_workers_unless_dask_config_says_not(tmp_path, monkeypatch):
    """A token's files are gathered from its worker, not relayed by the scheduler; a cluster
    whose workers the client cannot reach keeps Dask's own setting. A real cluster and a real
    client: the client the minter made is only looked at."""
    import dask
    import distributed

    clients = []

    class SeenClient(distributed.Client):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            clients.append(self)

    with loopback_cluster(tmp_path, doomed=False) as (address, _, _):
        monkeypatch.setattr(distributed, "Client", SeenClient)
        for setting, direct in ((None, True), (False, False), (True, True)):
            with dask.config.set({"distributed.client.direct-to-workers": setting}):
                results = parallel.run_jobs(operator.mul, 3, range(10), scheduler=address)
                assert sorted(results) == [3 * i for i in range(10)]
            assert len(clients) == 1, setting  # one client per run
            assert clients.pop().direct_to_workers is direct, setting


def test_cluster_batches_cover_every_item_once_in_order_and_shrink_at_the_end():
    items = list(range(203))
    batches = list(parallel.guided_batches(items, threads=2))
    assert [i for b in batches for i in b] == items
    sizes = [len(b) for b in batches]
    assert max(sizes) == parallel.MAX_BATCH and sizes == sorted(sizes, reverse=True)
    assert sizes[-8:] == [1] * 8  # the last tasks are single items: no long wait at the end
    assert len(batches) < len(items) / 3
    assert [len(b) for b in parallel.guided_batches(items[:5], threads=2)] == [1] * 5
