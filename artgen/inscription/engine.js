/* Perceptrons art engine: runs a Perceptron's network and draws its portrait in the browser.
 *
 * This is the readable source; `artgen.inscription.build.engine_js()` fills in DATA (palettes,
 * tables and the constants of the Python engine, so both read the same numbers) and minifies
 * it into the script inscribed once for a whole collection.
 *
 * A token's HTML holds a JSON block <script type="application/json" id="perceptron">:
 *   {"m": model inscription id, "t": [seed, token, the twelve traits in metadata order],
 *    "h": hidden layer sizes, "y": days in one Perceptron year,
 *    "c": [time, height, fee rate] and "x": 1 (optional: a pinned chain state)}
 * A standalone file adds the model itself in <script type="application/json"
 * id="perceptron-model">. Every function below mirrors a Python one (named in its comment)
 * and does the same floating-point operations in the same order, so both sides agree.
 * Vanilla JavaScript (ES5 plus typed arrays; WebAssembly SIMD for the dense products where the
 * browser allows it, see parseModel): no library, nothing fetched but /content/ and /r/.
 */
(function (root) {
  "use strict";

  var DATA = /*@DATA@*/ null;
  var K = DATA.constants;
  var SIDE = K.side;

  /* ---- Python's arithmetic where JavaScript's differs ------------------------------------ */

  // Python's float `a % b` (the sign of b).
  function pyMod(a, b) {
    var m = a % b;
    return m !== 0 && m < 0 !== b < 0 ? m + b : m;
  }

  // Python's float `a // b` (CPython float_floor_div).
  function pyFloorDiv(a, b) {
    var mod = a % b;
    var div = (a - mod) / b;
    if (mod && b < 0 !== mod < 0) div -= 1;
    if (!div) return 0;
    var floor = Math.floor(div);
    return div - floor > 0.5 ? floor + 1 : floor;
  }

  // Python's round(x): to the nearest whole number, ties to even.
  function pyRound(x) {
    var r = Math.round(x);
    return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
  }

  // Python's round(x, 9): the decimal nearest the exact binary value, ties to even.
  // A tie at the 10th decimal happens only for odd multiples of 1/1024.
  function round9(x) {
    var scaled = x * 1024;
    if (Math.floor(scaled) === scaled && Math.abs(scaled) % 2 === 1) {
      var cut = x.toFixed(10).slice(0, -1);
      if (+cut.charAt(cut.length - 1) % 2 === 0) return +cut;
    }
    return +x.toFixed(9);
  }

  function clamp(x, lo, hi) {
    return Math.min(hi, Math.max(lo, x));
  }

  function range(n) {
    var out = [];
    for (var i = 0; i < n; i++) out.push(i);
    return out;
  }

  function sum(values) {
    var total = 0;
    for (var i = 0; i < values.length; i++) total += values[i];
    return total;
  }

  /* ---- artgen.portable_random: FNV-1a + mulberry32 --------------------------------------- */

  function utf8(text) {
    return new TextEncoder().encode(text);
  }

  function fnv1a32(text) {
    var bytes = utf8(text);
    var h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
    return h;
  }

  function PortableRandom(keyText) {
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

  function key() {
    return Array.prototype.map.call(arguments, String).join("|");
  }

  /* ---- artgen.model: the data inscription ------------------------------------------------ */

  function ModelError(source, field, message) {
    var where = [source];
    if (field) where.push("field '" + field + "'");
    this.message = where.join(": ") + ": " + message;
  }
  ModelError.prototype = Object.create(Error.prototype);
  ModelError.prototype.name = "ModelError";

  function isObject(v) {
    return v !== null && typeof v === "object" && !Array.isArray(v);
  }

  function shown(v) {
    var text = JSON.stringify(v);
    if (text === undefined) return String(v);
    return text.length <= 40 ? text : text.slice(0, 37) + "...";
  }

  function inputShape(value, src, field) {
    var ok = Array.isArray(value) && value.length === 4 && value[0] === null && value[3] === 3;
    var sides = ok ? value.slice(1, 3) : [];
    ok = ok && sides.every(function (s) {
      return typeof s === "number" && s % 1 === 0 && s >= 1 && s <= K.max_side;
    });
    if (!ok) {
      throw new ModelError(src, field, "expected [null, H, W, 3] with H and W in 1.." +
        K.max_side + ", found " + shown(value));
    }
    return [sides[0], sides[1], 3];
  }

  function activationOf(value, src, field) {
    if (isObject(value) && typeof value.config === "string") value = value.config;
    var allowed = K.activations.concat(["softmax"]);
    if (allowed.indexOf(value) < 0) {
      throw new ModelError(src, field, "expected one of " + allowed.join(", ") + ", found " +
        shown(value));
    }
    return value;
  }

  // artgen.model._layer_list and _parse_layers: the architecture, without the weights.
  function parseLayers(config, src) {
    if (!isObject(config)) throw new ModelError(src, "layers_config", "expected an object");
    var kind = "class_name" in config ? config.class_name : "Sequential";
    if (kind !== "Sequential") {
      throw new ModelError(src, "layers_config.class_name", "expected 'Sequential', found " +
        shown(kind));
    }
    var inner = config.config, path = "layers_config.config", buildShape = null, layers;
    if (Array.isArray(inner)) {
      layers = inner;
    } else {
      if ((inner === undefined || inner === null) && "layers" in config) {
        inner = config;
        path = "layers_config";
      }
      if (!isObject(inner) || !Array.isArray(inner.layers)) {
        throw new ModelError(src, path, "expected an object with a 'layers' list");
      }
      layers = inner.layers;
      buildShape = inner.build_input_shape === undefined ? null : inner.build_input_shape;
      path += ".layers";
    }
    var shape = null, scale = 1, offset = 0, flat = false, dense = [];
    for (var i = 0; i < layers.length; i++) {
      var at = path + "[" + i + "]", layer = layers[i];
      var cls = isObject(layer) ? layer.class_name : undefined;
      if (K.layer_classes.indexOf(cls) < 0) {
        throw new ModelError(src, at + ".class_name", "expected one of " +
          K.layer_classes.join(", ") + ", found " + shown(isObject(layer) ? cls : layer));
      }
      var cfg = layer.config === undefined || layer.config === null ? {} : layer.config;
      if (!isObject(cfg)) throw new ModelError(src, at + ".config", "expected an object");
      if (cls === "InputLayer" && i) {
        throw new ModelError(src, at, "expected InputLayer only as the first layer");
      }
      var shapeKey = "batch_input_shape" in cfg ? "batch_input_shape" : "batch_shape";
      if ((shapeKey in cfg || cls === "InputLayer") && !dense.length) {
        var here = inputShape(cfg[shapeKey], src, at + ".config." + shapeKey);
        if (shape && (shape[0] !== here[0] || shape[1] !== here[1])) {
          throw new ModelError(src, at + ".config." + shapeKey, "expected [null, " + shape[0] +
            ", " + shape[1] + ", 3]");
        }
        shape = here;
      }
      if (cls === "Rescaling") {
        if (dense.length) throw new ModelError(src, at, "expected Rescaling before the first Dense layer");
        var s = cfg.scale, o = "offset" in cfg ? cfg.offset : 0;
        if (typeof s !== "number" || typeof o !== "number") {
          throw new ModelError(src, at + ".config", "expected numbers for scale and offset");
        }
        scale = scale * s;
        offset = offset * s + o;
      } else if (cls === "Flatten") {
        flat = true;
      } else if (cls === "Dense") {
        if (!flat) throw new ModelError(src, at, "expected a Flatten layer before the first Dense layer");
        var units = cfg.units;
        if (typeof units !== "number" || units % 1 !== 0 || units < 1 || units > K.max_units) {
          throw new ModelError(src, at + ".config.units", "expected an integer in 1.." +
            K.max_units + ", found " + shown(units));
        }
        var act = activationOf("activation" in cfg ? cfg.activation : "linear", src,
          at + ".config.activation");
        var useBias = "use_bias" in cfg ? cfg.use_bias : true;
        dense.push({ units: units, activation: act, useBias: useBias !== false });
      }
    }
    if (!shape) {
      if (buildShape === null) {
        throw new ModelError(src, path, "expected an InputLayer with batch_input_shape [null, H, W, 3]");
      }
      shape = inputShape(buildShape, src, "layers_config.config.build_input_shape");
    }
    if (!dense.length) throw new ModelError(src, path, "expected at least one Dense layer");
    for (var d = 0; d < dense.length - 1; d++) {
      if (dense[d].activation === "softmax") {
        throw new ModelError(src, path, "expected softmax only on the output layer");
      }
    }
    return { shape: shape, scale: scale, offset: offset, dense: dense };
  }

  function weightCount(arch) {
    var n = arch.shape[0] * arch.shape[1] * 3, total = 0;
    arch.dense.forEach(function (d) {
      total += n * d.units + (d.useBias ? d.units : 0);
      n = d.units;
    });
    return total;
  }

  function base64Bytes(text, src) {
    var clean = text.split(/\s/).join("");
    var binary;
    try {
      binary = atob(clean);
    } catch (err) {
      throw new ModelError(src, "weight_b64", "expected base64 text, found characters outside the alphabet");
    }
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  // artgen.model._decode_weights: little-endian float32, kernel (rows = inputs) then bias
  // for each Dense layer; the output bias may be missing. Kernels are kept transposed (one
  // row of inputs per unit), so the forward pass reads them in order; float32 storage holds
  // every value exactly and halves the memory the pass streams through.
  function decodeWeights(value, src, arch) {
    if (typeof value !== "string") throw new ModelError(src, "weight_b64", "expected a base64 string");
    var bytes = base64Bytes(value, src);
    var full = weightCount(arch), out = arch.dense[arch.dense.length - 1];
    var counts = out.useBias ? [full, full - out.units] : [full];
    if (bytes.length % 4 || counts.indexOf(bytes.length / 4) < 0) {
      var found = bytes.length % 4 ? bytes.length + " bytes (not whole float32 values)" : String(bytes.length / 4);
      var alt = out.useBias ? " (or " + (full - out.units) + " without the output bias)" : "";
      throw new ModelError(src, "weight_b64", "expected " + full + " float32 values" + alt +
        ", found " + found);
    }
    var view = new DataView(bytes.buffer), count = bytes.length / 4, at = 0;
    var n = arch.shape[0] * arch.shape[1] * 3;
    var value32 = function (index) {
      var v = view.getFloat32(index * 4, true);
      if (!isFinite(v)) throw new ModelError(src, "weight_b64", "expected finite numbers, found " + v + " at " + index);
      return v;
    };
    return arch.dense.map(function (d) {
      var u = d.units, weights = new Float32Array(n * u), bias = new Float64Array(u);
      for (var i = 0; i < n; i++) {
        for (var j = 0; j < u; j++) weights[j * n + i] = value32(at + i * u + j);
      }
      at += n * u;
      if (d.useBias && at < count) {
        for (j = 0; j < u; j++) bias[j] = value32(at + j);
        at += u;
      }
      var layer = { units: u, inputs: n, activation: d.activation, weights: weights, bias: bias };
      n = u;
      return layer;
    });
  }

  /* ---- the dense products in WebAssembly (artgen/inscription/wasm.py) -------------------- */

  // The kernel module (DATA.kernel), compiled on first use; null where it cannot run (no
  // WebAssembly, no 128-bit SIMD, or a Content-Security-Policy refusing compilation), and
  // then the JavaScript `dense` below does the same products.
  var kernelModule;

  function compiledKernel() {
    if (kernelModule === undefined) {
      kernelModule = null;
      try {
        var bytes = base64Bytes(DATA.kernel, "<kernel>");
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
  function kernelLayers(dense, size) {
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

  // artgen.model.loads_model: parse and validate a data inscription's JSON text. With
  // options.wasm === false the forward pass stays in JavaScript (model.kernel says which).
  function parseModel(text, src, options) {
    src = src || "<model>";
    var doc;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      throw new ModelError(src, null, "not valid JSON (" + err.message + ")");
    }
    if (!isObject(doc)) throw new ModelError(src, null, "expected a JSON object, found " + shown(doc));
    K.model_keys.forEach(function (k) {
      if (!(k in doc)) throw new ModelError(src, k, "missing");
    });
    if (typeof doc.model_name !== "string") throw new ModelError(src, "model_name", "expected a string");
    var arch = parseLayers(doc.layers_config, src);
    var classes = doc.classes_name, units = arch.dense[arch.dense.length - 1].units;
    if (!Array.isArray(classes) || !classes.length) {
      throw new ModelError(src, "classes_name", "expected a list of names");
    }
    classes.forEach(function (name, i) {
      if (typeof name !== "string") throw new ModelError(src, "classes_name[" + i + "]", "expected a string");
    });
    if (classes.length !== units) {
      throw new ModelError(src, "classes_name", "expected one name per output unit (" + units +
        "), found " + classes.length);
    }
    if (!isObject(doc.training_traits)) throw new ModelError(src, "training_traits", "expected an object");
    var dense = decodeWeights(doc.weight_b64, src, arch);
    var size = arch.shape[0] * arch.shape[1] * 3;
    var wasm = options && options.wasm === false ? null : kernelLayers(dense, size);
    return {
      name: doc.model_name,
      inputShape: arch.shape,
      inputSize: size,
      scale: arch.scale,
      offset: arch.offset,
      dense: dense,
      classes: classes.slice(),
      hiddenSizes: dense.slice(0, -1).map(function (d) { return d.units; }),
      trainingTraits: doc.training_traits,
      kernel: wasm ? "wasm" : "js",
      wasm: wasm,
      // one buffer per layer, reused by every forward pass
      buffers: [new Float64Array(size)].concat(dense.map(function (d) { return new Float64Array(d.units); }))
    };
  }

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
  function logits(model, pixels, life) {
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
  function softmax(z) {
    var top = -Infinity, total = 0, out = new Float64Array(z.length);
    for (var i = 0; i < z.length; i++) top = Math.max(top, z[i]);
    for (i = 0; i < z.length; i++) total += out[i] = Math.exp(z[i] - top);
    for (i = 0; i < z.length; i++) out[i] /= total;
    return out;
  }

  function forward(model, pixels, life) {
    return softmax(logits(model, pixels, life));
  }

  /* ---- artgen.classify ------------------------------------------------------------------- */

  function confidencePhrase(confidence) {
    for (var i = 0; i < K.phrases.length; i++) {
      if (confidence < K.phrases[i][0]) return K.phrases[i][1];
    }
    return K.certain;
  }

  function classify(model, pixels, life) {
    var probs = forward(model, pixels, life), best = 0;
    for (var i = 1; i < probs.length; i++) if (probs[i] > probs[best]) best = i;
    return {
      probabilities: Array.prototype.slice.call(probs),
      top: model.classes[best],
      index: best,
      confidence: probs[best],
      phrase: confidencePhrase(probs[best])
    };
  }

  /* ---- artgen.images: Pillow's bilinear resize (PIL/Resample.c), 8-bit fixed point ----------- */

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
  function resizeBilinear(rgba, w, h, outW, outH) {
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

  /* ---- artgen.lifecycle ------------------------------------------------------------------ */

  function birthTime(year) {
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
  function layerAliveCounts(sizes, growth) {
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

  function neuronOrders(seed, token, rebirths, sizes) {
    return sizes.map(function (size, layer) {
      return new PortableRandom(key("neuron-order", seed, token, rebirths, layer)).permutation(size);
    });
  }

  function neuronLife(sizes, growth, orders) {
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
  function lifeState(seed, token, birthYear, yearDays, sizes, time) {
    var yearSeconds = yearDays * K.day, born = birthTime(birthYear);
    var age = Math.max(0, (time - born) / yearSeconds);
    var rebirths = pyFloorDiv(age, K.life_years);
    var a = age - rebirths * K.life_years;
    var lifeStart = born + rebirths * K.life_years * yearSeconds;
    var i = stageAt(a);
    var ratio = (a - K.stage_starts[i]) / (stageEnd(i) - K.stage_starts[i]);
    var growth = growthAt(a);
    var stableStart = a < K.stage_starts[1] ? K.stage_starts[1] : K.life_years + K.stage_starts[1];
    var lives = neuronLife(sizes, growth, neuronOrders(seed, token, rebirths, sizes));
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
  function traitsLifeState(t, sizes, time) {
    return lifeState(t.seed, t.token, t.birthYear, t.yearDays, sizes, time);
  }

  /* ---- artgen.chain: fee rate -> animation pace ------------------------------------------ */

  function feeActivity(feeRate) {
    var f = feeRate > 0 ? clamp(Math.tanh(Math.log10(feeRate)), 0, 1) : 0;
    return 0.2 + 0.6 * f;
  }

  function sparkInterval(activity) {
    return pyRound(15 - 13 * clamp((activity - 0.2) / 0.6, 0, 1));
  }

  function animation(feeRate, acceleration) {
    var f = feeActivity(feeRate);
    var frames = K.acceleration_frames[acceleration] || K.acceleration_frames.Standard;
    return { activity: f, spark_interval: sparkInterval(f), reveal_frames_per_layer: frames[0],
             sweep_frames_per_layer: frames[1] };
  }

  /* ---- palettes and artgen.scene.layout --------------------------------------------------- */

  function parseHex(color) {
    var text = color.charAt(0) === "#" ? color.slice(1) : color;
    return [0, 2, 4].map(function (i) { return parseInt(text.slice(i, i + 2), 16) / 255; });
  }

  function gradient(stops, t) {
    if (stops.length === 1) return stops[0];
    t = clamp(t, 0, 1);
    var x = t * (stops.length - 1), i = Math.min(Math.trunc(x), stops.length - 2), f = x - i;
    var a = stops[i], b = stops[i + 1];
    return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
  }

  function palette(name) {
    var colors = DATA.palettes[name];
    if (!colors) throw new Error("unknown palette " + JSON.stringify(name));
    return { paper: colors[0], pattern: colors[1], stops: colors.slice(2).map(parseHex) };
  }

  function columnColors(pal, columns) {
    if (columns <= 1) return columns === 1 ? [gradient(pal.stops, 0)] : [];
    var out = [];
    for (var i = 0; i < columns; i++) out.push(gradient(pal.stops, i / (columns - 1)));
    return out;
  }

  function pattern(kind, color) {
    var fw = K.frame_width, clip = [fw, fw, SIDE - fw, SIDE - fw], mid = SIDE / 2, xs = [], n, k, x;
    if (kind === "Squared") {
      n = Math.trunc(pyFloorDiv(mid, K.grid_spacing));
      for (k = -n; k <= n; k++) {
        x = mid + k * K.grid_spacing;
        if (fw < x && x < SIDE - fw) xs.push(x);
      }
      return { kind: kind, color: color, opacity: K.grid_opacity, mark: K.grid_width, xs: xs, ys: xs, clip: clip };
    }
    if (kind === "Dotted") {
      n = Math.trunc(pyFloorDiv(mid, K.dot_spacing));
      for (k = -n - 1; k < n + 1; k++) {
        x = mid + (k + 0.5) * K.dot_spacing;
        if (fw + K.dot_radius < x && x < SIDE - fw - K.dot_radius) xs.push(x);
      }
      return { kind: kind, color: color, opacity: K.dot_opacity, mark: K.dot_radius, xs: xs, ys: xs, clip: clip };
    }
    return { kind: "Plain", color: color, opacity: 0, mark: 0, xs: [], ys: [], clip: clip };
  }

  function drawingScale(sizes) {
    return Math.max(1, Math.ceil(Math.max.apply(null, sizes) / K.max_drawn_nodes));
  }

  function drawnLife(life, k) {
    var out = [];
    for (var i = 0; i < life.length; i += k) {
      var part = life.slice(i, i + k);
      out.push(sum(part) / part.length);
    }
    return out;
  }

  function columnPositions(columns) {
    var spacing = (SIDE - K.border) / columns, out = [];
    for (var i = 0; i < columns; i++) out.push(K.border / 2 + spacing * (i + 0.5));
    return out;
  }

  function nodePositions(count, most) {
    var spacing = (SIDE - 2 * K.border) / most, out = [];
    for (var j = 0; j < count; j++) out.push(SIDE / 2 + (j - (count - 1) / 2) * spacing);
    return out;
  }

  function nodeSize(columns, most) {
    return Math.min((SIDE - K.border) / columns, (SIDE - 2 * K.border) / most) / 2;
  }

  function strokeWidths(columns, most) {
    var r = Math.min(1 / columns, 1 / most);
    var t = clamp((r - K.r_small) / (K.r_large - K.r_small), 0, 1);
    return [K.node_stroke[0] + t * (K.node_stroke[1] - K.node_stroke[0]),
            K.line_width[0] + t * (K.line_width[1] - K.line_width[0])];
  }

  function nodePaint(fillMode, color, paper, life) {
    var stroke = 0.25 + 0.75 * life, fill = 0.15 + 0.85 * life;
    if (fillMode === "solid") return [color, fill, stroke];
    if (fillMode === "outline") return [paper, fill, stroke];
    return [null, 0, stroke];
  }

  function nodeExtent(shape, size) {
    if (shape === "square") return Math.sqrt(2) * 7 * size / 16;
    if (shape === "diamond") return 4 * size / 7;
    return size / 2;
  }

  function shapeSide(shape, size) {
    return shape === "square" ? 7 * size / 8 : Math.sqrt(2) * 4 * size / 7;
  }

  function dashPattern(shape, size, strokeWidth) {
    var count, period;
    if (shape === "circle") {
      var perimeter = Math.PI * size;
      count = Math.max(4, 2 * pyRound(perimeter / (5 * strokeWidth) / 2));
      period = perimeter / count;
      return [0.6 * period, 0.4 * period, 0];
    }
    var side = shapeSide(shape, size);
    count = Math.max(8, 4 * pyRound(4 * side / (5 * strokeWidth) / 4));
    period = 4 * side / count;
    var on = 0.6 * period;
    return [on, period - on, pyMod(on / 2 - side / 2, period)];
  }

  /* ---- artgen.scene.particles: Dead and Rebirth ------------------------------------------ */

  function particleCounts(columnSizes) {
    var nodes = columnSizes.map(function (n) { return Math.ceil(n / 4); }), segments = [];
    for (var i = 0; i + 1 < columnSizes.length; i++) {
      segments.push(Math.floor(1.5 * columnSizes[i] * columnSizes[i + 1] + 0.5));
    }
    return [nodes, segments];
  }

  function visibleShare(stage, ratio) {
    if (stage === "Dead") return 1 - ratio;
    if (stage === "Rebirth") return ratio;
    return 0;
  }

  // artgen.scene.particles._pieces: one PortableRandom stream read with random() only: the
  // show order (a Fisher-Yates permutation), then DRAWS_PER_PIECE draws per piece.
  function pieces(o, counts) {
    var nNodes = counts[0], nSegments = counts[1], nNode = sum(nNodes), total = nNode + sum(nSegments);
    var rng = new PortableRandom(key("particles", o.seed, o.token, o.rebirths));
    var rank = rng.permutation(total), per = K.draws_per_piece, d = new Float64Array(total * per);
    for (var q = 0; q < d.length; q++) d[q] = rng.random();
    var nodeCol = [], segGap = [];
    nNodes.forEach(function (n, c) { for (var i = 0; i < n; i++) nodeCol.push(c); });
    nSegments.forEach(function (n, g) { for (var i = 0; i < n; i++) segGap.push(g); });
    var spacing = o.columns[1][0] - o.columns[0][0], extentNode = nodeExtent(o.shape, o.size) + o.strokeWidth;
    var out = [];
    for (var i = 0; i < total; i++) {
      var r = i * per, p = { rank: rank[i], angle0: 0 }, extent;
      if (i < nNode) {
        var col = o.columns[nodeCol[i]];
        p.column = nodeCol[i];
        p.hx = col[0];
        p.hy = col[1][Math.trunc(d[r] * col[1].length)];
        extent = extentNode;
      } else {
        var g = segGap[i - nNode], a = o.columns[g], b = o.columns[g + 1];
        var y0 = a[1][Math.trunc(d[r] * a[1].length)], y1 = b[1][Math.trunc(d[r + 1] * b[1].length)];
        var t = 0.15 + 0.7 * d[r + 2];
        p.gap = g;
        p.length = spacing * (K.segment_length[0] + (K.segment_length[1] - K.segment_length[0]) * d[r + 3]);
        p.hx = a[0] + t * (b[0] - a[0]);
        p.hy = y0 + t * (y1 - y0);
        p.angle0 = Math.atan2(y1 - y0, b[0] - a[0]);
        extent = p.length / 2 + o.lineWidth;
      }
      p.lo = K.frame_width + K.clearance + extent;
      p.hi = SIDE - p.lo;
      p.sx = clamp(p.hx + K.scatter * (d[r + 4] - d[r + 5]), p.lo, p.hi);
      p.sy = clamp(p.hy + K.scatter * (d[r + 6] - d[r + 7]), p.lo, p.hi);
      p.angle0 = p.angle0 + K.tilt * (d[r + 8] - d[r + 9]);
      var heading = 2 * Math.PI * d[r + 10];
      var speed = K.speed[0] + (K.speed[1] - K.speed[0]) * d[r + 11];
      p.vx = speed * Math.cos(heading);
      p.vy = speed * Math.sin(heading);
      p.spin = K.spin * (2 * d[r + 12] - 1);
      p.node = i < nNode;
      out.push(p);
    }
    return out;
  }

  var pieceCache = {};

  // artgen.scene.particles.drift: the pieces at `frame` (any real number), `share` of them shown.
  function drift(o) {
    var counts = particleCounts(o.columns.map(function (c) { return c[1].length; }));
    var total = sum(counts[0]) + sum(counts[1]);
    var shown = Math.min(total, Math.floor(o.share * total + 0.5));
    var nodes = [], lines = [];
    if (shown <= 0) return { nodes: nodes, lines: lines };
    var id = JSON.stringify([o.seed, o.token, o.rebirths, o.columns, o.shape, o.size, o.strokeWidth, o.lineWidth]);
    var all = pieceCache[id] || (pieceCache = {}, pieceCache[id] = pieces(o, counts));
    all.forEach(function (p, i) {
      if (p.rank >= shown) return;
      var x = bounce(p.sx, p.vx, o.frame, p.lo, p.hi), y = bounce(p.sy, p.vy, o.frame, p.lo, p.hi);
      var angle = pyMod(p.angle0 + p.spin * o.frame, 2 * Math.PI);
      if (p.node) {
        var color = o.columnColors[p.column], paint = nodePaint(o.fillMode, color, o.paper, 1);
        nodes.push({ id: "p" + i, column: p.column, index: i, x: x, y: y, size: o.size, shape: o.shape,
                     fill: paint[0], fill_opacity: paint[1], stroke: color, stroke_opacity: paint[2],
                     stroke_width: o.strokeWidth, life: 1, dash: null, glow: 0, angle: angle });
      } else {
        var half = p.length / 2, dx = Math.cos(angle) * half, dy = Math.sin(angle) * half;
        var p0 = [x - dx, y - dy], p1 = [x + dx, y + dy];
        lines.push({ x0: p0[0], y0: p0[1], x1: p1[0], y1: p1[1], color0: o.columnColors[p.gap],
                     color1: o.columnColors[p.gap + 1], g0: p0, g1: p1, opacity: 0.5,
                     width: o.lineWidth, gap: -1 });
      }
    });
    return { nodes: nodes, lines: lines };
  }

  function bounce(start, velocity, frame, lo, hi) {
    var span = Math.max(hi - lo, 1e-9);
    var t = pyMod(start - lo + velocity * frame, 2 * span);
    return lo + span - Math.abs(t - span);
  }

  /* ---- artgen.scene.build ---------------------------------------------------------------- */

  function given(v) {
    return v !== undefined && v !== null;
  }

  // opts (artgen.scene.FrameOptions): {index, node_reveal, line_reveal, sparks (node id ->
  // true), spark_phases ([node id, phase, pulse target] triples), sweep, show_frame, drift}
  function buildScene(traits, sizes, life, opts) {
    opts = opts || {};
    var pal = palette(traits.palette), paper = parseHex(pal.paper), ink = parseHex(pal.pattern);
    var scale = drawingScale(sizes);
    var lives = [[1]].concat(life.neuron_life.map(function (l) { return drawnLife(l, scale); }), [[1]]);
    var counts = lives.map(function (c) { return c.length; });
    var columns = counts.length, most = Math.max.apply(null, counts);
    var columnX = columnPositions(columns), colors = columnColors(pal, columns);
    var size = nodeSize(columns, most), widths = strokeWidths(columns, most);
    var shape = K.node_shapes[traits.framework] || "circle";
    var fillMode = K.node_fills[traits.dataset] || "solid";
    var nodes = [], lines = [], sweep = [], particles = { nodes: [], lines: [] };
    if (life.stage === "Dead" || life.stage === "Rebirth") {
      particles = drift({
        seed: traits.seed, token: traits.token, rebirths: life.rebirths,
        frame: given(opts.drift) ? opts.drift : opts.index || 0,
        share: visibleShare(life.stage, life.stage_ratio),
        columns: columnX.map(function (x, c) { return [x, nodePositions(counts[c], most)]; }),
        columnColors: colors, shape: shape, fillMode: fillMode, paper: paper, size: size,
        strokeWidth: widths[0], lineWidth: widths[1]
      });
    } else {
      var grid = networkNodes(life.stage, lives, most, columnX, colors, paper, size, widths[0],
        shape, fillMode, opts);
      lines = networkLines(grid, columnX, colors, widths[1], opts.line_reveal);
      nodes = revealed(grid, counts, opts.node_reveal);
      sweep = overlay(lines, nodes, columnX, opts);
    }
    return {
      paper: paper, pattern: pattern(traits.pattern, ink),
      frame: { color: ink, width: K.frame_width, visible: opts.show_frame !== false },
      lines: lines, nodes: nodes, sweep: sweep, particles: particles, column_x: columnX,
      column_colors: colors, scale: scale, stage: life.stage, side: SIDE
    };
  }

  function sparkGlow(phase) {
    return K.spark_glow * Math.pow(1 - clamp(phase, 0, 1), 1.5);
  }

  function pulseSpan(phase) {
    var head = Math.min(1, K.pulse_speed * phase);
    return [Math.max(0, head - K.pulse_length), head, K.pulse_opacity * Math.sin(Math.PI * clamp(phase, 0, 1))];
  }

  function sparkLevels(opts) {
    var levels = {};
    Object.keys(opts.sparks || {}).forEach(function (id) { levels[id] = K.spark_glow; });
    (opts.spark_phases || []).forEach(function (sp) {
      levels[sp[0]] = Math.max(levels[sp[0]] || 0, sparkGlow(sp[1]));
    });
    return levels;
  }

  function glowOf(id, column, life, levels, front) {
    if (life <= 0) return 0;
    var glow = levels[id] || 0;
    if (given(front)) glow = Math.max(glow, K.sweep_glow * Math.max(0, 1 - Math.abs(front - column)));
    return glow;
  }

  // A lit node shines: filled with its colour, whatever its fill mode.
  function lit(node, glow, color) {
    var out = Object.assign({}, node);
    out.fill = color;
    out.fill_opacity = Math.max(node.fill_opacity, glow);
    out.stroke_opacity = 1;
    out.glow = glow;
    return out;
  }

  function networkNodes(stage, lives, most, columnX, colors, paper, size, stroke, shape, fillMode, opts) {
    var levels = sparkLevels(opts);
    return lives.map(function (colLives, c) {
      var ys = nodePositions(colLives.length, most), col = [];
      colLives.forEach(function (v, j) {
        if (stage === "Growing" && v <= 0) return;
        var id = "n" + c + "-" + j, paint = nodePaint(fillMode, colors[c], paper, v);
        var node = { id: id, column: c, index: j, x: columnX[c], y: ys[j], size: size, shape: shape,
                     fill: paint[0], fill_opacity: paint[1], stroke: colors[c], stroke_opacity: paint[2],
                     stroke_width: stroke, life: v, dash: v > 0 && v < 1 ? dashPattern(shape, size, stroke) : null,
                     glow: 0, angle: 0 };
        var glow = glowOf(id, c, v, levels, opts.sweep);
        col.push(glow > 0 ? lit(node, glow, colors[c]) : node);
      });
      return col;
    });
  }

  function revealed(grid, counts, reveal) {
    var out = [];
    grid.forEach(function (col, c) {
      col.forEach(function (node) {
        var part = reveal ? clamp(reveal[c] * counts[c] - node.index, 0, 1) : 1;
        if (part >= 1) {
          out.push(node);
        } else if (part > 0) {
          var faded = Object.assign({}, node);
          faded.fill_opacity *= part;
          faded.stroke_opacity *= part;
          faded.glow *= part;
          out.push(faded);
        }
      });
    });
    return out;
  }

  function networkLines(grid, columnX, colors, width, lineReveal) {
    var lines = [];
    for (var g = 0; g + 1 < grid.length; g++) {
      var reach = lineReveal ? clamp(lineReveal[g], 0, 1) : 1;
      if (reach <= 0) continue;
      var g0 = [columnX[g], 0], g1 = [columnX[g + 1], 0];
      for (var i = 0; i < grid[g].length; i++) {
        var a = grid[g][i];
        for (var j = 0; j < grid[g + 1].length; j++) {
          var b = grid[g + 1][j], opacity = K.line_opacity * Math.min(a.life, b.life);
          if (opacity <= 0) continue;
          lines.push({ x0: a.x, y0: a.y, x1: a.x + reach * (b.x - a.x), y1: a.y + reach * (b.y - a.y),
                       color0: colors[g], color1: colors[g + 1], g0: g0, g1: g1, opacity: opacity,
                       width: width, gap: g });
        }
      }
    }
    return lines;
  }

  function piece(line, t0, t1, opacity, width) {
    var dx = line.x1 - line.x0, dy = line.y1 - line.y0, out = Object.assign({}, line);
    out.x0 = line.x0 + t0 * dx;
    out.y0 = line.y0 + t0 * dy;
    out.x1 = line.x0 + t1 * dx;
    out.y1 = line.y0 + t1 * dy;
    out.opacity = opacity;
    out.width = width;
    return out;
  }

  // artgen.scene.build._overlay: the sweep's bright strokes and the sparks' pulses.
  function overlay(lines, nodes, columnX, opts) {
    var out = [], front = opts.sweep;
    if (given(front) && front > 0 && front < columnX.length) {
      var g = Math.ceil(front) - 1;
      if (g + 1 < columnX.length) {
        var xFront = columnX[g] + (front - g) * (columnX[g + 1] - columnX[g]);
        lines.forEach(function (ln) {
          if (ln.gap === g && ln.x1 > ln.x0) {
            out.push(piece(ln, 0, Math.min(1, (xFront - ln.x0) / (ln.x1 - ln.x0)),
              Math.min(1, K.sweep_line * ln.opacity), ln.width));
          }
        });
      }
    }
    var phases = opts.spark_phases || [];
    if (phases.length) {
      // a pulse runs from the lit node along its line to node `target` of the next column
      var ends = {}, at = {};
      lines.forEach(function (ln) { ends[ln.gap + "|" + ln.y0 + "|" + ln.y1] = ln; });
      nodes.forEach(function (n) { if (n.life > 0) at[n.id] = n; });
      phases.forEach(function (sp) {
        var a = at[sp[0]], b = a && sp[2] >= 0 ? at["n" + (a.column + 1) + "-" + sp[2]] : null;
        var line = b ? ends[a.column + "|" + a.y + "|" + b.y] : null, span = pulseSpan(sp[1]);
        if (line && span[1] > span[0] && span[2] > 0) {
          out.push(piece(line, span[0], span[1], span[2], line.width * K.pulse_width));
        }
      });
    }
    return out;
  }

  // artgen.scene.build.light: frame `opts` from the still of the same reveal, lines reused.
  function light(still, opts) {
    var levels = sparkLevels(opts);
    var nodes = still.nodes.map(function (node) {
      var glow = glowOf(node.id, node.column, node.life, levels, opts.sweep);
      return glow > 0 ? lit(node, glow, still.column_colors[node.column]) : node;
    });
    var out = Object.assign({}, still);
    out.nodes = nodes;
    out.sweep = overlay(still.lines, nodes, still.column_x, opts);
    out.frame = { color: still.frame.color, width: still.frame.width, visible: opts.show_frame !== false };
    return out;
  }

  /* ---- artgen.render.cairo_backend, on a canvas ------------------------------------------ */

  function rgba(c, alpha) {
    return "rgba(" + c[0] * 255 + "," + c[1] * 255 + "," + c[2] * 255 + "," + alpha + ")";
  }

  function drawScene(ctx, scene, side, layers) {
    layers = layers || K.layers;
    ctx.save();
    ctx.scale(side / scene.side, side / scene.side);
    var cache = {};
    layers.forEach(function (layer) {
      if (layer === "paper") {
        ctx.fillStyle = rgba(scene.paper, 1);
        ctx.fillRect(0, 0, scene.side, scene.side);
      } else if (layer === "pattern") {
        drawPattern(ctx, scene.pattern);
      } else if (layer === "frame") {
        drawFrame(ctx, scene);
      } else if (layer === "lines") {
        drawLines(ctx, scene.lines, cache);
      } else if (layer === "sweep") {
        drawLines(ctx, scene.sweep, cache);
      } else if (layer === "nodes") {
        drawNodes(ctx, scene.nodes);
      } else if (layer === "particles") {
        drawLines(ctx, scene.particles.lines, cache);
        drawNodes(ctx, scene.particles.nodes);
      }
    });
    ctx.restore();
  }

  function drawPattern(ctx, p) {
    if (p.kind === "Plain" || p.opacity <= 0) return;
    ctx.save();
    ctx.beginPath();
    ctx.rect(p.clip[0], p.clip[1], p.clip[2] - p.clip[0], p.clip[3] - p.clip[1]);
    ctx.clip();
    ctx.beginPath();
    if (p.kind === "Dotted") {
      p.ys.forEach(function (y) {
        p.xs.forEach(function (x) {
          ctx.moveTo(x + p.mark, y);
          ctx.arc(x, y, p.mark, 0, 2 * Math.PI);
          ctx.closePath();
        });
      });
      ctx.fillStyle = rgba(p.color, p.opacity);
      ctx.fill();
    } else {
      p.xs.forEach(function (x) {
        ctx.moveTo(x, p.clip[1]);
        ctx.lineTo(x, p.clip[3]);
      });
      p.ys.forEach(function (y) {
        ctx.moveTo(p.clip[0], y);
        ctx.lineTo(p.clip[2], y);
      });
      ctx.lineWidth = p.mark;
      ctx.strokeStyle = rgba(p.color, p.opacity);
      ctx.stroke();
    }
    ctx.restore();
  }

  function drawFrame(ctx, scene) {
    var f = scene.frame, s = scene.side, w = f.width;
    if (!f.visible || w <= 0) return;
    ctx.beginPath();
    ctx.rect(0, 0, s, s);
    ctx.rect(w, w, s - 2 * w, s - 2 * w);
    ctx.fillStyle = rgba(f.color, 1);
    ctx.fill("evenodd");
  }

  function lineGradient(ctx, line, cache) {
    var id = [line.g0, line.g1, line.color0, line.color1, line.opacity].join(";");
    if (!cache[id]) {
      var g = ctx.createLinearGradient(line.g0[0], line.g0[1], line.g1[0], line.g1[1]);
      g.addColorStop(0, rgba(line.color0, line.opacity));
      g.addColorStop(1, rgba(line.color1, line.opacity));
      cache[id] = g;
    }
    return cache[id];
  }

  function drawLines(ctx, lines, cache) {
    ctx.lineCap = "butt";
    lines.forEach(function (line) {
      ctx.strokeStyle = lineGradient(ctx, line, cache);
      ctx.lineWidth = line.width;
      ctx.beginPath();
      ctx.moveTo(line.x0, line.y0);
      ctx.lineTo(line.x1, line.y1);
      ctx.stroke();
    });
  }

  // artgen.render.shapes.polygon: the middle of the last side, then the corners, rotated.
  function polygon(node) {
    var corners;
    if (node.shape === "square") {
      var h = 7 * node.size / 16;
      corners = [[h, h], [-h, h], [-h, -h], [h, -h]];
    } else {
      var d = 4 * node.size / 7;
      corners = [[d, 0], [0, d], [-d, 0], [0, -d]];
    }
    var points = [[(corners[3][0] + corners[0][0]) / 2, (corners[3][1] + corners[0][1]) / 2]].concat(corners);
    var c = Math.cos(node.angle || 0), s = Math.sin(node.angle || 0);
    return points.map(function (p) {
      return node.angle ? [node.x + (p[0] * c - p[1] * s), node.y + (p[0] * s + p[1] * c)] : [node.x + p[0], node.y + p[1]];
    });
  }

  function outline(ctx, node) {
    ctx.beginPath();
    if (node.shape === "circle") {
      var r = node.size / 2;
      ctx.moveTo(node.x + r, node.y);
      ctx.arc(node.x, node.y, r, 0, 2 * Math.PI);
    } else {
      var points = polygon(node);
      ctx.moveTo(points[0][0], points[0][1]);
      for (var i = 1; i < points.length; i++) ctx.lineTo(points[i][0], points[i][1]);
    }
    ctx.closePath();
  }

  function drawNodes(ctx, nodes) {
    ctx.lineJoin = "miter";
    ctx.lineCap = "butt";
    nodes.forEach(function (node) {
      if (node.glow > 0) {
        var r = K.glow_radius * node.size;
        var halo = ctx.createRadialGradient(node.x, node.y, 0, node.x, node.y, r);
        K.halo_stops.forEach(function (stop) { halo.addColorStop(stop[0], rgba(node.stroke, stop[1] * node.glow)); });
        ctx.fillStyle = halo;
        ctx.beginPath();
        ctx.arc(node.x, node.y, r, 0, 2 * Math.PI);
        ctx.fill();
      }
      outline(ctx, node);
      if (node.fill && node.fill_opacity > 0) {
        ctx.fillStyle = rgba(node.fill, node.fill_opacity);
        ctx.fill();
      }
      ctx.strokeStyle = rgba(node.stroke, node.stroke_opacity);
      ctx.lineWidth = node.stroke_width;
      if (node.dash) {
        ctx.setLineDash([node.dash[0], node.dash[1]]);
        ctx.lineDashOffset = node.dash[2];
      }
      ctx.stroke();
      if (node.dash) ctx.setLineDash([]);
    });
  }

  /* ---- artgen.animation: the timeline (reveal, sparks, sweep) ---------------------------- */

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
  function Timeline(traits, still, anim, reveal) {
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

  /* ---- the page -------------------------------------------------------------------------- */

  var doc = root.document;
  var STORE = "perceptron|";
  var ID = /^[0-9a-f]{64}i[0-9]+$/;

  function element(tag, style, parent) {
    var el = doc.createElement(tag);
    if (style) el.style.cssText = style;
    if (parent) parent.appendChild(el);
    return el;
  }

  function isoTime(t) {
    var d = new Date(t * 1000);
    return isNaN(d.getTime()) ? String(t) : d.toISOString().slice(0, 19) + "Z";
  }

  function parseTime(text) {
    var s = String(text).trim();
    if (s !== "" && !isNaN(+s)) return +s;
    // ISO 8601 without a zone is UTC (as artgen.chain.parse_time reads it); a date alone is UTC
    if (s.length > 10 && s.indexOf("Z") < 0 && s.indexOf("+") < 0 && s.slice(10).indexOf("-") < 0) s += "Z";
    var ms = Date.parse(s);
    if (isNaN(ms)) throw new Error("expected ISO 8601 UTC or Unix seconds, got " + JSON.stringify(text));
    return ms / 1000;
  }

  function traitsOf(cfg) {
    var t = cfg.t, values = {};
    DATA.trait_names.forEach(function (name, i) { values[name] = t[i + 2]; });
    return {
      seed: String(t[0]), token: t[1], values: values,
      palette: t[2], pattern: t[3], acceleration: t[4], dataset: t[5], framework: t[6],
      lifeCycle: t[7], birthYear: t[8], hiddenSizes: cfg.h,
      yearDays: cfg.y || DATA.life_cycle_days[t[7]] || 1
    };
  }

  function loadSettings(traits) {
    try {
      return JSON.parse(root.localStorage.getItem(STORE + traits.seed + "|" + traits.token)) || {};
    } catch (err) {
      return {};
    }
  }

  function saveSettings(traits, settings) {
    try {
      var name = STORE + traits.seed + "|" + traits.token;
      if (settings) root.localStorage.setItem(name, JSON.stringify(settings));
      else root.localStorage.removeItem(name);
      return true;
    } catch (err) {
      return false;
    }
  }

  function fetchText(url, timeout) {
    var abort = root.AbortController ? new AbortController() : null;
    var timer = abort ? setTimeout(function () { abort.abort(); }, timeout || 8000) : 0;
    return fetch(url, abort ? { signal: abort.signal } : {}).then(function (reply) {
      clearTimeout(timer);
      if (!reply.ok) throw new Error("HTTP " + reply.status);
      return reply.text();
    });
  }

  // The chain state: ord's recursion endpoints, else the embedded default (SPEC 4).
  function chainState(source, fallback) {
    var embedded = { time: fallback[0], height: fallback[1], fee_rate: fallback[2], source: "embedded" };
    source = (source || "ord").trim();
    if (source === "default") return Promise.resolve(embedded);
    var at = source.indexOf("@");
    if (source !== "ord" && source.indexOf("ord+") !== 0) {
      try {
        var time = parseTime(at < 0 ? source : source.slice(0, at));
        var fee = at < 0 ? embedded.fee_rate : +source.slice(at + 1);
        if (!(fee >= 0)) throw new Error("expected a fee rate in sat/vB after @");
        return Promise.resolve({ time: time, height: embedded.height, fee_rate: fee, source: source });
      } catch (err) {
        embedded.source = "embedded (" + err.message + ")";
        return Promise.resolve(embedded);
      }
    }
    var base = source === "ord" ? "" : source.slice(4).replace(/\/+$/, "");
    return fetchText(base + "/r/blockheight", 5000).then(function (text) {
      var height = JSON.parse(text);
      return fetchText(base + "/r/blockinfo/" + height, 5000).then(function (info) {
        var block = JSON.parse(info);
        if (typeof block.timestamp !== "number" || typeof block.average_fee_rate !== "number") {
          throw new Error("no timestamp or average_fee_rate");
        }
        return { time: block.timestamp, height: height, fee_rate: block.average_fee_rate, source: source };
      });
    }).catch(function (err) {
      embedded.source = "embedded (" + source + " unreachable: " + err.message + ")";
      return embedded;
    });
  }

  function Art(cfg) {
    this.cfg = cfg;
    this.traits = traitsOf(cfg);
    this.settings = loadSettings(this.traits);
    this.showFrame = true;
    this.frame = 0;
    this.paused = false;
    this.sweepStart = null;
    this.ui();
  }

  Art.prototype.ui = function () {
    var css = "margin:0;height:100%;overflow:hidden;background:#111;";
    doc.documentElement.style.cssText = css;
    doc.body.style.cssText = css + "display:flex;align-items:center;justify-content:center;" +
      "font:13px/1.45 ui-monospace,Menlo,Consolas,monospace;";
    this.canvas = element("canvas", "display:block;cursor:crosshair;", doc.body);
    this.panel = element("div", "position:fixed;left:12px;top:12px;max-width:min(480px,80vw);" +
      "max-height:90vh;overflow:auto;padding:10px 12px;border-radius:6px;display:none;" +
      "background:rgba(20,20,20,.88);color:#eee;white-space:pre-wrap;", doc.body);
    this.card = element("div", "position:fixed;left:50%;bottom:16px;transform:translateX(-50%);" +
      "display:none;align-items:center;gap:12px;padding:10px 14px;border-radius:6px;" +
      "max-width:90vw;background:rgba(20,20,20,.9);color:#eee;", doc.body);
    this.message = element("div", "position:fixed;left:12px;right:12px;top:12px;display:none;" +
      "padding:10px 12px;border-radius:6px;background:#7a1f1f;color:#fff;white-space:pre-wrap;", doc.body);
    this.message.setAttribute("role", "alert");
    this.input = element("input", "display:none;", doc.body);
    this.input.type = "file";
    this.input.accept = "image/*";
    var self = this;
    this.input.addEventListener("change", function () {
      if (self.input.files && self.input.files[0]) self.classifyFile(self.input.files[0]);
      self.input.value = "";
    });
    this.canvas.addEventListener("dblclick", function () { self.input.click(); });
    root.addEventListener("dragover", function (e) { e.preventDefault(); });
    root.addEventListener("drop", function (e) {
      e.preventDefault();
      var file = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
      if (file) self.classifyFile(file);
    });
    root.addEventListener("keydown", function (e) { self.key(e); });
    root.addEventListener("resize", function () { self.resize(); });
    this.resize();
  };

  Art.prototype.resize = function () {
    var ratio = root.devicePixelRatio || 1;
    var css = Math.max(1, Math.floor(Math.min(root.innerWidth, root.innerHeight)));
    this.canvas.style.width = this.canvas.style.height = css + "px";
    this.canvas.width = this.canvas.height = Math.round(css * ratio);
    this.staticId = null;
    if (this.life) {
      if (this.paused) this.still(this.frame);
      else this.draw();
    }
  };

  Art.prototype.showError = function (text) {
    this.message.textContent = text;
    this.message.style.display = text ? "block" : "none";
  };

  Art.prototype.start = function () {
    var self = this, cfg = this.cfg, settings = this.settings;
    var modelId = settings.m || cfg.m;
    var embedded = doc.getElementById("perceptron-model");
    var modelText = settings.m || !embedded
      ? fetchText("/content/" + modelId, 20000).catch(function (err) {
        throw new ModelError("/content/" + modelId, null, "cannot load the model (" + err.message + ")");
      })
      : Promise.resolve(embedded.textContent);
    var chainSource = settings.c || (cfg.x ? "default" : "ord");
    var chain = chainState(chainSource, cfg.c || DATA.chain);
    return Promise.all([
      modelText.then(function (text) {
        return parseModel(text, embedded && !settings.m ? "the embedded model" : "/content/" + modelId);
      }).catch(function (err) { return err; }),
      chain
    ]).then(function (results) {
      if (results[0] instanceof ModelError || results[0] instanceof Error) {
        self.model = null;
        self.showError("This Perceptron's model could not be read, so it cannot think; its " +
          "portrait shows the network of its traits.\n" + results[0].message);
      } else {
        self.model = results[0];
      }
      self.chain = results[1];
      self.setup();
      self.run();
      return self;
    });
  };

  Art.prototype.setup = function () {
    var t = this.traits;
    this.sizes = this.model && this.model.hiddenSizes.length ? this.model.hiddenSizes : t.hiddenSizes;
    this.life = traitsLifeState(t, this.sizes, this.chain.time);
    this.anim = animation(this.chain.fee_rate, t.acceleration);
    this.stillScene = buildScene(t, this.sizes, this.life, {});
    this.timeline = new Timeline(t, this.stillScene, this.anim, !this.cfg.still);
    var pal = palette(t.palette);
    doc.body.style.background = pal.paper;
    doc.title = "Perceptron #" + t.token;
    this.panel.style.color = pal.paper;
    this.panel.style.background = rgba(parseHex(pal.pattern), 0.92);
    this.info();
  };

  // Frame k's scene: built in full while revealing (or drifting), else the still relit.
  Art.prototype.sceneAt = function (k) {
    var opts = this.timeline.options(k, this.sweepStart);
    opts.show_frame = this.showFrame;
    if (opts.node_reveal || !this.stillScene.nodes.length) return buildScene(this.traits, this.sizes, this.life, opts);
    return light(this.stillScene, opts);
  };

  // Draws `scene`; paper, pattern, frame and (once revealed) lines come from a cached canvas.
  Art.prototype.paint = function (scene, revealing) {
    var ctx = this.canvas.getContext("2d"), side = this.canvas.width;
    var layers = revealing ? K.layers : K.dynamic_layers, id = side + "|" + this.showFrame;
    if (!revealing) {
      if (!this.staticLayer || this.staticId !== id) {
        var c = this.staticLayer = this.staticLayer || doc.createElement("canvas");
        c.width = c.height = side;
        drawScene(c.getContext("2d"), scene, side, K.static_layers);
        this.staticId = id;
      }
      ctx.drawImage(this.staticLayer, 0, 0);
    }
    drawScene(ctx, scene, side, layers);
    this.scene = scene;
    return scene;
  };

  Art.prototype.draw = function () {
    var k = this.frame, scene = this.sceneAt(k);
    if (this.sweepStart !== null && k - this.sweepStart >= this.timeline.sweepFrames) {
      this.sweepStart = null;
      this.showResult();
    }
    return this.paint(scene, k < this.timeline.revealFrames);
  };

  // The still: fully revealed, no sparks, no sweep; what `artgen render --frame index` draws.
  Art.prototype.still = function (index) {
    this.paused = true;
    var scene = buildScene(this.traits, this.sizes, this.life, { index: index || 0, show_frame: this.showFrame });
    return this.paint(scene, true);
  };

  // Frame k of the animation, drawn at once (the page stops its own clock).
  Art.prototype.frameAt = function (k) {
    this.paused = true;
    this.frame = k;
    return this.draw();
  };

  Art.prototype.run = function () {
    var self = this, started = null;
    var tick = function (now) {
      if (started === null) started = now;
      if (!self.paused) {
        var frame = Math.floor((now - started) * K.fps / 1000);
        if (frame !== self.frame || !self.scene) {
          self.frame = frame;
          self.draw();
        }
      }
      root.requestAnimationFrame(tick);
    };
    if (this.cfg.still) this.still(0);
    else root.requestAnimationFrame(tick);
  };

  Art.prototype.key = function (e) {
    if (e.target && (e.target.tagName === "INPUT" || e.target.tagName === "TEXTAREA")) return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var k = (e.key || "").toLowerCase();
    if (k === "i") {
      this.info();
      this.panel.style.display = this.panel.style.display === "none" ? "block" : "none";
    } else if (k === "b") {
      this.showFrame = !this.showFrame;
      if (this.paused) this.still(this.frame);
    } else if (k === "s") {
      this.save();
    } else if (k === "u") {
      this.upgradeForm();
    } else if (k === "escape") {
      this.card.style.display = "none";
      this.panel.style.display = "none";
    } else {
      return;
    }
    e.preventDefault();
  };

  function years(x) {
    return (Math.round(x * 100) / 100).toFixed(2);
  }

  Art.prototype.info = function () {
    var t = this.traits, life = this.life, m = this.model, c = this.chain;
    if (!life) return;
    var classes = m ? m.classes : [];
    var classText = classes.slice(0, 12).join(", ") + (classes.length > 12 ? ", ... (" + classes.length + ")" : "");
    var days = t.yearDays;
    var lines = [
      "Perceptron #" + t.token + "  (seed " + t.seed + ")",
      "Model: " + (m ? m.name : "unreadable"),
      "Scale: 1:" + drawingScale(this.sizes) + "  (" + this.sizes.join("-") + ")",
      "Classes: " + (m ? classText : "-"),
      "Birth year: " + t.birthYear + ". " + (DATA.history[t.birthYear] || ""),
      "Rebirths: " + life.rebirths,
      "Age: " + years(life.age) + " Perceptron years",
      "One Perceptron year: " + (days === 1 ? "1 day" : days + " days") + "  (" + t.lifeCycle + ")",
      "State: " + life.stage + " (" + Math.round(life.stage_ratio * 100) + "% through)",
      "Active neurons: " + pyRound(life.active_neurons) + " / " + life.total_neurons,
      "Next state: " + K.stages[(K.stages.indexOf(life.stage) + 1) % K.stages.length] + " at " +
        isoTime(life.next_stage_time),
      "Chain: block " + c.height + " at " + isoTime(c.time) + ", " + c.fee_rate + " sat/vB  [" + c.source + "]",
      "",
      "I info  B frame  S save PNG  U upgrade  double-click or drop an image to classify"
    ];
    this.panel.textContent = lines.join("\n");
  };

  Art.prototype.save = function () {
    var a = element("a", "display:none;", doc.body);
    a.download = "perceptron-" + this.traits.token + ".png";
    a.href = this.canvas.toDataURL("image/png");
    a.click();
    doc.body.removeChild(a);
  };

  Art.prototype.upgradeForm = function () {
    if (this.form) {
      doc.body.removeChild(this.form);
      this.form = null;
      return;
    }
    var self = this, s = this.settings;
    var form = this.form = element("form", "position:fixed;left:50%;top:50%;transform:translate(-50%,-50%);" +
      "padding:14px;border-radius:6px;background:rgba(20,20,20,.94);color:#eee;display:grid;gap:8px;" +
      "width:min(560px,90vw);", doc.body);
    var field = function (label, value, hint) {
      var l = element("label", "display:grid;gap:3px;", form);
      element("span", "", l).textContent = label;
      var input = element("input", "font:inherit;padding:4px;", l);
      input.value = value || "";
      input.placeholder = hint;
      return input;
    };
    var model = field("Model inscription id", s.m || "", this.cfg.m || "64 hex digits, i, index");
    var chain = field("Chain source", s.c || "", "ord (this server), default, ord+https://host, or a time[@fee]");
    var row = element("div", "display:flex;gap:8px;", form);
    var apply = element("button", "", row);
    apply.type = "submit";
    apply.textContent = "Apply and reload";
    var reset = element("button", "", row);
    reset.type = "button";
    reset.textContent = "Reset";
    var note = element("div", "color:#f99;", form);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var id = model.value.trim().replace("/content/", "");
      if (id && !ID.test(id)) {
        note.textContent = "expected an inscription id: 64 hex digits, 'i', an index";
        return;
      }
      var next = {};
      if (id) next.m = id;
      if (chain.value.trim()) next.c = chain.value.trim();
      if (!saveSettings(self.traits, next)) note.textContent = "this page cannot keep settings (no localStorage)";
      else root.location.reload();
    });
    reset.addEventListener("click", function () {
      saveSettings(self.traits, null);
      root.location.reload();
    });
    model.focus();
  };

  Art.prototype.classifyFile = function (file) {
    var self = this;
    if (!this.model) {
      this.showError("This Perceptron has no readable model, so it cannot classify images.");
      return;
    }
    var url = URL.createObjectURL(file);
    var img = new Image();
    img.onload = function () {
      var w = img.naturalWidth, h = img.naturalHeight, shape = self.model.inputShape;
      var c = doc.createElement("canvas");
      c.width = w;
      c.height = h;
      var ctx = c.getContext("2d");
      ctx.fillStyle = "#fff";
      ctx.fillRect(0, 0, w, h);
      ctx.drawImage(img, 0, 0);
      var pixels = resizeBilinear(ctx.getImageData(0, 0, w, h).data, w, h, shape[1], shape[0]);
      self.classifyPixels(pixels, url);
    };
    img.onerror = function () {
      self.showError("That file is not an image this browser can read: " + file.name);
    };
    img.src = url;
  };

  Art.prototype.classifyPixels = function (pixels, imageUrl) {
    var result = classify(this.model, pixels, this.life.neuron_life);
    this.pixels = pixels;
    this.result = result;
    this.imageUrl = imageUrl || "";
    this.card.style.display = "none";
    this.showError("");
    if (this.paused) this.showResult();
    else this.sweepStart = Math.max(this.frame + 1, this.timeline.revealFrames);
    return result;
  };

  Art.prototype.showResult = function () {
    var r = this.result, card = this.card;
    card.textContent = "";
    if (this.imageUrl) {
      var img = element("img", "width:72px;height:72px;object-fit:cover;border-radius:4px;", card);
      img.src = this.imageUrl;
    }
    var text = element("div", "", card);
    element("div", "", text).textContent = r.phrase + " this image belongs to";
    element("div", "font-size:1.4em;font-weight:bold;", text).textContent = r.top;
    element("div", "opacity:.8;", text).textContent = (r.confidence * 100).toFixed(1) + "% confident (" +
      this.life.stage + ", " + pyRound(this.life.active_neurons) + " / " + this.life.total_neurons + " neurons)";
    // the next classes, with bars, as artgen.animation.card lists them
    var order = r.probabilities.map(function (p, i) { return i; });
    order.sort(function (a, b) { return r.probabilities[b] - r.probabilities[a] || a - b; });
    order.slice(1, 1 + K.other_classes).forEach(function (i) {
      var row = element("div", "display:flex;align-items:center;gap:6px;font-size:.85em;opacity:.8;", text);
      var bar = element("span", "display:inline-block;height:6px;background:currentColor;", row);
      bar.style.width = Math.max(1, Math.round(60 * r.probabilities[i])) + "px";
      element("span", "", row).textContent = this.model.classes[i] + " " + (r.probabilities[i] * 100).toFixed(1) + "%";
    }, this);
    card.style.display = "flex";
    card.onclick = function () { card.style.display = "none"; };
  };

  function boot() {
    var block = doc && doc.getElementById("perceptron");
    if (!block) return;
    var cfg;
    try {
      cfg = JSON.parse(block.textContent);
    } catch (err) {
      doc.body.textContent = "This Perceptron's HTML holds no readable traits: " + err.message;
      return;
    }
    var art = new Art(cfg);
    api.app = art;
    api.ready = art.start().then(function () { return true; }, function (err) {
      art.showError("This Perceptron could not start: " + err.message);
      throw err;
    });
  }

  var api = {
    version: DATA.version, data: DATA,
    PortableRandom: PortableRandom, key: key, fnv1a32: fnv1a32,
    parseModel: parseModel, logits: logits, softmax: softmax, forward: forward, classify: classify,
    confidencePhrase: confidencePhrase, resizeBilinear: resizeBilinear,
    birthTime: birthTime, layerAliveCounts: layerAliveCounts, neuronLife: neuronLife, lifeState: lifeState, traitsLifeState: traitsLifeState,
    animation: animation, traitsOf: traitsOf, buildScene: buildScene, light: light,
    drawScene: drawScene, Timeline: Timeline, round9: round9,
    app: null, ready: null
  };
  root.Perceptron = api;
  if (doc) {
    if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", boot);
    else boot();
  }
})(this);
