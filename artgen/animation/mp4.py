"""MP4 (H.264, yuv420p) through the ffmpeg binary that the imageio-ffmpeg wheel bundles.

Frames are streamed to ffmpeg one at a time through a pipe, so memory does not grow with the
clip's length. The file is written beside its target and renamed into place when complete.
x264 runs on one thread: its bytes then do not depend on the machine's core count (a mint
runs one job per core anyway). H.264 bytes are not promised to be identical across ffmpeg
builds; the frames are.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from ..atomic import temp_path_for
from ..errors import ArtgenError

CRF = 18  # x264 constant quality: visually lossless for flat, line-drawn art
# x264's "veryfast" search with 16 reference frames (3 B-frames): a blinking portrait returns
# to a few states again and again, and a frame that can point 16 back finds the one it
# repeats. On the idle loop (512 px, 4 s) it is a third to a half smaller than "medium" (its
# 3 references) at half its time: median token 80 -> 55 kB, the largest 246 -> 123 kB
# (bench/preview). Nothing moves between the states, so the quickest motion search (diamond,
# one subpixel step) loses nothing and saves 10-25% of the encoding. 16 references of
# 512 x 512 fit H.264 level 3.1's decoded picture buffer.
PRESET = "veryfast"
X264_PARAMS = "ref=16:bframes=3:subme=1:me=dia"


def check_size(width: int, height: int, source: str | None = None) -> None:
    """yuv420p stores colour at half resolution: both sides must be even."""
    if width % 2 or height % 2:
        raise ArtgenError(
            f"an MP4 (H.264, yuv420p) needs even dimensions, got {width}x{height}",
            source=source,
            field="size",
        )


def write_mp4(
    path: str | os.PathLike, frames: Iterable[np.ndarray], fps: int, width: int, height: int
) -> Path:
    """Stream (height, width, 3) uint8 RGB frames into an H.264 MP4 at `path`, atomically."""
    import imageio_ffmpeg

    check_size(width, height, str(path))
    target = Path(path)
    tmp = temp_path_for(target)
    try:
        writer = imageio_ffmpeg.write_frames(
            str(tmp),
            (width, height),
            fps=fps,
            codec="libx264",
            pix_fmt_in="rgb24",
            pix_fmt_out="yuv420p",
            quality=None,
            macro_block_size=2,
            ffmpeg_log_level="error",
            output_params=[
                *("-crf", str(CRF), "-preset", PRESET, "-tune", "animation", "-threads", "1"),
                *("-x264-params", X264_PARAMS),
                *("-movflags", "+faststart", "-fflags", "+bitexact", "-flags:v", "+bitexact"),
            ],
        )
        writer.send(None)
        count = 0
        try:
            for frame in frames:
                if frame.shape != (height, width, 3) or frame.dtype != np.uint8:
                    raise ValueError(f"frame {count} is {frame.shape} {frame.dtype}, not RGB")
                writer.send(np.ascontiguousarray(frame))
                count += 1
        finally:
            writer.close()  # ends ffmpeg, also when a frame failed
        if count == 0:
            raise ValueError("an MP4 needs at least one frame")
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target
