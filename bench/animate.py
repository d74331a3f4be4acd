"""Animation: incremental frames against full redraws, and GIF encoding against ffmpeg's.

1. Frames per second at 512 px of the idle loop (the blink at the embedded fee rate,
   12.4 sat/vB, then at a calm 1 sat/vB) for a small, the median and the largest token of collection
   seed 1 (tokens 0-1999, ranked by lines), each in its Stable stage (whole network drawn):
   - incremental: `Animator.frame` (static layers cached, the Scene's blink applied to
     the still, not rebuilt), on a fresh Animator each run, so its first frame draws the
     background inside the time measured;
   - baseline: `Animator.redraw`, the same frames built and drawn from nothing.
   Each frame is dropped once drawn, as the GIF and MP4 writers do; times are CPU seconds
   (steadier than the wall clock on a shared machine; all the work is in this thread).
   Ratio = incremental fps / full-redraw fps (goal >= 5 for the median).
2. GIF encoding of the median token's 50 frames at 512 px (frames drawn beforehand):
   ours (`gif_bytes`: one global palette, no dithering, unchanged pixels transparent, pixels
   kept unless a closer colour comes) against ffmpeg's palettegen/paletteuse through the
   bundled binary, without dithering (like ours) and with its default dithering. Wall-clock
   time per frame (ffmpeg works in a child process) and file size.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from goals import finish, goal

from artgen.animation.frames import Animator
from artgen.animation.gif import gif_bytes
from artgen.chain import DEFAULT_CHAIN_STATE, ChainState
from artgen.lifecycle import traits_life_state
from artgen.tables import default_tables
from artgen.traits import sample_range

TABLES = default_tables()  # the packaged Perceptrons tables

SIZE = 512
FRAMES = 50
FPS = 25
REPEAT = 5


def lines(sizes) -> int:
    cols = [1, *sizes, 1]
    return sum(a * b for a, b in zip(cols, cols[1:], strict=False))


def cases(fee_rate: float):
    """(name, traits, chain) for the smallest, median and largest of 2,000 tokens, Stable."""
    ranked = sorted(sample_range(1, 0, 2000), key=lambda t: (lines(t.hidden_sizes), t.token))
    for name, t in (("small", ranked[0]), ("median", ranked[1000]), ("largest", ranked[-1])):
        life = traits_life_state(t, DEFAULT_CHAIN_STATE.time, tables=TABLES)
        when = life.next_stable_time + life.year_seconds  # a year into its (next) Stable stage
        yield name, t, ChainState(when, DEFAULT_CHAIN_STATE.height, fee_rate)


def timed(fn) -> float:
    """CPU seconds of fn() (single-threaded work: steadier than the wall clock on a busy host)."""
    start = time.process_time()
    fn()
    return time.process_time() - start


def consume(frame_at, n: int) -> None:
    """Frames 0 .. n - 1, each dropped once drawn, as the GIF and MP4 writers take them."""
    for k in range(n):
        frame_at(k)


def bench_frames(fee_rate: float) -> list[np.ndarray]:
    print(f"\nidle loop at {fee_rate:g} sat/vB, {SIZE} px (best of {REPEAT} runs)")
    head = f"{'token':<44} {'lines':>6} {'frames':>6} {'incremental fps':>16} {'full fps':>9}"
    print(f"{head} {'ratio':>6}")
    median_frames: list[np.ndarray] = []
    for name, traits, chain in cases(fee_rate):
        n = FRAMES if name != "largest" else FRAMES // 2  # a full redraw of it takes ~0.5 s
        clip = Animator(traits, chain, idle=n, size=SIZE, fps=25, tables=TABLES)
        assert clip.life.stage == "Stable"
        assert np.array_equal(clip.frame(7), clip.redraw(7))  # the same pixels, both ways
        inc, full = [], []
        for _ in range(REPEAT):  # alternate, so load on the machine hits both alike
            fresh = Animator(
                traits, chain, idle=n, size=SIZE, fps=25, tables=TABLES
            )  # its first frame draws all
            inc.append(timed(lambda c=fresh, n=n: consume(c.frame, n)))
            full.append(timed(lambda c=clip, n=n: consume(c.redraw, n)))
        fps_inc, fps_full = n / min(inc), n / min(full)
        label = f"{name} #{traits.token} {traits.hidden_sizes}"
        print(
            f"{label:<44} {len(clip.still.lines):>6} {n:>6} {fps_inc:>16.1f} {fps_full:>9.1f} "
            f"{fps_inc / fps_full:>6.1f}"
        )
        if name == "median":
            median_frames = [clip.frame(k) for k in range(n)]
            goal(f"idle loop at {fee_rate:g} sat/vB, median token: incremental / full redraw",
                 fps_inc / fps_full, at_least=5.0, unit="x")  # fmt: skip
    return median_frames


def ffmpeg_gif(frames: list[np.ndarray], dither: str) -> tuple[float, int]:
    """(seconds, bytes) of ffmpeg's two-pass palette GIF of the frames (bundled binary)."""
    import imageio_ffmpeg

    h, w, _ = frames[0].shape
    raw = b"".join(f.tobytes() for f in frames)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "ffmpeg.gif"
        graph = (
            "[0:v]split[a][b];[a]palettegen=stats_mode=full[p];"
            f"[b][p]paletteuse=dither={dither}:diff_mode=rectangle"
        )
        cmd = [
            imageio_ffmpeg.get_ffmpeg_exe(),
            *("-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24"),
            *("-s", f"{w}x{h}", "-r", str(FPS), "-i", "-"),
            *("-filter_complex", graph, "-loop", "0", str(out)),
        ]
        start = time.perf_counter()  # wall clock: the work happens in a child process
        subprocess.run(cmd, input=raw, check=True)
        return time.perf_counter() - start, out.stat().st_size


def bench_gif(frames: list[np.ndarray]) -> None:
    n = len(frames)
    ours = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        data = gif_bytes(frames.__getitem__, n, FPS)
        ours.append(time.perf_counter() - start)
    t_ours = min(ours)
    print(f"\nGIF, median token, {n} frames at {SIZE} px   {'ms/frame':>9} {'kB':>7} {'ratio':>6}")
    name = "artgen (global palette, no dither, kept)"
    print(f"{name:<40} {t_ours / n * 1e3:>9.1f} {len(data) / 1e3:>7.0f}")
    for dither in ("none", "sierra2_4a"):
        runs = [ffmpeg_gif(frames, dither) for _ in range(REPEAT)]
        t = min(r[0] for r in runs)
        size = runs[0][1]
        print(
            f"{'ffmpeg palettegen/paletteuse ' + dither:<40} {t / n * 1e3:>9.1f} "
            f"{size / 1e3:>7.0f} {t_ours / t:>6.2f}"
        )
    print("ratio = artgen time / ffmpeg time; sizes side by side")


def main() -> int:
    frames = bench_frames(DEFAULT_CHAIN_STATE.fee_rate)  # busy: 68% of live nodes per event
    bench_frames(1.0)  # calm: 20% of live nodes every 15 frames
    bench_gif(frames)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
