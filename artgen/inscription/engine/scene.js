/* artgen.scene.build: a frame's scene as plain data (paper, pattern, frame, lines, nodes,
 * sweep, particles), for draw.js to paint. `buildScene` builds one in full; `light` relights
 * a still for a frame of sparks or sweep, reusing its lines.
 */

import { K, SIDE } from "./data.js";
import {
  columnPositions, dashPattern, drawingScale, drawnLife, nodePaint, nodePositions, nodeSize, pattern,
  strokeWidths
} from "./layout.js";
import { clamp, given } from "./numbers.js";
import { columnColors, palette, parseHex } from "./palette.js";
import { drift, visibleShare } from "./particles.js";

// opts (artgen.scene.FrameOptions): {index, node_reveal, line_reveal, sparks (node id ->
// true), spark_phases ([node id, phase, pulse target] triples), sweep, show_frame, drift}
export function buildScene(traits, sizes, life, opts) {
  opts = opts || {};
  var pal = palette(traits.palette), paper = parseHex(pal.paper), ink = parseHex(pal.pattern);
  var scale = drawingScale(sizes);
  var lives = [[1]].concat(life.neuron_life.map(function (l) { return drawnLife(l, scale); }), [[1]]);
  var counts = lives.map(function (c) { return c.length; });
  var columns = counts.length, most = Math.max.apply(null, counts);
  var columnX = columnPositions(columns), colors = columnColors(pal, columns);
  var size = nodeSize(columns, most), widths = strokeWidths(columns, most);
  var shape = K.node_shapes[traits.framework] || "circle";
  var fillMode = K.node_fills[traits.dataset] || "solid";
  var nodes = [], lines = [], sweep = [], particles = { nodes: [], lines: [] };
  if (life.stage === "Dead" || life.stage === "Rebirth") {
    particles = drift({
      seed: traits.seed, token: traits.token, rebirths: life.rebirths,
      frame: given(opts.drift) ? opts.drift : opts.index || 0,
      share: visibleShare(life.stage, life.stage_ratio),
      columns: columnX.map(function (x, c) { return [x, nodePositions(counts[c], most)]; }),
      columnColors: colors, shape: shape, fillMode: fillMode, paper: paper, size: size,
      strokeWidth: widths[0], lineWidth: widths[1]
    });
  } else {
    var grid = networkNodes(life.stage, lives, most, columnX, colors, paper, size, widths[0],
      shape, fillMode, opts);
    lines = networkLines(grid, columnX, colors, widths[1], opts.line_reveal);
    nodes = revealed(grid, counts, opts.node_reveal);
    sweep = overlay(lines, nodes, columnX, opts);
  }
  return {
    paper: paper, pattern: pattern(traits.pattern, ink),
    frame: { color: ink, width: K.frame_width, visible: opts.show_frame !== false },
    lines: lines, nodes: nodes, sweep: sweep, particles: particles, column_x: columnX,
    column_colors: colors, scale: scale, stage: life.stage, side: SIDE
  };
}

function sparkGlow(phase) {
  return K.spark_glow * Math.pow(1 - clamp(phase, 0, 1), 1.5);
}

function pulseSpan(phase) {
  var head = Math.min(1, K.pulse_speed * phase);
  return [Math.max(0, head - K.pulse_length), head, K.pulse_opacity * Math.sin(Math.PI * clamp(phase, 0, 1))];
}

function sparkLevels(opts) {
  var levels = {};
  Object.keys(opts.sparks || {}).forEach(function (id) { levels[id] = K.spark_glow; });
  (opts.spark_phases || []).forEach(function (sp) {
    levels[sp[0]] = Math.max(levels[sp[0]] || 0, sparkGlow(sp[1]));
  });
  return levels;
}

function glowOf(id, column, life, levels, front) {
  if (life <= 0) return 0;
  var glow = levels[id] || 0;
  if (given(front)) glow = Math.max(glow, K.sweep_glow * Math.max(0, 1 - Math.abs(front - column)));
  return glow;
}

// A lit node shines: filled with its colour, whatever its fill mode.
function lit(node, glow, color) {
  var out = Object.assign({}, node);
  out.fill = color;
  out.fill_opacity = Math.max(node.fill_opacity, glow);
  out.stroke_opacity = 1;
  out.glow = glow;
  return out;
}

function networkNodes(stage, lives, most, columnX, colors, paper, size, stroke, shape, fillMode, opts) {
  var levels = sparkLevels(opts);
  return lives.map(function (colLives, c) {
    var ys = nodePositions(colLives.length, most), col = [];
    colLives.forEach(function (v, j) {
      if (stage === "Growing" && v <= 0) return;
      var id = "n" + c + "-" + j, paint = nodePaint(fillMode, colors[c], paper, v);
      var node = { id: id, column: c, index: j, x: columnX[c], y: ys[j], size: size, shape: shape,
                   fill: paint[0], fill_opacity: paint[1], stroke: colors[c], stroke_opacity: paint[2],
                   stroke_width: stroke, life: v, dash: v > 0 && v < 1 ? dashPattern(shape, size, stroke) : null,
                   glow: 0, angle: 0 };
      var glow = glowOf(id, c, v, levels, opts.sweep);
      col.push(glow > 0 ? lit(node, glow, colors[c]) : node);
    });
    return col;
  });
}

function revealed(grid, counts, reveal) {
  var out = [];
  grid.forEach(function (col, c) {
    col.forEach(function (node) {
      var part = reveal ? clamp(reveal[c] * counts[c] - node.index, 0, 1) : 1;
      if (part >= 1) {
        out.push(node);
      } else if (part > 0) {
        var faded = Object.assign({}, node);
        faded.fill_opacity *= part;
        faded.stroke_opacity *= part;
        faded.glow *= part;
        out.push(faded);
      }
    });
  });
  return out;
}

function networkLines(grid, columnX, colors, width, lineReveal) {
  var lines = [];
  for (var g = 0; g + 1 < grid.length; g++) {
    var reach = lineReveal ? clamp(lineReveal[g], 0, 1) : 1;
    if (reach <= 0) continue;
    var g0 = [columnX[g], 0], g1 = [columnX[g + 1], 0];
    for (var i = 0; i < grid[g].length; i++) {
      var a = grid[g][i];
      for (var j = 0; j < grid[g + 1].length; j++) {
        var b = grid[g + 1][j], opacity = K.line_opacity * Math.min(a.life, b.life);
        if (opacity <= 0) continue;
        lines.push({ x0: a.x, y0: a.y, x1: a.x + reach * (b.x - a.x), y1: a.y + reach * (b.y - a.y),
                     color0: colors[g], color1: colors[g + 1], g0: g0, g1: g1, opacity: opacity,
                     width: width, gap: g });
      }
    }
  }
  return lines;
}

function piece(line, t0, t1, opacity, width) {
  var dx = line.x1 - line.x0, dy = line.y1 - line.y0, out = Object.assign({}, line);
  out.x0 = line.x0 + t0 * dx;
  out.y0 = line.y0 + t0 * dy;
  out.x1 = line.x0 + t1 * dx;
  out.y1 = line.y0 + t1 * dy;
  out.opacity = opacity;
  out.width = width;
  return out;
}

// artgen.scene.build._overlay: the sweep's bright strokes and the sparks' pulses.
function overlay(lines, nodes, columnX, opts) {
  var out = [], front = opts.sweep;
  if (given(front) && front > 0 && front < columnX.length) {
    var g = Math.ceil(front) - 1;
    if (g + 1 < columnX.length) {
      var xFront = columnX[g] + (front - g) * (columnX[g + 1] - columnX[g]);
      lines.forEach(function (ln) {
        if (ln.gap === g && ln.x1 > ln.x0) {
          out.push(piece(ln, 0, Math.min(1, (xFront - ln.x0) / (ln.x1 - ln.x0)),
            Math.min(1, K.sweep_line * ln.opacity), ln.width));
        }
      });
    }
  }
  var phases = opts.spark_phases || [];
  if (phases.length) {
    // a pulse runs from the lit node along its line to node `target` of the next column
    var ends = {}, at = {};
    lines.forEach(function (ln) { ends[ln.gap + "|" + ln.y0 + "|" + ln.y1] = ln; });
    nodes.forEach(function (n) { if (n.life > 0) at[n.id] = n; });
    phases.forEach(function (sp) {
      var a = at[sp[0]], b = a && sp[2] >= 0 ? at["n" + (a.column + 1) + "-" + sp[2]] : null;
      var line = b ? ends[a.column + "|" + a.y + "|" + b.y] : null, span = pulseSpan(sp[1]);
      if (line && span[1] > span[0] && span[2] > 0) {
        out.push(piece(line, span[0], span[1], span[2], line.width * K.pulse_width));
      }
    });
  }
  return out;
}

// artgen.scene.build.light: frame `opts` from the still of the same reveal, lines reused.
export function light(still, opts) {
  var levels = sparkLevels(opts);
  var nodes = still.nodes.map(function (node) {
    var glow = glowOf(node.id, node.column, node.life, levels, opts.sweep);
    return glow > 0 ? lit(node, glow, still.column_colors[node.column]) : node;
  });
  var out = Object.assign({}, still);
  out.nodes = nodes;
  out.sweep = overlay(still.lines, nodes, still.column_x, opts);
  out.frame = { color: still.frame.color, width: still.frame.width, visible: opts.show_frame !== false };
  return out;
}
