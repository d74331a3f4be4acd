"""The numeric core of the trainer: an MLP with hand-written backprop, and Keras's Adam.

All kernels and biases are views into one flat parameter vector, and all gradients into one
flat gradient vector, so an Adam step is seven whole-vector calls however many layers there
are. Forward and backward write into buffers preallocated per batch size; the per-sample work
is inside BLAS matrix products (float32 GEMMs), and no float64 enters the training loop.

Determinism: OpenBLAS splits a product over its output rows and columns, never over the sum,
so each value is summed in the same order whatever the thread count, and the elementwise
BLAS calls (axpy, scal) have no sums at all. `blas_threads(1)` pins numpy's and scipy's
OpenBLAS to one thread anyway (through their C API, as threadpoolctl would), which is also
the fastest setting for these thin products.
"""

from __future__ import annotations

import contextlib
import ctypes
import glob
import math
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


PAD = 4  # the first hidden layer is padded to a multiple of 4 units: OpenBLAS's float32 GEMM
# kernels work in blocks of 4 or 8 units, so e.g. 16 units cost less than 15 and 20 less than 19;
# its forward product is x @ kernel.T (blocks of 8) when the width is a multiple of 8, else
# kernel @ x.T (blocks of 4), whichever is faster (measured: bench/train.py --shapes)
RESCALE_EVERY = 64  # Adam steps between folding the decay factors back into m and v


class _Workspace:
    """Buffers for one batch size, feature-major (units x batch)."""

    def __init__(self, batch: int, sizes: Sequence[int], dtype: np.dtype):
        hidden = sizes[1:-1]
        # hidden activations carry a row of ones under them: the next layer's bias input
        self.acts = [np.empty((n + 1, batch), dtype) for n in hidden]
        for act in self.acts:
            act[-1] = 1
        self.outputs = [act[:-1] for act in self.acts] + [np.empty((sizes[-1], batch), dtype)]
        # W.T @ delta also yields a row for the bias input, unused: deltas are views without it
        self.back = [np.empty((n + 1, batch), dtype) for n in hidden]
        self.deltas = [b[:-1] for b in self.back] + [np.empty((sizes[-1], batch), dtype)]
        self.scratch = [np.empty((n, batch), dtype) for n in sizes[1:]]
        self.zeros = [np.zeros((n, batch), dtype) for n in sizes[1:]]
        self.first = np.empty((batch, sizes[1]), dtype)  # batch-major first-layer product
        self.ones = np.ones(batch, dtype)
        self.column = np.empty(batch, dtype)


def cross_entropy(logits: np.ndarray, labels: np.ndarray) -> tuple[float, int]:
    """Mean softmax cross-entropy of logits (N x classes) for labels, and the correct count.

    Computed in the logits' precision; a prediction is argmax's (the first of tied maxima).
    """
    n = len(labels)
    if n == 0:
        return math.nan, 0
    z = np.array(logits, copy=True).T  # classes x N: contiguous when `logits` is a transpose
    top = np.maximum.reduce(z, axis=0)
    first = np.full(n, len(z))  # per column, the first class reaching the maximum
    for c in range(len(z) - 1, -1, -1):  # a few classes: faster than argmax along columns
        first[z[c] == top] = c
    z -= top
    log_sums = np.log(np.add.reduce(np.exp(z), axis=0))
    loss = float(np.mean(log_sums - z[labels, np.arange(n)], dtype=np.float64))
    return loss, int(np.count_nonzero(first == labels))


class Network:
    """A dense MLP (inputs, hidden..., outputs) with one activation on every hidden layer.

    `params` is the flat parameter vector: the first layer's kernel, stored transposed (units x
    inputs, as torch stores it, the faster layout for its thin GEMMs), and its bias; then each
    later layer as one (units x inputs + 1) matrix [kernel | bias]. Activations are kept
    feature-major (units x batch) with a row of ones under them, so a later layer's forward
    product and its kernel-and-bias gradient are one GEMM each. `kernels[i]` and `biases[i]`
    are views into `params`. The first hidden layer carries up to PAD - 1 extra units whose
    weights are zero and stay zero (their activations are held at 0, so no gradient reaches
    them); `weights()` drops them.
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
        self._matrices = self._layer_matrices(self.params)
        self._bias_column = self.biases[0][:, None]
        # 0-d operands: numpy converts a Python scalar afresh on every call
        self._one, self._slope = np.array(1, self.dtype), np.array(LEAKY_SLOPE, self.dtype)
        self._workspaces: dict[int, _Workspace] = {}
        self._grad: np.ndarray | None = None  # the gradient vector `_grad_views` look into
        self._grad_views: tuple[np.ndarray, np.ndarray, list[np.ndarray]] | None = None

    def _pairs(self) -> list[tuple[int, int]]:
        return list(zip(self.inner_sizes[:-1], self.inner_sizes[1:], strict=True))

    def _layer_matrices(self, flat: np.ndarray) -> list[np.ndarray]:
        """The first kernel (units x inputs), then [kernel | bias] (units x inputs + 1) views."""
        (fan_in, fan_out), *rest = self._pairs()
        matrices = [flat[: fan_in * fan_out].reshape(fan_out, fan_in)]
        at = fan_in * fan_out + fan_out
        for fan_in, fan_out in rest:
            matrices.append(flat[at : at + (fan_in + 1) * fan_out].reshape(fan_out, fan_in + 1))
            at += (fan_in + 1) * fan_out
        return matrices

    def views(self, flat: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Transposed kernel (units x inputs) and bias views into a vector laid out as `params`."""
        first, *rest = self._layer_matrices(flat)
        bias = flat[first.size : first.size + first.shape[0]]
        return [first] + [m[:, :-1] for m in rest], [bias] + [m[:, -1] for m in rest]

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

    def _activate(self, i: int, ws: _Workspace) -> None:
        z = ws.outputs[i]
        if self.activation == "relu":
            np.maximum(z, ws.zeros[i], out=z)
        elif self.activation == "leaky_relu":
            np.multiply(z, self._slope, out=ws.scratch[i])
            np.maximum(z, ws.scratch[i], out=z)
        elif self.activation == "tanh":
            np.tanh(z, out=z)
        else:
            expit(z, out=z)
            if i == 0 and self.padded:
                z[self.sizes[1] :] = 0  # sigmoid(0) = 0.5: hold padding units at 0

    def _derivative(self, i: int, ws: _Workspace) -> None:
        """delta *= activation'(z), computed from the activation's output a."""
        a, delta, scratch = ws.outputs[i], ws.deltas[i], ws.scratch[i]
        if self.activation in ("relu", "leaky_relu"):
            np.sign(a, out=scratch)  # 1 where z > 0, else 0 (relu) or -1 or 0 (leaky)
            if self.activation == "leaky_relu":
                np.maximum(scratch, self._slope, out=scratch)
            np.multiply(delta, scratch, out=delta)
        elif self.activation == "tanh":
            np.square(a, out=scratch)
            np.subtract(self._one, scratch, out=scratch)
            np.multiply(delta, scratch, out=delta)
        else:
            np.subtract(self._one, a, out=scratch)
            np.multiply(scratch, a, out=scratch)
            np.multiply(delta, scratch, out=delta)

    def _forward(self, x: np.ndarray, ws: _Workspace) -> np.ndarray:
        """Output-layer values (outputs x batch) for inputs x (batch x inputs)."""
        outputs = ws.outputs
        if self.inner_sizes[1] % 8 == 0:
            np.dot(x, self._matrices[0].T, out=ws.first)
            np.add(ws.first.T, self._bias_column, out=outputs[0])
        else:
            np.dot(self._matrices[0], x.T, out=outputs[0])
            np.add(outputs[0], self._bias_column, out=outputs[0])
        for i in range(1, len(self._matrices)):
            self._activate(i - 1, ws)
            np.dot(self._matrices[i], ws.acts[i - 1], out=outputs[i])
        return outputs[-1]

    def _workspace(self, batch: int) -> _Workspace:
        ws = self._workspaces.get(batch)
        if ws is None:
            ws = self._workspaces[batch] = _Workspace(batch, self.inner_sizes, self.dtype)
        return ws

    def logits(self, x: np.ndarray, chunk: int = 1024) -> np.ndarray:
        """Output-layer values (N x outputs) for inputs x (N x inputs), already rescaled."""
        x = np.ascontiguousarray(x, self.dtype)
        out = np.empty((len(x), self.sizes[-1]), self.dtype)
        for start in range(0, len(x), chunk):
            part = x[start : start + chunk]
            out[start : start + len(part)] = self._forward(part, self._workspace(len(part))).T
        return out

    def train_batch(
        self,
        x: np.ndarray,
        onehot: np.ndarray,
        grad: np.ndarray,
        logits: np.ndarray | None = None,
    ) -> None:
        """Backprop one batch: `grad` = d(summed softmax cross-entropy)/d(params).

        x is (batch x inputs), C-contiguous; `onehot` (outputs x batch) marks each input's
        label. The batch's logits (outputs x batch) are copied into `logits` if given. The
        sum's gradient is `batch` times the mean's: Adam takes that as its `grad_scale`.
        """
        ws = self._workspace(len(x))
        out = self._forward(x, ws)
        if logits is not None:
            np.copyto(logits, out)
        # d(loss)/d(logits) = softmax - onehot; softmax shifted by the column maximum
        e = ws.scratch[-1]
        np.maximum.reduce(out, axis=0, out=ws.column)
        np.subtract(out, ws.column, out=e)
        np.exp(e, out=e)
        np.add.reduce(e, axis=0, out=ws.column)
        np.divide(e, ws.column, out=e)
        np.subtract(e, onehot, out=ws.deltas[-1])
        self._backward(x, ws, grad)

    def _backward(self, x: np.ndarray, ws: _Workspace, grad: np.ndarray) -> None:
        if grad is not self._grad:
            matrices = self._layer_matrices(grad)
            bias = grad[matrices[0].size : matrices[0].size + matrices[0].shape[0]]
            self._grad, self._grad_views = grad, (matrices[0], bias, matrices)
        grad_kernel, grad_bias, grad_matrices = self._grad_views
        for i in range(len(self._matrices) - 1, 0, -1):
            np.dot(ws.deltas[i], ws.acts[i - 1].T, out=grad_matrices[i])
            np.dot(self._matrices[i].T, ws.deltas[i], out=ws.back[i - 1])
            self._derivative(i - 1, ws)
        np.dot(ws.deltas[0], x, out=grad_kernel)  # no input gradient: nothing needs it
        np.dot(ws.deltas[0], ws.ones, out=grad_bias)

    def loss_and_grad(
        self, x: np.ndarray, labels: np.ndarray, grad: np.ndarray, scale: float = 1.0
    ) -> tuple[float, int]:
        """Mean softmax cross-entropy on a batch; writes scale * d(loss)/d(params) into `grad`.

        Returns (loss, number of correct predictions in the batch).
        """
        batch = len(x)
        onehot = np.zeros((self.sizes[-1], batch), self.dtype)
        onehot[labels, np.arange(batch)] = 1
        logits = np.empty((self.sizes[-1], batch), self.dtype)
        self.train_batch(np.ascontiguousarray(x, self.dtype), onehot, grad, logits)
        grad *= scale / batch
        return cross_entropy(logits.T, labels)


class Adam:
    """Adam as Keras implements it (epsilon added to the uncorrected sqrt(v)), on flat vectors.

    `step` takes the gradient times any factor (`grad_scale`: the trainer passes the batch sum,
    batch x the mean's gradient). m and v are kept divided by beta1^k and beta2^k, k the steps
    since they were last rescaled (at most RESCALE_EVERY), so their decay and the gradient's
    factor fold into the scalars of BLAS axpy calls: seven whole-vector calls per step. The
    update is algebraically Keras's.
    """

    def __init__(
        self,
        size: int,
        settings: AdamSettings = AdamSettings(),
        dtype=np.float32,
        grad_scale: float = 1.0,
    ):
        from scipy.linalg.blas import get_blas_funcs

        self.settings = settings
        self.grad_scale = grad_scale
        self.m = np.zeros(size, dtype)  # Keras's m / beta1^k
        self.v = np.zeros(size, dtype)  # Keras's v / beta2^k
        self.steps = 0
        self._k = 0
        self._axpy, self._scal = get_blas_funcs(("axpy", "scal"), dtype=np.dtype(dtype))

    def _add_scaled(self, x: np.ndarray, y: np.ndarray, factor: float) -> None:
        """y += factor * x in place (BLAS axpy; copied back if y was not a BLAS-ready array)."""
        out = self._axpy(x, y, a=factor)
        if out is not y:
            y[...] = out

    def step(self, params: np.ndarray, grad: np.ndarray, grad_scale: float | None = None) -> None:
        """One update of `params` in place from `grad` = grad_scale x the loss gradient.

        `grad` is overwritten (used as scratch); it must be a contiguous vector.
        """
        s = self.settings
        if self._k == RESCALE_EVERY:
            self.m = self._scal(s.beta1**self._k, self.m)  # in place (BLAS scal)
            self.v = self._scal(s.beta2**self._k, self.v)
            self._k = 0
        self.steps += 1
        self._k += 1
        r = 1.0 / (self.grad_scale if grad_scale is None else grad_scale)
        decay1, root2 = s.beta1**self._k, math.sqrt(s.beta2**self._k)
        alpha = s.learning_rate * math.sqrt(1 - s.beta2**self.steps) / (1 - s.beta1**self.steps)
        g = grad  # used as scratch once m has it: one vector less to stream through the cache
        self._add_scaled(g, self.m, (1 - s.beta1) * r / decay1)  # m = beta1 m + (1 - beta1) g
        np.square(g, out=g)  # v = beta2 v + (1 - beta2) g^2
        self._add_scaled(g, self.v, (1 - s.beta2) * r * r / root2**2)
        np.sqrt(self.v, out=g)  # params -= alpha m / (sqrt(v) + epsilon)
        g += s.epsilon / root2
        np.divide(self.m, g, out=g)
        self._add_scaled(g, params, -alpha * decay1 / root2)


def _openblas_controls() -> list[tuple[object, object]]:
    """(set_num_threads, get_num_threads) of numpy's and scipy's bundled OpenBLAS, if found."""
    import scipy

    found = []
    for package in (np, scipy):
        libs = os.path.join(os.path.dirname(package.__file__) + ".libs", "*openblas*")
        for path in sorted(glob.glob(libs)):
            try:
                lib = ctypes.CDLL(path)
            except OSError:
                continue
            for name in (
                "scipy_openblas_set_num_threads64_",
                "scipy_openblas_set_num_threads",
                "openblas_set_num_threads64_",
                "openblas_set_num_threads",
            ):
                setter = getattr(lib, name, None)
                getter = getattr(lib, name.replace("set_", "get_"), None)
                if setter is not None and getter is not None:
                    getter.restype = ctypes.c_int
                    found.append((setter, getter))
                    break
    return found


@contextlib.contextmanager
def blas_threads(count: int = 1) -> Iterator[None]:
    """Run the block with numpy's and scipy's OpenBLAS limited to `count` threads.

    A no-op for a library that cannot be found (the results do not depend on it).
    """
    controls = _openblas_controls()
    before = [getter() for _setter, getter in controls]
    for setter, _getter in controls:
        setter(ctypes.c_int(count))
    try:
        yield
    finally:
        for (setter, _getter), threads in zip(controls, before, strict=True):
            setter(ctypes.c_int(threads))
