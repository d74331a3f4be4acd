/* What a visitor does on the page (ORIGINAL.md sections 8-10): double-clicks or drops an image,
 * presses keys, moves the mouse over the drawn buttons, clicks the invisible DOM buttons laid
 * over them, fills in the settings card, saves PNGs.
 *
 * Keys come from keydown, case-insensitive; they wait for the page to start, and all but Esc
 * are ignored while the settings or the «update()» card is up or a text field has focus.
 */

import { cardButtons } from "./card.js";
import { fetchText } from "./chain.js";
import { DATA } from "./data.js";
import { doc, element, root } from "./dom.js";
import { parseModel } from "./model.js";
import { Painter } from "./painter.js";
import { resizeBilinear } from "./resize.js";
import { CHECK_MS, checkModel, checkNode, modelId, saveSettings, settingsForm } from "./settings.js";

export function Visitor(art) {
  this.art = art;
  this.cardDom = [];
  var self = this, canvas = art.canvas;
  this.input = element("input", "display:none;", doc.body);
  this.input.type = "file";
  this.input.accept = "image/*";
  this.input.addEventListener("change", function () {
    if (self.input.files && self.input.files[0]) self.classifyFile(self.input.files[0]);
    self.input.value = "";
  });
  canvas.addEventListener("dblclick", function () {
    if (art.mayClassify()) self.input.click();
  });
  root.addEventListener("dragover", function (e) { e.preventDefault(); });
  root.addEventListener("drop", function (e) {
    e.preventDefault();
    var file = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
    if (file && art.mayClassify()) self.classifyFile(file);
  });
  root.addEventListener("keydown", function (e) { self.key(e); });
  root.addEventListener("resize", function () { art.resize(); });
  // over the whole window: the invisible buttons lie over the drawn ones
  root.addEventListener("mousemove", function (e) { art.pointer = [e.clientX, e.clientY]; });
  doc.documentElement.addEventListener("mouseleave", function () { art.pointer = null; });
}

Visitor.prototype.key = function (e) {
  var art = this.art, k = (e.key || "").toLowerCase();
  if (e.ctrlKey || e.metaKey || e.altKey || !art.life) return;
  if (k === "escape") {
    if (art.form && !art.checking) this.closeSettings();
    else if (art.cardStart !== null) art.closeCard();
    else art.showInfo = false;
    e.preventDefault();
  } else if (art.form || art.checking || (e.target && /^(INPUT|TEXTAREA)$/.test(e.target.tagName))) {
    return;
  } else if (k === "i") {
    art.showInfo = !art.showInfo;
  } else if (k === "b") {
    art.showFrame = !art.showFrame;
  } else if (k === "s" || k === "k") {
    this.save(k === "k");
  } else if (k === "u") {
    if (art.sweep || art.cardStart !== null || art.warning) return;
    art.showInfo = false;
    this.openSettings([art.settings.c || "", art.settings.m || ""]);
  } else {
    return;
  }
  e.preventDefault();
  if (art.paused) art.draw();
};

// A file chosen or dropped: decoded, drawn over white, resized to the model's input
// (bilinear, as Pillow does) and classified; the picture shows on the card.
Visitor.prototype.classifyFile = function (file) {
  var art = this.art;
  if (!art.canThink()) return;
  var url = URL.createObjectURL(file), img = new Image();
  img.onload = function () {
    var w = img.naturalWidth, h = img.naturalHeight, shape = art.model.inputShape;
    var c = doc.createElement("canvas");
    c.width = w;
    c.height = h;
    var ctx = c.getContext("2d");
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, w, h);
    ctx.drawImage(img, 0, 0);
    art.classifyPixels(resizeBilinear(ctx.getImageData(0, 0, w, h).data, w, h, shape[1], shape[0]), img);
  };
  img.onerror = function () {
    art.showError("That file is not an image this browser can read: " + file.name);
  };
  img.src = url;
};

// The model's input pixels (RGB) as a picture for the card.
Visitor.prototype.pixelImage = function (pixels) {
  var shape = this.art.model.inputShape, c = doc.createElement("canvas");
  c.width = shape[1];
  c.height = shape[0];
  var ctx = c.getContext("2d"), data = ctx.createImageData(c.width, c.height);
  for (var i = 0; i < c.width * c.height; i++) {
    data.data.set([pixels[3 * i], pixels[3 * i + 1], pixels[3 * i + 2], 255], 4 * i);
  }
  ctx.putImageData(data, 0, 0);
  return c;
};

// A box in u about the centre, as CSS pixels of the window: [left, top, width, height].
Visitor.prototype.cssBox = function (b) {
  var v = this.art.view, u = Math.min(v[0], v[1]) / 1024;
  return [v[0] / 2 + b[0] * u, v[1] / 2 + b[1] * u, (b[2] - b[0]) * u, (b[3] - b[1]) * u];
};

// Invisible DOM buttons over the card's drawn ones: «SELECT ANOTHER IMAGE» keeps the network
// and opens the file dialog again, «CLOSE» closes the card and replays the reveal.
Visitor.prototype.cardOpened = function () {
  var self = this, art = this.art;
  this.cardClosed();
  this.cardDom = cardButtons().map(function (b, i) {
    var box = self.cssBox(b[1]);
    var el = element("button", "position:fixed;opacity:0;margin:0;padding:0;left:" + box[0] + "px;top:" + box[1] +
      "px;width:" + box[2] + "px;height:" + box[3] + "px;", doc.body);
    el.textContent = b[0];
    el.addEventListener("click", i === 0 ? function () {
      art.cardStart = null;
      self.cardClosed();
      self.input.click();
    } : function () { art.closeCard(); });
    return el;
  });
};

Visitor.prototype.cardClosed = function () {
  this.cardDom.forEach(function (el) { el.remove(); });
  this.cardDom = [];
};

// The window changed shape: the DOM laid over the canvas follows.
Visitor.prototype.relayout = function () {
  if (this.cardDom.length) this.cardOpened();
  if (this.art.form) this.openSettings(this.art.form.fields.map(function (f) { return f.value; }));
};

Visitor.prototype.openSettings = function (values) {
  var self = this, art = this.art;
  if (art.form) art.form.remove();
  art.form = settingsForm(values, art.view[0], art.view[1], {
    close: function () { self.closeSettings(); },
    submit: function (v) { self.submit(v); }
  });
};

Visitor.prototype.closeSettings = function () {
  var art = this.art;
  if (art.form) art.form.remove();
  art.form = null;
  art.invalid = [false, false];
  if (art.paused) art.draw();
};

// «UPDATE»: the «update()» card for at least 1 s while both addresses are checked; both valid,
// they are stored (an empty one removed) and the page reloads, else the card comes back.
Visitor.prototype.submit = function (values) {
  var art = this.art, self = this;
  art.form.remove();
  art.form = null;
  art.checking = true;
  if (art.paused) art.draw();
  var load = function (id) {
    return fetchText("/content/" + id, 20000).then(function (words) { return parseModel(words, "/content/" + id); });
  };
  return Promise.all([
    checkNode(values[0], art.cfg.c || DATA.chain),
    checkModel(values[1], load),
    new Promise(function (done) { setTimeout(done, CHECK_MS); })
  ]).then(function (ok) {
    art.checking = false;
    if (ok[0] && ok[1]) {
      var next = {};
      if (values[0].trim()) next.c = values[0].trim();
      if (values[1].trim()) next.m = modelId(values[1]);
      if (saveSettings(art.traits, next)) {
        root.location.reload();
        return;
      }
      art.showError("This page cannot keep settings (no localStorage).");
    }
    art.invalid = [!ok[0], !ok[1]];
    self.openSettings(values);
    if (art.paused) art.draw();
  });
};

function localTime() {
  var now = Date.now(), offset = new Date(now).getTimezoneOffset() * 60000;
  return new Date(now - offset).toISOString().slice(0, -1);
}

// S: the canvas at window size; K: scaled by min(4096 / short side, 10000 / long side), every
// card that is up included (ORIGINAL.md section 10). Named by the local time.
Visitor.prototype.save = function (big) {
  var art = this.art, v = art.view;
  var f = big ? Math.min(4096 / Math.min(v[0], v[1]), 10000 / Math.max(v[0], v[1])) : 1;
  var c = doc.createElement("canvas");
  c.width = Math.max(1, Math.round(v[0] * f));
  c.height = Math.max(1, Math.round(v[1] * f));
  var painter = new Painter(art.traits, art.sizes, art.life, c.width, c.height, false, art.painter.shape);
  art.render(c.getContext("2d"), painter, art.frame, art.options(art.frame), null);
  var name = (big ? "4K_" : "") + localTime() + ".png";
  c.toBlob(function (blob) {
    var a = element("a", "display:none;", doc.body), href = URL.createObjectURL(blob);
    a.download = name;
    a.href = href;
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(href); }, 10000);
  }, "image/png");
};
