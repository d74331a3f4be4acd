/* The collection report's shared code (every page loads it after data/collection.js).
 *
 * - the palette: light or dark, the system's until the Theme button picks one;
 * - the list: which tokens the grid shows and in what order, from a state (sort, filters,
 *   search) kept in the address, so the collection page and the token page (previous, next)
 *   read the same list from the same link;
 * - thumbnails: a cell of a thumbnail sheet, or for a sampler audit (no stills) the portrait
 *   drawn by the art engine itself, a few per frame.
 * Plain scripts, no modules: pages opened from disk (file://) may load no ES module.
 */
(function () {
  "use strict";
  var R = (self.Report = self.Report || {});
  var C = R.collection;
  var T = C.tokens;
  var doc = document;

  // -- small helpers --------------------------------------------------------------------------
  R.el = function (tag, attrs, parent, text) {
    var node = doc.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "class") node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (parent) parent.appendChild(node);
    return node;
  };
  R.fmt = function (n) { return Number(n).toLocaleString("en-US"); };
  R.pct = function (x) { return (100 * x).toFixed(x < 0.1 ? 2 : 1) + "%"; };
  R.iso = function (t) {
    var d = new Date(t * 1000);
    return isNaN(d.getTime()) ? String(t) : d.toISOString().slice(0, 16).replace("T", " ") + " UTC";
  };
  R.count = T.token.length;
  var indexOf = {}, maxToken = 0;
  T.token.forEach(function (t, i) { indexOf[t] = i; maxToken = Math.max(maxToken, t); });
  R.indexOf = function (token) { return indexOf.hasOwnProperty(token) ? indexOf[token] : -1; };
  R.value = function (k, i) { return C.traits[k].values[T.codes[k][i]]; };
  R.traitIndex = function (name) {
    for (var k = 0; k < C.traits.length; k++) if (C.traits[k].name === name) return k;
    return -1;
  };

  // -- the palette ------------------------------------------------------------------------------
  var THEME = "artgen-report-theme";
  function setTheme(theme) {
    if (theme === "light" || theme === "dark") doc.documentElement.setAttribute("data-theme", theme);
    else doc.documentElement.removeAttribute("data-theme");
  }
  try { setTheme(localStorage.getItem(THEME)); } catch (err) { /* no storage from this page */ }
  var themeButton = doc.getElementById("theme");
  if (themeButton) {
    themeButton.addEventListener("click", function () {
      var now = doc.documentElement.getAttribute("data-theme") ||
        (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");
      var next = now === "dark" ? "light" : "dark";
      setTheme(next);
      try { localStorage.setItem(THEME, next); } catch (err) { /* kept for this page only */ }
    });
  }

  // -- the list: sort, filters, search ------------------------------------------------------
  R.SORTS = [
    { key: "rank", label: "Rarity rank" },
    { key: "tools", label: "Rarity rank (rarity.tools)" },
    { key: "number", label: "Number" }
  ].concat(C.traits.map(function (t) { return { key: "trait:" + t.name, label: t.name }; }));

  // A state from an address's hash: sort, dir, q (token numbers), stage, flagged, upgraded,
  // t (the token in focus), and any trait name with the values kept (repeated keys).
  R.parseState = function (hash) {
    var p = new URLSearchParams(String(hash || "").replace(/^#/, ""));
    var state = {
      sort: p.get("sort") || "rank", dir: p.get("dir") === "desc" ? "desc" : "asc",
      q: p.get("q") || "", stages: p.getAll("stage"), flagged: p.get("flagged") === "1",
      upgraded: p.get("upgraded") === "1", focus: p.has("t") ? +p.get("t") : null, traits: {}
    };
    if (!R.SORTS.some(function (s) { return s.key === state.sort; })) state.sort = "rank";
    C.traits.forEach(function (t) {
      var kept = p.getAll(t.name);
      if (kept.length) state.traits[t.name] = kept;
    });
    return state;
  };

  R.stateHash = function (state, withFocus) {
    var p = new URLSearchParams();
    if (state.sort !== "rank") p.set("sort", state.sort);
    if (state.dir === "desc") p.set("dir", "desc");
    if (state.q) p.set("q", state.q);
    state.stages.forEach(function (s) { p.append("stage", s); });
    if (state.flagged) p.set("flagged", "1");
    if (state.upgraded) p.set("upgraded", "1");
    C.traits.forEach(function (t) {
      (state.traits[t.name] || []).forEach(function (v) { p.append(t.name, v); });
    });
    if (withFocus && state.focus !== null) p.set("t", String(state.focus));
    return p.toString();
  };

  // Token numbers the search keeps: "7", "10-20" or "10..20", several with commas; null: all.
  function numbers(q) {
    var parts = q.split(/[\s,]+/).filter(Boolean);
    if (!parts.length) return null;
    var ranges = [];
    parts.forEach(function (part) {
      var m = /^#?(\d+)(?:\s*(?:-|\.\.)\s*(\d+))?$/.exec(part);
      if (m) ranges.push([+m[1], m[2] === undefined ? +m[1] : +m[2]]);
    });
    return ranges;
  }

  function sortKey(state) {
    if (state.sort === "rank") return T.information_rank;
    if (state.sort === "tools") return T.rarity_tools_rank;
    if (state.sort === "number") return T.token;
    var k = R.traitIndex(state.sort.slice(6));
    var t = C.traits[k], rank = {};
    // the table's order (numbers ascending); values outside the table after, in their order
    t.values.map(function (v, code) { return [v, code]; }).sort(function (a, b) {
      var known = (a[1] >= t.known) - (b[1] >= t.known);
      if (known) return known;
      if (typeof a[0] === "number" && typeof b[0] === "number") return a[0] - b[0];
      return a[1] - b[1];
    }).forEach(function (pair, n) { rank[pair[1]] = n; });
    return T.codes[k].map(function (code) { return rank[code]; });
  }

  // The indices (into the collection's columns) the state keeps, in its order.
  R.list = function (state) {
    var keep = [];
    C.traits.forEach(function (t, k) {
      var wanted = state.traits[t.name];
      if (!wanted) return;
      var ok = t.values.map(function (v) { return wanted.indexOf(String(v)) >= 0; });
      keep.push([T.codes[k], ok]);
    });
    var stages = state.stages.map(function (s) { return C.stages.indexOf(s); });
    var ranges = numbers(state.q);
    var out = [];
    for (var i = 0; i < R.count; i++) {
      if (state.flagged && !T.flags[i]) continue;
      if (state.upgraded && !T.upgraded[i]) continue;
      if (stages.length && stages.indexOf(T.stage[i]) < 0) continue;
      var pass = true;
      for (var f = 0; f < keep.length && pass; f++) pass = keep[f][1][keep[f][0][i]];
      if (!pass) continue;
      if (ranges) {
        var t = T.token[i], hit = false;
        for (var r = 0; r < ranges.length && !hit; r++) hit = t >= ranges[r][0] && t <= ranges[r][1];
        if (!hit) continue;
      }
      out.push(i);
    }
    // one number per token (its key, then its number) sorted natively: 10,000 in a few ms
    var key = sortKey(state), sign = state.dir === "desc" ? -1 : 1, span = maxToken + 1;
    var order = new Float64Array(out.length);
    for (var n = 0; n < out.length; n++) order[n] = sign * key[out[n]] * span + T.token[out[n]];
    order.sort();
    for (n = 0; n < out.length; n++) out[n] = indexOf[((order[n] % span) + span) % span];
    return out;
  };

  // -- tokens as the art engine reads them -------------------------------------------------
  R.config = function (i) {
    var values = C.traits.map(function (t, k) { return R.value(k, i); });
    return {
      t: [String(C.summary.seed), T.token[i]].concat(values), h: T.hidden[i],
      y: C.life_cycle_days[R.value(R.traitIndex("Life Cycle"), i)] || 1
    };
  };

  // The portrait of token i at `time` on `canvas` (side x side pixels), by the engine.
  R.drawPortrait = function (canvas, i, time, side) {
    var P = self.Perceptron, cfg = R.config(i), traits = P.traitsOf(cfg);
    var life = P.traitsLifeState(traits, cfg.h, time);
    canvas.width = canvas.height = side;
    P.drawScene(canvas.getContext("2d"), P.buildScene(traits, cfg.h, life, {}), side);
    return life;
  };

  var queue = [], pending = false, waiting = null;
  function engine(done) {
    if (self.Perceptron) return done();
    if (waiting) return waiting.push(done);
    waiting = [done];
    var src = R.assets + "engine.js";
    var tag = R.el("script", { src: src }, doc.body);
    tag.onload = function () { waiting.forEach(function (f) { f(); }); waiting = null; };
  }
  R.assets = "assets/";
  function drain() {
    pending = false;
    var start = performance.now();
    while (queue.length && performance.now() - start < 12) {
      var job = queue.shift();
      if (job[0].isConnected && job[0].dataset.i === String(job[1])) {
        R.drawPortrait(job[0], job[1], C.summary.moment.time, job[2]);
        job[0].dataset.drawn = "1";
      }
    }
    if (queue.length) schedule();
  }
  function schedule() {
    if (!pending) {
      pending = true;
      engine(function () { requestAnimationFrame(drain); });
    }
  }

  // Fills `box` (an element with the thumb class) with token i's thumbnail.
  R.thumb = function (box, i) {
    var t = C.thumbs;
    box.dataset.i = String(i);
    box.classList.remove("blank");
    box.textContent = "";
    box.style.backgroundImage = "";
    if (t.kind === "sheet") {
      if (T.flags[i] & 8) {
        box.classList.add("blank");
        box.textContent = "no still";
        return;
      }
      var per = t.columns * t.columns, k = Math.floor(i / per), n = i % per;
      var rows = Math.ceil(Math.min(per, R.count - k * per) / t.columns);
      var col = n % t.columns, row = Math.floor(n / t.columns);
      box.style.backgroundImage = 'url("' + t.files[k] + '")';
      box.style.backgroundSize = t.columns * 100 + "% " + rows * 100 + "%";
      box.style.backgroundPosition = (col / (t.columns - 1)) * 100 + "% " +
        (rows > 1 ? (row / (rows - 1)) * 100 : 0) + "%";
    } else {
      var canvas = R.el("canvas", { "aria-hidden": "true" }, box);
      canvas.dataset.i = String(i);
      var side = Math.min(256, Math.round((box.clientWidth || 150) * (self.devicePixelRatio || 1)));
      queue.push([canvas, i, side]);
      schedule();
    }
  };
  R.fillThumbs = function (root) {
    Array.prototype.forEach.call((root || doc).querySelectorAll(".thumb[data-i]"), function (box) {
      R.thumb(box, +box.dataset.i);
    });
  };
})();
