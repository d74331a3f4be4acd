"""The art inscription's forward pass in Chromium, against the original project's style.

Baseline, measured in the same page: the original project's template (its "tensorfake" and
Perceptron code), reimplemented here in the same style: a matrix class of arrays of arrays,
every operation returning a new matrix copied by flattening and refilling, scalars and rows
broadcast by index modulo, a triple-loop matrix product accumulating into the result's cells,
and the life mask multiplied after every hidden layer. The engine: weights decoded once,
preallocated buffers, no per-operation copies; its default path runs the dense products in
its WebAssembly SIMD kernel (float64, artgen/inscription/engine/kernel.wat), its JavaScript fallback
(loops over typed arrays) is timed too, for information. All run the reference model
(tests/fixtures/artblocks_classifier_model.json) on the same pixels and life masks; the
outputs must agree to 1e-12. Goal: 20x or faster on the default path. It also prints the
engine's size as inscribed (`make engine` prints the built script's size after brotli).
Run: python bench/js.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from goals import finish, goal
from playwright.sync_api import sync_playwright

from artgen.inscription import engine_data, engine_js

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "tests/fixtures/artblocks_classifier_model.json"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
GOAL = 20.0

# The original project's style, reimplemented (see the comment at its top).
BASELINE = r"""
// The original project's style, reimplemented: a matrix class holding arrays of arrays, every
// operation returning a new matrix (copied by flattening and refilling), scalars and rows
// broadcast by index modulo, a triple-loop product accumulating into the result's cells.
class Mat {
  constructor(values, rows, cols) {
    this.rows = rows;
    this.cols = cols;
    this.cells = [];
    let at = 0;
    for (let r = 0; r < rows; r++) {
      const row = [];
      for (let c = 0; c < cols; c++, at++) row.push(at < values.length ? values[at] : 0.0);
      this.cells.push(row);
    }
  }
  clone() { return new Mat(this.cells.flat(), this.rows, this.cols); }
}
const Ops = {
  map(a, fn) {
    const out = a.clone();
    for (let r = 0; r < out.rows; r++) {
      for (let c = 0; c < out.cols; c++) out.cells[r][c] = fn(out.cells[r][c]);
    }
    return out;
  },
  zip(a, b, fn) {
    if (typeof b !== "object") b = new Mat([b], 1, 1);
    const out = a.clone();
    for (let r = 0; r < out.rows; r++) {
      for (let c = 0; c < out.cols; c++) {
        out.cells[r][c] = fn(out.cells[r][c], b.cells[r % b.rows][c % b.cols]);
      }
    }
    return out;
  },
  add: (a, b) => Ops.zip(a, b, (u, v) => u + v),
  mul: (a, b) => Ops.zip(a, b, (u, v) => u * v),
  matmul(a, b) {
    const out = new Mat([], a.rows, b.cols);
    for (let r = 0; r < out.rows; r++) {
      for (let c = 0; c < out.cols; c++) {
        for (let k = 0; k < a.cols; k++) out.cells[r][c] += a.cells[r][k] * b.cells[k][c];
      }
    }
    return out;
  },
  softmax(a) {
    const out = Ops.map(a, Math.exp);
    const total = out.cells.flat().reduce((u, v) => u + v);
    for (let r = 0; r < a.rows; r++) {
      for (let c = 0; c < a.cols; c++) out.cells[r][c] /= total;
    }
    return out;
  },
};
const ACT = {
  relu: v => Math.max(v, 0), leaky_relu: v => (v > 0 ? v : v * 0.2), tanh: v => Math.tanh(v),
  sigmoid: v => 1 / (1 + Math.exp(-v)), linear: v => v, softmax: v => v,
};
function baselineModel(model) {
  // kernels as [inputs][units] matrices and biases as [1][units], from the decoded layers
  return model.dense.map(d => {
    const flat = [];
    for (let i = 0; i < d.inputs; i++) {
      for (let j = 0; j < d.units; j++) flat.push(d.weights[j * d.inputs + i]);
    }
    return {w: new Mat(flat, d.inputs, d.units), b: new Mat(Array.from(d.bias), 1, d.units),
            act: ACT[d.activation]};
  });
}
function baselineForward(layers, pixels, scale, offset, life) {
  let x = new Mat(pixels, 1, pixels.length);
  x = Ops.add(Ops.mul(x, scale), offset);
  layers.forEach((layer, l) => {
    x = Ops.map(Ops.add(Ops.matmul(x, layer.w), layer.b), layer.act);
    if (l < layers.length - 1) x = Ops.mul(x, new Mat(life[l], 1, x.cols));
  });
  return Ops.softmax(x).cells[0];
}
"""

RUN = r"""
([text, pixels, lives, h, w, repeats]) => {
  const P = Perceptron, model = P.parseModel(text), layers = baselineModel(model);
  const fallback = P.parseModel(text, null, {wasm: false});
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
  const largest = (a, b) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));
  return {kernel: model.kernel, fallback: fallback.kernel, cases: lives.map(life => {
    const a = baselineForward(layers, pixels, model.scale, model.offset, life);
    const b = Array.from(P.forward(model, flat, life));
    const c = Array.from(P.forward(fallback, flat, life));
    const base = () => baselineForward(layers, pixels, model.scale, model.offset, life);
    const engine = () => P.forward(model, flat, life);
    const js = () => P.forward(fallback, flat, life);
    time(base); time(engine); time(js);  // warm up (and let the wasm tier up)
    return {baseline: time(base), engine: time(engine), js: time(js),
            diff: Math.max(largest(a, b), largest(a, c))};
  })};
}
"""


def main() -> int:
    text = REFERENCE.read_text()
    doc = json.loads(text)
    h, w = doc["layers_config"]["config"]["layers"][0]["config"]["batch_input_shape"][1:3]
    pixels = [(i * 37 + i // 7) % 256 for i in range(h * w * 3)]
    lives = {
        "every neuron alive": [[1.0] * n for n in (15, 12)],
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
    engine_bytes = len(engine_js().encode())
    data_bytes = len(json.dumps(engine_data(), separators=(",", ":")).encode())
    print(f"engine: {engine_bytes:,} bytes as inscribed ({data_bytes:,} of them the Python data)")
    print(f"forward pass, reference model {h}x{w}x3 -> 15 -> 12 -> 20, one image, Chromium")
    print("baseline: arrays of arrays, a copy per operation; engine: preallocated, no copies")
    print(f"engine path: {results['kernel']} (the dense products in WebAssembly SIMD when 'wasm');")
    print(f"js: the engine's JavaScript fallback ({results['fallback']}), for information")
    worst = 0.0
    for name, result in zip(lives, results["cases"], strict=True):
        ratio = result["baseline"] / result["engine"]
        print(
            f"{name:<22} baseline {result['baseline']:8.1f} us  engine {result['engine']:7.1f} us"
            f"  ratio {ratio:5.1f}x (goal {GOAL:.0f}x)  largest difference {result['diff']:.1e}"
        )
        goal(f"forward pass in Chromium, {name}: baseline / engine", ratio, at_least=GOAL, unit="x")
        js_ratio = result["baseline"] / result["js"]
        print(f"{'':<22} {'':<21} js     {result['js']:7.1f} us  ratio {js_ratio:5.1f}x")
        worst = max(worst, result["diff"])
    if worst > 1e-12:
        print("bench/js: the outputs differ", file=sys.stderr)
        return 1
    return finish()


if __name__ == "__main__":
    sys.exit(main())
