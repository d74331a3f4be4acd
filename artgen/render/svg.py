"""SVG export written straight from the Scene: small, readable, with one group per layer.

Every network node is `<g class="node" id="n{column}-{index}">`, lines share one gradient per
column gap, and numbers are rounded to 1/1000 u. The picture matches the Cairo backend's
(same Scene, same outlines, same dashes); the document's viewBox is the Scene's canvas in
units and its width and height the requested pixel size (shorter side `side`).
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from ..scene import Line, Node, Scene
from .shapes import polygon


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


def _lines(lines: tuple[Line, ...], defs: _Defs, group: str, clip: str = "") -> str:
    out = [f'<g id="{group}" fill="none" stroke-linecap="round"{clip}>']
    for ln in lines:
        out.append(
            f'<path d="M{_n(ln.x0)} {_n(ln.y0)}L{_n(ln.x1)} {_n(ln.y1)}" '
            f'stroke="url(#{defs.linear(ln)})" stroke-opacity="{_n(ln.opacity)}" '
            f'stroke-width="{_n(ln.width)}"/>'
        )
    out.append("</g>")
    return "\n".join(out)


def _outline(node: Node) -> str:
    """An outline starting where the original's path starts (see `artgen.render.shapes`): an
    SVG circle starts at its rightmost point and runs clockwise on screen, as the original's."""
    if node.shape == "circle":
        return f'<circle cx="{_n(node.x)}" cy="{_n(node.y)}" r="{_n(node.size / 2)}"'
    points = polygon(node)
    d = "M" + "L".join(f"{_n(x)} {_n(y)}" for x, y in points) + "Z"
    return f'<path d="{d}"'


def _node(node: Node, css_class: str) -> str:
    parts = [f'<g class="{css_class}" id="{node.id}">']
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
        attrs.append(f'stroke-dasharray="{_n(node.dash)}" stroke-linecap="round"')
    parts.append(" ".join(attrs) + "/>")
    parts.append("</g>")
    return "".join(parts)


def _pattern(scene: Scene, k: float) -> str:
    p = scene.pattern
    if p.kind == "Plain":
        return '<g id="pattern"/>'
    if p.kind == "Dotted":
        r = p.dot_radius_px / k  # not scaled: 0.4 device pixels at any size
        d = "".join(
            f"M{_n(x - r)} {_n(y)}a{_n(r)} {_n(r)} 0 1 0 {_n(2 * r)} 0a{_n(r)} {_n(r)} 0 1 0 "
            f"{_n(-2 * r)} 0Z"
            for y in p.ys
            for x in p.xs
        )
    else:
        d = "".join(f"M0 {_n(y)}H{_n(scene.width)}" for y in p.ys)
        d += "".join(f"M{_n(x)} 0V{_n(scene.height)}" for x in p.xs)
    return (
        f'<g id="pattern"><path d="{d}" fill="none" stroke="{_hex(p.color)}" '
        f'stroke-width="{_n(p.width)}" stroke-linecap="round"/></g>'
    )


def _frame(scene: Scene) -> str:
    f, w, h = scene.frame, scene.width, scene.height
    if not f.visible or f.width <= 0:
        return '<g id="frame"/>'
    b = f.width
    d = f"M0 0H{_n(w)}V{_n(h)}H0Z M{_n(b)} {_n(b)}V{_n(h - b)}H{_n(w - b)}V{_n(b)}Z"
    return f'<g id="frame"><path d="{d}" fill="{_hex(f.color)}" fill-rule="evenodd"/></g>'


def _erase_mask(scene: Scene) -> str:
    """A mask that erases the blinking nodes' shapes from the node layer (ORIGINAL 7)."""
    shapes = "".join(
        f'{_outline(n)} fill="black" stroke="black" stroke-width="{_n(n.stroke_width)}"/>'
        for n in scene.erased
    )
    return (
        f'<mask id="blink" maskUnits="userSpaceOnUse" x="0" y="0" width="{_n(scene.width)}" '
        f'height="{_n(scene.height)}"><rect width="{_n(scene.width)}" '
        f'height="{_n(scene.height)}" fill="white"/>{shapes}</mask>'
    )


def svg_bytes(scene: Scene, side: int) -> bytes:
    """The scene as an SVG document, its shorter side `side` pixels (UTF-8)."""
    defs = _Defs()
    k = side / scene.side
    w, h = _n(scene.width), _n(scene.height)
    extra = []
    clip = ""
    if scene.line_clip is not None:
        extra.append(
            f'<clipPath id="sweep"><rect width="{_n(max(0.0, scene.line_clip))}" '
            f'height="{h}"/></clipPath>'
        )
        clip = ' clip-path="url(#sweep)"'
    blink = ""
    if scene.erased:
        extra.append(_erase_mask(scene))
        blink = ' mask="url(#blink)"'
    body = [
        f'<g id="paper"><rect width="{w}" height="{h}" fill="{_hex(scene.paper)}"/></g>',
        _lines(scene.particles.lines, defs, "particle-lines"),
        '<g id="particle-nodes">',
        *(_node(n, "particle") for n in scene.particles.nodes),
        "</g>",
        _pattern(scene, k),
        _frame(scene),
        _lines(scene.lines, defs, "lines", clip),
        f'<g id="nodes"{blink}>',
        *(_node(n, "node") for n in scene.nodes),
        "</g>",
    ]
    meta = scene.meta_dict()
    title = escape(meta.get("Title", "Perceptron"))
    description = escape("; ".join(f"{k}={v}" for k, v in scene.meta if k != "Title"))
    width_px, height_px = round(scene.width * k), round(scene.height * k)
    head = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width_px}" height="{height_px}" '
        f'viewBox="0 0 {w} {h}" data-stage={quoteattr(scene.stage)}>',
        f"<title>{title}</title>",
        f"<desc>{description}</desc>",
        "<defs>",
        *extra,
        *defs.items,
        "</defs>",
    ]
    return ("\n".join(head + body + ["</svg>"]) + "\n").encode("utf-8")
