/* The page: a token's portrait filling the window, and what a visitor can do with it.
 *
 * `Art` reads the token's traits, loads its model and chain state, and runs the original's
 * clock (ORIGINAL.md section 0: 60 Hz frames, here from the browser's time): the reveal, the
 * idle blink paced by the fee (SPEC 6), and on a double-click or a dropped image the
 * classification's sweep and the result card (sections 6-8), or the refusal's flashing word
 * (section 9). Its keys (section 10): I the information panel, B the frame, S and K save PNGs,
 * U the settings card, Esc closes what is open. Everything is drawn on the canvas, in this
 * order: the portrait, the result card, the warning, the settings card, the panel, the
 * «update()» card. A page that embeds it may pin the moment it shows (`pin`: the collection
 * report's time scrubber and fee-rate slider).
 */

import { drawCard, flickerName } from "./card.js";
import { chainState, fetchText } from "./chain.js";
import { classify } from "./classify.js";
import { DATA, K } from "./data.js";
import { doc, element, root } from "./dom.js";
import { traitsLifeState } from "./lifecycle.js";
import { ModelError, parseModel } from "./model.js";
import { Painter } from "./painter.js";
import { palette, parseHex, rgba } from "./palette.js";
import { describe, drawPanel, panelRows } from "./panel.js";
import { drawWarning, flashOver, flashShown } from "./refusal.js";
import { classifyRefusal, liveNodes } from "./scene.js";
import { Timeline } from "./timeline.js";
import { traitsOf } from "./traits.js";
import { TREBUCHET, centred, font, text, toUnits } from "./widgets.js";
import { Visitor } from "./visitor.js";
import { drawChecking, drawSettings, loadSettings } from "./settings.js";

var FPS = K.original_fps;

// The page for `cfg`, the token's JSON block (see main.js).
export function Art(cfg) {
  this.cfg = cfg;
  this.traits = traitsOf(cfg);
  this.settings = loadSettings(this.traits);
  var pal = palette(this.traits.palette);
  this.colors = { paper: parseHex(pal.paper), ink: parseHex(pal.pattern), start: pal.stops[0] };
  this.showFrame = true;
  this.showInfo = false;
  this.frame = 0;
  this.drawn = false;  // the clock has drawn its first frame
  this.paused = false;
  this.setupFrame = 0;  // the frame the reveal last started at
  this.sweep = null;  // {r0: its first frame after setupFrame, line: its Timeline}
  this.cardStart = null;  // the frame the result card opened at
  this.warning = null;  // {word, start}
  this.form = null;  // the settings card's fields, when open
  this.checking = false;  // the «update()» card is up
  this.invalid = [false, false];  // the notes by the settings card's two addresses
  this.pointer = null;  // the mouse, in CSS pixels
  this.ui();
  this.visitor = new Visitor(this);
}

Art.prototype.ui = function () {
  var css = "margin:0;height:100%;overflow:hidden;";
  doc.documentElement.style.cssText = css;
  doc.body.style.cssText = css + "background:" + rgba(this.colors.paper, 1) + ";";
  this.canvas = element("canvas", "display:block;width:100vw;height:100vh;", doc.body);
  this.canvas.setAttribute("role", "img");
  this.message = element("div", "position:fixed;left:12px;right:12px;top:12px;display:none;padding:10px 12px;" +
    "border-radius:6px;background:#7a1f1f;color:#fff;white-space:pre-wrap;font:13px/1.45 monospace;", doc.body);
  this.message.setAttribute("role", "alert");
  var self = this;
  root.addEventListener("message", function (e) { self.pin(e.data && e.data.perceptron); });
  this.resize();
};

// The canvas fills the window at any aspect ratio (ORIGINAL.md section 11), at the screen's
// pixel density; the portrait is laid out again for the new shape.
Art.prototype.resize = function () {
  var ratio = root.devicePixelRatio || 1;
  this.view = [Math.max(1, root.innerWidth), Math.max(1, root.innerHeight)];
  this.canvas.width = Math.max(1, Math.round(this.view[0] * ratio));
  this.canvas.height = Math.max(1, Math.round(this.view[1] * ratio));
  if (!this.life) {
    this.loading();
    return;
  }
  this.layout();
  // the dust of Dead and Rebirth starts anew in the new frame (rather than stepping every
  // frame since the page opened again to find where it is now)
  if (!this.painter.network) this.setupFrame = this.frame;
  if (this.visitor) this.visitor.relayout();
  this.draw();
};

// ORIGINAL.md section 14: paper with «main()» while the model and the chain state load.
Art.prototype.loading = function () {
  var ctx = this.canvas.getContext("2d"), ink = rgba(this.colors.ink, 1);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = rgba(this.colors.paper, 1);
  ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
  centred(ctx, this.canvas.width, this.canvas.height);
  font(ctx, 50, TREBUCHET, "bold");
  text(ctx, "main()", 0, 0, ink, "center", ink);
};

Art.prototype.showError = function (words) {
  this.message.textContent = words;
  this.message.style.display = words ? "block" : "none";
};

Art.prototype.start = function () {
  var self = this, cfg = this.cfg, settings = this.settings;
  var modelId = settings.m || cfg.m;
  var embedded = doc.getElementById("perceptron-model");
  var where = embedded && !settings.m ? "the embedded model" : "/content/" + modelId;
  // no model named or embedded (the report's live art from disk): the traits' network, quietly
  var modelText = !modelId && !embedded ? Promise.resolve(null) : settings.m || !embedded
    ? fetchText("/content/" + modelId, 20000).catch(function (err) {
      throw new ModelError(where, null, "cannot load the model (" + err.message + ")");
    })
    : Promise.resolve(embedded.textContent);
  var chain = chainState(settings.c || (cfg.x ? "pinned" : "ord"), cfg.c || DATA.chain);
  return Promise.all([
    modelText.then(function (words) { return words === null ? null : parseModel(words, where); })
      .catch(function (err) { return err; }),
    chain
  ]).then(function (results) {
    if (results[0] instanceof Error) {
      self.model = null;
      self.showError("This Perceptron's model could not be read, so it cannot think; its " +
        "portrait shows the network of its traits.\n" + results[0].message);
    } else {
      self.model = results[0];
    }
    self.chain = self.pinned || results[1];
    self.setup();
    self.run();
    return self;
  });
};

Art.prototype.setup = function () {
  var t = this.traits;
  this.sizes = this.model && this.model.hiddenSizes.length ? this.model.hiddenSizes : t.hiddenSizes;
  this.life = traitsLifeState(t, this.sizes, this.chain.time);
  this.rows = panelRows(t, this.sizes, this.life, this.model);
  this.canvas.setAttribute("aria-label", describe(this.rows, this.chain));
  doc.title = "Perceptron #" + t.token;
  this.layout();
  this.stillScene = this.painter.scene;
};

// Shows the moment `m` = {time: Unix seconds, fee_rate: sat/vB} from now on, as a pinned chain
// state (no block height); a page embedding this one sends it with postMessage({perceptron: m}).
// Before the page has started, it replaces the chain state the page would read.
Art.prototype.pin = function (m) {
  if (!m || typeof m.time !== "number" || !isFinite(m.time) || !(m.fee_rate >= 0)) return;
  this.pinned = { time: m.time, height: null, fee_rate: +m.fee_rate, source: "pinned by the page" };
  if (!this.life) return;
  this.chain = this.pinned;
  this.setup();
  if (!this.painter.network) this.setupFrame = this.frame;  // the dust starts anew, as on resize
  if (this.visitor) this.visitor.relayout();
  this.draw();
};

// The portrait on the canvas's shape: its painter and its timeline (and a sweep's).
Art.prototype.layout = function () {
  this.painter = new Painter(this.traits, this.sizes, this.life, this.canvas.width, this.canvas.height, true);
  this.timeline = this.makeTimeline(Infinity, false);
  if (this.sweep) this.sweep.line = this.makeTimeline(this.sweep.r0 - this.timeline.revealFrames, true);
};

// The page's timeline: the reveal, then `idle` frames of blinking, then the sweep if asked.
Art.prototype.makeTimeline = function (idle, sweep) {
  var scene = this.painter.scene, xs = scene.column_x;
  return new Timeline({
    columns: xs.length, acceleration: this.traits.acceleration, fee_rate: this.chain.fee_rate,
    live: liveNodes(scene.nodes).map(function (n) { return n.id; }), rebirths: this.life.rebirths,
    hidden_sizes: this.sizes,
    x_range: [xs[0], xs[xs.length - 1]], fps: FPS, idle: idle, reveal: this.painter.network, sweep: sweep
  });
};

// Frame k's options: the sweep while it runs, the portrait whole and still under the result
// card (the original does not blink there), else the reveal and the idle blink.
Art.prototype.options = function (k) {
  var r = k - this.setupFrame;
  if (this.cardStart !== null) {
    return { index: r, reveal: null, erased: [], line_clip: null, dust_clock: this.timeline.dustClock(r),
             show_frame: true };
  }
  if (this.sweep && r >= this.sweep.r0 && r < this.sweep.line.length) return this.sweep.line.options(r);
  return this.timeline.options(r);
};

// Whether the reveal has shown the last gap of lines (classifying is allowed from then on).
Art.prototype.revealed = function () {
  return this.frame - this.setupFrame >= this.timeline.revealFrames;
};

Art.prototype.draw = function () {
  var k = this.frame;
  if (this.sweep && k - this.setupFrame >= this.sweep.line.length) {
    this.cardStart = this.setupFrame + this.sweep.line.length;  // the card opens as the sweep ends
    this.sweep = null;
    this.visitor.cardOpened();
  }
  if (this.warning && flashOver(k - this.warning.start)) this.warning = null;
  var hover = this.pointer ? toUnits(this.view[0], this.view[1], this.pointer[0], this.pointer[1]) : null;
  this.render(this.canvas.getContext("2d"), this.painter, k, this.options(k), hover);
};

// Frame k drawn by `painter` (its canvas's size) with its options, and every card that is up.
Art.prototype.render = function (ctx, painter, k, opts, hover) {
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  painter.paint(ctx, opts, this.showFrame);
  ctx.save();
  var view = centred(ctx, painter.width, painter.height), colors = this.colors;
  if (this.cardStart !== null) {
    var j = k - this.cardStart, flicker = Math.round(K.flicker_seconds * FPS), settled = j >= flicker;
    var name = settled ? this.result.top : flickerName(this.model.classes, this.traits.seed, this.traits.token, j);
    drawCard(ctx, view, { colors: colors, result: this.result, life: this.life, image: this.image, name: name,
                          settled: settled, hover: hover });
  }
  if (this.warning && flashShown(k - this.warning.start)) drawWarning(ctx, colors, this.warning.word);
  if (this.form) drawSettings(ctx, view, colors, this.invalid, hover);
  if (this.showInfo) drawPanel(ctx, view, colors, this.rows);
  if (this.checking) drawChecking(ctx, view, colors);
  ctx.restore();
};

// The still: fully revealed, nothing blinking, nothing swept (the Rebirth dust at `index`).
Art.prototype.still = function (index) {
  this.paused = true;
  var opts = { reveal: null, erased: [], line_clip: null, dust_clock: index || 0 };
  this.render(this.canvas.getContext("2d"), this.painter, this.frame, opts, null);
};

// Frame k of the page's clock, drawn at once (the page stops its own clock).
Art.prototype.frameAt = function (k) {
  this.paused = true;
  this.frame = k;
  this.draw();
};

// The clock: the original's frames at 60 Hz from the browser's time. After a gap of more
// than a quarter of a second (a hidden tab, a busy machine) it goes on from the next frame, as
// the original's frame counter does, rather than catching up with everything that moved.
Art.prototype.run = function () {
  var self = this, started = null, last = 0;
  var tick = function (now) {
    if (started === null || now - last > 250) {
      var next = started === null ? self.frame : self.frame + 1;
      started = now - (next + 0.5) * 1000 / FPS;  // mid-frame, so rounding keeps `next`
    }
    last = now;
    if (!self.paused) {
      var frame = Math.floor((now - started) * FPS / 1000);
      if (frame !== self.frame || !self.drawn) {
        self.frame = frame;
        self.drawn = true;
        self.draw();
      }
    }
    root.requestAnimationFrame(tick);
  };
  root.requestAnimationFrame(tick);
};

// Whether the page may classify now; else it flashes its refusal (Dead, Rebirth, or a layer
// with no living neuron once revealed) or does nothing (a card or the reveal under way).
Art.prototype.mayClassify = function () {
  if (!this.life || this.form || this.checking || this.sweep || this.cardStart !== null) return false;
  var word = classifyRefusal(this.life), stage = this.life.stage;
  if (stage === "Dead" || stage === "Rebirth" || (word && this.revealed())) {
    this.warning = { word: word, start: this.frame };
    if (this.paused) this.draw();
    return false;
  }
  return this.revealed() && this.canThink();
};

// Whether the page has a model to think with; else it says so.
Art.prototype.canThink = function () {
  if (!this.model) this.showError("This Perceptron has no readable model, so it cannot classify images.");
  return !!this.model;
};

// Classifies `pixels` (the model's input, RGB) shown as `image`: the sweep starts at the next
// frame (or once the reveal is over), and the card opens when it ends.
Art.prototype.classifyPixels = function (pixels, image) {
  var result = classify(this.model, pixels, this.life.neuron_life);
  this.pixels = pixels;
  this.result = result;
  this.image = image || this.visitor.pixelImage(pixels);
  this.cardStart = null;
  this.visitor.cardClosed();
  this.showError("");
  var r0 = Math.max(this.frame + 1 - this.setupFrame, this.timeline.revealFrames + 1);
  this.sweep = { r0: r0, line: this.makeTimeline(r0 - this.timeline.revealFrames, true) };
  if (this.paused) this.draw();
  return result;
};

// «CLOSE» (or Esc): the card goes and the reveal plays again.
Art.prototype.closeCard = function () {
  this.cardStart = null;
  this.visitor.cardClosed();
  this.setupFrame = this.frame;
  if (this.paused) this.draw();
};
