/* artgen.scene.layout: the pattern, columns, rows, sizes, strokes and paint (ORIGINAL.md
 * sections 5, 11 and 12). Lengths are in units u (u = min(W, H) / 1024); a canvas is `width`
 * x `height` units.
 */

import { K } from "./data.js";

// The original's `map(v, a, b, c, d)`: linear, never clamped.
export function remap(v, a, b, c, d) {
  return c + (d - c) * (v - a) / (b - a);
}

// 12.5u + spacing * k while below length + 12.5u.
function marks(spacing, length) {
  var count = Math.ceil(length / spacing), out = [];
  for (var k = 0; k < count; k++) out.push(K.pattern_start + spacing * k);
  return out;
}

// The paper pattern over the whole canvas (the frame is drawn on top).
export function pattern(kind, color, width, height) {
  if (kind === "Squared") {
    return { kind: kind, color: color, width: K.grid_width, xs: marks(K.grid_spacing, width),
             ys: marks(K.grid_spacing, height), dot_radius_px: 0 };
  }
  if (kind === "Dotted") {
    return { kind: kind, color: color, width: K.dot_stroke, xs: marks(K.dot_spacing, width),
             ys: marks(K.dot_spacing, height), dot_radius_px: K.dot_radius_px };
  }
  return { kind: "Plain", color: color, width: 0, xs: [], ys: [], dot_radius_px: 0 };
}

// k of the 1:k scale: one drawn node per k neurons when a column has more than 30.
export function drawingScale(sizes) {
  return Math.max(1, Math.ceil(Math.max.apply(null, sizes) / K.max_drawn_nodes));
}

// Life of each drawn node at 1:k: the mean life of its group of k (the last may be shorter).
export function drawnLife(life, k) {
  var out = [];
  for (var i = 0; i < life.length; i += k) {
    var part = life.slice(i, i + k), mean = 0;
    for (var j = 0; j < part.length; j++) mean += part[j] / part.length;
    out.push(mean);
  }
  return out;
}

// Column centres: x = 50u + (i + 1/2) xsize, xsize = (W - 100u) / L.
export function columnX(columns, width) {
  var xsize = (width - K.border) / columns, out = [];
  for (var i = 0; i < columns; i++) out.push(K.border / 2 + (i + 0.5) * xsize);
  return out;
}

// Node centres of a column of `count`: y = cy + (r - (n - 1)/2) ysize, ysize = (H - 200u) / most.
export function rowY(count, most, height) {
  var ysize = (height - 2 * K.border) / most, out = [];
  for (var r = 0; r < count; r++) out.push(height / 2 + (r - (count - 1) / 2) * ysize);
  return out;
}

export function nodeSize(columns, most, width, height) {
  return Math.min((width - K.border) / columns, (height - 2 * K.border) / most) / 2;
}

// rho = min(1/L, 1/maxNodes): strokes and dashes grow as the network gets smaller.
export function density(columns, most) {
  return Math.min(1 / columns, 1 / most);
}

export function nodeStroke(rho) {
  return remap(rho, K.rho_range[0], K.rho_range[1], K.node_stroke[0], K.node_stroke[1]);
}

export function lineWidth(rho) {
  return remap(rho, K.rho_range[0], K.rho_range[1], K.line_width[0], K.line_width[1]);
}

// A ghost's dash (= gap) length, 2 D (1 - life) u; null (solid) under 1.5u.
export function ghostDash(life, rho) {
  var d = 2 * remap(rho, K.rho_range[0], K.rho_range[1], K.dash_base[0], K.dash_base[1]) * (1 - life);
  return d >= K.min_dash ? d : null;
}

// [fill colour or null, fill opacity, stroke opacity] of a node.
export function nodePaint(fillMode, color, paper, life) {
  var stroke = 0.25 + 0.75 * life, fill = 0.15 + 0.85 * life;
  if (fillMode === "solid") return [color, fill, stroke];
  if (fillMode === "outline") return [paper, fill, stroke];
  return [null, 0, stroke];
}

// Half the node's width along x or y: s/2, 7s/16 or 4s/7 (axis-aligned).
export function nodeRadius(shape, size) {
  if (shape === "square") return 7 * size / 16;
  if (shape === "diamond") return 4 * size / 7;
  return size / 2;
}
