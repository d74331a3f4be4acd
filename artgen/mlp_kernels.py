"""The trainer's numba kernels: Adam's fused update, the batch gather, and the layers after the
first (forward, and the softmax plus backward pass).

Compiled without fastmath and run on one thread: every value is computed in the order written,
whatever the machine's thread count. Compiled kernels are cached on disk (NUMBA_CACHE_DIR, by
default ~/.cache/artgen/numba).
"""

from __future__ import annotations

import os

import numpy as np

# numba caches compiled kernels next to the module unless told otherwise, and an installed
# package's directory is not writable: cache them per user instead
os.environ.setdefault(
    "NUMBA_CACHE_DIR", os.path.join(os.path.expanduser("~"), ".cache", "artgen", "numba")
)
from numba import njit  # noqa: E402


@njit(cache=True, error_model="numpy")  # numpy's: no zero-division checks to block SIMD
def adam_step(params, grad, m, v, r, one_minus_b1, one_minus_b2, alpha, eps):
    for i in range(params.size):
        g = grad[i] * r
        mi = m[i] + (g - m[i]) * one_minus_b1
        vi = v[i] + (g * g - v[i]) * one_minus_b2
        m[i] = mi
        v[i] = vi
        params[i] -= alpha * mi / (np.sqrt(vi) + eps)


@njit(cache=True)
def gather_rescaled(source, rows, scale, shift, out):
    """out[i] = source[rows[i]] * scale - shift, in out's precision (a uint8 source is 4x less
    memory to stream than its float32 copy)."""
    for i in range(rows.size):
        row = source[rows[i]]
        dst = out[i]
        for k in range(row.size):  # out's rows may be longer (see `batch_buffer`)
            dst[k] = row[k] * scale - shift


RELU, LEAKY, TANH, SIGMOID = range(4)  # kernel codes of ACTIVATIONS


@njit(cache=True, error_model="numpy")
def forward_rest(params, offsets, rows, sizes, act, slope, h, first, stop):
    """For layers first..stop-1: apply a rectifier (RELU, LEAKY; any other code: the layer is
    activated already) to the layer's values in h, then compute the next layer's values."""
    zero = slope - slope  # in the arrays' precision
    for i in range(first, stop):
        n_in, n_out = sizes[i], sizes[i + 1]
        a = h[rows[i - 1] : rows[i - 1] + n_in]
        for j in range(n_in if act <= LEAKY else 0):
            aj = a[j]
            for s in range(aj.size):
                aj[s] = max(aj[s], zero if act == RELU else slope * aj[s])
        w = params[offsets[i] : offsets[i] + n_out * (n_in + 1)].reshape((n_out, n_in + 1))
        for o in range(n_out):
            zo = h[rows[i] + o]
            zo[:] = w[o, n_in]
            for j in range(n_in):
                wj, aj = w[o, j], a[j]
                for s in range(zo.size):
                    zo[s] += wj * aj[s]


@njit(cache=True, error_model="numpy")
def backward_rest(params, grad, offsets, rows, sizes, act, slope, h, d, onehot, ht, dt):
    """Softmax - onehot into d's output rows, then each later layer's gradient and delta."""
    zero, one = slope - slope, slope / slope
    last = sizes.size - 1
    z, dz = h[rows[last - 1] :], d[rows[last - 1] :]
    for s in range(z.shape[1]):
        top = z[0, s]
        for c in range(1, z.shape[0]):
            top = max(top, z[c, s])
        total = zero
        for c in range(z.shape[0]):
            e = np.exp(z[c, s] - top)
            dz[c, s] = e
            total += e
        for c in range(z.shape[0]):
            dz[c, s] = dz[c, s] / total - onehot[c, s]
    batch = z.shape[1]
    for i in range(last - 1, 0, -1):
        n_in, n_out = sizes[i], sizes[i + 1]
        a, da = h[rows[i - 1] : rows[i - 1] + n_in], d[rows[i - 1] : rows[i - 1] + n_in]
        dout = d[rows[i] : rows[i] + n_out]
        for s in range(batch):
            for j in range(n_in):
                ht[s, j] = a[j, s]
            ht[s, n_in] = one
            for o in range(n_out):
                dt[s, o] = dout[o, s]
        size = n_out * (n_in + 1)
        g = grad[offsets[i] : offsets[i] + size].reshape((n_out, n_in + 1))
        w = params[offsets[i] : offsets[i] + size].reshape((n_out, n_in + 1))
        g[:] = 0
        for s in range(batch):
            hs = ht[s, : n_in + 1]
            for o in range(n_out):
                go, do = g[o], dt[s, o]
                for j in range(n_in + 1):
                    go[j] += do * hs[j]
        for j in range(n_in):
            dj, aj = da[j], a[j]
            dj[:] = 0
            for o in range(n_out):
                wo, do = w[o, j], dout[o]
                for s in range(batch):
                    dj[s] += wo * do[s]
            for s in range(batch):  # times the activation's derivative, from its output a
                if act == RELU:
                    dj[s] *= one if aj[s] > 0 else zero
                elif act == LEAKY:
                    dj[s] *= one if aj[s] > 0 else slope
                elif act == TANH:
                    dj[s] *= one - aj[s] * aj[s]
                else:
                    dj[s] *= (one - aj[s]) * aj[s]
