"""The art page's frame in Chromium: what it costs to draw, against a full redraw.

The page runs at the original's 60 Hz clock, so a frame must cost well under 16.7 ms. It draws
from cached layers (the paper, pattern, frame and lines of each reveal step on one opaque
canvas, the lines' own layer during the sweep) and redraws only the nodes, erasing the blinking
ones. The baseline, measured in the same page: the same frame drawn whole, every layer from
the scene (what Cairo does, and what an export does). A large network (six hidden layers of
30: 4,560 lines) in a 1600 x 900 window, through the whole reveal, the idle blink and the
whole sweep (the baseline on every 6th or 10th of those frames).
Run: python bench/page.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np
from playwright.sync_api import sync_playwright

from artgen.chain import from_values
from artgen.inscription import standalone_html
from artgen.model import build_model, dumps_model
from artgen.tables import default_tables
from artgen.traits import sample_traits

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
HIDDEN = (30,) * 6
WINDOW = {"width": 1600, "height": 900}
FRAME_BUDGET_MS = 1000 / 60

RUN = """() => {
  const P = Perceptron, a = P.app;
  a.paused = true;
  const ctx = a.canvas.getContext("2d"), side = Math.min(a.canvas.width, a.canvas.height);
  const settle = () => ctx.getImageData(0, 0, 1, 1);  // wait for the drawing to be done
  const columns = a.stillScene.column_x.length;
  // the frame drawn whole from the scene, as an export draws it
  const whole = k => {
    const o = a.options(k);
    const scene = P.frameOf(a.stillScene, {erased: o.erased, line_clip: o.line_clip});
    if (o.reveal !== null) {
      scene.nodes = scene.nodes.filter(n => n.column < Math.min(o.reveal, columns));
      scene.lines = scene.lines.filter(l => l.gap < o.reveal - columns);
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    P.drawScene(ctx, scene, side);
  };
  // milliseconds a frame over every `step`-th frame of k0 .. k1 - 1, the best of 3 runs
  const time = (k0, k1, step, draw) => {
    let best = Infinity;
    for (let run = 0; run < 3; run++) {
      const start = performance.now();
      let n = 0;
      for (let k = k0; k < k1; k += step, n++) draw(k);
      settle();
      best = Math.min(best, (performance.now() - start) / n);
    }
    return best;
  };
  const page = k => a.frameAt(k), out = {lines: a.stillScene.lines.length};
  const reveal = a.timeline.revealFrames, idle = reveal + 30;
  out.reveal = [time(0, reveal, 1, page), time(0, reveal, 10, whole)];
  out.idle = [time(idle, idle + 120, 1, page), time(idle, idle + 120, 6, whole)];
  a.frameAt(idle + 200);
  a.classifyPixels(new Uint8Array(a.model.inputSize));
  const sweep = a.setupFrame + a.sweep.r0, end = a.setupFrame + a.sweep.line.length;
  out.sweep = [time(sweep, end, 1, page), time(sweep, end, 10, whole)];
  return out;
}"""


def main() -> int:
    traits = sample_traits(1, 35)
    rng = np.random.default_rng(0)
    sizes = (6 * 5 * 3, *HIDDEN, 3)
    weights = [
        (rng.normal(0, 0.3, (n, u)).astype(np.float32), np.zeros(u, np.float32))
        for n, u in zip(sizes[:-1], sizes[1:], strict=True)
    ]
    model = build_model("bench", (6, 5), HIDDEN, "relu", ("a", "b", "c"), weights, {})
    chain = from_values("2025-10-07T00:00:00Z", 12.4)  # token 35 is Stable then
    html = standalone_html(traits, dumps_model(model), chain, tables=default_tables())
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as p:
        path = Path(folder) / "page.html"
        path.write_text(html)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport=WINDOW)
        page.goto(path.as_uri())
        page.wait_for_function("window.Perceptron && Perceptron.ready")
        page.evaluate("Perceptron.ready")
        result = page.evaluate(RUN)
        browser.close()
    print(f"page frame, {len(HIDDEN)} hidden layers of {HIDDEN[0]} ({result['lines']:,} lines), "
          f"{WINDOW['width']} x {WINDOW['height']}, Chromium (software)")  # fmt: skip
    print("baseline: the frame drawn whole; page: cached layers, the nodes redrawn")
    for phase in ("reveal", "idle", "sweep"):
        page_ms, whole_ms = result[phase]
        print(
            f"{phase:<7} page {page_ms:7.2f} ms  whole {whole_ms:8.2f} ms  "
            f"ratio {whole_ms / page_ms:6.1f}x  (budget {FRAME_BUDGET_MS:.1f} ms a frame)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
