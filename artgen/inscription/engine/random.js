/* artgen.portable_random: the generators both engines share, so Python and JavaScript draw
 * the same numbers.
 *
 * `PortableRandom` (FNV-1a + mulberry32) gives every draw of the art that is ours (the blink,
 * the Rebirth dust, the card's flicker) from a stream keyed by text; `Shr3` is q5's default
 * generator, which the original uses for the neuron order (ORIGINAL.md sections 0 and 4).
 */

import { range } from "./numbers.js";

function utf8(text) {
  return new TextEncoder().encode(text);
}

export function fnv1a32(text) {
  var bytes = utf8(text);
  var h = 0x811c9dc5;
  for (var i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
  return h;
}

export function PortableRandom(keyText) {
  this.state = fnv1a32(keyText);
}
PortableRandom.prototype.nextUint32 = function () {
  this.state = (this.state + 0x6d2b79f5) >>> 0;
  var a = this.state;
  var t = Math.imul(a ^ (a >>> 15), 1 | a);
  t = ((t + Math.imul(t ^ (t >>> 7), 61 | t)) >>> 0) ^ t;
  return (t ^ (t >>> 14)) >>> 0;
};
PortableRandom.prototype.random = function () {
  return this.nextUint32() / 4294967296;
};
export function key() {
  return Array.prototype.map.call(arguments, String).join("|");
}

// artgen.portable_random.Shr3: s ^= s << 17, s ^= s >> 13 (arithmetic), s ^= s << 5 on 32
// bits; a draw is s (unsigned) / (2^32 - 1), in [0, 1].
export function Shr3(seed) {
  this.state = seed | 0;
}
Shr3.prototype.random = function () {
  var s = this.state;
  s ^= s << 17;
  s ^= s >> 13;
  s ^= s << 5;
  this.state = s;
  return (s >>> 0) / 4294967295;
};
// [0 .. n-1] shuffled as the original shuffles a layer: for i = 1 .. n-1, swap i with floor(r i).
Shr3.prototype.shuffle = function (n) {
  var items = range(n);
  for (var i = 1; i < n; i++) {
    var j = Math.floor(this.random() * i), swap = items[i];
    items[i] = items[j];
    items[j] = swap;
  }
  return items;
};
