"""A recorder of what a page draws on its canvases, for the browser tests.

`RECORDER` is an init script: it wraps some of CanvasRenderingContext2D's methods (text, arcs,
path starts, dashes, strokes) so that, while `window.__recordCanvas` is true, each call is kept
in `window.__canvasCalls`: its name, its arguments, its point in device pixels (the context's
transform applied), the context's scale, font, colours, alignment, text baseline and line
width, and the size of the canvas drawn on. `drawn(page, script)` runs `script` with the
recorder on and returns the calls made on canvases the size of the page's art; `drawn_texts`
keeps the fillText ones.
"""

from __future__ import annotations

RECORDER = """(() => {
  const calls = [];
  window.__canvasCalls = calls;
  const proto = CanvasRenderingContext2D.prototype;
  const methods = ["fillText", "strokeText", "arc", "moveTo", "lineTo", "closePath", "setLineDash",
                   "stroke"];
  for (const name of methods) {
    const real = proto[name];
    proto[name] = function (...args) {
      if (window.__recordCanvas) {
        const m = this.getTransform();
        const point = name.endsWith("Text") ? [args[1], args[2]] : [args[0], args[1]];
        const at = typeof point[0] === "number"
          ? [m.a * point[0] + m.c * point[1] + m.e, m.b * point[0] + m.d * point[1] + m.f] : null;
        calls.push({call: name, args: JSON.parse(JSON.stringify(args.filter(
                      a => typeof a !== "object" || Array.isArray(a)))),
                    text: name.endsWith("Text") ? String(args[0]) : null,
                    x: at && at[0], y: at && at[1], scale: m.a, font: this.font,
                    fill: String(this.fillStyle), stroke: String(this.strokeStyle),
                    align: this.textAlign, baseline: this.textBaseline,
                    lineWidth: this.lineWidth, lineCap: this.lineCap,
                    dash: this.getLineDash(), canvas: [this.canvas.width, this.canvas.height]});
      }
      return real.apply(this, args);
    };
  }
})();"""


def drawn(page, script: str, arg=None) -> list[dict]:
    """The recorded calls `script` (a JS function body of `arg`) makes on canvases the size of
    the page's art (the art's own, and the layers it composes)."""
    return page.evaluate(
        """([script, arg]) => {
             window.__canvasCalls.length = 0;
             window.__recordCanvas = true;
             try { new Function("arg", script)(arg); } finally { window.__recordCanvas = false; }
             const app = Perceptron.app;
             return window.__canvasCalls.filter(c => c.canvas[0] === app.canvas.width &&
                                                     c.canvas[1] === app.canvas.height); }""",
        [script, arg],
    )


def drawn_texts(page, script: str, arg=None) -> list[dict]:
    """The fillText calls of `drawn`."""
    return [c for c in drawn(page, script, arg) if c["call"] == "fillText"]


def texts(calls: list[dict]) -> list[str]:
    return [c["text"] for c in calls]
