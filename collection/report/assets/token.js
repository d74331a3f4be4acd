/* The token page (token.html#t=N): one page for every token, filled from the collection's
 * columns and the token's page data (data/tokens-<k>.js, minted collections).
 *
 * The still beside the live art: served by `artgen serve`, the token's own HTML as ord serves
 * it (/content/<id>); from disk, live.html runs the same engine on the token's traits. The
 * time scrubber and the fee-rate slider pin the moment the live art shows (the engine's
 * postMessage hook), and move the marks on the life timeline and the intelligence curve.
 * Keys: Left/Right the previous/next token of the list the grid showed, Esc back to the grid.
 */
(function () {
  "use strict";
  var R = self.Report, C = R.collection, T = C.tokens, doc = document, P = self.Perceptron;
  var K = P.data.constants, YEAR_LIVES = K.life_years;
  var box = doc.getElementById("token");
  var params = new URLSearchParams(location.hash.slice(1));
  var i = R.indexOf(+params.get("t"));
  var listHash = params.get("list") || "";
  var served = /^https?:$/.test(location.protocol);
  var root = (C.links && C.links.root) || "../";

  if (!params.has("t") || i < 0) {
    box.textContent = "";
    R.el("h1", {}, box, "No such token");
    var p = R.el("p", {}, box, "This collection has no token " + (params.get("t") || "") + ". ");
    R.el("a", { href: "index.html" }, p, "See every token.");
    return;
  }
  addEventListener("hashchange", function () { location.reload(); });
  var token = T.token[i], cfg = R.config(i), traits = P.traitsOf(cfg);
  var moment = C.summary.moment;
  var now = +(params.get("time") || moment.time), fee = +(params.get("fee") || moment.fee_rate);

  function load(done) {
    if (C.summary.origin === "sampler") return done(null); // no files, no page data
    var k = Math.floor(token / C.chunk), s = R.el("script", { src: "data/tokens-" + k + ".js" }, doc.body);
    s.onload = function () { done((R.details || {})[token] || null); };
    s.onerror = function () { done(null); };
  }

  // -- pieces -----------------------------------------------------------------------------------
  function section(title, id, parent) {
    var s = R.el("section", { id: id }, parent || box);
    R.el("h2", {}, s, title);
    return s;
  }
  function facts(parent, rows) {
    var dl = R.el("dl", { class: "facts" }, parent);
    rows.forEach(function (row) {
      if (row[1] === null || row[1] === undefined) return;
      R.el("dt", {}, dl, row[0]);
      var dd = R.el("dd", {}, dl);
      if (row[1] instanceof Node) dd.appendChild(row[1]);
      else dd.textContent = String(row[1]);
    });
    return dl;
  }
  function table(parent, head, rows) {
    var wrap = R.el("div", { class: "scroll" }, parent), t = R.el("table", {}, wrap);
    var tr = R.el("tr", {}, t);
    head.forEach(function (h) { R.el("th", {}, tr, h); });
    rows.forEach(function (row) {
      var r = R.el("tr", {}, t);
      row.forEach(function (v) {
        var td = R.el("td", {}, r);
        if (v instanceof Node) td.appendChild(v);
        else td.textContent = String(v);
      });
    });
    return t;
  }
  function link(href, text) {
    var a = R.el("a", { href: href }, null, text);
    return a;
  }

  // -- header: name, neighbours in the list, marks ------------------------------------------
  function header(details) {
    var list = R.list(R.parseState(listHash)), at = list.indexOf(i);
    var head = R.el("header", { class: "token-head" }, box);
    R.el("h1", {}, head, (details && details.name) || C.summary.name + " #" + token);
    var nav = R.el("nav", { class: "token-nav", "aria-label": "tokens" }, head);
    var grid = "index.html#" + (listHash ? listHash + "&" : "") + "t=" + token;
    function neighbour(n, text, rel) {
      if (at < 0 || n < 0 || n >= list.length) return R.el("span", { class: "note" }, nav, text);
      var t = T.token[list[n]];
      return R.el("a", { href: "token.html#t=" + t + "&list=" + encodeURIComponent(listHash), rel: rel, id: rel },
        nav, text + " #" + t);
    }
    neighbour(at - 1, "Previous", "prev");
    R.el("a", { href: grid, id: "back" }, nav, at >= 0 ? "Grid (" + (at + 1) + " of " + list.length + ")" : "Grid");
    neighbour(at + 1, "Next", "next");
    var marks = R.el("p", { class: "meta" }, box);
    marks.appendChild(doc.createTextNode("Rarity rank " + T.information_rank[i] + " of " + R.fmt(R.count) +
      " · " + C.stages[T.stage[i]] + " at the collection's moment"));
    C.flags.forEach(function (f, b) {
      if (T.flags[i] & (1 << b)) R.el("span", { class: "badge flagged" }, marks, f);
    });
    if (T.upgraded[i]) R.el("span", { class: "badge" }, marks, "upgraded");
    doc.title = ((details && details.name) || C.summary.name + " #" + token) + " · " + C.summary.name;
    doc.addEventListener("keydown", function (e) {
      if (/^(INPUT|SELECT|TEXTAREA)$/.test(e.target.tagName) && e.target.type !== "range") return;
      var go = { ArrowLeft: "prev", ArrowRight: "next", Escape: "back" }[e.key];
      if (go && e.target.type === "range" && go !== "back") return; // the slider's own keys
      var a = go && doc.getElementById(go);
      if (a && a.href) {
        e.preventDefault();
        location.href = a.href;
      }
    });
  }

  // -- the still and the live art ---------------------------------------------------------------
  var frame, stageOut, timeOut, feeOut, curveMark, timelineMark, lifeStart, lifeEnd;
  function liveSrc(details) {
    var ids = (details && details.inscriptions) || {};
    if (served && ids.html) return "/content/" + ids.html.id;
    var c = JSON.parse(JSON.stringify(cfg));
    c.c = [now, 0, fee];
    c.x = 1;
    if (served && ids.model) c.m = ids.model.id; // ord's /content/ serves it; from disk, no fetch
    return "live.html#" + encodeURIComponent(JSON.stringify(c));
  }
  function art(details) {
    var row = R.el("div", { class: "art" }, box);
    var still = R.el("figure", { id: "still" }, row);
    if (details && details.image && !(T.flags[i] & 8)) {
      R.el("img", { src: root + details.image, alt: "The still of #" + token, width: "512", height: "512" }, still);
      R.el("figcaption", {}, still, "The still, as minted (" + details.image + ")");
    } else {
      var canvas = R.el("canvas", { class: "still", "aria-label": "The portrait of #" + token }, still);
      R.drawPortrait(canvas, i, moment.time, 512);
      R.el("figcaption", {}, still, "The portrait, drawn here by the art engine (no still on disk)");
    }
    var live = R.el("figure", { id: "live" }, row);
    frame = R.el("iframe", { src: liveSrc(details), title: "The live art of #" + token, loading: "eager" }, live);
    frame.addEventListener("load", post);
    R.el("figcaption", {}, live, served && details && details.inscriptions && details.inscriptions.html
      ? "The live art: its HTML inscription as ord serves it (I: info, double-click: classify)"
      : "The live art, run by the engine" + (served ? "" : " from disk (serve the folder with artgen " +
        "serve to run its network as ord would)"));
  }

  function post() {
    if (frame && frame.contentWindow) frame.contentWindow.postMessage({ perceptron: { time: now, fee_rate: fee } }, "*");
  }

  // -- the moment: time scrubber, fee rate, timeline ------------------------------------------
  var LOG_FEE = [0, 3]; // the slider moves log10(fee) from 1 to 1000 sat/vB
  function moments(parent) {
    var life = P.traitsLifeState(traits, cfg.h, moment.time);
    lifeStart = P.birthTime(traits.birthYear) + life.rebirths * YEAR_LIVES * life.year_seconds;
    lifeEnd = lifeStart + YEAR_LIVES * life.year_seconds;
    var s = section("Life", "life", parent);
    var controls = R.el("div", { class: "moment" }, s);
    R.el("label", { for: "time" }, controls, "Time");
    var time = R.el("input", { type: "range", id: "time", min: String(lifeStart), max: String(lifeEnd), step: "any",
      value: String(Math.min(lifeEnd, Math.max(lifeStart, now))), "aria-describedby": "time-out" }, controls);
    timeOut = R.el("output", { id: "time-out", for: "time" }, controls);
    R.el("label", { for: "fee" }, controls, "Fee rate");
    var feeInput = R.el("input", { type: "range", id: "fee", min: String(LOG_FEE[0]), max: String(LOG_FEE[1]), step: "0.01",
      value: String(Math.log10(Math.max(1, fee))) }, controls);
    feeOut = R.el("output", { id: "fee-out", for: "fee" }, controls);
    var buttons = R.el("p", {}, s);
    var reset = R.el("button", { type: "button", id: "now" }, buttons, "The collection's moment");
    stageOut = R.el("p", { id: "stage", class: "meta", "aria-live": "polite" }, s);
    var bar = R.el("div", { class: "timeline", role: "group", "aria-label": "stages of this life" }, s);
    var rows = [];
    K.stages.forEach(function (name, n) {
      var start = lifeStart + K.stage_starts[n] * life.year_seconds;
      var end = lifeStart + (n + 1 < K.stages.length ? K.stage_starts[n + 1] : YEAR_LIVES) * life.year_seconds;
      var b = R.el("button", { type: "button", class: name, title: name + " from " + R.iso(start) }, bar, name);
      b.style.flexGrow = String(Math.max(0.04, (end - start) / (lifeEnd - lifeStart)));
      b.addEventListener("click", function () { setTime((start + end) / 2); time.value = String(now); });
      rows.push([name, R.iso(start), R.iso(end)]);
    });
    timelineMark = R.el("span", { class: "now" }, bar);
    table(s, ["stage", "from", "until"], rows);
    R.el("p", { class: "note" }, s, "This life: " + R.iso(lifeStart) + " to " + R.iso(lifeEnd) + " (life " +
      (life.rebirths + 1) + "; one Perceptron year is " + (traits.yearDays === 1 ? "1 day" : traits.yearDays + " days") +
      "). The stills show " + R.iso(moment.time) + ".");
    var pending = false;
    function setTime(t) {
      now = t;
      show();
    }
    time.addEventListener("input", function () { setTime(+time.value); });
    feeInput.addEventListener("input", function () {
      fee = Math.round(Math.pow(10, +feeInput.value) * 10) / 10;
      show();
    });
    reset.addEventListener("click", function () {
      now = moment.time;
      fee = moment.fee_rate;
      time.value = String(now);
      feeInput.value = String(Math.log10(Math.max(1, fee)));
      show();
    });
    function show() {
      var l = P.traitsLifeState(traits, cfg.h, now);
      var blink = P.pace.blinkTarget(P.pace.satFee(fee)); // half a blink, in the art's frames
      timeOut.textContent = R.iso(now);
      feeOut.textContent = fee + " sat/vB";
      stageOut.textContent = l.stage + " (" + Math.round(l.stage_ratio * 100) + "% through), growth " +
        l.growth.toFixed(3) + ", " + Math.round(l.active_neurons) + " of " + l.total_neurons + " neurons alive; " +
        "its nodes blink every " + (2 * blink / K.original_fps).toFixed(2) + " s at this fee rate";
      stageOut.dataset.stage = l.stage;
      timelineMark.style.left = (100 * (now - lifeStart) / (lifeEnd - lifeStart)) + "%";
      if (curveMark) curveMark(l.growth);
      if (!pending) {
        pending = true;
        requestAnimationFrame(function () { pending = false; post(); });
      }
      var p = new URLSearchParams(location.hash.slice(1));
      p.set("time", String(Math.round(now)));
      p.set("fee", String(fee));
      try { history.replaceState(null, "", "#" + p.toString()); } catch (err) { /* address kept */ }
    }
    return show;
  }

  // -- traits and rarity --------------------------------------------------------------------------
  // The traits in the left column, the rarity in the right one (returned: more goes under it).
  function traitsAndRarity(details, cols) {
    var left = R.el("section", { id: "traits" }, cols), side = R.el("div", {}, cols);
    var right = R.el("section", { id: "rarity" }, side);
    R.el("h2", {}, left, "Traits");
    table(left, ["trait", "value", "tokens", "share"], C.traits.map(function (t, k) {
      var code = T.codes[k][i], n = t.counts[code];
      var p = new URLSearchParams();
      p.set(t.name, String(t.values[code]));
      var value = link("index.html#" + p.toString(), String(t.values[code]));
      if (code >= t.known) value.title = "a value the table does not have";
      return [t.name, value, R.fmt(n), R.pct(n / R.count)];
    }));
    if (details && details.history) R.el("p", { class: "note" }, left, "Birth year: " + details.history);
    R.el("h2", {}, right, "Rarity");
    facts(right, [
      ["Rank (information content)", T.information_rank[i] + " of " + R.fmt(R.count)],
      ["Score", T.information[i].toFixed(4) + " (information content over the collection's entropy)"],
      ["Values no other token has", T.unique_traits[i]],
      ["Rank (rarity.tools)", T.rarity_tools_rank[i] + " of " + R.fmt(R.count)],
      ["Score (rarity.tools)", T.rarity_tools[i].toFixed(2)],
      ["Hidden layers", cfg.h.join("-")]
    ]);
    R.el("p", { class: "note" }, right, "Rank 1 is the rarest; see the audit for the method.");
    return side;
  }

  // -- the brain: model, intelligence curve, answers ----------------------------------------------
  var SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, parent, text) {
    var n = doc.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { n.setAttribute(k, attrs[k]); });
    if (text !== undefined) n.textContent = text;
    if (parent) parent.appendChild(n);
    return n;
  }
  function curve(parent, c) {
    var W = 420, H = 250, L = 44, Rt = 12, Tp = 14, B = 40;
    var x = function (g) { return L + g * (W - L - Rt); }, y = function (a) { return H - B - a * (H - B - Tp); };
    var s = svg("svg", { viewBox: "0 0 " + W + " " + H, width: W, height: H, role: "img", id: "curve",
      "aria-label": "intelligence curve: held-out accuracy against growth" }, parent);
    svg("title", {}, s, "Held-out accuracy against growth (share of hidden neurons alive)");
    for (var v = 0; v <= 1.0001; v += 0.25) {
      svg("line", { x1: x(0), x2: x(1), y1: y(v), y2: y(v), stroke: "var(--line)" }, s);
      svg("text", { x: L - 6, y: y(v) + 4, "text-anchor": "end" }, s, v.toFixed(2));
      svg("text", { x: x(v), y: H - B + 16, "text-anchor": "middle" }, s, v.toFixed(2));
    }
    svg("text", { x: (L + W) / 2, y: H - 6, "text-anchor": "middle" }, s, "growth (share of hidden neurons alive)");
    svg("line", { x1: x(0), x2: x(1), y1: y(c.chance), y2: y(c.chance), stroke: "var(--flag)",
      "stroke-dasharray": "6 4" }, s);
    svg("text", { x: x(1), y: y(c.chance) - 5, "text-anchor": "end", fill: "var(--flag)" }, s, "chance");
    var d = c.growth.map(function (g, n) { return (n ? "L" : "M") + x(g).toFixed(1) + " " + y(c.accuracy[n]).toFixed(1); });
    svg("path", { d: d.join(" "), fill: "none", stroke: "var(--observed)", "stroke-width": 2.5 }, s);
    c.growth.forEach(function (g, n) {
      svg("circle", { cx: x(g), cy: y(c.accuracy[n]), r: 3.5, fill: "var(--observed)" }, s);
    });
    var mark = svg("line", { y1: y(0), y2: y(1), stroke: "var(--focus)", "stroke-width": 2 }, s);
    var dot = svg("circle", { r: 5, fill: "var(--focus)" }, s);
    return function (g) {
      var n = Math.min(c.growth.length - 2, Math.floor(g * (c.growth.length - 1)));
      var f = (g - c.growth[n]) / (c.growth[n + 1] - c.growth[n]);
      var a = c.accuracy[n] + f * (c.accuracy[n + 1] - c.accuracy[n]);
      mark.setAttribute("x1", x(g));
      mark.setAttribute("x2", x(g));
      dot.setAttribute("cx", x(g));
      dot.setAttribute("cy", y(a));
    };
  }

  function brain(details, parent) {
    var s = section("Brain", "brain", parent);
    if (!details) {
      R.el("p", { class: "note" }, s, "A sampler audit: this token has no trained model yet. Mint the collection to " +
        "see its network's intelligence curve and answers.");
      return;
    }
    var m = details.model || {};
    facts(s, [
      ["Model", m.name || null],
      ["Size", m.bytes ? R.fmt(m.bytes) + " bytes (its data inscription)" : null],
      ["Hidden layers", (details.hidden_layers || cfg.h).join("-")],
      ["Classes", (m.classes || []).join(", ") || null],
      ["Held-out accuracy", m.val_accuracy === null || m.val_accuracy === undefined ? null : R.pct(m.val_accuracy)],
      ["File", m.file ? link(root + m.file, m.file) : null]
    ]);
    if (details.problem) R.el("p", { class: "problem" }, s, "Cannot show its brain: " + details.problem);
    var c = details.curve;
    if (c && !c.error) {
      R.el("h3", {}, s, "Intelligence curve");
      curveMark = curve(R.el("div", { class: "chart" }, s), c);
      R.el("p", { class: "note" }, s, "Accuracy on " + R.fmt(c.images) + " held-out images as its neurons come to " +
        "life; the mark follows the time scrubber.");
    } else if (c) {
      R.el("p", { class: "problem" }, s, "No intelligence curve: " + c.error);
    }
    if (details.answers) {
      R.el("h3", {}, s, "Its answers on the demo images");
      var grid = R.el("div", { class: "answers" }, s);
      details.answers.forEach(function (a) {
        var row = R.el("div", { class: "answer" }, grid);
        R.el("img", { src: "samples/" + a.image, alt: a.image }, row);
        var text = R.el("div", {}, row, a.phrase + " this image belongs to " + a.top + " (" + R.pct(a.confidence) + ")");
        var file = a.image.replace(/\.png$/, ""); // the demo names each image after its class
        var truth = (m.classes || []).filter(function (c) { return c.toLowerCase() === file; })[0] || file;
        var right = a.top === truth;
        R.el("div", { class: right ? "meta" : "meta problem" }, text, right ? "right" : "it is " + truth);
        var bar = R.el("div", { class: "bar" }, text);
        R.el("span", {}, bar).style.width = 100 * a.confidence + "%";
      });
      R.el("p", { class: "note" }, s, "With the neurons alive at the collection's moment (growth " +
        (details.growth === undefined ? "?" : details.growth.toFixed(3)) + ").");
    }
  }

  function inscriptions(details, parent) {
    if (!details) return;
    var s = section("Inscriptions", "inscriptions", parent);
    var ids = details.inscriptions || {};
    table(s, ["kind", "inscription id", "status"], Object.keys(ids).map(function (kind) {
      var x = ids[kind];
      var waits = (C.summary.cost && C.summary.cost.waits_on || {})[x.batch] || [];
      var where = x.batch ? " (" + x.batch + (waits.length ? ", after " + waits.join(", ") : "") + ")" : "";
      return [kind, R.el("span", { class: "id" }, null, x.id), x.status + where];
    }));
    var ups = details.upgrades || [];
    R.el("h3", {}, s, "Upgrades");
    if (!ups.length) R.el("p", { class: "note" }, s, "None: it thinks with the model it was minted with.");
    else {
      table(s, ["upgrade", "model", "hidden layers", "replaced"], ups.map(function (u) {
        return ["#" + u.upgrade + " (" + u.sequence + " in the collection)", u.model_file,
          (u.hidden_layers || []).join("-"), R.el("span", { class: "id" }, null, u.previous_inscription || "")];
      }));
    }
    var f = details.files || {}, files = R.el("p", { class: "note" }, s, "Files: ");
    [["metadata", "metadata/" + token + ".json"], ["thumbnail", f.thumbnail]]
      .concat(Object.keys(f.previews || {}).map(function (k) { return ["preview (" + k + ")", f.previews[k]]; }))
      .forEach(function (pair) {
        if (!pair[1]) return;
        files.appendChild(link(root + pair[1], pair[0]));
        files.appendChild(doc.createTextNode(" "));
      });
  }

  load(function (details) {
    box.textContent = "";
    header(details);
    art(details);
    var top = R.el("div", { class: "columns" }, box), bottom = R.el("div", { class: "columns" }, box);
    var show = moments(top);
    brain(details, top);
    inscriptions(details, traitsAndRarity(details, bottom));
    show();
    R.ready = true;
  });
})();
