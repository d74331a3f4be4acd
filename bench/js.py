"""The art inscription's forward pass in Chromium, against the original project's style.

Baseline, measured in the same page: the original JavaScript's way (reimplemented here):
the image as nested [H][W][3] arrays flattened into a new array, the weights as arrays of
arrays, and a new array for every operation (rescale, matrix product by map/reduce over
columns, bias, activation, life mask, softmax). The engine: flat Float64Array weights decoded
once, preallocated buffers, loops over typed arrays, no per-operation copies. Both run the
reference model (tests/fixtures/artblocks_classifier_model.json) on the same pixels with a life
mask; the outputs must agree to 1e-12. Goal: 20x or faster. Run: python bench/js.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from artgen.inscription import engine_js

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "tests/fixtures/artblocks_classifier_model.json"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
GOAL = 20.0

# The original project's style: arrays of arrays, a copy per operation.
BASELINE = r"""
function baselineModel(model) {
  // weights as arrays of arrays (rows = inputs), biases as arrays, from the decoded layers
  return model.dense.map(d => {
    const rows = [];
    for (let i = 0; i < d.inputs; i++) {
      const row = [];
      for (let j = 0; j < d.units; j++) row.push(d.weights[j * d.inputs + i]);
      rows.push(row);
    }
    return {weights: rows, bias: Array.from(d.bias), activation: d.activation};
  });
}
const ACT = {
  relu: v => Math.max(v, 0), leaky_relu: v => (v >= 0 ? v : 0.2 * v), tanh: v => Math.tanh(v),
  sigmoid: v => 0.5 + 0.5 * Math.tanh(0.5 * v), linear: v => v, softmax: v => v,
};
function baselineForward(layers, image, scale, offset, life) {
  let x = image.flat(2);                                   // copy: [H][W][3] -> flat
  x = x.map(p => p * scale + offset);                      // copy: rescale
  layers.forEach((layer, l) => {
    const cols = layer.weights[0].map((_, j) => j);
    let z = cols.map(j => x.reduce((s, v, i) => s + v * layer.weights[i][j], 0));  // copy
    z = z.map((v, j) => v + layer.bias[j]);                // copy: bias
    z = z.map(ACT[layer.activation]);                      // copy: activation
    if (life && l < layers.length - 1) z = z.map((v, j) => v * life[l][j]);  // copy: life
    x = z;
  });
  const top = Math.max(...x);
  const e = x.map(v => Math.exp(v - top));                 // copy
  const total = e.reduce((a, b) => a + b, 0);
  return e.map(v => v / total);                            // copy
}
"""

RUN = r"""
([text, pixels, lives, h, w, repeats]) => {
  const P = Perceptron, model = P.parseModel(text), layers = baselineModel(model);
  const image = [];
  for (let y = 0; y < h; y++) {
    const row = [];
    for (let x = 0; x < w; x++) row.push(pixels.slice((y * w + x) * 3, (y * w + x) * 3 + 3));
    image.push(row);
  }
  const flat = new Uint8Array(pixels);
  const time = (fn) => {  // microseconds per call: the best of `repeats` runs of 0.2 s
    let best = Infinity;
    for (let r = 0; r < repeats; r++) {
      let runs = 0, start = performance.now(), now = start;
      while (now - start < 200) {
        for (let k = 0; k < 10; k++) fn();
        runs += 10;
        now = performance.now();
      }
      best = Math.min(best, (now - start) / runs * 1000);
    }
    return best;
  };
  return lives.map(life => {
    const a = baselineForward(layers, image, model.scale, model.offset, life);
    const b = Array.from(P.forward(model, flat, life));
    const diff = Math.max(...a.map((v, i) => Math.abs(v - b[i])));
    const base = () => baselineForward(layers, image, model.scale, model.offset, life);
    const engine = () => P.forward(model, flat, life);
    time(base); time(engine);  // warm up
    return {baseline: time(base), engine: time(engine), diff};
  });
}
"""


def main() -> int:
    text = REFERENCE.read_text()
    doc = json.loads(text)
    h, w = doc["layers_config"]["config"]["layers"][0]["config"]["batch_input_shape"][1:3]
    pixels = [(i * 37 + i // 7) % 256 for i in range(h * w * 3)]
    lives = {
        "every neuron alive": None,
        "Growing, 2 in 3 alive": [[float(j % 3 != 0) for j in range(n)] for n in (15, 12)],
    }
    page_html = f"<!doctype html><meta charset=utf-8><script>{engine_js()}</script>"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.set_content(page_html)
        page.add_script_tag(content=BASELINE)
        results = page.evaluate(RUN, [text, pixels, list(lives.values()), h, w, 7])
        browser.close()
    print(f"forward pass, reference model {h}x{w}x3 -> 15 -> 12 -> 20, one image, Chromium")
    print("baseline: arrays of arrays, a copy per operation; engine: flat typed arrays, no copies")
    worst = 0.0
    for name, result in zip(lives, results, strict=True):
        ratio = result["baseline"] / result["engine"]
        print(
            f"{name:<22} baseline {result['baseline']:8.1f} us  engine {result['engine']:7.1f} us"
            f"  ratio {ratio:5.1f}x (goal {GOAL:.0f}x)  largest difference {result['diff']:.1e}"
        )
        worst = max(worst, result["diff"])
    if worst > 1e-12:
        print("bench/js: the outputs differ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
