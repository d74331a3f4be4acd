"""Animated WebP (lossy VP8 frames, libwebp's animation encoder through Pillow), looping forever.

Marketplaces and browsers play it; next to a GIF it keeps millions of colours, at an error of
its own kind (smooth gradients hold, thin coloured lines blur: chroma is stored at half
resolution). Frames are drawn one at a time as libwebp asks for them (`_Clip`), so memory does
not grow with the clip's length. Frame k starts at round(1000 k / fps) ms, so any frame rate
keeps its pace. libwebp is deterministic: the same frames give the same bytes with the same
libwebp (Pillow's wheels bundle it); other builds may differ, the frames do not.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

from ..atomic import write_bytes

QUALITY = 80  # libwebp's lossy quality, 0-100: its default, and what marketplaces' tools use
METHOD = 4  # effort 0-6: 4 is 20% smaller than 0 for twice the time; 6 gains 3% for 20x


def webp_bytes(frame_at: Callable[[int], np.ndarray], count: int, fps: int) -> bytes:
    """The animated WebP of frames frame_at(0 .. count - 1), each (height, width, 3) RGB."""
    if count < 1:
        raise ValueError("an animated WebP needs at least one frame")
    if fps < 1:
        raise ValueError(f"expected a frame rate of 1 fps or more, got {fps}")
    clip = _Clip(frame_at, count)
    buf = io.BytesIO()
    clip.save(
        buf,
        format="WEBP",
        save_all=True,
        duration=1000 / fps,  # Pillow rounds each frame's start time, not each duration
        loop=0,
        quality=QUALITY,
        method=METHOD,
    )
    return buf.getvalue()


def write_webp(
    path: str | os.PathLike, frame_at: Callable[[int], np.ndarray], count: int, fps: int
) -> Path:
    """Write the animated WebP of frames frame_at(0 .. count - 1) to `path`, atomically."""
    return write_bytes(path, webp_bytes(frame_at, count, fps))


class _Clip(Image.Image):
    """A clip as a multi-frame Pillow image: seeking to frame k draws it (Pillow's WebP writer
    seeks through a multi-frame image one frame at a time, then back to the first)."""

    def __init__(self, frame_at: Callable[[int], np.ndarray], count: int):
        super().__init__()
        self._frame_at, self.n_frames, self._k = frame_at, count, -1
        first = self._draw(0)
        self._first = first.im  # kept: Pillow seeks back to it when it is done
        self._mode, self._size = first.mode, first.size
        self.im = self._first

    def _draw(self, k: int) -> Image.Image:
        rgb = np.ascontiguousarray(self._frame_at(k))
        if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
            raise ValueError(f"frame {k} is {rgb.shape} {rgb.dtype}, not RGB")
        self._k = k
        return Image.fromarray(rgb)

    def seek(self, frame: int) -> None:
        if frame == self._k:
            return
        if frame == 0:
            self._k, self.im = 0, self._first
            return
        drawn = self._draw(frame)
        if drawn.size != self._size:
            raise ValueError(f"frame {frame} is {drawn.size}, the first {self._size}")
        self.im = drawn.im

    def tell(self) -> int:
        return self._k
