/* artgen.scene.particles: the Rebirth dust (ORIGINAL.md sections 2 and 3), node shapes and
 * short segments that drift and bounce inside the frame while the network is gone.
 *
 * One PortableRandom stream keyed ("dust", seed, token, rebirths), read with random() only:
 * 5 draws per node, column by column (x, y, heading, speed, size), then 7 per segment, gap by
 * gap (x, y, length, angle, heading, speed, turn). Every item moves one step per frame of the
 * original (60 Hz) and bounces off the wall 12.5u in from the edges.
 */

import { K } from "./data.js";
import { nodePaint, nodeRadius } from "./layout.js";
import { PortableRandom, key } from "./random.js";

// (nodes per column, segments per gap 0 .. L): ceil(n_i / 4) and ceil(1.5 a b).
export function dustCounts(columnSizes) {
  var nodes = columnSizes.map(function (n) { return Math.ceil(K.dust_node_share * n); });
  var ends = [1].concat(columnSizes, [1]), segments = [];
  for (var j = 0; j + 1 < ends.length; j++) segments.push(Math.ceil(K.dust_segment_factor * ends[j] * ends[j + 1]));
  return [nodes, segments];
}

// The share of each group drawn: 0 while Dead (a blank sheet), the stage ratio while Reborn.
export function dustShare(stage, ratio) {
  return stage === "Rebirth" ? ratio : 0;
}

export function shownCount(count, share) {
  return Math.min(count, Math.ceil(count * share));
}

function lerp(pair, u) {
  return pair[0] + (pair[1] - pair[0]) * u;
}

// artgen.scene.particles.DustField: every item's start and motion; `at(clock)` steps them.
export function DustField(o) {
  var counts = dustCounts(o.columnSizes), perColumn = counts[0], perGap = counts[1];
  var nNodes = 0, nSegments = 0, i, j;
  perColumn.forEach(function (n) { nNodes += n; });
  perGap.forEach(function (n) { nSegments += n; });
  var total = nNodes + nSegments, rng = new PortableRandom(key("dust", o.seed, o.token, o.rebirths));
  var draws = new Float64Array(K.dust_draws[0] * nNodes + K.dust_draws[1] * nSegments);
  for (i = 0; i < draws.length; i++) draws[i] = rng.random();
  var wall = K.dust_wall, left = wall, top = wall, right = o.width - wall, bottom = o.height - wall;
  this.wall = [left, top, right, bottom];
  this.nodeColumn = [];
  this.segmentGap = [];
  perColumn.forEach(function (n, c) { for (var k = 0; k < n; k++) this.nodeColumn.push(c); }, this);
  perGap.forEach(function (n, g) { for (var k = 0; k < n; k++) this.segmentGap.push(g); }, this);
  this.nNodes = nNodes;
  this.radius = new Float64Array(total);
  this.size = new Float64Array(nNodes);
  this.turn = new Float64Array(total);
  var s = this.start = [0, 1, 2, 3, 4].map(function () { return new Float64Array(total); });
  var place = function (k, ux, uy, heading, speed, angle) {
    var a = 2 * Math.PI * heading, magnitude = lerp(K.dust_speed, speed);
    s[0][k] = lerp([left, right], ux);
    s[1][k] = lerp([top, bottom], uy);
    s[2][k] = magnitude * Math.cos(a);
    s[3][k] = magnitude * Math.sin(a);
    s[4][k] = angle;
  };
  for (i = 0; i < nNodes; i++) {
    j = K.dust_draws[0] * i;
    place(i, draws[j], draws[j + 1], draws[j + 2], draws[j + 3], 0);
    this.size[i] = lerp(K.dust_node_size, draws[j + 4]);
    this.radius[i] = nodeRadius(o.shape, this.size[i]);
  }
  for (i = 0; i < nSegments; i++) {
    j = K.dust_draws[0] * nNodes + K.dust_draws[1] * i;
    var k = nNodes + i;
    place(k, draws[j], draws[j + 1], draws[j + 4], draws[j + 5], 2 * Math.PI * draws[j + 3]);
    this.radius[k] = lerp(K.dust_segment_length, draws[j + 2]) / 2;
    this.turn[k] = lerp(K.dust_turn, draws[j + 6]);
  }
  this.steps = 0;
  this.state = this.start;
}

// One step: move, turn, then flip vx (vy) of an item past the wall while moving outward (a
// node tests its centre +- its half-width, a segment its two ends).
DustField.prototype.step = function (state) {
  var n = this.radius.length, w = this.wall;
  var x = Float64Array.from(state[0]), y = Float64Array.from(state[1]);
  var vx = Float64Array.from(state[2]), vy = Float64Array.from(state[3]);
  var angle = Float64Array.from(state[4]);
  for (var k = 0; k < n; k++) {
    x[k] += vx[k];
    y[k] += vy[k];
    angle[k] += this.turn[k];
    var r = this.radius[k], ex = r, ey = r;
    if (k >= this.nNodes) {
      ex = Math.abs(r * Math.cos(angle[k]));
      ey = Math.abs(r * Math.sin(angle[k]));
    }
    if ((x[k] - ex < w[0] && vx[k] < 0) || (x[k] + ex > w[2] && vx[k] > 0)) vx[k] = -vx[k];
    if ((y[k] - ey < w[1] && vy[k] < 0) || (y[k] + ey > w[3] && vy[k] > 0)) vy[k] = -vy[k];
  }
  return [x, y, vx, vy, angle];
};

// [x, y, angle] of every item after `clock` frames (any real number >= 0); steps already
// taken are kept, so a page asking for frames in order steps each frame once.
DustField.prototype.at = function (clock) {
  clock = Math.max(0, clock);
  var n = Math.floor(clock);
  if (n < this.steps) {
    this.steps = 0;
    this.state = this.start;
  }
  while (this.steps < n) {
    this.state = this.step(this.state);
    this.steps += 1;
  }
  var s = this.state, f = clock - n;
  if (f === 0) return [s[0], s[1], s[4]];
  var count = this.radius.length, x = new Float64Array(count), y = new Float64Array(count);
  var angle = new Float64Array(count);
  for (var k = 0; k < count; k++) {
    x[k] = s[0][k] + f * s[2][k];
    y[k] = s[1][k] + f * s[3][k];
    angle[k] = s[4][k] + f * this.turn[k];
  }
  return [x, y, angle];
};

// (label, first index, count) of each run of equal labels.
function groups(labels) {
  var out = [], start = 0;
  for (var i = 1; i <= labels.length; i++) {
    if (i === labels.length || labels[i] !== labels[start]) {
      out.push([labels[start], start, i - start]);
      start = i;
    }
  }
  return out;
}

// artgen.scene.particles.draw_dust: the dust at `clock`, each group's first ceil(count x share)
// items, segments first (round caps, opaque, 1u), then node shapes.
export function drawDust(field, o) {
  var nodes = [], lines = [];
  if (o.share <= 0 || !field.radius.length) return { nodes: nodes, lines: lines };
  var at = field.at(o.clock), x = at[0], y = at[1], angle = at[2], colors = o.columnColors;
  var ends = [colors[0]].concat(colors, [colors[colors.length - 1]]);
  groups(field.segmentGap).forEach(function (g) {
    for (var i = g[1]; i < g[1] + shownCount(g[2], o.share); i++) {
      var k = field.nNodes + i, h = field.radius[k];
      var dx = h * Math.cos(angle[k]), dy = h * Math.sin(angle[k]);
      var p0 = [x[k] + dx, y[k] + dy], p1 = [x[k] - dx, y[k] - dy];
      lines.push({ x0: p0[0], y0: p0[1], x1: p1[0], y1: p1[1], color0: ends[g[0]], color1: ends[g[0] + 1],
                   g0: p0, g1: p1, opacity: 1, width: K.dust_stroke, gap: -1 });
    }
  });
  groups(field.nodeColumn).forEach(function (g) {
    var color = colors[g[0]], paint = nodePaint(o.fillMode, color, o.paper, 1);
    for (var i = g[1]; i < g[1] + shownCount(g[2], o.share); i++) {
      nodes.push({ id: "d" + i, column: g[0], index: -1, x: x[i], y: y[i], size: field.size[i],
                   shape: o.shape, fill: paint[0], fill_opacity: paint[1], stroke: color,
                   stroke_opacity: paint[2], stroke_width: K.dust_stroke, life: 1, dash: null });
    }
  });
  return { nodes: nodes, lines: lines };
}

var fields = {};

// The dust field of one life on one canvas, kept while the page asks for the same one.
export function dustField(o) {
  var id = JSON.stringify([o.seed, o.token, o.rebirths, o.columnSizes, o.shape, o.width, o.height]);
  if (!fields[id]) {
    fields = {};
    fields[id] = new DustField(o);
  }
  return fields[id];
}
