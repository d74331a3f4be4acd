"""Dead and Rebirth (SPEC section 6): the network is gone; its pieces drift and bounce.

About a quarter of each column's nodes drift as node shapes, and 1.5 * prev * next short
gradient segments per column gap. Where each piece is is a pure function of (collection seed,
token, rebirths, frame index): it starts as a shard of the network (a node, or a piece of one
of its lines, scattered a little), drifts in a straight line and bounces off the inside of
the frame. Which pieces show follows the stage: during Dead they dissolve (a share
1 - stage ratio remains, so the frame returns to a blank slate, as the whitepaper tells);
during Rebirth they reappear in proportion to the stage ratio (SPEC 6).

Randomness (the art's JavaScript replays it bit for bit): one `PortableRandom` stream keyed
`key("particles", seed, token, rebirths)`, read with `.random()` only, in this order:

1. the show order: Fisher-Yates over the T pieces, from the last position down
   (`PortableRandom.permutation(T)`, T - 1 draws); piece p shows when `perm[p] < shown`;
2. then 13 draws per piece, pieces in order (node pieces column by column, then segments gap
   by gap), every piece drawing all 13 whether it uses them or not:
   0 a: the node of its column (nodes) or of the left column (segments), `floor(a * count)`;
   1 b: the node of the right column (segments); 2 along: where on the line, 0.15 + 0.7 along;
   3 length: the segment's length as a share of the column spacing, lerp of SEGMENT_LENGTH;
   4-5 scatter x = SCATTER * (d4 - d5); 6-7 scatter y likewise (triangular, no logarithms);
   8-9 tilt = TILT * (d8 - d9); 10 heading = 2 pi d; 11 speed, lerp of SPEED;
   12 spin = SPIN * (2 d - 1).
Frame k only moves the pieces, so the draws are made once per (seed, token, rebirths, network)
and cached; mulberry32's n-th output depends only on n, so the block is drawn vectorised.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..portable_random import fnv1a32, key
from .elements import RGB, SIDE, Line, Node, Particles
from .layout import FRAME_WIDTH, node_extent, node_paint

# Our choices (the SPEC is silent), in u and u per frame: segment length as a share of the
# column spacing, drift speed, spin, and a clearance between a piece and the frame.
SEGMENT_LENGTH = (0.15, 0.4)
SCATTER = 68.0  # a shard starts at most this far from its place in the network (triangular)
TILT = 0.7  # a segment's start angle differs from its line's by at most this, radians
SPEED = (0.35, 1.4)
SPIN = 0.012  # radians per frame, at most
CLEARANCE = 6.0
DRAWS_PER_PIECE = 13


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


def portable_uniforms(text: str, count: int) -> np.ndarray:
    """The first `count` `PortableRandom(text).random()` values, computed at once.

    mulberry32's n-th output is a function of its n-th state, seed + n * 0x6D2B79F5 alone.
    """
    mask = np.uint64(0xFFFFFFFF)
    n = np.arange(1, count + 1, dtype=np.uint64)
    a = (np.uint64(fnv1a32(text)) + n * np.uint64(0x6D2B79F5)) & mask
    t = ((a ^ (a >> np.uint64(15))) * (a | np.uint64(1))) & mask
    t = ((t + (((t ^ (t >> np.uint64(7))) * (t | np.uint64(61))) & mask)) & mask) ^ t
    return ((t ^ (t >> np.uint64(14))) & mask).astype(np.float64) / 4294967296.0


def _fisher_yates(draws: np.ndarray, n: int) -> np.ndarray:
    """`PortableRandom.permutation(n)` from its n - 1 draws."""
    items = list(range(n))
    for i, u in zip(range(n - 1, 0, -1), draws.tolist(), strict=False):
        j = int(u * (i + 1))
        items[i], items[j] = items[j], items[i]
    return np.array(items, dtype=np.int64)


@dataclass(frozen=True, eq=False)
class _Pieces:
    """Every piece's start, motion and look, independent of the frame."""

    rank: np.ndarray
    node_col: np.ndarray
    seg_gap: np.ndarray
    lengths: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    start: np.ndarray  # (2, T)
    velocity: np.ndarray  # (2, T)
    angle0: np.ndarray
    spin: np.ndarray


@lru_cache(maxsize=16)
def _pieces(
    seed: int | str,
    token: int,
    rebirths: int,
    columns: tuple[tuple[float, tuple[float, ...]], ...],
    extent_node: float,
    line_width: float,
) -> _Pieces:
    n_nodes, n_segments = particle_counts([len(ys) for _, ys in columns])
    n_node, total = sum(n_nodes), sum(n_nodes) + sum(n_segments)
    stream = key("particles", seed, token, rebirths)
    draws = portable_uniforms(stream, total - 1 + DRAWS_PER_PIECE * total)
    rank = _fisher_yates(draws[: total - 1], total)
    d = draws[total - 1 :].reshape(total, DRAWS_PER_PIECE).T
    node_col = np.repeat(np.arange(len(n_nodes)), n_nodes)
    seg_gap = np.repeat(np.arange(len(n_segments)), n_segments)
    spacing = columns[1][0] - columns[0][0]
    lengths = spacing * (SEGMENT_LENGTH[0] + (SEGMENT_LENGTH[1] - SEGMENT_LENGTH[0]) * d[3])
    lengths = lengths[n_node:]
    extent = np.concatenate([np.full(n_node, extent_node), lengths / 2 + line_width])
    lo = FRAME_WIDTH + CLEARANCE + extent
    hi = SIDE - lo
    # where each shard stood: a node of its column, or a point on a line of its gap
    home = np.zeros((2, total))
    angle0 = np.zeros(total)
    for i, c in enumerate(node_col.tolist()):
        x, ys = columns[c]
        home[:, i] = (x, ys[int(d[0, i] * len(ys))])
    for j, g in enumerate(seg_gap.tolist()):
        i = n_node + j
        (xa, ya), (xb, yb) = columns[g], columns[g + 1]
        y0, y1 = ya[int(d[0, i] * len(ya))], yb[int(d[1, i] * len(yb))]
        t = 0.15 + 0.7 * d[2, i]
        home[:, i] = (xa + t * (xb - xa), y0 + t * (y1 - y0))
        angle0[i] = math.atan2(y1 - y0, xb - xa)
    scatter = SCATTER * np.stack([d[4] - d[5], d[6] - d[7]])
    start = np.clip(home + scatter, lo, hi)
    angle0 = angle0 + TILT * (d[8] - d[9])
    heading = 2.0 * math.pi * d[10]
    speed = SPEED[0] + (SPEED[1] - SPEED[0]) * d[11]
    velocity = np.stack([speed * np.cos(heading), speed * np.sin(heading)])
    spin = SPIN * (2.0 * d[12] - 1.0)
    return _Pieces(rank, node_col, seg_gap, lengths, lo, hi, start, velocity, angle0, spin)


def _bounce(start: np.ndarray, velocity: np.ndarray, frame: float, lo: np.ndarray, hi: np.ndarray):
    """Position after `frame` steps of straight motion between mirrors at lo and hi."""
    span = np.maximum(hi - lo, 1e-9)
    t = np.mod(start - lo + velocity * frame, 2.0 * span)
    return lo + span - np.abs(t - span)


def drift(
    *,
    seed: int | str,
    token: int,
    rebirths: int,
    frame: float,
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
    """The drifting pieces at frame `frame` (any real number of frames), `share` of them shown
    (nodes styled as alive). `columns` holds each column's x and its nodes' y, where the
    network stood."""
    n_nodes, n_segments = particle_counts([len(ys) for _, ys in columns])
    total = sum(n_nodes) + sum(n_segments)
    shown = min(total, math.floor(share * total + 0.5))
    if shown <= 0:
        return Particles()
    p = _pieces(
        seed,
        token,
        rebirths,
        tuple((float(x), tuple(float(y) for y in ys)) for x, ys in columns),
        node_extent(shape, size) + stroke_width,
        line_width,
    )
    x = _bounce(p.start[0], p.velocity[0], frame, p.lo, p.hi)
    y = _bounce(p.start[1], p.velocity[1], frame, p.lo, p.hi)
    angle = np.mod(p.angle0 + p.spin * frame, 2.0 * math.pi)
    rank = p.rank

    nodes = []
    for i, c in enumerate(p.node_col.tolist()):
        if rank[i] >= shown:
            continue
        color = column_colors[c]
        fill, fill_opacity, stroke_opacity = node_paint(fill_mode, color, paper, 1.0)
        nodes.append(
            Node(
                id=f"p{i}",
                column=c,
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
    n_node = len(p.node_col)
    for j, g in enumerate(p.seg_gap.tolist()):
        i = n_node + j
        if rank[i] >= shown:
            continue
        half = float(p.lengths[j]) / 2
        dx, dy = math.cos(angle[i]) * half, math.sin(angle[i]) * half
        p0, p1 = (float(x[i] - dx), float(y[i] - dy)), (float(x[i] + dx), float(y[i] + dy))
        lines.append(
            Line(
                *p0,
                *p1,
                color0=column_colors[g],
                color1=column_colors[g + 1],
                g0=p0,
                g1=p1,
                opacity=0.5,
                width=line_width,
            )
        )
    return Particles(nodes=tuple(nodes), lines=tuple(lines))
