"""The Cairo backend: draws a Scene on any Cairo surface (raster, PDF, SVG).

The Scene is in units u (its canvas's shorter side is 1024u); `draw` scales it so that the
shorter side spans `side` device units, so every size shows the same picture. Layers can be
drawn separately (an animation draws the static ones once and the dynamic ones every frame).
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable

import cairo

from ..scene import LAYERS, Line, Node, Scene
from .shapes import polygon


def pixel_size(scene: Scene, side: int) -> tuple[int, int]:
    """(width, height) in pixels of `scene` drawn with its shorter side `side` pixels."""
    k = side / scene.side
    return round(scene.width * k), round(scene.height * k)


def draw(
    ctx: cairo.Context,
    scene: Scene,
    side: float,
    layers: Iterable[str] = LAYERS,
    patterns: dict | None = None,
) -> None:
    """Draw `layers` of `scene` at the context's origin, its shorter side `side` device units.

    `patterns` keeps line gradients across calls, for animations (the caller bounds it)."""
    ctx.save()
    k = side / scene.side
    ctx.scale(k, k)
    patterns = {} if patterns is None else patterns
    for layer in layers:
        if layer == "paper":
            ctx.set_source_rgb(*scene.paper)
            ctx.rectangle(0, 0, scene.width, scene.height)
            ctx.fill()
        elif layer == "particles":
            _lines(ctx, scene.particles.lines, patterns)
            _nodes(ctx, scene.particles.nodes)
        elif layer == "pattern":
            _pattern(ctx, scene, k)
        elif layer == "frame":
            _frame(ctx, scene)
        elif layer == "lines":
            _network_lines(ctx, scene, patterns)
        elif layer == "nodes":
            _network_nodes(ctx, scene)
        else:
            raise ValueError(f"unknown layer {layer!r}; expected one of {', '.join(LAYERS)}")
    ctx.restore()


def image_surface(scene: Scene, side: int, layers: Iterable[str] = LAYERS) -> cairo.ImageSurface:
    """The scene drawn on a new opaque (RGB24) raster surface, its shorter side `side` pixels."""
    surface = cairo.ImageSurface(cairo.FORMAT_RGB24, *pixel_size(scene, side))
    draw(cairo.Context(surface), scene, side, layers)
    surface.flush()
    return surface


def pdf_bytes(scene: Scene, side: int) -> bytes:
    """The scene as a one-page PDF (shorter side `side` points), with fixed metadata."""
    buf = io.BytesIO()
    surface = cairo.PDFSurface(buf, *pixel_size(scene, side))
    meta = scene.meta_dict()
    if "Title" in meta:
        surface.set_metadata(cairo.PDFMetadata.TITLE, meta["Title"])
    surface.set_metadata(cairo.PDFMetadata.CREATOR, meta.get("Software", "artgen"))
    surface.set_metadata(
        cairo.PDFMetadata.SUBJECT, "; ".join(f"{k}={v}" for k, v in scene.meta if k != "Title")
    )
    # without a date Cairo writes the wall clock; the portrait's own time keeps bytes stable
    when = meta.get("time", "1970-01-01T00:00:00Z").rstrip("Z")
    surface.set_metadata(cairo.PDFMetadata.CREATE_DATE, when)
    draw(cairo.Context(surface), scene, side)
    surface.finish()
    return buf.getvalue()


def _pattern(ctx: cairo.Context, scene: Scene, k: float) -> None:
    """ORIGINAL 5: opaque pin-pricks or hairlines in the pattern colour, over the whole canvas."""
    p = scene.pattern
    if p.kind == "Plain":
        return
    ctx.save()
    ctx.set_source_rgb(*p.color)
    ctx.set_line_width(p.width)
    ctx.set_line_cap(cairo.LINE_CAP_ROUND)
    if p.kind == "Dotted":
        r = p.dot_radius_px / k  # not scaled: 0.4 device pixels at any size
        for y in p.ys:
            for x in p.xs:
                # q5's point: a full turn left open, its round caps meeting at the right
                ctx.new_sub_path()
                ctx.arc(x, y, r, 0.0, 2.0 * math.pi)
                ctx.stroke()
    else:
        for y in p.ys:  # ORIGINAL 5: horizontal lines first, then vertical, each its own stroke
            ctx.move_to(0.0, y)
            ctx.line_to(scene.width, y)
            ctx.stroke()
        for x in p.xs:
            ctx.move_to(x, 0.0)
            ctx.line_to(x, scene.height)
            ctx.stroke()
    ctx.restore()


def _frame(ctx: cairo.Context, scene: Scene) -> None:
    f = scene.frame
    if not f.visible or f.width <= 0:
        return
    w, h, b = scene.width, scene.height, f.width
    ctx.save()
    ctx.set_fill_rule(cairo.FILL_RULE_EVEN_ODD)
    ctx.rectangle(0, 0, w, h)
    ctx.rectangle(b, b, w - 2 * b, h - 2 * b)
    ctx.set_source_rgb(*f.color)
    ctx.fill()
    ctx.restore()


def _gradient(line: Line, cache: dict) -> cairo.LinearGradient:
    """One gradient per (axis, colours, opacity): lines of a column gap share it."""
    key = (line.g0, line.g1, line.color0, line.color1, line.opacity)
    pattern = cache.get(key)
    if pattern is None:
        pattern = cairo.LinearGradient(*line.g0, *line.g1)
        pattern.add_color_stop_rgba(0.0, *line.color0, line.opacity)
        pattern.add_color_stop_rgba(1.0, *line.color1, line.opacity)
        cache[key] = pattern
    return pattern


def _lines(ctx: cairo.Context, lines: tuple[Line, ...], cache: dict) -> None:
    # each line its own stroke, so crossing lines build up as the original's opacities do;
    # round ends, as the original's (ORIGINAL 12)
    ctx.set_line_cap(cairo.LINE_CAP_ROUND)
    for line in lines:
        ctx.set_source(_gradient(line, cache))
        ctx.set_line_width(line.width)
        ctx.move_to(line.x0, line.y0)
        ctx.line_to(line.x1, line.y1)
        ctx.stroke()


def _network_lines(ctx: cairo.Context, scene: Scene, cache: dict) -> None:
    """The lines; during the sweep, only left of its x (ORIGINAL 7: the rest is erased)."""
    if scene.line_clip is None:
        _lines(ctx, scene.lines, cache)
        return
    ctx.save()
    ctx.rectangle(0.0, 0.0, max(0.0, scene.line_clip), scene.height)
    ctx.clip()
    _lines(ctx, scene.lines, cache)
    ctx.restore()


def outline(ctx: cairo.Context, node: Node) -> None:
    """The node's closed outline as the current path, from its path start (see `shapes`)."""
    if node.shape == "circle":
        r = node.size / 2.0
        ctx.move_to(node.x + r, node.y)
        ctx.arc(node.x, node.y, r, 0.0, 2.0 * math.pi)
    else:
        points = polygon(node)
        ctx.move_to(*points[0])
        for x, y in points[1:]:
            ctx.line_to(x, y)
    ctx.close_path()


def _nodes(ctx: cairo.Context, nodes: tuple[Node, ...]) -> None:
    # set here, not left from the lines' round ends: a node looks the same drawn after them
    # (a still) or alone over a cached background (an animation frame), as on the canvas
    ctx.set_line_join(cairo.LINE_JOIN_MITER)
    ctx.set_line_cap(cairo.LINE_CAP_BUTT)
    for node in nodes:
        outline(ctx, node)
        if node.fill is not None and node.fill_opacity > 0:
            ctx.set_source_rgba(*node.fill, node.fill_opacity)
            ctx.fill_preserve()
        ctx.set_source_rgba(*node.stroke, node.stroke_opacity)
        ctx.set_line_width(node.stroke_width)
        if node.dash is not None:
            # ORIGINAL 4: dash = gap, from the path start; the canvas's round caps
            ctx.set_line_cap(cairo.LINE_CAP_ROUND)
            ctx.set_dash([node.dash, node.dash], 0.0)
        ctx.stroke()
        if node.dash is not None:
            ctx.set_dash([])
            ctx.set_line_cap(cairo.LINE_CAP_BUTT)


def _network_nodes(ctx: cairo.Context, scene: Scene) -> None:
    """The nodes; blinking ones erased from the node layer (ORIGINAL 7), so what lies under
    them shows through."""
    if not scene.erased:
        _nodes(ctx, scene.nodes)
        return
    ctx.push_group()
    _nodes(ctx, scene.nodes)
    ctx.set_operator(cairo.OPERATOR_CLEAR)
    for node in scene.erased:  # its fill and its outline at the normal stroke width
        outline(ctx, node)
        ctx.fill_preserve()
        ctx.set_line_width(node.stroke_width)
        ctx.stroke()
    ctx.set_operator(cairo.OPERATOR_OVER)
    ctx.pop_group_to_source()
    ctx.paint()
