"""Portrait geometry (SPEC section 6): border, pattern, columns, spacings, sizes, widths, dashes.

All lengths are in units u of the 1024-unit Scene square.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .elements import RGB, SIDE, Pattern

# SPEC 6: "border 100u"; "a frame of width border/8 along all four edges".
BORDER = 100.0
FRAME_WIDTH = BORDER / 8.0
# SPEC 6: "Dotted = dots every 50u, Squared = grid lines every 25u".
DOT_SPACING = 50.0
GRID_SPACING = 25.0
# Our choice (the SPEC is silent): dot radius, grid line width and their opacities, chosen so
# the pattern reads as paper texture behind the network rather than competing with it.
DOT_RADIUS = 1.75
DOT_OPACITY = 0.55
GRID_WIDTH = 1.0
GRID_OPACITY = 0.22
# SPEC 6: "A layer wider than 30 neurons is drawn at scale 1:ceil(max/30)".
MAX_DRAWN_NODES = 30
# SPEC 6: stroke widths follow r = min(1/columns, 1/most nodes), from r = 1/30 to r = 1.
R_SMALL, R_LARGE = 1.0 / 30.0, 1.0
NODE_STROKE = (2.0, 4.0)
LINE_WIDTH = (1.0, 10.0)


def pattern(kind: str, color: RGB, frame_width: float = FRAME_WIDTH) -> Pattern:
    """The paper pattern, centred on the canvas and clipped to the inside of the frame.

    Grid lines sit at the centre +- k * 25u; dots sit at the centre +- (k + 1/2) * 50u, so both
    are symmetric and no dot is cut by the frame.
    """
    clip = (frame_width, frame_width, SIDE - frame_width, SIDE - frame_width)
    mid = SIDE / 2.0
    if kind == "Squared":
        n = int(mid // GRID_SPACING)
        xs = tuple(mid + k * GRID_SPACING for k in range(-n, n + 1))
        xs = tuple(x for x in xs if frame_width < x < SIDE - frame_width)
        return Pattern(kind, color, GRID_OPACITY, GRID_WIDTH, xs, xs, clip)
    if kind == "Dotted":
        n = int(mid // DOT_SPACING)
        xs = tuple(mid + (k + 0.5) * DOT_SPACING for k in range(-n - 1, n + 1))
        xs = tuple(x for x in xs if frame_width + DOT_RADIUS < x < SIDE - frame_width - DOT_RADIUS)
        return Pattern(kind, color, DOT_OPACITY, DOT_RADIUS, xs, xs, clip)
    return Pattern("Plain", color, 0.0, 0.0, (), (), clip)


def drawing_scale(hidden_sizes: Sequence[int]) -> int:
    """k of the 1:k scale: one drawn node per k neurons, so no column has more than 30 nodes."""
    return max(1, math.ceil(max(hidden_sizes) / MAX_DRAWN_NODES))


def drawn_life(life: Sequence[float], k: int) -> tuple[float, ...]:
    """Life of each drawn node at scale 1:k: the average life of its k neurons (SPEC 6)."""
    return tuple(sum(life[i : i + k]) / len(life[i : i + k]) for i in range(0, len(life), k))


def column_positions(columns: int) -> tuple[float, ...]:
    """Column centres: spacing (side - border) / columns, centred horizontally (SPEC 6)."""
    spacing = (SIDE - BORDER) / columns
    return tuple(BORDER / 2.0 + spacing * (i + 0.5) for i in range(columns))


def node_positions(count: int, most: int) -> tuple[float, ...]:
    """Node centres in a column: spacing (side - 2 border) / most, centred vertically (SPEC 6)."""
    spacing = (SIDE - 2.0 * BORDER) / most
    return tuple(SIDE / 2.0 + (j - (count - 1) / 2.0) * spacing for j in range(count))


def node_size(columns: int, most: int) -> float:
    """SPEC 6: "node size = half the smaller spacing"."""
    return min((SIDE - BORDER) / columns, (SIDE - 2.0 * BORDER) / most) / 2.0


def stroke_widths(columns: int, most: int) -> tuple[float, float]:
    """(node stroke, line width): 2u..4u and 1u..10u as r goes from 1/30 to 1 (SPEC 6).

    r = min(1/columns, 1/most nodes); smaller networks get bolder strokes. Linear in r.
    """
    r = min(1.0 / columns, 1.0 / most)
    t = min(1.0, max(0.0, (r - R_SMALL) / (R_LARGE - R_SMALL)))
    return (
        NODE_STROKE[0] + t * (NODE_STROKE[1] - NODE_STROKE[0]),
        LINE_WIDTH[0] + t * (LINE_WIDTH[1] - LINE_WIDTH[0]),
    )


def node_paint(
    fill_mode: str, color: RGB, paper: RGB, life: float
) -> tuple[RGB | None, float, float]:
    """(fill colour or None, fill opacity, stroke opacity) of a node (SPEC 6).

    Fill from the dataset trait: solid = fill and stroke in the layer colour; outline = paper
    fill, coloured stroke; x-ray = stroke only. Opacity follows life: stroke 0.25 + 0.75 life,
    fill 0.15 + 0.85 life.
    """
    stroke_opacity = 0.25 + 0.75 * life
    fill_opacity = 0.15 + 0.85 * life
    if fill_mode == "solid":
        return color, fill_opacity, stroke_opacity
    if fill_mode == "outline":
        return paper, fill_opacity, stroke_opacity
    return None, 0.0, stroke_opacity


def node_extent(shape: str, size: float) -> float:
    """Distance from a node's centre to its farthest point (without the stroke)."""
    if shape == "square":
        return math.sqrt(2.0) * 7.0 * size / 16.0
    if shape == "diamond":
        return 4.0 * size / 7.0
    return size / 2.0


def shape_side(shape: str, size: float) -> float:
    """Side length of a square or diamond node (SPEC 6: a square of side 7s/8, a diamond with
    corners 4s/7 from the centre)."""
    if shape == "square":
        return 7.0 * size / 8.0
    return math.sqrt(2.0) * 4.0 * size / 7.0


def dash_pattern(shape: str, size: float, stroke_width: float) -> tuple[float, float, float]:
    """(on, off, offset) for a partly alive neuron's dashed outline (SPEC 6).

    A whole number of dashes, each about three stroke widths long, fits the outline; squares
    and diamonds get a multiple of 4 with a dash centred on every corner. Backends start a
    circle at angle 0 and a square or diamond at the middle of a side (see the backends).
    """
    if shape == "circle":
        perimeter = math.pi * size
        count = max(4, 2 * round(perimeter / (5.0 * stroke_width) / 2))
        period = perimeter / count
        return (0.6 * period, 0.4 * period, 0.0)
    side = shape_side(shape, size)
    count = max(8, 4 * round(4.0 * side / (5.0 * stroke_width) / 4))
    period = 4.0 * side / count
    on = 0.6 * period
    # the first corner lies half a side along the path: centre a dash on it
    return (on, period - on, (on / 2.0 - side / 2.0) % period)
