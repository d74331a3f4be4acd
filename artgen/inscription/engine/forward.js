/* artgen.model.logits and forward: the network's pass, in float64, with life masks.
 *
 * The dense products run in the WebAssembly kernel when the model has one (kernel.js), else
 * in the JavaScript loops below; the bias, the activation and the life mask are added here.
 */

import { K } from "./data.js";

function activate(v, name) {
  if (name === "relu") return v > 0 ? v : 0;
  if (name === "leaky_relu") return v >= 0 ? v : K.leaky_slope * v;
  if (name === "tanh") return Math.tanh(v);
  if (name === "sigmoid") return 0.5 + 0.5 * Math.tanh(0.5 * v);
  return v;
}

// A row's dot product with h, in four running sums.
function dot(h, n, w, o) {
  var s0 = 0, s1 = 0, s2 = 0, s3 = 0, i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += h[i] * w[o + i];
    s1 += h[i + 1] * w[o + i + 1];
    s2 += h[i + 2] * w[o + i + 2];
    s3 += h[i + 3] * w[o + i + 3];
  }
  for (; i < n; i++) s0 += h[i] * w[o + i];
  return s0 + s1 + (s2 + s3);
}

// out[o + j] = activation(out[o + j] + bias[j]), times life, for each of the units.
function finish(out, o, bias, units, act, alive) {
  for (var j = 0; j < units; j++) {
    var v = activate(out[o + j] + bias[j], act);
    out[o + j] = alive !== null ? v * alive[j] : v;
  }
}

// One Dense layer's products, out = w h. Units go four at a time, so each input is read
// once for four rows (eight running sums in flight).
function dense(h, n, w, units, out) {
  var j = 0;
  for (; j + 3 < units; j += 4) {
    var a = j * n, b = a + n, c = b + n, d = c + n, i = 0;
    var a0 = 0, a1 = 0, b0 = 0, b1 = 0, c0 = 0, c1 = 0, d0 = 0, d1 = 0;
    for (; i + 1 < n; i += 2) {
      var h0 = h[i], h1 = h[i + 1];
      a0 += h0 * w[a + i];
      a1 += h1 * w[a + i + 1];
      b0 += h0 * w[b + i];
      b1 += h1 * w[b + i + 1];
      c0 += h0 * w[c + i];
      c1 += h1 * w[c + i + 1];
      d0 += h0 * w[d + i];
      d1 += h1 * w[d + i + 1];
    }
    if (i < n) {
      a0 += h[i] * w[a + i];
      b0 += h[i] * w[b + i];
      c0 += h[i] * w[c + i];
      d0 += h[i] * w[d + i];
    }
    out[j] = a0 + a1;
    out[j + 1] = b0 + b1;
    out[j + 2] = c0 + c1;
    out[j + 3] = d0 + d1;
  }
  for (; j < units; j++) out[j] = dot(h, n, w, j * n);
  return out;
}

// artgen.model.logits: output-layer values in float64; `life` scales each hidden layer.
// With the kernel the products run in WebAssembly on its memory, the rest here alike.
export function logits(model, pixels, life) {
  var n = model.inputSize, scale = model.scale, offset = model.offset, wasm = model.wasm;
  if (pixels.length !== n) throw new Error("pixels: expected " + n + " values, found " + pixels.length);
  var x = wasm ? wasm.f : model.buffers[0], last = model.dense.length - 1;
  for (var i = 0; i < n; i++) x[i] = pixels[i] * scale + offset;
  var h = x;
  for (var l = 0; l <= last; l++) {
    var d = model.dense[l], alive = l < last && life ? life[l] : null;
    if (wasm) {
      var at = wasm.layers[l];
      wasm.dense(at.input * 8, at.inputs, at.weights * 8, at.blocks, at.out * 8);
      finish(x, at.out, d.bias, d.units, d.activation, alive);
    } else {
      h = dense(h, d.inputs, d.weights, d.units, model.buffers[l + 1]);
      finish(h, 0, d.bias, d.units, d.activation, alive);
    }
  }
  if (!wasm) return h;
  var out = model.buffers[last + 1], o = wasm.layers[last].out;
  out.set(x.subarray(o, o + out.length));
  return out;
}

// artgen.model.softmax, shifted by the maximum so it cannot overflow.
export function softmax(z) {
  var top = -Infinity, total = 0, out = new Float64Array(z.length);
  for (var i = 0; i < z.length; i++) top = Math.max(top, z[i]);
  for (i = 0; i < z.length; i++) total += out[i] = Math.exp(z[i] - top);
  for (i = 0; i < z.length; i++) out[i] /= total;
  return out;
}

export function forward(model, pixels, life) {
  return softmax(logits(model, pixels, life));
}
