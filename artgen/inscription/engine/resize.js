/* artgen.images: Pillow's bilinear resize (PIL/Resample.c), 8-bit fixed point.
 *
 * A picked or dropped image is resized to the model's input exactly as Python's Pillow does,
 * so the page classifies the same pixels as `artgen classify`.
 */

import { clamp } from "./numbers.js";

var PRECISION_BITS = 22;

function resampleCoefficients(inSize, outSize) {
  var scale = inSize / outSize, filterScale = Math.max(scale, 1), support = filterScale;
  var ss = 1 / filterScale;  // Pillow multiplies by the reciprocal (not the same rounding)
  var ksize = Math.ceil(support) * 2 + 1, bounds = [], coeffs = new Int32Array(outSize * ksize);
  for (var xx = 0; xx < outSize; xx++) {
    var center = (xx + 0.5) * scale, ww = 0, weights = [];
    var xmin = Math.max(0, Math.trunc(center - support + 0.5));
    var xmax = Math.min(inSize, Math.trunc(center + support + 0.5)) - xmin;
    for (var x = 0; x < xmax; x++) {
      var w = Math.abs((x + xmin - center + 0.5) * ss);
      w = w < 1 ? 1 - w : 0;
      weights.push(w);
      ww += w;
    }
    for (x = 0; x < xmax; x++) {
      var k = ww !== 0 ? weights[x] / ww : weights[x];
      coeffs[xx * ksize + x] = Math.trunc(k < 0 ? -0.5 + k * (1 << PRECISION_BITS) : 0.5 + k * (1 << PRECISION_BITS));
    }
    bounds.push(xmin, xmax);
  }
  return { ksize: ksize, bounds: bounds, coeffs: coeffs };
}

function clip8(v) {
  return clamp(Math.floor(v / (1 << PRECISION_BITS)), 0, 255);
}

// Horizontal pass: `rows` rows of src (w wide), from row `first`, to outW wide.
function resampleRows(src, w, first, rows, k, outW) {
  var out = new Uint8Array(outW * rows * 3);
  for (var y = 0; y < rows; y++) {
    for (var xx = 0; xx < outW; xx++) {
      var xmin = k.bounds[xx * 2], xmax = k.bounds[xx * 2 + 1], at = xx * k.ksize;
      for (var c = 0; c < 3; c++) {
        var ss = 1 << (PRECISION_BITS - 1);
        for (var x = 0; x < xmax; x++) ss += src[((y + first) * w + x + xmin) * 3 + c] * k.coeffs[at + x];
        out[(y * outW + xx) * 3 + c] = clip8(ss);
      }
    }
  }
  return out;
}

// Vertical pass: src (w wide) to outH rows; row bounds shifted up by `shift`.
function resampleColumns(src, w, k, outH, shift) {
  var out = new Uint8Array(w * outH * 3);
  for (var yy = 0; yy < outH; yy++) {
    var ymin = k.bounds[yy * 2] - shift, ymax = k.bounds[yy * 2 + 1], at = yy * k.ksize;
    for (var xx = 0; xx < w; xx++) {
      for (var c = 0; c < 3; c++) {
        var ss = 1 << (PRECISION_BITS - 1);
        for (var y = 0; y < ymax; y++) ss += src[((y + ymin) * w + xx) * 3 + c] * k.coeffs[at + y];
        out[(yy * w + xx) * 3 + c] = clip8(ss);
      }
    }
  }
  return out;
}

// RGBA (w x h) -> RGB (outW x outH), as Pillow 13's Image.resize(..., BILINEAR) computes it:
// two passes, the horizontal one first unless the height shrinks by more than twice as many
// pixels as the width does (Pillow 13 then runs the vertical pass first; older Pillows never
// do, so for those shapes they may differ from this by one level).
export function resizeBilinear(rgba, w, h, outW, outH) {
  var src = new Uint8Array(w * h * 3);
  for (var i = 0, p = 0; i < w * h; i++, p += 4) {
    src[i * 3] = rgba[p];
    src[i * 3 + 1] = rgba[p + 1];
    src[i * 3 + 2] = rgba[p + 2];
  }
  var horiz = resampleCoefficients(w, outW), vert = resampleCoefficients(h, outH);
  if (outW === w && outH === h) return src;
  if (outW === w) return resampleColumns(src, w, vert, outH, 0);
  if (outH === h) return resampleRows(src, w, 0, h, horiz, outW);
  if (outH < h && h - outH > 2 * (w - outW)) {
    return resampleRows(resampleColumns(src, w, vert, outH, 0), w, 0, outH, horiz, outW);
  }
  var first = vert.bounds[0], last = vert.bounds[outH * 2 - 2] + vert.bounds[outH * 2 - 1];
  return resampleColumns(resampleRows(src, w, first, last - first, horiz, outW), outW, vert, outH, first);
}
