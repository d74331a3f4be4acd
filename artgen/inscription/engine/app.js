/* The page: a token's portrait running on its canvas, and what a visitor can do with it.
 *
 * `Art` reads the token's traits, loads its model and chain state, sets up its life, scene and
 * timeline, runs the animation clock and answers the keys (I info, B frame, S save, U
 * settings, Esc close), double-clicks and dropped images (classified, then the sweep and the
 * result card).
 */

import { showCard } from "./card.js";
import { chainState, fetchText } from "./chain.js";
import { classify } from "./classify.js";
import { DATA, K } from "./data.js";
import { doc, element, root } from "./dom.js";
import { drawScene } from "./draw.js";
import { traitsLifeState } from "./lifecycle.js";
import { ModelError, parseModel } from "./model.js";
import { Timeline, animation } from "./motion.js";
import { palette, parseHex, rgba } from "./palette.js";
import { panelText } from "./panel.js";
import { resizeBilinear } from "./resize.js";
import { buildScene, light } from "./scene.js";
import { loadSettings, settingsForm } from "./settings.js";
import { traitsOf } from "./traits.js";

// The page for `cfg`, the token's JSON block (see main.js).
export function Art(cfg) {
  this.cfg = cfg;
  this.traits = traitsOf(cfg);
  this.settings = loadSettings(this.traits);
  this.showFrame = true;
  this.frame = 0;
  this.paused = false;
  this.sweepStart = null;
  this.ui();
}

Art.prototype.ui = function () {
  var css = "margin:0;height:100%;overflow:hidden;background:#111;";
  doc.documentElement.style.cssText = css;
  doc.body.style.cssText = css + "display:flex;align-items:center;justify-content:center;" +
    "font:13px/1.45 ui-monospace,Menlo,Consolas,monospace;";
  this.canvas = element("canvas", "display:block;cursor:crosshair;", doc.body);
  this.panel = element("div", "position:fixed;left:12px;top:12px;max-width:min(480px,80vw);" +
    "max-height:90vh;overflow:auto;padding:10px 12px;border-radius:6px;display:none;" +
    "background:rgba(20,20,20,.88);color:#eee;white-space:pre-wrap;", doc.body);
  this.card = element("div", "position:fixed;left:50%;bottom:16px;transform:translateX(-50%);" +
    "display:none;align-items:center;gap:12px;padding:10px 14px;border-radius:6px;" +
    "max-width:90vw;background:rgba(20,20,20,.9);color:#eee;", doc.body);
  this.message = element("div", "position:fixed;left:12px;right:12px;top:12px;display:none;" +
    "padding:10px 12px;border-radius:6px;background:#7a1f1f;color:#fff;white-space:pre-wrap;", doc.body);
  this.message.setAttribute("role", "alert");
  this.input = element("input", "display:none;", doc.body);
  this.input.type = "file";
  this.input.accept = "image/*";
  var self = this;
  this.input.addEventListener("change", function () {
    if (self.input.files && self.input.files[0]) self.classifyFile(self.input.files[0]);
    self.input.value = "";
  });
  this.canvas.addEventListener("dblclick", function () { self.input.click(); });
  root.addEventListener("dragover", function (e) { e.preventDefault(); });
  root.addEventListener("drop", function (e) {
    e.preventDefault();
    var file = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
    if (file) self.classifyFile(file);
  });
  root.addEventListener("keydown", function (e) { self.key(e); });
  root.addEventListener("resize", function () { self.resize(); });
  this.resize();
};

Art.prototype.resize = function () {
  var ratio = root.devicePixelRatio || 1;
  var css = Math.max(1, Math.floor(Math.min(root.innerWidth, root.innerHeight)));
  this.canvas.style.width = this.canvas.style.height = css + "px";
  this.canvas.width = this.canvas.height = Math.round(css * ratio);
  this.staticId = null;
  if (this.life) {
    if (this.paused) this.still(this.frame);
    else this.draw();
  }
};

Art.prototype.showError = function (text) {
  this.message.textContent = text;
  this.message.style.display = text ? "block" : "none";
};

Art.prototype.start = function () {
  var self = this, cfg = this.cfg, settings = this.settings;
  var modelId = settings.m || cfg.m;
  var embedded = doc.getElementById("perceptron-model");
  var modelText = settings.m || !embedded
    ? fetchText("/content/" + modelId, 20000).catch(function (err) {
      throw new ModelError("/content/" + modelId, null, "cannot load the model (" + err.message + ")");
    })
    : Promise.resolve(embedded.textContent);
  var chainSource = settings.c || (cfg.x ? "pinned" : "ord");
  var chain = chainState(chainSource, cfg.c || DATA.chain);
  return Promise.all([
    modelText.then(function (text) {
      return parseModel(text, embedded && !settings.m ? "the embedded model" : "/content/" + modelId);
    }).catch(function (err) { return err; }),
    chain
  ]).then(function (results) {
    if (results[0] instanceof ModelError || results[0] instanceof Error) {
      self.model = null;
      self.showError("This Perceptron's model could not be read, so it cannot think; its " +
        "portrait shows the network of its traits.\n" + results[0].message);
    } else {
      self.model = results[0];
    }
    self.chain = results[1];
    self.setup();
    self.run();
    return self;
  });
};

Art.prototype.setup = function () {
  var t = this.traits;
  this.sizes = this.model && this.model.hiddenSizes.length ? this.model.hiddenSizes : t.hiddenSizes;
  this.life = traitsLifeState(t, this.sizes, this.chain.time);
  this.anim = animation(this.chain.fee_rate, t.acceleration);
  this.stillScene = buildScene(t, this.sizes, this.life, {});
  this.timeline = new Timeline(t, this.stillScene, this.anim, !this.cfg.still);
  var pal = palette(t.palette);
  doc.body.style.background = pal.paper;
  doc.title = "Perceptron #" + t.token;
  this.panel.style.color = pal.paper;
  this.panel.style.background = rgba(parseHex(pal.pattern), 0.92);
  this.info();
};

// Frame k's scene: built in full while revealing (or drifting), else the still relit.
Art.prototype.sceneAt = function (k) {
  var opts = this.timeline.options(k, this.sweepStart);
  opts.show_frame = this.showFrame;
  if (opts.node_reveal || !this.stillScene.nodes.length) return buildScene(this.traits, this.sizes, this.life, opts);
  return light(this.stillScene, opts);
};

// Draws `scene`; paper, pattern, frame and (once revealed) lines come from a cached canvas.
Art.prototype.paint = function (scene, revealing) {
  var ctx = this.canvas.getContext("2d"), side = this.canvas.width;
  var layers = revealing ? K.layers : K.dynamic_layers, id = side + "|" + this.showFrame;
  if (!revealing) {
    if (!this.staticLayer || this.staticId !== id) {
      var c = this.staticLayer = this.staticLayer || doc.createElement("canvas");
      c.width = c.height = side;
      drawScene(c.getContext("2d"), scene, side, K.static_layers);
      this.staticId = id;
    }
    ctx.drawImage(this.staticLayer, 0, 0);
  }
  drawScene(ctx, scene, side, layers);
  this.scene = scene;
  return scene;
};

Art.prototype.draw = function () {
  var k = this.frame, scene = this.sceneAt(k);
  if (this.sweepStart !== null && k - this.sweepStart >= this.timeline.sweepFrames) {
    this.sweepStart = null;
    this.showResult();
  }
  return this.paint(scene, k < this.timeline.revealFrames);
};

// The still: fully revealed, no sparks, no sweep; what `artgen render --frame index` draws.
Art.prototype.still = function (index) {
  this.paused = true;
  var scene = buildScene(this.traits, this.sizes, this.life, { index: index || 0, show_frame: this.showFrame });
  return this.paint(scene, true);
};

// Frame k of the animation, drawn at once (the page stops its own clock).
Art.prototype.frameAt = function (k) {
  this.paused = true;
  this.frame = k;
  return this.draw();
};

Art.prototype.run = function () {
  var self = this, started = null;
  var tick = function (now) {
    if (started === null) started = now;
    if (!self.paused) {
      var frame = Math.floor((now - started) * K.fps / 1000);
      if (frame !== self.frame || !self.scene) {
        self.frame = frame;
        self.draw();
      }
    }
    root.requestAnimationFrame(tick);
  };
  if (this.cfg.still) this.still(0);
  else root.requestAnimationFrame(tick);
};

// Esc closes the settings card, the result card and the panel, even while typing in the card;
// the other keys are ignored while a text field has focus.
Art.prototype.key = function (e) {
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  var k = (e.key || "").toLowerCase();
  if (k === "escape") {
    this.closeForm();
    this.card.style.display = "none";
    this.panel.style.display = "none";
    e.preventDefault();
    return;
  }
  if (e.target && (e.target.tagName === "INPUT" || e.target.tagName === "TEXTAREA")) return;
  if (k === "i") {
    this.info();
    this.panel.style.display = this.panel.style.display === "none" ? "block" : "none";
  } else if (k === "b") {
    this.showFrame = !this.showFrame;
    if (this.paused) this.still(this.frame);
  } else if (k === "s") {
    this.save();
  } else if (k === "u") {
    this.upgradeForm();
  } else {
    return;
  }
  e.preventDefault();
};

Art.prototype.info = function () {
  if (this.life) this.panel.textContent = panelText(this.traits, this.sizes, this.life, this.model, this.chain);
};

// Key U: opens the settings card (settings.js), or closes it when open.
Art.prototype.upgradeForm = function () {
  if (this.form) {
    this.closeForm();
    return;
  }
  var self = this;
  this.form = settingsForm(this.traits, this.settings, this.cfg.m, function () { self.closeForm(); });
};

Art.prototype.closeForm = function () {
  if (!this.form) return;
  doc.body.removeChild(this.form);
  this.form = null;
};

Art.prototype.showResult = function () {
  showCard(this.card, this.result, this.model, this.life, this.imageUrl);
};

Art.prototype.save = function () {
  var a = element("a", "display:none;", doc.body);
  a.download = "perceptron-" + this.traits.token + ".png";
  a.href = this.canvas.toDataURL("image/png");
  a.click();
  doc.body.removeChild(a);
};

Art.prototype.classifyFile = function (file) {
  var self = this;
  if (!this.model) {
    this.showError("This Perceptron has no readable model, so it cannot classify images.");
    return;
  }
  var url = URL.createObjectURL(file);
  var img = new Image();
  img.onload = function () {
    var w = img.naturalWidth, h = img.naturalHeight, shape = self.model.inputShape;
    var c = doc.createElement("canvas");
    c.width = w;
    c.height = h;
    var ctx = c.getContext("2d");
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, w, h);
    ctx.drawImage(img, 0, 0);
    var pixels = resizeBilinear(ctx.getImageData(0, 0, w, h).data, w, h, shape[1], shape[0]);
    self.classifyPixels(pixels, url);
  };
  img.onerror = function () {
    self.showError("That file is not an image this browser can read: " + file.name);
  };
  img.src = url;
};

Art.prototype.classifyPixels = function (pixels, imageUrl) {
  var result = classify(this.model, pixels, this.life.neuron_life);
  this.pixels = pixels;
  this.result = result;
  this.imageUrl = imageUrl || "";
  this.card.style.display = "none";
  this.showError("");
  if (this.paused) this.showResult();
  else this.sweepStart = Math.max(this.frame + 1, this.timeline.revealFrames);
  return result;
};
