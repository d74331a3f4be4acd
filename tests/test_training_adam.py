"""Keras's Adam (artgen.training.adam) against its formula in float64 numpy."""

from __future__ import annotations

import numpy as np
import pytest

from artgen.training.adam import Adam, AdamSettings


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
