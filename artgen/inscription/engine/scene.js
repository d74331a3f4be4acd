/* artgen.scene.build: a frame's scene as plain data, following ORIGINAL.md stage by stage: the
 * network's columns and their Growing re-layout (section 1), Decaying ghosts (4), the blank Dead
 * sheet (2), the Rebirth dust (3), the paper (5), the reveal (6) and the blink and sweep (7), on
 * a canvas of any shape (11). draw.js paints it.
 *
 * opts (artgen.scene.FrameOptions): {index, reveal (items shown, null: all), erased (ids of
 * the nodes blinking out), line_clip (the sweep's x), dust_clock (60 Hz frames), show_frame,
 * canvas ([W, H], any unit)}.
 */

import { K } from "./data.js";
import {
  columnX, density, drawingScale, drawnLife, ghostDash, lineWidth, nodePaint, nodeSize, nodeStroke,
  pattern, rowY
} from "./layout.js";
import { given } from "./numbers.js";
import { columnColors, palette, parseHex } from "./palette.js";
import { drawDust, dustField, dustShare } from "./particles.js";

// artgen.scene.elements.canvas_units: a W x H canvas in units u, its shorter side 1024.
export function canvasUnits(width, height) {
  var shorter = Math.min(width, height);
  return [K.side * width / shorter, K.side * height / shorter];
}

// One input node, the hidden layers drawn at 1:scale, one output node.
export function columnLives(hiddenLives, scale) {
  return [[1]].concat(hiddenLives.map(function (l) { return drawnLife(l, scale); }), [[1]]);
}

// The Growing re-layout: per column, [index, life] of the nodes drawn; the dead (life exactly
// 0) leave, an emptied column keeps one placeholder (index -1, life 0).
export function growingColumns(lives) {
  return lives.map(function (column) {
    var kept = [];
    column.forEach(function (v, j) { if (v !== 0) kept.push([j, v]); });
    return kept.length ? kept : [[K.placeholder, 0]];
  });
}

// Compacted while Growing, else every node (Decaying keeps its dead in place as ghosts).
export function drawnColumns(stage, lives) {
  if (stage === "Growing") return growingColumns(lives);
  return lives.map(function (column) { return column.map(function (v, j) { return [j, v]; }); });
}

// [columns of nodes shown, gaps of lines shown] after `reveal` items.
export function revealCounts(reveal, columns) {
  if (!given(reveal)) return [columns, columns - 1];
  var shown = Math.max(0, Math.trunc(reveal));
  return [Math.min(shown, columns), Math.min(Math.max(0, shown - columns), columns - 1)];
}

// artgen.scene.build.classify_refusal: the word flashed instead of classifying, or null.
export function classifyRefusal(life) {
  var words = K.refusal_words;
  if (life.stage === "Dead" || life.stage === "Rebirth") return words[life.stage];
  var open = life.neuron_life.every(function (layer) { return layer.some(function (v) { return v > 0; }); });
  if (open) return null;
  return life.stage === "Growing" ? words.Growing : words.Decaying;
}

// The nodes that may blink: life exactly 1, in draw order.
export function liveNodes(nodes) {
  return nodes.filter(function (n) { return n.life === 1; });
}

// The living nodes named in `ids`, in that order (repeats kept).
export function erasedNodes(nodes, ids) {
  if (!ids || !ids.length) return [];
  var byId = {};
  liveNodes(nodes).forEach(function (n) { byId[n.id] = n; });
  var out = [];
  ids.forEach(function (id) { if (byId[id]) out.push(byId[id]); });
  return out;
}

// The scene of a token's portrait: `traits` give palette, pattern, node shape and fill;
// `sizes` the hidden layers drawn (the token's own, or an upgraded model's).
export function buildScene(traits, sizes, life, opts) {
  opts = opts || {};
  var canvas = canvasUnits.apply(null, opts.canvas || [K.side, K.side]);
  var width = canvas[0], height = canvas[1];
  var pal = palette(traits.palette), paper = parseHex(pal.paper), ink = parseHex(pal.pattern);
  var scale = drawingScale(sizes), lives = columnLives(life.neuron_life, scale);
  var columns = lives.length, xs = columnX(columns, width), colors = columnColors(pal, columns);
  var shape = K.node_shapes[traits.framework], fillMode = K.node_fills[traits.dataset];
  var nodes = [], lines = [], erased = [], particles = { nodes: [], lines: [] };
  if (life.stage === "Dead" || life.stage === "Rebirth") {
    var share = dustShare(life.stage, life.stage_ratio);
    if (share > 0) {
      var field = dustField({ seed: traits.seed, token: traits.token, rebirths: life.rebirths,
                              columnSizes: lives.map(function (c) { return c.length; }), shape: shape,
                              width: width, height: height });
      particles = drawDust(field, { clock: opts.dust_clock || 0, share: share, columnColors: colors,
                                    shape: shape, fillMode: fillMode, paper: paper });
    }
  } else {
    var grid = network(drawnColumns(life.stage, lives), xs, colors, paper, shape, fillMode, width, height);
    var shown = revealCounts(opts.reveal, columns);
    grid.slice(0, shown[0]).forEach(function (col) { nodes = nodes.concat(col); });
    lines = networkLines(grid, shown[1], xs, colors);
    erased = erasedNodes(nodes, opts.erased);
  }
  return {
    paper: paper, pattern: pattern(traits.pattern, ink, width, height),
    frame: { color: ink, width: K.frame_width, visible: opts.show_frame !== false },
    lines: lines, nodes: nodes, particles: particles, erased: erased,
    line_clip: nodes.length && given(opts.line_clip) ? opts.line_clip : null,
    column_x: xs, column_colors: colors, scale: scale, stage: life.stage, width: width, height: height
  };
}

// The drawn nodes, column by column, top to bottom.
function network(columns, xs, colors, paper, shape, fillMode, width, height) {
  var most = Math.max.apply(null, columns.map(function (c) { return c.length; }));
  var size = nodeSize(columns.length, most, width, height), rho = density(columns.length, most);
  var stroke = nodeStroke(rho);
  return columns.map(function (col, c) {
    var ys = rowY(col.length, most, height);
    return col.map(function (item, r) {
      var j = item[0], v = item[1], paint = nodePaint(fillMode, colors[c], paper, v);
      return { id: j !== K.placeholder ? "n" + c + "-" + j : "n" + c + "-empty", column: c, index: j,
               x: xs[c], y: ys[r], size: size, shape: shape, fill: paint[0], fill_opacity: paint[1],
               stroke: colors[c], stroke_opacity: paint[2], stroke_width: stroke, life: v,
               dash: ghostDash(v, rho) };
    });
  });
}

// Every pair of nodes in neighbouring columns, source-major, for the first `gaps` gaps, at
// opacity 0.5 min(life of both ends); the invisible ones are left out.
function networkLines(grid, gaps, xs, colors) {
  var most = Math.max.apply(null, grid.map(function (c) { return c.length; }));
  var width = lineWidth(density(grid.length, most)), lines = [];
  for (var g = 0; g < gaps; g++) {
    var g0 = [xs[g], 0], g1 = [xs[g + 1], 0];
    grid[g].forEach(function (a) {
      grid[g + 1].forEach(function (b) {
        var opacity = K.line_opacity * Math.min(a.life, b.life);
        if (opacity > 0) {
          lines.push({ x0: a.x, y0: a.y, x1: b.x, y1: b.y, color0: colors[g], color1: colors[g + 1],
                       g0: g0, g1: g1, opacity: opacity, width: width, gap: g });
        }
      });
    });
  }
  return lines;
}

// artgen.scene.build.frame_of: the frame `opts` asks for from the fully revealed still of the
// same moment (its blinking nodes, its sweep, its frame band), without rebuilding its lines.
export function frameOf(still, opts) {
  var out = Object.assign({}, still);
  out.erased = erasedNodes(still.nodes, opts.erased);
  out.line_clip = still.nodes.length && given(opts.line_clip) ? opts.line_clip : null;
  out.frame = { color: still.frame.color, width: still.frame.width, visible: opts.show_frame !== false };
  return out;
}
