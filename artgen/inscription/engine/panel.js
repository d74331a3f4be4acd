/* The information panel (key I, ORIGINAL.md section 10): the original's two-column table at the
 * bottom of the canvas, in the palette's colours, Tahoma. `describe` gives the same facts (and
 * the chain state the portrait shows) as text for the canvas's accessible description.
 */

import { K } from "./data.js";
import { drawingScale } from "./layout.js";
import { pyRound } from "./numbers.js";
import { rgba } from "./palette.js";
import { isoTime } from "./time.js";
import { TAHOMA, baselineText, font } from "./widgets.js";

var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
  "October", "November", "December"];
// One Perceptron year, by its length in days.
var YEAR_NAMES = { 365: "1 Year", 30: "1 Month", 7: "1 Week", 1: "1 Day" };
// In u from the bottom edge and the centre: the body, the tabs, the rows' baselines.
var BODY = [-300, -110, 300, -20], TABS = [-140, -110], HEADER_BASELINE = -120;
var ROWS = [-90, -75, -60, -45, -30], COLUMNS = [[-285, -10], [10, 285]], MODEL_NAME_WIDTH = 140;

// 1st, 2nd, 3rd, 4th ... 11th, 12th, 13th ... 21st.
function ordinal(day) {
  var teen = day % 100 >= 11 && day % 100 <= 13, last = day % 10;
  return day + (teen ? "th" : last === 1 ? "st" : last === 2 ? "nd" : last === 3 ? "rd" : "th");
}

// «{day+ordinal} {Month} {YYYY} | HH:MM», in the visitor's time zone.
export function panelDate(t) {
  var d = new Date(t * 1000), two = function (n) { return (n < 10 ? "0" : "") + n; };
  return ordinal(d.getDate()) + " " + MONTHS[d.getMonth()] + " " + d.getFullYear() + " | " +
    two(d.getHours()) + ":" + two(d.getMinutes());
}

// The table's rows: {left, right: [[label, value], ...], name}.
export function panelRows(t, sizes, life, model) {
  var age = Math.ceil(life.age - life.rebirths * K.life_years);
  return {
    name: "Perceptron #" + t.token,
    left: [
      ["AI MODEL NAME:", model ? model.name : "-"],
      ["SCALE:", "1:" + drawingScale(sizes)],
      ["NUMBER OF CLASSES:", model ? String(model.classes.length) : "-"],
      ["BIRTH YEAR:", String(t.birthYear)],
      ["NUMBER OF REBIRTHS:", String(life.rebirths)]
    ],
    right: [
      ["AGE:", age + " Perceptron Years"],
      ["ONE PERCEPTRON YEAR:", YEAR_NAMES[t.yearDays] || t.yearDays + " Days"],
      ["STATE:", life.stage],
      ["ACTIVE NEURONS:", pyRound(life.active_neurons) + " / " + life.total_neurons],
      ["NEXT STATE TIME:", panelDate(life.next_stage_time)]
    ]
  };
}

// `words` cut with "..." to `width` in the current font.
function cut(ctx, words, width) {
  if (ctx.measureText(words).width <= width) return words;
  while (words.length && ctx.measureText(words + "...").width > width) words = words.slice(0, -1);
  return words + "...";
}

// The panel over everything but the checking card, `ctx` set by widgets.centred (`view`).
export function drawPanel(ctx, view, colors, rows) {
  var bottom = view.halfHeight, paper = rgba(colors.paper, 1), ink = rgba(colors.ink, 1), start = rgba(colors.start, 1);
  ctx.lineWidth = 2;
  ctx.strokeStyle = ink;
  [[BODY[0], bottom + BODY[1], BODY[2] - BODY[0], BODY[3] - BODY[1], paper],
   [BODY[0], bottom + TABS[0], 300, TABS[1] - TABS[0], ink],
   [0, bottom + TABS[0], 300, TABS[1] - TABS[0], paper]].forEach(function (r) {
    ctx.fillStyle = r[4];
    ctx.fillRect(r[0], r[1], r[2], r[3]);
    ctx.strokeRect(r[0], r[1], r[2], r[3]);
  });
  font(ctx, 15, TAHOMA, "bold");
  baselineText(ctx, "PERCEPTRON INFORMATION", -285, bottom + HEADER_BASELINE, paper);
  baselineText(ctx, "ARTWORK NAME:", 10, bottom + HEADER_BASELINE, start);
  font(ctx, 15, TAHOMA, "italic");
  baselineText(ctx, rows.name, 285, bottom + HEADER_BASELINE, start, "right");
  [rows.left, rows.right].forEach(function (column, c) {
    column.forEach(function (row, i) {
      var y = bottom + ROWS[i];
      font(ctx, 12, TAHOMA, "bold");
      baselineText(ctx, row[0], COLUMNS[c][0], y, start);
      font(ctx, 12, TAHOMA, "italic");
      var value = c === 0 && i === 0 ? cut(ctx, row[1], MODEL_NAME_WIDTH) : row[1];
      baselineText(ctx, value, COLUMNS[c][1], y, start, "right");
    });
  });
}

// "block H at TIME", or the time alone when no block is known for it (a pinned moment).
function chainText(c) {
  var at = c.height === null ? "height unknown, time " : "block " + c.height + " at ";
  return at + isoTime(c.time) + ", " + c.fee_rate + " sat/vB  [" + c.source + "]";
}

// The panel's facts as text, with the chain state and the keys, for the accessible description.
export function describe(rows, c) {
  var lines = [rows.name];
  rows.left.concat(rows.right).forEach(function (r) { lines.push(r[0] + " " + r[1]); });
  lines.push("Chain: " + chainText(c));
  lines.push("Keys: I information, B frame, S save PNG, K save 4K PNG, U settings; double-click or drop an image to classify it.");
  return lines.join("\n");
}
