"""Collection minting: scaling with workers, the local pool against Dask, and memory.

Each run is a real `artgen mint` (stills only) into a fresh folder:
- throughput: 200 tokens with --workers 1 (the baseline) against --workers 2 (goal >= 1.8x), on
  what a collection author mints: the packaged dataset at its defaults (32x32, 1,000 images
  per class) and 1024 px PNG stills (the default size), about 0.25 s of work per token;
- Dask: the same 200 tokens on a loopback scheduler with two one-thread workers against the
  local pool of two (goal: at most 1.15x slower; the cluster is started and warmed beforehand,
  the pool's start-up is part of its run; the cluster runs only around its own runs, since an
  idle one takes a few % of a core); the cluster has the settings the README gives for
  minting (TUNED), and one run on Dask's defaults is shown for comparison;
- CPU time of the whole command (reaped children): what the speed-up can be on idle cores,
  since other processes on a shared machine skew the wall-clock figures;
- two independent `--workers 1` mints of 100 tokens each, run at the same time, against one of
  200: what this machine's two cores give two processes that share nothing but the dataset's
  file pages; they slow each other down through the caches and memory they share (same work,
  alone on one core or beside another: up to +25% CPU time when the host is busy, none when it
  is quiet, measured);
- the throughput runs alternate (pool of 1, pool of 2, Dask, pool of 2, the independent pair)
  three times, then a pool of 1, the stock cluster and a pool of 2: this shared VM's speed
  drifts by up to 20% within minutes, so each run is compared with its baseline's time at the
  same moment, interpolated between the baseline's runs just before and after it
  (drift-corrected; each Dask run sits right between two runs of the pool); the goals are read
  on the median, and best against best is given too;
- idle cost of a loopback cluster (scheduler, two nannies, two workers), on Dask's defaults
  and with the README's settings (TUNED): CPU time of all its processes over IDLE_SECONDS of
  doing nothing, as a share of one core; these are the README's figures;
- memory: peak RSS of the coordinator plus its workers (the sum over the process group,
  sampled from /proc every 50 ms, in these runs only) for 200 tokens against 2,000 (goal:
  flat), on a light config (16x16 images, 100 per class, 512 px stills) so that 2,000 tokens
  take about a minute; and the 2,000-token run's peak over its first half against its second.

`--quick` (or ARTGEN_BENCH_QUICK=1, under `make bench`) runs a reduced form to try the bench
out: 40 tokens, one round, 40 against 400 tokens for memory, 10 s of idle cluster; its figures
are noisier. The goals are declared with `goals.goal`.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from goals import finish, goal

HERE = Path(__file__).resolve().parent
OUT = HERE / "out" / "mint"
ARTGEN = [sys.executable, "-c", "from collection.cli import main; main()"]
DASK = Path(sys.executable).parent / "dask"
CONFIG = """
[collection]
name = "Bench"
seed = 1
[render]
sizes = [1024]
formats = ["png"]
"""
LIGHT = """
[collection]
name = "Bench light"
seed = 1
[dataset]
image_size = [16, 16]
per_class = 100
[render]
sizes = [512]
formats = ["png"]
thumbnail_size = 128
"""
# The cluster settings the README recommends for minting (CPU-bound tasks, busy cores): the
# workers' statistical profiler samples the task thread's stack every 10 ms, holding the GIL;
# every scheduler, nanny and worker wakes its event loop every 20 ms to time it (the "tick");
# `idle_cpu` measures what an idle cluster takes with and without them (the README's figures);
# a 500 ms tick still reports a loop blocked for its 3 s limit
TUNED = {
    "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED": "False",
    "DASK_DISTRIBUTED__ADMIN__TICK__INTERVAL": "500ms",
}
PAGE = os.sysconf("SC_PAGE_SIZE")
TICK = os.sysconf("SC_CLK_TCK")
QUICK = "--quick" in sys.argv or os.environ.get("ARTGEN_BENCH_QUICK") == "1"
REPEATS = 1 if QUICK else 3  # rounds of the alternating runs (this VM's speed drifts ~10%)
TOKENS = 40 if QUICK else 200
IDLE_SECONDS = 10 if QUICK else 30  # of an idle cluster's CPU time, after it has settled


def group_rss(pgid: int) -> int:
    """Bytes resident in all processes of a process group."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid:  # field 5 of stat: the process group
                with open(f"/proc/{entry}/statm") as f:
                    total += int(f.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
    return total


def process_tree(roots: list[int]) -> set[int]:
    """The processes `roots` and all their descendants (a nanny's worker is its child)."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, grew = set(roots), True
    while grew:
        children = {pid for pid, ppid in parents.items() if ppid in tree} - tree
        tree |= children
        grew = bool(children)
    return tree


def tree_cpu(pids: set[int]) -> float:
    """CPU seconds (user + system) used so far by the processes `pids`."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
        except (OSError, IndexError, ValueError):
            continue
    return total / TICK


def idle_cpu(env: dict, stock: bool) -> float:
    """Share of one core (%) that an idle loopback cluster takes: its processes' CPU time over
    IDLE_SECONDS, measured once it has started and settled."""
    _, procs = start_cluster(env, stock)
    try:
        time.sleep(3.0)  # start-up work done
        tree = process_tree([p.pid for p in procs])
        cpu, start = tree_cpu(tree), time.perf_counter()
        time.sleep(IDLE_SECONDS)
        return 100.0 * (tree_cpu(tree) - cpu) / (time.perf_counter() - start)
    finally:
        stop_cluster(procs)


CPU: dict[float, float] = {}  # seconds of a run -> CPU seconds (user + sys) of its processes


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def mint(
    size: int,
    extra: list[str],
    env: dict,
    config: str = "bench",
    name: str = "",
    rss: bool = False,
) -> tuple[float, list[tuple[float, int]]]:
    """(seconds, RSS samples) for one fresh mint of `size` tokens; the samples, when `rss`, are
    (seconds in, bytes resident in the whole command). Sampling costs ~3 ms of CPU every 50 ms,
    taken from the mint's cores: only the memory runs sample, never the timed ones."""
    out = OUT / f"run-{size}{name}"
    shutil.rmtree(out, ignore_errors=True)
    command = [
        *ARTGEN,
        "mint",
        "--config",
        str(OUT / f"{config}.toml"),
        "--size",
        str(size),
        "--out",
        str(out),
        *extra,
    ]
    start, cpu = time.perf_counter(), children_cpu()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    samples: list[tuple[float, int]] = []

    def sample() -> None:
        while process.poll() is None:
            samples.append((time.perf_counter() - start, group_rss(process.pid)))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    if rss:
        sampler.start()
    _, err = process.communicate()
    seconds = time.perf_counter() - start
    if rss:
        sampler.join()
    CPU[seconds] = children_cpu() - cpu  # the command and its workers (all reaped by now)
    if process.returncode:
        raise SystemExit(f"mint failed: {err.decode()[-2000:]}")
    shutil.rmtree(out, ignore_errors=True)
    return seconds, samples


def peak(samples: list[tuple[float, int]]) -> int:
    return max(rss for _, rss in samples)


def pair(size: int, env: dict) -> float:
    """Wall seconds for two independent `--workers 1` mints of `size` tokens run together."""
    times = {}

    def run(name: str) -> None:
        times[name] = mint(size, ["--workers", "1"], env, name=name)

    runs = [threading.Thread(target=run, args=(name,)) for name in ("a", "b")]
    start = time.perf_counter()
    for t in runs:
        t.start()
    for t in runs:
        t.join()
    if len(times) != 2:
        raise SystemExit("a paired mint failed")
    return time.perf_counter() - start


def on_cluster(size: int, env: dict, stock: bool = False) -> float:
    """Seconds of one mint on a loopback Dask cluster of two one-thread workers, started and
    warmed (a 4-token mint: modules imported, dataset loaded, as on a cluster that has run
    before) beforehand, and stopped afterwards: even an idle cluster takes a few % of a core
    (the scheduler's and workers' periodic callbacks), which would slow the other kinds' runs.
    The cluster has the README's settings for minting (TUNED), or Dask's defaults if `stock`."""
    address, procs = start_cluster(env, stock)
    try:
        mint(4, ["--scheduler", address], env, name="-warm")
        return mint(size, ["--scheduler", address], env)[0]
    finally:
        stop_cluster(procs)


def at(runs: list[tuple[str, float, float]], kind: str, moment: float) -> float:
    """The seconds a run of `kind` took at `moment`: linear between the runs of that kind just
    before and just after it (this shared VM's speed drifts by up to 20% within minutes)."""
    marks = [(mid, s) for k, mid, s in runs if k == kind]
    before = max((m for m in marks if m[0] <= moment), default=marks[0])
    after = min((m for m in marks if m[0] >= moment), default=marks[-1])
    if after[0] == before[0]:
        return before[1]
    return before[1] + (after[1] - before[1]) * (moment - before[0]) / (after[0] - before[0])


def between(
    runs: list[tuple[str, float, float]], kind: str, baseline: str
) -> list[tuple[str, float, float]]:
    """The runs of `kind` with a run of `baseline` before and after them (to interpolate)."""
    marks = [mid for k, mid, _ in runs if k == baseline]
    return [r for r in runs if r[0] == kind and min(marks) < r[1] < max(marks)]


def listed(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


def load() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_cluster(env: dict, stock: bool = False) -> tuple[str, list[subprocess.Popen]]:
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    # the settings the README gives for minting on a cluster (see TUNED), unless `stock`
    cluster_env = env if stock else {**env, **TUNED}
    quiet = {"env": cluster_env, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    procs = [
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
            **quiet,
        )
    ]
    for _ in range(2):
        procs.append(
            subprocess.Popen(
                [
                    str(DASK),
                    "worker",
                    address,
                    "--nthreads",
                    "1",
                    "--memory-limit",
                    "0",
                    "--dashboard-address",
                    ":0",
                ],
                **quiet,
            )
        )
    from distributed import Client

    deadline = time.monotonic() + 60
    while True:
        try:
            with Client(address, timeout="10s", set_as_default=False) as client:
                client.wait_for_workers(2, timeout=60)
            return address, procs
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def stop_cluster(procs: list[subprocess.Popen]) -> None:
    for p in reversed(procs):
        p.send_signal(signal.SIGTERM)
    for p in reversed(procs):
        try:
            p.wait(timeout=15)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "bench.toml").write_text(CONFIG, encoding="utf-8")
    (OUT / "light.toml").write_text(LIGHT, encoding="utf-8")
    env = {**os.environ, "ARTGEN_CACHE": str(OUT / "cache")}
    env.pop("ARTGEN_CRASH_AT", None)
    for config in ("bench", "light"):  # warm the dataset caches: no run pays for making them
        mint(4, ["--workers", "1"], env, config)
    n = TOKENS
    stock_idle, tuned_idle = idle_cpu(env, stock=True), idle_cpu(env, stock=False)
    print(
        f"idle loopback cluster (scheduler, 2 nannies, 2 workers), {IDLE_SECONDS} s: "
        f"{stock_idle:.1f}% of a core on Dask's defaults, {tuned_idle:.1f}% with the README's "
        f"settings ({stock_idle / tuned_idle:.1f}x less)"
    )
    goal("idle cluster with the README's settings", tuned_idle, at_most=5.0, unit="% of a core")
    goal("idle cluster: Dask's defaults / README's settings", stock_idle / tuned_idle,
         at_least=3.0, unit="x")  # fmt: skip
    print(f"load average before: {load()} (other processes on the machine skew every figure)")
    # The runs alternate (pool of 1, pool of 2, Dask, pool of 2 again, two independent runs at
    # once), so that every kind sees the same moods of this shared machine, and each Dask run
    # lies right between two runs of the pool it is compared with.
    kinds = {
        "one": lambda: mint(n, ["--workers", "1"], env)[0],
        "two": lambda: mint(n, ["--workers", "2"], env)[0],
        "dask": lambda: on_cluster(n, env),
        "pair": lambda: pair(n // 2, env),
        # for information, once: a cluster on Dask's defaults (profiler on, 20 ms ticks)
        "stock": lambda: on_cluster(n, env, stock=True),
    }
    rounds = ["one", "two", "dask", "two", "pair"]
    # (kind, midpoint since the first run, seconds): the rounds, then closing runs, so that
    # every run lies between two runs of its baseline (--workers 1, or the pool for Dask)
    runs: list[tuple[str, float, float]] = []
    t0 = time.perf_counter()
    for kind in [*rounds * REPEATS, "one", "stock", "two"]:
        began = time.perf_counter() - t0
        seconds = kinds[kind]()
        runs.append((kind, began + seconds / 2, seconds))
    times = {kind: [s for k, _, s in runs if k == kind] for kind in kinds}
    best = {kind: min(times[kind]) for kind in kinds}
    one, two, dask = best["one"], best["two"], best["dask"]
    # drift-corrected: each run against its baseline's time at the same moment, interpolated
    # between the baseline runs just before and after it
    speedups = [at(runs, "one", mid) / s for k, mid, s in between(runs, "two", "one")]
    pairs = [at(runs, "one", mid) / s for k, mid, s in between(runs, "pair", "one")]
    dasks = [s / at(runs, "two", mid) for k, mid, s in between(runs, "dask", "two")]
    stock = [s / at(runs, "two", mid) for k, mid, s in between(runs, "stock", "two")][0]
    print(
        f"throughput, {n} tokens: --workers 1 {n / one:.2f} tokens/s ({one:.1f} s), "
        f"--workers 2 {n / two:.2f} tokens/s ({two:.1f} s) (bests): speed-up, drift-corrected, "
        f"{statistics.median(speedups):.2f}x the median ({listed(speedups)}) (goal >= 1.8x); "
        f"{one / two:.2f}x best against best"
    )
    print(
        f"CPU time (all processes), {n} tokens: --workers 1 {CPU[one]:.1f} s, --workers 2 "
        f"{CPU[two]:.1f} s: on two idle cores the speed-up could reach "
        f"{min(2.0, 2 * CPU[one] / CPU[two]):.2f}x (parallel overhead {CPU[two] / CPU[one]:.2f}x)"
    )
    print(
        f"two independent --workers 1 mints of {n // 2} tokens at once (sharing nothing): "
        f"{statistics.median(pairs):.2f}x one run of {n}, drift-corrected, the median "
        f"({listed(pairs)}): what this machine's two cores give two processes that share nothing; "
        f"the pool's speed-up is {statistics.median(speedups) / statistics.median(pairs):.2f}x "
        "theirs"
    )
    print(
        f"dask, {n} tokens on 2 loopback workers: {n / dask:.2f} tokens/s ({dask:.1f} s); "
        f"dask / local pool time {statistics.median(dasks):.2f}x, drift-corrected, the median "
        f"({listed(dasks)}); {dask / two:.2f}x best against best (goal <= 1.15x); the cluster "
        f"has the README's settings for minting; on Dask's defaults {stock:.2f}x (one run)"
    )
    goal(f"mint speed-up, --workers 2 over 1, {n} tokens (median, drift-corrected)",
         statistics.median(speedups), at_least=1.8, unit="x")  # fmt: skip
    goal(f"mint on Dask / local pool of 2, {n} tokens (median, drift-corrected)",
         statistics.median(dasks), at_most=1.15, unit="x")  # fmt: skip
    print(f"runs in order (kind, seconds): {', '.join(f'{k} {s:.1f}' for k, _, s in runs)}")
    rss_one = peak(mint(n, ["--workers", "1"], env, "light", rss=True)[1])
    rss_200 = peak(mint(n, ["--workers", "2"], env, "light", rss=True)[1])
    many = 10 * n
    big, timeline = mint(many, ["--workers", "2"], env, "light", rss=True)
    rss_2000 = peak(timeline)
    half = big / 2  # tokens come at a steady rate: the run's halves are its first and last 1000
    early = peak([s for s in timeline if s[0] < half])
    late = peak([s for s in timeline if s[0] >= half])
    print(
        f"memory, light config, --workers 2: peak RSS (coordinator + workers) "
        f"{rss_200 / 2**20:.0f} MiB for {n} tokens, {rss_2000 / 2**20:.0f} MiB for {many} tokens "
        f"({many / big:.2f} tokens/s): ratio {rss_2000 / rss_200:.2f}x (goal: flat, about 1.0x); "
        f"--workers 1 for {n}: {rss_one / 2**20:.0f} MiB"
    )
    print(
        f"the {many}-token run's peak RSS over its first half {early / 2**20:.0f} MiB, over its "
        f"second half {late / 2**20:.0f} MiB ({late / early:.2f}x: the second half holds the "
        f"collection files, where the coordinator alone holds every token's record and the "
        f"contact sheet); load average after: {load()}"
    )
    goal(f"peak RSS, {many} tokens / {n} tokens (flat)", rss_2000 / rss_200, at_most=1.1, unit="x")
    return finish()


if __name__ == "__main__":
    sys.exit(main())
