"""Preview encoders: our GIF against gifsicle, with WebP and MP4 beside them, and their error.

For 5 tokens of collection seed 1 (tokens 0-1999 ranked by lines: the smallest network, the
quartiles, the largest), the 4 s idle loop at 512 px and 25 fps (100 frames, drawn once and
kept, at the embedded chain state, as a mint draws them):

- ours: `artgen.animation.gif.gif_bytes` (error bound HOLD per channel, lossy LZW);
- plain: the same frames mapped to the same palette, whole frames, written by Pillow: the
  lossless input gifsicle gets;
- gifsicle -O3 and gifsicle -O3 --lossy=30 of it (Debian's gifsicle, installed with apt-get
  when missing);
- WebP (`artgen.animation.webp`, quality 80) and MP4 (`artgen.animation.mp4`, H.264 CRF 18).

Bytes; CPU seconds (ours and Pillow's in this process, gifsicle's and ffmpeg's as the child's
CPU); the error of what a viewer sees against the lossless frames, over every channel value of
every frame: mean, 99th percentile, maximum, PSNR. Goals (median token): our GIF at most 0.35
of the 4,226,922 bytes demo token 0's preview took before this encoder, and at most 0.7 of
gifsicle -O3's, at a maximum error of HOLD. The frames are whatever `artgen.animation` draws:
re-run after the animation changes (`.venv/bin/python bench/preview.py`).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from goals import finish, goal
from PIL import Image

from artgen.animation.frames import Animator
from artgen.animation.gif import HOLD, FrameEncoder, gif_bytes, palette, sample_frames
from artgen.animation.mp4 import write_mp4
from artgen.animation.webp import webp_bytes
from artgen.chain import DEFAULT_CHAIN_STATE
from artgen.tables import default_tables
from artgen.traits import sample_range

SIZE, FPS, SECONDS = 512, 25, 4
QUANTILES = (0.0, 0.25, 0.5, 0.75, 1.0)
BEFORE = 4_226_922  # bytes of demo token 0's preview from the encoder this one replaced
GOAL_OF_BEFORE, GOAL_OF_GIFSICLE = 0.35, 0.7
TABLES = default_tables()  # the packaged Perceptrons tables


@dataclass
class Result:
    encoder: str
    size: int
    seconds: float
    mean: float
    p99: int
    max: int
    psnr: float


def lines(sizes) -> int:
    cols = [1, *sizes, 1]
    return sum(a * b for a, b in zip(cols, cols[1:], strict=False))


def tokens():
    """The traits of the 5 tokens: smallest network, quartiles, largest."""
    ranked = sorted(sample_range(1, 0, 2000), key=lambda t: (lines(t.hidden_sizes), t.token))
    return [ranked[round(q * (len(ranked) - 1))] for q in QUANTILES]


def gifsicle() -> str:
    """The gifsicle binary, installed from Debian when missing."""
    found = shutil.which("gifsicle")
    if found is None:
        print("bench/preview: installing Debian's gifsicle", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "gifsicle"]
        if subprocess.run(install, env=env, capture_output=True).returncode:
            subprocess.run(["apt-get", "update", "-qq"], env=env, check=True)
            subprocess.run(install, env=env, check=True, capture_output=True)
        found = shutil.which("gifsicle")
    if found is None:
        sys.exit("bench/preview: gifsicle is missing and could not be installed")
    return found


def errors(true: np.ndarray, seen: np.ndarray) -> tuple[float, int, int, float]:
    """(mean, 99th percentile, maximum, PSNR dB) of |seen - true| over every channel value."""
    diff = np.abs(true.astype(np.int16) - seen.astype(np.int16)).astype(np.uint8)
    hist = np.bincount(diff.ravel(), minlength=256).astype(np.float64)
    mean = float((hist * np.arange(256)).sum() / diff.size)
    p99 = int(np.searchsorted(np.cumsum(hist) / diff.size, 0.99))
    mse = float((hist * np.arange(256) ** 2).sum() / diff.size)
    psnr = 10 * np.log10(255**2 / mse) if mse else float("inf")
    return mean, p99, int(diff.max()), psnr


def shown(data: bytes, count: int) -> np.ndarray:
    """What a viewer sees at each frame tick of an animated GIF or WebP: an image held n ticks
    counts n times (our GIF holds what does not move; libwebp stores identical neighbours
    once, for longer)."""
    out = np.empty((count, SIZE, SIZE, 3), np.uint8)
    k = 0
    with Image.open(io.BytesIO(data)) as im:
        for i in range(im.n_frames):
            im.seek(i)
            im.load()  # (Pillow's WebP reader sets the duration as it decodes)
            ticks = round(im.info["duration"] * FPS / 1000)
            out[k : k + ticks] = np.asarray(im.convert("RGB"))
            k += ticks
    assert k == count, f"the {im.format} shows {k} frames, not {count}"
    return out


def shown_mp4(path: Path, count: int) -> np.ndarray:
    import imageio_ffmpeg

    cmd = [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(path)]
    cmd += ["-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
    raw = subprocess.run(cmd, capture_output=True, check=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(-1, SIZE, SIZE, 3)[:count]


def child_cpu() -> float:
    t = os.times()
    return t.children_user + t.children_system


def timed(fn):
    """(result, CPU seconds) of fn(), counting this process's and its children's CPU."""
    start, children = time.process_time(), child_cpu()
    out = fn()
    return out, time.process_time() - start + child_cpu() - children


def plain_gif(frames: np.ndarray) -> bytes:
    """The frames mapped to the clip's palette (nearest colour, no dithering), whole frames,
    written by Pillow: a lossless GIF of what the palette allows, for gifsicle to optimise."""
    clip = palette([frames[k] for k in sample_frames(len(frames))])
    encoder = FrameEncoder(clip, SIZE, SIZE)
    images = []
    for rgb in frames:
        image = Image.frombytes("P", (SIZE, SIZE), encoder.nearest(rgb).tobytes())
        image.putpalette(clip.table)
        images.append(image)
    buf = io.BytesIO()
    images[0].save(
        buf, format="GIF", save_all=True, append_images=images[1:], duration=1000 // FPS, loop=0
    )
    return buf.getvalue()


def bench_token(traits, gifsicle_exe: str) -> list[Result]:
    clip = Animator(
        traits, DEFAULT_CHAIN_STATE, idle=SECONDS * FPS, size=SIZE, fps=FPS, tables=TABLES
    )
    frames = np.stack([clip.frame(k) for k in range(clip.length)])
    count = len(frames)
    out = []

    def add(name, data_seconds, seen):
        data, seconds = data_seconds
        size = data if isinstance(data, int) else len(data)
        out.append(Result(name, size, seconds, *errors(frames, seen)))

    ours = timed(lambda: gif_bytes(frames.__getitem__, count, FPS))
    add("ours (GIF)", ours, shown(ours[0], count))
    plain = timed(lambda: plain_gif(frames))
    add("plain GIF (gifsicle's input)", plain, shown(plain[0], count))
    for name, args in (
        ("gifsicle -O3", ["-O3"]),
        ("gifsicle -O3 --lossy=30", ["-O3", "--lossy=30"]),
    ):
        run = [gifsicle_exe, *args]
        made = timed(
            lambda run=run: (
                subprocess.run(run, input=plain[0], capture_output=True, check=True).stdout
            )
        )
        add(name, made, shown(made[0], count))
    webp = timed(lambda: webp_bytes(frames.__getitem__, count, FPS))
    add("WebP q80", webp, shown(webp[0], count))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.mp4"
        mp4 = timed(lambda: write_mp4(path, iter(frames), FPS, SIZE, SIZE))
        add("MP4 (H.264 CRF 18)", (path.stat().st_size, mp4[1]), shown_mp4(path, count))
    return out


def main() -> int:
    exe = gifsicle()
    version = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout
    print(f"{version.splitlines()[0]}; {SECONDS} s at {FPS} fps, {SIZE} px; error bound {HOLD}")
    head = (
        f"{'encoder':<30} {'bytes':>11} {'CPU s':>7} {'mean':>6} {'p99':>4} {'max':>4} {'PSNR':>6}"
    )
    table = {}
    for traits in tokens():
        label = f"#{traits.token} {traits.hidden_sizes} ({lines(traits.hidden_sizes)} lines)"
        print(f"\ntoken {label}\n{head}", flush=True)
        results = bench_token(traits, exe)
        table[traits.token] = results
        gifsicle_size = next(r.size for r in results if r.encoder == "gifsicle -O3")
        for r in results:
            print(
                f"{r.encoder:<30} {r.size:>11,} {r.seconds:>7.2f} {r.mean:>6.2f} {r.p99:>4} "
                f"{r.max:>4} {r.psnr:>6.1f}   {r.size / gifsicle_size:.2f} of gifsicle -O3",
                flush=True,
            )
    median = tokens()[len(QUANTILES) // 2].token
    ours = next(r for r in table[median] if r.encoder == "ours (GIF)")
    o3 = next(r for r in table[median] if r.encoder == "gifsicle -O3")
    goals = [
        (f"our GIF / {BEFORE:,} bytes (before)", ours.size / BEFORE, GOAL_OF_BEFORE),
        ("our GIF / gifsicle -O3", ours.size / o3.size, GOAL_OF_GIFSICLE),
        ("our GIF's largest error", ours.max, HOLD),
    ]
    print(f"\ngoals, median token #{median}:")
    for name, value, limit in goals:
        goal(f"{name}, median token", value, at_most=limit)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
