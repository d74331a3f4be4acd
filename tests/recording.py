"""The drawing calls of a portrait, recorded from Cairo and from the browser's canvas.

Pixels hide small changes (a stroke 25% wider, a gradient turned round, a dash gone); the calls
do not. `cairo_strokes` draws a Scene through the Cairo backend on a recording proxy of a real
context; `canvas_strokes` draws it with the art's JavaScript on a canvas whose 2D context is
wrapped in the page. Both give the same `Paint` records, in device units, so one set of facts
can be asserted of both backends (tests/test_drawing.py; the fidelity rules may reuse them).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

import cairo

from artgen.render.cairo_backend import draw
from artgen.scene import LAYERS, Scene


@dataclass(frozen=True)
class Paint:
    """One stroke or fill as the backend issued it, in device units (pixels).

    `source` is ("rgba", (r, g, b, a)) or ("linear", (x0, y0, x1, y1), ((offset, r, g, b, a),
    ...)) or ("radial", ...); `dash` is ((on, off, ...), offset) in device units, or None for
    a solid line; `start` is the first point of the path painted (device units); `cap` the
    line cap a stroke ends with ("butt", "round" or "square"; None for a fill).
    """

    op: str  # "stroke" or "fill"
    layer: str
    source: tuple
    width: float
    dash: tuple | None
    start: tuple[float, float] | None
    cap: str | None = None


CAIRO_CAPS = {
    cairo.LINE_CAP_BUTT: "butt",
    cairo.LINE_CAP_ROUND: "round",
    cairo.LINE_CAP_SQUARE: "square",
}


class _Recorder:
    """A cairo.Context stand-in: forwards every call, and notes each paint with its state."""

    def __init__(self, ctx: cairo.Context, paints: list):
        self._ctx, self._paints, self.layer = ctx, paints, ""

    def __getattr__(self, name):
        return getattr(self._ctx, name)

    def _note(self, op: str) -> None:
        ctx = self._ctx
        scale = ctx.get_matrix().xx  # draw() scales uniformly, and only scales
        dashes, offset = ctx.get_dash()
        path = [points for kind, points in ctx.copy_path() if kind == cairo.PATH_MOVE_TO]
        start = ctx.user_to_device(*path[0]) if path else None
        self._paints.append(
            Paint(
                op,
                self.layer,
                _cairo_source(ctx.get_source(), ctx.get_matrix()),
                ctx.get_line_width() * scale,
                (tuple(d * scale for d in dashes), offset * scale) if dashes else None,
                start,
                CAIRO_CAPS[ctx.get_line_cap()] if op == "stroke" else None,
            )
        )

    def stroke(self):
        self._note("stroke")
        self._ctx.stroke()

    def fill(self):
        self._note("fill")
        self._ctx.fill()

    def fill_preserve(self):
        self._note("fill")
        self._ctx.fill_preserve()


def _cairo_source(pattern, matrix: cairo.Matrix) -> tuple:
    if isinstance(pattern, cairo.SolidPattern):
        return ("rgba", tuple(pattern.get_rgba()))
    stops = tuple(tuple(stop) for stop in pattern.get_color_stops_rgba())
    if isinstance(pattern, cairo.LinearGradient):
        x0, y0, x1, y1 = pattern.get_linear_points()
        return ("linear", (*matrix.transform_point(x0, y0), *matrix.transform_point(x1, y1)), stops)
    if isinstance(pattern, cairo.RadialGradient):
        return ("radial", pattern.get_radial_circles(), stops)
    return (type(pattern).__name__,)


def cairo_strokes(scene: Scene, side: int, layers=LAYERS) -> list[Paint]:
    """Every stroke and fill the Cairo backend makes to draw `layers` of `scene` at `side` px."""
    surface = cairo.ImageSurface(cairo.FORMAT_RGB24, side, side)
    paints: list[Paint] = []
    recorder = _Recorder(cairo.Context(surface), paints)
    for layer in layers:
        recorder.layer = layer
        draw(recorder, scene, side, (layer,))
    return paints


def scene_data(scene: Scene) -> dict:
    """The Scene as the art's JavaScript takes it (the fields of the dataclasses)."""
    return dataclasses.asdict(scene)


#: Wraps a canvas 2D context's painting calls; `record(layer)` then reads what they painted.
CANVAS_RECORDER = """
(() => {
  const paints = [], gradients = new WeakMap();
  const proto = CanvasRenderingContext2D.prototype, G = CanvasGradient.prototype;
  let layer = "";
  const linear = proto.createLinearGradient, radial = proto.createRadialGradient;
  const stop = G.addColorStop;
  proto.createLinearGradient = function (x0, y0, x1, y1) {
    const g = linear.apply(this, arguments), t = this.getTransform();
    const at = (x, y) => [t.a * x + t.c * y + t.e, t.b * x + t.d * y + t.f];
    gradients.set(g, {kind: "linear", points: at(x0, y0).concat(at(x1, y1)), stops: []});
    return g;
  };
  proto.createRadialGradient = function () {
    const g = radial.apply(this, arguments);
    gradients.set(g, {kind: "radial", points: Array.from(arguments), stops: []});
    return g;
  };
  G.addColorStop = function (offset, color) {
    const seen = gradients.get(this);
    if (seen) seen.stops.push([offset, color]);
    return stop.apply(this, arguments);
  };
  function note(ctx, op, style) {
    const t = ctx.getTransform(), scale = t.a;
    const g = typeof style === "string" ? null : gradients.get(style);
    const dash = ctx.getLineDash();
    paints.push({
      op, layer, width: ctx.lineWidth * scale,
      source: g ? [g.kind, g.points, g.stops] : ["css", String(style)],
      dash: dash.length ? [dash.map(d => d * scale), ctx.lineDashOffset * scale] : null,
      start: ctx.__start ? [t.a * ctx.__start[0] + t.e, t.d * ctx.__start[1] + t.f] : null,
      cap: op === "stroke" ? ctx.lineCap : null,
    });
  }
  const begin = proto.beginPath, move = proto.moveTo, strokeIt = proto.stroke, fillIt = proto.fill;
  proto.beginPath = function () { this.__start = null; return begin.apply(this, arguments); };
  proto.moveTo = function (x, y) {
    if (!this.__start) this.__start = [x, y];
    return move.apply(this, arguments);
  };
  proto.stroke = function () {
    note(this, "stroke", this.strokeStyle);
    return strokeIt.apply(this, arguments);
  };
  proto.fill = function () {
    note(this, "fill", this.fillStyle);
    return fillIt.apply(this, arguments);
  };
  window.__paints = paints;
  window.__layer = name => { layer = name; };
})();
"""

#: Draws a Scene (JSON) layer by layer with the art's engine on a fresh canvas; returns the paints.
CANVAS_DRAW = """([scene, side, layers]) => {
  const c = document.createElement("canvas"); c.width = c.height = side;
  const ctx = c.getContext("2d");
  window.__paints.length = 0;
  for (const layer of layers) {
    window.__layer(layer);
    Perceptron.drawScene(ctx, scene, side, [layer]);
  }
  return JSON.stringify(window.__paints);
}"""


def _css_rgba(text: str) -> tuple[float, ...]:
    """(r, g, b, a) in [0, 1] of a CSS rgba()/rgb() colour or #rrggbb as the canvas reports."""
    if text.startswith("#"):
        return tuple(int(text[i : i + 2], 16) / 255 for i in (1, 3, 5)) + (1.0,)
    inside = text[text.index("(") + 1 : text.rindex(")")]
    parts = [float(p) for p in inside.replace("/", ",").split(",")]
    return tuple(p / 255 for p in parts[:3]) + ((parts[3],) if len(parts) > 3 else (1.0,))


def canvas_strokes(page, scene: Scene, side: int, layers=LAYERS) -> list[Paint]:
    """Every stroke and fill the art's JavaScript makes to draw `scene` on a canvas, as Paint.

    `page` must have the engine loaded; the recorder is installed once per page."""
    if not page.evaluate("window.__paints !== undefined"):
        page.evaluate(CANVAS_RECORDER)
    raw = json.loads(page.evaluate(CANVAS_DRAW, [scene_data(scene), side, list(layers)]))
    paints = []
    for p in raw:
        kind = p["source"][0]
        if kind == "css":
            source = ("rgba", _css_rgba(p["source"][1]))
        else:
            stops = tuple((offset, *_css_rgba(color)) for offset, color in p["source"][2])
            source = (kind, tuple(p["source"][1]), stops)
        dash = (tuple(p["dash"][0]), p["dash"][1]) if p["dash"] else None
        start = tuple(p["start"]) if p["start"] else None
        paints.append(Paint(p["op"], p["layer"], source, p["width"], dash, start, p["cap"]))
    return paints
