/* The collection page: every token in a grid that sorts, filters and searches, keeps its state
 * in the address (a filtered view is a link), and answers the keys.
 *
 * The grid is virtual: it is as tall as all its rows, and only the rows in view (and two more
 * on each side) exist as elements, so 10,000 tokens scroll like 50.
 * Keys: arrows move, Page Up/Down move a screen, Home/End jump, Enter opens the token, /
 * searches, Esc leaves the search for the grid.
 */
(function () {
  "use strict";
  var R = self.Report, C = R.collection, T = C.tokens, doc = document;
  var form = doc.getElementById("controls"), grid = doc.getElementById("grid");
  var countLine = doc.getElementById("count");
  var CAPTION = 54; // px under each thumbnail: number, rank, main traits
  var BUFFER = 2; // rows drawn beyond the view on each side
  var empty = R.el("p", { class: "empty", hidden: "" }, null, "No token matches these filters.");
  grid.parentNode.insertBefore(empty, grid.nextSibling);
  var state = R.parseState(location.hash);
  var list = [], active = 0, cols = 2, cellW = 150, rowH = 204, shown = {};

  // -- controls ---------------------------------------------------------------------------------
  function counts(values, pick) {
    var out = values.map(function () { return 0; });
    for (var i = 0; i < R.count; i++) out[pick(i)] += 1;
    return out;
  }
  var search = R.el("input", { type: "search", id: "q", placeholder: "7, 10-20", "aria-label": "token numbers" });
  var label = R.el("label", {}, form, "Token ");
  label.appendChild(search);
  label = R.el("label", {}, form, "Sort ");
  var sort = R.el("select", { id: "sort" }, label);
  R.SORTS.forEach(function (s) { R.el("option", { value: s.key }, sort, s.label); });
  var dir = R.el("button", { type: "button", id: "dir" }, form);
  function checkbox(parent, text, n, name, value) {
    var box = R.el("label", {}, parent);
    var input = R.el("input", { type: "checkbox", "data-name": name, "data-value": value }, box);
    R.el("span", {}, box, text);
    R.el("span", { class: "n" }, box, "(" + R.fmt(n) + ")");
    return input;
  }
  var flagged = checkbox(form, "flagged", T.flags.filter(Boolean).length, "flagged", "1");
  var upgraded = checkbox(form, "upgraded", T.upgraded.filter(Boolean).length, "upgraded", "1");
  var reset = R.el("button", { type: "button", id: "reset" }, form, "Reset");
  var chips = R.el("p", { class: "chips", "aria-label": "filters chosen" }, form);
  var filters = R.el("details", { class: "filters" }, form);
  var summary = R.el("summary", {}, filters, "Filter by stage and trait");
  var groups = R.el("div", { class: "filter-groups" }, filters);
  var boxes = [];
  var stageSet = R.el("fieldset", {}, groups);
  R.el("legend", {}, stageSet, "Stage");
  counts(C.stages, function (i) { return T.stage[i]; }).forEach(function (n, s) {
    if (n) boxes.push(checkbox(stageSet, C.stages[s], n, "stage", C.stages[s]));
  });
  C.traits.forEach(function (t) {
    var set = R.el("fieldset", {}, groups);
    R.el("legend", {}, set, t.name);
    t.values.forEach(function (v, code) {
      if (t.counts[code]) boxes.push(checkbox(set, String(v), t.counts[code], t.name, String(v)));
    });
  });

  // The controls show the state.
  function sync() {
    search.value = state.q;
    sort.value = state.sort;
    dir.textContent = state.dir === "desc" ? "Descending" : "Ascending";
    dir.setAttribute("aria-pressed", state.dir === "desc" ? "true" : "false");
    flagged.checked = state.flagged;
    upgraded.checked = state.upgraded;
    var active = 0;
    chips.textContent = "";
    boxes.forEach(function (box) {
      var name = box.dataset.name, kept = name === "stage" ? state.stages : state.traits[name] || [];
      box.checked = kept.indexOf(box.dataset.value) >= 0;
      active += box.checked;
      if (!box.checked) return;
      var chip = R.el("button", { type: "button", class: "chip", title: "remove this filter" }, chips,
        (name === "stage" ? "Stage" : name) + ": " + box.dataset.value + " \u00d7");
      chip.addEventListener("click", function () {
        box.checked = false;
        read();
        update();
      });
    });
    chips.hidden = !active;
    summary.textContent = "Filter by stage and trait" + (active ? " (" + active + " chosen)" : "");
  }

  function read() {
    state.q = search.value.trim();
    state.sort = sort.value;
    state.flagged = flagged.checked;
    state.upgraded = upgraded.checked;
    state.stages = [];
    state.traits = {};
    boxes.forEach(function (box) {
      if (!box.checked) return;
      var name = box.dataset.name;
      if (name === "stage") state.stages.push(box.dataset.value);
      else (state.traits[name] = state.traits[name] || []).push(box.dataset.value);
    });
  }

  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.addEventListener("input", function () { read(); update(); });
  form.addEventListener("change", function () { read(); update(); });
  dir.addEventListener("click", function () {
    state.dir = state.dir === "desc" ? "asc" : "desc";
    update();
  });
  reset.addEventListener("click", function () {
    state = R.parseState("");
    update();
  });

  // -- the address ------------------------------------------------------------------------------
  function writeHash() {
    var hash = "#" + R.stateHash(state, true);
    if (location.hash === hash || (hash === "#" && !location.hash)) return;
    try {
      history.replaceState(null, "", hash === "#" ? location.pathname + location.search : hash);
    } catch (err) {
      location.replace(hash); // a page from disk that may not rewrite its address otherwise
    }
  }
  addEventListener("hashchange", function () {
    state = R.parseState(location.hash);
    update(true);
  });

  function tokenLink(i) {
    return "token.html#t=" + T.token[i] + "&list=" + encodeURIComponent(R.stateHash(state));
  }

  // -- the grid ---------------------------------------------------------------------------------
  function layout() {
    var width = grid.clientWidth || 600;
    var least = parseFloat(getComputedStyle(doc.documentElement).getPropertyValue("--cell")) || 150;
    cols = Math.max(2, Math.floor(width / least));
    cellW = width / cols;
    rowH = cellW + CAPTION;
    grid.style.height = Math.ceil(list.length / cols) * rowH + "px";
  }

  function caption(i) {
    var k = state.sort.indexOf("trait:") === 0 ? R.traitIndex(state.sort.slice(6)) : -1;
    var main = C.main_traits.map(function (name) { return R.value(R.traitIndex(name), i); });
    if (k >= 0 && C.main_traits.indexOf(C.traits[k].name) < 0) main = [C.traits[k].name + ": " + R.value(k, i)];
    return main.join(" · ");
  }

  function cell(n) {
    var i = list[n];
    var a = R.el("a", { class: "cell", id: "cell-" + n, href: tokenLink(i), role: "option", tabindex: "-1",
      "data-token": T.token[i] });
    a.style.left = (n % cols) * cellW + "px";
    a.style.top = Math.floor(n / cols) * rowH + "px";
    a.style.width = cellW + "px";
    var thumb = R.el("span", { class: "thumb" }, a);
    var cap = R.el("span", { class: "caption" }, a);
    var marks = R.el("span", { class: "marks" }, cap);
    if (T.flags[i]) {
      var why = C.flags.filter(function (f, b) { return T.flags[i] & (1 << b); }).join(", ");
      R.el("span", { class: "mark flag", title: why }, marks, "flag");
    }
    if (T.upgraded[i]) R.el("span", { class: "mark up", title: "upgraded" }, marks, "up");
    R.el("b", {}, cap, "#" + T.token[i]);
    cap.appendChild(doc.createElement("br"));
    cap.appendChild(doc.createTextNode("rank " + T.information_rank[i] + " · " + C.stages[T.stage[i]]));
    cap.appendChild(doc.createElement("br"));
    cap.appendChild(doc.createTextNode(caption(i)));
    a.title = "#" + T.token[i] + ": " + caption(i);
    a.setAttribute("aria-selected", n === active ? "true" : "false");
    if (n === active) a.classList.add("active");
    grid.appendChild(a);
    R.thumb(thumb, i);
    return a;
  }

  function render() {
    var top = grid.getBoundingClientRect().top + scrollY;
    var first = Math.max(0, Math.floor((scrollY - top) / rowH) - BUFFER);
    var last = Math.ceil((scrollY + innerHeight - top) / rowH) + BUFFER;
    var from = first * cols, to = Math.min(list.length, last * cols);
    Object.keys(shown).forEach(function (n) {
      if (n < from || n >= to) {
        grid.removeChild(shown[n]);
        delete shown[n];
      }
    });
    for (var n = from; n < to; n++) if (!shown[n]) shown[n] = cell(n);
  }

  function clear() {
    Object.keys(shown).forEach(function (n) { grid.removeChild(shown[n]); });
    shown = {};
  }

  function update(keepFocus) {
    var focus = state.focus;
    list = R.list(state);
    var at = focus === null ? -1 : list.indexOf(R.indexOf(focus));
    active = at >= 0 ? at : 0;
    state.focus = list.length ? T.token[list[active]] : null;
    sync();
    countLine.textContent = R.fmt(list.length) + " of " + R.fmt(R.count) + " tokens";
    clear();
    layout();
    empty.hidden = list.length > 0;
    render();
    if (keepFocus && at >= 0) reveal();
    grid.setAttribute("aria-activedescendant", list.length ? "cell-" + active : "");
    writeHash();
  }

  // Moves the keyboard focus to position n of the list, scrolling it into view.
  function move(n) {
    if (!list.length) return;
    n = Math.max(0, Math.min(list.length - 1, n));
    if (shown[active]) {
      shown[active].classList.remove("active");
      shown[active].setAttribute("aria-selected", "false");
    }
    active = n;
    state.focus = T.token[list[n]];
    reveal();
    if (shown[n]) {
      shown[n].classList.add("active");
      shown[n].setAttribute("aria-selected", "true");
    }
    grid.setAttribute("aria-activedescendant", "cell-" + n);
    writeHash();
  }

  function reveal() {
    var top = grid.getBoundingClientRect().top + scrollY + Math.floor(active / cols) * rowH;
    var bar = doc.querySelector("nav.top"), head = bar ? bar.offsetHeight : 0;
    if (top < scrollY + head) scrollTo(scrollX, top - head - 8);
    else if (top + rowH > scrollY + innerHeight) scrollTo(scrollX, top + rowH - innerHeight + 8);
    render();
  }

  grid.addEventListener("keydown", function (e) {
    var page = Math.max(1, Math.floor(innerHeight / rowH)) * cols;
    var moves = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: cols, ArrowUp: -cols, PageDown: page, PageUp: -page };
    if (moves[e.key]) move(active + moves[e.key]);
    else if (e.key === "Home") move(0);
    else if (e.key === "End") move(list.length - 1);
    else if (e.key === "Enter" && list.length) location.href = tokenLink(list[active]);
    else return;
    e.preventDefault();
  });
  grid.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a.cell");
    if (a) move(+a.id.slice(5));
  });
  doc.addEventListener("keydown", function (e) {
    var typing = /^(INPUT|SELECT|TEXTAREA)$/.test(e.target.tagName);
    if (e.key === "/" && !typing) {
      search.focus();
      search.select();
      e.preventDefault();
    } else if (e.key === "Escape" && e.target === search) {
      grid.focus();
    }
  });
  addEventListener("scroll", render, { passive: true });
  addEventListener("resize", function () { clear(); layout(); render(); });

  update(true);
  R.ready = true;
})();
