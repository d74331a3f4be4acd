/* The information panel (key I): the token, its model, its life and the chain state, as text. */

import { DATA, K } from "./data.js";
import { drawingScale } from "./layout.js";
import { pyRound } from "./numbers.js";
import { isoTime } from "./time.js";

function years(x) {
  return (Math.round(x * 100) / 100).toFixed(2);
}

// "block H at TIME", or the time alone when no block is known for it (a pinned moment).
function chainText(c) {
  var at = c.height === null ? "height unknown, time " : "block " + c.height + " at ";
  return at + isoTime(c.time) + ", " + c.fee_rate + " sat/vB  [" + c.source + "]";
}

// The panel's text for traits `t` drawn with hidden `sizes`, its `life`, its `model` (null
// when unreadable) and chain state `c`.
export function panelText(t, sizes, life, model, c) {
  var classes = model ? model.classes : [];
  var classText = classes.slice(0, 12).join(", ") + (classes.length > 12 ? ", ... (" + classes.length + ")" : "");
  var days = t.yearDays;
  var lines = [
    "Perceptron #" + t.token + "  (seed " + t.seed + ")",
    "Model: " + (model ? model.name : "unreadable"),
    "Scale: 1:" + drawingScale(sizes) + "  (" + sizes.join("-") + ")",
    "Classes: " + (model ? classText : "-"),
    "Birth year: " + t.birthYear + ". " + (DATA.history[t.birthYear] || ""),
    "Rebirths: " + life.rebirths,
    "Age: " + years(life.age) + " Perceptron years",
    "One Perceptron year: " + (days === 1 ? "1 day" : days + " days") + "  (" + t.lifeCycle + ")",
    "State: " + life.stage + " (" + Math.round(life.stage_ratio * 100) + "% through)",
    "Active neurons: " + pyRound(life.active_neurons) + " / " + life.total_neurons,
    "Next state: " + K.stages[(K.stages.indexOf(life.stage) + 1) % K.stages.length] + " at " +
      isoTime(life.next_stage_time),
    "Chain: " + chainText(c),
    "",
    "I info  B frame  S save PNG  U upgrade  double-click or drop an image to classify"
  ];
  return lines.join("\n");
}
