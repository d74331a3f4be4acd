/* Perceptrons art engine: runs a Perceptron's network and draws its portrait in the browser.
 *
 * The entry module of the engine script inscribed once for a whole collection. The build
 * (`make engine`, tools/build-engine.mjs) bundles this module and the ones it imports into
 * one minified script, artgen/inscription/engine.min.js; at mint time Python fills in DATA
 * (data.js: palettes, tables and the constants of the Python engine, so both read the same
 * numbers).
 *
 * A token's HTML holds a JSON block <script type="application/json" id="perceptron">:
 *   {"m": model inscription id, "t": [seed, token, the twelve traits in metadata order],
 *    "h": hidden layer sizes, "y": days in one Perceptron year,
 *    "c": [time, height, fee rate] and "x": 1 (optional: a pinned chain state; height 0 when
 *    no block is known for that time)}
 * A standalone file adds the model itself in <script type="application/json"
 * id="perceptron-model">. The portrait's rules mirror the Python ones (each function names its
 * twin) and do the same floating-point operations in the same order, so both sides agree;
 * the page (app.js, visitor.js) is the original's, drawn on the canvas (ORIGINAL.md 8-10).
 * Vanilla JavaScript (ES5 plus typed arrays; WebAssembly SIMD for the dense products where the
 * browser allows it, see kernel.js): no library, nothing fetched but /content/, /r/ and a full
 * node the visitor names (key U).
 * `window.Perceptron` is the API the tests and tools use: the pure functions, the page's
 * `app` and `ready` (a promise, settled once the page has started).
 */

import { Art } from "./app.js";
import { enUS, flickerName, infoRows, nameLayout } from "./card.js";
import { classify, confidencePhrase } from "./classify.js";
import { DATA } from "./data.js";
import { doc, root } from "./dom.js";
import { drawScene, polygon } from "./draw.js";
import { forward, logits, softmax } from "./forward.js";
import { KERNEL } from "./kernel.js";
import { birthTime, layerAliveCounts, lifeState, neuronLife, neuronOrders, traitsLifeState } from "./lifecycle.js";
import { parseModel } from "./model.js";
import * as pace from "./pace.js";
import { panelDate, panelRows } from "./panel.js";
import { flashShown } from "./refusal.js";
import { DustField, dustCounts, dustShare, shownCount, drawDust } from "./particles.js";
import { round9 } from "./numbers.js";
import { PortableRandom, Shr3, fnv1a32, key } from "./random.js";
import { resizeBilinear } from "./resize.js";
import { buildScene, classifyRefusal, erasedNodes, frameOf, growingColumns, liveNodes } from "./scene.js";
import { Timeline } from "./timeline.js";
import { traitsOf } from "./traits.js";

function boot() {
  var block = doc && doc.getElementById("perceptron");
  if (!block) return;
  var cfg;
  try {
    cfg = JSON.parse(block.textContent);
  } catch (err) {
    doc.body.textContent = "This Perceptron's HTML holds no readable traits: " + err.message;
    return;
  }
  var art = new Art(cfg);
  api.app = art;
  api.ready = art.start().then(function () { return true; }, function (err) {
    art.showError("This Perceptron could not start: " + err.message);
    throw err;
  });
}

var api = {
  version: DATA.version, data: DATA, kernel: KERNEL,
  PortableRandom: PortableRandom, Shr3: Shr3, key: key, fnv1a32: fnv1a32,
  parseModel: parseModel, logits: logits, softmax: softmax, forward: forward, classify: classify,
  confidencePhrase: confidencePhrase, resizeBilinear: resizeBilinear,
  birthTime: birthTime, layerAliveCounts: layerAliveCounts, neuronLife: neuronLife, neuronOrders: neuronOrders,
  lifeState: lifeState, traitsLifeState: traitsLifeState, traitsOf: traitsOf,
  buildScene: buildScene, frameOf: frameOf, growingColumns: growingColumns, liveNodes: liveNodes,
  erasedNodes: erasedNodes, classifyRefusal: classifyRefusal, polygon: polygon, drawScene: drawScene,
  DustField: DustField, dustCounts: dustCounts, dustShare: dustShare, shownCount: shownCount, drawDust: drawDust,
  pace: pace, Timeline: Timeline, flashShown: flashShown,
  nameLayout: nameLayout, flickerName: flickerName, infoRows: infoRows, enUS: enUS,
  panelRows: panelRows, panelDate: panelDate, round9: round9,
  app: null, ready: null
};
root.Perceptron = api;
if (doc) {
  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", boot);
  else boot();
}
