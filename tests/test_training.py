"""The numpy trainer: gradients against finite differences, Keras's Adam, the training recipe,
determinism, configs in the original format, and the intelligence curve."""

from __future__ import annotations

import json

import numpy as np
import pytest

from artgen.adam import (
    ACTIVATIONS,
    Adam,
    AdamSettings,
    Network,
    cross_entropy,
    gather_rescaled,
    initial_weights,
)
from artgen.blas import blas_threads
from artgen.datasets import Dataset, holdout_split
from artgen.datasets.augment import Augmentation
from artgen.errors import ConfigError
from artgen.intelligence import GROWTHS, intelligence_curve, plot_png
from artgen.lifecycle import neuron_life
from artgen.model import dumps_model, loads_model, logits
from artgen.train_config import TrainConfig, load_config, parse_config, token_config
from artgen.training import rescale, train
from artgen.traits import sample_traits

ORIGINAL_CONFIG = {
    "model_name": "sample_model",
    "input_dim": [8, 8],
    "structure": [6, 5],
    "activation_name": "ReLU",
    "val_percent": 10,
    "batch_size": 16,
    "epoch_num": 3,
    "data_augmentation_config": {
        "random_flip": "None",
        "random_rotation": 0,
        "random_zoom": 0,
        "random_contrast": 0,
        "random_brightness": 0,
    },
    "class_names": {"a": "Apes"},
}


def easy_dataset(per_class: int = 40, size: int = 8, classes: int = 3, seed: int = 0) -> Dataset:
    """Classes told apart by where a bright block sits, on noisy random backgrounds."""
    gen = np.random.default_rng(seed)
    n = per_class * classes
    labels = np.repeat(np.arange(classes), per_class)
    images = gen.uniform(0, 120, (n, size, size, 3))
    for k in range(classes):
        at = (k * size) // classes
        images[labels == k, at : at + size // 3, :, :] += 120
    return Dataset(
        images.clip(0, 255).astype(np.uint8), labels, tuple(f"c{k}" for k in range(classes)), "easy"
    )


# --- gradients and Adam -------------------------------------------------------------------


def numeric_grad(net: Network, x: np.ndarray, y: np.ndarray, h: float = 1e-6) -> np.ndarray:
    scratch = np.empty_like(net.params)
    out = np.empty_like(net.params)
    for i in range(net.params.size):
        keep = net.params[i]
        net.params[i] = keep + h
        up, _ = net.loss_and_grad(x, y, scratch)
        net.params[i] = keep - h
        down, _ = net.loss_and_grad(x, y, scratch)
        net.params[i] = keep
        out[i] = (up - down) / (2 * h)
    return out


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_gradients_match_finite_differences(activation):
    gen = np.random.default_rng(1)
    net = Network((7, 5, 4, 3), activation, dtype=np.float64)  # first layer padded 5 -> 8 units
    net.set_weights(
        [(gen.normal(0, 0.7, (a, b)), gen.normal(0, 0.3, b)) for a, b in [(7, 5), (5, 4), (4, 3)]]
    )
    x = gen.normal(0, 1, (9, 7))
    y = gen.integers(0, 3, 9)
    grad = np.empty_like(net.params)
    loss, correct = net.loss_and_grad(x, y, grad)
    assert np.allclose(grad, numeric_grad(net, x, y), rtol=1e-5, atol=1e-8)
    assert 0 <= correct <= 9
    z = net.logits(x)
    expected = np.mean(np.log(np.exp(z).sum(axis=1)) - z[np.arange(9), y])
    assert loss == pytest.approx(expected, rel=1e-12)
    scaled = np.empty_like(net.params)
    net.loss_and_grad(x, y, scaled, scale=0.1)
    assert np.allclose(scaled, 0.1 * grad, rtol=1e-12, atol=1e-15)
    # padding units carry no weight and get no gradient
    assert (
        not net.kernels[0][5:].any() and not net.kernels[1][:, 5:].any() and not grad[35:40].any()
    )


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_gradients_match_with_a_first_layer_of_four_mod_eight(activation):
    # 10 units pad to 12: the first product runs as kernel @ x.T (16 -> x @ kernel.T above)
    gen = np.random.default_rng(7)
    sizes = (6, 10, 3)
    net = Network(sizes, activation, dtype=np.float64)
    assert net.inner_sizes[1] == 12
    pairs = [(6, 10), (10, 3)]
    net.set_weights([(gen.normal(0, 0.7, (a, b)), gen.normal(0, 0.3, b)) for a, b in pairs])
    x = gen.normal(0, 1, (5, 6))
    y = gen.integers(0, 3, 5)
    grad = np.empty_like(net.params)
    net.loss_and_grad(x, y, grad)
    assert np.allclose(grad, numeric_grad(net, x, y), rtol=1e-5, atol=1e-8)


def test_train_batch_gives_the_summed_gradient_and_the_logits():
    gen = np.random.default_rng(8)
    net = Network((9, 6, 5, 4), "tanh")
    net.set_weights(initial_weights(gen, (9, 6, 5, 4)))
    x = gen.uniform(-1, 1, (7, 9)).astype(np.float32)
    y = gen.integers(0, 4, 7)
    mean_grad = np.empty_like(net.params)
    loss, correct = net.loss_and_grad(x, y, mean_grad)
    onehot = np.zeros((4, 7), np.float32)
    onehot[y, np.arange(7)] = 1
    summed, logits_out = np.empty_like(net.params), np.empty((4, 7), np.float32)
    net.train_batch(x, onehot, summed, logits_out)
    assert np.allclose(summed, 7 * mean_grad, rtol=1e-5, atol=1e-7)
    assert np.allclose(logits_out.T, net.logits(x), rtol=1e-6, atol=1e-7)
    assert (loss, correct) == cross_entropy(logits_out.T, y)


@pytest.mark.parametrize(("activation", "slope"), [("relu", 0.0), ("leaky_relu", 0.2)])
def test_rectifier_gradient_at_exactly_zero(activation, slope):
    # zero first-layer weights: every hidden unit sits at z = 0, where Keras takes the
    # gradient of relu as 0 and of leaky relu (alpha 0.2) as 0.2
    net = Network((3, 4, 2), activation, dtype=np.float64)
    out_kernel = np.array([[1.0, -2.0], [0.5, 0.0], [-1.0, 1.5], [2.0, 0.25]])
    net.set_weights([(np.zeros((3, 4)), np.zeros(4)), (out_kernel, np.array([0.1, -0.1]))])
    x, y = np.array([[0.3, -1.0, 2.0]]), np.array([1])
    grad = np.empty_like(net.params)
    net.loss_and_grad(x, y, grad)
    z = np.array([0.1, -0.1])
    d_logits = np.exp(z) / np.exp(z).sum() - np.array([0.0, 1.0])
    d_hidden = slope * (out_kernel @ d_logits)
    kernel_grad, bias_grad = (v[0] for v in net.views(grad))
    assert np.allclose(kernel_grad[:4], np.outer(d_hidden, x[0]), atol=1e-15)
    assert np.allclose(bias_grad[:4], d_hidden, atol=1e-15)


def test_cross_entropy_matches_its_definition_and_argmax_ties():
    gen = np.random.default_rng(9)
    z = gen.normal(0, 2, (50, 5))
    labels = gen.integers(0, 5, 50)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    loss, correct = cross_entropy(z, labels)
    assert loss == pytest.approx(-np.log(p[np.arange(50), labels]).mean(), rel=1e-12)
    assert correct == np.count_nonzero(z.argmax(axis=1) == labels)
    assert cross_entropy(z.T.copy().T, labels) == (loss, correct)  # any memory order
    tied = np.zeros((4, 3), np.float32)  # ties go to the first class, as argmax has them
    assert cross_entropy(tied, np.array([0, 1, 2, 0]))[1] == 2
    assert np.isnan(cross_entropy(z[:0], labels[:0])[0])


def test_weights_round_trip_without_padding():
    gen = np.random.default_rng(2)
    weights = initial_weights(gen, (6, 3, 2))
    net = Network((6, 3, 2), "tanh")
    net.set_weights(weights)
    for (k, b), (k2, b2) in zip(weights, net.weights(), strict=True):
        assert k2.dtype == np.float32 and np.array_equal(k, k2) and np.array_equal(b, b2)


def test_adam_matches_the_keras_formula():
    gen = np.random.default_rng(3)
    s = AdamSettings()
    params = gen.normal(0, 1, 50)
    ours = params.copy()
    adam = Adam(50, s, dtype=np.float64)
    m = np.zeros(50)
    v = np.zeros(50)
    for t in range(1, 30):
        g = gen.normal(0, 1, 50) * 10.0 ** gen.integers(-4, 2)
        m += (g - m) * (1 - s.beta1)
        v += (g * g - v) * (1 - s.beta2)
        alpha = s.learning_rate * np.sqrt(1 - s.beta2**t) / (1 - s.beta1**t)
        params -= alpha * m / (np.sqrt(v) + s.epsilon)
        adam.step(ours, g * adam.grad_scale)
    assert np.allclose(ours, params, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_adam_stays_keras_over_many_steps_with_a_scaled_gradient(dtype):
    # the gradient arrives times the batch
    gen = np.random.default_rng(5)
    s = AdamSettings(learning_rate=0.01)
    params = gen.normal(0, 1, 40)
    ours = params.astype(dtype)
    adam = Adam(40, s, dtype=dtype)
    m, v = np.zeros(40), np.zeros(40)
    for t in range(1, 200):
        g = gen.normal(0, 1, 40) * 10.0 ** gen.integers(-3, 1)
        g[:5] = 0  # parameters that never get a gradient stay put
        m += (g - m) * (1 - s.beta1)
        v += (g * g - v) * (1 - s.beta2)
        alpha = s.learning_rate * np.sqrt(1 - s.beta2**t) / (1 - s.beta1**t)
        params -= alpha * m / (np.sqrt(v) + s.epsilon)
        adam.step(ours, (g * 64).astype(dtype), grad_scale=64)
    tolerance = 1e-9 if dtype == np.float64 else 1e-4
    assert np.allclose(ours, params, rtol=tolerance, atol=tolerance)
    assert np.array_equal(ours[:5], params[:5].astype(dtype))


def test_glorot_uniform_kernels_and_zero_biases():
    weights = initial_weights(np.random.default_rng(4), (300, 20, 4))
    (k1, b1), (k2, b2) = weights
    limit = np.sqrt(6 / 320)
    assert k1.dtype == np.float32 and k1.shape == (300, 20)
    assert np.abs(k1).max() <= limit and np.abs(k1).max() > 0.95 * limit
    assert abs(k1.std() - limit / np.sqrt(3)) < 0.01
    assert not b1.any() and not b2.any() and np.abs(k2).max() <= np.sqrt(6 / 24)


def test_gather_rescaled_matches_rescale_for_pixels_and_augmented_floats():
    gen = np.random.default_rng(6)
    images = gen.integers(0, 256, (20, 4, 4, 3), dtype=np.uint8)
    rows = np.array([7, 0, 19, 7, 3])
    expected = rescale(images)[rows]
    for source in (images.reshape(20, -1), images.reshape(20, -1).astype(np.float32)):
        out = np.empty((5, 48), np.float32)
        gather_rescaled(source, rows, np.float32(1 / 127.5), np.float32(1), out)
        assert np.array_equal(out, expected)


def test_blas_threads_context_restores():
    x = np.ones((4, 4), np.float32)
    with blas_threads(1):
        assert (x @ x == 4).all()
    assert (x @ x == 4).all()


# --- training -----------------------------------------------------------------------------


def test_training_learns_and_is_deterministic():
    data = easy_dataset()
    config = TrainConfig(
        hidden_sizes=(6, 4), activation="ReLU", epochs=12, input_hw=(8, 8), batch_size=16
    )
    seen = []
    result = train(config, data, seed=5, token=2, progress=seen.append)
    assert [r.epoch for r in seen] == list(range(1, 13)) and result.history == tuple(seen)
    assert result.train_count == 108 and result.val_count == 12
    assert result.history[-1].loss < result.history[0].loss
    assert result.val_accuracy >= 0.9
    model = result.model
    assert (
        model.hidden_sizes == (6, 4)
        and model.input_shape == (8, 8, 3)
        and model.classes == data.class_names
    )
    assert all(layer.kernel.dtype == np.float32 for layer in model.dense)
    text = dumps_model(model)
    assert loads_model(text) == model
    again = train(config, data, seed=5, token=2)
    assert dumps_model(again.model) == text  # byte-identical
    assert dumps_model(train(config, data, seed=5, token=3).model) != text


@pytest.mark.parametrize("activation", ["LeakyReLU", "tanh", "Sigmoid"])
def test_every_activation_trains_above_chance(activation):
    data = easy_dataset()
    epochs = 25 if activation == "Sigmoid" else 10
    config = TrainConfig(
        hidden_sizes=(5,), activation=activation, epochs=epochs, input_hw=(8, 8), batch_size=16
    )
    result = train(config, data)
    assert result.val_accuracy > 0.6
    assert (
        result.model.dense[0].activation
        == {"LeakyReLU": "leaky_relu", "tanh": "tanh", "Sigmoid": "sigmoid"}[activation]
    )


def test_training_with_augmentation_and_resizing():
    data = easy_dataset(size=10)
    config = TrainConfig(
        hidden_sizes=(4,),
        epochs=2,
        input_hw=(6, 6),
        augmentation=Augmentation("Horizontal", 0.05, 0.1, 0.1, 0.1),
    )
    a = train(config, data, seed=1)
    b = train(config, data, seed=1)
    plain = train(TrainConfig(hidden_sizes=(4,), epochs=2, input_hw=(6, 6)), data, seed=1)
    assert a.model.input_shape == (6, 6, 3)
    assert dumps_model(a.model) == dumps_model(b.model) != dumps_model(plain.model)


def test_epoch_seconds_come_from_the_given_clock():
    ticks = iter(range(100))
    config = TrainConfig(hidden_sizes=(3,), epochs=2, input_hw=(8, 8), batch_size=16)
    result = train(config, easy_dataset(per_class=10), clock=lambda: 10.0 * next(ticks))
    assert [r.seconds for r in result.history] == [10.0, 10.0]


def test_token_config_follows_the_traits():
    for token in range(5):
        traits = sample_traits(11, token)
        config = token_config(11, token)
        assert config.hidden_sizes == traits.hidden_sizes
        assert config.activation == traits.activation and config.epochs == traits.epochs
        assert config.traits() == traits.training_traits()
        assert config.batch_size == 64 and config.val_percent == 10 and config.input_hw == (32, 32)


# --- the original config format -----------------------------------------------------------


def test_original_config_parses(tmp_path):
    path = tmp_path / "config.json"
    path.write_text(json.dumps(ORIGINAL_CONFIG))
    config = load_config(path)
    assert config.model_name == "sample_model" and config.input_hw == (8, 8)
    assert config.hidden_sizes == (6, 5) and config.activation == "ReLU"
    assert config.val_percent == 10 and config.batch_size == 16 and config.epochs == 3
    assert config.augmentation == Augmentation() and dict(config.class_names) == {"a": "Apes"}
    assert config.traits() == {
        "structure_gen": "Custom",
        "n_layers": 2,
        "max_nodes": 6,
        "activation_func": "ReLU",
        "epoch_num": 3,
    }
    with_aug = dict(
        ORIGINAL_CONFIG, data_augmentation_config={"random_flip": "Both", "random_zoom": 0.2}
    )
    assert parse_config(json.dumps(with_aug)).augmentation == Augmentation("Both", 0, 0.2, 0, 0)
    assert (
        parse_config(json.dumps(dict(ORIGINAL_CONFIG, data_augmentation_config=None))).augmentation
        is None
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"structure": "20,20"}, "structure"),
        ({"structure": []}, "structure"),
        ({"activation_name": "Swish"}, "activation_name"),
        ({"input_dim": [32]}, "input_dim"),
        ({"val_percent": 0}, "val_percent"),
        ({"batch_size": 0}, "batch_size"),
        ({"epoch_num": 2.5}, "epoch_num"),
        ({"data_augmentation_config": {"random_flip": "Diagonal"}}, "random_flip"),
        ({"data_augmentation_config": {"random_zoom": -1}}, "random_zoom"),
        ({"data_augmentation_config": []}, "data_augmentation_config"),
        ({"class_names": {"a": 3}}, "class_names"),
        ({"model_name": None}, "model_name"),
    ],
)
def test_bad_configs_name_the_file_and_field(tmp_path, change, field):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({**ORIGINAL_CONFIG, **change}))
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(path) in str(err.value) and f"field '{field}'" in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_and_broken_configs(tmp_path):
    doc = dict(ORIGINAL_CONFIG)
    del doc["epoch_num"]
    with pytest.raises(ConfigError, match="'epoch_num': missing"):
        parse_config(json.dumps(doc), "c.json")
    with pytest.raises(ConfigError, match="not valid JSON"):
        parse_config("{", "c.json")
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "absent.json")


# --- the intelligence curve ---------------------------------------------------------------


def test_intelligence_curve_from_dead_to_grown(tmp_path):
    data = easy_dataset(per_class=60)
    config = TrainConfig(hidden_sizes=(6, 5), epochs=20, input_hw=(8, 8), batch_size=8)
    model = train(config, data, seed=3).model
    curve = intelligence_curve(model, data)
    assert curve.growth == GROWTHS and len(curve.accuracy) == 11 and curve.images == 18
    assert curve.chance == pytest.approx(1 / 3)
    assert curve.accuracy[-1] >= 0.8  # clearly above chance when grown
    # dead: every image gets the same answer, so accuracy is one class's share of the held-out set
    dead = logits(model, data.images, [np.asarray(x) for x in neuron_life(model.hidden_sizes, 0.0)])
    assert np.ptp(dead, axis=0).max() == 0
    _, val = holdout_split(len(data))
    share = np.mean(data.labels[val] == dead[0].argmax())
    assert curve.accuracy[0] == pytest.approx(share)
    json.dumps(curve.to_json())
    plot = tmp_path / "curve.png"
    plot_png(curve, plot)
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from PIL import Image

    with Image.open(plot) as im:
        assert im.size == (800, 560)
        pixels = np.asarray(im.convert("RGB"))
    blue = (pixels[..., 2] > 150) & (pixels[..., 0] < 80)
    red = (pixels[..., 0] > 150) & (pixels[..., 1] < 100)
    assert blue.sum() > 500 and red.sum() > 100  # the curve and the chance line are drawn


def test_bundled_default_model_classifies_fresh_pfp_images():
    from artgen.datasets import procedural
    from artgen.model import load_model
    from artgen.train_config import DEFAULT_MODEL, DEFAULT_MODEL_CONFIG
    from artgen.training import INSCRIPTION_LIMIT, accuracy

    model = load_model(DEFAULT_MODEL)
    assert DEFAULT_MODEL.stat().st_size < INSCRIPTION_LIMIT
    assert model.classes == procedural.CLASS_NAMES and model.input_shape == (32, 32, 3)
    assert model.hidden_sizes == DEFAULT_MODEL_CONFIG.hidden_sizes == (12, 8)
    images, labels = procedural.generate(seed=12345, per_class=50)  # pictures it never saw
    assert accuracy(model, images, labels) > 0.8
