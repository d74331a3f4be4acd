"""Dead and Rebirth (SPEC section 6): the network is gone; its pieces drift and bounce.

About a quarter of each column's nodes drift as node shapes, and 1.5 * prev * next short
gradient segments per column gap. Where each piece is is a pure function of (collection seed,
token, rebirths, frame index): it starts as a shard of the network (a node, or a piece of one
of its lines, scattered a little), drifts in a straight line and bounces off the inside of
the frame. Which pieces show follows the stage: during Dead they dissolve (a share
1 - stage ratio remains, so the frame returns to a blank slate, as the whitepaper tells);
during Rebirth they reappear in proportion to the stage ratio (SPEC 6).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .. import seeding
from .elements import RGB, SIDE, Line, Node, Particles
from .layout import FRAME_WIDTH, node_extent, node_paint

# Our choices (the SPEC is silent), in u and u per frame: segment length as a share of the
# column spacing, drift speed, spin, and a clearance between a piece and the frame.
SEGMENT_LENGTH = (0.15, 0.4)
SCATTER = 28.0  # standard deviation of a shard's start around its place in the network
TILT = 0.3  # standard deviation of a segment's start angle around its line's, radians
SPEED = (0.35, 1.4)
SPIN = 0.012  # radians per frame, at most
CLEARANCE = 6.0


def particle_counts(column_sizes: Sequence[int]) -> tuple[list[int], list[int]]:
    """(node pieces per column, segments per gap): ceil(n / 4) and round(1.5 * prev * next)."""
    nodes = [math.ceil(n / 4) for n in column_sizes]
    segments = [
        math.floor(1.5 * a * b + 0.5)
        for a, b in zip(column_sizes[:-1], column_sizes[1:], strict=True)
    ]
    return nodes, segments


def visible_share(stage: str, stage_ratio: float) -> float:
    """The share of pieces shown: dissolving while Dead, reappearing while Reborn."""
    if stage == "Dead":
        return 1.0 - stage_ratio
    if stage == "Rebirth":
        return stage_ratio
    return 0.0


def _bounce(start: np.ndarray, velocity: np.ndarray, frame: int, lo: np.ndarray, hi: np.ndarray):
    """Position after `frame` steps of straight motion between mirrors at lo and hi."""
    span = np.maximum(hi - lo, 1e-9)
    t = np.mod(start - lo + velocity * frame, 2.0 * span)
    return lo + span - np.abs(t - span)


def drift(
    *,
    seed: int | str,
    token: int,
    rebirths: int,
    frame: int,
    share: float,
    columns: Sequence[tuple[float, Sequence[float]]],
    column_colors: Sequence[RGB],
    shape: str,
    fill_mode: str,
    paper: RGB,
    size: float,
    stroke_width: float,
    line_width: float,
) -> Particles:
    """The drifting pieces at frame `frame`, `share` of them shown (nodes styled as alive).

    `columns` holds each column's x and its nodes' y, where the network stood.
    """
    n_nodes, n_segments = particle_counts([len(ys) for _, ys in columns])
    total = sum(n_nodes) + sum(n_segments)
    shown = min(total, math.floor(share * total + 0.5))
    if shown <= 0:
        return Particles()
    rng = seeding.free_stream(seed, token, f"particles|{rebirths}")
    rank = rng.permutation(total)
    node_col = np.repeat(np.arange(len(n_nodes)), n_nodes)
    seg_gap = np.repeat(np.arange(len(n_segments)), n_segments)
    spacing = columns[1][0] - columns[0][0]
    lengths = spacing * rng.uniform(*SEGMENT_LENGTH, size=len(seg_gap))
    extent = np.concatenate(
        [np.full(len(node_col), node_extent(shape, size) + stroke_width), lengths / 2 + line_width]
    )
    lo = FRAME_WIDTH + CLEARANCE + extent
    hi = SIDE - lo
    # where each shard stood: a node of its column, or a point on a line of its gap
    home = np.zeros((2, total))
    angle0 = np.zeros(total)
    pick = rng.random((3, total))
    for i, c in enumerate(node_col):
        x, ys = columns[int(c)]
        home[:, i] = (x, ys[int(pick[0, i] * len(ys))])
    for j, g in enumerate(seg_gap):
        (xa, ya), (xb, yb) = columns[int(g)], columns[int(g) + 1]
        y0, y1 = ya[int(pick[0, j] * len(ya))], yb[int(pick[1, j] * len(yb))]
        t = 0.15 + 0.7 * pick[2, j]
        home[:, len(node_col) + j] = (xa + t * (xb - xa), y0 + t * (y1 - y0))
        angle0[len(node_col) + j] = math.atan2(y1 - y0, xb - xa)
    start = np.clip(home + rng.normal(0.0, SCATTER, size=(2, total)), lo, hi)
    angle0 += rng.normal(0.0, TILT, size=total)
    heading = rng.uniform(0.0, 2.0 * math.pi, size=total)
    speed = rng.uniform(*SPEED, size=total)
    spin = rng.uniform(-SPIN, SPIN, size=total)
    x = _bounce(start[0], speed * np.cos(heading), frame, lo, hi)
    y = _bounce(start[1], speed * np.sin(heading), frame, lo, hi)
    angle = np.mod(angle0 + spin * frame, 2.0 * math.pi)

    nodes = []
    for i, c in enumerate(node_col):
        if rank[i] >= shown:
            continue
        color = column_colors[int(c)]
        fill, fill_opacity, stroke_opacity = node_paint(fill_mode, color, paper, 1.0)
        nodes.append(
            Node(
                id=f"p{i}",
                column=int(c),
                index=i,
                x=float(x[i]),
                y=float(y[i]),
                size=size,
                shape=shape,
                fill=fill,
                fill_opacity=fill_opacity,
                stroke=color,
                stroke_opacity=stroke_opacity,
                stroke_width=stroke_width,
                angle=float(angle[i]),
            )
        )
    lines = []
    for j, g in enumerate(seg_gap):
        i = len(node_col) + j
        if rank[i] >= shown:
            continue
        dx, dy = math.cos(angle[i]) * lengths[j] / 2, math.sin(angle[i]) * lengths[j] / 2
        p0, p1 = (float(x[i] - dx), float(y[i] - dy)), (float(x[i] + dx), float(y[i] + dy))
        lines.append(
            Line(
                *p0,
                *p1,
                color0=column_colors[int(g)],
                color1=column_colors[int(g) + 1],
                g0=p0,
                g1=p1,
                opacity=0.5,
                width=line_width,
            )
        )
    return Particles(nodes=tuple(nodes), lines=tuple(lines))
