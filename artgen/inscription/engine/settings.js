/* What a visitor can change on a token's page: its model and its chain source.
 *
 * Kept in localStorage per token ("perceptron|seed|token" -> {"m": model id, "c": chain
 * source}); the settings card (key U) edits them and reloads the page with them.
 */

import { doc, element, root } from "./dom.js";

var STORE = "perceptron|";
var ID = /^[0-9a-f]{64}i[0-9]+$/;

export function loadSettings(traits) {
  try {
    return JSON.parse(root.localStorage.getItem(STORE + traits.seed + "|" + traits.token)) || {};
  } catch (err) {
    return {};
  }
}

function saveSettings(traits, settings) {
  try {
    var name = STORE + traits.seed + "|" + traits.token;
    if (settings) root.localStorage.setItem(name, JSON.stringify(settings));
    else root.localStorage.removeItem(name);
    return true;
  } catch (err) {
    return false;
  }
}

// The settings card, shown: "Apply and reload" keeps the fields and reloads, "Reset" forgets
// them and reloads, "Cancel" calls `close` and changes nothing (so does Esc, see app.js).
// `modelHint` is the token's own model id, shown when no other is set.
export function settingsForm(traits, settings, modelHint, close) {
  var form = element("form", "position:fixed;left:50%;top:50%;transform:translate(-50%,-50%);" +
    "padding:14px;border-radius:6px;background:rgba(20,20,20,.94);color:#eee;display:grid;gap:8px;" +
    "width:min(560px,90vw);", doc.body);
  var field = function (label, value, hint) {
    var l = element("label", "display:grid;gap:3px;", form);
    element("span", "", l).textContent = label;
    var input = element("input", "font:inherit;padding:4px;", l);
    input.value = value || "";
    input.placeholder = hint;
    return input;
  };
  var model = field("Model inscription id", settings.m || "", modelHint || "64 hex digits, i, index");
  var chain = field("Chain source", settings.c || "", "ord (this server), default, ord+https://host, or a time[@fee]");
  var row = element("div", "display:flex;gap:8px;", form);
  var button = function (type, text) {
    var b = element("button", "", row);
    b.type = type;
    b.textContent = text;
    return b;
  };
  button("submit", "Apply and reload");
  var reset = button("button", "Reset");
  var cancel = button("button", "Cancel");
  var note = element("div", "color:#f99;", form);
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var id = model.value.trim().replace("/content/", "");
    if (id && !ID.test(id)) {
      note.textContent = "expected an inscription id: 64 hex digits, 'i', an index";
      return;
    }
    var next = {};
    if (id) next.m = id;
    if (chain.value.trim()) next.c = chain.value.trim();
    if (!saveSettings(traits, next)) note.textContent = "this page cannot keep settings (no localStorage)";
    else root.location.reload();
  });
  reset.addEventListener("click", function () {
    saveSettings(traits, null);
    root.location.reload();
  });
  cancel.addEventListener("click", close);
  model.focus();
  return form;
}
