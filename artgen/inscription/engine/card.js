/* artgen.animation.card: the result card (ORIGINAL.md section 8), drawn over the dimmed
 * portrait in the palette's colours, everything in u about the canvas centre.
 *
 * The card, its header band, the picture on its mat, the verdict, the quoted upper-case class
 * (for the first 1.5 s a random class re-picked every frame, the sentences hidden), the
 * confidence, our brain icon, «INTELLIGENCE INFO» with two rows, and the two buttons under the
 * card. The layout and our sentences come from the Python card (DATA.card).
 */

import { drawBrainIcon } from "./brain.js";
import { confidencePhrase } from "./classify.js";
import { DATA, K } from "./data.js";
import { PortableRandom, key } from "./random.js";
import { rgba } from "./palette.js";
import { TREBUCHET, button, centredBox, dim, fill, font, inside, panel, rounded, text } from "./widgets.js";

var C = DATA.card;

// P with two decimals, "100.00" shown as "100".
export function percent(confidence) {
  var t = (100 * confidence).toFixed(2);
  return t === "100.00" ? "100" : t;
}

export function verdict(confidence) {
  return fill(C.texts.verdict, { phrase: confidencePhrase(confidence) });
}

export function confidenceLine(confidence) {
  return fill(C.texts.confidence, { percent: percent(confidence) });
}

// A moment in the en-US locale's format, in the visitor's time zone (ORIGINAL.md section 8).
export function enUS(t) {
  return new Date(t * 1000).toLocaleString("en-US");
}

// The intelligence section's two rows, in our words.
export function infoRows(life) {
  var years = Math.ceil(life.age - life.rebirths * K.life_years);
  var age = fill(C.texts.age, { years: years, plural: years !== 1 ? "s" : "" });
  var first = fill(C.texts[life.stage] || C.texts.other, { age: age });
  if (life.stage === "Stable") return [first, C.texts.stable_row];
  return [first, fill(C.texts.next_peak, { date: enUS(life.next_stable_time) })];
}

// The class name a flickering card shows at its frame j: uniformly random, drawn afresh.
export function flickerName(classes, seed, token, frame) {
  var r = new PortableRandom(key("flicker", seed, token, frame));
  return classes[Math.floor(r.random() * classes.length)];
}

// Words of line 1 (running width of " word" up to the box), line 2 (up to `limit2`), the rest.
function divide(words, size, measure, limit2) {
  var first = [], second = [], rest = [], running = 0;
  words.forEach(function (word) {
    running += measure(" " + word, size, true);
    if (running <= C.name_box || !first.length) first.push(word);
    else if (running <= limit2) second.push(word);
    else rest.push(word);
  });
  return [first, second, rest];
}

// artgen.animation.card.name_layout: [font size in u, lines] of the quoted upper-case name;
// `measure(text, size, bold)` is a text's width in u.
export function nameLayout(name, measure) {
  var sizes = C.name_sizes, s0 = C.sentence_size, upper = name.toUpperCase(), quoted = '"' + upper + '"';
  var w = measure(quoted, s0, true), s = sizes[0] * measure(C.references[0], s0, false) / w;
  var words = upper.split(/\s+/).filter(Boolean), size, parts, line2;
  if (words.length <= 1 || s >= sizes[1]) {
    size = Math.min(s, sizes[0]);
    return [Math.min(size, size * C.name_fit / measure(quoted, size, true)), [quoted]];
  }
  var s2 = sizes[2] * measure(C.references[1], s0, false) / w;
  if (s2 > sizes[3]) {
    size = Math.min(s2, sizes[2]);
    for (var i = 0; i < 20; i++) {
      parts = divide(words, size, measure, Infinity);
      if (!parts[1].length) return [size, [quoted]];
      line2 = parts[1].join(" ") + '"';
      var width = measure(line2, size, true);
      if (width <= C.name_box) return [size, ['"' + parts[0].join(" "), line2]];
      size *= C.name_box / width;
    }
    return [size, ['"' + parts[0].join(" "), line2]];
  }
  parts = divide(words, sizes[3], measure, 2 * C.name_box);
  var second = parts[1], rest = parts[2];
  if (rest.length) second = second.slice(0, -1).concat(["...", rest[rest.length - 1]]);
  return [sizes[3], ['"' + parts[0].join(" "), second.join(" ") + '"']];
}

// The two buttons under the card: [label, box in u].
export function cardButtons() {
  return C.buttons.map(function (b) { return [b[0], [b[1], C.button[0], b[2], C.button[1]]]; });
}

function measurer(ctx) {
  return function (words, size, bold) {
    font(ctx, size, TREBUCHET, bold ? "bold" : "");
    return ctx.measureText(words).width;
  };
}

// The card over the portrait already drawn, `ctx` set by widgets.centred (`view`). o: {colors
// {paper, ink, start}, result, life, image (drawable), name (the class shown), settled, hover
// (the pointer in u, or null)}.
export function drawCard(ctx, view, o) {
  var colors = o.colors, paper = rgba(colors.paper, 1), ink = rgba(colors.ink, 1), start = rgba(colors.start, 1);
  var w = C.size[0], h = C.size[1];
  dim(ctx, view, C.overlay);
  panel(ctx, centredBox(w, h), C.radius, paper, ink, C.outline);
  rounded(ctx, [-w / 2, -h / 2, w / 2, -h / 2 + C.header[0]], C.radius, true);
  ctx.fillStyle = rgba(colors.ink, C.header[1]);
  ctx.fill();
  ctx.fillStyle = ink;
  ctx.fillRect(C.mat[1] - C.mat[0] / 2, C.mat[2] - C.mat[0] / 2, C.mat[0], C.mat[0]);
  if (o.image) {
    var side = C.picture[0], natural = Math.max(o.image.naturalWidth || o.image.width, o.image.naturalHeight || o.image.height);
    ctx.imageSmoothingEnabled = side * view.u < 2 * natural;  // pixel art stays crisp
    ctx.imageSmoothingQuality = "high";
    ctx.drawImage(o.image, C.picture[1], C.picture[2], side, side);
    ctx.imageSmoothingEnabled = true;
  }
  var measure = measurer(ctx), layout = nameLayout(o.name, measure), ys = C.lines_y;
  font(ctx, layout[0], TREBUCHET, "bold");
  if (layout[1].length === 1) {
    text(ctx, layout[1][0], C.text_x, ys[1], paper);
  } else {
    var m = ctx.measureText("undefined"), gap = 1.25 * (m.actualBoundingBoxAscent + m.actualBoundingBoxDescent);
    text(ctx, layout[1][0], C.text_x, ys[1] - gap / 2, paper);
    text(ctx, layout[1][1], C.text_x, ys[1] + gap / 2, paper);
  }
  if (o.settled) {
    font(ctx, C.sentence_size, TREBUCHET, "");
    text(ctx, verdict(o.result.confidence), C.text_x, ys[0], paper);
    text(ctx, confidenceLine(o.result.confidence), C.text_x, ys[2], paper);
  }
  var life = o.life;
  drawBrainIcon(ctx, C.brain[0], C.brain[1], C.brain[2], life.stage, life.age - life.rebirths * K.life_years,
    colors.ink);
  font(ctx, C.info[3], TREBUCHET, "bold");
  text(ctx, C.info[0], C.info[1], C.info[2], start);
  var rows = C.rows;
  infoRows(life).forEach(function (row, i) {
    ctx.beginPath();
    ctx.arc(rows.dot_x, rows.y[i], rows.dot / 2, 0, 2 * Math.PI);
    ctx.fillStyle = start;
    ctx.fill();
    font(ctx, rows.size, TREBUCHET, "");
    text(ctx, row, rows.text_x, rows.y[i], start);
  });
  cardButtons().forEach(function (b) { button(ctx, b[1], b[0], colors, inside(b[1], o.hover)); });
}
