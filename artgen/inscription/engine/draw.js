/* artgen.render.cairo_backend on a canvas: paints a scene (scene.js) layer by layer. */

import { K } from "./data.js";
import { rgba } from "./palette.js";

export function drawScene(ctx, scene, side, layers) {
  layers = layers || K.layers;
  ctx.save();
  ctx.scale(side / scene.side, side / scene.side);
  var cache = {};
  layers.forEach(function (layer) {
    if (layer === "paper") {
      ctx.fillStyle = rgba(scene.paper, 1);
      ctx.fillRect(0, 0, scene.side, scene.side);
    } else if (layer === "pattern") {
      drawPattern(ctx, scene.pattern);
    } else if (layer === "frame") {
      drawFrame(ctx, scene);
    } else if (layer === "lines") {
      drawLines(ctx, scene.lines, cache);
    } else if (layer === "sweep") {
      drawLines(ctx, scene.sweep, cache);
    } else if (layer === "nodes") {
      drawNodes(ctx, scene.nodes);
    } else if (layer === "particles") {
      drawLines(ctx, scene.particles.lines, cache);
      drawNodes(ctx, scene.particles.nodes);
    }
  });
  ctx.restore();
}

function drawPattern(ctx, p) {
  if (p.kind === "Plain" || p.opacity <= 0) return;
  ctx.save();
  ctx.beginPath();
  ctx.rect(p.clip[0], p.clip[1], p.clip[2] - p.clip[0], p.clip[3] - p.clip[1]);
  ctx.clip();
  ctx.beginPath();
  if (p.kind === "Dotted") {
    p.ys.forEach(function (y) {
      p.xs.forEach(function (x) {
        ctx.moveTo(x + p.mark, y);
        ctx.arc(x, y, p.mark, 0, 2 * Math.PI);
        ctx.closePath();
      });
    });
    ctx.fillStyle = rgba(p.color, p.opacity);
    ctx.fill();
  } else {
    p.xs.forEach(function (x) {
      ctx.moveTo(x, p.clip[1]);
      ctx.lineTo(x, p.clip[3]);
    });
    p.ys.forEach(function (y) {
      ctx.moveTo(p.clip[0], y);
      ctx.lineTo(p.clip[2], y);
    });
    ctx.lineWidth = p.mark;
    ctx.strokeStyle = rgba(p.color, p.opacity);
    ctx.stroke();
  }
  ctx.restore();
}

function drawFrame(ctx, scene) {
  var f = scene.frame, s = scene.side, w = f.width;
  if (!f.visible || w <= 0) return;
  ctx.beginPath();
  ctx.rect(0, 0, s, s);
  ctx.rect(w, w, s - 2 * w, s - 2 * w);
  ctx.fillStyle = rgba(f.color, 1);
  ctx.fill("evenodd");
}

function lineGradient(ctx, line, cache) {
  var id = [line.g0, line.g1, line.color0, line.color1, line.opacity].join(";");
  if (!cache[id]) {
    var g = ctx.createLinearGradient(line.g0[0], line.g0[1], line.g1[0], line.g1[1]);
    g.addColorStop(0, rgba(line.color0, line.opacity));
    g.addColorStop(1, rgba(line.color1, line.opacity));
    cache[id] = g;
  }
  return cache[id];
}

function drawLines(ctx, lines, cache) {
  ctx.lineCap = "butt";
  lines.forEach(function (line) {
    ctx.strokeStyle = lineGradient(ctx, line, cache);
    ctx.lineWidth = line.width;
    ctx.beginPath();
    ctx.moveTo(line.x0, line.y0);
    ctx.lineTo(line.x1, line.y1);
    ctx.stroke();
  });
}

// artgen.render.shapes.polygon: the middle of the last side, then the corners, rotated.
function polygon(node) {
  var corners;
  if (node.shape === "square") {
    var h = 7 * node.size / 16;
    corners = [[h, h], [-h, h], [-h, -h], [h, -h]];
  } else {
    var d = 4 * node.size / 7;
    corners = [[d, 0], [0, d], [-d, 0], [0, -d]];
  }
  var points = [[(corners[3][0] + corners[0][0]) / 2, (corners[3][1] + corners[0][1]) / 2]].concat(corners);
  var c = Math.cos(node.angle || 0), s = Math.sin(node.angle || 0);
  return points.map(function (p) {
    return node.angle ? [node.x + (p[0] * c - p[1] * s), node.y + (p[0] * s + p[1] * c)] : [node.x + p[0], node.y + p[1]];
  });
}

function outline(ctx, node) {
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
    if (node.glow > 0) {
      var r = K.glow_radius * node.size;
      var halo = ctx.createRadialGradient(node.x, node.y, 0, node.x, node.y, r);
      K.halo_stops.forEach(function (stop) { halo.addColorStop(stop[0], rgba(node.stroke, stop[1] * node.glow)); });
      ctx.fillStyle = halo;
      ctx.beginPath();
      ctx.arc(node.x, node.y, r, 0, 2 * Math.PI);
      ctx.fill();
    }
    outline(ctx, node);
    if (node.fill && node.fill_opacity > 0) {
      ctx.fillStyle = rgba(node.fill, node.fill_opacity);
      ctx.fill();
    }
    ctx.strokeStyle = rgba(node.stroke, node.stroke_opacity);
    ctx.lineWidth = node.stroke_width;
    if (node.dash) {
      ctx.setLineDash([node.dash[0], node.dash[1]]);
      ctx.lineDashOffset = node.dash[2];
    }
    ctx.stroke();
    if (node.dash) ctx.setLineDash([]);
  });
}
