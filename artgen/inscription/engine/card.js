/* The result card: what the network thinks a picked image is, and the runners-up. */

import { K } from "./data.js";
import { element } from "./dom.js";
import { pyRound } from "./numbers.js";

// Fills `card` with `result` (classify.js) by `model` at `life`, the image at `imageUrl`
// beside it when given, and shows it; a click hides it.
export function showCard(card, result, model, life, imageUrl) {
  var r = result;
  card.textContent = "";
  if (imageUrl) {
    var img = element("img", "width:72px;height:72px;object-fit:cover;border-radius:4px;", card);
    img.src = imageUrl;
  }
  var text = element("div", "", card);
  element("div", "", text).textContent = r.phrase + " this image belongs to";
  element("div", "font-size:1.4em;font-weight:bold;", text).textContent = r.top;
  element("div", "opacity:.8;", text).textContent = (r.confidence * 100).toFixed(1) + "% confident (" +
    life.stage + ", " + pyRound(life.active_neurons) + " / " + life.total_neurons + " neurons)";
  // the next classes, with bars, as artgen.animation.card lists them
  var order = r.probabilities.map(function (p, i) { return i; });
  order.sort(function (a, b) { return r.probabilities[b] - r.probabilities[a] || a - b; });
  order.slice(1, 1 + K.other_classes).forEach(function (i) {
    var row = element("div", "display:flex;align-items:center;gap:6px;font-size:.85em;opacity:.8;", text);
    var bar = element("span", "display:inline-block;height:6px;background:currentColor;", row);
    bar.style.width = Math.max(1, Math.round(60 * r.probabilities[i])) + "px";
    element("span", "", row).textContent = model.classes[i] + " " + (r.probabilities[i] * 100).toFixed(1) + "%";
  });
  card.style.display = "flex";
  card.onclick = function () { card.style.display = "none"; };
}
