"""The Scene: a portrait as plain data (paper, pattern, frame, lines, nodes, dust).

Coordinates are in units u (ORIGINAL.md section 0: u = min(W, H) / 1024 of the canvas), so
the canvas is `width` x `height` units with the shorter side 1024: a backend draws the same
picture at any size by scaling by its pixels per unit. Colours are (r, g, b) in [0, 1].
Nothing here knows how the picture is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field

RGB = tuple[float, float, float]
SIDE = 1024.0  # the canvas's shorter side, in units u

#: Drawing order (ORIGINAL.md section 0: paper, dust, pattern and frame, lines, nodes). The
#: static layers do not change from frame to frame once the reveal is done, so an animation
#: can draw them once and paint the dynamic ones over them. Dead and Rebirth draw no network,
#: and their dust lies under the pattern.
STATIC_LAYERS = ("paper", "particles", "pattern", "frame", "lines")
DYNAMIC_LAYERS = ("nodes",)
LAYERS = STATIC_LAYERS + DYNAMIC_LAYERS


def canvas_units(width: float, height: float) -> tuple[float, float]:
    """A W x H canvas (any unit, any aspect ratio) in units u: its shorter side is 1024."""
    if not (width > 0 and height > 0):
        raise ValueError(f"a canvas needs a positive width and height, got {width} x {height}")
    shorter = min(width, height)
    return SIDE * width / shorter, SIDE * height / shorter


@dataclass(frozen=True)
class Pattern:
    """The paper pattern (ORIGINAL.md section 5), opaque, in the pattern colour.

    Dotted: a dot at every (x, y) of xs x ys, a circle of `dot_radius_px` device pixels
    (not scaled) stroked `width` units wide. Squared: horizontal lines across the whole canvas
    at ys and vertical ones at xs, `width` units wide, round caps. Plain: nothing.
    """

    kind: str
    color: RGB
    width: float
    xs: tuple[float, ...]
    ys: tuple[float, ...]
    dot_radius_px: float = 0.0


@dataclass(frozen=True)
class Frame:
    """A band of `width` along all four edges of the canvas."""

    color: RGB
    width: float
    visible: bool = True


@dataclass(frozen=True)
class Node:
    """One drawn neuron (or a group of `scale` neurons, or a piece of dust), centred on (x, y).

    `size` is the node size s (a circle's diameter; squares and diamonds derive from it);
    `fill` None means stroke only. `dash` is the length of both the dashes and the gaps of a
    ghost's outline (ORIGINAL.md section 4), starting at the outline's path start; None is a
    solid outline. `index` is the node's place in its column of the whole network (-1 for a
    Growing column's placeholder, or a piece of dust).
    """

    id: str
    column: int
    index: int
    x: float
    y: float
    size: float
    shape: str  # "circle", "square" or "diamond"
    fill: RGB | None
    fill_opacity: float
    stroke: RGB
    stroke_opacity: float
    stroke_width: float
    life: float = 1.0
    dash: float | None = None


@dataclass(frozen=True)
class Line:
    """A straight stroke from (x0, y0) to (x1, y1) with a linear gradient.

    The gradient runs from `color0` at `g0` to `color1` at `g1` (points), so lines of one
    column gap can share a single gradient; `opacity` multiplies both colours. Its ends are
    round, as every stroke on the original's canvases (q5 sets round caps; ORIGINAL 3, 12).
    """

    x0: float
    y0: float
    x1: float
    y1: float
    color0: RGB
    color1: RGB
    g0: tuple[float, float]
    g1: tuple[float, float]
    opacity: float
    width: float
    gap: int = -1  # the column gap a network line belongs to (-1 for dust)


@dataclass(frozen=True)
class Particles:
    """The Rebirth dust drawn (ORIGINAL.md section 3): segments first, then node shapes."""

    nodes: tuple[Node, ...] = ()
    lines: tuple[Line, ...] = ()

    def __len__(self) -> int:
        return len(self.nodes) + len(self.lines)


@dataclass(frozen=True)
class Scene:
    """Everything a backend needs to draw one frame of a portrait.

    `erased` holds the nodes that blink out this frame (ORIGINAL.md section 7): their shapes,
    fill and outline, are erased from the node layer, so lines and paper show through (one
    node may be listed more than once). `line_clip`, when set, erases the line layer from
    that x (units) rightwards: the classification's sweep.
    """

    paper: RGB
    pattern: Pattern
    frame: Frame
    lines: tuple[Line, ...]
    nodes: tuple[Node, ...]
    particles: Particles = field(default_factory=Particles)
    erased: tuple[Node, ...] = ()
    line_clip: float | None = None
    column_x: tuple[float, ...] = ()
    column_colors: tuple[RGB, ...] = ()
    scale: int = 1  # one drawn node stands for `scale` neurons (ORIGINAL.md section 12)
    stage: str = "Stable"
    meta: tuple[tuple[str, str], ...] = ()  # (key, value) text for file metadata
    width: float = SIDE
    height: float = SIDE

    @property
    def columns(self) -> int:
        return len(self.column_x)

    @property
    def side(self) -> float:
        """The canvas's shorter side in units (1024): what a pixel size scales."""
        return min(self.width, self.height)

    def meta_dict(self) -> dict[str, str]:
        return dict(self.meta)
