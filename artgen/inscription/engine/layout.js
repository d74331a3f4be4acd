/* artgen.scene.layout: where the columns and nodes go, their sizes, strokes and paint. */

import { K, SIDE } from "./data.js";
import { clamp, pyFloorDiv, pyMod, pyRound, sum } from "./numbers.js";

export function pattern(kind, color) {
  var fw = K.frame_width, clip = [fw, fw, SIDE - fw, SIDE - fw], mid = SIDE / 2, xs = [], n, k, x;
  if (kind === "Squared") {
    n = Math.trunc(pyFloorDiv(mid, K.grid_spacing));
    for (k = -n; k <= n; k++) {
      x = mid + k * K.grid_spacing;
      if (fw < x && x < SIDE - fw) xs.push(x);
    }
    return { kind: kind, color: color, opacity: K.grid_opacity, mark: K.grid_width, xs: xs, ys: xs, clip: clip };
  }
  if (kind === "Dotted") {
    n = Math.trunc(pyFloorDiv(mid, K.dot_spacing));
    for (k = -n - 1; k < n + 1; k++) {
      x = mid + (k + 0.5) * K.dot_spacing;
      if (fw + K.dot_radius < x && x < SIDE - fw - K.dot_radius) xs.push(x);
    }
    return { kind: kind, color: color, opacity: K.dot_opacity, mark: K.dot_radius, xs: xs, ys: xs, clip: clip };
  }
  return { kind: "Plain", color: color, opacity: 0, mark: 0, xs: [], ys: [], clip: clip };
}

export function drawingScale(sizes) {
  return Math.max(1, Math.ceil(Math.max.apply(null, sizes) / K.max_drawn_nodes));
}

export function drawnLife(life, k) {
  var out = [];
  for (var i = 0; i < life.length; i += k) {
    var part = life.slice(i, i + k);
    out.push(sum(part) / part.length);
  }
  return out;
}

export function columnPositions(columns) {
  var spacing = (SIDE - K.border) / columns, out = [];
  for (var i = 0; i < columns; i++) out.push(K.border / 2 + spacing * (i + 0.5));
  return out;
}

export function nodePositions(count, most) {
  var spacing = (SIDE - 2 * K.border) / most, out = [];
  for (var j = 0; j < count; j++) out.push(SIDE / 2 + (j - (count - 1) / 2) * spacing);
  return out;
}

export function nodeSize(columns, most) {
  return Math.min((SIDE - K.border) / columns, (SIDE - 2 * K.border) / most) / 2;
}

export function strokeWidths(columns, most) {
  var r = Math.min(1 / columns, 1 / most);
  var t = clamp((r - K.r_small) / (K.r_large - K.r_small), 0, 1);
  return [K.node_stroke[0] + t * (K.node_stroke[1] - K.node_stroke[0]),
          K.line_width[0] + t * (K.line_width[1] - K.line_width[0])];
}

export function nodePaint(fillMode, color, paper, life) {
  var stroke = 0.25 + 0.75 * life, fill = 0.15 + 0.85 * life;
  if (fillMode === "solid") return [color, fill, stroke];
  if (fillMode === "outline") return [paper, fill, stroke];
  return [null, 0, stroke];
}

export function nodeExtent(shape, size) {
  if (shape === "square") return Math.sqrt(2) * 7 * size / 16;
  if (shape === "diamond") return 4 * size / 7;
  return size / 2;
}

function shapeSide(shape, size) {
  return shape === "square" ? 7 * size / 8 : Math.sqrt(2) * 4 * size / 7;
}

export function dashPattern(shape, size, strokeWidth) {
  var count, period;
  if (shape === "circle") {
    var perimeter = Math.PI * size;
    count = Math.max(4, 2 * pyRound(perimeter / (5 * strokeWidth) / 2));
    period = perimeter / count;
    return [0.6 * period, 0.4 * period, 0];
  }
  var side = shapeSide(shape, size);
  count = Math.max(8, 4 * pyRound(4 * side / (5 * strokeWidth) / 4));
  period = 4 * side / count;
  var on = 0.6 * period;
  return [on, period - on, pyMod(on / 2 - side / 2, period)];
}
