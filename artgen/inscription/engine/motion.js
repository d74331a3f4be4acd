/* artgen.animation and artgen.chain's pace: the timeline of reveal, sparks and sweep.
 *
 * The fee rate sets the animation's activity and spark interval, the acceleration trait its
 * frames per layer; `Timeline.options(k)` gives frame k's scene options (scene.js draws them).
 */

import { K } from "./data.js";
import { clamp, given, pyRound } from "./numbers.js";
import { PortableRandom, key } from "./random.js";

// artgen.chain.fee_activity: 0.2 (quiet) .. 0.8 (busy), from the average fee rate in sat/vB.
function feeActivity(feeRate) {
  var f = feeRate > 0 ? clamp(Math.tanh(Math.log10(feeRate)), 0, 1) : 0;
  return 0.2 + 0.6 * f;
}

function sparkInterval(activity) {
  return pyRound(15 - 13 * clamp((activity - 0.2) / 0.6, 0, 1));
}

// artgen.chain.animation: the pace of a token's animation at a fee rate.
export function animation(feeRate, acceleration) {
  var f = feeActivity(feeRate);
  var frames = K.acceleration_frames[acceleration] || K.acceleration_frames.Standard;
  return { activity: f, spark_interval: sparkInterval(f), reveal_frames_per_layer: frames[0],
           sweep_frames_per_layer: frames[1] };
}

function fadeFrames(interval) {
  return Math.min(K.fade_frames[1], Math.max(K.fade_frames[0], 2 * interval));
}

// artgen.animation.timeline.reveal_shares: a column's nodes fade in during the first half of
// its step, its lines grow during the second half.
function revealShares(k, columns, perLayer) {
  var half = perLayer / 2, done = k + 1, node = [], line = [];
  for (var c = 0; c < columns; c++) node.push(clamp((done - c * perLayer) / half, 0, 1));
  for (var g = 0; g + 1 < columns; g++) line.push(clamp((done - g * perLayer - half) / half, 0, 1));
  return [node, line];
}

// artgen.animation.sparks.ages for events every `interval` frames from 0 (no loop).
function ages(frame, interval, fade, length) {
  var out = [], step = Math.max(1, interval);
  for (var e = Math.max(0, Math.ceil((frame - fade + 1) / step)) * step; e <= frame && e < length; e += step) {
    if (frame - e < fade) out.push([e, (frame - e) / fade]);
  }
  return out;
}

// artgen.animation.sparks.spark_phases: [node id, phase, pulse target] of every glowing
// spark. One stream per event: the permutation of the candidates, whose first `count` are
// lit, then one draw per lit node for the live node of the next column its pulse runs to.
function sparkPhases(purpose, traits, glowing, candidatesAt, activity, target) {
  var out = [];
  glowing.forEach(function (ep) {
    var ids = candidatesAt(ep[0]), count = Math.floor(ids.length * activity);
    if (count <= 0 || !ids.length) return;
    var rng = new PortableRandom(key(purpose, traits.seed, traits.token, ep[0]));
    var order = rng.permutation(ids.length);
    for (var i = 0; i < count; i++) {
      var id = ids[order[i]];
      out.push([id, ep[1], target(id, rng.random())]);
    }
  });
  return out;
}

// artgen.animation.sparks.pulse_targets: (node id, draw) -> a live node of the next column.
function pulseTargets(live) {
  var byColumn = {}, columnOf = {};
  live.forEach(function (n) {
    (byColumn[n[1]] = byColumn[n[1]] || []).push(+n[0].slice(n[0].lastIndexOf("-") + 1));
    columnOf[n[0]] = n[1];
  });
  return function (id, u) {
    var nexts = byColumn[columnOf[id] + 1] || [];
    return nexts.length ? nexts[Math.floor(u * nexts.length)] : -1;
  };
}

// artgen.animation.timeline.Timeline, run without end: the reveal, then idle sparks; a
// classification sweep starting at frame `sweepStart` takes the sparks' place while it lasts.
export function Timeline(traits, still, anim, reveal) {
  this.traits = traits;
  this.anim = anim;
  this.columns = still.column_x.length;
  this.live = still.nodes.filter(function (n) { return n.life > 0; }).map(function (n) { return [n.id, n.column]; });
  this.liveIds = this.live.map(function (n) { return n[0]; });
  this.network = still.nodes.length > 0;
  this.revealFrames = reveal && this.network ? this.columns * anim.reveal_frames_per_layer : 0;
  this.sweepFrames = this.columns * anim.sweep_frames_per_layer;
  this.fade = fadeFrames(anim.spark_interval);
  this.target = pulseTargets(this.live);
}

Timeline.prototype.front = function (j) {
  return Math.min(this.columns - 1, j / this.anim.sweep_frames_per_layer);
};

Timeline.prototype.options = function (k, sweepStart) {
  var self = this, anim = this.anim;
  if (k < this.revealFrames) {
    var shares = revealShares(k, this.columns, anim.reveal_frames_per_layer);
    return { index: k, node_reveal: shares[0], line_reveal: shares[1] };
  }
  if (given(sweepStart) && k >= sweepStart && k - sweepStart < this.sweepFrames && this.network) {
    var j = k - sweepStart;
    var near = function (e) {
      var front = self.front(e);
      return self.live.filter(function (n) { return Math.abs(n[1] - front) <= K.sweep_reach; })
        .map(function (n) { return n[0]; });
    };
    return { index: k, sweep: this.front(j),
             spark_phases: sparkPhases("sweep", this.traits, ages(j, anim.spark_interval, this.fade, this.sweepFrames),
               near, anim.activity, this.target) };
  }
  var i = k - this.revealFrames;
  var all = function () { return self.liveIds; };
  return { index: k, spark_phases: sparkPhases("sparks", this.traits, ages(i, anim.spark_interval, this.fade, Infinity),
    all, anim.activity, this.target) };
};
