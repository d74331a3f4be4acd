"""Animated GIF: one stable palette, changes held under a stated error bound, lossy LZW.

The error bound: every pixel of every frame a viewer sees is within HOLD (8 of 255) of the
rendered frame in each of R, G and B, or, where the clip's palette has no colour that close,
shows the palette's nearest colour (a single-frame GIF could do no better). Inside that bound:

- one palette serves the whole clip (`palette`: median cut over 16 frames sampled evenly,
  then the colours it serves worst added one by one), so no colour jumps between frames;
- a pixel keeps what the canvas shows while that stays within the bound: a change below it is
  no change, so slow fades and antialiasing noise cost nothing until they add up;
- each frame stores only the box around the pixels that must change, and a frame with none
  lengthens the one before it (the timing a viewer sees is unchanged);
- a frame with fewer pixels to write over the canvas before the last image than over the
  canvas after it undoes that image instead of coding its change back (the image's disposal
  becomes "restore previous"): a blink that erases nodes and brings them back costs the
  erasure only, and each fresh set of blinking nodes is written over the full picture. The
  pixels the undone image changed whose true colour stays are written back as they showed,
  exactly (`_gif` "pins" them), so no pixel changes while its true colour stays;
- inside the box the LZW coder (`artgen.animation._gif`, in C) chooses, pixel by pixel,
  among the indices the bound allows the one that extends the longest string in its
  dictionary: a pixel that must change takes its nearest colour or any within WRITE of the
  true one; any other stays as it is (transparent, or its shown index): runs and repeats,
  which LZW compresses, and no pixel ever changes while its true colour stays.

The first frame is whole and opaque, so the loop restarts exactly. GIF delays are whole
hundredths of a second and browsers stretch delays under 20 ms: the frame rate must divide
100 and be at most 50 (50, 25, 20, 10, 5, 4, 2, 1). The bytes are a pure function of the
frames: this module writes the file itself (Pillow only cuts the palette and maps colours).
"""

from __future__ import annotations

import os
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..atomic import write_bytes
from ..errors import ArtgenError

GIF_FPS = (50, 25, 20, 10, 5, 4, 2, 1)
HOLD = 8  # the error bound, per channel: a pixel changes only once it is further off than this
WRITE = 4  # a colour the coder writes is within this of the true one (or is the nearest)
PALETTE_SAMPLES = 16  # frames in the palette montage
MONTAGE_STEP = 2  # median cut on every other pixel of each: a quarter of the work
COLORS = 255  # index 255 is the transparent one: "keep what the canvas shows"
MEDIAN_CUT = 192  # colours from Pillow's median cut; the rest go where it serves worst
MAX_DELAY = 65535  # hundredths of a second: the GIF field's largest value
KEEP = 1  # disposal method: the image stays on the canvas
RESTORE = 3  # disposal method: the canvas goes back to what it showed before the image
EMPTY = b"\x00\xff\x05\x04"  # LZW codes of one transparent pixel: clear, 255, end (9 bits)


@dataclass(frozen=True)
class Palette:
    """The clip's colours: `colors` (COLORS, 3) uint8, and `image`, a 'P' image of them for
    Pillow's nearest-colour mapping."""

    colors: np.ndarray
    image: object

    @property
    def table(self) -> bytes:
        """The 256-entry colour table of the file (the transparent entry black)."""
        return self.colors.tobytes() + bytes(3)


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


def palette(frames: list[np.ndarray]) -> Palette:
    """The palette of a clip, from some of its frames: Pillow's median cut to MEDIAN_CUT
    colours, then, one at a time, the colour furthest (largest channel difference) from every
    colour so far, until COLORS: median cut serves the common colours, the additions the rare
    ones it would leave far off (a spark's, a thin line's)."""
    from PIL import Image

    montage = np.concatenate([f[::MONTAGE_STEP, ::MONTAGE_STEP] for f in frames])
    cut = Image.fromarray(montage).quantize(
        MEDIAN_CUT, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    )
    chosen = np.array(cut.getpalette()[: 3 * MEDIAN_CUT], np.int16).reshape(-1, 3)
    # every colour of the sampled frames, at full resolution (a thin line's antialiased end
    # can fall between the montage's pixels): a bitmap over the 2^24 colours
    seen = np.zeros(1 << 24, bool)
    for f in frames:
        seen[f.reshape(-1, 3).astype(np.int32) @ np.array([1 << 16, 1 << 8, 1], np.int32)] = True
    packed = np.flatnonzero(seen)
    distinct = ((packed[:, None] >> np.array([16, 8, 0])) & 255).astype(np.int16)
    far = np.full(len(distinct), 256, np.int16)
    for start in range(0, len(distinct), 4096):  # in slices: (4096, 192, 3) at most
        block = distinct[start : start + 4096, None, :]
        far[start : start + 4096] = np.abs(block - chosen[None]).max(axis=2).min(axis=1)
    added = []
    while len(chosen) + len(added) < COLORS and far.size and far.max() > 0:
        color = distinct[int(np.argmax(far))]
        added.append(color)
        np.minimum(far, np.abs(distinct - color).max(axis=1), out=far)
    colors = np.concatenate([chosen, np.array(added, np.int16).reshape(-1, 3)])
    colors = np.concatenate([colors, np.repeat(colors[-1:], COLORS - len(colors), axis=0)])
    colors = colors.astype(np.uint8)
    image = Image.new("P", (1, 1))
    image.putpalette(colors.tobytes())
    return Palette(colors, image)


def gif_bytes(frame_at: Callable[[int], np.ndarray], count: int, fps: int) -> bytes:
    """The GIF of frames frame_at(0 .. count - 1) at `fps` (which must divide 100)."""
    check_fps(fps)
    if count < 1:
        raise ValueError("a GIF needs at least one frame")
    sampled = {k: frame_at(k) for k in sample_frames(count)}
    clip = palette(list(sampled.values()))
    first = sampled[0]
    height, width, _ = first.shape
    encoder = FrameEncoder(clip, width, height)
    frames: list[list] = []  # [delay, disposal, box, image data] of each image in the file
    delay = 100 // fps
    for k in range(count):
        rgb = sampled.pop(k) if k in sampled else frame_at(k)
        coded, undo = encoder.add(np.ascontiguousarray(rgb))
        if undo:
            frames[-1][1] = RESTORE  # the image before is undone as this one is drawn
        if coded is None and not undo and frames[-1][0] + delay <= MAX_DELAY:
            frames[-1][0] += delay  # nothing moved past the bound: the frame before stays longer
        else:  # (or it was undone, or it stayed as long as a GIF delay can say: an empty image)
            if coded is None and not undo:
                encoder.forget_undo()  # undoing the empty image would not undo the one before
            frames.append([delay, KEEP, *(coded or ((0, 1, 0, 1), EMPTY))])
    return _file(width, height, clip.table, frames)


class FrameEncoder:
    """Codes frames one after the other against what the canvas shows (`shown`: palette
    indices, as a decoder holds them), and may undo the last image (`before`: the canvas
    before it was drawn)."""

    def __init__(self, clip: Palette, width: int, height: int):
        self.clip = clip
        self.width, self.height = width, height
        self.table = clip.table
        self.shown: np.ndarray | None = None
        self.before: np.ndarray | None = None
        # the pixels the last image changed (box, mask) and their true colours in the frame
        # before the one being coded: undoing the image must change each of them
        self._changed: tuple[tuple[slice, slice], np.ndarray] | None = None
        self._truth: np.ndarray | None = None

    def nearest(self, rgb: np.ndarray) -> np.ndarray:
        """Each pixel's nearest palette index, as a writable (height, width) uint8 array."""
        from PIL import Image

        quantized = Image.fromarray(rgb).quantize(palette=self.clip.image, dither=0)
        return np.array(quantized, np.uint8)

    def forget_undo(self) -> None:
        """An image that changes nothing went on after the last one: it can no longer be undone."""
        self.before, self._changed = None, None

    def add(self, rgb: np.ndarray) -> tuple[tuple[tuple[int, int, int, int], bytes] | None, bool]:
        """(the next frame's box (y0, y1, x0, x1) and LZW image data, or None when every pixel
        the canvas shows is within the bound of it; whether the last image is undone first)."""
        from . import _gif

        if rgb.shape != (self.height, self.width, 3) or rgb.dtype != np.uint8:
            raise ValueError(f"expected a ({self.height}, {self.width}, 3) uint8 frame")
        near = self.nearest(rgb)
        canvas, pinned = self.shown, None
        size = (self.table, self.width, self.height, HOLD)
        *box, count = _gif.must_change(rgb, near, canvas, *size)
        undo = False
        if count and self.before is not None and self._changed is not None:
            pins = self._pins(rgb)
            *undone, fewer = _gif.must_change(rgb, near, self.before, *size, pins)
            if fewer < count:  # fewer pixels to write over the canvas before the last image
                undo, box, canvas, pinned = True, undone, self.before, pins
                np.copyto(near, self.shown, where=pins.view(bool))  # written back as they were
        self._remember(rgb)
        y0, y1, x0, x1 = box
        if y1 == y0:
            if undo:
                self.shown = canvas
                self.forget_undo()
            return None, undo
        area = np.s_[y0:y1, x0:x1]
        chosen = np.empty((y1 - y0, x1 - x0), np.uint8)
        data = _gif.encode(
            np.ascontiguousarray(rgb[area]),
            np.ascontiguousarray(near[area]),
            None if canvas is None else np.ascontiguousarray(canvas[area]),
            self.table,
            chosen.size,
            HOLD,
            WRITE,
            chosen,
            None if pinned is None else np.ascontiguousarray(pinned[area]),
        )
        if canvas is None:  # the first image: whole, never undone (the loop starts from it)
            self.shown = chosen
            return ((y0, y1, x0, x1), data), undo
        after = canvas.copy()
        np.copyto(after[area], chosen, where=chosen != COLORS)
        changed = after[area] != canvas[area]
        self.before, self.shown = canvas, after
        self._changed = (area, changed) if changed.any() else None
        self._remember(rgb)
        return ((y0, y1, x0, x1), data), undo

    def _pins(self, rgb: np.ndarray) -> np.ndarray:
        """1 where the last image changed a pixel whose true colour stays in this frame: undoing
        the image must write it back as it shows now (uint8, the frame's shape)."""
        assert self._changed is not None and self._truth is not None
        area, changed = self._changed
        pins = np.zeros((self.height, self.width), np.uint8)
        pins[area][changed] = (rgb[area][changed] == self._truth).all(axis=1)
        return pins

    def _remember(self, rgb: np.ndarray) -> None:
        """Keep this frame's true colours of the pixels the last image changed."""
        if self._changed is not None:
            area, changed = self._changed
            self._truth = rgb[area][changed]


def _file(width: int, height: int, table: bytes, frames: list[list]) -> bytes:
    """The GIF89a file: a global 256-colour table, endless looping, then each image with its
    delay, disposal and box (the first one whole and opaque)."""
    out = [
        b"GIF89a",
        struct.pack("<HHBBB", width, height, 0xF7, 0, 0),  # global table of 2^(7+1) colours
        table,
        b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00",  # loop forever
    ]
    for k, (delay, disposal, (y0, y1, x0, x1), data) in enumerate(frames):
        out.append(_control(delay, disposal, k > 0))
        out.append(_image(y0, y1, x0, x1, data))
    out.append(b"\x3b")
    return b"".join(out)


def _control(delay: int, disposal: int, transparent: bool) -> bytes:
    """A graphic control extension: delay (1/100 s), disposal, the transparent index."""
    return struct.pack("<BBBBHBB", 0x21, 0xF9, 4, disposal << 2 | transparent, delay, COLORS, 0)


def _image(y0: int, y1: int, x0: int, x1: int, data: bytes) -> bytes:
    """An image descriptor (no local table), the LZW minimum code size, data in sub-blocks."""
    blocks = [
        bytes((len(data[i : i + 255]),)) + data[i : i + 255] for i in range(0, len(data), 255)
    ]
    return b"".join(
        [struct.pack("<BHHHHB", 0x2C, x0, y0, x1 - x0, y1 - y0, 0), b"\x08", *blocks, b"\x00"]
    )


def write_gif(
    path: str | os.PathLike, frame_at: Callable[[int], np.ndarray], count: int, fps: int
) -> Path:
    """Write the GIF of frames frame_at(0 .. count - 1) to `path`, atomically."""
    check_fps(fps, str(path))
    return write_bytes(path, gif_bytes(frame_at, count, fps))
