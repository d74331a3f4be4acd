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
# A spark's pulse: its head crosses the gap in 1 / PULSE_SPEED of the spark's life, trailing
# PULSE_LENGTH of the line, at up to PULSE_OPACITY over the line, PULSE_WIDTH times as wide.
PULSE_SPEED = 1.25
PULSE_LENGTH = 0.3
PULSE_OPACITY = 0.9
PULSE_WIDTH = 2.0


@dataclass(frozen=True)
class FrameOptions:
    """What one frame shows beyond the still: the defaults give the fully revealed still.

    - index: the frame number (particles drift with it).
    - node_reveal: per column, the share of its nodes shown, top to bottom, in [0, 1];
      None shows them all.
    - line_reveal: per column gap, how far its lines have grown from the left column, in
      [0, 1]; None draws them whole.
    - sparks: ids of lit nodes (`Node.id`, e.g. "n2-5"); only living nodes light up.
    - spark_phases: (node id, phase in [0, 1), target) of sparks fading out: phase 0 is the
      moment a node is lit; its glow fades as the phase grows while a pulse runs along its
      line to node `target` (`Node.index`) of the next column (-1: no pulse). A node may
      appear more than once (the brightest glow wins).
    - sweep: the classification front, in columns (0 = input, columns - 1 = output); None
      when nothing is being classified.
    - show_frame: draw the frame band (the art's B key toggles it).
    - drift: the particles' clock in frames (any real number); None uses `index`. A looping
      preview runs it back and forth so the drift is periodic.
    """

    index: int = 0
    node_reveal: tuple[float, ...] | None = None
    line_reveal: tuple[float, ...] | None = None
    sparks: frozenset[str] = frozenset()
    spark_phases: tuple[tuple[str, float, int], ...] = ()
    sweep: float | None = None
    show_frame: bool = True
    drift: float | None = None


def spark_glow(phase: float) -> float:
    """A spark's glow at a phase in [0, 1): full at once, then fading smoothly to nothing."""
    return SPARK_GLOW * (1.0 - min(1.0, max(0.0, phase))) ** 1.5


def pulse_span(phase: float) -> tuple[float, float, float]:
    """(tail, head, opacity) of a spark's pulse along a line, as shares of the line."""
    head = min(1.0, PULSE_SPEED * phase)
    tail = max(0.0, head - PULSE_LENGTH)
    return tail, head, PULSE_OPACITY * math.sin(math.pi * min(1.0, max(0.0, phase)))


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
            frame=options.index if options.drift is None else options.drift,
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
        lines = _network_lines(grid, column_x, colors, line_width, options.line_reveal)
        nodes = _revealed(grid, counts, options.node_reveal)
        sweep = _overlay(lines, nodes, column_x, options)

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


def _spark_levels(options: FrameOptions) -> dict[str, float]:
    """Node id -> spark glow, the brightest of its sparks."""
    levels = dict.fromkeys(options.sparks, SPARK_GLOW)
    for nid, phase, _ in options.spark_phases:
        levels[nid] = max(levels.get(nid, 0.0), spark_glow(phase))
    return levels


def _glow(nid: str, column: int, life: float, levels: dict, front: float | None) -> float:
    """A node's glow: its sparks', or the sweep's as the front passes its column."""
    if life <= 0.0:
        return 0.0
    glow = levels.get(nid, 0.0)
    if front is not None:
        glow = max(glow, SWEEP_GLOW * max(0.0, 1.0 - abs(front - column)))
    return glow


def _lit(node: Node, glow: float, color: RGB) -> Node:
    """A lit node shines: filled with its colour, whatever its fill mode."""
    return replace(
        node, fill=color, fill_opacity=max(node.fill_opacity, glow), stroke_opacity=1.0, glow=glow
    )


def _network_nodes(traits, stage, lives, most, column_x, colors, paper, size, stroke, options):
    """Per column, {index: Node} of the nodes drawn."""
    shape, fill_mode = traits.node_shape, traits.node_fill
    levels = _spark_levels(options)
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
            dash = layout.dash_pattern(shape, size, stroke) if 0.0 < v < 1.0 else None
            node = Node(
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
            )
            glow = _glow(nid, c, v, levels, options.sweep)
            col[j] = _lit(node, glow, colors[c]) if glow > 0.0 else node
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


def _network_lines(grid, column_x, colors, width, line_reveal) -> tuple[Line, ...]:
    """Every pair of drawn nodes in neighbouring columns (SPEC 6), grown to the reveal."""
    lines: list[Line] = []
    for g in range(len(grid) - 1):
        reach = 1.0 if line_reveal is None else min(1.0, max(0.0, line_reveal[g]))
        if reach <= 0.0:
            continue
        # One gradient per gap: colour depends on x only, so every line of the gap shares it.
        g0, g1 = (column_x[g], 0.0), (column_x[g + 1], 0.0)
        for a in grid[g].values():
            for b in grid[g + 1].values():
                # SPEC 6: "opacity 0.5 * min(life of both ends)"
                opacity = LINE_OPACITY * min(a.life, b.life)
                if opacity <= 0.0:
                    continue
                x1, y1 = a.x + reach * (b.x - a.x), a.y + reach * (b.y - a.y)
                lines.append(
                    Line(a.x, a.y, x1, y1, colors[g], colors[g + 1], g0, g1, opacity, width, g)
                )
    return tuple(lines)


def _piece(line: Line, t0: float, t1: float, opacity: float, width: float) -> Line:
    """The part of `line` from share t0 to share t1 of its length."""
    dx, dy = line.x1 - line.x0, line.y1 - line.y0
    x, y = line.x0, line.y0
    return Line(
        x + t0 * dx,
        y + t0 * dy,
        x + t1 * dx,
        y + t1 * dy,
        line.color0,
        line.color1,
        line.g0,
        line.g1,
        opacity,
        width,
        line.gap,
    )


# Frames of a clip share the still's lines and nodes: what is derived from them is kept, by
# identity, until another clip's come. Each cache is one (source, derived...) tuple, swapped
# whole, so threads drawing different clips never mix them up.
_ends_cache: list = [((), {}, {})]  # lines, their index by ends, pulses by (ends, phase)
_lit_cache: list = [((), {})]  # nodes, each lit node by (position, glow, colour)
CACHED = 1 << 16  # derived items kept per cache at most (a clip has a few thousand)


def _lines_by_ends(lines: tuple[Line, ...]) -> tuple[dict, dict]:
    """The lines by (gap, start y, end y), the line from one node to another, and a dict
    for their pulses."""
    entry = _ends_cache[0]
    if entry[0] is not lines:
        entry = _ends_cache[0] = (lines, {(ln.gap, ln.y0, ln.y1): ln for ln in lines}, {})
    return entry[1], entry[2]


def _overlay(lines, nodes, column_x, options: FrameOptions) -> tuple[Line, ...]:
    """Bright strokes over the lines: the sweep's (the lines it has crossed in the gap it is
    crossing, at twice their opacity) and the sparks' pulses (from each lit node along its
    line to its target in the next column)."""
    out: list[Line] = []
    front = options.sweep
    if front is not None and 0.0 < front < len(column_x):
        g = math.ceil(front) - 1
        if g + 1 < len(column_x):
            x_front = column_x[g] + (front - g) * (column_x[g + 1] - column_x[g])
            for ln in lines:
                if ln.gap == g and ln.x1 > ln.x0:
                    t = min(1.0, (x_front - ln.x0) / (ln.x1 - ln.x0))
                    out.append(_piece(ln, 0.0, t, min(1.0, SWEEP_LINE * ln.opacity), ln.width))
    if options.spark_phases:
        ends, pulses = _lines_by_ends(lines)
        at = {n.id: n for n in nodes if n.life > 0.0}
        for nid, phase, target in options.spark_phases:
            a = at.get(nid)
            b = at.get(f"n{a.column + 1}-{target}") if a is not None and target >= 0 else None
            key = (a.column, a.y, b.y) if b is not None else None
            line = ends.get(key)
            if line is None:
                continue
            piece = pulses.get((key, phase), line)  # the line itself: not known yet
            if piece is line:
                if len(pulses) > CACHED:
                    pulses.clear()
                piece = pulses[key, phase] = _pulse(line, phase)
            if piece is not None:
                out.append(piece)
    return tuple(out)


def _pulse(line: Line, phase: float) -> Line | None:
    """The piece of `line` a spark's pulse covers at `phase`, or None."""
    tail, head, opacity = pulse_span(phase)
    if head > tail and opacity > 0.0:
        return _piece(line, tail, head, opacity, line.width * PULSE_WIDTH)
    return None


def light(still: Scene, options: FrameOptions) -> Scene:
    """The frame `options` asks for, from the still of the same reveal (FrameOptions with only
    `index` and reveals set): its nodes lit and the overlay added, its lines reused. Equal to
    `build_scene` with `options` when the still's nodes are fully revealed; an animation uses
    it to draw frames without rebuilding thousands of lines."""
    levels = _spark_levels(options)
    entry = _lit_cache[0]
    if entry[0] is not still.nodes:
        entry = _lit_cache[0] = (still.nodes, {})
    lit = entry[1]
    nodes = []
    for i, node in enumerate(still.nodes):
        glow = _glow(node.id, node.column, node.life, levels, options.sweep)
        if glow > 0.0:
            color = still.column_colors[node.column]
            shone = lit.get((i, glow, color))
            if shone is None:
                if len(lit) > CACHED:
                    lit.clear()
                shone = lit[i, glow, color] = _lit(node, glow, color)
            node = shone
        nodes.append(node)
    nodes = tuple(nodes)
    meta = tuple((k, str(options.index) if k == "frame" else v) for k, v in still.meta)
    sweep = _overlay(still.lines, nodes, still.column_x, options)
    return replace(still, nodes=nodes, sweep=sweep, meta=meta)


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
