"""SVG export written straight from the Scene: small, readable, with one group per layer.

Every network node is `<g class="node" id="n{column}-{index}">`, lines share one gradient per
column gap, and numbers are rounded to 1/1000 u. The picture matches the Cairo backend's
(same Scene, same outlines, same dash offsets); the document's viewBox is the Scene's
1024-unit square and its width and height the requested pixel size.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from ..scene import Line, Node, Scene
from .shapes import HALO_STOPS, glow_radius, polygon


def _n(v: float) -> str:
    """A number with at most 3 decimals and no trailing zeros."""
    text = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _hex(rgb) -> str:
    return "#" + "".join(f"{min(255, max(0, round(c * 255))):02x}" for c in rgb)


class _Defs:
    """Gradient definitions, each written once and referred to by id."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.ids: dict = {}

    def linear(self, line: Line) -> str:
        key = ("l", line.g0, line.g1, line.color0, line.color1)
        if key not in self.ids:
            gid = f"g{len(self.ids)}"
            self.ids[key] = gid
            (x1, y1), (x2, y2) = line.g0, line.g1
            self.items.append(
                f'<linearGradient id="{gid}" gradientUnits="userSpaceOnUse" x1="{_n(x1)}" '
                f'y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}"><stop offset="0" '
                f'stop-color="{_hex(line.color0)}"/><stop offset="1" '
                f'stop-color="{_hex(line.color1)}"/></linearGradient>'
            )
        return self.ids[key]

    def halo(self, color) -> str:
        key = ("r", color)
        if key not in self.ids:
            gid = f"g{len(self.ids)}"
            self.ids[key] = gid
            stops = "".join(
                f'<stop offset="{_n(o)}" stop-color="{_hex(color)}" stop-opacity="{_n(a)}"/>'
                for o, a in HALO_STOPS
            )
            self.items.append(f'<radialGradient id="{gid}">{stops}</radialGradient>')
        return self.ids[key]


def _lines(lines: tuple[Line, ...], defs: _Defs, group: str) -> str:
    out = [f'<g id="{group}" fill="none" stroke-linecap="butt">']
    for ln in lines:
        out.append(
            f'<path d="M{_n(ln.x0)} {_n(ln.y0)}L{_n(ln.x1)} {_n(ln.y1)}" '
            f'stroke="url(#{defs.linear(ln)})" stroke-opacity="{_n(ln.opacity)}" '
            f'stroke-width="{_n(ln.width)}"/>'
        )
    out.append("</g>")
    return "\n".join(out)


def _outline(node: Node) -> str:
    if node.shape == "circle":
        return f'<circle cx="{_n(node.x)}" cy="{_n(node.y)}" r="{_n(node.size / 2)}"'
    points = polygon(node)
    d = "M" + "L".join(f"{_n(x)} {_n(y)}" for x, y in points) + "Z"
    return f'<path d="{d}"'


def _node(node: Node, defs: _Defs, css_class: str) -> str:
    parts = [f'<g class="{css_class}" id="{node.id}">']
    if node.glow > 0:
        parts.append(
            f'<circle cx="{_n(node.x)}" cy="{_n(node.y)}" r="{_n(glow_radius(node))}" '
            f'fill="url(#{defs.halo(node.stroke)})" opacity="{_n(node.glow)}"/>'
        )
    attrs = [_outline(node)]
    if node.fill is None or node.fill_opacity <= 0:
        attrs.append('fill="none"')
    else:
        attrs.append(f'fill="{_hex(node.fill)}" fill-opacity="{_n(node.fill_opacity)}"')
    attrs.append(
        f'stroke="{_hex(node.stroke)}" stroke-opacity="{_n(node.stroke_opacity)}" '
        f'stroke-width="{_n(node.stroke_width)}"'
    )
    if node.dash is not None:
        on, off, offset = node.dash
        attrs.append(f'stroke-dasharray="{_n(on)} {_n(off)}" stroke-dashoffset="{_n(offset)}"')
    parts.append(" ".join(attrs) + "/>")
    parts.append("</g>")
    return "".join(parts)


def _pattern(scene: Scene) -> str:
    p = scene.pattern
    if p.kind == "Plain" or p.opacity <= 0:
        return '<g id="pattern"/>'
    x0, y0, x1, y1 = p.clip
    if p.kind == "Dotted":
        r = _n(p.mark)
        d = "".join(
            f"M{_n(x - p.mark)} {_n(y)}a{r} {r} 0 1 0 {_n(2 * p.mark)} 0a{r} {r} 0 1 0 "
            f"{_n(-2 * p.mark)} 0Z"
            for y in p.ys
            for x in p.xs
        )
        body = f'<path d="{d}" fill="{_hex(p.color)}" fill-opacity="{_n(p.opacity)}"/>'
    else:
        d = "".join(f"M{_n(x)} {_n(y0)}V{_n(y1)}" for x in p.xs)
        d += "".join(f"M{_n(x0)} {_n(y)}H{_n(x1)}" for y in p.ys)
        body = (
            f'<path d="{d}" fill="none" stroke="{_hex(p.color)}" '
            f'stroke-opacity="{_n(p.opacity)}" stroke-width="{_n(p.mark)}"/>'
        )
    return f'<g id="pattern" clip-path="url(#inside)">{body}</g>'


def _frame(scene: Scene) -> str:
    f, s = scene.frame, scene.side
    if not f.visible or f.width <= 0:
        return '<g id="frame"/>'
    w = f.width
    d = f"M0 0H{_n(s)}V{_n(s)}H0Z M{_n(w)} {_n(w)}V{_n(s - w)}H{_n(s - w)}V{_n(w)}Z"
    return f'<g id="frame"><path d="{d}" fill="{_hex(f.color)}" fill-rule="evenodd"/></g>'


def svg_bytes(scene: Scene, side: int) -> bytes:
    """The scene as an SVG document of side x side pixels (UTF-8)."""
    defs = _Defs()
    s = _n(scene.side)
    x0, y0, x1, y1 = scene.pattern.clip
    body = [
        f'<g id="paper"><rect width="{s}" height="{s}" fill="{_hex(scene.paper)}"/></g>',
        _pattern(scene),
        _frame(scene),
        _lines(scene.lines, defs, "lines"),
        _lines(scene.sweep, defs, "sweep"),
        '<g id="nodes">',
        *(_node(n, defs, "node") for n in scene.nodes),
        "</g>",
        _lines(scene.particles.lines, defs, "particle-lines"),
        '<g id="particle-nodes">',
        *(_node(n, defs, "particle") for n in scene.particles.nodes),
        "</g>",
    ]
    meta = scene.meta_dict()
    title = escape(meta.get("Title", "Perceptron"))
    description = escape("; ".join(f"{k}={v}" for k, v in scene.meta if k != "Title"))
    clip = (
        f'<clipPath id="inside"><rect x="{_n(x0)}" y="{_n(y0)}" width="{_n(x1 - x0)}" '
        f'height="{_n(y1 - y0)}"/></clipPath>'
    )
    head = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{side}" height="{side}" '
        f'viewBox="0 0 {s} {s}" data-stage={quoteattr(scene.stage)}>',
        f"<title>{title}</title>",
        f"<desc>{description}</desc>",
        "<defs>",
        clip,
        *defs.items,
        "</defs>",
    ]
    return ("\n".join(head + body + ["</svg>"]) + "\n").encode("utf-8")
