/* artgen.portable_random: FNV-1a + mulberry32, the generator both engines share.
 *
 * Every random draw of the art (neuron order, sparks, particles) comes from a stream keyed by
 * text, so Python and JavaScript draw the same numbers.
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
PortableRandom.prototype.below = function (n) {
  return Math.floor(this.random() * n);
};
PortableRandom.prototype.permutation = function (n) {
  var items = range(n);
  for (var i = n - 1; i > 0; i--) {
    var j = this.below(i + 1);
    var swap = items[i];
    items[i] = items[j];
    items[j] = swap;
  }
  return items;
};

export function key() {
  return Array.prototype.map.call(arguments, String).join("|");
}
