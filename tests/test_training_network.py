"""The trainer's network (artgen.training.network): gradients against finite differences,
the rectifiers at zero, the cross-entropy, weight layout and the initial weights."""

from __future__ import annotations

import numpy as np
import pytest

from artgen.training.kernels import ACTIVATION_CODES
from artgen.training.network import Network, cross_entropy, initial_weights


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


@pytest.mark.parametrize("activation", list(ACTIVATION_CODES))
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


@pytest.mark.parametrize("activation", list(ACTIVATION_CODES))
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


def test_glorot_uniform_kernels_and_zero_biases():
    weights = initial_weights(np.random.default_rng(4), (300, 20, 4))
    (k1, b1), (k2, b2) = weights
    limit = np.sqrt(6 / 320)
    assert k1.dtype == np.float32 and k1.shape == (300, 20)
    assert np.abs(k1).max() <= limit and np.abs(k1).max() > 0.95 * limit
    assert abs(k1.std() - limit / np.sqrt(3)) < 0.01
    assert not b1.any() and not b2.any() and np.abs(k2).max() <= np.sqrt(6 / 24)
