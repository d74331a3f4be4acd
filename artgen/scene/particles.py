"""The Rebirth dust (ORIGINAL.md sections 2 and 3): node shapes and short segments that drift
and bounce inside the frame while the network is gone.

Built from the drawn column sizes n_0 .. n_{L-1} (one input node, the hidden layers at their
1:k scale, one output node) and the column colours g_i:

- nodes: ceil(n_i / 4) per column, each at a uniform place inside the wall (12.5u in from
  every edge), moving 0.02u to 0.05u per frame in a uniform direction, 10u to 25u across,
  axis-aligned, in colour g_i;
- segments: ceil(1.5 a b) per gap j = 0 .. L (a = n_{j-1}, 1 before the input; b = n_j, 1 past
  the output), each at a uniform centre, 5u to 10u long, at a uniform angle, moving as the
  nodes do and turning 0.0002 to 0.001 rad per frame, opaque, 1u wide, round caps, a gradient
  from g_{j-1} at its first end to g_j at its other (g_0 -> g_0 before, g_{L-1} -> g_{L-1} past).

Motion, one step per frame of the original (60 Hz): every item moves by its velocity (and a
segment turns), then flips vx (vy) if it is past the wall while moving outward: a node tests
its centre +- its half-width, a segment its two ends. Between steps it moves in a straight
line, so the clock may be any real number of frames.

Which items show: each group (segment gap, then node column) draws its first
ceil(count x share): share 0 while Dead (a blank sheet), the stage ratio while Reborn.

Randomness (the art's JavaScript replays it bit for bit): one `PortableRandom` stream keyed
`key("dust", seed, token, rebirths)`, read with `.random()` only: 5 draws per node, nodes
column by column (x, y, heading, speed, size), then 7 per segment, gaps in order (x, y,
length, angle, heading, speed, turn). mulberry32's n-th output depends only on n, so the
block is drawn vectorised.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..portable_random import fnv1a32, key
from .elements import RGB, Line, Node, Particles
from .layout import FRAME_WIDTH, node_paint, node_radius

# ORIGINAL 3, in u and u (or radians) per 60 Hz frame.
NODE_SHARE = 0.25  # nodes per column neuron
SEGMENT_FACTOR = 1.5  # segments per pair of neurons of neighbouring columns
NODE_SIZE = (10.0, 25.0)
SEGMENT_LENGTH = (5.0, 10.0)
SPEED = (0.02, 0.05)
TURN = (0.0002, 0.001)
STROKE = 1.0  # node outlines and segments
WALL = FRAME_WIDTH  # the dust bounces inside border / 8 = 12.5u from every edge
NODE_DRAWS, SEGMENT_DRAWS = 5, 7
#: The original's frame rate: the dust moves one step per 60 Hz frame.
FRAME_RATE = 60


def dust_column_sizes(lives: Sequence[Sequence[float]]) -> list[int]:
    """n_i: the drawn column sizes (the full layout: Dead and Rebirth do not compact)."""
    return [len(column) for column in lives]


def dust_counts(column_sizes: Sequence[int]) -> tuple[list[int], list[int]]:
    """(nodes per column, segments per gap 0 .. L): ceil(n_i / 4) and ceil(1.5 a b)."""
    nodes = [math.ceil(NODE_SHARE * n) for n in column_sizes]
    segments = [
        math.ceil(SEGMENT_FACTOR * a * b) for a, b in itertools.pairwise([1, *column_sizes, 1])
    ]
    return nodes, segments


def dust_share(stage: str, stage_ratio: float) -> float:
    """The share of each group drawn: 0 while Dead, the stage ratio while Reborn (ORIGINAL 3)."""
    return stage_ratio if stage == "Rebirth" else 0.0


def shown_count(count: int, share: float) -> int:
    """ceil(count x share): how many of a group's items are drawn (the first ones)."""
    return min(count, math.ceil(count * share))


def portable_uniforms(text: str, count: int) -> np.ndarray:
    """The first `count` `PortableRandom(text).random()` values, computed at once.

    mulberry32's n-th output is a function of its n-th state, seed + n * 0x6D2B79F5 alone.
    """
    mask = np.uint64(0xFFFFFFFF)
    n = np.arange(1, count + 1, dtype=np.uint64)
    a = (np.uint64(fnv1a32(text)) + n * np.uint64(0x6D2B79F5)) & mask
    t = ((a ^ (a >> np.uint64(15))) * (a | np.uint64(1))) & mask
    t = ((t + (((t ^ (t >> np.uint64(7))) * (t | np.uint64(61))) & mask)) & mask) ^ t
    return ((t ^ (t >> np.uint64(14))) & mask) / 4294967296.0  # exact: 32-bit integers


def _lerp(pair: tuple[float, float], u):
    return pair[0] + (pair[1] - pair[0]) * u


@dataclass(eq=False)
class DustField:
    """Every dust item's start and motion; `at(clock)` steps them (pure: the same clock always
    gives the same places). The latest step taken is kept on the instance, so an animation
    that asks for frames in order steps each frame once (an earlier frame starts over)."""

    node_column: np.ndarray  # per node
    segment_gap: np.ndarray  # per segment
    radius: np.ndarray  # per item: a node's half-width, a segment's half-length
    is_segment: np.ndarray
    size: np.ndarray  # node diameters (nodes only)
    start: np.ndarray  # (5, items): x, y, vx, vy, angle
    turn: np.ndarray  # per item (0 for nodes)
    wall: tuple[float, float, float, float]  # left, top, right, bottom
    _latest: tuple[int, np.ndarray] | None = field(default=None, repr=False)

    def state(self, step: int) -> np.ndarray:
        """(5, items) after `step` whole steps."""
        n, state = self._latest or (0, self.start)
        if n > step:
            n, state = 0, self.start
        while n < step:
            state = self._step(state)
            n += 1
        self._latest = (n, state)
        return state

    def _step(self, state: np.ndarray) -> np.ndarray:
        x, y, vx, vy, angle = (row.copy() for row in state)
        x += vx
        y += vy
        angle += self.turn
        # a node's half-width, or a segment's half-extent along each axis at its angle
        ex = np.where(self.is_segment, np.abs(self.radius * np.cos(angle)), self.radius)
        ey = np.where(self.is_segment, np.abs(self.radius * np.sin(angle)), self.radius)
        left, top, right, bottom = self.wall
        vx = np.where(((x - ex < left) & (vx < 0)) | ((x + ex > right) & (vx > 0)), -vx, vx)
        vy = np.where(((y - ey < top) & (vy < 0)) | ((y + ey > bottom) & (vy > 0)), -vy, vy)
        return np.stack([x, y, vx, vy, angle])

    def at(self, clock: float) -> np.ndarray:
        """(3, items): x, y and angle after `clock` frames (any real number >= 0)."""
        clock = max(0.0, float(clock))
        n = math.floor(clock)
        x, y, vx, vy, angle = self.state(n)
        f = clock - n  # 0 at a whole frame: x + 0 vx is x exactly
        return np.stack([x + f * vx, y + f * vy, angle + f * self.turn])


def dust_field(
    *,
    seed: int | str,
    token: int,
    rebirths: int,
    column_sizes: Sequence[int],
    shape: str,
    width: float,
    height: float,
) -> DustField:
    """The dust of one life on a `width` x `height` canvas (units), before it moves."""
    per_column, per_gap = dust_counts(column_sizes)
    n_nodes, n_segments = sum(per_column), sum(per_gap)
    draws = portable_uniforms(
        key("dust", seed, token, rebirths), NODE_DRAWS * n_nodes + SEGMENT_DRAWS * n_segments
    )
    nd = draws[: NODE_DRAWS * n_nodes].reshape(n_nodes, NODE_DRAWS).T
    sd = draws[NODE_DRAWS * n_nodes :].reshape(n_segments, SEGMENT_DRAWS).T
    left, top, right, bottom = WALL, WALL, width - WALL, height - WALL

    def motion(heading, speed):
        angle, magnitude = 2.0 * math.pi * heading, _lerp(SPEED, speed)
        return magnitude * np.cos(angle), magnitude * np.sin(angle)

    node_vx, node_vy = motion(nd[2], nd[3])
    size = _lerp(NODE_SIZE, nd[4])
    seg_vx, seg_vy = motion(sd[4], sd[5])
    length = _lerp(SEGMENT_LENGTH, sd[2])
    start = np.stack(
        [
            np.concatenate([_lerp((left, right), nd[0]), _lerp((left, right), sd[0])]),
            np.concatenate([_lerp((top, bottom), nd[1]), _lerp((top, bottom), sd[1])]),
            np.concatenate([node_vx, seg_vx]),
            np.concatenate([node_vy, seg_vy]),
            np.concatenate([np.zeros(n_nodes), 2.0 * math.pi * sd[3]]),
        ]
    )
    return DustField(
        node_column=np.repeat(np.arange(len(per_column)), per_column),
        segment_gap=np.repeat(np.arange(len(per_gap)), per_gap),
        radius=np.concatenate([node_radius(shape, size), length / 2.0]),
        is_segment=np.concatenate([np.zeros(n_nodes, bool), np.ones(n_segments, bool)]),
        size=size,
        start=start,
        turn=np.concatenate([np.zeros(n_nodes), _lerp(TURN, sd[6])]),
        wall=(left, top, right, bottom),
    )


def draw_dust(
    field_: DustField,
    *,
    clock: float,
    share: float,
    column_colors: Sequence[RGB],
    shape: str,
    fill_mode: str,
    paper: RGB,
) -> Particles:
    """The dust drawn at `clock`: each group's first ceil(count x share) items (ORIGINAL 3)."""
    n_nodes = len(field_.node_column)
    if share <= 0.0 or not len(field_.radius):
        return Particles()
    x, y, angle = field_.at(clock)
    ends = [column_colors[0], *column_colors, column_colors[-1]]
    lines = []
    gaps = field_.segment_gap.tolist()
    for gap, first, count in _groups(gaps):
        for i in range(first, first + shown_count(count, share)):
            k = n_nodes + i
            h = float(field_.radius[k])
            dx, dy = h * math.cos(angle[k]), h * math.sin(angle[k])
            p0 = (float(x[k] + dx), float(y[k] + dy))
            p1 = (float(x[k] - dx), float(y[k] - dy))
            lines.append(Line(*p0, *p1, ends[gap], ends[gap + 1], p0, p1, 1.0, STROKE))
    nodes = []
    for column, first, count in _groups(field_.node_column.tolist()):
        color = column_colors[column]
        fill, fill_opacity, stroke_opacity = node_paint(fill_mode, color, paper, 1.0)
        for i in range(first, first + shown_count(count, share)):
            nodes.append(
                Node(
                    id=f"d{i}",
                    column=column,
                    index=-1,
                    x=float(x[i]),
                    y=float(y[i]),
                    size=float(field_.size[i]),
                    shape=shape,
                    fill=fill,
                    fill_opacity=fill_opacity,
                    stroke=color,
                    stroke_opacity=stroke_opacity,
                    stroke_width=STROKE,
                )
            )
    return Particles(nodes=tuple(nodes), lines=tuple(lines))


def _groups(labels: list[int]):
    """(label, first index, count) of each run of equal labels (a group with no item has no
    run, so it is skipped)."""
    out, first = [], 0
    for label, run in itertools.groupby(labels):
        count = len(list(run))
        out.append((label, first, count))
        first += count
    return out


def dust(
    *,
    seed: int | str,
    token: int,
    rebirths: int,
    column_sizes: Sequence[int],
    column_colors: Sequence[RGB],
    shape: str,
    fill_mode: str,
    paper: RGB,
    width: float,
    height: float,
    clock: float,
    share: float,
) -> Particles:
    """The dust a Dead or Rebirth frame draws (none at share 0: the blank Dead sheet)."""
    if share <= 0.0:
        return Particles()
    field_ = dust_field(
        seed=seed,
        token=token,
        rebirths=rebirths,
        column_sizes=column_sizes,
        shape=shape,
        width=width,
        height=height,
    )
    return draw_dust(
        field_,
        clock=clock,
        share=share,
        column_colors=column_colors,
        shape=shape,
        fill_mode=fill_mode,
        paper=paper,
    )
