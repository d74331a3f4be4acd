"""The numeric core of the trainer: an MLP with hand-written backprop, and Keras's Adam.

All kernels and biases are views into one flat parameter vector, and all gradients into one
flat gradient vector, so the Adam step is a dozen whole-vector numpy operations however many
layers there are. Forward and backward write into buffers preallocated per batch size; the
only per-sample work is inside BLAS matrix products (float32 GEMMs).

Determinism: OpenBLAS splits a product over its output rows and columns, never over the sum,
so each value is summed in the same order whatever the thread count. `blas_threads(1)` pins
numpy's OpenBLAS to one thread anyway (through its C API, as threadpoolctl would), which is
also the fastest setting for these thin products.
"""

from __future__ import annotations

import contextlib
import ctypes
import glob
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import expit

ACTIVATIONS = ("relu", "leaky_relu", "tanh", "sigmoid")
LEAKY_SLOPE = 0.2  # keras.activations.relu(x, alpha=0.2), as the original trainer used


@dataclass(frozen=True)
class AdamSettings:
    """Keras defaults: learning rate 1e-3, beta1 0.9, beta2 0.999, epsilon 1e-7."""

    learning_rate: float = 1e-3
    beta1: float = 0.9
    beta2: float = 0.999
    epsilon: float = 1e-7


def glorot_uniform(gen: np.random.Generator, fan_in: int, fan_out: int) -> np.ndarray:
    """A (fan_in, fan_out) float32 kernel uniform in +-sqrt(6 / (fan_in + fan_out))."""
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return gen.uniform(-limit, limit, (fan_in, fan_out)).astype(np.float32)


def initial_weights(
    gen: np.random.Generator, sizes: Sequence[int]
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Glorot-uniform kernels and zero biases for layer sizes (inputs, hidden..., outputs)."""
    return [
        (glorot_uniform(gen, fan_in, fan_out), np.zeros(fan_out, np.float32))
        for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=True)
    ]


PAD = 8  # the first hidden layer is padded to a multiple of 8 units: OpenBLAS's GEMM kernels
# work in blocks of 8 columns, so e.g. 16 units cost less than 15 (measured: bench/train.py)


class _Workspace:
    """Buffers for one batch size: activations, deltas and scratch per layer."""

    def __init__(self, batch: int, sizes: Sequence[int], dtype: np.dtype):
        self.acts = [np.empty((batch, n), dtype) for n in sizes[1:]]
        self.deltas = [np.empty((batch, n), dtype) for n in sizes[1:]]
        self.scratch = [np.empty((batch, n), dtype) for n in sizes[1:]]
        self.masks = [np.empty((batch, n), bool) for n in sizes[1:]]
        self.rows = np.arange(batch)
        self.ones = np.ones(batch, dtype)


class Network:
    """A dense MLP (inputs, hidden..., outputs) with one activation on every hidden layer.

    `params` is the flat parameter vector; `kernels[i]` and `biases[i]` are views into it. A
    kernel is stored transposed (units x inputs, as torch stores it): the weight gradient
    delta.T @ inputs is then a faster GEMM than inputs.T @ delta for these thin matrices.
    The first hidden layer carries up to PAD - 1 extra units whose weights are zero and stay
    zero (their activations are held at 0, so no gradient reaches them); `weights()` drops them.
    """

    def __init__(self, sizes: Sequence[int], activation: str, dtype=np.float32):
        if activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation {activation!r}; expected one of {ACTIVATIONS}")
        self.sizes = tuple(int(s) for s in sizes)
        inner = list(self.sizes)
        if len(inner) > 2:
            inner[1] = -(-inner[1] // PAD) * PAD
        self.inner_sizes = tuple(inner)
        self.padded = inner[1] - self.sizes[1]
        self.activation = activation
        self.dtype = np.dtype(dtype)
        self.params = np.zeros(sum(a * b + b for a, b in self._pairs()), self.dtype)
        self.kernels, self.biases = self.views(self.params)
        self._workspaces: dict[int, _Workspace] = {}
        self._grad_views: tuple[int, tuple[list[np.ndarray], list[np.ndarray]]] | None = None

    def _pairs(self) -> list[tuple[int, int]]:
        return list(zip(self.inner_sizes[:-1], self.inner_sizes[1:], strict=True))

    def views(self, flat: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Transposed kernel (units x inputs) and bias views into a vector laid out as `params`."""
        kernels, biases, at = [], [], 0
        for fan_in, fan_out in self._pairs():
            kernels.append(flat[at : at + fan_in * fan_out].reshape(fan_out, fan_in))
            at += fan_in * fan_out
            biases.append(flat[at : at + fan_out])
            at += fan_out
        return kernels, biases

    def set_weights(self, weights: Sequence[tuple[np.ndarray, np.ndarray]]) -> None:
        """Copy (kernel (inputs x units), bias) pairs in."""
        self.params[...] = 0
        for (k, b), kv, bv in zip(weights, self.kernels, self.biases, strict=True):
            k = np.asarray(k)
            kv[: k.shape[1], : k.shape[0]] = k.T
            bv[: len(b)] = b

    def weights(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """Float32 copies of the (kernel (inputs x units), bias) pairs, without padding."""
        out = []
        for fan_in, fan_out, k, b in zip(
            self.sizes[:-1], self.sizes[1:], self.kernels, self.biases, strict=True
        ):
            out.append(
                (
                    np.ascontiguousarray(k[:fan_out, :fan_in].T, np.float32),
                    b[:fan_out].astype(np.float32),
                )
            )
        return out

    def _activate(self, z: np.ndarray, scratch: np.ndarray) -> None:
        if self.activation == "relu":
            np.maximum(z, 0, out=z)
        elif self.activation == "leaky_relu":
            np.multiply(z, LEAKY_SLOPE, out=scratch)
            np.maximum(z, scratch, out=z)
        elif self.activation == "tanh":
            np.tanh(z, out=z)
        else:
            expit(z, out=z)

    def _derivative(
        self, a: np.ndarray, delta: np.ndarray, scratch: np.ndarray, mask: np.ndarray
    ) -> None:
        """delta *= activation'(z), computed from the activation's output a."""
        if self.activation == "relu":
            np.greater(a, 0, out=mask)
            np.multiply(delta, mask, out=delta)
        elif self.activation == "leaky_relu":
            np.greater(a, 0, out=mask)
            np.multiply(mask, 1.0 - LEAKY_SLOPE, out=scratch)
            scratch += LEAKY_SLOPE
            delta *= scratch
        elif self.activation == "tanh":
            np.multiply(a, a, out=scratch)
            np.subtract(1, scratch, out=scratch)
            delta *= scratch
        else:
            np.subtract(1, a, out=scratch)
            scratch *= a
            delta *= scratch

    def _forward(self, x: np.ndarray, ws: _Workspace) -> np.ndarray:
        last = len(self.kernels) - 1
        inp = x
        for i, (k, b) in enumerate(zip(self.kernels, self.biases, strict=True)):
            z = ws.acts[i]
            np.matmul(inp, k.T, out=z)
            z += b
            if i < last:
                self._activate(z, ws.scratch[i])
                if i == 0 and self.padded and self.activation == "sigmoid":
                    z[:, self.sizes[1] :] = 0  # sigmoid(0) = 0.5: hold padding units at 0
            inp = z
        return inp

    def _workspace(self, batch: int) -> _Workspace:
        ws = self._workspaces.get(batch)
        if ws is None:
            ws = self._workspaces[batch] = _Workspace(batch, self.inner_sizes, self.dtype)
        return ws

    def logits(self, x: np.ndarray, chunk: int = 1024) -> np.ndarray:
        """Output-layer values for inputs x (N, inputs), already rescaled."""
        out = np.empty((len(x), self.sizes[-1]), self.dtype)
        for start in range(0, len(x), chunk):
            part = x[start : start + chunk]
            out[start : start + len(part)] = self._forward(part, self._workspace(len(part)))
        return out

    def loss_and_grad(
        self, x: np.ndarray, labels: np.ndarray, grad: np.ndarray, scale: float = 1.0
    ) -> tuple[float, int]:
        """Mean softmax cross-entropy on a batch; writes scale * d(loss)/d(params) into `grad`.

        Returns (loss, number of correct predictions in the batch).
        """
        batch = len(x)
        ws = self._workspace(batch)
        logits = self._forward(x, ws)
        correct = int(np.count_nonzero(logits.argmax(axis=1) == labels))
        # Softmax cross-entropy, stable: shift by the row maximum.
        d, e = ws.deltas[-1], ws.scratch[-1]
        np.subtract(logits, logits.max(axis=1, keepdims=True), out=d)
        np.exp(d, out=e)
        sums = e.sum(axis=1)
        loss = float(np.mean(np.log(sums) - d[ws.rows, labels]))
        sums *= batch / scale
        np.divide(e, sums[:, None], out=d)
        d[ws.rows, labels] -= scale / batch
        if self._grad_views is None or self._grad_views[0] != grad.ctypes.data:
            self._grad_views = (grad.ctypes.data, self.views(grad))
        gk, gb = self._grad_views[1]
        for i in range(len(self.kernels) - 1, -1, -1):
            inp = x if i == 0 else ws.acts[i - 1]
            np.matmul(ws.deltas[i].T, inp, out=gk[i])
            np.matmul(ws.ones, ws.deltas[i], out=gb[i])
            if i > 0:
                np.matmul(ws.deltas[i], self.kernels[i], out=ws.deltas[i - 1])
                self._derivative(
                    ws.acts[i - 1], ws.deltas[i - 1], ws.scratch[i - 1], ws.masks[i - 1]
                )
        return loss, correct


class Adam:
    """Adam as Keras implements it (epsilon added to the uncorrected sqrt(v)), on flat vectors.

    To save whole-vector passes, `step` expects the gradient already multiplied by
    `grad_scale` = 1 - beta1 (backprop does it for free) and keeps v multiplied by
    (1 - beta1)^2 / (1 - beta2); m is Keras's m. The update is algebraically Keras's.
    """

    def __init__(self, size: int, settings: AdamSettings = AdamSettings(), dtype=np.float32):
        self.settings = settings
        self.grad_scale = 1.0 - settings.beta1
        self.m = np.zeros(size, dtype)
        self.v = np.zeros(size, dtype)
        self._a = np.empty(size, dtype)
        self.steps = 0

    def step(self, params: np.ndarray, scaled_grad: np.ndarray) -> None:
        """One update of `params` in place from (1 - beta1) * gradient."""
        s = self.settings
        self.steps += 1
        alpha = s.learning_rate * np.sqrt(1 - s.beta2**self.steps) / (1 - s.beta1**self.steps)
        k = np.sqrt(1 - s.beta2) / (1 - s.beta1)  # sqrt(Keras v) = k * sqrt(our v)
        a = self._a
        self.m *= s.beta1  # m = beta1 m + (1 - beta1) g
        self.m += scaled_grad
        np.multiply(scaled_grad, scaled_grad, out=a)  # v = beta2 v + ((1 - beta1) g)^2
        self.v *= s.beta2
        self.v += a
        np.sqrt(self.v, out=a)  # params -= alpha m / (k sqrt(v) + epsilon)
        a += s.epsilon / k
        np.divide(self.m, a, out=a)
        a *= alpha / k
        params -= a


def _openblas_setter():
    """numpy's bundled OpenBLAS `set_num_threads`, or None when it cannot be found."""
    libs = os.path.join(os.path.dirname(np.__file__) + ".libs", "*openblas*")
    for path in sorted(glob.glob(libs)):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for name in (
            "scipy_openblas_set_num_threads64_",
            "openblas_set_num_threads64_",
            "openblas_set_num_threads",
        ):
            setter = getattr(lib, name, None)
            getter = getattr(lib, name.replace("set_", "get_"), None)
            if setter is not None and getter is not None:
                getter.restype = ctypes.c_int
                return setter, getter
    return None


@contextlib.contextmanager
def blas_threads(count: int = 1) -> Iterator[None]:
    """Run the block with numpy's OpenBLAS limited to `count` threads (a no-op if unknown)."""
    found = _openblas_setter()
    if found is None:
        yield
        return
    setter, getter = found
    before = getter()
    setter(ctypes.c_int(count))
    try:
        yield
    finally:
        setter(ctypes.c_int(before))
