"""Our brain icon for the result card (ORIGINAL.md section 8 describes its layers; the drawing
is ours): a top view of two hemispheres with scalloped edges and two folds each.

The icon is designed in a 500 x 500 box as three layers:

1. a patternColor wash at alpha 0.5, filling from y = map(age, 0, 25, 500, 0) down to the
   bottom while Growing (the brain fills with age), and the whole box otherwise;
2. while Decaying, a black blot at alpha 0.5, scaled about the centre by
   map(age, 50, 60, 0.25, 1.3);
3. a mask: the paper square with the brain's silhouette in patternColor, the hemispheres'
   insides cut out so layers 1 and 2 show through, and the folds on top.

It sits on the card's paper, so it is drawn as the mask shows it: the wash and the blot inside
the hemispheres, the silhouette's rim around them, the folds; the paper square itself is the
card's, and no seam shows where its edge would be.
"""

from __future__ import annotations

import math

import cairo

from ..scene.layout import remap

DESIGN = 500.0
WASH, BLOT = 0.5, 0.5
BLOT_SCALE = (0.25, 1.3)
RIM = 30.0  # the silhouette's width around each hemisphere
FOLD = 16.0
#: The left hemisphere's outer edge, top to bottom (the right one mirrors it about x = 250),
#: and the x of its inner edge along the fissure.
EDGE = ((236, 74), (150, 62), (86, 110), (58, 190), (64, 282), (94, 366), (160, 424), (236, 430))
FISSURE = 236.0
#: Each hemisphere's two folds: (start, control 1, control 2, end), left side.
FOLDS = (
    ((112, 170), (150, 140), (170, 210), (214, 190)),
    ((96, 300), (140, 268), (160, 350), (206, 326)),
)


def _lobes() -> tuple[tuple[float, ...], ...]:
    """The left hemisphere's inside as Bezier segments (c1x, c1y, c2x, c2y, x, y) from EDGE[0]:
    a lobe bulging outwards along each step of its outer edge, then straight down and up the
    fissure. Computed once; the art's JavaScript draws the same path (from `engine_data`)."""
    cx, cy = 150.0, 250.0
    out = []
    for (x0, y0), (x1, y1) in zip(EDGE, EDGE[1:], strict=False):
        mx, my = (x0 + x1) / 2, (y0 + y1) / 2
        d = math.hypot(mx - cx, my - cy) or 1.0
        push = 0.35 * math.hypot(x1 - x0, y1 - y0)
        ox, oy = (mx - cx) / d * push, (my - cy) / d * push
        out.append(
            (
                x0 + (x1 - x0) / 4 + ox,
                y0 + (y1 - y0) / 4 + oy,
                x0 + 3 * (x1 - x0) / 4 + ox,
                y0 + 3 * (y1 - y0) / 4 + oy,
                float(x1),
                float(y1),
            )
        )
    return tuple(out)


LOBES = _lobes()


def _blot_shape() -> tuple[tuple[float, float], ...]:
    """The blot's outline at scale 1, as 96 offsets from the box's centre: a circle of 130
    design units rippled by three waves."""
    out = []
    for i in range(96):
        t = 2.0 * math.pi * i / 96
        r = 130.0 * (
            1.0 + 0.16 * math.sin(3 * t + 0.4) + 0.09 * math.cos(5 * t) + 0.05 * math.sin(9 * t)
        )
        out.append((r * math.cos(t), r * math.sin(t)))
    return tuple(out)


BLOT_SHAPE = _blot_shape()


def _hemisphere(ctx: cairo.Context, mirror: bool) -> None:
    """One hemisphere's inside as a closed path (the right one mirrors the left about x = 250)."""

    def at(x: float, y: float) -> tuple[float, float]:
        return (DESIGN - x, y) if mirror else (x, y)

    ctx.move_to(*at(*EDGE[0]))
    for c1x, c1y, c2x, c2y, x, y in LOBES:
        ctx.curve_to(*at(c1x, c1y), *at(c2x, c2y), *at(x, y))
    ctx.line_to(*at(FISSURE, EDGE[-1][1]))
    ctx.line_to(*at(FISSURE, EDGE[0][1]))
    ctx.close_path()


def _blot(ctx: cairo.Context, scale: float) -> None:
    """A soft irregular blot centred in the box, `scale` times its base size."""
    centre = DESIGN / 2
    ctx.move_to(centre + scale * BLOT_SHAPE[0][0], centre + scale * BLOT_SHAPE[0][1])
    for dx, dy in BLOT_SHAPE[1:]:
        ctx.line_to(centre + scale * dx, centre + scale * dy)
    ctx.close_path()


def wash_top(stage: str, age: float) -> float:
    """Where the wash starts (design units): it rises with age while Growing (ORIGINAL 8)."""
    return remap(age, 0.0, 25.0, DESIGN, 0.0) if stage == "Growing" else 0.0


def draw_brain_icon(
    ctx: cairo.Context,
    x: float,
    y: float,
    side: float,
    *,
    stage: str,
    age: float,
    ink,
) -> None:
    """The icon in the square at (x, y) of `side` units, over paper; `age` is within the life
    (Perceptron years)."""
    ctx.save()
    ctx.translate(x, y)
    ctx.scale(side / DESIGN, side / DESIGN)
    ctx.save()
    for mirror in (False, True):  # layers 1 and 2 show through the hemispheres only
        _hemisphere(ctx, mirror)
    ctx.clip()
    top = max(0.0, min(DESIGN, wash_top(stage, age)))
    ctx.rectangle(0, top, DESIGN, DESIGN - top)
    ctx.set_source_rgba(*ink, WASH)
    ctx.fill()
    if stage == "Decaying":
        _blot(ctx, remap(age, 50.0, 60.0, *BLOT_SCALE))
        ctx.set_source_rgba(0, 0, 0, BLOT)
        ctx.fill()
    ctx.restore()
    ctx.set_source_rgb(*ink)
    ctx.save()  # the rim: the silhouette's stroke, outside the hemispheres
    ctx.set_fill_rule(cairo.FILL_RULE_EVEN_ODD)
    ctx.rectangle(-RIM, -RIM, DESIGN + 2 * RIM, DESIGN + 2 * RIM)
    for mirror in (False, True):
        _hemisphere(ctx, mirror)
    ctx.clip()
    ctx.set_line_join(cairo.LINE_JOIN_ROUND)
    ctx.set_line_width(2 * RIM)
    for mirror in (False, True):
        _hemisphere(ctx, mirror)
        ctx.stroke()
    ctx.restore()
    ctx.set_line_width(FOLD)
    ctx.set_line_cap(cairo.LINE_CAP_ROUND)
    for mirror in (False, True):
        for fold in FOLDS:
            pts = [((DESIGN - px) if mirror else px, py) for px, py in fold]
            ctx.move_to(*pts[0])
            ctx.curve_to(*pts[1], *pts[2], *pts[3])
            ctx.stroke()
    ctx.restore()
