"""Lit nodes' halos for animations: each drawn once per node and glow, then painted.

A halo (`artgen.render.cairo_backend.draw_halo`: a radial gradient filling a disc) costs more
than anything else a frame draws, and a clip lights the same nodes at the same few glows
again and again. `Halos` draws each one once, keeps its pixels, and paints them over the
frame at a whole-pixel offset: the very pixels a direct draw gives (see `Halos`).
"""

from __future__ import annotations

import math

import cairo
import numpy as np

from ..render.cairo_backend import draw_halo, halo_gradient
from ..render.shapes import glow_radius
from ..scene import Node

#: Cached halos are dropped all at once past this many bytes (a 4096 px clip of a large
#: network would otherwise keep thousands of big sprites).
HALO_BUDGET = 64 << 20


class Halos:
    """Lit nodes' halos, each drawn once and then painted from a copy of its pixels.

    A direct draw composites, pixel by pixel, the gradient's colour times the disc's
    coverage, rounded to 8 bits, OVER the frame. A copy holds exactly those products (the
    colour times coverage over a transparent surface), so painting it OVER the frame at a
    whole-pixel offset rounds the same way and gives the same pixels. The copy is drawn

    - at the same device coordinates and matrix, on a scratch surface the size of the frame
      (Cairo rounds a gradient differently with the area drawn, except at exact scales);
    - or, at exact scales (`exact_scale`: 256, 512, 1024 ... px), faster: the gradient
      painted over the disc's box, times the disc's coverage drawn once per node.

    Copies are keyed by everything a halo depends on: the node's centre, size, colour and
    glow, the matrix and the frame's size. For image surfaces without a clip or device
    offset, like the frames of `LayerCache`; tests compare both ways at many sizes.
    """

    def __init__(self, budget: int = HALO_BUDGET):
        self.budget = budget
        self._sprites: dict[tuple, tuple[cairo.ImageSurface, int, int] | None] = {}
        self._bytes = 0
        self._scratch: cairo.Context | None = None
        self._pixels = np.zeros((0, 0, 4), np.uint8)  # the scratch surface's pixels
        self._masks: dict[tuple, cairo.ImageSurface] = {}  # discs' coverage, per node

    def __len__(self) -> int:
        return len(self._sprites)

    def __call__(self, ctx: cairo.Context, node: Node) -> None:
        matrix, target = ctx.get_matrix(), ctx.get_target()
        size = target.get_width(), target.get_height()
        key = (node.x, node.y, node.size, node.stroke, node.glow, tuple(matrix), size)
        sprite = self._sprites.get(key, False)
        if sprite is False:
            sprite = self._sprites[key] = self._draw(size, matrix, node)
        if sprite is not None:
            surface, x0, y0 = sprite
            ctx.save()
            ctx.identity_matrix()
            ctx.set_source_surface(surface, x0, y0)
            ctx.paint()
            ctx.restore()

    def _draw(self, size: tuple[int, int], matrix: cairo.Matrix, node: Node):
        """The halo's pixels on a small surface and its top-left pixel, or None when off-canvas."""
        w, h = size
        r = glow_radius(node)
        cx, cy = matrix.transform_point(node.x, node.y)
        xx, yx, xy, yy, _, _ = matrix
        ex, ey = r * (abs(xx) + abs(xy)), r * (abs(yx) + abs(yy))  # the disc's device box
        x0, y0 = max(0, math.floor(cx - ex) - 1), max(0, math.floor(cy - ey) - 1)
        x1, y1 = min(w, math.ceil(cx + ex) + 1), min(h, math.ceil(cy + ey) + 1)
        if x1 <= x0 or y1 <= y0:
            return None
        if exact_scale(matrix):
            sprite = self._masked(node, matrix, (x0, y0, x1, y1))
        else:
            sprite = self._scratched(node, matrix, size, (x0, y0, x1, y1))
        self._bytes += sprite.get_stride() * (y1 - y0)
        if self._bytes > self.budget:
            self._sprites.clear()
            self._masks.clear()
            self._bytes = sprite.get_stride() * (y1 - y0)
        return sprite, x0, y0

    def _scratched(self, node: Node, matrix, size, box) -> cairo.ImageSurface:
        """The halo drawn on a scratch surface the size of the target, then copied out."""
        (w, h), (x0, y0, x1, y1) = size, box
        if self._scratch is None or self._pixels.shape[:2] != (h, w):
            self._scratch = cairo.Context(cairo.ImageSurface(cairo.FORMAT_ARGB32, w, h))
            self._pixels = np.ndarray((h, w, 4), np.uint8, self._scratch.get_target().get_data())
        scratch, area = self._scratch, (slice(y0, y1), slice(x0, x1))
        scratch.set_matrix(matrix)
        draw_halo(scratch, node)
        scratch.get_target().flush()
        data = self._pixels[area].copy()  # its rows packed: a stride of 4 w
        self._pixels[area] = 0  # transparent again for the next halo
        scratch.get_target().mark_dirty_rectangle(x0, y0, x1 - x0, y1 - y0)
        return cairo.ImageSurface.create_for_data(
            data, cairo.FORMAT_ARGB32, x1 - x0, y1 - y0, 4 * (x1 - x0)
        )

    def _masked(self, node: Node, matrix, box) -> cairo.ImageSurface:
        """The halo as its gradient times the disc's coverage (drawn once per node) over a
        transparent box: the gradient is worked out only where the disc covers, and rounded
        as a fill rounds it."""
        x0, y0, x1, y1 = box
        key = (node.x, node.y, node.size, tuple(matrix), box)
        mask = self._masks.get(key)
        if mask is None:
            mask = self._masks[key] = cairo.ImageSurface(cairo.FORMAT_A8, x1 - x0, y1 - y0)
            mask.set_device_offset(-x0, -y0)
            ctx = cairo.Context(mask)
            ctx.set_matrix(matrix)
            ctx.arc(node.x, node.y, glow_radius(node), 0.0, 2.0 * math.pi)  # as draw_halo
            ctx.fill()
            mask.flush()
            self._bytes += mask.get_stride() * (y1 - y0)
        sprite = cairo.ImageSurface(cairo.FORMAT_ARGB32, x1 - x0, y1 - y0)
        sprite.set_device_offset(-x0, -y0)
        ctx = cairo.Context(sprite)
        ctx.set_matrix(matrix)
        ctx.set_source(halo_gradient(node))  # in the scene's units, as draw_halo sets it
        ctx.identity_matrix()
        ctx.mask_surface(mask, 0, 0)  # both surfaces start at pixel (x0, y0)
        sprite.flush()
        sprite.set_device_offset(0, 0)
        return sprite


def exact_scale(matrix: cairo.Matrix) -> bool:
    """True when `matrix` scales by a power of two (a 256, 512, 1024 ... px frame of the
    1024-unit Scene) and shifts by whole pixels: every coordinate Cairo and pixman derive is
    then exact, so a halo drawn at another whole-pixel offset has the very same pixels."""
    xx, yx, xy, yy, x0, y0 = matrix
    return (
        xx == yy > 0
        and xy == yx == 0
        and math.frexp(xx)[0] == 0.5
        and x0 == math.floor(x0)
        and y0 == math.floor(y0)
    )
