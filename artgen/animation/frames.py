"""Frames of a clip, drawn incrementally: static layers once, only what changes every frame.

The paper, its pattern, the frame band and the lines do not change once the reveal is done,
so `LayerCache` draws them once on a background surface; each frame copies it onto one
reused surface and draws the nodes (some erased as they blink). During the classification's
sweep the lines are redrawn, clipped, over a background without them; the Rebirth dust lies
under the pattern, so its frames are drawn whole. Everything is the stroke a full redraw
makes, in the same order, so the pixels are identical (tests check it); `Animator.redraw` is
that full redraw.
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import replace

import cairo
import numpy as np

from ..chain import ChainState
from ..lifecycle import traits_life_state
from ..render import surface_array
from ..render.cairo_backend import draw
from ..render.cairo_backend import image_surface as full_surface
from ..scene import LAYERS, FrameOptions, Scene, build_scene, frame_of, live_nodes
from ..scene.build import column_lives
from ..scene.particles import draw_dust, dust_column_sizes, dust_field, dust_share
from ..tables import Tables
from ..traits import Traits
from .timeline import Timeline

BACKGROUND = ("paper", "pattern", "frame")
MAX_PATTERNS = 4096  # line gradients kept across frames
# Frames kept to be given again: a blink's "off" frames are the still, again and again (61 of
# a 4 s preview's 100 frames repeat one before them: drawing them once halves the drawing)
REUSED = 4


class LayerCache:
    """Draws network scenes over a cached background: paper, pattern, frame (and lines)."""

    def __init__(self, size: int):
        self.size = size
        self._key: object = None
        self._background: cairo.ImageSurface | None = None
        self._out: cairo.Context | None = None
        self._patterns: dict = {}  # line gradients, kept from frame to frame

    def surface(self, scene: Scene, key: object) -> cairo.ImageSurface:
        """The scene drawn on this cache's surface (valid until the next call). `key` names
        its background, drawn only when the key changes: the paper, pattern and frame, and
        its lines unless they are clipped by the sweep. Scenes with dust are drawn whole."""
        side = self.size
        w, h = round(scene.width * side / scene.side), round(scene.height * side / scene.side)
        if len(self._patterns) > MAX_PATTERNS:
            self._patterns.clear()
        if self._out is None or self._out.get_target().get_width() != w:
            self._out = cairo.Context(cairo.ImageSurface(cairo.FORMAT_RGB24, w, h))
            self._key = None
        ctx = self._out
        if len(scene.particles):
            draw(ctx, scene, side, LAYERS, self._patterns)
            return self._flushed()
        static = scene.line_clip is None
        key = (key, static)
        if key != self._key or self._background is None:
            background = cairo.ImageSurface(cairo.FORMAT_RGB24, w, h)
            layers = (*BACKGROUND, "lines") if static else BACKGROUND
            draw(cairo.Context(background), scene, side, layers, self._patterns)
            self._key, self._background = key, background
        ctx.set_operator(cairo.OPERATOR_SOURCE)  # a plain copy of every pixel
        ctx.set_source_surface(self._background, 0, 0)
        ctx.paint()
        ctx.set_operator(cairo.OPERATOR_OVER)
        draw(ctx, scene, side, ("nodes",) if static else ("lines", "nodes"), self._patterns)
        return self._flushed()

    def _flushed(self) -> cairo.ImageSurface:
        out = self._out.get_target()
        out.flush()
        return out

    def array(self, scene: Scene, key: object) -> np.ndarray:
        """`surface` as a new (height, width, 3) uint8 RGB array."""
        return surface_array(self.surface(scene, key))


class Animator:
    """One token's clip at one moment: frame k's Scene and pixels (k = 0 .. length - 1); its
    life follows its collection's `tables`."""

    def __init__(
        self,
        traits: Traits,
        chain: ChainState,
        *,
        idle: int,
        size: int,
        fps: int,
        hidden_sizes: Sequence[int] | None = None,
        reveal: bool = False,
        sweep: bool = False,
        tables: Tables,
    ):
        self.traits = traits
        self.chain = chain
        self.sizes = tuple(hidden_sizes) if hidden_sizes is not None else traits.hidden_sizes
        self.life = traits_life_state(traits, chain.time, self.sizes, tables=tables)
        self.still = self._build(FrameOptions())
        network = bool(self.still.nodes)  # Dead and Rebirth have no network to reveal or sweep
        self.timeline = Timeline(
            columns=self.still.columns,
            acceleration=traits.acceleration,
            fee_rate=chain.fee_rate,
            live=tuple(n.id for n in live_nodes(self.still.nodes)),
            rebirths=self.life.rebirths,
            hidden_sizes=self.sizes,
            x_range=(self.still.column_x[0], self.still.column_x[-1]),
            fps=fps,
            idle=idle,
            reveal=reveal and network,
            sweep=sweep and network,
        )
        self.cache = LayerCache(size)
        self._recent: OrderedDict[object, np.ndarray] = OrderedDict()
        self._dust = None
        if self.life.stage == "Rebirth":
            self._dust = dust_field(
                seed=traits.seed,
                token=traits.token,
                rebirths=self.life.rebirths,
                column_sizes=dust_column_sizes(
                    column_lives(self.life.neuron_life, self.still.scale)
                ),
                shape=traits.node_shape,
                width=self.still.width,
                height=self.still.height,
            )

    @property
    def length(self) -> int:
        return self.timeline.length

    def with_idle(self, idle: int) -> Animator:
        """The same clip with an idle phase of `idle` frames (life and still are shared)."""
        other = copy.copy(self)
        other.timeline = replace(self.timeline, idle=idle)
        other.cache = LayerCache(self.cache.size)
        other._recent = OrderedDict()
        return other

    def _build(self, options: FrameOptions) -> Scene:
        return build_scene(self.traits, self.sizes, self.life, self.chain, options)

    def scene(self, k: int) -> Scene:
        """Frame k's Scene (equal to building it from scratch)."""
        options = self.timeline.options(k)
        if self._dust is not None:
            particles = draw_dust(
                self._dust,
                clock=options.dust_clock,
                share=dust_share(self.life.stage, self.life.stage_ratio),
                column_colors=self.still.column_colors,
                shape=self.traits.node_shape,
                fill_mode=self.traits.node_fill,
                paper=self.still.paper,
            )
            return replace(frame_of(self.still, options), particles=particles)
        if self.timeline.phase(k) == "reveal":
            return self._build(options)
        return frame_of(self.still, options)

    def frame(self, k: int) -> np.ndarray:
        """Frame k as a new RGB array, drawn over cached static layers (or a copy of one of the
        REUSED frames drawn last, when it shows the same: same phase and options but the
        index, and no dust, whose clock moves every frame)."""
        phase = self.timeline.phase(k)
        key = None
        if self._dust is None:
            key = (phase, replace(self.timeline.options(k), index=0, dust_clock=0.0))
            if key in self._recent:
                self._recent.move_to_end(key)
                return self._recent[key].copy()
        scene = self.scene(k)
        if phase == "reveal":
            drawn = self.cache.array(scene, ("reveal", self.timeline.options(k).reveal))
        else:
            drawn = self.cache.array(scene, "still")
        if key is not None:
            self._recent[key] = drawn.copy()
            if len(self._recent) > REUSED:
                self._recent.popitem(last=False)
        return drawn

    def still_frame(self) -> np.ndarray:
        """The portrait whole, nothing blinking or swept (what lies under the result card)."""
        return self.cache.array(self.still, "still")

    def redraw(self, k: int) -> np.ndarray:
        """Frame k built and drawn from nothing: the baseline the cache is measured against."""
        scene = self._build(self.timeline.options(k))
        return surface_array(full_surface(scene, self.cache.size))
