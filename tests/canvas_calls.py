"""A recorder of the text a page draws on its canvases, for the browser tests.

`RECORDER` is an init script: it wraps CanvasRenderingContext2D's fillText and strokeText so
that, while `window.__recordCanvas` is true, each call is kept in `window.__canvasCalls` with its
text, its place in device pixels (the context's transform applied), its font, colour and
alignment, and the size of the canvas drawn on. `drawn_texts(page, script)` runs `script` with
the recorder on and returns the calls made on canvases of the page's art.
"""

from __future__ import annotations

RECORDER = """(() => {
  const calls = [];
  window.__canvasCalls = calls;
  const proto = CanvasRenderingContext2D.prototype;
  for (const name of ["fillText", "strokeText"]) {
    const real = proto[name];
    proto[name] = function (text, x, y, ...rest) {
      if (window.__recordCanvas) {
        const m = this.getTransform();
        calls.push({call: name, text: String(text), x: m.a * x + m.c * y + m.e,
                    y: m.b * x + m.d * y + m.f, scale: m.a, font: this.font,
                    fill: String(this.fillStyle), align: this.textAlign,
                    canvas: [this.canvas.width, this.canvas.height]});
      }
      return real.call(this, text, x, y, ...rest);
    };
  }
})();"""


def drawn_texts(page, script: str, arg=None) -> list[dict]:
    """The fillText calls `script` (a JS function body of `arg`) makes on the art's canvas."""
    calls = page.evaluate(
        """([script, arg]) => {
             window.__canvasCalls.length = 0;
             window.__recordCanvas = true;
             try { new Function("arg", script)(arg); } finally { window.__recordCanvas = false; }
             const app = Perceptron.app;
             return window.__canvasCalls.filter(c => c.canvas[0] === app.canvas.width &&
                                                     c.canvas[1] === app.canvas.height); }""",
        [script, arg],
    )
    return [c for c in calls if c["call"] == "fillText"]


def texts(calls: list[dict]) -> list[str]:
    return [c["text"] for c in calls]
