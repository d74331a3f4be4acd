"""The trainer's network: a dense MLP with hand-written backprop on one flat parameter vector.

All kernels and biases are views into one flat parameter vector, and all gradients into one
flat gradient vector, so an Adam step (`artgen.training.adam`) is one fused pass however many
layers there are. Forward and backward write into buffers preallocated per batch size. The
first layer's two products (nearly all the FLOPs) run in `_thin`, a C extension with AVX2 +
FMA register blocks for these thin shapes (a batch of 64, thousands of inputs, a few dozen
units at most), or as BLAS float32 GEMMs where that module is missing or the network is
float64; the later layers, the softmax and the sigmoid run in `_mlp`, another C extension
(`artgen.training.kernels`), one call each instead of a dozen numpy calls per layer. The
addresses of the buffers are kept, so a call costs well under a microsecond. No float64
enters the training loop.

Determinism: `_thin` sums every value in an order fixed by the shapes alone, on one thread;
OpenBLAS splits a product over its output rows and columns, never over the sum, so each value
is summed in the same order whatever the thread count; `_mlp` is single-threaded, compiled
without fused multiply-adds or reassociation, and computes in the order written.
`blas_threads(1)` pins numpy's OpenBLAS to one thread anyway (through its C API, as
threadpoolctl would), the fastest setting for these thin products.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ..network import LEAKY_SLOPE
from .kernels import ACTIVATION_CODES, _mlp, _thin, kernel_path


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


def batch_buffer(rows: int, inputs: int, thin: bool = True) -> np.ndarray:
    """A C-contiguous float32 (rows x ldx) buffer for gathered batches, ldx >= inputs.

    For `_thin` (`thin`), rows are a multiple of 16 floats plus 16 apart, so the rows of a batch
    do not all fall in the same first-level cache sets (3072 floats is exactly 3 x 4 kB); the
    batch is its first `inputs` columns. BLAS wants contiguous rows: then ldx = inputs.
    """
    ldx = -(-inputs // 16) * 16 + 16 if thin else inputs
    return np.empty((rows, ldx), np.float32)


PAD = 4  # with BLAS, the first hidden layer is padded to a multiple of 4 units: OpenBLAS's
# float32 GEMM kernels work in blocks of 4 or 8 units, so e.g. 16 units cost less than 15 and
# 20 less than 19; its forward product is x @ kernel.T (blocks of 8) when the width is a
# multiple of 8, else kernel @ x.T (blocks of 4), whichever is faster (bench/train.py --shapes)


class _Workspace:
    """Buffers for one batch size, feature-major (units x batch).

    `h` stacks every layer's values from the first hidden layer on (activations once activated,
    the output layer's logits), `d` their loss gradients; `ht` and `dt` are sample-major
    scratch for the kernel gradients (`ht` has a column of ones for the bias).
    """

    def __init__(self, batch: int, sizes: Sequence[int], dtype: np.dtype):
        self.rows = np.cumsum([0, *sizes[1:]]).astype(np.int64)  # layer i+1's first row
        self.h = np.empty((self.rows[-1], batch), dtype)
        self.d = np.empty((self.rows[-1], batch), dtype)
        self.first = self.h[: sizes[1]]
        self.first_delta = self.d[: sizes[1]]
        self.logits = self.h[self.rows[-2] :]
        widest = max(sizes[1:])
        self.ht = np.empty((batch, widest + 1), dtype)
        self.dt = np.empty((batch, widest), dtype)
        self.wide = np.empty((batch, sizes[1]), dtype)  # batch-major first-layer product
        self.ones = np.ones(batch, dtype)
        self.batch = batch
        self.addresses = (self.first.ctypes.data, self.first_delta.ctypes.data)  # for _thin
        # for _mlp: addresses of the row table, values and gradients, and the scratch (address,
        # row length) pairs
        self.rows_address = self.rows.ctypes.data
        self.h_address, self.d_address = self.h.ctypes.data, self.d.ctypes.data
        self.scratch = (self.ht.ctypes.data, widest + 1, self.dt.ctypes.data, widest)


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
    later layer as one (units x inputs + 1) matrix [kernel | bias]. The first layer's products
    run on the kernel path `path` (`kernel_path`: "avx2" or "portable" in `_thin`, or "blas");
    a float64 network always uses BLAS. Everything after the first layer's products
    runs in `_mlp` (`forward`, `backward`).
    `kernels[i]` and `biases[i]` are views into `params`. With BLAS the first
    hidden layer carries up to PAD - 1 extra units whose weights are zero and stay zero (their
    activations are held at 0, so no gradient reaches them); `weights()` drops them.
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str,
        dtype=np.float32,
        path: str | None = None,
    ):
        if activation not in ACTIVATION_CODES:
            expected = ", ".join(ACTIVATION_CODES)
            raise ValueError(f"unknown activation {activation!r}; expected one of {expected}")
        self.sizes = tuple(int(s) for s in sizes)
        self.dtype = np.dtype(dtype)
        if self.dtype == np.float32:
            self.path = kernel_path(path)
        elif path in (None, "blas"):
            self.path = "blas"
        else:
            raise ValueError(f"the {path!r} kernels need float32; float64 uses 'blas'")
        self.thin = self.path != "blas"  # first-layer products in _thin
        self._vectorised = int(self.path == "avx2")
        inner = list(self.sizes)
        if len(inner) > 2 and not self.thin:
            inner[1] = -(-inner[1] // PAD) * PAD
        self.inner_sizes = tuple(inner)
        self.padded = inner[1] - self.sizes[1]
        self.activation = activation
        counts = [a * b + b for a, b in self._pairs()]
        self.params = np.zeros(sum(counts), self.dtype)
        self._offsets = np.cumsum([0, *counts]).astype(np.int64)  # layer i's first parameter
        self._sizes = np.array(self.inner_sizes, np.int64)
        self._code = ACTIVATION_CODES[activation]
        self._slope = self.dtype.type(LEAKY_SLOPE)
        self.kernels, self.biases = self.views(self.params)
        self._first = self.kernels[0]
        self._bias_column = self.biases[0][:, None]
        self._addresses = (self._first.ctypes.data, self.biases[0].ctypes.data)  # for _thin
        self._tables = (self._offsets.ctypes.data, self._sizes.ctypes.data)  # for _mlp
        self._params_address = self.params.ctypes.data
        self._workspaces: dict[int, _Workspace] = {}
        self._grad: np.ndarray | None = None  # the gradient vector `_grad_views` look into
        self._grad_views: tuple[np.ndarray, np.ndarray] | None = None
        self._grad_address = 0

    def _pairs(self) -> list[tuple[int, int]]:
        return list(zip(self.inner_sizes[:-1], self.inner_sizes[1:], strict=True))

    def views(self, flat: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Transposed kernel (units x inputs) and bias views into a vector laid out as `params`."""
        (fan_in, fan_out), *rest = self._pairs()
        kernels = [flat[: fan_in * fan_out].reshape(fan_out, fan_in)]
        biases = [flat[fan_in * fan_out : fan_in * fan_out + fan_out]]
        at = fan_in * fan_out + fan_out
        for fan_in, fan_out in rest:
            matrix = flat[at : at + (fan_in + 1) * fan_out].reshape(fan_out, fan_in + 1)
            kernels.append(matrix[:, :-1])
            biases.append(matrix[:, -1])
            at += (fan_in + 1) * fan_out
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

    def _forward(self, x: np.ndarray, ws: _Workspace, at: int | None = None) -> np.ndarray:
        """Output-layer values (outputs x batch) for inputs x (batch x inputs) at address `at`."""
        if self.thin:
            batch, inputs = x.shape
            if inputs != self.sizes[0] or x.dtype != np.float32 or x.strides[1] != 4:
                raise ValueError(f"expected float32 rows of {self.sizes[0]} values, got {x.shape}")
            kernel, bias = self._addresses
            at = x.ctypes.data if at is None else at
            units, ldx = self.inner_sizes[1], x.strides[0] // 4
            z = ws.addresses[0]
            _thin.forward(kernel, at, bias, z, units, batch, inputs, ldx, self._vectorised)
        elif self.inner_sizes[1] % 8 == 0:
            np.dot(x, self._first.T, out=ws.wide)
            np.add(ws.wide.T, self._bias_column, out=ws.first)
        else:
            np.dot(self._first, x.T, out=ws.first)
            np.add(ws.first, self._bias_column, out=ws.first)
        p, code, slope = self.dtype.itemsize, self._code, self._slope
        offsets, sizes = self._tables
        h = ws.h_address
        args = (p, self._params_address, offsets, ws.rows_address, sizes, code, slope, h, ws.batch)
        layers = len(self.inner_sizes) - 1
        if code in (_mlp.RELU, _mlp.LEAKY):
            _mlp.forward(*args, 1, layers)
            return ws.logits
        for i in range(1, layers):  # tanh in numpy (SIMD), the sigmoid in _mlp
            top, end = ws.rows[i - 1], ws.rows[i]
            if code == _mlp.TANH:
                a = ws.h[top:end]
                np.tanh(a, out=a)
            else:
                _mlp.sigmoid(p, h + int(top) * ws.batch * p, int(end - top) * ws.batch)
                if i == 1 and self.padded:
                    ws.h[self.sizes[1] : end] = 0  # sigmoid(0) = 0.5: hold padding units at 0
            _mlp.forward(*args, i, i + 1)
        return ws.logits

    def _workspace(self, batch: int) -> _Workspace:
        ws = self._workspaces.get(batch)
        if ws is None:
            ws = self._workspaces[batch] = _Workspace(batch, self.inner_sizes, self.dtype)
        return ws

    def _rows(self, x: np.ndarray) -> np.ndarray:
        """x as rows of contiguous values in the network's precision (a copy only if needed)."""
        if x.dtype != self.dtype or x.strides[-1] != x.itemsize or x.strides[0] < 0:
            return np.ascontiguousarray(x, self.dtype)
        return x

    def logits(self, x: np.ndarray, chunk: int = 1024) -> np.ndarray:
        """Output-layer values (N x outputs) for inputs x (N x inputs), already rescaled."""
        x = self._rows(x)
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

        x is (batch x inputs) in the network's precision, each row contiguous (rows may be
        further apart: `batch_buffer`); `onehot` (outputs x batch) marks each input's label.
        The batch's logits (outputs x batch) are copied into `logits` if given. The sum's
        gradient is `batch` times the mean's: Adam takes that as its `grad_scale`.
        """
        x = self._rows(x)
        ws = self._workspace(len(x))
        p = self.dtype.itemsize
        at = x.ctypes.data if self.thin else None
        out = self._forward(x, ws, at)
        if logits is not None:
            np.copyto(logits, out)
        if grad is not self._grad:
            if grad.shape != self.params.shape or grad.dtype != self.dtype:
                raise ValueError(f"expected a gradient vector like params, got {grad.shape}")
            kernel, bias = grad[: self._first.size], grad[self._first.size : self._offsets[1]]
            self._grad, self._grad_views = grad, (kernel.reshape(self._first.shape), bias)
            self._grad_address = kernel.ctypes.data
        if onehot.shape != ws.logits.shape or onehot.dtype != self.dtype or onehot.strides[1] != p:
            raise ValueError(f"expected one-hot labels of shape {ws.logits.shape}")
        offsets, sizes = self._tables
        _mlp.backward(
            p,
            self._params_address,
            self._grad_address,
            offsets,
            ws.rows_address,
            sizes,
            len(self.inner_sizes) - 1,
            self._code,
            self._slope,
            ws.h_address,
            ws.d_address,
            ws.batch,
            onehot.ctypes.data,
            onehot.strides[0] // p,
            *ws.scratch,
        )
        kernel_grad, bias_grad = self._grad_views
        if self.thin:
            units, ldx = self.inner_sizes[1], x.strides[0] // 4
            d, g, inputs = ws.addresses[1], self._grad_address, x.shape[1]
            _thin.gradient(d, at, g, units, len(x), inputs, ldx, self._vectorised)
        else:
            np.dot(ws.first_delta, x, out=kernel_grad)
        np.dot(ws.first_delta, ws.ones, out=bias_grad)  # no input gradient: nothing needs it

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
