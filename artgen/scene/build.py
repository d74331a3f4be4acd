"""The Scene builder: (traits, hidden sizes, LifeState, chain state, frame options) -> Scene.

A pure function. It follows SPEC section 6; each rule is named where it is applied.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import palettes

from ..chain import ChainState, format_time
from ..lifecycle import LifeState
from ..traits import Traits
from . import layout
from .elements import RGB, Frame, Line, Node, Particles, Scene
from .particles import drift, visible_share

# SPEC 6: line opacity is 0.5 * min(life of both ends).
LINE_OPACITY = 0.5
# Our choices for the animation's highlights: a lit node's halo, the sweep's extra light.
SPARK_GLOW = 0.9
SWEEP_GLOW = 0.7
SWEEP_LINE = 2.0  # the sweep redraws the lines it has crossed at twice their opacity


@dataclass(frozen=True)
class FrameOptions:
    """What one frame shows beyond the still: the defaults give the fully revealed still.

    - index: the frame number (particles drift with it).
    - node_reveal: per column, the share of its nodes shown, top to bottom, in [0, 1];
      None shows them all.
    - line_reveal: per column gap, how far its lines have grown from the left column, in
      [0, 1]; None draws them whole.
    - sparks: ids of lit nodes (`Node.id`, e.g. "n2-5"); only living nodes light up.
    - sweep: the classification front, in columns (0 = input, columns - 1 = output); None
      when nothing is being classified.
    - show_frame: draw the frame band (the art's B key toggles it).
    """

    index: int = 0
    node_reveal: tuple[float, ...] | None = None
    line_reveal: tuple[float, ...] | None = None
    sparks: frozenset[str] = frozenset()
    sweep: float | None = None
    show_frame: bool = True


def _rgb(hex_color: str) -> RGB:
    return palettes.parse_hex(hex_color)


def column_lives(hidden_lives: Sequence[Sequence[float]], scale: int) -> list[tuple[float, ...]]:
    """Life of every drawn node, column by column: one input node, the hidden layers drawn at
    1:scale, one output node (SPEC 6). Input and output are always alive (SPEC 3)."""
    return [(1.0,), *(layout.drawn_life(life, scale) for life in hidden_lives), (1.0,)]


def build_scene(
    traits: Traits,
    hidden_sizes: Sequence[int],
    life: LifeState,
    chain: ChainState | None = None,
    options: FrameOptions | None = None,
) -> Scene:
    """The Scene of a token's portrait: `traits` give palette, pattern, node shape and fill;
    `hidden_sizes` the network drawn (the token's own, or an upgraded model's)."""
    options = options or FrameOptions()
    sizes = tuple(int(s) for s in hidden_sizes)
    if not sizes or min(sizes) < 1 or len(life.neuron_life) != len(sizes):
        raise ValueError(f"hidden sizes {sizes} do not match the life state's layers")
    if any(len(lv) != s for lv, s in zip(life.neuron_life, sizes, strict=True)):
        raise ValueError(f"hidden sizes {sizes} do not match the life state's neurons")
    palette = palettes.get(traits.palette)
    paper, ink = _rgb(palette.paper), _rgb(palette.pattern)
    scale = layout.drawing_scale(sizes)
    lives = column_lives(life.neuron_life, scale)
    counts = [len(c) for c in lives]
    columns, most = len(counts), max(counts)
    column_x = layout.column_positions(columns)
    # SPEC 6: "Layer colours sample the palette gradient across the columns."
    colors = tuple(palette.column_colors(columns))
    size = layout.node_size(columns, most)
    node_stroke, line_width = layout.stroke_widths(columns, most)

    nodes: tuple[Node, ...] = ()
    lines: tuple[Line, ...] = ()
    sweep: tuple[Line, ...] = ()
    particles = Particles()
    if life.stage in ("Dead", "Rebirth"):
        # SPEC 6: Dead and Rebirth: the network is gone; its pieces drift.
        particles = drift(
            seed=traits.seed,
            token=traits.token,
            rebirths=life.rebirths,
            frame=options.index,
            share=visible_share(life.stage, life.stage_ratio),
            columns=[
                (x, layout.node_positions(n, most)) for x, n in zip(column_x, counts, strict=True)
            ],
            column_colors=colors,
            shape=traits.node_shape,
            fill_mode=traits.node_fill,
            paper=paper,
            size=size,
            stroke_width=node_stroke,
            line_width=line_width,
        )
    else:
        grid = _network_nodes(
            traits, life.stage, lives, most, column_x, colors, paper, size, node_stroke, options
        )
        # lines join the nodes that live, revealed or not: they grow towards the next column
        lines, sweep = _network_lines(grid, column_x, colors, line_width, options)
        nodes = _revealed(grid, counts, options.node_reveal)

    frame = Frame(ink, layout.FRAME_WIDTH, options.show_frame)
    return Scene(
        paper=paper,
        pattern=layout.pattern(traits.pattern, ink),
        frame=frame,
        lines=lines,
        nodes=nodes,
        sweep=sweep,
        particles=particles,
        column_x=column_x,
        column_colors=colors,
        scale=scale,
        stage=life.stage,
        meta=_meta(traits, sizes, life, chain, scale, options.index),
    )


def _network_nodes(traits, stage, lives, most, column_x, colors, paper, size, stroke, options):
    """Per column, {index: Node} of the nodes drawn."""
    shape, fill_mode = traits.node_shape, traits.node_fill
    grid: list[dict[int, Node]] = []
    for c, col_lives in enumerate(lives):
        ys = layout.node_positions(len(col_lives), most)
        col: dict[int, Node] = {}
        for j, v in enumerate(col_lives):
            # SPEC 6: "While Growing, neurons not yet alive are not drawn".
            if stage == "Growing" and v <= 0.0:
                continue
            nid = f"n{c}-{j}"
            # SPEC 6: opacity follows life, so while Decaying dying neurons fade (the dead
            # stay as faint ghosts); a partly alive neuron gets a dashed outline.
            fill, fill_op, stroke_op = layout.node_paint(fill_mode, colors[c], paper, v)
            glow = 0.0
            if v > 0.0 and nid in options.sparks:
                glow = SPARK_GLOW
            if v > 0.0 and options.sweep is not None:
                glow = max(glow, SWEEP_GLOW * max(0.0, 1.0 - abs(options.sweep - c)))
            if glow > 0.0:
                # a lit node shines: filled with its colour, whatever its fill mode
                fill, fill_op, stroke_op = colors[c], max(fill_op, glow), 1.0
            dash = layout.dash_pattern(shape, size, stroke) if 0.0 < v < 1.0 else None
            col[j] = Node(
                id=nid,
                column=c,
                index=j,
                x=column_x[c],
                y=ys[j],
                size=size,
                shape=shape,
                fill=fill,
                fill_opacity=fill_op,
                stroke=colors[c],
                stroke_opacity=stroke_op,
                stroke_width=stroke,
                life=v,
                dash=dash,
                glow=glow,
            )
        grid.append(col)
    return grid


def _revealed(grid, counts, reveal) -> tuple[Node, ...]:
    """The nodes a reveal shows: each column's nodes fade in one after another, top down."""
    if reveal is None:
        return tuple(n for col in grid for n in col.values())
    out = []
    for c, col in enumerate(grid):
        for j, node in col.items():
            shown = min(1.0, max(0.0, reveal[c] * counts[c] - j))
            if shown >= 1.0:
                out.append(node)
            elif shown > 0.0:
                out.append(
                    replace(
                        node,
                        fill_opacity=node.fill_opacity * shown,
                        stroke_opacity=node.stroke_opacity * shown,
                        glow=node.glow * shown,
                    )
                )
    return tuple(out)


def _network_lines(grid, column_x, colors, width, options):
    """(lines, sweep overlay): every pair of drawn nodes in neighbouring columns (SPEC 6)."""
    lines: list[Line] = []
    sweep: list[Line] = []
    front = options.sweep
    for g in range(len(grid) - 1):
        reach = 1.0 if options.line_reveal is None else min(1.0, max(0.0, options.line_reveal[g]))
        if reach <= 0.0:
            continue
        # One gradient per gap: colour depends on x only, so every line of the gap shares it.
        g0, g1 = (column_x[g], 0.0), (column_x[g + 1], 0.0)
        lit = None if front is None else front - g
        for a in grid[g].values():
            for b in grid[g + 1].values():
                # SPEC 6: "opacity 0.5 * min(life of both ends)"
                opacity = LINE_OPACITY * min(a.life, b.life)
                if opacity <= 0.0:
                    continue
                x1, y1 = a.x + reach * (b.x - a.x), a.y + reach * (b.y - a.y)
                line = Line(a.x, a.y, x1, y1, colors[g], colors[g + 1], g0, g1, opacity, width, g)
                lines.append(line)
                if lit is not None and 0.0 < lit <= 1.0:
                    t = min(lit, reach)
                    xs, ys = a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)
                    bright = min(1.0, SWEEP_LINE * opacity)
                    sweep.append(
                        Line(a.x, a.y, xs, ys, colors[g], colors[g + 1], g0, g1, bright, width, g)
                    )
    return tuple(lines), tuple(sweep)


def _meta(traits, sizes, life: LifeState, chain: ChainState | None, scale: int, frame: int):
    from .. import __version__

    items = [
        ("Title", f"Perceptron #{traits.token}"),
        ("seed", str(traits.seed)),
        ("token", str(traits.token)),
        ("hidden_sizes", ",".join(map(str, sizes))),
        ("scale", f"1:{scale}"),
        ("stage", life.stage),
        ("frame", str(frame)),
        ("time", format_time(life.time) if math.isfinite(life.time) else str(life.time)),
        ("Software", f"artgen {__version__}"),
    ]
    if chain is not None:
        items.append(("fee_rate", f"{chain.fee_rate:g}"))
    return tuple(items)
