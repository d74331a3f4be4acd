"""The Scene: a portrait as plain data (paper, pattern, frame, lines, nodes, particles).

Coordinates are in units u of a 1024-unit square (SPEC section 6: u = side / 1024), so a
backend draws the same picture at any size by scaling by side / 1024. Colours are (r, g, b)
in [0, 1]. Nothing here knows how the picture is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field

RGB = tuple[float, float, float]
SIDE = 1024.0  # the Scene's canonical side, in units u

#: Drawing order. The static layers do not change from frame to frame once the reveal is
#: done, so an animation can draw them once and paint the dynamic ones over them.
STATIC_LAYERS = ("paper", "pattern", "frame", "lines")
DYNAMIC_LAYERS = ("sweep", "nodes", "particles")
LAYERS = STATIC_LAYERS + DYNAMIC_LAYERS


@dataclass(frozen=True)
class Pattern:
    """The paper pattern: dots at every (x, y) of xs x ys, or grid lines at xs and ys.

    `kind` is "Plain", "Dotted" or "Squared"; `mark` is the dot radius or the grid line width;
    `clip` (x0, y0, x1, y1) is the area inside the frame that the pattern covers.
    """

    kind: str
    color: RGB
    opacity: float
    mark: float
    xs: tuple[float, ...]
    ys: tuple[float, ...]
    clip: tuple[float, float, float, float]


@dataclass(frozen=True)
class Frame:
    """A band of `width` along all four edges of the canvas."""

    color: RGB
    width: float
    visible: bool = True


@dataclass(frozen=True)
class Node:
    """One drawn neuron (or a group of `scale` neurons), centred on (x, y).

    `size` is the SPEC's node size s (a circle's diameter; squares and diamonds derive from
    it); `fill` None means stroke only. `dash` is (on, off, offset) or None for a solid
    outline. `glow` > 0 draws a soft halo of that peak opacity (a lit node).
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
    dash: tuple[float, float, float] | None = None
    glow: float = 0.0
    angle: float = 0.0  # radians; particles spin, network nodes do not


@dataclass(frozen=True)
class Line:
    """A straight stroke from (x0, y0) to (x1, y1) with a linear gradient.

    The gradient runs from `color0` at `g0` to `color1` at `g1` (points), so lines of one
    column gap can share a single gradient; `opacity` multiplies both colours.
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
    gap: int = -1  # the column gap a network line belongs to (-1 for particles)


@dataclass(frozen=True)
class Particles:
    """What drifts inside the frame while Dead or Reborn: node shapes and line segments."""

    nodes: tuple[Node, ...] = ()
    lines: tuple[Line, ...] = ()

    def __len__(self) -> int:
        return len(self.nodes) + len(self.lines)


@dataclass(frozen=True)
class Scene:
    """Everything a backend needs to draw one frame of a portrait."""

    paper: RGB
    pattern: Pattern
    frame: Frame
    lines: tuple[Line, ...]
    nodes: tuple[Node, ...]
    sweep: tuple[Line, ...] = ()  # bright overlay on the lines: the sweep's and spark pulses
    particles: Particles = field(default_factory=Particles)
    column_x: tuple[float, ...] = ()
    column_colors: tuple[RGB, ...] = ()
    scale: int = 1  # one drawn node stands for `scale` neurons (SPEC: 1:ceil(max/30))
    stage: str = "Stable"
    meta: tuple[tuple[str, str], ...] = ()  # (key, value) text for file metadata
    side: float = SIDE

    @property
    def columns(self) -> int:
        return len(self.column_x)

    def meta_dict(self) -> dict[str, str]:
        return dict(self.meta)
