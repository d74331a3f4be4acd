/* The dense products in WebAssembly SIMD: the kernel module (kernel.wat) and its memory.
 *
 * The build compiles kernel.wat with wabt's wat2wasm and imports the module as base64 text.
 * It is compiled on first use; null where it cannot run (no WebAssembly, no 128-bit SIMD, or
 * a Content-Security-Policy refusing compilation), and then forward.js's `dense` does the
 * same products in JavaScript.
 */

import { decodeBase64 } from "./base64.js";
import KERNEL from "./kernel.wat";

// The kernel's base64 text, as the engine carries it.
export { KERNEL };

var kernelModule;  // undefined until first asked, then the module or null

function compiledKernel() {
  if (kernelModule === undefined) {
    kernelModule = null;
    try {
      var bytes = decodeBase64(KERNEL);
      if (typeof WebAssembly === "object" && WebAssembly.validate(bytes)) {
        kernelModule = new WebAssembly.Module(bytes);  // a few hundred bytes: allowed in sync
      }
    } catch (err) {
      kernelModule = null;
    }
  }
  return kernelModule;
}

// A model's layers in the memory of its own kernel instance, in float64 regions 64-byte
// aligned: the input, then for each layer its weights interleaved per block of four units
// ([block][input][unit], missing units zero) and its outputs (the next layer's input).
// Null when the kernel cannot run here.
export function kernelLayers(dense, size) {
  var module = compiledKernel();
  if (!module) return null;
  try {
    var kernel = new WebAssembly.Instance(module, {}).exports, memory = kernel.memory;
    var align = function (at) { return Math.ceil(at / 8) * 8; };  // in float64 values
    var at = align(size), n = size, input = 0;
    var layers = dense.map(function (d) {
      var blocks = Math.ceil(d.units / 4);
      var layer = { input: input, inputs: n, weights: at, blocks: blocks, out: 0 };
      at = align(at + blocks * 4 * n);
      layer.out = input = at;
      at = align(at + blocks * 4);
      n = d.units;
      return layer;
    });
    var have = memory.buffer.byteLength;
    if (at * 8 > have) memory.grow(Math.ceil((at * 8 - have) / 65536));
    var f = new Float64Array(memory.buffer);  // fresh memory is zero: the padding units
    dense.forEach(function (d, l) {
      var n = d.inputs, w = d.weights;
      for (var j = 0; j < d.units; j++) {
        var o = layers[l].weights + (j >> 2) * 4 * n + (j & 3);
        for (var i = 0; i < n; i++) f[o + 4 * i] = w[j * n + i];
      }
    });
    return { dense: kernel.dense, f: f, layers: layers };
  } catch (err) {
    return null;
  }
}
