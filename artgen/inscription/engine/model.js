/* artgen.model: reads and checks a data inscription (the model JSON), as Python does.
 *
 * `parseModel` gives the architecture, the weights (float32, one row of inputs per unit; from
 * the original float32 format or a compact weight_encoding), the class names and the buffers
 * the forward pass reuses; with the WebAssembly kernel where the browser allows it
 * (kernel.js). Every refusal is a ModelError naming the field.
 */

import { decodeBase64 } from "./base64.js";
import { K } from "./data.js";
import { kernelLayers } from "./kernel.js";

export function ModelError(source, field, message) {
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

function weightBytes(text, src) {
  try {
    return decodeBase64(text);
  } catch (err) {
    throw new ModelError(src, "weight_b64", "expected base64 text, found characters outside the alphabet");
  }
}

// artgen.model._decode_weights: little-endian float32, kernel (rows = inputs) then bias
// for each Dense layer; the output bias may be missing. Kernels are kept transposed (one
// row of inputs per unit), so the forward pass reads them in order; float32 storage holds
// every value exactly and halves the memory the pass streams through.
function decodeWeights(value, src, arch) {
  if (typeof value !== "string") throw new ModelError(src, "weight_b64", "expected a base64 string");
  var bytes = weightBytes(value, src);
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

// artgen.model_encoding: a compact model's weights (weight_encoding "float16"; or "int8": the
// first layer's kernel as 8-bit rows with one float32 scale per row, first, and every other
// value float32), every bias stored. Decoded exactly as Python does: a half float widens to
// float32 without rounding; q x scale (8-bit integer times float32) is exact in a double,
// then rounded once to float32.
function halfFloat(h) {
  var sign = h & 0x8000 ? -1 : 1, exponent = (h >> 10) & 0x1f, fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * Math.pow(2, -24);
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * (1024 + fraction) * Math.pow(2, exponent - 25);
}

function encodedSize(encoding, arch) {
  var n = arch.shape[0] * arch.shape[1] * 3, total = 0;
  arch.dense.forEach(function (d, l) {
    var u = d.units, bias = d.useBias ? u : 0;
    if (encoding === "float16") total += 2 * (n * u + bias);
    else total += (l ? 4 * n * u : 4 * n + n * u) + 4 * bias;
    n = u;
  });
  return total;
}

function decodeCompact(value, src, arch, encoding) {
  if (typeof value !== "string") throw new ModelError(src, "weight_b64", "expected a base64 string");
  var bytes = weightBytes(value, src), expected = encodedSize(encoding, arch);
  var n = arch.shape[0] * arch.shape[1] * 3;
  if (bytes.length !== expected) {
    var shapes = arch.dense.map(function (d, i) {
      var inputs = i ? arch.dense[i - 1].units : n;
      return inputs + "x" + d.units;
    });
    throw new ModelError(src, "weight_b64", "expected " + expected + " bytes of " + encoding +
      " weights for layers " + shapes.join(", ") + ", found " + bytes.length);
  }
  var view = new DataView(bytes.buffer), at = 0, half = encoding === "float16";
  var checked = function (v, layer) {
    if (!isFinite(v)) throw new ModelError(src, "weight_b64", "expected finite numbers in layer " + layer);
    return v;
  };
  return arch.dense.map(function (d, l) {
    var u = d.units, weights = new Float32Array(n * u), bias = new Float64Array(u), i, j;
    if (half) {
      for (i = 0; i < n; i++) {
        for (j = 0; j < u; j++) weights[j * n + i] = checked(halfFloat(view.getUint16(at + 2 * (i * u + j), true)), l);
      }
      at += 2 * n * u;
    } else if (l === 0) {
      for (i = 0; i < n; i++) {
        var scale = checked(view.getFloat32(at + 4 * i, true), l);
        for (j = 0; j < u; j++) weights[j * n + i] = Math.fround(view.getInt8(at + 4 * n + i * u + j) * scale);
      }
      at += 4 * n + n * u;
    } else {
      for (i = 0; i < n; i++) {
        for (j = 0; j < u; j++) weights[j * n + i] = checked(view.getFloat32(at + 4 * (i * u + j), true), l);
      }
      at += 4 * n * u;
    }
    if (d.useBias) {
      for (j = 0; j < u; j++) {
        bias[j] = checked(half ? halfFloat(view.getUint16(at + 2 * j, true)) : view.getFloat32(at + 4 * j, true), l);
      }
      at += (half ? 2 : 4) * u;
    }
    var layer = { units: u, inputs: n, activation: d.activation, weights: weights, bias: bias };
    n = u;
    return layer;
  });
}

function weightEncoding(doc, src) {
  var encoding = "weight_encoding" in doc ? doc.weight_encoding : "float32";
  if (K.weight_encodings.indexOf(encoding) < 0) {
    throw new ModelError(src, "weight_encoding", "expected one of " + K.weight_encodings.join(", ") +
      ", found " + shown(encoding));
  }
  return encoding;
}

// artgen.model.loads_model: parse and validate a data inscription's JSON text. With
// options.wasm === false the forward pass stays in JavaScript (model.kernel says which).
export function parseModel(text, src, options) {
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
  var encoding = weightEncoding(doc, src);
  var dense = encoding === "float32" ? decodeWeights(doc.weight_b64, src, arch) :
    decodeCompact(doc.weight_b64, src, arch, encoding);
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
