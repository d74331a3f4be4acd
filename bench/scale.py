"""A collection at scale: 1,000 tokens of the default config, extrapolated to 10,000.

One real `artgen mint --size 1000` of the packaged default config (1024 px PNG stills, 512 px
MP4 previews, the HTML art; one worker per core) into a fresh folder, then `artgen verify`:

- wall time, split into the start-up (until the first token is written), the tokens and the
  collection files (metadata, ord batches, contact sheets, manifest);
- CPU seconds a token (the mint and its workers, ffmpeg included);
- the per-token cost of the first and the last hundred tokens (from the times their records
  were written): a run that slows down as it grows would show it;
- bytes a token, by kind of file;
- peak RSS of the whole command (coordinator + workers + ffmpeg, the process group sampled
  every 250 ms), over the first and the second half of the tokens, and at the end;
- extrapolated to 10,000 tokens: the start-up once, the tokens at the last hundred's pace, the
  collection files ten times as long, ten times the bytes. Goals: at most 60 minutes and
  10 GB on 2 cores.

The machine is shared: the load average is printed before and after, and the cores the mint
got on average; other processes slow every figure. So the time is also extrapolated from the
CPU seconds a token on two cores of its own (the CPU time a token takes grows a little on a
busy machine too: caches are shared). `.venv/bin/python bench/scale.py [TOKENS]`.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import goals
from goals import goal
from mint import group_rss, load

HERE = Path(__file__).resolve().parent
OUT = HERE / "out" / "scale"
ARTGEN = [sys.executable, "-c", "from collection.cli import main; main()"]
TOKENS = 1000
TARGET = 10_000
GOAL_MINUTES, GOAL_BYTES = 60.0, 10e9
WINDOW = 100  # tokens in the first and last windows


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def mint(root: Path, size: int, env: dict) -> tuple[float, float, list[tuple[float, int]]]:
    """(start time, end time, RSS samples (time, bytes)) of one fresh mint."""
    command = [*ARTGEN, "mint", "--size", str(size), "--out", str(root)]
    samples: list[tuple[float, int]] = []
    start = time.time()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )

    def sample() -> None:
        while process.poll() is None:
            samples.append((time.time(), group_rss(process.pid)))
            time.sleep(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = process.communicate()
    end = time.time()
    sampler.join()
    if process.returncode:
        raise SystemExit(f"mint failed: {err.decode()[-2000:]}")
    return start, end, samples


def written(root: Path) -> list[float]:
    """When each token's record was written (its last file), in order."""
    records = (root / ".artgen" / "tokens").glob("*.json")
    return sorted(p.stat().st_mtime_ns / 1e9 for p in records)


def bytes_by_kind(root: Path) -> dict[str, int]:
    manifest = json.loads((root / "manifest.json").read_text("utf-8"))
    kinds: dict[str, int] = defaultdict(int)
    for entry in manifest["files"]:
        top = entry["path"].split("/")[0]
        kinds[top if "/" in entry["path"] else "collection files"] += entry["bytes"]
    return dict(sorted(kinds.items(), key=lambda kv: -kv[1]))


def per_token(times: list[float], first: int, count: int) -> float:
    """Seconds a token over `count` tokens written from the `first`-th on."""
    return (times[first + count] - times[first]) / count


def mib(n: float) -> str:
    return f"{n / 2**20:,.0f} MiB"


def main(size: int = TOKENS) -> int:
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    env = {**os.environ, "ARTGEN_CACHE": str(OUT / "cache")}
    env.pop("ARTGEN_CRASH_AT", None)
    mint(OUT / "warm", 2, env)  # the dataset cache is made once, before the timed run
    root = OUT / "collection"
    print(f"bench/scale: {size:,} tokens of the default config; load average before {load()}")
    cpu = children_cpu()
    start, end, samples = mint(root, size, env)
    cpu = children_cpu() - cpu
    verify_start = time.time()
    check = subprocess.run([*ARTGEN, "verify", str(root)], env=env, capture_output=True)
    verify = time.time() - verify_start
    if check.returncode:
        raise SystemExit(f"verify failed: {check.stderr.decode()[-2000:]}")
    times = written(root)
    assert len(times) == size, f"{len(times)} records for {size} tokens"
    wall = end - start
    startup, tokens, finish = times[0] - start, times[-1] - times[0], end - times[-1]
    window = min(WINDOW, size // 4)
    first = per_token(times, 0, window)
    last = per_token(times, size - 1 - window, window)
    kinds = bytes_by_kind(root)
    total = sum(kinds.values())
    middle = times[size // 2]
    rss_first = max((b for t, b in samples if t <= middle), default=0)
    rss_second = max((b for t, b in samples if middle < t <= times[-1]), default=0)
    rss_end = max((b for t, b in samples if t > times[-1]), default=0)
    print(
        f"wall {wall:,.0f} s: start-up {startup:.1f} s, tokens {tokens:,.0f} s, collection files "
        f"{finish:.1f} s; artgen verify {verify:.1f} s"
    )
    print(
        f"per token: {wall / size:.3f} s wall, {cpu / size:.3f} CPU s (the mint, its workers "
        f"and ffmpeg; {cpu / wall:.2f} cores busy on average)"
    )
    print(
        f"per token, first {window}: {first:.3f} s, last {window}: {last:.3f} s "
        f"(last / first {last / first:.2f}: flat is 1)"
    )
    print(f"bytes: {total:,} in all, {total / size:,.0f} a token")
    for kind, count in kinds.items():
        print(f"  {kind:<18} {count / size:>12,.0f} a token ({count / total:5.1%})")
    print(
        f"peak RSS (whole command): {mib(max(b for _, b in samples))}; over the first half of "
        f"the tokens {mib(rss_first)}, the second half {mib(rss_second)}, the collection "
        f"files {mib(rss_end)}"
    )
    scale = TARGET / size
    minutes = (startup + last * (TARGET - 1) + finish * scale) / 60
    cores = os.cpu_count() or 1
    idle = (startup + (cpu / size) * TARGET / cores + finish * scale) / 60
    print(
        f"extrapolated to {TARGET:,} tokens: {minutes:.0f} minutes (start-up once, the tokens "
        f"at the last {window}'s pace, the collection files x{scale:g}); on {cores} cores of "
        f"its own (from the CPU seconds a token) {idle:.0f} minutes; "
        f"{total * scale / 1e9:.2f} GB; load average after {load()}"
    )
    goal(f"{TARGET:,} tokens, minutes", minutes, at_most=GOAL_MINUTES, unit=" min")
    goal(f"{TARGET:,} tokens, on {cores} cores of its own", idle, at_most=GOAL_MINUTES, unit=" min")
    goal(f"{TARGET:,} tokens, bytes", total * scale / 1e9, at_most=GOAL_BYTES / 1e9, unit=" GB")
    goal("per-token cost, last / first hundred", last / first, at_most=1.25, unit="x")
    shutil.rmtree(OUT, ignore_errors=True)
    return goals.finish()


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else TOKENS))
