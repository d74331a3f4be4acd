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
    assert not model.dense[-1].bias.any()
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
BAD_MODELS = {
    "missing key": (lambda d: d.pop("classes_name"), "classes_name", "missing"),
    "name not a string": (set_key("model_name", 7), "model_name", "expected a string, found 7"),
    "weights not a string": (set_key("weight_b64", [1]), "weight_b64", "expected a base64 string"),
    "weight count": (
        truncate_weights(35_700),
        "weight_b64",
        "expected 35,747 float32 values (142,988 bytes) for layers 2352x15+15, 15x12+12, 12x20+20 "
        "(or 35,727 without the output bias), found 35,700",
    ),
    "not base64": (
        lambda d: d.update(weight_b64="$" + d["weight_b64"][1:]),
        "weight_b64",
        "base64",
    ),
    "nan weight": (nan_weight, "weight_b64", "expected finite numbers, found nan at 10"),
    "unknown layer": (
        set_layer(2, {"class_name": "Conv2D"}),
        f"{LAYERS}[2].class_name",
        "found 'Conv2D'",
    ),
    "unknown activation": (
        set_layer(3, dense_layer(15, "gelu")),
        f"{LAYERS}[3].config.activation",
        "found 'gelu'",
    ),
    "hidden softmax": (
        set_layer(3, dense_layer(15, "softmax")),
        f"{LAYERS}[3].config.activation",
        "output layer",
    ),
    "no dense": (
        lambda d: d["layers_config"]["config"].update(
            layers=d["layers_config"]["config"]["layers"][:3]
        ),
        LAYERS,
        "at least one Dense layer",
    ),
    "no classes": (set_key("classes_name", []), "classes_name", "found []"),
    "class count": (lambda d: d["classes_name"].pop(), "classes_name", "(20), found 19"),
    "class not a string": (
        lambda d: d["classes_name"].__setitem__(3, None),
        "classes_name[3]",
        "null",
    ),
    "bad input shape": (
        set_layer(
            0, {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 28, 28, 4]}}
        ),
        f"{LAYERS}[0].config.batch_input_shape",
        "found [null, 28, 28, 4]",
    ),
    "input too large": (
        set_layer(
            0, {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 2000, 1, 3]}}
        ),
        f"{LAYERS}[0].config.batch_input_shape",
        "1..1024",
    ),
    "absurd units": (set_layer(3, dense_layer(10**12)), f"{LAYERS}[3].config.units", "1..4,096"),
    "units not an integer": (set_layer(3, dense_layer(15.0)), f"{LAYERS}[3].config.units", "15.0"),
    "too many weights": (
        huge_input,
        LAYERS,
        "expected at most 50,000,000 weights, found 62,915,092",
    ),
    "too many dense": (insert_dense(70), LAYERS, "at most 64 Dense layers"),
    "too many classes": (
        set_key("classes_name", ["x"] * 10_001),
        "classes_name",
        "1..10,000 names",
    ),
    "channels first": (
        set_layer(2, {"class_name": "Flatten", "config": {"data_format": "channels_first"}}),
        f"{LAYERS}[2].config.data_format",
        "'channels_last'",
    ),
    "dense before flatten": (set_layer(2, {"class_name": "Dropout"}), f"{LAYERS}[3]", "Flatten"),
    "nested junk": (
        lambda d: d["training_traits"].update(x=json.loads("[" * 200 + "]" * 200)),
        None,
        "nested at most 64 levels",
    ),
    "traits not an object": (set_key("training_traits", "x"), "training_traits", "an object"),
    "trait of wrong type": (
        lambda d: d["training_traits"].update(epoch_num="30"),
        "training_traits.epoch_num",
        "'30'",
    ),
    "not sequential": (
        lambda d: d["layers_config"].update(class_name="Functional"),
        "layers_config.class_name",
        "expected 'Sequential'",
    ),
}


@pytest.mark.parametrize("case", BAD_MODELS)
def test_bad_models_name_the_field_and_the_expectation(case):
    mutate, field, fragment = BAD_MODELS[case]
    doc = reference_doc()
    mutate(doc)
    with pytest.raises(ModelFormatError) as err:
        loads_model(json.dumps(doc), "m.json")
    message = str(err.value)
    prefix = f"m.json: field {field!r}: " if field else "m.json: expected"
    assert message.startswith(prefix) and "\n" not in message
    assert fragment in message


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
