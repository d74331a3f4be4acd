/* artgen.lifecycle: a Perceptron's age, stage, growth and which of its neurons are alive. */

import { K } from "./data.js";
import { clamp, pyFloorDiv, range, round9, sum } from "./numbers.js";
import { Shr3 } from "./random.js";

export function birthTime(year) {
  var start = new Date(0), end = new Date(0);
  start.setUTCFullYear(year, 0, 1);
  end.setUTCFullYear(year + 1, 0, 1);
  return (start.getTime() / 1000 + end.getTime() / 1000) / 2;
}

function stageAt(a) {
  for (var i = K.stage_starts.length - 1; i >= 0; i--) if (a >= K.stage_starts[i]) return i;
  return 0;
}

function stageEnd(i) {
  return i + 1 < K.stage_starts.length ? K.stage_starts[i + 1] : K.life_years;
}

function growthAt(a) {
  var stage = K.stages[stageAt(a)];
  if (stage === "Growing") return 1 - Math.pow(1 - a / stageEnd(0), K.growth_exponent);
  if (stage === "Stable") return 1;
  if (stage === "Decaying") return 1 - (a - K.stage_starts[2]) / (stageEnd(2) - K.stage_starts[2]);
  return 0;
}

// artgen.lifecycle.layer_alive_counts: take neurons away one at a time from the layer whose
// (alive - 1) / size is largest (the first on ties); the last one taken may be fractional.
export function layerAliveCounts(sizes, growth) {
  var alive = sizes.slice(), total = sum(sizes);
  growth = clamp(growth, 0, 1);
  var remaining = round9(total * (1 - growth));
  while (remaining > 0) {
    var j = 0, best = (alive[0] - 1) / sizes[0];
    for (var i = 1; i < alive.length; i++) {
      var v = (alive[i] - 1) / sizes[i];
      if (v > best) {
        best = v;
        j = i;
      }
    }
    var take = Math.min(1, remaining, alive[j]);
    if (take <= 0) break;
    alive[j] = round9(alive[j] - take);
    remaining = round9(remaining - take);
  }
  return alive;
}

// artgen.lifecycle.order_seed: layer h of life c shuffles with the seed (c + 1) * 100 + h.
export function orderSeed(rebirths, layer) {
  return (rebirths + 1) * K.order_seed_step + layer;
}

// artgen.lifecycle.neuron_orders: the order each hidden layer's neurons come to life in (they
// die in reverse), the original's (ORIGINAL.md section 4): the same for every token.
export function neuronOrders(rebirths, sizes) {
  return sizes.map(function (size, layer) {
    return new Shr3(orderSeed(rebirths, layer)).shuffle(size);
  });
}

// artgen.lifecycle.order_stream: q5's generator once the neurons are ordered: seeded for the
// last hidden layer, its shuffle drawn (the blink sets continue it).
export function orderStream(rebirths, sizes) {
  var last = Math.max(sizes.length - 1, 0), stream = new Shr3(orderSeed(rebirths, last));
  if (sizes.length) stream.shuffle(sizes[last]);
  return stream;
}

export function neuronLife(sizes, growth, orders) {
  var counts = layerAliveCounts(sizes, growth);
  return sizes.map(function (size, layer) {
    var alive = counts[layer], order = orders ? orders[layer] : range(size);
    var life = [], whole = Math.floor(alive);
    for (var i = 0; i < size; i++) life.push(0);
    for (i = 0; i < whole; i++) life[order[i]] = 1;
    if (whole < size && alive > whole) life[order[whole]] = alive - whole;
    return life;
  });
}

// artgen.lifecycle.life_state; before birth a Perceptron is newly born (age 0).
export function lifeState(birthYear, yearDays, sizes, time) {
  var yearSeconds = yearDays * K.day, born = birthTime(birthYear);
  var age = Math.max(0, (time - born) / yearSeconds);
  var rebirths = pyFloorDiv(age, K.life_years);
  var a = age - rebirths * K.life_years;
  var lifeStart = born + rebirths * K.life_years * yearSeconds;
  var i = stageAt(a);
  var ratio = (a - K.stage_starts[i]) / (stageEnd(i) - K.stage_starts[i]);
  var growth = growthAt(a);
  var stableStart = a < K.stage_starts[1] ? K.stage_starts[1] : K.life_years + K.stage_starts[1];
  var lives = neuronLife(sizes, growth, neuronOrders(rebirths, sizes));
  var active = 0;
  lives.forEach(function (layer) { active += sum(layer); });
  return {
    time: time,
    age: age,
    rebirths: rebirths,
    stage: K.stages[i],
    stage_ratio: clamp(ratio, 0, 1),
    growth: growth,
    neuron_life: lives,
    next_stage_time: lifeStart + stageEnd(i) * yearSeconds,
    next_stable_time: lifeStart + stableStart * yearSeconds,
    year_seconds: yearSeconds,
    active_neurons: active,
    total_neurons: sum(sizes)
  };
}

// artgen.lifecycle.traits_life_state, for traits as `traitsOf` gives them.
export function traitsLifeState(t, sizes, time) {
  return lifeState(t.birthYear, t.yearDays, sizes, time);
}
