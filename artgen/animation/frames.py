"""Frames of a clip, drawn incrementally: static layers once, only what changes every frame.

The paper, its pattern, the frame band and the lines (`artgen.scene.STATIC_LAYERS`) do not
change once the reveal is done, so `LayerCache` draws them once on a background surface;
each frame copies it onto one reused surface and draws the rest (the lines still growing,
the sweep and pulse overlay, the nodes, the particles). Lit nodes' halos, the costliest
strokes, are painted from copies drawn once per node and glow (`artgen.animation.halos`);
everything else is the stroke a full redraw makes, in the same order, so the pixels are
identical (tests check it); `Animator.redraw` is that full redraw.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import replace

import cairo
import numpy as np

from ..chain import ChainState, animation
from ..lifecycle import traits_life_state
from ..render import surface_array
from ..render.cairo_backend import draw
from ..render.cairo_backend import image_surface as full_surface
from ..scene import DYNAMIC_LAYERS, STATIC_LAYERS, FrameOptions, Scene, build_scene, light
from ..tables import Tables
from ..traits import Traits
from .halos import Halos
from .timeline import Timeline

BACKGROUND = STATIC_LAYERS[:-1]  # paper, pattern, frame
FOREGROUND = ("lines", *DYNAMIC_LAYERS)
MAX_PATTERNS = 4096  # line gradients and node outlines kept across frames (pulses repeat a
# few opacities, nodes move little)


class LayerCache:
    """Draws scenes over a cached background: paper, pattern, frame and the first lines."""

    def __init__(self, size: int):
        self.size = size
        self.halos = Halos()
        self._key: object = None
        self._background: cairo.ImageSurface | None = None
        self._out: cairo.Context | None = None
        self._patterns: dict = {}  # line gradients and node outlines, kept from frame to frame

    def surface(self, scene: Scene, key: object, static_lines: int = 0) -> cairo.ImageSurface:
        """The scene drawn on this cache's surface (valid until the next call); `key` names its
        background (the paper, pattern, frame and its first `static_lines` lines), drawn only
        when the key changes."""
        side = self.size
        if key != self._key or self._background is None:
            background = cairo.ImageSurface(cairo.FORMAT_RGB24, side, side)
            ctx = cairo.Context(background)
            draw(ctx, scene, side, BACKGROUND)
            draw(ctx, replace(scene, lines=scene.lines[:static_lines]), side, ("lines",))
            self._key, self._background = key, background
        if self._out is None:
            self._out = cairo.Context(cairo.ImageSurface(cairo.FORMAT_RGB24, side, side))
        ctx = self._out
        ctx.set_operator(cairo.OPERATOR_SOURCE)  # a plain copy of every pixel
        ctx.set_source_surface(self._background, 0, 0)
        ctx.paint()
        ctx.set_operator(cairo.OPERATOR_OVER)
        if len(self._patterns) > MAX_PATTERNS:
            self._patterns.clear()
        layers = FOREGROUND
        if static_lines >= len(scene.lines):
            layers = DYNAMIC_LAYERS  # every line is in the background
        elif static_lines:
            scene = replace(scene, lines=scene.lines[static_lines:])
        draw(ctx, scene, side, layers, self.halos, self._patterns)
        out = ctx.get_target()
        out.flush()
        return out

    def array(self, scene: Scene, key: object, static_lines: int = 0) -> np.ndarray:
        """`surface` as a new (size, size, 3) uint8 RGB array."""
        return surface_array(self.surface(scene, key, static_lines))


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
            seed=traits.seed,
            token=traits.token,
            columns=self.still.columns,
            animation=animation(chain.fee_rate, traits.acceleration),
            live=tuple((n.id, n.column) for n in self.still.nodes if n.life > 0.0),
            idle=idle,
            reveal=reveal and network,
            sweep=sweep and network,
        )
        self.cache = LayerCache(size)

    @property
    def length(self) -> int:
        return self.timeline.length

    def with_idle(self, idle: int) -> Animator:
        """The same clip with an idle phase of `idle` frames (life and still are shared)."""
        other = copy.copy(self)
        other.timeline = replace(self.timeline, idle=idle)
        other.cache = LayerCache(self.cache.size)
        return other

    def _build(self, options: FrameOptions) -> Scene:
        return build_scene(self.traits, self.sizes, self.life, self.chain, options)

    def scene(self, k: int) -> Scene:
        """Frame k's Scene (equal, pixel for pixel, to building it from scratch)."""
        options = self.timeline.options(k)
        if self.timeline.phase(k) == "reveal" or not self.still.nodes:
            return self._build(options)
        return light(self.still, options)

    def frame(self, k: int) -> np.ndarray:
        """Frame k as an (size, size, 3) uint8 RGB array, drawn over cached static layers."""
        scene = self.scene(k)
        if not scene.lines:
            return self.cache.array(scene, "paper")
        if self.timeline.phase(k) == "reveal":
            options = self.timeline.options(k)
            # gaps grow in order: the finished ones' lines lead the list and no longer change
            done = sum(1 for share in options.line_reveal or () if share >= 1.0)
            static = next((i for i, ln in enumerate(scene.lines) if ln.gap >= done), None)
            static = len(scene.lines) if static is None else static
            return self.cache.array(scene, ("reveal", done), static)
        return self.cache.array(scene, "still", len(scene.lines))

    def redraw(self, k: int) -> np.ndarray:
        """Frame k built and drawn from nothing: the baseline the cache is measured against."""
        scene = self._build(self.timeline.options(k))
        return surface_array(full_surface(scene, self.cache.size))
