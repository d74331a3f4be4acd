"""The Scene builder: (traits, hidden sizes, LifeState, chain state, frame options) -> Scene.

A pure function that follows ORIGINAL.md stage by stage: the network's columns and their
Growing re-layout (section 1), Decaying ghosts (4), the blank Dead sheet (2), the Rebirth dust
(3), the paper (5), the reveal (6) and the classification's blink and sweep (7), on a canvas of
any shape (11). Each rule is a small named function here or in `layout` / `particles`.
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
from .elements import RGB, SIDE, Frame, Line, Node, Particles, Scene, canvas_units
from .particles import dust, dust_column_sizes, dust_share

# ORIGINAL 12: line opacity is 0.5 * min(life of both ends).
LINE_OPACITY = 0.5
#: Index of a Growing column's placeholder node (ORIGINAL 1: a column with no living neuron).
PLACEHOLDER = -1
#: The word a stage flashes instead of classifying (ORIGINAL 9); Decaying says «AGING».
REFUSAL_WORDS = {"Growing": "GROWING", "Decaying": "AGING", "Dead": "DEAD", "Rebirth": "BIRTH"}


@dataclass(frozen=True)
class FrameOptions:
    """What one frame shows beyond the still: the defaults give the fully revealed still.

    - index: the frame number (metadata; animations key their draws by it).
    - reveal: how many reveal items show (ORIGINAL 6): columns 0 .. L-1 of nodes, then gaps
      0 .. L-2 of lines, one item per step; None shows everything.
    - erased: ids of the nodes that blink out (ORIGINAL 7), in draw order, repeats allowed;
      only living nodes (life exactly 1) blink.
    - line_clip: the sweep's x (units): the lines are erased from there rightwards.
    - dust_clock: how many of the original's 60 Hz frames the Rebirth dust has moved.
    - show_frame: draw the frame band (the art's B key toggles it).
    - canvas: the canvas's width and height in any unit (only their ratio counts).
    """

    index: int = 0
    reveal: int | None = None
    erased: tuple[str, ...] = ()
    line_clip: float | None = None
    dust_clock: float = 0.0
    show_frame: bool = True
    canvas: tuple[float, float] = (SIDE, SIDE)


def _rgb(hex_color: str) -> RGB:
    return palettes.parse_hex(hex_color)


def column_lives(hidden_lives: Sequence[Sequence[float]], scale: int) -> list[tuple[float, ...]]:
    """Life of every drawn node, column by column: one input node, the hidden layers drawn at
    1:scale, one output node (ORIGINAL 1 and 12). Input and output are always alive."""
    return [(1.0,), *(layout.drawn_life(life, scale) for life in hidden_lives), (1.0,)]


def growing_columns(lives: Sequence[Sequence[float]]) -> list[list[tuple[int, float]]]:
    """The Growing re-layout (ORIGINAL 1): per column, (index, life) of the nodes drawn.

    Nodes whose life is exactly 0 are left out; the survivors keep their order. A column left
    empty gets one placeholder (index -1, life 0): a centred ghost whose lines are invisible.
    """
    out = []
    for column in lives:
        kept = [(j, v) for j, v in enumerate(column) if v != 0.0]
        out.append(kept or [(PLACEHOLDER, 0.0)])
    return out


def drawn_columns(stage: str, lives: Sequence[Sequence[float]]) -> list[list[tuple[int, float]]]:
    """(index, life) of each column's drawn nodes: compacted while Growing, else all of them
    (Decaying keeps its dead neurons in place as ghosts, ORIGINAL 4)."""
    if stage == "Growing":
        return growing_columns(lives)
    return [list(enumerate(column)) for column in lives]


def reveal_counts(reveal: int | None, columns: int) -> tuple[int, int]:
    """(columns of nodes shown, gaps of lines shown) after `reveal` items (ORIGINAL 6)."""
    if reveal is None:
        return columns, columns - 1
    shown = max(0, int(reveal))
    return min(shown, columns), min(max(0, shown - columns), columns - 1)


def classify_refusal(life: LifeState) -> str | None:
    """The word a Perceptron flashes instead of classifying (ORIGINAL 9), or None when it may.

    Dead and Rebirth never classify («DEAD», «BIRTH»); nor does a network with a hidden layer
    holding no neuron with life > 0 («GROWING» while Growing, «AGING» otherwise). Input and
    output are always alive. The CLI refuses with this word; the art flashes it.
    """
    if life.stage in ("Dead", "Rebirth"):
        return REFUSAL_WORDS[life.stage]
    if all(any(v > 0.0 for v in layer) for layer in life.neuron_life):
        return None
    return REFUSAL_WORDS["Growing" if life.stage == "Growing" else "Decaying"]


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
    width, height = canvas_units(*options.canvas)
    palette = palettes.get(traits.palette)
    paper, ink = _rgb(palette.paper), _rgb(palette.pattern)
    scale = layout.drawing_scale(sizes)
    lives = column_lives(life.neuron_life, scale)
    columns = len(lives)
    column_x = layout.column_x(columns, width)
    # ORIGINAL 12: column colour g_i = the palette gradient sampled at i / (L - 1).
    colors = tuple(palette.column_colors(columns))

    nodes: tuple[Node, ...] = ()
    lines: tuple[Line, ...] = ()
    erased: tuple[Node, ...] = ()
    particles = Particles()
    if life.stage in ("Dead", "Rebirth"):
        # ORIGINAL 2 and 3: no network; the dust shows a share growing through Rebirth.
        particles = dust(
            seed=traits.seed,
            token=traits.token,
            rebirths=life.rebirths,
            column_sizes=dust_column_sizes(lives),
            column_colors=colors,
            shape=traits.node_shape,
            fill_mode=traits.node_fill,
            paper=paper,
            width=width,
            height=height,
            clock=options.dust_clock,
            share=dust_share(life.stage, life.stage_ratio),
        )
    else:
        grid = _network(
            traits, drawn_columns(life.stage, lives), column_x, colors, paper, width, height
        )
        shown_columns, shown_gaps = reveal_counts(options.reveal, columns)
        nodes = tuple(n for col in grid[:shown_columns] for n in col)
        lines = _network_lines(grid, shown_gaps, column_x, colors)
        erased = erased_nodes(nodes, options.erased)

    return Scene(
        paper=paper,
        pattern=layout.pattern(traits.pattern, ink, width, height),
        frame=Frame(ink, layout.FRAME_WIDTH, options.show_frame),
        lines=lines,
        nodes=nodes,
        particles=particles,
        erased=erased,
        line_clip=options.line_clip if nodes else None,
        column_x=column_x,
        column_colors=colors,
        scale=scale,
        stage=life.stage,
        meta=_meta(traits, sizes, life, chain, scale, options.index),
        width=width,
        height=height,
    )


def _network(traits, columns, column_x, colors, paper, width, height) -> list[list[Node]]:
    """The drawn nodes, column by column, top to bottom (ORIGINAL 11 and 12)."""
    counts = [len(col) for col in columns]
    most = max(counts)
    size = layout.node_size(len(columns), most, width, height)
    rho = layout.density(len(columns), most)
    stroke = layout.node_stroke(rho)
    shape, fill_mode = traits.node_shape, traits.node_fill
    grid = []
    for c, col in enumerate(columns):
        ys = layout.row_y(len(col), most, height)
        drawn = []
        for (j, v), y in zip(col, ys, strict=True):
            fill, fill_opacity, stroke_opacity = layout.node_paint(fill_mode, colors[c], paper, v)
            drawn.append(
                Node(
                    id=f"n{c}-{j}" if j != PLACEHOLDER else f"n{c}-empty",
                    column=c,
                    index=j,
                    x=column_x[c],
                    y=y,
                    size=size,
                    shape=shape,
                    fill=fill,
                    fill_opacity=fill_opacity,
                    stroke=colors[c],
                    stroke_opacity=stroke_opacity,
                    stroke_width=stroke,
                    life=v,
                    dash=layout.ghost_dash(v, rho),
                )
            )
        grid.append(drawn)
    return grid


def _network_lines(grid, gaps: int, column_x, colors) -> tuple[Line, ...]:
    """Every pair of nodes in neighbouring columns, source-major, for the first `gaps` gaps
    (ORIGINAL 12): opacity 0.5 min(life of both ends); invisible ones are left out."""
    most = max(len(col) for col in grid)
    width = layout.line_width(layout.density(len(grid), most))
    lines: list[Line] = []
    for g in range(gaps):
        # One gradient per gap: colour depends on x only, so every line of the gap shares it.
        g0, g1 = (column_x[g], 0.0), (column_x[g + 1], 0.0)
        for a in grid[g]:
            for b in grid[g + 1]:
                opacity = LINE_OPACITY * min(a.life, b.life)
                if opacity > 0.0:
                    lines.append(
                        Line(
                            a.x, a.y, b.x, b.y, colors[g], colors[g + 1], g0, g1, opacity, width, g
                        )
                    )
    return tuple(lines)


def live_nodes(nodes: Sequence[Node]) -> tuple[Node, ...]:
    """The nodes that may blink (ORIGINAL 7): life exactly 1, input and output included, in
    draw order (column by column, top to bottom)."""
    return tuple(n for n in nodes if n.life == 1.0)


def erased_nodes(nodes: Sequence[Node], ids: Sequence[str]) -> tuple[Node, ...]:
    """The living nodes named in `ids`, in that order (repeats kept)."""
    if not ids:
        return ()
    by_id = {n.id: n for n in live_nodes(nodes)}
    return tuple(by_id[i] for i in ids if i in by_id)


def frame_of(still: Scene, options: FrameOptions) -> Scene:
    """The frame `options` asks for, from the fully revealed still of the same moment: its
    blinking nodes and its sweep. Equal to `build_scene` with `options` (reveal None, no dust);
    an animation uses it to draw frames without rebuilding thousands of lines."""
    meta = tuple((k, str(options.index) if k == "frame" else v) for k, v in still.meta)
    return replace(
        still,
        erased=erased_nodes(still.nodes, options.erased),
        line_clip=options.line_clip if still.nodes else None,
        meta=meta,
        frame=replace(still.frame, visible=options.show_frame),
    )


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
        # a model's neutral portrait (the CLI card) has no moment: it names none
        *([("time", format_time(life.time))] if math.isfinite(life.time) else []),
        ("Software", f"artgen {__version__}"),
    ]
    if chain is not None:
        items.append(("fee_rate", f"{chain.fee_rate:g}"))
    return tuple(items)
