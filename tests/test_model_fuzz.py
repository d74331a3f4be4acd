"""Fuzzing the model loader: whatever bytes arrive, only ModelFormatError escapes.

About 2,200 broken inputs in all (mutated trees, corrupt weights, broken text, junk layers),
deterministic (derandomize) so CI sees the same cases every run.
"""

from __future__ import annotations

import base64
import copy
import json

import numpy as np
from fuzzing import JUNK, fuzz, mutate, paths
from hypothesis import given
from hypothesis import strategies as st

from artgen.errors import ModelFormatError
from artgen.model import build_model, dumps_model, forward, loads_model

SOURCE = "fuzz.json"
TRAITS = {"structure_gen": "Random", "n_layers": 1, "max_nodes": 3, "activation_func": "ReLU",
          "epoch_num": 4}  # fmt: skip


def _base_model():
    rng = np.random.default_rng(0)
    weights = [
        (rng.normal(size=(12, 3)).astype(np.float32), rng.normal(size=3).astype(np.float32)),
        (rng.normal(size=(3, 2)).astype(np.float32), rng.normal(size=2).astype(np.float32)),
    ]
    return build_model("tiny", (2, 2), (3,), "ReLU", ["cat", "dog"], weights, TRAITS)


BASE_TEXT = dumps_model(_base_model())
BASE_DOC = json.loads(BASE_TEXT)
BASE_RAW = base64.b64decode(BASE_DOC["weight_b64"])


def check(text: str | bytes) -> None:
    """Load `text`: a model must be usable; anything else must be a one-line ModelFormatError."""
    try:
        model = loads_model(text, SOURCE)
    except ModelFormatError as err:
        message = str(err)
        assert message.startswith(SOURCE + ": ") and "\n" not in message
        return
    probabilities = forward(model, np.zeros(model.input_shape, np.uint8))
    assert np.isfinite(probabilities).all() and abs(probabilities.sum() - 1) < 1e-9
    assert loads_model(dumps_model(model)) == model


BASE_PATHS = [p for p in paths(BASE_DOC) if p]


MUTATION = st.tuples(
    st.sampled_from(BASE_PATHS),
    st.sampled_from(["delete", "replace", "replace", "wrap", "add", "duplicate"]),
    JUNK,
)


@fuzz(800)
@given(st.lists(MUTATION, min_size=1, max_size=2))
def test_mutated_model_trees_raise_only_model_format_errors(mutations):
    doc = copy.deepcopy(BASE_DOC)
    for path, operation, junk in mutations:
        try:
            mutate(doc, path, operation, junk)
        except (KeyError, IndexError, TypeError):
            pass  # an earlier mutation removed this path
    check(json.dumps(doc, allow_nan=True))


def packed(values) -> str:
    return base64.b64encode(np.array(values, dtype="<f4").tobytes()).decode()


def poisoned(positions_and_values) -> str:
    raw = np.frombuffer(BASE_RAW, dtype="<f4").copy()
    for position, value in positions_and_values:
        raw[position % raw.size] = value
    return base64.b64encode(raw.tobytes()).decode()


WEIGHT_STRINGS = st.one_of(
    st.text(
        alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=", max_size=300
    ),
    st.text(max_size=60),
    st.integers(0, len(BASE_DOC["weight_b64"])).map(lambda n: BASE_DOC["weight_b64"][:n]),
    st.tuples(st.integers(0, len(BASE_DOC["weight_b64"])), st.characters()).map(
        lambda p: BASE_DOC["weight_b64"][: p[0]] + p[1] + BASE_DOC["weight_b64"][p[0] :]
    ),
    st.lists(st.floats(width=32, allow_nan=True, allow_infinity=True), max_size=60).map(packed),
    st.lists(
        st.tuples(st.integers(0, 10**6), st.sampled_from([np.nan, np.inf, -np.inf, 3.4e38, -0.0])),
        min_size=1,
        max_size=3,
    ).map(poisoned),
)


@fuzz(450)
@given(WEIGHT_STRINGS)
def test_corrupt_weights_raise_only_model_format_errors(weights):
    check(json.dumps({**BASE_DOC, "weight_b64": weights}))


TEXTS = st.one_of(
    st.integers(0, len(BASE_TEXT)).map(lambda n: BASE_TEXT[:n]),
    st.tuples(st.integers(0, len(BASE_TEXT) - 1), st.binary(min_size=1, max_size=4)).map(
        lambda p: BASE_TEXT.encode()[: p[0]] + p[1] + BASE_TEXT.encode()[p[0] + len(p[1]) :]
    ),
    st.binary(max_size=200),
    st.text(max_size=200),
    # 5000 digits is past Python's int parse limit; 5000 brackets past the recursion limit
    st.integers(1, 5000).map(lambda n: "[" * n + "]" * n),
    st.integers(1, 5000).map(lambda n: '{"a":' * n + "1" + "}" * n),
    st.sampled_from(["", "null", "[]", "{}", '"x"', "1e999", "NaN", "\ufeff{}", "9" * 5000]),
    JUNK.map(lambda v: json.dumps(v, allow_nan=True)),
)


@fuzz(550)
@given(TEXTS)
def test_broken_text_raises_only_model_format_errors(text):
    check(text)


ACTIVATION = st.sampled_from(["relu", "leaky_relu", "tanh", "sigmoid", "linear", "softmax", "elu"])
SHAPE = st.one_of(
    st.just([None, 2, 2, 3]),
    st.lists(st.one_of(st.none(), st.integers(-2, 2000)), max_size=5),
    JUNK,
)
LAYER_CONFIG = st.fixed_dictionaries(
    {},
    optional={
        "units": st.one_of(st.integers(-2, 5), st.sampled_from([4096, 4097, 10**9]), JUNK),
        "activation": st.one_of(ACTIVATION, JUNK),
        "batch_input_shape": SHAPE,
        "batch_shape": SHAPE,
        "scale": st.one_of(st.floats(allow_nan=False), JUNK),
        "offset": st.one_of(st.integers(-3, 3), JUNK),
        "use_bias": st.one_of(st.booleans(), JUNK),
        "data_format": st.sampled_from(["channels_last", "channels_first", None]),
    },
)
LAYER = st.one_of(
    st.fixed_dictionaries(
        {
            "class_name": st.one_of(
                st.sampled_from(["InputLayer", "Rescaling", "Flatten", "Dense", "Dropout"]), JUNK
            )
        },
        optional={"config": st.one_of(LAYER_CONFIG, JUNK)},
    ),
    JUNK,
)
LAYERS_CONFIG = st.lists(LAYER, max_size=7).flatmap(
    lambda layers: st.sampled_from(
        [
            {"config": {"layers": layers}},
            {"class_name": "Sequential", "config": {"name": "s", "layers": layers}},
            {"class_name": "Functional", "config": {"layers": layers}},
            {"layers": layers},
            {"config": layers},
        ]
    )
)


@fuzz(400)
@given(LAYERS_CONFIG, st.integers(0, 80))
def test_junk_layer_lists_raise_only_model_format_errors(layers_config, count):
    weights = packed(np.linspace(-1, 1, count))
    check(json.dumps({**BASE_DOC, "layers_config": layers_config, "weight_b64": weights}))


@fuzz(100)
@given(
    st.integers(1, 4),
    st.integers(1, 4),
    st.lists(st.integers(1, 5), max_size=3),
    st.lists(ACTIVATION.filter(lambda a: a not in ("softmax", "elu")), min_size=4, max_size=4),
    st.integers(1, 4),
    st.sampled_from(["keras2", "keras3", "spec"]),
    st.booleans(),
)
def test_well_formed_keras_configs_always_load(h, w, sizes, activations, classes, style, rescale):
    key = "batch_input_shape" if style != "keras3" else "batch_shape"
    layers = [{"class_name": "InputLayer", "config": {key: [None, h, w, 3], "name": "in"}}]
    if rescale:
        layers.append({"class_name": "Rescaling", "config": {"scale": 0.5, "offset": -1.0}})
    layers.append({"class_name": "Flatten", "config": {"data_format": "channels_last"}})
    for units, activation in zip([*sizes, classes], activations, strict=False):
        layers += [{"class_name": "Dense", "config": {"units": units, "activation": activation}}]
        layers += [{"class_name": "Dropout", "config": {"rate": 0.5}}]
    dims = [h * w * 3, *sizes, classes]
    count = sum(n * u + u for n, u in zip(dims[:-1], dims[1:], strict=True))
    config = {"layers": layers}
    wrapped = (
        {"config": config} if style == "spec" else {"class_name": "Sequential", "config": config}
    )
    doc = {**BASE_DOC, "layers_config": wrapped, "classes_name": [f"c{i}" for i in range(classes)]}
    doc["weight_b64"] = packed(np.linspace(-1, 1, count))
    model = loads_model(json.dumps(doc), SOURCE)
    assert model.hidden_sizes == tuple(sizes) and model.input_shape == (h, w, 3)
    check(json.dumps(doc))
