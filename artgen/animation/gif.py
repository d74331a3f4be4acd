"""Animated GIF: one palette for the whole clip, exact delays, looping forever.

The palette is built once (Pillow's median cut, 255 colours, over a montage of 16 frames
sampled evenly through the clip, every other pixel) and every frame is mapped to it without
dithering, so no colour jumps between frames. Palette index 255 is left out of the colours:
it marks the pixels a frame leaves unchanged (transparent over the previous frame), and only
the box around the changed pixels is stored, which keeps files small. A pixel keeps the colour
it shows unless the frame's own palette colour is closer to the true one (`steady`): no pixel
is ever further from the rendered frame than plain mapping would put it, but slow fades no
longer flip pixels between neighbouring palette colours (4 s previews: 7-22% smaller).
GIF delays are whole hundredths of a second and browsers stretch delays under 20 ms, so the
frame rate must divide 100 and be at most 50 (50, 25, 20, 10, 5, 4, 2, 1).
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
NO_DITHER = 0  # PIL.Image.Dither.NONE


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
    colors = np.array(palette.getpalette()[: 3 * COLORS], np.int32).reshape(COLORS, 3).T.copy()
    # index 255, which no pixel uses, marks unchanged pixels; its colour never shows
    table = _distinct(palette.getpalette()[: 3 * COLORS], COLORS + 1)
    images, shown, marked = [], None, None
    for k in range(count):
        rgb = sampled.pop(k) if k in sampled else frame_at(k)
        indices = np.asarray(Image.fromarray(rgb).quantize(palette=palette, dither=NO_DITHER))
        if shown is None:
            marked = indices
        else:
            indices = steady(indices, shown, rgb, colors)
            marked = _marked(indices, shown, marked)
        image = Image.frombytes("P", (rgb.shape[1], rgb.shape[0]), marked.tobytes())
        image.putpalette(table)
        images.append(image)
        shown = indices
    buf = io.BytesIO()
    # Pillow stores the box where a frame differs from the one before it: exactly the box
    # of the changed pixels, thanks to `_marked` (its own optimize would mark them too)
    images[0].save(
        buf,
        format="GIF",
        save_all=True,
        append_images=images[1:],
        duration=1000 // fps,
        loop=0,
        palette=bytes(table),  # without it, Pillow gives every frame its own copy
        optimize=False,
        transparency=COLORS,
        disposal=1,
    )
    return buf.getvalue()


def steady(indices: np.ndarray, shown: np.ndarray, rgb: np.ndarray, colors: np.ndarray):
    """A frame's palette indices, except that a pixel keeps the index `shown` before it when
    that colour is at least as close (in RGB) to the frame's true colour `rgb` (so a pixel
    whose colour stays keeps what it shows). `colors` holds the palette's R, G and B rows."""
    moved = np.flatnonzero(indices != shown)
    true, at = rgb.reshape(-1), 3 * moved
    before = shown.ravel()[moved].astype(np.intp)
    now = indices.ravel()[moved].astype(np.intp)
    # |b - t|^2 - |n - t|^2, summed over the channels as (b - n) (b + n - 2 t)
    excess = np.zeros(moved.size, np.int32)
    for c, row in enumerate(colors):
        b, n = row.take(before), row.take(now)
        excess += (b - n) * (b + n - 2 * true[at + c].astype(np.int32))
    keep = excess <= 0
    out = indices.copy()
    out.ravel()[moved[keep]] = before[keep]
    return out


def _marked(indices: np.ndarray, shown: np.ndarray, last: np.ndarray) -> np.ndarray:
    """The frame handed to Pillow: in the box around the pixels that change, their new index
    and COLORS (transparent) for the rest; outside it, the frame handed before (`last`).

    Every pixel then holds COLORS or the index shown, so the pixels that change are exactly
    those where the frame differs from `last`, and Pillow's box is the box of the changes.
    """
    changed = indices != shown
    rows, cols = np.flatnonzero(changed.any(axis=1)), np.flatnonzero(changed.any(axis=0))
    out = last.copy()
    if rows.size:
        box = slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1)
        out[box] = np.where(changed[box], indices[box], np.uint8(COLORS))
    return out


def write_gif(
    path: str | os.PathLike, frame_at: Callable[[int], np.ndarray], count: int, fps: int
) -> Path:
    """Write the GIF of frames frame_at(0 .. count - 1) to `path`, atomically."""
    check_fps(fps, str(path))
    return write_bytes(path, gif_bytes(frame_at, count, fps))
