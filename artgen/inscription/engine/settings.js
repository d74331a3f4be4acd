/* What a visitor can change on a token's page (key U, ORIGINAL.md section 10): its chain source
 * (a Bitcoin full node's address, or ord, or a moment) and its model.
 *
 * Kept in localStorage per token ("perceptron|seed|token" -> {"c": chain source, "m": model
 * id}). The settings card is drawn on the canvas, its two text fields and its invisible
 * buttons are DOM elements laid over it. On «UPDATE» the «update()» card stays up for at least
 * 1 s while both addresses are checked; both valid (an empty field is valid), they are stored
 * and the page reloads, else the card comes back with a note by each invalid one.
 */

import { readSource, sourceKind } from "./chain.js";
import { doc, element, root } from "./dom.js";
import { rgba } from "./palette.js";
import { TREBUCHET, button, centredBox, dim, font, inside, panel, text } from "./widgets.js";

var STORE = "perceptron|";
var ID = /^[0-9a-f]{64}i[0-9]+$/;
export var CHECK_MS = 1000;
// In u about the centre (ORIGINAL.md section 10).
var CARD = [600, 200], LABEL_X = -252.5, NOTE_X = 252.5, FIELD = [500, 25];
var ROWS = [
  { label: "UPDATE BITCOIN FULL NODE ADDRESS", y: -55, field: [-252.5, -40], note: "(*) Invalid Address", noteY: -53 },
  { label: "UPDATE MODEL ADDRESS", y: 20, field: [-252.2, 35], note: "(*) Invalid Model", noteY: 23 }
];
export var SETTINGS_BUTTONS = [["UPDATE", [-155, 115, -5, 155]], ["CLOSE", [5, 115, 155, 155]]];

function storeName(traits) {
  return STORE + traits.seed + "|" + traits.token;
}

export function loadSettings(traits) {
  try {
    return JSON.parse(root.localStorage.getItem(storeName(traits))) || {};
  } catch (err) {
    return {};
  }
}

// Stores `settings` (removes them when empty); false when the page cannot keep them.
export function saveSettings(traits, settings) {
  try {
    if (Object.keys(settings).length) root.localStorage.setItem(storeName(traits), JSON.stringify(settings));
    else root.localStorage.removeItem(storeName(traits));
    return true;
  } catch (err) {
    return false;
  }
}

// The model id in an address: an inscription id, or /content/<id>; null when it is neither.
export function modelId(address) {
  var id = address.trim().replace(/^.*\/content\//, "");
  return ID.test(id) ? id : null;
}

// Whether a chain source answers as SPEC 4 and ORIGINAL.md section 10 ask (empty: valid).
export function checkNode(address, fallback) {
  if (!address.trim()) return Promise.resolve(true);
  if (sourceKind(address) === "default" && address.trim() !== "default") return Promise.resolve(false);
  return readSource(address, fallback).then(function () { return true; }, function () { return false; });
}

// Whether a model address loads: `load(id)` resolves with the parsed model (empty: valid).
export function checkModel(address, load) {
  if (!address.trim()) return Promise.resolve(true);
  var id = modelId(address);
  if (!id) return Promise.resolve(false);
  return load(id).then(function () { return true; }, function () { return false; });
}

// The settings card's DOM: a form with the two fields and the two invisible buttons, laid over
// the drawn card in a window `width` x `height` CSS pixels. `values` fill the fields.
export function settingsForm(values, width, height, on) {
  var u = Math.min(width, height) / 1024, at = function (x, y) { return [width / 2 + x * u, height / 2 + y * u]; };
  var form = element("form", "position:fixed;left:0;top:0;margin:0;", doc.body);
  form.fields = ROWS.map(function (row, i) {
    var p = at(row.field[0], row.field[1]);
    var input = element("input", "position:fixed;box-sizing:border-box;font-size:15px;left:" + p[0] + "px;top:" +
      p[1] + "px;width:" + FIELD[0] * u + "px;height:" + FIELD[1] * u + "px;", form);
    input.value = values[i] || "";
    input.setAttribute("aria-label", row.label);
    return input;
  });
  SETTINGS_BUTTONS.forEach(function (b, i) {
    var p = at(b[1][0], b[1][1]), q = at(b[1][2], b[1][3]);
    var el = element("button", "position:fixed;opacity:0;margin:0;left:" + p[0] + "px;top:" + p[1] + "px;width:" +
      (q[0] - p[0]) + "px;height:" + (q[1] - p[1]) + "px;", form);
    el.type = i === 0 ? "submit" : "button";
    el.textContent = b[0];
    if (i === 1) el.addEventListener("click", on.close);
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    on.submit(form.fields.map(function (f) { return f.value; }));
  });
  form.fields[0].focus();
  return form;
}

// The settings card on the canvas (`ctx` set by widgets.centred): the dark overlay, the card,
// the labels, the notes by invalid addresses, the buttons under it (`hover`: the pointer in u).
export function drawSettings(ctx, view, colors, invalid, hover) {
  var start = rgba(colors.start, 1);
  dim(ctx, view, 75 / 255);
  panel(ctx, centredBox(CARD[0], CARD[1]), 25, rgba(colors.paper, 1), rgba(colors.ink, 1), 8);
  SETTINGS_BUTTONS.forEach(function (b) { button(ctx, b[1], b[0], colors, inside(b[1], hover)); });
  ROWS.forEach(function (row, i) {
    font(ctx, 20, TREBUCHET, "bold");
    text(ctx, row.label, LABEL_X, row.y, start);
    if (invalid[i]) {
      font(ctx, 15, TREBUCHET, "italic");
      text(ctx, row.note, NOTE_X, row.noteY, start, "right");
    }
  });
}

// The «update()» card shown while the addresses are checked.
export function drawChecking(ctx, view, colors) {
  var start = rgba(colors.start, 1);
  dim(ctx, view, 75 / 255);
  panel(ctx, centredBox(CARD[0], CARD[1]), 25, rgba(colors.paper, 1), rgba(colors.ink, 1), 8);
  font(ctx, 50, TREBUCHET, "bold");
  text(ctx, "update()", 0, 2.5, start, "center", start);
}
