"""The lifecycle timelapse: one whole life (SPEC 3) in a few seconds, with a caption band.

The life shown is the one the chain state's moment falls in: from birth, through Growing,
Stable and Decaying, to Dead and Rebirth. Time is sampled per stage, not uniformly: Dead and
Rebirth last 1/1440 of a life each, so each stage gets a fixed share of the frames
(STAGE_SHARES) and time runs evenly inside it. Frame k sits at the middle of its slot, so no
frame falls on a stage boundary. Sparks keep firing at the fee rate's pace while the network
lives (the original's blink sets, drawn from each moment's life), and the Dead pieces drift
with the frame index.

Below the portrait a band in the frame's ink carries the caption in the paper colour: the
stage, the age in Perceptron years, the date, and the active neurons; a thin bar shows where
the frame is in the life (stage boundaries marked).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import cairo
import numpy as np

from ..chain import ChainState, format_time
from ..lifecycle import LIFE_YEARS, STAGE_ENDS, STAGE_STARTS, STAGES, birth_time
from ..lifecycle import traits_life_state as life_at
from ..render import surface_array
from ..scene import FrameOptions, build_scene, frame_of, live_nodes
from ..tables import Tables
from ..traits import Traits
from . import pace
from .frames import LayerCache

#: Share of the frames each stage gets (Growing, Stable, Decaying, Dead, Rebirth).
STAGE_SHARES = (0.34, 0.14, 0.28, 0.12, 0.12)
BAND = 0.125  # caption band height, as a share of the portrait's side
FONT = "DejaVu Sans"


def band_height(size: int) -> int:
    """The caption band's height in pixels: even, so a video's height stays even."""
    return 2 * max(8, round(size * BAND / 2))


def life_ages(count: int) -> list[float]:
    """Age within the life (Perceptron years, 0 to 60) of each of `count` frames."""
    bounds = np.concatenate([[0.0], np.cumsum(STAGE_SHARES)])
    out = []
    for k in range(count):
        u = (k + 0.5) / count * bounds[-1]
        i = min(len(STAGES) - 1, int(np.searchsorted(bounds, u, side="right")) - 1)
        r = (u - bounds[i]) / STAGE_SHARES[i]
        out.append(STAGE_STARTS[i] + r * (STAGE_ENDS[i] - STAGE_STARTS[i]))
    return out


class Timelapse:
    """The frames of one token's life, each (size + band, size, 3) uint8 RGB; its years as
    long as its collection's `tables` say."""

    def __init__(
        self,
        traits: Traits,
        chain: ChainState,
        *,
        count: int,
        size: int,
        fps: int,
        hidden_sizes: Sequence[int] | None = None,
        tables: Tables,
    ):
        self.traits, self.chain, self.count, self.size = traits, chain, count, size
        self.tables = tables
        self.fps = fps
        self.sizes = tuple(hidden_sizes) if hidden_sizes is not None else traits.hidden_sizes
        now = life_at(traits, chain.time, self.sizes, tables=tables)
        start = birth_time(traits.birth_year) + now.rebirths * LIFE_YEARS * now.year_seconds
        self.times = [start + a * now.year_seconds for a in life_ages(count)]
        self.sat_fee = pace.sat_fee(chain.fee_rate)
        rate = pace.blink_target(self.sat_fee)
        self._on = pace.blink_schedule(rate, pace.original_frame(count, fps) + 1)
        self._streams: dict[int, pace.BlinkStream] = {}  # per life (rebirths): its blink draws
        self.cache = LayerCache(size)
        self.band = band_height(size)

    @property
    def width(self) -> int:
        return self.size

    @property
    def height(self) -> int:
        return self.size + self.band

    def frame(self, k: int) -> np.ndarray:
        """Frame k: the portrait at the k-th moment of the life, over its caption."""
        life = life_at(self.traits, self.times[k], self.sizes, tables=self.tables)
        chain = ChainState(self.times[k], self.chain.height, self.chain.fee_rate)
        clock = k * pace.ORIGINAL_FPS / self.fps
        still = build_scene(
            self.traits, self.sizes, life, chain, FrameOptions(index=k, dust_clock=clock)
        )
        step = self._on[pace.original_frame(k, self.fps)]
        if still.nodes and step is not None:
            # the original draws its blink sets from the life of the moment (ORIGINAL 7)
            live = tuple(n.id for n in live_nodes(still.nodes))
            count = pace.active_amount(len(live), self.sat_fee)
            stream = self._streams.get(life.rebirths)
            if stream is None:
                stream = self._streams[life.rebirths] = pace.BlinkStream(life.rebirths, self.sizes)
            erased = stream.blink_set(step, live, count)
            still = frame_of(still, FrameOptions(index=k, dust_clock=clock, erased=erased))
        portrait = self.cache.array(still, ("moment", k))
        band = caption(
            life, (k + 0.5) / self.count, self.size, self.band, still.frame.color, still.paper
        )
        return np.concatenate([portrait, band], axis=0)


def caption(life, progress: float, width: int, height: int, ink, paper) -> np.ndarray:
    """The caption band: stage, age, date and active neurons, with the life's progress bar."""
    surface = cairo.ImageSurface(cairo.FORMAT_RGB24, width, height)
    ctx = cairo.Context(surface)
    ctx.set_source_rgb(*ink)
    ctx.paint()
    h, pad = float(height), width * 0.04
    # the life's progress: stage boundaries as ticks, the part lived brighter
    bar_y, bar_h = h * 0.06, max(1.0, h * 0.04)
    ctx.rectangle(pad, bar_y, width - 2 * pad, bar_h)
    ctx.set_source_rgba(*paper, 0.3)
    ctx.fill()
    ctx.rectangle(pad, bar_y, (width - 2 * pad) * progress, bar_h)
    ctx.set_source_rgb(*paper)
    ctx.fill()
    edge = 0.0
    for share in STAGE_SHARES[:-1]:
        edge += share
        x = pad + (width - 2 * pad) * edge / sum(STAGE_SHARES)
        ctx.rectangle(x - 0.5, bar_y - bar_h, 1.0, 3 * bar_h)
        ctx.set_source_rgba(*paper, 0.8)
        ctx.fill()
    a = life.age - life.rebirths * LIFE_YEARS
    lives = f" · reborn {life.rebirths}×" if life.rebirths else ""
    _show(ctx, life.stage, pad, h * 0.55, h * 0.3, paper, bold=True)
    _show(ctx, f"{life.active_label} neurons", width - pad, h * 0.55, h * 0.3, paper, right=True)
    small = h * 0.2
    _show(
        ctx, f"age {math.floor(a * 100) / 100:.2f} of 60 years{lives}", pad, h * 0.86, small, paper
    )
    _show(ctx, format_time(life.time)[:10], width - pad, h * 0.86, small, paper, right=True)
    surface.flush()
    return surface_array(surface)


def _show(ctx, text, x, y, size, color, *, bold=False, right=False) -> None:
    weight = cairo.FONT_WEIGHT_BOLD if bold else cairo.FONT_WEIGHT_NORMAL
    ctx.select_font_face(FONT, cairo.FONT_SLANT_NORMAL, weight)
    ctx.set_font_size(size)
    dx = -ctx.text_extents(text).x_advance if right else 0.0
    ctx.move_to(x + dx, y)
    ctx.set_source_rgb(*color)
    ctx.show_text(text)
