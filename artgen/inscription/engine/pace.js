/* artgen.animation.pace: the original's clock (ORIGINAL.md sections 6 and 7), in its 60 Hz
 * frames: the reveal's steps, the blink's half-periods and counts, the classification's sweep.
 */

import { K } from "./data.js";
import { remap } from "./layout.js";
import { orderStream } from "./lifecycle.js";
import { pyRound } from "./numbers.js";

// The original's frame shown at frame k of a clip at `fps`: floor(60 k / fps).
export function originalFrame(k, fps) {
  return Math.floor(k * K.original_fps / fps);
}

// Frames at `fps` that span `frames` of the original's (rounded up).
export function previewFrames(frames, fps) {
  return Math.ceil(frames * fps / K.original_fps - 1e-9);
}

// Frames per reveal step (Basic 30, Standard 15, Advanced 2) and processingFrames (40, 20, 10).
export function revealStep(acceleration) {
  return K.acceleration_frames[acceleration][0];
}

export function processingFrames(acceleration) {
  return K.acceleration_frames[acceleration][1];
}

// 2L - 1 steps: every column of nodes, then every gap of lines.
export function revealLength(columns, acceleration) {
  return (2 * columns - 1) * revealStep(acceleration);
}

// Items shown at frame `frame` of the reveal: one more every whole step, none in the first.
export function revealedItems(frame, columns, acceleration) {
  return Math.min(2 * columns - 1, Math.floor(Math.max(0, Math.trunc(frame)) / revealStep(acceleration)));
}

// satFee = map(tanh(log10 f), 0, 1, 0.2, 0.8), not clamped.
export function satFee(feeRate) {
  var t = feeRate > 0 ? Math.tanh(Math.log10(feeRate)) : -1;
  return remap(t, 0, 1, K.sat_fee[0], K.sat_fee[1]);
}

// x0, the blink's target half-period: map(satFee, 0.2, 0.8, 15, 2) frames.
export function blinkTarget(sat) {
  return remap(sat, K.sat_fee[0], K.sat_fee[1], K.blink_frames[0], K.blink_frames[1]);
}

function gcd(a, b) {
  while (b) {
    var t = a % b;
    a = b;
    b = t;
  }
  return a;
}

// sparkRate: a / k for the whole k that brings it nearest x0 (the smaller reduced p on a tie).
export function sparkRate(a, x0) {
  var low = Math.max(1, Math.floor(a / x0));
  var rank = function (k) { return [Math.abs(a / k - x0), Math.floor(a / gcd(a, k))]; };
  var r0 = rank(low), r1 = rank(low + 1);
  var second = r1[0] < r0[0] || (r1[0] === r0[0] && r1[1] < r0[1]);
  return a / (second ? low + 1 : low);
}

// T = 2a frames, a = (L - 1) processingFrames, whatever the fee.
export function classificationLength(columns, acceleration) {
  return 2 * (columns - 1) * processingFrames(acceleration);
}

// floor(N_live x satFee) nodes blink out per "on" frame (none when satFee < 0).
export function activeAmount(live, sat) {
  return Math.max(0, Math.floor(live * sat));
}

// The blink step each frame is an "on" frame of, null on "off" frames
// (artgen.animation.pace.blink_schedule), read frame by frame: each frame an "on" half ends once
// the counter reaches the rate (the counter drops by the rate), the frame is recorded, an "off"
// half ends likewise and completes a step, the counter goes up by one. Asked in order, each
// frame is worked out once.
export function BlinkSchedule(rate) {
  this.rate = rate;
  this.rewind();
}
BlinkSchedule.prototype.rewind = function () {
  this.counter = 0;
  this.on = true;
  this.step = 0;
  this.next = 0;
  this.last = 0;
};
BlinkSchedule.prototype.at = function (frame) {
  if (frame < this.next - 1) this.rewind();
  while (this.next <= frame) {
    if (this.counter >= this.rate && this.on) {
      this.on = false;
      this.counter -= this.rate;
    }
    this.last = this.on ? this.step : null;
    if (this.counter >= this.rate && !this.on) {
      this.on = true;
      this.counter -= this.rate;
      this.step += 1;
    }
    this.counter += 1;
    this.next += 1;
  }
  return this.last;
};

// The idle blink's steps in a loop of `loop` frames (at least one), and its half-period: the
// rate nearest x0 with whole steps in the loop.
export function loopSteps(loop, x0) {
  return Math.max(1, pyRound(loop / (2 * x0)));
}

export function loopRate(loop, x0) {
  return loop / (2 * loopSteps(loop, x0));
}

// The live nodes erased in each blink step (artgen.animation.pace.blink_sets): the draws
// continue q5's generator where ordering the neurons leaves it, `count` a step, each the node
// floor(r N_live) of `live` (the last for a draw of exactly 1). `at(k)` is step k's set; asked
// in order, each set is drawn once, so a page that idles for hours keeps one set in memory.
export function BlinkSets(rebirths, sizes, live, count) {
  this.rebirths = rebirths;
  this.sizes = sizes;
  this.live = live;
  this.count = live.length ? Math.max(0, count) : 0;
  this.rewind();
}
BlinkSets.prototype.rewind = function () {
  this.stream = orderStream(this.rebirths, this.sizes);
  this.next = 0;
  this.last = [];
};
BlinkSets.prototype.at = function (step) {
  if (step < this.next - 1) this.rewind();
  var n = this.live.length;
  while (this.next <= step) {
    var set = [];
    for (var i = 0; i < this.count; i++) set.push(this.live[Math.min(Math.floor(this.stream.random() * n), n - 1)]);
    this.last = set;
    this.next += 1;
  }
  return this.last;
};

// The sweep's front on frame `frame` (from 0) of the classification (the lines right of it are
// erased): it moves a step before it erases, so it reaches the output column on the last frame.
export function sweepX(frame, length, xInput, xOutput) {
  return xInput + (frame + 1) * (xOutput - xInput) / length;
}
