"""Portrait geometry (ORIGINAL.md sections 5, 11 and 12): pattern, columns, rows, sizes, strokes.

All lengths are in units u (ORIGINAL.md section 0: u = min(W, H) / 1024); a canvas is
`width` x `height` units. `remap` is the original's `map`: linear and never clamped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .elements import RGB, Pattern

# ORIGINAL 11: border = 100u; the frame and the dust's wall are border / 8 = 12.5u.
BORDER = 100.0
FRAME_WIDTH = BORDER / 8.0
# ORIGINAL 5: Dotted: a dot every 50u from 12.5u, a circle of 0.4 px (not scaled) stroked 1u;
# Squared: hairlines 0.1u wide every 25u from 12.5u.
PATTERN_START = 12.5
DOT_SPACING = 50.0
DOT_RADIUS_PX = 0.4
DOT_STROKE = 1.0
GRID_SPACING = 25.0
GRID_WIDTH = 0.1
# ORIGINAL 12: a column wider than 30 neurons is drawn at scale 1:ceil(largest / 30).
MAX_DRAWN_NODES = 30
# ORIGINAL 12: with rho = min(1/L, 1/maxNodes) mapped from [1/30, 1]: node stroke 2u..4u, line
# width 1u..10u, ghost dash base D 3..10.
RHO_RANGE = (1.0 / 30.0, 1.0)
NODE_STROKE = (2.0, 4.0)
LINE_WIDTH = (1.0, 10.0)
DASH_BASE = (3.0, 10.0)
# ORIGINAL 4: a ghost's dash and gap are 2 D (1 - life) u; under 1.5u the outline is solid.
MIN_DASH = 1.5


def remap(v: float, a: float, b: float, c: float, d: float) -> float:
    """The original's `map(v, a, b, c, d)` (ORIGINAL 0): linear, never clamped."""
    return c + (d - c) * (v - a) / (b - a)


def pattern(kind: str, color: RGB, width: float, height: float) -> Pattern:
    """The paper pattern over the whole canvas (ORIGINAL 5): the frame is drawn on top."""
    if kind == "Squared":
        xs, ys = _marks(GRID_SPACING, width), _marks(GRID_SPACING, height)
        return Pattern(kind, color, GRID_WIDTH, xs, ys)
    if kind == "Dotted":
        xs, ys = _marks(DOT_SPACING, width), _marks(DOT_SPACING, height)
        return Pattern(kind, color, DOT_STROKE, xs, ys, DOT_RADIUS_PX)
    return Pattern("Plain", color, 0.0, (), ())


def _marks(spacing: float, length: float) -> tuple[float, ...]:
    """12.5u + spacing * k while below length + 12.5u (ORIGINAL 5)."""
    count = math.ceil(length / spacing)  # 12.5 + spacing k < length + 12.5 <=> k < length / spacing
    return tuple(PATTERN_START + spacing * k for k in range(count))


def drawing_scale(column_sizes: Sequence[int]) -> int:
    """k of the 1:k scale (ORIGINAL 12): one drawn node per k neurons when a column (hidden or
    output) has more than 30 neurons, else 1."""
    return max(1, math.ceil(max(column_sizes) / MAX_DRAWN_NODES))


def drawn_life(life: Sequence[float], k: int) -> tuple[float, ...]:
    """Life of each drawn node at scale 1:k: the mean life of its group of k (the last group
    may be shorter) (ORIGINAL 12).

    The mean is summed as the original sums it, v / n term by term, so a whole group of 6, 7,
    9, ... living neurons comes to a hair under or over 1, as there: such a node is not
    "exactly alive" and never blinks (ORIGINAL 7).
    """
    out = []
    for i in range(0, len(life), k):
        group, mean = life[i : i + k], 0.0
        for v in group:
            mean += v / len(group)
        out.append(mean)
    return tuple(out)


def column_x(columns: int, width: float) -> tuple[float, ...]:
    """Column centres: x = 50u + (i + 1/2) xsize, xsize = (W - 100u) / L (ORIGINAL 11)."""
    xsize = (width - BORDER) / columns
    return tuple(BORDER / 2.0 + (i + 0.5) * xsize for i in range(columns))


def row_y(count: int, most: int, height: float) -> tuple[float, ...]:
    """Node centres of a column of `count`: y = cy + (r - (n - 1)/2) ysize, ysize =
    (H - 200u) / maxNodes (ORIGINAL 11)."""
    ysize = (height - 2.0 * BORDER) / most
    return tuple(height / 2.0 + (r - (count - 1) / 2.0) * ysize for r in range(count))


def node_size(columns: int, most: int, width: float, height: float) -> float:
    """nodeSize = min(xsize, ysize) / 2 (ORIGINAL 12)."""
    return min((width - BORDER) / columns, (height - 2.0 * BORDER) / most) / 2.0


def density(columns: int, most: int) -> float:
    """rho = min(1/L, 1/maxNodes): strokes and dashes grow as the network gets smaller."""
    return min(1.0 / columns, 1.0 / most)


def node_stroke(rho: float) -> float:
    """Node outline width, map(rho, 1/30, 1, 2, 4) u (ORIGINAL 12)."""
    return remap(rho, *RHO_RANGE, *NODE_STROKE)


def line_width(rho: float) -> float:
    """Network line width, map(rho, 1/30, 1, 1, 10) u (ORIGINAL 12)."""
    return remap(rho, *RHO_RANGE, *LINE_WIDTH)


def ghost_dash(life: float, rho: float) -> float | None:
    """Dash (= gap) length of a node's outline, 2 D (1 - life) u with D = map(rho, 1/30, 1,
    3, 10); None (solid) under 1.5u, so every living neuron is solid (ORIGINAL 4)."""
    d = 2.0 * remap(rho, *RHO_RANGE, *DASH_BASE) * (1.0 - life)
    return d if d >= MIN_DASH else None


def node_paint(
    fill_mode: str, color: RGB, paper: RGB, life: float
) -> tuple[RGB | None, float, float]:
    """(fill colour or None, fill opacity, stroke opacity) of a node (ORIGINAL 4 and 12).

    Solid: fill and stroke in the column colour; outline: paper fill, coloured stroke; x-ray:
    stroke only. Stroke opacity 0.25 + 0.75 life, fill opacity 0.15 + 0.85 life.
    """
    stroke_opacity = 0.25 + 0.75 * life
    fill_opacity = 0.15 + 0.85 * life
    if fill_mode == "solid":
        return color, fill_opacity, stroke_opacity
    if fill_mode == "outline":
        return paper, fill_opacity, stroke_opacity
    return None, 0.0, stroke_opacity


def node_radius(shape: str, size: float) -> float:
    """Half the node's width along x or y (ORIGINAL 3: s/2, 7s/16 or 4s/7): axis-aligned."""
    if shape == "square":
        return 7.0 * size / 16.0
    if shape == "diamond":
        return 4.0 * size / 7.0
    return size / 2.0
