/* A token's traits as its HTML carries them (see main.js for the JSON block). */

import { DATA } from "./data.js";

// cfg.t is [seed, token, the twelve traits in metadata order]; cfg.h the hidden layer sizes,
// cfg.y the days in one Perceptron year.
export function traitsOf(cfg) {
  var t = cfg.t, values = {};
  DATA.trait_names.forEach(function (name, i) { values[name] = t[i + 2]; });
  return {
    seed: String(t[0]), token: t[1], values: values,
    palette: t[2], pattern: t[3], acceleration: t[4], dataset: t[5], framework: t[6],
    lifeCycle: t[7], birthYear: t[8], hiddenSizes: cfg.h,
    yearDays: cfg.y || DATA.life_cycle_days[t[7]] || 1
  };
}
