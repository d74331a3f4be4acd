/* artgen.render.cairo_backend on a canvas: paints a scene (scene.js) layer by layer.
 *
 * The scene is in units u; `drawScene` scales it so its shorter side spans `side` device
 * pixels. Every stroke is the one Cairo makes, in the same order: each dot, hairline and line
 * its own stroke (so overlaps build up), dashes from each outline's path start (ORIGINAL.md
 * section 4), blinking nodes erased from the node layer (section 7), the lines clipped right of
 * the sweep's front.
 */

import { K } from "./data.js";
import { doc } from "./dom.js";
import { rgba } from "./palette.js";

export function drawScene(ctx, scene, side, layers) {
  layers = layers || K.layers;
  var k = side / Math.min(scene.width, scene.height), cache = {};
  ctx.save();
  ctx.scale(k, k);
  layers.forEach(function (layer) {
    if (layer === "paper") {
      ctx.fillStyle = rgba(scene.paper, 1);
      ctx.fillRect(0, 0, scene.width, scene.height);
    } else if (layer === "particles") {
      drawLines(ctx, scene.particles.lines, cache);
      drawNodes(ctx, scene.particles.nodes);
    } else if (layer === "pattern") {
      drawPattern(ctx, scene, k);
    } else if (layer === "frame") {
      drawFrame(ctx, scene);
    } else if (layer === "lines") {
      networkLines(ctx, scene, cache);
    } else if (layer === "nodes") {
      networkNodes(ctx, scene);
    } else {
      throw new Error("unknown layer " + JSON.stringify(layer) + "; expected one of " + K.layers.join(", "));
    }
  });
  ctx.restore();
}

// Opaque pin-pricks (0.4 device px stroked 1u) or hairlines, over the whole canvas.
function drawPattern(ctx, scene, k) {
  var p = scene.pattern;
  if (p.kind === "Plain") return;
  ctx.save();
  ctx.strokeStyle = rgba(p.color, 1);
  ctx.lineWidth = p.width;
  ctx.lineCap = "round";
  if (p.kind === "Dotted") {
    var r = p.dot_radius_px / k;
    p.ys.forEach(function (y) {
      p.xs.forEach(function (x) {
        // q5's point: a full turn left open, so its round caps meet at the right (ORIGINAL 5)
        ctx.beginPath();
        ctx.arc(x, y, r, 0, 2 * Math.PI);
        ctx.stroke();
      });
    });
  } else {
    p.ys.forEach(function (y) { segment(ctx, 0, y, scene.width, y); });
    p.xs.forEach(function (x) { segment(ctx, x, 0, x, scene.height); });
  }
  ctx.restore();
}

function segment(ctx, x0, y0, x1, y1) {
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y1);
  ctx.stroke();
}

function drawFrame(ctx, scene) {
  var f = scene.frame, w = scene.width, h = scene.height, b = f.width;
  if (!f.visible || b <= 0) return;
  ctx.beginPath();
  ctx.rect(0, 0, w, h);
  ctx.rect(b, b, w - 2 * b, h - 2 * b);
  ctx.fillStyle = rgba(f.color, 1);
  ctx.fill("evenodd");
}

// One gradient per (axis, colours, opacity): the lines of a column gap share it.
function gradient(ctx, line, cache) {
  var id = [line.g0, line.g1, line.color0, line.color1, line.opacity].join(";");
  if (!cache[id]) {
    var g = ctx.createLinearGradient(line.g0[0], line.g0[1], line.g1[0], line.g1[1]);
    g.addColorStop(0, rgba(line.color0, line.opacity));
    g.addColorStop(1, rgba(line.color1, line.opacity));
    cache[id] = g;
  }
  return cache[id];
}

// Each line its own stroke with round ends, as the original's (ORIGINAL.md section 12).
function drawLines(ctx, lines, cache) {
  ctx.lineCap = "round";
  lines.forEach(function (line) {
    ctx.strokeStyle = gradient(ctx, line, cache);
    ctx.lineWidth = line.width;
    segment(ctx, line.x0, line.y0, line.x1, line.y1);
  });
}

// The lines; during the sweep only left of its x (the rest is erased).
function networkLines(ctx, scene, cache) {
  if (scene.line_clip === null) {
    drawLines(ctx, scene.lines, cache);
    return;
  }
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, 0, Math.max(0, scene.line_clip), scene.height);
  ctx.clip();
  drawLines(ctx, scene.lines, cache);
  ctx.restore();
}

// artgen.render.shapes.polygon: a square's or diamond's outline points in path order. Dashed:
// from the square's top-left corner, the diamond's left vertex; solid: from a side's middle.
export function polygon(node) {
  var corners;
  if (node.shape === "square") {
    var h = 7 * node.size / 16;
    corners = [[-h, -h], [h, -h], [h, h], [-h, h]];
  } else {
    var d = 4 * node.size / 7;
    corners = [[-d, 0], [0, -d], [d, 0], [0, d]];
  }
  if (node.dash === null) {
    var a = corners[1], b = corners[2];
    corners = [[(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]].concat(corners.slice(2), corners.slice(0, 2));
  }
  return corners.map(function (p) { return [node.x + p[0], node.y + p[1]]; });
}

// The node's closed outline as the current path (a circle from its rightmost point, clockwise).
export function outline(ctx, node) {
  ctx.beginPath();
  if (node.shape === "circle") {
    var r = node.size / 2;
    ctx.moveTo(node.x + r, node.y);
    ctx.arc(node.x, node.y, r, 0, 2 * Math.PI);
  } else {
    var points = polygon(node);
    ctx.moveTo(points[0][0], points[0][1]);
    for (var i = 1; i < points.length; i++) ctx.lineTo(points[i][0], points[i][1]);
  }
  ctx.closePath();
}

function drawNodes(ctx, nodes) {
  ctx.lineJoin = "miter";
  ctx.lineCap = "butt";
  nodes.forEach(function (node) {
    outline(ctx, node);
    if (node.fill && node.fill_opacity > 0) {
      ctx.fillStyle = rgba(node.fill, node.fill_opacity);
      ctx.fill();
    }
    ctx.strokeStyle = rgba(node.stroke, node.stroke_opacity);
    ctx.lineWidth = node.stroke_width;
    if (node.dash !== null) {
      ctx.lineCap = "round";
      ctx.setLineDash([node.dash, node.dash]);
      ctx.lineDashOffset = 0;
    }
    ctx.stroke();
    if (node.dash !== null) {
      ctx.setLineDash([]);
      ctx.lineCap = "butt";
    }
  });
}

var spare = null;

// A blank canvas the size of `ctx`'s, drawn on through the same transform (one kept for reuse:
// the blink asks for one every frame).
function layerLike(ctx) {
  if (!spare || spare.width !== ctx.canvas.width || spare.height !== ctx.canvas.height) {
    spare = doc.createElement("canvas");
    spare.width = ctx.canvas.width;
    spare.height = ctx.canvas.height;
  }
  var out = spare.getContext("2d");
  out.setTransform(1, 0, 0, 1, 0, 0);
  out.clearRect(0, 0, spare.width, spare.height);
  out.setTransform(ctx.getTransform());
  return out;
}

// Erases `nodes` (fill and outline at its stroke width) from the layer drawn by `ctx`.
function eraseNodes(ctx, nodes) {
  ctx.save();
  ctx.globalCompositeOperation = "destination-out";
  ctx.fillStyle = ctx.strokeStyle = "#000";
  ctx.lineJoin = "miter";
  ctx.lineCap = "butt";
  nodes.forEach(function (node) {
    outline(ctx, node);
    ctx.fill();
    ctx.lineWidth = node.stroke_width;
    ctx.stroke();
  });
  ctx.restore();
}

// The nodes; blinking ones erased from their own layer, so what lies under them shows through.
function networkNodes(ctx, scene) {
  if (!scene.erased.length) {
    drawNodes(ctx, scene.nodes);
    return;
  }
  var layer = layerLike(ctx);
  drawNodes(layer, scene.nodes);
  eraseNodes(layer, scene.erased);
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.drawImage(layer.canvas, 0, 0);
  ctx.restore();
}
