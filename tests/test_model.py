"""The model format and forward pass: parity with the original project, round-trips, life masks."""

from __future__ import annotations

import base64
import json
import math
from pathlib import Path

import numpy as np
import pytest

from artgen.errors import ArtgenError, ModelFormatError
from artgen.model import (
    build_model,
    dumps_model,
    forward,
    load_model,
    loads_model,
    logits,
    save_model,
)
from artgen.traits import KERAS_ACTIVATIONS

FIXTURES = Path(__file__).parent / "fixtures"
REFERENCE = FIXTURES / "artblocks_classifier_model.json"
EXPECTED = json.loads((FIXTURES / "artblocks_classifier_expected.json").read_text())
TRAITS = {
    "structure_gen": "Triangle",
    "n_layers": 2,
    "max_nodes": 5,
    "activation_func": "tanh",
    "epoch_num": 5,
}


def reference_inputs() -> list[np.ndarray]:
    """The expected file's `input_recipe`: five LCG images, then (i * 37) mod 256."""
    h, w, c = EXPECTED["input_dim"]
    size, state, images = h * w * c, 12345, []
    for _ in range(5):
        pixels = []
        for _ in range(size):
            state = (state * 1664525 + 1013904223) % 2**32
            pixels.append(state * 256 // 2**32)
        images.append(np.array(pixels, dtype=np.uint8).reshape(h, w, c))
    images.append((np.arange(size) * 37 % 256).astype(np.uint8).reshape(h, w, c))
    return images


def even_life(sizes) -> list[np.ndarray]:
    return [(np.arange(units) % 2 == 0).astype(float) for units in sizes]


def small_model(activation: str = "tanh", sizes=(5, 4), seed: int = 3, hw=(4, 3)):
    rng = np.random.default_rng(seed)
    dims = [hw[0] * hw[1] * 3, *sizes, 3]
    weights = [
        (rng.normal(0, 0.5, (n, u)).astype(np.float32), rng.normal(0, 0.5, u).astype(np.float32))
        for n, u in zip(dims[:-1], dims[1:], strict=True)
    ]
    return build_model("small", hw, sizes, activation, ["a", "b", "c"], weights, TRAITS)


def oracle_logits(model, pixels, life=None) -> list[float]:
    """A plain-Python neuron-by-neuron forward pass for one image (the test's trusted twin)."""
    funcs = {
        "relu": lambda v: max(v, 0.0),
        "leaky_relu": lambda v: v if v >= 0 else 0.2 * v,
        "tanh": math.tanh,
        "sigmoid": lambda v: 1 / (1 + math.exp(-v)),
        "linear": lambda v: v,
    }
    values = [float(p) * model.scale + model.offset for p in np.asarray(pixels).ravel()]
    for index, layer in enumerate(model.dense):
        kernel, bias = layer.kernel.tolist(), layer.bias.tolist()
        values = [
            funcs[layer.activation](sum(x * kernel[i][j] for i, x in enumerate(values)) + bias[j])
            for j in range(layer.units)
        ]
        if life is not None and index < len(life):
            values = [v * float(alive) for v, alive in zip(values, life[index], strict=True)]
    return values


@pytest.fixture(scope="module")
def reference():
    return load_model(REFERENCE)


@pytest.mark.parametrize("case", range(6))
def test_reference_probabilities_match_the_original_javascript(reference, case):
    expected = EXPECTED["cases"][case]
    life = even_life(reference.hidden_sizes) if expected["case"] == "masked_even" else None
    probabilities = forward(reference, reference_inputs()[case], life)
    assert probabilities.shape == (1, 20)
    np.testing.assert_allclose(probabilities[0], expected["probabilities"], rtol=0, atol=1e-6)


def test_reference_describes_its_architecture(reference):
    assert reference.name == "artblock_classifier"
    assert reference.input_shape == (28, 28, 3) and reference.input_size == 2352
    assert reference.hidden_sizes == (15, 12) and reference.activation == "relu"
    assert reference.scale == 1 / 127.5 and reference.offset == -1.0
    assert (
        reference.classes[14] == "Endless (5,607,250 to Infinity)" and len(reference.classes) == 20
    )
    assert reference.training_traits["structure_gen"] == "Triangle"


def test_a_batch_gives_what_each_image_gives(reference):
    images = np.stack(reference_inputs())
    batch = forward(reference, images)
    singles = np.concatenate([forward(reference, image) for image in images])
    np.testing.assert_allclose(batch, singles, rtol=0, atol=1e-14)  # BLAS order differs per batch
    flat = forward(reference, images.reshape(6, -1).astype(np.float32))
    np.testing.assert_array_equal(batch, flat)
    np.testing.assert_allclose(batch.sum(axis=1), 1.0, atol=1e-12)


def test_reference_loads_then_dumps_byte_identically(reference, tmp_path):
    original = REFERENCE.read_bytes()
    assert dumps_model(loads_model(original)).encode() == original
    assert save_model(reference, tmp_path / "copy.json").read_bytes() == original


def test_built_model_saves_loads_and_saves_byte_identically(tmp_path):
    model = small_model()
    first = save_model(model, tmp_path / "a.json").read_bytes()
    loaded = load_model(tmp_path / "a.json")
    assert save_model(loaded, tmp_path / "b.json").read_bytes() == first
    assert loaded == model
    assert not loaded.dense[0].kernel.flags.writeable
    pixels = np.random.default_rng(1).integers(0, 256, (7, 4, 3, 3))
    np.testing.assert_array_equal(forward(loaded, pixels), forward(model, pixels))


def test_build_model_writes_the_spec_layers_config():
    model = small_model("LeakyReLU")
    assert model.layers_config == {
        "config": {
            "layers": [
                {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 4, 3, 3]}},
                {"class_name": "Rescaling", "config": {"scale": 0.00784313725490196, "offset": -1}},
                {"class_name": "Flatten"},
                {"class_name": "Dense", "config": {"units": 5, "activation": "leaky_relu"}},
                {"class_name": "Dense", "config": {"units": 4, "activation": "leaky_relu"}},
                {"class_name": "Dense", "config": {"units": 3, "activation": "linear"}},
            ]
        }
    }
    assert list(json.loads(dumps_model(model))) == [
        "model_name",
        "layers_config",
        "weight_b64",
        "training_traits",
        "classes_name",
    ]
    assert KERAS_ACTIVATIONS == {
        "ReLU": "relu",
        "LeakyReLU": "leaky_relu",
        "tanh": "tanh",
        "Sigmoid": "sigmoid",
    }


@pytest.mark.parametrize("activation", ["ReLU", "LeakyReLU", "tanh", "Sigmoid", "sigmoid"])
def test_every_activation_matches_a_neuron_by_neuron_oracle(activation):
    model = small_model(activation)
    pixels = np.random.default_rng(2).integers(0, 256, (4, 3, 3))
    life = [np.array([1, 0.25, 0, 1, 0.5]), np.array([0.75, 1, 1, 0])]
    for mask in (None, life):
        np.testing.assert_allclose(
            logits(model, pixels, mask)[0], oracle_logits(model, pixels, mask), atol=1e-12
        )


def test_a_dead_network_answers_softmax_of_the_output_bias(reference):
    bias = reference.dense[-1].bias.astype(float)
    dead = [np.zeros(units) for units in reference.hidden_sizes]
    images = np.random.default_rng(5).integers(0, 256, (9, 28, 28, 3), dtype=np.uint8)
    expected = np.exp(bias - bias.max()) / np.exp(bias - bias.max()).sum()
    np.testing.assert_allclose(
        forward(reference, images, dead), np.tile(expected, (9, 1)), atol=1e-15
    )


def test_full_life_equals_no_mask_and_growth_moves_answers_towards_the_dead_one(reference):
    images = np.stack(reference_inputs())
    full = [np.ones(units) for units in reference.hidden_sizes]
    np.testing.assert_array_equal(forward(reference, images, full), forward(reference, images))
    dead = forward(reference, images, [np.zeros(units) for units in reference.hidden_sizes])
    distances = [
        np.abs(
            forward(reference, images, [np.full(u, g) for u in reference.hidden_sizes]) - dead
        ).sum()
        for g in (1.0, 0.5, 0.1, 0.0)
    ]
    assert distances == sorted(distances, reverse=True) and distances[-1] == 0
    masked = forward(reference, images, even_life(reference.hidden_sizes))
    assert not np.allclose(masked, forward(reference, images))


def test_life_may_differ_per_image(reference):
    images = np.stack(reference_inputs()[:2])
    per_image = [np.stack([np.ones(u), np.zeros(u)]) for u in reference.hidden_sizes]
    result = forward(reference, images, per_image)
    np.testing.assert_allclose(result[0], forward(reference, images[0])[0], atol=1e-14)
    dead = [np.zeros(u) for u in reference.hidden_sizes]
    np.testing.assert_allclose(result[1], forward(reference, images[1], dead)[0], atol=1e-14)


def test_weights_without_the_output_bias_load_with_a_zero_bias(reference):
    doc = json.loads(REFERENCE.read_text())
    raw = base64.b64decode(doc["weight_b64"])
    doc["weight_b64"] = base64.b64encode(raw[: -20 * 4]).decode()
    model = loads_model(json.dumps(doc))
    assert model.dense[-1].bias.tolist() == [0.0] * 20  # one zero per output unit
    np.testing.assert_array_equal(model.dense[-1].kernel, reference.dense[-1].kernel)
    np.testing.assert_array_equal(model.dense[0].bias, reference.dense[0].bias)


def keras_config(version: int, hw=(4, 3), sizes=(5, 4), classes=3, rescale=True) -> dict:
    """What Keras 2 (`batch_input_shape`) or Keras 3 (`batch_shape`) `model.to_json()` writes."""
    dtype = (
        "float32"
        if version == 2
        else {
            "module": "keras",
            "class_name": "DTypePolicy",
            "config": {"name": "float32"},
            "registered_name": None,
        }
    )
    shape = [None, *hw, 3]

    def layer(kind, name, **config):
        entry = {
            "class_name": kind,
            "config": {"name": name, "trainable": True, "dtype": dtype, **config},
        }
        if version == 3:
            entry.update(
                module="keras.layers", registered_name=None, build_config={"input_shape": shape}
            )
        return entry

    init = {"class_name": "GlorotUniform", "config": {"seed": None}}
    dense = [
        layer(
            "Dense",
            f"dense_{i}",
            units=u,
            activation=act,
            use_bias=True,
            kernel_initializer=init,
            bias_initializer={"class_name": "Zeros", "config": {}},
            kernel_regularizer=None,
        )
        for i, (u, act) in enumerate([*((u, "tanh") for u in sizes), (classes, "linear")])
    ]
    key = "batch_input_shape" if version == 2 else "batch_shape"
    layers = [
        {
            "class_name": "InputLayer",
            "config": {key: shape, "dtype": "float32", "sparse": False, "name": "input_1"},
        }
    ]
    if rescale:
        layers.append(layer("Rescaling", "rescaling", scale=0.00784313725490196, offset=-1.0))
    layers += [
        layer("Flatten", "flatten", data_format="channels_last"),
        dense[0],
        layer("Dropout", "dropout", rate=0.2, seed=None),
        *dense[1:],
    ]
    config = {"class_name": "Sequential", "config": {"name": "sequential", "layers": layers}}
    config.update(
        {"keras_version": "2.10.0", "backend": "tensorflow"}
        if version == 2
        else {"module": "keras", "registered_name": None, "compile_config": None}
    )
    return config


@pytest.mark.parametrize("version", [2, 3])
@pytest.mark.parametrize("wrap", [False, True])
def test_full_keras_to_json_configs_load_and_think_alike(version, wrap):
    spec = small_model()
    doc = json.loads(dumps_model(spec))
    config = keras_config(version)
    doc["layers_config"] = {"config": config["config"]} if wrap else config
    model = loads_model(json.dumps(doc), "keras.json")
    assert (model.input_shape, model.hidden_sizes, model.activation) == ((4, 3, 3), (5, 4), "tanh")
    pixels = np.random.default_rng(4).integers(0, 256, (3, 4, 3, 3))
    np.testing.assert_allclose(forward(model, pixels), forward(spec, pixels), atol=1e-12)
    assert loads_model(dumps_model(model)) == model


def test_without_rescaling_the_pixels_are_used_raw():
    spec = small_model()
    doc = json.loads(dumps_model(spec))
    doc["layers_config"] = keras_config(3, rescale=False)
    model = loads_model(json.dumps(doc))
    assert (model.scale, model.offset) == (1.0, 0.0)
    pixels = np.random.default_rng(6).integers(0, 256, (4, 3, 3)).astype(float)
    np.testing.assert_allclose(logits(model, pixels / 127.5 - 1), logits(spec, pixels), atol=1e-12)


def reference_doc() -> dict:
    return json.loads(REFERENCE.read_text())


def dense_layer(units, activation="relu"):
    return {"class_name": "Dense", "config": {"units": units, "activation": activation}}


def set_layer(index, value):
    def mutate(doc):
        doc["layers_config"]["config"]["layers"][index] = value

    return mutate


def set_key(key, value):
    return lambda doc: doc.__setitem__(key, value)


def truncate_weights(count):
    def mutate(doc):
        raw = base64.b64decode(doc["weight_b64"])
        doc["weight_b64"] = base64.b64encode(raw[: 4 * count]).decode()

    return mutate


def huge_input(doc):
    set_layer(
        0, {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 1024, 1024, 3]}}
    )(doc)
    set_layer(3, dense_layer(20))(doc)


def insert_dense(count):
    def mutate(doc):
        doc["layers_config"]["config"]["layers"][3:3] = [dense_layer(2)] * count

    return mutate


def nan_weight(doc):
    raw = bytearray(base64.b64decode(doc["weight_b64"]))
    raw[40:44] = np.float32("nan").tobytes()
    doc["weight_b64"] = base64.b64encode(bytes(raw)).decode()


LAYERS = "layers_config.config.layers"
ACCEPTED_LAYERS = "InputLayer, Rescaling, Flatten, Dense, Dropout, GaussianNoise, GaussianDropout"
SHAPE = "[null, H, W, 3] with H and W in 1..1024"
RESCALING = {"class_name": "Rescaling", "config": {"scale": 1 / 127.5, "offset": -1}}
UNITS_FIELD, UNITS = f"{LAYERS}[3].config.units", "expected an integer in 1..4,096, found "
NAMES = "expected a list of 1..10,000 names, found "


def set_layers(layers):
    return lambda doc: doc["layers_config"]["config"].__setitem__("layers", layers)


def rescaling(scale, **extra):
    return {"class_name": "Rescaling", "config": {"scale": scale, "offset": -1, **extra}}


def set_units(value):
    return set_layer(3, {"class_name": "Dense", "config": {"units": value}})


def set_trait(key, value):
    return lambda doc: doc["training_traits"].__setitem__(key, value)


def reference_layers() -> list:
    return reference_doc()["layers_config"]["config"]["layers"]


def without_input(doc):
    del doc["layers_config"]["config"]["layers"][0]


#: case -> (how the reference model is broken, the field named, the whole message)
BAD_MODELS = {
    "missing key": (lambda d: d.pop("classes_name"), "classes_name", "missing"),
    "name not a string": (set_key("model_name", 7), "model_name", "expected a string, found 7"),
    "name a lone surrogate": (
        set_key("model_name", "\ud800"),
        "model_name",
        "expected valid Unicode text, found a lone surrogate",
    ),
    "weights not a string": (
        set_key("weight_b64", [1]),
        "weight_b64",
        "expected a base64 string",
    ),
    "weight count": (
        truncate_weights(35_700),
        "weight_b64",
        "expected 35,747 float32 values (142,988 bytes) for layers 2352x15+15, 15x12+12, 12x20+20 "
        "(or 35,727 without the output bias), found 35,700",
    ),
    "weights not whole float32 values": (
        set_key("weight_b64", base64.b64encode(b"12345").decode()),
        "weight_b64",
        "expected 35,747 float32 values (142,988 bytes) for layers 2352x15+15, 15x12+12, 12x20+20 "
        "(or 35,727 without the output bias), found 5 bytes (not whole float32 values)",
    ),
    "not base64": (
        lambda d: d.update(weight_b64="$" + d["weight_b64"][1:]),
        "weight_b64",
        "expected base64 text, found characters outside the alphabet",
    ),
    "nan weight": (nan_weight, "weight_b64", "expected finite numbers, found nan at 10"),
    "unknown layer": (
        set_layer(2, {"class_name": "Conv2D"}),
        f"{LAYERS}[2].class_name",
        f"expected one of {ACCEPTED_LAYERS}, AlphaDropout, found 'Conv2D'",
    ),
    "a layer that is not an object": (
        set_layer(2, "Flatten"),
        f"{LAYERS}[2].class_name",
        f"expected one of {ACCEPTED_LAYERS}, AlphaDropout, found 'Flatten'",
    ),
    "a layer config that is not an object": (
        set_layer(2, {"class_name": "Flatten", "config": [1, 2]}),
        f"{LAYERS}[2].config",
        "expected an object, found [1, 2]",
    ),
    "unknown activation": (
        set_layer(3, dense_layer(15, "gelu")),
        f"{LAYERS}[3].config.activation",
        "expected one of relu, leaky_relu, tanh, sigmoid, linear, softmax, found 'gelu'",
    ),
    "hidden softmax": (
        set_layer(3, dense_layer(15, "softmax")),
        f"{LAYERS}[3].config.activation",
        "expected softmax only on the output layer",
    ),
    "use_bias not true or false": (
        set_layer(3, {"class_name": "Dense", "config": {"units": 15, "use_bias": "yes"}}),
        f"{LAYERS}[3].config.use_bias",
        "expected true or false, found 'yes'",
    ),
    "no dense": (
        lambda d: d["layers_config"]["config"].update(
            layers=d["layers_config"]["config"]["layers"][:3]
        ),
        LAYERS,
        "expected at least one Dense layer",
    ),
    "an input layer after the first": (
        lambda d: d["layers_config"]["config"]["layers"].insert(2, reference_layers()[0]),
        f"{LAYERS}[2]",
        "expected InputLayer only as the first layer",
    ),
    "two input shapes that disagree": (
        set_layer(1, rescaling(1 / 127.5, batch_input_shape=[None, 14, 14, 3])),
        f"{LAYERS}[1].config.batch_input_shape",
        "expected [null, 28, 28, 3], found [null, 14, 14, 3]",
    ),
    "no input shape anywhere": (
        without_input,
        LAYERS,
        "expected an InputLayer with batch_input_shape [null, H, W, 3]",
    ),
    "a bad build_input_shape": (
        lambda d: (
            without_input(d),
            d["layers_config"]["config"].update(build_input_shape=[None, 28, 28]),
        ),
        "layers_config.config.build_input_shape",
        f"expected {SHAPE}, found [null, 28, 28]",
    ),  # fmt: skip
    "rescaling after a dense layer": (
        lambda d: d["layers_config"]["config"]["layers"].insert(4, RESCALING),
        f"{LAYERS}[4]",
        "expected Rescaling before the first Dense layer",
    ),
    "rescaling without a scale": (
        set_layer(1, {"class_name": "Rescaling", "config": {"offset": -1}}),
        f"{LAYERS}[1].config.scale",
        "missing",
    ),
    "scale not a number": (
        set_layer(1, rescaling("2")),
        f"{LAYERS}[1].config.scale",
        "expected a number, found '2'",
    ),
    "scale true": (
        set_layer(1, rescaling(True)),
        f"{LAYERS}[1].config.scale",
        "expected a number, found true",
    ),
    "scale a huge integer": (
        set_layer(1, rescaling(10**400)),
        f"{LAYERS}[1].config.scale",
        "expected a finite number, found a huge integer",
    ),
    "offset not a number": (
        set_layer(1, {"class_name": "Rescaling", "config": {"scale": 2, "offset": None}}),
        f"{LAYERS}[1].config.offset",
        "expected a number, found null",
    ),
    "rescalings that overflow together": (
        lambda d: (
            set_layer(1, rescaling(1e300))(d),
            d["layers_config"]["config"]["layers"].insert(2, rescaling(1e300)),
        ),
        f"{LAYERS}[2]",
        "expected Rescaling layers with a finite combined scale",
    ),  # fmt: skip
    "softmax on the second hidden layer": (
        set_layer(4, dense_layer(12, "softmax")),
        f"{LAYERS}[4].config.activation",
        "expected softmax only on the output layer",
    ),
    "input shapes that disagree on a side": (
        lambda d: (
            set_layer(
                0, {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 28, 14, 3]}}
            )(d),
            set_layer(1, rescaling(1 / 127.5, batch_input_shape=[None, 14, 14, 3]))(d),
        ),
        f"{LAYERS}[1].config.batch_input_shape",
        "expected [null, 28, 14, 3], found [null, 14, 14, 3]",
    ),  # fmt: skip
    "input shape null": (
        set_layer(0, {"class_name": "InputLayer", "config": {"batch_input_shape": None}}),
        f"{LAYERS}[0].config.batch_input_shape",
        f"expected {SHAPE}, found null",
    ),
    "scale just past a float": (
        set_layer(1, rescaling(2**999)),
        f"{LAYERS}[1].config.scale",
        "expected a finite number, found a huge integer",
    ),
    "one name per class at most": (
        set_key("classes_name", ["x"] * 10_000),
        "classes_name",
        "expected one name per output unit (20), found 10000",
    ),
    "units just a huge integer": (set_units(2**200), UNITS_FIELD, f"{UNITS}a huge integer"),
    "units just not huge": (set_units(2**199), UNITS_FIELD, f"{UNITS}{2**199}"),
    "units a string of 40": (set_units("x" * 38), UNITS_FIELD, f"{UNITS}'{'x' * 38}'"),
    "units a string of 41": (set_units("x" * 39), UNITS_FIELD, f"{UNITS}'{'x' * 36}...'"),
    "units a list of 8 numbers": (
        set_units([1] * 8),
        UNITS_FIELD,
        f"{UNITS}[1, 1, 1, 1, 1, 1, 1, 1]",
    ),
    "weights of a model without output bias": (
        lambda d: (
            set_layer(5, {"class_name": "Dense", "config": {"units": 20, "use_bias": False}})(d),
            truncate_weights(100)(d),
        ),
        "weight_b64",
        "expected 35,727 float32 values (142,908 bytes) for layers 2352x15+15, 15x12+12, 12x20, "
        "found 100",
    ),
    "no output bias but one weight short": (
        lambda d: (
            set_layer(5, {"class_name": "Dense", "config": {"units": 20, "use_bias": False}})(d),
            truncate_weights(35_727 - 20)(d),
        ),
        "weight_b64",
        "expected 35,727 float32 values (142,908 bytes) for layers 2352x15+15, 15x12+12, 12x20, "
        "found 35,707",
    ),
    "an input layer without a shape": (
        set_layer(0, {"class_name": "InputLayer", "config": {}}),
        f"{LAYERS}[0].config.batch_shape",
        f"expected {SHAPE}, found null",
    ),
    "unknown weight encoding": (
        set_key("weight_encoding", "zip"),
        "weight_encoding",
        "expected one of float32, float16, int8, found 'zip'",
    ),
    "no classes": (
        set_key("classes_name", []),
        "classes_name",
        "expected a list of 1..10,000 names, found []",
    ),  # fmt: skip
    "classes not a list": (
        set_key("classes_name", "Nouns"),
        "classes_name",
        "expected a list of 1..10,000 names, found 'Nouns'",
    ),
    "class count": (
        lambda d: d["classes_name"].pop(),
        "classes_name",
        "expected one name per output unit (20), found 19",
    ),
    "class not a string": (
        lambda d: d["classes_name"].__setitem__(3, None),
        "classes_name[3]",
        "expected a string, found null",
    ),
    "class an object": (
        lambda d: d["classes_name"].__setitem__(4, {"name": "Nouns"}),
        "classes_name[4]",
        "expected a string, found an object",
    ),
    "bad input shape": (
        set_layer(
            0, {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 28, 28, 4]}}
        ),
        f"{LAYERS}[0].config.batch_input_shape",
        f"expected {SHAPE}, found [null, 28, 28, 4]",
    ),
    "input too large": (
        set_layer(
            0, {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 2000, 1, 3]}}
        ),
        f"{LAYERS}[0].config.batch_input_shape",
        f"expected {SHAPE}, found [null, 2000, 1, 3]",
    ),
    "input side zero": (
        set_layer(0, {"class_name": "InputLayer", "config": {"batch_shape": [None, 0, 1, 3]}}),
        f"{LAYERS}[0].config.batch_shape",
        f"expected {SHAPE}, found [null, 0, 1, 3]",
    ),
    "input shape not a list": (
        set_layer(0, {"class_name": "InputLayer", "config": {"batch_input_shape": "28x28"}}),
        f"{LAYERS}[0].config.batch_input_shape",
        f"expected {SHAPE}, found '28x28'",
    ),
    "absurd units": (
        set_units(10**12),
        f"{LAYERS}[3].config.units",
        "expected an integer in 1..4,096, found 1000000000000",
    ),
    "no units": (
        set_units(None),
        f"{LAYERS}[3].config.units",
        "expected an integer in 1..4,096, found null",
    ),  # fmt: skip
    "units zero": (
        set_units(0),
        f"{LAYERS}[3].config.units",
        "expected an integer in 1..4,096, found 0",
    ),  # fmt: skip
    "units true": (
        set_units(True),
        f"{LAYERS}[3].config.units",
        "expected an integer in 1..4,096, found true",
    ),  # fmt: skip
    "units a huge integer": (
        set_units(10**70),
        f"{LAYERS}[3].config.units",
        "expected an integer in 1..4,096, found a huge integer",
    ),
    "units a long string": (
        set_units("x" * 60),
        f"{LAYERS}[3].config.units",
        "expected an integer in 1..4,096, found '" + "x" * 36 + "...'",
    ),
    "units a list of numbers": (
        set_units([1, 2.5, None, True]),
        f"{LAYERS}[3].config.units",
        "expected an integer in 1..4,096, found [1, 2.5, null, true]",
    ),
    "units a long list": (
        set_units(list(range(9))),
        f"{LAYERS}[3].config.units",
        "expected an integer in 1..4,096, found a list of 9 items",
    ),
    "units a list of lists": (
        set_units([[1]]),
        f"{LAYERS}[3].config.units",
        "expected an integer in 1..4,096, found a list of 1 items",
    ),
    "units not an integer": (
        set_units(15.0),
        f"{LAYERS}[3].config.units",
        "expected an integer in 1..4,096, found 15.0",
    ),
    "too many weights": (
        huge_input,
        LAYERS,
        "expected at most 50,000,000 weights, found 62,915,092",
    ),
    "too many dense": (insert_dense(70), LAYERS, "expected at most 64 Dense layers"),
    "too many layers": (
        lambda d: d["layers_config"]["config"]["layers"].extend([{"class_name": "Dropout"}] * 1020),
        LAYERS,
        "expected at most 1,024 layers, found 1,026",
    ),
    "too many classes": (
        set_key("classes_name", ["x"] * 10_001),
        "classes_name",
        "expected a list of 1..10,000 names, found a list of 10001 items",
    ),
    "channels first": (
        set_layer(2, {"class_name": "Flatten", "config": {"data_format": "channels_first"}}),
        f"{LAYERS}[2].config.data_format",
        "expected 'channels_last', found 'channels_first'",
    ),
    "dense before flatten": (
        set_layer(2, {"class_name": "Dropout"}),
        f"{LAYERS}[3]",
        "expected a Flatten layer before the first Dense layer",
    ),
    "nested junk": (
        lambda d: d["training_traits"].update(x=json.loads("[" * 200 + "]" * 200)),
        None,
        "expected JSON nested at most 64 levels deep",
    ),
    "traits not an object": (
        set_key("training_traits", "x"),
        "training_traits",
        "expected an object, found 'x'",
    ),
    "trait of wrong type": (
        set_trait("epoch_num", "30"),
        "training_traits.epoch_num",
        "expected an integer, found '30'",
    ),
    "integer trait true": (
        set_trait("n_layers", True),
        "training_traits.n_layers",
        "expected an integer, found true",
    ),
    "text trait a number": (
        set_trait("structure_gen", 5),
        "training_traits.structure_gen",
        "expected a string, found 5",
    ),
    "layers_config not an object": (
        set_key("layers_config", [1]),
        "layers_config",
        "expected an object, found [1]",
    ),
    "not sequential": (
        lambda d: d["layers_config"].update(class_name="Functional"),
        "layers_config.class_name",
        "expected 'Sequential', found 'Functional'",
    ),
    "no layers list": (
        lambda d: d["layers_config"].update(config={"name": "sequential"}),
        "layers_config.config",
        "expected an object with a 'layers' list, found an object",
    ),
    "old keras list config": (
        lambda d: d["layers_config"].update(
            config=[*reference_layers()[:2], {"class_name": "Conv2D"}]
        ),
        "layers_config.config[2].class_name",
        f"expected one of {ACCEPTED_LAYERS}, AlphaDropout, found 'Conv2D'",
    ),
    "layers at the top": (
        lambda d: d.update(
            layers_config={"class_name": "Sequential", "layers": [{"class_name": "Conv2D"}]}
        ),
        "layers_config.layers[0].class_name",
        f"expected one of {ACCEPTED_LAYERS}, AlphaDropout, found 'Conv2D'",
    ),
}


@pytest.mark.parametrize("case", BAD_MODELS)
def test_bad_models_name_the_field_and_the_expectation(case):
    mutate, field, detail = BAD_MODELS[case]
    doc = reference_doc()
    mutate(doc)
    with pytest.raises(ModelFormatError) as err:
        loads_model(json.dumps(doc), "m.json")
    assert (err.value.source, err.value.field, err.value.detail) == ("m.json", field, detail)
    where = f"m.json: field {field!r}: " if field else "m.json: "
    assert str(err.value) == where + detail


def test_layer_lists_in_every_keras_layout_load_alike(reference):
    """Keras < 2.2 wrote the layers as the config itself; some writers put them at the top;
    without an InputLayer, the Sequential's build_input_shape gives the input."""
    layouts = [
        {"class_name": "Sequential", "config": reference_layers()},
        {"layers": reference_layers()},
        {"config": {"layers": reference_layers()[1:], "build_input_shape": [None, 28, 28, 3]}},
    ]
    for layers_config in layouts:
        doc = reference_doc()
        doc["layers_config"] = layers_config
        model = loads_model(json.dumps(doc))
        assert model.input_shape == (28, 28, 3) and model.hidden_sizes == reference.hidden_sizes
        assert (model.scale, model.offset) == (reference.scale, reference.offset)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (b"\xff\xfe{}", "expected UTF-8 text"),
        ('{"model_name": ', "not valid JSON"),
        ("[1, 2]", "expected a JSON object, found [1, 2]"),
        ('{"x": NaN}', "expected finite JSON numbers, found NaN"),
        ('{"x": 1e999}', "expected finite JSON numbers, found 1e999"),
        ("[" * 100_000 + "]" * 100_000, "JSON"),
    ],
)
def test_text_that_is_not_a_model_object_is_refused_in_one_line(text, fragment):
    with pytest.raises(ModelFormatError) as err:
        loads_model(text, "m.json")
    assert str(err.value).startswith("m.json: ") and fragment in str(err.value)


def test_a_missing_file_is_a_model_format_error_naming_the_path(tmp_path):
    with pytest.raises(ArtgenError, match="nope.json: cannot read"):
        load_model(tmp_path / "nope.json")


def test_build_model_refuses_weights_of_the_wrong_shape_or_not_finite():
    good = small_model()
    weights = [(layer.kernel, layer.bias) for layer in good.dense]
    with pytest.raises(ModelFormatError, match=r"field 'weights\[1\]': expected shapes \(5, 4\)"):
        build_model(
            "m", (4, 3), (5, 4), "tanh", "abc", [weights[0], weights[0], weights[2]], TRAITS
        )
    broken = [weights[0], (weights[1][0] * np.nan, weights[1][1]), weights[2]]
    with pytest.raises(ModelFormatError, match="finite"):
        build_model("m", (4, 3), (5, 4), "tanh", "abc", broken, TRAITS)
    with pytest.raises(ModelFormatError, match="field 'activation'"):
        build_model("m", (4, 3), (5, 4), "swish", "abc", weights, TRAITS)
    # the layers and the classes it is given are named as the model's
    with pytest.raises(ModelFormatError) as err:
        build_model("m", (4, 3), (5, 5000), "tanh", "abc", weights, TRAITS)
    assert str(err.value).startswith("model 'm': field ")
    assert "4,096" in str(err.value)
    with pytest.raises(ModelFormatError) as err:
        build_model("m", (4, 3), (5, 4), "tanh", ["a", "b", 3], weights, TRAITS)
    assert str(err.value).startswith("model 'm': field 'classes_name")


def test_pixels_and_life_of_the_wrong_shape_are_refused(reference):
    with pytest.raises(ValueError, match=r"pixels: expected shape \(28, 28, 3\)"):
        forward(reference, np.zeros((32, 32, 3)))
    with pytest.raises(ValueError, match="life: expected 2 arrays"):
        forward(reference, np.zeros((28, 28, 3)), [np.ones(15)])
    with pytest.raises(ValueError, match=r"life\[1\]: expected 12 values in \[0, 1\]"):
        forward(reference, np.zeros((28, 28, 3)), [np.ones(15), np.full(12, 2.0)])


def test_softmax_output_no_bias_layers_and_serialized_activations_load():
    spec = small_model()
    weights = [(layer.kernel, layer.bias) for layer in spec.dense]
    weights[1] = (weights[1][0], np.zeros(4, np.float32))
    twin = build_model("small", (4, 3), (5, 4), "tanh", "abc", weights, TRAITS)
    doc = json.loads(dumps_model(spec))
    layers = doc["layers_config"]["config"]["layers"]
    layers[-1]["config"]["activation"] = "softmax"  # Keras models often end in softmax
    keras3_tanh = {"module": "keras.activations", "class_name": "function", "config": "tanh"}
    layers[3]["config"]["activation"] = keras3_tanh
    layers[4]["config"]["use_bias"] = False
    raw = np.frombuffer(base64.b64decode(doc["weight_b64"]), dtype="<f4")
    second_bias = 36 * 5 + 5 + 5 * 4
    doc["weight_b64"] = base64.b64encode(
        np.delete(raw, range(second_bias, second_bias + 4))
    ).decode()
    model = loads_model(json.dumps(doc))
    assert not model.dense[1].bias.any() and model.dense[-1].activation == "softmax"
    pixels = np.random.default_rng(7).integers(0, 256, (5, 4, 3, 3))
    np.testing.assert_allclose(forward(model, pixels), forward(twin, pixels), atol=1e-14)
    assert dumps_model(model) == json.dumps(doc)


@pytest.mark.parametrize("units", [1, 4096])
def test_units_at_either_end_of_their_range_are_accepted(units):
    """1 and 4,096 units pass the layer check: the weights are what is then missing."""
    doc = reference_doc()
    set_units(units)(doc)
    with pytest.raises(ModelFormatError) as err:
        loads_model(json.dumps(doc), "m.json")
    assert err.value.field == "weight_b64"
    assert err.value.detail.startswith("expected ") and "float32 values" in err.value.detail


def test_a_1024_layer_list_and_a_1x1_input_are_within_the_limits():
    doc = reference_doc()
    doc["layers_config"]["config"]["layers"][3:3] = [{"class_name": "Dropout"}] * 1018
    assert len(doc["layers_config"]["config"]["layers"]) == 1024
    assert loads_model(json.dumps(doc)).hidden_sizes == (15, 12)
    tiny = small_model(hw=(1, 1))
    assert loads_model(dumps_model(tiny)).input_shape == (1, 1, 3)


def test_rescaling_layers_combine_and_the_offset_defaults_to_zero(reference):
    """(x * s1 + o1) * s2 + o2 = x * s1 s2 + (o1 s2 + o2); without an offset, o = 0."""
    doc = reference_doc()
    set_layer(1, {"class_name": "Rescaling", "config": {"scale": 0.5, "offset": 1}})(doc)
    doc["layers_config"]["config"]["layers"].insert(2, rescaling(4.0, offset=-3))
    model = loads_model(json.dumps(doc))
    assert (model.scale, model.offset) == (2.0, 1.0)
    set_layer(1, {"class_name": "Rescaling", "config": {"scale": 3}})(doc)
    assert (loads_model(json.dumps(doc)).scale, loads_model(json.dumps(doc)).offset) == (12, -3)


def test_layers_given_twice_are_read_from_the_config():
    doc = reference_doc()
    doc["layers_config"]["layers"] = [{"class_name": "Conv2D"}]  # beside config.layers
    assert loads_model(json.dumps(doc)).hidden_sizes == (15, 12)


def test_errors_name_the_file_or_say_model_when_there_is_none(tmp_path):
    with pytest.raises(ModelFormatError) as err:
        loads_model("[]")
    assert str(err.value) == "<model>: expected a JSON object, found []"
    path = tmp_path / "broken.json"
    path.write_text('{"a": 1}')
    with pytest.raises(ModelFormatError) as err:
        load_model(path)
    assert str(err.value) == f"{path}: field 'model_name': missing"
    with pytest.raises(ModelFormatError) as err:
        load_model(tmp_path / "nope.json")
    assert str(err.value) == f"{tmp_path / 'nope.json'}: cannot read: no such file"


def test_a_file_past_the_size_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    from dataclasses import replace

    from artgen import limits
    from artgen.errors import LimitError

    path = tmp_path / "big.json"
    path.write_bytes(b"x" * 1001)
    monkeypatch.setattr(limits, "MODEL_BYTES", replace(limits.MODEL_BYTES, high=1000))
    with pytest.raises(LimitError) as err:  # every budget is one domain (artgen.limits)
        load_model(path)
    assert str(err.value) == (
        f"{path}: expected the size of a model file to be at most 1000 bytes, got 1001"
    )
    path.write_bytes(b"x" * 1000)  # at the limit: read, then refused as JSON
    with pytest.raises(ModelFormatError, match="not valid JSON"):
        load_model(path)


def test_build_model_refuses_softmax_hidden_layers_and_objects_as_activations():
    weights = [(layer.kernel, layer.bias) for layer in small_model().dense]
    for activation, found in (("softmax", "'softmax'"), (("relu",), "tuple")):
        with pytest.raises(ModelFormatError) as err:
            build_model("m", (4, 3), (5, 4), activation, "abc", weights, TRAITS)
        assert str(err.value) == (
            "model 'm': field 'activation': expected one of relu, leaky_relu, tanh, sigmoid, "
            f"linear, found {found}"
        )


def test_build_model_names_each_refusal_whole():
    weights = [(layer.kernel, layer.bias) for layer in small_model().dense]
    cases = [
        (dict(weights=weights[:2]), "weights", "expected 3 (kernel, bias) pairs, found 2"),
        (
            dict(weights=[weights[0], (weights[1][0], weights[1][1][:3]), weights[2]]),
            "weights[1]",
            "expected shapes (5, 4) and (4,), found (5, 4) and (3,)",
        ),
        (
            dict(weights=[weights[0], (weights[1][0] * np.inf, weights[1][1]), weights[2]]),
            "weights[1]",
            "expected finite numbers, found NaN or infinity",
        ),
        (
            dict(training_traits={"epoch_num": float("nan")}),
            "training_traits",
            "expected JSON data: Out of range float values are not JSON compliant",
        ),
        (
            dict(training_traits={"when": object()}),
            "training_traits",
            "expected JSON data: object is not JSON data",
        ),
        (
            dict(training_traits={"epoch_num": "30"}),
            "training_traits.epoch_num",
            "expected an integer, found '30'",
        ),
        (dict(training_traits="x"), "training_traits", "expected an object, found 'x'"),
    ]
    for change, field, detail in cases:
        args = dict(weights=weights, training_traits=TRAITS, classes="abc", **{})
        args.update(change)
        with pytest.raises(ModelFormatError) as err:
            build_model("m", (4, 3), (5, 4), "tanh", args["classes"], args["weights"],
                        args["training_traits"])  # fmt: skip
        assert (err.value.source, err.value.field, err.value.detail) == ("model 'm'", field, detail)


def test_numpy_numbers_in_training_traits_become_plain_json():
    weights = [(layer.kernel, layer.bias) for layer in small_model().dense]
    traits = {**TRAITS, "epoch_num": np.int64(30), "accuracy": np.float32(0.5)}
    model = build_model("m", (4, 3), (5, 4), "tanh", "abc", weights, traits)
    assert (
        model.training_traits["epoch_num"] == 30 and type(model.training_traits["epoch_num"]) is int
    )
    assert json.loads(dumps_model(model))["training_traits"]["accuracy"] == 0.5


def test_loaded_and_built_weights_are_read_only_float32_copies(reference):
    weights = [(k.astype(np.float64), b.astype(np.float64)) for k, b in
               ((layer.kernel, layer.bias) for layer in small_model().dense)]  # fmt: skip
    built = build_model("m", (4, 3), (5, 4), "tanh", "abc", weights, TRAITS)
    for layer in (*reference.dense, *built.dense):
        assert layer.kernel.dtype == np.float32 and layer.bias.dtype == np.float32
        assert not layer.kernel.flags.writeable and not layer.bias.flags.writeable


def test_a_network_of_exactly_the_weight_limit_is_allowed():
    # 13 x 769 x 3 inputs, 1,667 hidden, 2 classes: 50,000,000 weights and biases exactly; the
    # layers pass, and what is refused next is the (empty) weights' length
    doc = reference_doc()
    doc["layers_config"] = keras_config(2, hw=(13, 769), sizes=(1667,), classes=2)
    doc["classes_name"], doc["weight_b64"] = ["a", "b"], ""
    with pytest.raises(ModelFormatError) as err:
        loads_model(json.dumps(doc), "m.json")
    assert err.value.field == "weight_b64"
    assert err.value.detail.startswith("expected 50,000,000 float32 values (200,000,000 bytes)")
