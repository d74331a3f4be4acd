"""Animated GIF: one palette for the whole clip, exact delays, looping forever.

The palette is built once (Pillow's median cut, 255 colours, over a montage of 16 frames
sampled evenly through the clip, every other pixel) and every frame is mapped to it without
dithering, so no colour jumps between frames. Palette index 255 is left out of the colours:
it marks the pixels a frame leaves unchanged (transparent over the previous frame), which
keeps files small. GIF delays are whole hundredths of a second and browsers stretch delays
under 20 ms, so the frame rate must divide 100 and be at most 50 (50, 25, 20, 10, 5, 4, 2, 1).
The bytes are a pure function of the frames.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ..atomic import write_bytes
from ..errors import ArtgenError

GIF_FPS = (50, 25, 20, 10, 5, 4, 2, 1)
PALETTE_SAMPLES = 16  # frames in the palette montage
MONTAGE_STEP = 2  # every other pixel of each: a quarter of the work, the same colours
COLORS = 255  # index 255 is the "unchanged" marker


def check_fps(fps: int, source: str | None = None) -> int:
    """`fps` when a GIF can play it exactly; ArtgenError naming the rates it can."""
    if fps not in GIF_FPS:
        rates = ", ".join(map(str, GIF_FPS))
        raise ArtgenError(
            f"a GIF plays {rates} fps exactly (delays are whole 1/100 s of at least 20 ms), "
            f"got {fps}; use one of those or write .mp4",
            source=source,
            field="fps",
        )
    return fps


def sample_frames(count: int, samples: int = PALETTE_SAMPLES) -> list[int]:
    """Up to `samples` frame indices spread evenly over [0, count), the first and last included."""
    if count <= samples:
        return list(range(count))
    return sorted({round(i * (count - 1) / (samples - 1)) for i in range(samples)})


def global_palette(frames: list[np.ndarray]):
    """A 'P' image whose 255-colour palette serves the whole clip: Pillow's median cut over
    the frames stacked together."""
    from PIL import Image

    montage = Image.fromarray(np.concatenate([f[::MONTAGE_STEP, ::MONTAGE_STEP] for f in frames]))
    colors = montage.quantize(COLORS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    palette = Image.new("P", (1, 1))
    palette.putpalette(_distinct(colors.getpalette(), COLORS))  # frames never use index 255
    return palette


def _distinct(entries: list[int], n: int) -> list[int]:
    """`n` distinct RGB entries: the first distinct ones of `entries`, then unused colours.

    Pillow matches a frame's palette to the file's by colour, so duplicates would reorder it.
    """
    seen: dict[tuple[int, ...], None] = {}
    for i in range(0, len(entries) - 2, 3):
        seen.setdefault(tuple(entries[i : i + 3]), None)
    spare = ((255 - i % 256, i // 256, 255) for i in range(65536))
    while len(seen) < n:
        seen.setdefault(next(spare), None)
    return [v for color in list(seen)[:n] for v in color]


def gif_bytes(frame_at: Callable[[int], np.ndarray], count: int, fps: int) -> bytes:
    """The GIF of frames frame_at(0 .. count - 1) at `fps` (which must divide 100)."""
    from PIL import Image

    check_fps(fps)
    if count < 1:
        raise ValueError("a GIF needs at least one frame")
    sampled = {k: frame_at(k) for k in sample_frames(count)}
    palette = global_palette(list(sampled.values()))
    images = [
        Image.fromarray(sampled.pop(k) if k in sampled else frame_at(k)).quantize(
            palette=palette, dither=Image.Dither.NONE
        )
        for k in range(count)
    ]
    # index 255, which no pixel uses, marks unchanged pixels; its colour never shows
    table = _distinct(palette.getpalette()[: 3 * COLORS], COLORS + 1)
    buf = io.BytesIO()
    images[0].save(
        buf,
        format="GIF",
        save_all=True,
        append_images=images[1:],
        duration=1000 // fps,
        loop=0,
        palette=bytes(table),
        optimize=True,
        transparency=COLORS,
        disposal=1,
    )
    return buf.getvalue()


def write_gif(
    path: str | os.PathLike, frame_at: Callable[[int], np.ndarray], count: int, fps: int
) -> Path:
    """Write the GIF of frames frame_at(0 .. count - 1) to `path`, atomically."""
    check_fps(fps, str(path))
    return write_bytes(path, gif_bytes(frame_at, count, fps))
