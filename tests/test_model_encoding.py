"""The compact weight encodings: float16 and int8 with per-neuron scales, beside the original
float32 format that stays byte-compatible with the original's loader."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pytest

from artgen.errors import ModelFormatError
from artgen.model import dumps_model, forward, load_model, loads_model
from artgen.model_encoding import decode_weights, encode_weights, encoded_size, quantized

FIXTURE = Path(__file__).parent / "fixtures/artblocks_classifier_model.json"


@pytest.fixture(scope="module")
def model():
    return load_model(FIXTURE)


def images(model, count=64):
    return np.random.default_rng(3).integers(0, 256, (count, *model.input_shape), dtype=np.uint8)


def test_float32_stays_the_original_format(model):
    text = dumps_model(model)
    doc = json.loads(text)
    assert list(doc) == ["model_name", "layers_config", "weight_b64", "training_traits",
                         "classes_name"]  # fmt: skip
    # the original's loader: base64 of little-endian float32, kernel then bias per layer
    values = np.frombuffer(base64.b64decode(doc["weight_b64"]), "<f4")
    expected = np.concatenate([p for d in model.dense for p in (d.kernel.ravel(), d.bias)])
    assert np.array_equal(values, expected)
    assert text == dumps_model(model, "float32")


@pytest.mark.parametrize(("encoding", "share"), [("float16", 0.501), ("int8", 0.33)])
def test_compact_models_are_smaller_and_load_to_their_own_weights(model, encoding, share):
    text = dumps_model(model, encoding)
    doc = json.loads(text)
    assert doc["weight_encoding"] == encoding and list(doc)[:5] == list(
        json.loads(dumps_model(model))
    )
    assert len(doc["weight_b64"]) <= share * len(json.loads(dumps_model(model))["weight_b64"])
    again = loads_model(text)
    expected = quantized(encoding, [(d.kernel, d.bias) for d in model.dense])
    for layer, (kernel, bias) in zip(again.dense, expected, strict=True):
        assert np.array_equal(layer.kernel, kernel) and np.array_equal(layer.bias, bias)
    x = images(model)
    same = forward(again, x).argmax(1) == forward(model, x).argmax(1)
    assert same.mean() >= 0.95
    assert dumps_model(again, encoding) == text or encoding == "int8"


def test_int8_rounds_the_first_layer_by_rows_and_keeps_the_rest():
    kernel = np.array([[1.0, -0.5], [-2.0, 0.25], [0.5, 0.0]], np.float32)
    bias = np.array([0.1, -0.2], np.float32)
    out = np.array([[0.3], [-0.7]], np.float32)
    shapes = [(3, 2, True), (2, 1, True)]
    raw = encode_weights("int8", [(kernel, bias), (out, np.zeros(1, np.float32))])
    assert len(raw) == encoded_size("int8", shapes) == (4 * 3 + 3 * 2 + 4 * 2) + (4 * 2 + 4)
    scale = np.frombuffer(raw[:12], "<f4")
    assert np.allclose(scale, [1.0 / 127, 2.0 / 127, 0.5 / 127])  # one per input row
    assert np.frombuffer(raw[12:18], "i1").reshape(3, 2)[1].tolist() == [-127, 16]
    (k, b), (k2, b2) = decode_weights("int8", raw, shapes)
    assert np.abs(k - kernel).max() <= scale.max() / 2 + 1e-7 and np.array_equal(b, bias)
    assert np.array_equal(k2, out) and b2.tolist() == [0.0]  # later layers stay float32


def test_bad_compact_models_are_one_line_errors(model):
    doc = json.loads(dumps_model(model, "int8"))
    with pytest.raises(ModelFormatError, match=r"weight_encoding.*one of float32, float16, int8"):
        loads_model(json.dumps({**doc, "weight_encoding": "int4"}), "m.json")
    short = {**doc, "weight_b64": doc["weight_b64"][:-8]}
    with pytest.raises(ModelFormatError, match=r"m\.json.*weight_b64.*bytes of int8 weights"):
        loads_model(json.dumps(short), "m.json")
    huge = model.dense[0].kernel * 0 + 70000
    with pytest.raises(ValueError, match="float16's range"):
        encode_weights("float16", [(huge, None)])
    # saving such a model as float16 is one line naming the model and the field
    import dataclasses

    big = dataclasses.replace(
        model, dense=(dataclasses.replace(model.dense[0], kernel=huge), *model.dense[1:])
    )
    with pytest.raises(ModelFormatError) as err:
        dumps_model(big, "float16")
    assert str(err.value) == (
        f"model {model.name!r}: field 'weight_b64': layer 0: a weight of 70000 is beyond "
        "float16's range (+-65504)"
    )
    # a Model put together by hand with a layers config it does not match: named as well
    odd = dataclasses.replace(model, layers_config={"config": {"layers": []}})
    with pytest.raises(ModelFormatError) as err:
        dumps_model(odd)
    assert str(err.value).startswith(f"model {model.name!r}: field 'layers_config")
