/* Palettes (the `palettes` package's colours, in DATA) and colour helpers. */

import { DATA } from "./data.js";
import { clamp } from "./numbers.js";

// "#RRGGBB" -> [r, g, b] in 0..1.
export function parseHex(color) {
  var text = color.charAt(0) === "#" ? color.slice(1) : color;
  return [0, 2, 4].map(function (i) { return parseInt(text.slice(i, i + 2), 16) / 255; });
}

// The colour at t (0..1) along evenly spaced stops.
function gradient(stops, t) {
  if (stops.length === 1) return stops[0];
  t = clamp(t, 0, 1);
  var x = t * (stops.length - 1), i = Math.min(Math.trunc(x), stops.length - 2), f = x - i;
  var a = stops[i], b = stops[i + 1];
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

export function palette(name) {
  var colors = DATA.palettes[name];
  if (!colors) throw new Error("unknown palette " + JSON.stringify(name));
  return { paper: colors[0], pattern: colors[1], stops: colors.slice(2).map(parseHex) };
}

export function columnColors(pal, columns) {
  if (columns <= 1) return columns === 1 ? [gradient(pal.stops, 0)] : [];
  var out = [];
  for (var i = 0; i < columns; i++) out.push(gradient(pal.stops, i / (columns - 1)));
  return out;
}

// A CSS colour from [r, g, b] in 0..1, each channel rounded to the nearest of its 256 levels
// (a CSS parser may truncate 197.99999999999997 to 197).
export function rgba(c, alpha) {
  return "rgba(" + Math.round(c[0] * 255) + "," + Math.round(c[1] * 255) + "," + Math.round(c[2] * 255) + "," + alpha + ")";
}
