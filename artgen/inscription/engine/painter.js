/* Draws the page's portrait at one moment, frame by frame, on a canvas of W x H pixels.
 *
 * The layers are the original's (ORIGINAL.md section 0): paper, then the Rebirth dust, the
 * pattern and frame, the lines, the nodes, each drawn as Cairo draws them (draw.js). On screen
 * what does not change from frame to frame is drawn once: the paper, pattern, frame and lines
 * of each reveal step on one opaque canvas (copied whole every frame, so its pixels are the
 * ones a full redraw gives); during the sweep the lines come from their own layer, cut at the
 * front. The nodes are drawn every frame, on their own layer when some blink out. The dust of
 * Dead and Rebirth moves every frame, under the pattern: those frames are drawn whole, as an
 * export's are.
 */

import { drawScene } from "./draw.js";
import { doc } from "./dom.js";
import { buildScene, frameOf, revealCounts } from "./scene.js";

function canvas(width, height) {
  var c = doc.createElement("canvas");
  c.width = width;
  c.height = height;
  return c;
}

// The scene with only the reveal's shown columns of nodes and gaps of lines.
function revealed(scene, reveal) {
  var shown = revealCounts(reveal, scene.column_x.length), out = Object.assign({}, scene);
  out.nodes = scene.nodes.filter(function (n) { return n.column < shown[0]; });
  out.lines = scene.lines.filter(function (l) { return l.gap < shown[1]; });
  return out;
}

// `life` of `traits` drawn with hidden `sizes` on a `width` x `height` canvas; `cached`: keep
// layers from frame to frame (the screen), else draw each frame whole (an export). `shape`
// ([W, H], default the canvas's) lays the scene out: an export takes the screen's, so its
// scene (and its dust) is the very one on screen.
export function Painter(traits, sizes, life, width, height, cached, shape) {
  this.traits = traits;
  this.sizes = sizes;
  this.life = life;
  this.width = width;
  this.height = height;
  this.side = Math.min(width, height);
  this.cached = cached;
  this.shape = shape || [width, height];
  this.scene = buildScene(traits, sizes, life, { canvas: this.shape });
  this.network = this.scene.nodes.length > 0;
  this.layers = {};
}

// The Dead or Rebirth scene at a dust clock (the network's scene otherwise).
Painter.prototype.dustScene = function (opts, showFrame) {
  return buildScene(this.traits, this.sizes, this.life, { canvas: this.shape, dust_clock: opts.dust_clock,
                                                        show_frame: showFrame });
};

// The frame `opts` (Timeline options) asks for, the frame band shown or not, onto `ctx`.
Painter.prototype.paint = function (ctx, opts, showFrame) {
  var still = frameOf(this.scene, { erased: opts.erased, line_clip: opts.line_clip, show_frame: showFrame });
  if (!this.network) {
    drawScene(ctx, this.dustScene(opts, showFrame), this.side);
    return;
  }
  var scene = revealed(still, opts.reveal);
  if (!this.cached) {
    drawScene(ctx, scene, this.side);
    return;
  }
  var shown = revealCounts(opts.reveal, still.column_x.length), side = this.side;
  var background = ["paper", "pattern", "frame"], swept = scene.line_clip !== null;
  ctx.drawImage(this.layer("background", [showFrame, swept ? -1 : shown[1]].join(), function (c) {
    drawScene(c, scene, side, swept ? background : background.concat(["lines"]));
  }), 0, 0);
  if (swept) {
    var lines = this.layer("lines", shown[1], function (c) { drawScene(c, scene, side, ["lines"]); });
    var clip = Math.min(this.width, Math.max(0, Math.round(scene.line_clip * side / 1024)));
    if (clip > 0) ctx.drawImage(lines, 0, 0, clip, this.height, 0, 0, clip, this.height);
  }
  drawScene(ctx, scene, side, ["nodes"]);
};

// A cached layer canvas, drawn by `draw(ctx)` when its `id` changes.
Painter.prototype.layer = function (name, id, draw) {
  var entry = this.layers[name];
  if (!entry || entry.id !== id) {
    var c = entry ? entry.canvas : canvas(this.width, this.height), ctx = c.getContext("2d");
    ctx.clearRect(0, 0, this.width, this.height);
    draw.call(this, ctx);
    entry = this.layers[name] = { id: id, canvas: c };
  }
  return entry.canvas;
};
