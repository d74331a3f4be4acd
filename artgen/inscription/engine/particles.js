/* artgen.scene.particles: Dead and Rebirth, the network's pieces drifting on the paper. */

import { K, SIDE } from "./data.js";
import { nodeExtent, nodePaint } from "./layout.js";
import { clamp, pyMod, sum } from "./numbers.js";
import { PortableRandom, key } from "./random.js";

function particleCounts(columnSizes) {
  var nodes = columnSizes.map(function (n) { return Math.ceil(n / 4); }), segments = [];
  for (var i = 0; i + 1 < columnSizes.length; i++) {
    segments.push(Math.floor(1.5 * columnSizes[i] * columnSizes[i + 1] + 0.5));
  }
  return [nodes, segments];
}

export function visibleShare(stage, ratio) {
  if (stage === "Dead") return 1 - ratio;
  if (stage === "Rebirth") return ratio;
  return 0;
}

// artgen.scene.particles._pieces: one PortableRandom stream read with random() only: the
// show order (a Fisher-Yates permutation), then DRAWS_PER_PIECE draws per piece.
function pieces(o, counts) {
  var nNodes = counts[0], nSegments = counts[1], nNode = sum(nNodes), total = nNode + sum(nSegments);
  var rng = new PortableRandom(key("particles", o.seed, o.token, o.rebirths));
  var rank = rng.permutation(total), per = K.draws_per_piece, d = new Float64Array(total * per);
  for (var q = 0; q < d.length; q++) d[q] = rng.random();
  var nodeCol = [], segGap = [];
  nNodes.forEach(function (n, c) { for (var i = 0; i < n; i++) nodeCol.push(c); });
  nSegments.forEach(function (n, g) { for (var i = 0; i < n; i++) segGap.push(g); });
  var spacing = o.columns[1][0] - o.columns[0][0], extentNode = nodeExtent(o.shape, o.size) + o.strokeWidth;
  var out = [];
  for (var i = 0; i < total; i++) {
    var r = i * per, p = { rank: rank[i], angle0: 0 }, extent;
    if (i < nNode) {
      var col = o.columns[nodeCol[i]];
      p.column = nodeCol[i];
      p.hx = col[0];
      p.hy = col[1][Math.trunc(d[r] * col[1].length)];
      extent = extentNode;
    } else {
      var g = segGap[i - nNode], a = o.columns[g], b = o.columns[g + 1];
      var y0 = a[1][Math.trunc(d[r] * a[1].length)], y1 = b[1][Math.trunc(d[r + 1] * b[1].length)];
      var t = 0.15 + 0.7 * d[r + 2];
      p.gap = g;
      p.length = spacing * (K.segment_length[0] + (K.segment_length[1] - K.segment_length[0]) * d[r + 3]);
      p.hx = a[0] + t * (b[0] - a[0]);
      p.hy = y0 + t * (y1 - y0);
      p.angle0 = Math.atan2(y1 - y0, b[0] - a[0]);
      extent = p.length / 2 + o.lineWidth;
    }
    p.lo = K.frame_width + K.clearance + extent;
    p.hi = SIDE - p.lo;
    p.sx = clamp(p.hx + K.scatter * (d[r + 4] - d[r + 5]), p.lo, p.hi);
    p.sy = clamp(p.hy + K.scatter * (d[r + 6] - d[r + 7]), p.lo, p.hi);
    p.angle0 = p.angle0 + K.tilt * (d[r + 8] - d[r + 9]);
    var heading = 2 * Math.PI * d[r + 10];
    var speed = K.speed[0] + (K.speed[1] - K.speed[0]) * d[r + 11];
    p.vx = speed * Math.cos(heading);
    p.vy = speed * Math.sin(heading);
    p.spin = K.spin * (2 * d[r + 12] - 1);
    p.node = i < nNode;
    out.push(p);
  }
  return out;
}

var pieceCache = {};

// artgen.scene.particles.drift: the pieces at `frame` (any real number), `share` of them shown.
export function drift(o) {
  var counts = particleCounts(o.columns.map(function (c) { return c[1].length; }));
  var total = sum(counts[0]) + sum(counts[1]);
  var shown = Math.min(total, Math.floor(o.share * total + 0.5));
  var nodes = [], lines = [];
  if (shown <= 0) return { nodes: nodes, lines: lines };
  var id = JSON.stringify([o.seed, o.token, o.rebirths, o.columns, o.shape, o.size, o.strokeWidth, o.lineWidth]);
  var all = pieceCache[id] || (pieceCache = {}, pieceCache[id] = pieces(o, counts));
  all.forEach(function (p, i) {
    if (p.rank >= shown) return;
    var x = bounce(p.sx, p.vx, o.frame, p.lo, p.hi), y = bounce(p.sy, p.vy, o.frame, p.lo, p.hi);
    var angle = pyMod(p.angle0 + p.spin * o.frame, 2 * Math.PI);
    if (p.node) {
      var color = o.columnColors[p.column], paint = nodePaint(o.fillMode, color, o.paper, 1);
      nodes.push({ id: "p" + i, column: p.column, index: i, x: x, y: y, size: o.size, shape: o.shape,
                   fill: paint[0], fill_opacity: paint[1], stroke: color, stroke_opacity: paint[2],
                   stroke_width: o.strokeWidth, life: 1, dash: null, glow: 0, angle: angle });
    } else {
      var half = p.length / 2, dx = Math.cos(angle) * half, dy = Math.sin(angle) * half;
      var p0 = [x - dx, y - dy], p1 = [x + dx, y + dy];
      lines.push({ x0: p0[0], y0: p0[1], x1: p1[0], y1: p1[1], color0: o.columnColors[p.gap],
                   color1: o.columnColors[p.gap + 1], g0: p0, g1: p1, opacity: 0.5,
                   width: o.lineWidth, gap: -1 });
    }
  });
  return { nodes: nodes, lines: lines };
}

function bounce(start, velocity, frame, lo, hi) {
  var span = Math.max(hi - lo, 1e-9);
  var t = pyMod(start - lo + velocity * frame, 2 * span);
  return lo + span - Math.abs(t - span);
}
