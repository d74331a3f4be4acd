"""The Cairo backend: draws a Scene on any Cairo surface (raster, PDF, SVG).

The Scene is in units of a 1024-unit square; `draw` scales it to the surface's side, so
every size shows the same picture. Layers can be drawn separately (an animation draws the
static ones once and the dynamic ones every frame).
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Iterable

import cairo

from ..scene import LAYERS, Line, Node, Scene
from .shapes import HALO_STOPS, glow_radius, polygon

Halo = Callable[[cairo.Context, Node], None]


def draw(
    ctx: cairo.Context,
    scene: Scene,
    side: float,
    layers: Iterable[str] = LAYERS,
    halo: Halo | None = None,
    patterns: dict | None = None,
) -> None:
    """Draw `layers` of `scene` on a square of `side` device units at the context's origin.

    For animations: `halo(ctx, node)` draws a lit node's halo (default `draw_halo`; cached
    copies of the very same pixels will do), `patterns` keeps line gradients and node outlines
    across calls (the caller bounds it; a still's are dropped when it is drawn)."""
    ctx.save()
    ctx.scale(side / scene.side, side / scene.side)
    patterns = {} if patterns is None else patterns
    for layer in layers:
        if layer == "paper":
            ctx.set_source_rgb(*scene.paper)
            ctx.rectangle(0, 0, scene.side, scene.side)
            ctx.fill()
        elif layer == "pattern":
            _pattern(ctx, scene)
        elif layer == "frame":
            _frame(ctx, scene)
        elif layer == "lines":
            _lines(ctx, scene.lines, patterns)
        elif layer == "sweep":
            _lines(ctx, scene.sweep, patterns)
        elif layer == "nodes":
            _nodes(ctx, scene.nodes, draw_halo if halo is None else halo, patterns)
        elif layer == "particles":
            _lines(ctx, scene.particles.lines, patterns)
            _nodes(ctx, scene.particles.nodes, draw_halo if halo is None else halo, patterns)
        else:
            raise ValueError(f"unknown layer {layer!r}; expected one of {', '.join(LAYERS)}")
    ctx.restore()


def image_surface(scene: Scene, side: int, layers: Iterable[str] = LAYERS) -> cairo.ImageSurface:
    """The scene drawn on a new opaque (RGB24) raster surface of side x side pixels."""
    surface = cairo.ImageSurface(cairo.FORMAT_RGB24, side, side)
    draw(cairo.Context(surface), scene, side, layers)
    surface.flush()
    return surface


def pdf_bytes(scene: Scene, side: int) -> bytes:
    """The scene as a one-page PDF of side x side points, with fixed metadata (reproducible)."""
    buf = io.BytesIO()
    surface = cairo.PDFSurface(buf, side, side)
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


def svg_surface_bytes(scene: Scene, side: int) -> bytes:
    """The scene through Cairo's own SVGSurface (no node ids; `artgen.render.svg` has them)."""
    buf = io.BytesIO()
    surface = cairo.SVGSurface(buf, side, side)
    surface.set_document_unit(cairo.SVGUnit.PX)
    draw(cairo.Context(surface), scene, side)
    surface.finish()
    return buf.getvalue()


def _pattern(ctx: cairo.Context, scene: Scene) -> None:
    p = scene.pattern
    if p.kind == "Plain" or p.opacity <= 0:
        return
    ctx.save()
    x0, y0, x1, y1 = p.clip
    ctx.rectangle(x0, y0, x1 - x0, y1 - y0)
    ctx.clip()
    ctx.set_source_rgba(*p.color, p.opacity)
    if p.kind == "Dotted":
        for y in p.ys:
            for x in p.xs:
                ctx.move_to(x + p.mark, y)
                ctx.arc(x, y, p.mark, 0.0, 2.0 * math.pi)
                ctx.close_path()
        ctx.fill()
    else:  # one path, so crossings are no darker than the lines
        for x in p.xs:
            ctx.move_to(x, y0)
            ctx.line_to(x, y1)
        for y in p.ys:
            ctx.move_to(x0, y)
            ctx.line_to(x1, y)
        ctx.set_line_width(p.mark)
        ctx.stroke()
    ctx.restore()


def _frame(ctx: cairo.Context, scene: Scene) -> None:
    f = scene.frame
    if not f.visible or f.width <= 0:
        return
    s, w = scene.side, f.width
    ctx.save()
    ctx.set_fill_rule(cairo.FILL_RULE_EVEN_ODD)
    ctx.rectangle(0, 0, s, s)
    ctx.rectangle(w, w, s - 2 * w, s - 2 * w)
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
    ctx.set_line_cap(cairo.LINE_CAP_BUTT)
    # each line its own stroke, so crossing lines build up as the SPEC's opacities intend
    for line in lines:
        ctx.set_source(_gradient(line, cache))
        ctx.set_line_width(line.width)
        ctx.move_to(line.x0, line.y0)
        ctx.line_to(line.x1, line.y1)
        ctx.stroke()


def _outline(ctx: cairo.Context, node: Node, cache: dict) -> None:
    if node.shape == "circle":
        r = node.size / 2.0
        ctx.move_to(node.x + r, node.y)
        ctx.arc(node.x, node.y, r, 0.0, 2.0 * math.pi)
    else:
        points = cache.get(node)  # an animation draws the same nodes every frame
        if points is None:
            points = cache[node] = polygon(node)
        ctx.move_to(*points[0])
        for x, y in points[1:]:
            ctx.line_to(x, y)
    ctx.close_path()


def halo_gradient(node: Node) -> cairo.RadialGradient:
    """A lit node's halo colours: a radial gradient in its colour, over `glow_radius`."""
    halo = cairo.RadialGradient(node.x, node.y, 0.0, node.x, node.y, glow_radius(node))
    for offset, opacity in HALO_STOPS:
        halo.add_color_stop_rgba(offset, *node.stroke, opacity * node.glow)
    return halo


def draw_halo(ctx: cairo.Context, node: Node) -> None:
    """A lit node's halo: its gradient filling a disc (the path is empty before and after)."""
    ctx.set_source(halo_gradient(node))
    ctx.arc(node.x, node.y, glow_radius(node), 0.0, 2.0 * math.pi)
    ctx.fill()


def _nodes(ctx: cairo.Context, nodes: tuple[Node, ...], halo: Halo, cache: dict) -> None:
    ctx.set_line_join(cairo.LINE_JOIN_MITER)
    ctx.set_line_cap(cairo.LINE_CAP_BUTT)
    for node in nodes:
        if node.glow > 0:
            halo(ctx, node)
        _outline(ctx, node, cache)
        if node.fill is not None and node.fill_opacity > 0:
            ctx.set_source_rgba(*node.fill, node.fill_opacity)
            ctx.fill_preserve()
        ctx.set_source_rgba(*node.stroke, node.stroke_opacity)
        ctx.set_line_width(node.stroke_width)
        if node.dash is not None:
            on, off, offset = node.dash
            ctx.set_dash([on, off], offset)
        ctx.stroke()
        if node.dash is not None:
            ctx.set_dash([])
