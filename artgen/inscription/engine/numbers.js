/* Python's arithmetic where JavaScript's differs, and small number helpers.
 *
 * The engine repeats the Python engine's floating-point operations in the same order; these
 * give JavaScript Python's floor division and rounding where the two languages differ.
 */

// Python's float `a // b` (CPython float_floor_div).
export function pyFloorDiv(a, b) {
  var mod = a % b;
  var div = (a - mod) / b;
  if (mod && b < 0 !== mod < 0) div -= 1;
  if (!div) return 0;
  var floor = Math.floor(div);
  return div - floor > 0.5 ? floor + 1 : floor;
}

// Python's round(x): to the nearest whole number, ties to even.
export function pyRound(x) {
  var r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

// Python's round(x, 9): the decimal nearest the exact binary value, ties to even.
// A tie at the 10th decimal happens only for odd multiples of 1/1024.
export function round9(x) {
  var scaled = x * 1024;
  if (Math.floor(scaled) === scaled && Math.abs(scaled) % 2 === 1) {
    var cut = x.toFixed(10).slice(0, -1);
    if (+cut.charAt(cut.length - 1) % 2 === 0) return +cut;
  }
  return +x.toFixed(9);
}

export function clamp(x, lo, hi) {
  return Math.min(hi, Math.max(lo, x));
}

export function range(n) {
  var out = [];
  for (var i = 0; i < n; i++) out.push(i);
  return out;
}

export function sum(values) {
  var total = 0;
  for (var i = 0; i < values.length; i++) total += values[i];
  return total;
}

// A value given: neither undefined nor null (an option left out).
export function given(v) {
  return v !== undefined && v !== null;
}
