"""The model format (data inscription, SPEC section 5): load, validate, build and save.

The network itself and its forward pass live in `artgen.network`; they are re-exported here
so that `artgen.model` is the one import for working with data inscriptions.

The loader also reads a full Keras `model.to_json()` config (Keras 2 or 3): extra keys are
ignored, Dropout-like layers are the identity, and without a Rescaling layer pixels are used raw.
Every bad input raises a one-line `ModelFormatError`; sizes are checked before any decoding.
"""

from __future__ import annotations

import base64
import json
import math
import operator
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import atomic, jsontext, limits
from .errors import ModelFormatError
from .inputs import read_bytes
from .model_encoding import (
    FIELD,
    ORIGINAL,
    EncodingError,
    base64_bytes,
    base64_text,
    decode_compact,
    encode_weights,
    read_encoding,
)
from .network import ACTIVATIONS, DenseLayer, Model, forward, logits, softmax
from .traits import KERAS_ACTIVATIONS

__all__ = [
    "DenseLayer", "Model", "build_model", "dumps_model", "forward", "load_model", "loads_model",
    "logits", "save_model", "softmax",
]  # fmt: skip

#: The Rescaling layer of every model the trainer writes, and the rescale it trains on:
#: x = pixel * RESCALE_SCALE + RESCALE_OFFSET maps pixels 0..255 to -1..1.
RESCALE_SCALE = 1 / 127.5
RESCALE_OFFSET = -1
KEYS = ("model_name", "layers_config", "weight_b64", "training_traits", "classes_name")
IDENTITY_LAYERS = ("Dropout", "GaussianNoise", "GaussianDropout", "AlphaDropout")
LAYER_CLASSES = ("InputLayer", "Rescaling", "Flatten", "Dense", *IDENTITY_LAYERS)
TRAIT_TYPES = {"structure_gen": str, "n_layers": int, "max_nodes": int, "activation_func": str,
               "epoch_num": int}  # fmt: skip
MAX_SIDE, MAX_UNITS, MAX_DENSE, MAX_LAYERS = 1024, 4096, 64, 1024
MAX_WEIGHTS, MAX_CLASSES = int(limits.PARAMETERS.high), 10_000


@dataclass(frozen=True)
class _Dense:
    units: int
    activation: str
    use_bias: bool
    field: str


@dataclass(frozen=True)
class _Arch:
    input_shape: tuple[int, int, int]
    scale: float
    offset: float
    dense: tuple[_Dense, ...]

    def shapes(self) -> list[tuple[int, int]]:
        inputs = [math.prod(self.input_shape)] + [d.units for d in self.dense[:-1]]
        return [(n, d.units) for n, d in zip(inputs, self.dense, strict=True)]

    def weight_count(self) -> int:
        pairs = zip(self.shapes(), self.dense, strict=True)
        return sum(n * u + (u if d.use_bias else 0) for (n, u), d in pairs)


def _fail(source: str, field: str | None, message: str) -> ModelFormatError:
    return ModelFormatError(message, source=source, field=field)


def _bad(source: str, field: str | None, expected: str, value: object) -> ModelFormatError:
    return _fail(source, field, f"expected {expected}, found {_found(value)}")


def _found(value: object) -> str:
    """A short one-line description of a JSON value for error messages."""
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, int | float):
        return (
            "a huge integer" if isinstance(value, int) and value.bit_length() > 200 else repr(value)
        )
    if isinstance(value, str):
        text = repr(value)
        return text if len(text) <= 40 else text[:37] + "...'"
    if isinstance(value, list):
        if len(value) <= 8 and all(v is None or isinstance(v, bool | int | float) for v in value):
            return "[" + ", ".join(_found(v) for v in value) + "]"
        return f"a list of {len(value)} items"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _int(value: object, src: str, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _bad(src, field, f"an integer in {low:,}..{high:,}", value)
    return value


def _number(value: object, src: str, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _bad(src, field, "a number", value)
    result = float(value) if not isinstance(value, int) or value.bit_length() < 1000 else math.inf
    if not math.isfinite(result):
        raise _bad(src, field, "a finite number", value)
    return result


def _text(value: object, src: str, field: str) -> str:
    if not isinstance(value, str):
        raise _bad(src, field, "a string", value)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _fail(src, field, "expected valid Unicode text, found a lone surrogate") from None
    return value


def _input_shape(value: object, src: str, field: str) -> tuple[int, int, int]:
    ok = isinstance(value, list) and len(value) == 4 and value[0] is None and value[3] == 3
    sides = value[1:3] if ok else []
    if not ok or not all(type(s) is int and 1 <= s <= MAX_SIDE for s in sides):
        expected = f"[null, H, W, 3] with H and W in 1..{MAX_SIDE}"
        raise _bad(src, field, expected, value)
    return (sides[0], sides[1], 3)


def _activation(value: object, src: str, field: str, is_output: bool) -> str:
    if isinstance(value, dict) and isinstance(value.get("config"), str):
        value = value["config"]  # Keras 3 serialized function {"class_name": "function", ...}
    allowed = ACTIVATIONS + (("softmax",) if is_output else ())
    if value not in allowed:
        raise _bad(src, field, f"one of {', '.join(allowed)}", value)
    return value


def _layer_list(layers_config: object, src: str) -> tuple[list, str, object]:
    """The layers list, its field path and the Sequential build_input_shape (or None)."""
    if not isinstance(layers_config, dict):
        raise _bad(src, "layers_config", "an object", layers_config)
    kind = layers_config.get("class_name", "Sequential")
    if kind != "Sequential":
        raise _bad(src, "layers_config.class_name", "'Sequential'", kind)
    config = layers_config.get("config")
    if isinstance(config, list):  # Keras < 2.2 wrote the layers list as the config
        return config, "layers_config.config", None
    if config is None and "layers" in layers_config:
        config, path = layers_config, "layers_config"
    else:
        path = "layers_config.config"
    if not isinstance(config, dict) or not isinstance(config.get("layers"), list):
        raise _bad(src, path, "an object with a 'layers' list", config)
    return config["layers"], path + ".layers", config.get("build_input_shape")


def _parse_layers(layers_config: object, src: str) -> _Arch:
    """Validate a Keras-style layers config into an architecture, without touching weights."""
    layers, path, build_shape = _layer_list(layers_config, src)
    if len(layers) > MAX_LAYERS:
        raise _fail(src, path, f"expected at most {MAX_LAYERS:,} layers, found {len(layers):,}")
    shape, scale, offset, flat, dense = None, 1.0, 0.0, False, []
    for i, layer in enumerate(layers):
        at = f"{path}[{i}]"
        kind = layer.get("class_name") if isinstance(layer, dict) else None
        if kind not in LAYER_CLASSES:
            found = kind if isinstance(layer, dict) else layer
            raise _bad(src, f"{at}.class_name", f"one of {', '.join(LAYER_CLASSES)}", found)
        cfg = layer.get("config")
        cfg = {} if cfg is None else cfg
        if not isinstance(cfg, dict):
            raise _bad(src, f"{at}.config", "an object", cfg)
        if kind == "InputLayer" and i:
            raise _fail(src, at, "expected InputLayer only as the first layer")
        key = "batch_input_shape" if "batch_input_shape" in cfg else "batch_shape"
        if (key in cfg or kind == "InputLayer") and not dense:
            this = _input_shape(cfg.get(key), src, f"{at}.config.{key}")
            if shape not in (None, this):
                raise _bad(
                    src, f"{at}.config.{key}", f"[null, {shape[0]}, {shape[1]}, 3]", cfg[key]
                )
            shape = this
        if kind == "Rescaling":
            if dense:
                raise _fail(src, at, "expected Rescaling before the first Dense layer")
            if "scale" not in cfg:
                raise _fail(src, f"{at}.config.scale", "missing")
            s = _number(cfg["scale"], src, f"{at}.config.scale")
            o = _number(cfg.get("offset", 0.0), src, f"{at}.config.offset")
            scale, offset = scale * s, offset * s + o
            if not (math.isfinite(scale) and math.isfinite(offset)):
                raise _fail(src, at, "expected Rescaling layers with a finite combined scale")
        elif kind == "Flatten":
            if cfg.get("data_format") not in (None, "channels_last"):
                raise _bad(src, f"{at}.config.data_format", "'channels_last'", cfg["data_format"])
            flat = True
        elif kind == "Dense":
            if not flat:
                raise _fail(src, at, "expected a Flatten layer before the first Dense layer")
            if len(dense) == MAX_DENSE:
                raise _fail(src, path, f"expected at most {MAX_DENSE} Dense layers")
            units = _int(cfg.get("units"), src, f"{at}.config.units", 1, MAX_UNITS)
            act = cfg.get("activation", "linear")
            act = _activation(act, src, f"{at}.config.activation", is_output=True)
            use_bias = cfg.get("use_bias", True)
            if not isinstance(use_bias, bool):
                raise _bad(src, f"{at}.config.use_bias", "true or false", use_bias)
            dense.append(_Dense(units, act, use_bias, f"{at}.config.activation"))
    if shape is None:
        if build_shape is None:
            raise _fail(src, path, "expected an InputLayer with batch_input_shape [null, H, W, 3]")
        shape = _input_shape(build_shape, src, path.removesuffix(".layers") + ".build_input_shape")
    if not dense:
        raise _fail(src, path, "expected at least one Dense layer")
    for layer in dense[:-1]:
        if layer.activation == "softmax":
            raise _fail(src, layer.field, "expected softmax only on the output layer")
    arch = _Arch(shape, scale, offset, tuple(dense))
    if (count := arch.weight_count()) > MAX_WEIGHTS:
        raise _fail(src, path, f"expected at most {MAX_WEIGHTS:,} weights, found {count:,}")
    return arch


def _classes(value: object, src: str, arch: _Arch) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or len(value) > MAX_CLASSES:
        raise _bad(src, "classes_name", f"a list of 1..{MAX_CLASSES:,} names", value)
    names = tuple(_text(name, src, f"classes_name[{i}]") for i, name in enumerate(value))
    if len(names) != arch.dense[-1].units:
        expected = f"expected one name per output unit ({arch.dense[-1].units})"
        raise _fail(src, "classes_name", f"{expected}, found {len(names)}")
    return names


def _training_traits(value: object, src: str) -> dict:
    if not isinstance(value, dict):
        raise _bad(src, "training_traits", "an object", value)
    for key, kind in TRAIT_TYPES.items():
        item = value.get(key)
        if item is not None and (isinstance(item, bool) or not isinstance(item, kind)):
            expected = "a string" if kind is str else "an integer"
            raise _bad(src, f"training_traits.{key}", expected, item)
    return value


def _count_message(arch: _Arch, found: str) -> str:
    shapes = zip(arch.shapes(), arch.dense, strict=True)
    parts = [f"{n}x{u}+{u}" if d.use_bias else f"{n}x{u}" for (n, u), d in shapes]
    full, out = arch.weight_count(), arch.dense[-1]
    alt = f" (or {full - out.units:,} without the output bias)" if out.use_bias else ""
    return (
        f"expected {full:,} float32 values ({4 * full:,} bytes) for layers "
        f"{', '.join(parts)}{alt}, found {found}"
    )


def _decode_weights(
    value: object, src: str, arch: _Arch, encoding: str = ORIGINAL
) -> list[tuple[np.ndarray, np.ndarray]]:
    if encoding != ORIGINAL:
        shapes = [(n, u, d.use_bias) for (n, u), d in zip(arch.shapes(), arch.dense, strict=True)]
        return decode_compact(value, src, shapes, encoding)
    field = "weight_b64"
    text, size = base64_text(value, src)
    full, out = arch.weight_count(), arch.dense[-1]
    counts = (full, full - out.units) if out.use_bias else (full,)
    if size % 4 or size // 4 not in counts:
        found = f"{size // 4:,}" if size % 4 == 0 else f"{size:,} bytes (not whole float32 values)"
        raise _fail(src, field, _count_message(arch, found))
    raw = base64_bytes(text, src)
    values = np.frombuffer(raw, dtype="<f4").astype(np.float32, copy=False)
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        raise _fail(src, field, f"expected finite numbers, found {values[bad[0]]} at {bad[0]:,}")
    weights, at = [], 0
    for (n, u), d in zip(arch.shapes(), arch.dense, strict=True):
        kernel = values[at : at + n * u].reshape(n, u)
        at += n * u
        has_bias = d.use_bias and at < values.size
        bias = values[at : at + u] if has_bias else np.zeros(u, np.float32)
        at += u if has_bias else 0
        weights.append((kernel, bias))
    return weights


def _assemble(name, arch, weights, classes, training_traits, layers_config) -> Model:
    dense = []
    for d, (kernel, bias) in zip(arch.dense, weights, strict=True):
        kernel, bias = np.array(kernel, np.float32), np.array(bias, np.float32)
        kernel.flags.writeable = bias.flags.writeable = False
        dense.append(DenseLayer(d.units, d.activation, kernel, bias))
    return Model(name, arch.input_shape, arch.scale, arch.offset, tuple(dense), classes,
                 training_traits, layers_config)  # fmt: skip


def _parse_json(text: object, src: str) -> dict:
    """The data inscription's JSON object with every key, read strictly (`artgen.jsontext`)."""
    try:
        doc = jsontext.loads(text)
    except jsontext.JSONTextError as err:
        raise _fail(src, None, str(err)) from None
    if not isinstance(doc, dict):
        raise _bad(src, None, "a JSON object", doc)
    for key in KEYS:
        if key not in doc:
            raise _fail(src, key, "missing")
    return doc  # its depth too: jsontext.loads refuses more than limits.JSON_DEPTH levels


def loads_model(text: str | bytes, source: str = "<model>") -> Model:
    """Parse and validate a data inscription's JSON text."""
    src = str(source)
    doc = _parse_json(text, src)
    name = _text(doc["model_name"], src, "model_name")
    arch = _parse_layers(doc["layers_config"], src)
    classes = _classes(doc["classes_name"], src, arch)
    traits = _training_traits(doc["training_traits"], src)
    weights = _decode_weights(doc["weight_b64"], src, arch, read_encoding(doc, src))
    return _assemble(name, arch, weights, classes, traits, doc["layers_config"])


def load_model(path: str | os.PathLike) -> Model:
    """Read a data inscription file (a regular file within `limits.MODEL_BYTES`); errors name
    the path."""
    data = read_bytes(path, limits.MODEL_BYTES, ModelFormatError)
    return loads_model(data, source=str(path))


def _json_native(value: object) -> object:
    if isinstance(value, np.generic | np.ndarray):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON data")


def build_model(
    name: str,
    input_hw: tuple[int, int],
    hidden_sizes: Sequence[int],
    activation: str,
    classes: Sequence[str],
    weights: Sequence[tuple[np.ndarray, np.ndarray]],
    training_traits: dict,
) -> Model:
    """A model in the SPEC section 5 layout from trained weights (one (kernel, bias) per Dense)."""
    src = f"model {name!r}"
    act = KERAS_ACTIVATIONS.get(activation, activation)
    act = _activation(act, src, "activation", is_output=False)
    h, w = (operator.index(side) for side in input_hw)
    layers = [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [None, h, w, 3]}},
        {"class_name": "Rescaling", "config": {"scale": RESCALE_SCALE, "offset": RESCALE_OFFSET}},
        {"class_name": "Flatten"},
        *({"class_name": "Dense", "config": {"units": operator.index(u), "activation": act}}
          for u in hidden_sizes),
        {"class_name": "Dense", "config": {"units": len(classes), "activation": "linear"}},
    ]  # fmt: skip
    layers_config = {"config": {"layers": layers}}
    arch = _parse_layers(layers_config, src)
    names = _classes(list(classes), src, arch)
    try:
        traits = json.loads(json.dumps(training_traits, allow_nan=False, default=_json_native))
    except (TypeError, ValueError, RecursionError) as err:
        raise _fail(src, "training_traits", f"expected JSON data: {err}") from None
    traits = _training_traits(traits, src)
    if len(weights) != len(arch.dense):
        raise _bad(src, "weights", f"{len(arch.dense)} (kernel, bias) pairs", len(weights))
    for i, ((n, u), (kernel, bias)) in enumerate(zip(arch.shapes(), weights, strict=True)):
        kernel, bias = np.asarray(kernel), np.asarray(bias)
        if kernel.shape != (n, u) or bias.shape != (u,):
            found = f"{kernel.shape} and {bias.shape}"
            raise _fail(src, f"weights[{i}]", f"expected shapes {(n, u)} and {(u,)}, found {found}")
        if not (np.isfinite(kernel).all() and np.isfinite(bias).all()):
            raise _fail(src, f"weights[{i}]", "expected finite numbers, found NaN or infinity")
    return _assemble(name, arch, weights, names, traits, layers_config)


def dumps_model(model: Model, encoding: str = ORIGINAL) -> str:
    """The data inscription JSON text (Python's default separators, ASCII, SPEC key order);
    a compact `encoding` (`artgen.model_encoding`) adds its `weight_encoding` field last."""
    src = f"model {model.name!r}"
    arch = _parse_layers(model.layers_config, src)
    layers = [
        (layer.kernel, layer.bias if d.use_bias else None)
        for d, layer in zip(arch.dense, model.dense, strict=True)
    ]
    try:
        raw = encode_weights(encoding, layers)
    except EncodingError as err:
        raise _fail(src, "weight_b64", str(err)) from None
    doc = dict(zip(KEYS, (model.name, model.layers_config, base64.b64encode(raw).decode("ascii"),
                          model.training_traits, list(model.classes)), strict=True))  # fmt: skip
    if encoding != ORIGINAL:
        doc[FIELD] = encoding
    return json.dumps(doc, allow_nan=False)


def save_model(model: Model, path: str | os.PathLike) -> Path:
    """Write the data inscription atomically; returns the path."""
    return atomic.write_text(path, dumps_model(model))
