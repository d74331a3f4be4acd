"""Animated portraits: previews (GIF, WebP, MP4), the lifecycle timelapse, the classification card.

- `write_preview(path, traits, tables=...)`: a token's idle loop (the original's blink, paced
  by the fee), a seamless loop; the suffix picks GIF, WebP or MP4. GIF bytes are a pure
  function of the inputs.
- `animate_file(path, seed, token, ...)`: `artgen animate`: the loop, or the reveal then
  the idle blink, or the reveal, the classification and the result card (ORIGINAL.md 6-8).
- `write_timelapse(path, traits, tables=...)`: one whole life, birth to rebirth, captioned.
- `timelapse_file(path, seed, token, ...)`: `artgen timelapse`.
- `write_video(path, frame_at, count, fps, width, height)`: any frames into GIF, WebP or MP4.

Functions that take a token's Traits take its collection's tables too (the length of a
Perceptron year); `animate_file` and `timelapse_file`, the commands' doors, default to the
packaged Perceptrons tables.

Frames come from `artgen.animation.frames.Animator` (incremental, pixel-identical to a full
redraw); the schedule is `artgen.animation.timeline.Timeline`.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from .. import limits
from ..chain import DEFAULT_CHAIN_STATE, ChainState
from ..errors import ArtgenError, ModelFormatError
from ..tables import Tables, default_tables
from ..traits import Traits
from .pace import FLICKER_SECONDS

VIDEO_SUFFIXES = (".gif", ".webp", ".mp4")
DEFAULT_SECONDS = 4.0  # the idle loop
TIMELAPSE_SECONDS = 12.0
IDLE_BEFORE_SWEEP = 1.0  # seconds of blinking between the reveal and a classification
CARD_HOLD = 2.5  # seconds the settled card stays, after its 1.5 s flicker (ORIGINAL 8)

__all__ = [
    "animate_file",
    "check_video",
    "timelapse_file",
    "write_preview",
    "write_timelapse",
    "write_video",
]


def check_video(path: str | os.PathLike, fps: int, width: int, height: int) -> str:
    """The format ("gif", "webp" or "mp4") `path` asks for, once its frame rate and size can
    be written; ArtgenError otherwise (before any frame is drawn)."""
    suffix = Path(path).suffix.lower()
    if suffix not in VIDEO_SUFFIXES:
        raise ArtgenError("expected a file name ending .gif, .webp or .mp4", source=str(path))
    if fps < 1:
        raise ArtgenError(f"expected a frame rate of 1 fps or more, got {fps}", field="fps")
    if suffix == ".gif":
        from .gif import check_fps

        check_fps(fps, str(path))
        return "gif"
    if suffix == ".webp":
        return "webp"
    from .mp4 import check_size

    check_size(width, height, str(path))
    return "mp4"


def write_video(
    path: str | os.PathLike,
    frame_at: Callable[[int], np.ndarray],
    count: int,
    fps: int,
    width: int,
    height: int,
) -> Path:
    """Frames frame_at(0 .. count - 1), each (height, width, 3) RGB, into a GIF, WebP or MP4."""
    kind = check_video(path, fps, width, height)
    if kind == "gif":
        from .gif import write_gif

        return write_gif(path, frame_at, count, fps)
    if kind == "webp":
        from .webp import write_webp

        return write_webp(path, frame_at, count, fps)
    from .mp4 import write_mp4

    return write_mp4(path, (frame_at(k) for k in range(count)), fps, width, height)


def _frames(seconds: float, fps: int) -> int:
    """The frames of `seconds` at `fps`, once they are a finite count within
    `limits.FRAMES` (checked before any frame is drawn)."""
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        raise ArtgenError(f"expected a number of seconds, got {seconds!r}", field="seconds")
    if not -1e300 < seconds < 1e300 or not math.isfinite(seconds) or seconds <= 0:
        shown = seconds if isinstance(seconds, float) or abs(seconds) < 10**15 else "16+ digits"
        message = f"expected a finite number of seconds > 0, got {shown}"
        raise ArtgenError(message, field="seconds")
    count = round(seconds * fps)
    if count < 1:
        raise ArtgenError(
            f"expected one frame or more, got {seconds:g} s at {fps} fps", field="seconds"
        )
    return limits.FRAMES.check(count, field="seconds")


def write_preview(
    path: str | os.PathLike,
    traits: Traits,
    *,
    hidden_sizes: Sequence[int] | None = None,
    chain: ChainState | None = None,
    fps: int = 25,
    seconds: float = DEFAULT_SECONDS,
    size: int = 512,
    tables: Tables,
) -> Path:
    """A token's preview: its idle loop at the chain state, `seconds` long, looping seamlessly
    (the spark schedule and the particles' drift repeat with the clip). GIF, WebP or MP4 by
    suffix."""
    from .frames import Animator

    check_video(path, fps, size, size)
    chain = chain or DEFAULT_CHAIN_STATE
    clip = Animator(
        traits,
        chain,
        idle=_frames(seconds, fps),
        size=size,
        fps=fps,
        hidden_sizes=hidden_sizes,
        tables=tables,
    )
    return write_video(path, clip.frame, clip.length, fps, size, size)


def animate_file(
    path: str | os.PathLike,
    seed: int | str,
    token: int,
    *,
    chain: ChainState = DEFAULT_CHAIN_STATE,
    fps: int = 25,
    seconds: float | None = None,
    size: int = 512,
    model: str | os.PathLike | None = None,
    reveal: bool = False,
    classify: str | os.PathLike | None = None,
    tables: Tables | None = None,
) -> Path:
    """`artgen animate`: the idle loop; with `reveal`, the reveal first; with `classify` (an
    image), the reveal (if asked), a moment of blinking, the classification, then the card
    (its 1.5 s flicker, then the answer).

    `seconds` is the whole clip (default: a 4 s loop, or what the phases need); `model` draws
    (and with `classify`, thinks with) an upgraded model, by default the bundled one when
    classifying. `tables` default to the packaged Perceptrons tables.
    """
    from ..traits import sample_traits
    from .frames import Animator

    check_video(path, fps, size, size)
    total = None if seconds is None else _frames(seconds, fps)
    tables = default_tables() if tables is None else tables
    traits = sample_traits(seed, token, tables)
    loaded = _model(model, classify is not None)
    hidden = loaded.hidden_sizes if loaded is not None else None
    clip = Animator(
        traits,
        chain,
        idle=1,
        size=size,
        fps=fps,
        hidden_sizes=hidden,
        reveal=reveal,
        sweep=classify is not None,
        tables=tables,
    )
    card = _frames(FLICKER_SECONDS + CARD_HOLD, fps) if classify is not None else 0
    fixed = clip.timeline.reveal_frames + clip.timeline.sweep_frames + card
    default_idle = IDLE_BEFORE_SWEEP if classify is not None else DEFAULT_SECONDS
    idle = _frames(default_idle, fps) if total is None else total - fixed
    if idle < 1:
        raise ArtgenError(
            f"this clip needs at least {(fixed + 1) / fps:.2f} s (reveal, classification and "
            f"card at the token's Hardware Acceleration), got {seconds:g}",
            field="seconds",
        )
    clip = clip.with_idle(idle)
    limits.FRAMES.check(clip.length + card, field="seconds")
    frame_at = clip.frame
    if classify is not None:
        frame_at = _with_card(clip, loaded, classify, round(FLICKER_SECONDS * fps), size)
    return write_video(path, frame_at, clip.length + card, fps, size, size)


def _model(path, classifying: bool):
    if path is None and not classifying:
        return None
    from ..model import load_model
    from ..training import DEFAULT_MODEL

    model = load_model(path if path is not None else DEFAULT_MODEL)
    if not model.hidden_sizes:
        raise ModelFormatError("has no hidden layer to draw", source=str(path or DEFAULT_MODEL))
    return model


def _with_card(clip, model, image, flicker: int, size: int) -> Callable[[int], np.ndarray]:
    """frame_at for the clip followed by the result card (ORIGINAL 8): it opens at once over
    the dimmed portrait, whole and still (the original does not blink under its card); its
    class name flickers through random classes for `flicker` frames, then the answer settles."""
    from ..classify import classify_pixels
    from ..images import load_image
    from .card import CardFacts, card_array, flicker_name, picture, picture_side

    h, w, _ = model.input_shape
    result = classify_pixels(model, load_image(image, h, w), clip.life.neuron_life)
    facts = CardFacts(result, clip.life)
    pixels = picture(image, picture_side(size))
    classes = tuple(model.classes)
    under = clip.still_frame()

    def frame_at(k: int) -> np.ndarray:
        if k < clip.length:
            return clip.frame(k)
        j = k - clip.length
        if j < flicker:
            name = flicker_name(classes, clip.traits.seed, clip.traits.token, j)
            return card_array(under, clip.still, facts, pixels, name=name, settled=False)
        return card_array(under, clip.still, facts, pixels)

    return frame_at


def write_timelapse(
    path: str | os.PathLike,
    traits: Traits,
    *,
    hidden_sizes: Sequence[int] | None = None,
    chain: ChainState | None = None,
    fps: int = 25,
    seconds: float = TIMELAPSE_SECONDS,
    size: int = 512,
    tables: Tables,
) -> Path:
    """A token's timelapse: the whole life the chain state's moment falls in, captioned."""
    from .timelapse import Timelapse, band_height

    check_video(path, fps, size, size + band_height(size))
    chain = chain or DEFAULT_CHAIN_STATE
    count = _frames(seconds, fps)
    lapse = Timelapse(
        traits, chain, count=count, size=size, fps=fps, hidden_sizes=hidden_sizes, tables=tables
    )
    return write_video(path, lapse.frame, lapse.count, fps, lapse.width, lapse.height)


def timelapse_file(
    path: str | os.PathLike,
    seed: int | str,
    token: int,
    *,
    chain: ChainState = DEFAULT_CHAIN_STATE,
    fps: int = 25,
    seconds: float = TIMELAPSE_SECONDS,
    size: int = 512,
    model: str | os.PathLike | None = None,
    tables: Tables | None = None,
) -> Path:
    """`artgen timelapse`: the whole life the chain state's moment falls in, captioned.

    `tables` default to the packaged Perceptrons tables.
    """
    from ..traits import sample_traits
    from .timelapse import band_height

    check_video(path, fps, size, size + band_height(size))
    loaded = _model(model, False)
    hidden = loaded.hidden_sizes if loaded is not None else None
    tables = default_tables() if tables is None else tables
    traits = sample_traits(seed, token, tables)
    return write_timelapse(
        path,
        traits,
        hidden_sizes=hidden,
        chain=chain,
        fps=fps,
        seconds=seconds,
        size=size,
        tables=tables,
    )
