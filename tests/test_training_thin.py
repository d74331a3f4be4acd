"""The C extension for the first layer's products (artgen.training._thin) against float64
numpy."""

from __future__ import annotations

import numpy as np
import pytest

from artgen.training import _thin
from artgen.training.network import Network, batch_buffer, initial_weights

PATHS = ["avx2", "portable"]  # the AVX2 + FMA register blocks, the portable loops


@pytest.fixture(params=PATHS)
def path(request):
    assert _thin.vectorised, "this machine's CPU has AVX2 and FMA: CI must test those blocks"
    return request.param


def strided_rows(gen, batch: int, inputs: int) -> np.ndarray:
    """A float32 batch whose rows are further apart than their length, as `batch_buffer` makes."""
    buffer = batch_buffer(batch, inputs)
    buffer[...] = np.nan  # the padding must never be read
    x = buffer[:, :inputs]
    x[...] = gen.normal(0, 1, (batch, inputs))
    return x


@pytest.mark.parametrize("units", [1, 2, 3, 4, 5, 7, 9, 13])
@pytest.mark.parametrize("batch,inputs", [(1, 8), (2, 77), (3, 48), (64, 300), (5, 7)])
def test_products_match_float64(path, units, batch, inputs):
    gen = np.random.default_rng(units * 1000 + batch * 10 + inputs)
    x = strided_rows(gen, batch, inputs)
    w = gen.normal(0, 0.2, (units, inputs)).astype(np.float32)
    bias = gen.normal(0, 1, units).astype(np.float32)
    d = gen.normal(0, 1, (units, batch)).astype(np.float32)
    z = np.full((units, batch), np.nan, np.float32)
    g = np.full((units, inputs), np.nan, np.float32)
    ldx = x.strides[0] // 4
    addresses = (w.ctypes.data, x.ctypes.data, bias.ctypes.data, z.ctypes.data)
    vectorised = int(path == "avx2")
    _thin.forward(*addresses, units, batch, inputs, ldx, vectorised)
    _thin.gradient(
        d.ctypes.data, x.ctypes.data, g.ctypes.data, units, batch, inputs, ldx, vectorised
    )
    x64 = x.astype(np.float64)
    want_z = w.astype(np.float64) @ x64.T + bias[:, None]
    want_g = d.astype(np.float64) @ x64
    scale = np.sqrt(inputs) * 1e-6
    assert np.abs(z - want_z).max() < scale * 4
    assert np.abs(g - want_g).max() < np.sqrt(batch) * 1e-5


def test_wrong_arguments_are_refused():
    with pytest.raises(TypeError, match="expected 9 arguments"):
        _thin.forward(0, 0, 0)
    with pytest.raises(OverflowError):
        _thin.gradient(0, 0, 0, 1, 1, 2**70, 1, 1)


@pytest.mark.parametrize("activation", ["relu", "leaky_relu", "tanh", "sigmoid"])
def test_network_gradient_matches_float64_blas(path, activation):
    # an unpadded first layer of 13 units (BLAS would pad it to 16), rows of a strided batch
    sizes = (150, 13, 6, 4)
    gen = np.random.default_rng(5)
    weights = initial_weights(gen, sizes)
    fast = Network(sizes, activation, path=path)
    ref = Network(sizes, activation, dtype=np.float64)
    assert fast.inner_sizes == sizes and ref.inner_sizes[1] == 16
    fast.set_weights(weights)
    ref.set_weights(weights)
    x = strided_rows(gen, 64, 150)
    y = gen.integers(0, 4, 64)
    onehot = np.zeros((4, 64), np.float32)
    onehot[y, np.arange(64)] = 1
    got, want = np.empty_like(fast.params), np.empty_like(ref.params)
    logits = np.empty((4, 64), np.float32)
    fast.train_batch(x, onehot, got, logits)
    ref.train_batch(x.astype(np.float64), onehot.astype(np.float64), want)
    got_views, want_views = fast.views(got), ref.views(want)
    for a, b in zip(got_views[0] + got_views[1], want_views[0] + want_views[1], strict=True):
        b = b[: a.shape[0], : a.shape[1]] if a.ndim == 2 else b[: a.shape[0]]
        assert np.allclose(a, b, rtol=1e-3, atol=1e-4)
    assert np.allclose(fast.logits(np.ascontiguousarray(x)), logits.T, atol=1e-5)


def test_a_network_refuses_rows_of_the_wrong_length():
    net = Network((10, 5, 3), "relu", path="portable")
    with pytest.raises(ValueError, match="rows of 10 values"):
        net.logits(np.zeros((2, 9), np.float32))


def test_thin_needs_float32():
    with pytest.raises(ValueError, match="float32"):
        Network((10, 5, 3), "relu", dtype=np.float64, path="avx2")
