/* artgen.animation.timeline: frame k of a clip -> its frame options (ORIGINAL.md sections 6 and
 * 7, SPEC 6). A clip at `fps` runs the reveal (optional), the idle blink paced by the fee, and
 * the classification's sweep (optional); the original's 60 Hz clock (pace.js) is converted
 * through seconds. The page runs at 60 fps with an idle phase without end (`idle` Infinity).
 *
 * Both blinks take their sets from the original's stream (pace.js `BlinkSets`): step k of a
 * phase shows set k, counted from the start of that phase.
 *
 * A clip with neither reveal nor sweep, and an end, is a seamless loop: the blink's
 * half-period is fitted to it, so it holds a whole number of steps and its sets repeat with it
 * (step k shows set k mod loopSteps), and the Rebirth dust's clock swings,
 * clock(i) = S / (2 pi) (1 + sin(2 pi i / N)) for a loop of N frames spanning S of the original's.
 */

import { K } from "./data.js";
import {
  BlinkSchedule, BlinkSets, activeAmount, blinkTarget, classificationLength, loopRate, loopSteps,
  originalFrame, previewFrames, revealLength, revealedItems, satFee, sparkRate, sweepX
} from "./pace.js";

// o: {columns, acceleration, fee_rate, live (ids of the nodes that may blink: life exactly 1,
// in draw order), rebirths and hidden_sizes (the blink sets' seed, as the neuron order's),
// x_range ([input x, output x]), fps, idle (frames), reveal, sweep}.
export function Timeline(o) {
  if (!(o.idle >= 1) || o.columns < 2 || !(o.fps >= 1)) {
    throw new Error("a timeline needs an idle phase of one frame or more, 2+ columns");
  }
  Object.assign(this, o);
  this.loop = !(o.reveal || o.sweep) && isFinite(o.idle);
  this.revealFrames = o.reveal ? previewFrames(revealLength(o.columns, o.acceleration), o.fps) : 0;
  this.classification = classificationLength(o.columns, o.acceleration);
  this.sweepFrames = o.sweep ? previewFrames(this.classification, o.fps) : 0;
  this.length = this.revealFrames + o.idle + this.sweepFrames;
  this.sat = satFee(o.fee_rate);
  this.blinkingCount = activeAmount(o.live.length, this.sat);
  var x0 = blinkTarget(this.sat);
  var span = o.idle * K.original_fps / o.fps;
  this.idleRate = this.loop ? loopRate(span, x0) : x0;
  this.loopSteps = this.loop ? loopSteps(span, x0) : null;
  this.sweepRate = sparkRate(Math.floor(this.classification / 2), x0);
  this.idleOn = new BlinkSchedule(this.idleRate);
  this.sweepOn = new BlinkSchedule(this.sweepRate);
  // one stream for each phase, so that asked in order each set is drawn once
  this.idleSets = new BlinkSets(o.rebirths, o.hidden_sizes, o.live, this.blinkingCount);
  this.sweepSets = new BlinkSets(o.rebirths, o.hidden_sizes, o.live, this.blinkingCount);
}

// "reveal", "idle" or "sweep".
Timeline.prototype.phase = function (k) {
  if (k < this.revealFrames) return "reveal";
  return k < this.revealFrames + this.idle || !this.sweep ? "idle" : "sweep";
};

function frameOptions(k, fields) {
  return Object.assign({ index: k, reveal: null, erased: [], line_clip: null, dust_clock: 0, show_frame: true }, fields);
}

// What frame `k` shows.
Timeline.prototype.options = function (k) {
  var phase = this.phase(k), clock = this.dustClock(k);
  if (phase === "reveal") {
    var shown = revealedItems(originalFrame(k, this.fps), this.columns, this.acceleration);
    return frameOptions(k, { reveal: shown, dust_clock: clock });
  }
  if (phase === "idle") return frameOptions(k, { erased: this.idleBlink(k - this.revealFrames), dust_clock: clock });
  var j = Math.min(k - this.revealFrames - this.idle, this.sweepFrames - 1), n = originalFrame(j, this.fps);
  return frameOptions(k, {
    erased: erased(this.sweepSets, this.sweepOn.at(n)),
    line_clip: sweepX(n, this.classification, this.x_range[0], this.x_range[1]),
    dust_clock: clock
  });
};

// The nodes erased at frame i of the idle blink (counted from the end of the reveal).
Timeline.prototype.idleBlink = function (i) {
  if (this.loop) i %= this.idle;
  var step = this.idleOn.at(originalFrame(i, this.fps));
  if (step !== null && this.loop) step %= this.loopSteps;
  return erased(this.idleSets, step);
};

// The nodes blinking out in blink step `step` (none on an "off" frame, step null).
function erased(sets, step) {
  return step === null ? [] : sets.at(step);
}

// The Rebirth dust's clock (original frames) at frame k: it swings in a loop.
Timeline.prototype.dustClock = function (k) {
  if (!this.loop) return k * K.original_fps / this.fps;
  var span = this.idle * K.original_fps / this.fps;
  return span / (2 * Math.PI) * (1 + Math.sin(2 * Math.PI * (k % this.idle) / this.idle));
};
