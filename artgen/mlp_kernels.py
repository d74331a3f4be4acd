"""The trainer's kernels besides the first layer's products: Keras's Adam update, the batch
gather, the layers after the first (forward; softmax and backward), the logistic sigmoid.

They run in `artgen._mlp`, a C extension (artgen/_mlp.c and _mlp_kernels.h), single-threaded,
compiled without fused multiply-adds or reassociation: every value is computed in the order
written, whatever the machine's thread count. The trainer calls `_mlp` with the addresses it
keeps (`artgen.adam`); the functions here take numpy arrays, check them, and call it (the
batch gather, and the sigmoid for its tests).
"""

from __future__ import annotations

import numpy as np

from artgen import _mlp

RELU, LEAKY, TANH, SIGMOID = range(4)  # kernel codes of ACTIVATIONS
SOURCE_KINDS = {np.dtype(np.uint8): 1, np.dtype(np.float32): 4, np.dtype(np.float64): 8}


def precision(*arrays: np.ndarray) -> int:
    """4 or 8: the item size of float32 or float64 arrays that share it (else ValueError)."""
    dtypes = {a.dtype for a in arrays}
    if len(dtypes) != 1 or dtypes.pop() not in (np.float32, np.float64):
        raise ValueError(f"expected float32 or float64 arrays of one type, got {dtypes}")
    return arrays[0].itemsize


def _contiguous(*arrays: np.ndarray) -> None:
    for a in arrays:
        if not a.flags.c_contiguous:
            raise ValueError("expected C-contiguous arrays")


def gather_rescaled(source: np.ndarray, rows: np.ndarray, scale, shift, out: np.ndarray) -> None:
    """out[i] = source[rows[i]] * scale - shift, in float32 (a uint8 source is 4x less memory
    to stream than its float32 copy); out's rows may be longer (see `batch_buffer`)."""
    kind = SOURCE_KINDS.get(source.dtype)
    if kind is None or source.ndim != 2 or source.strides[1] != source.itemsize:
        raise ValueError(f"expected rows of uint8, float32 or float64 values, got {source.dtype}")
    if out.dtype != np.float32 or out.strides[1] != 4 or out.shape[1] < source.shape[1]:
        raise ValueError("expected float32 rows at least as long as the source's")
    rows = np.ascontiguousarray(rows, np.int64)
    if len(rows) > len(out):
        raise ValueError(f"{len(rows)} rows do not fit in {len(out)}")
    _mlp.gather(
        kind,
        source.ctypes.data,
        len(source),
        source.strides[0] // source.itemsize,
        rows.ctypes.data,
        len(rows),
        scale,
        shift,
        out.ctypes.data,
        out.strides[0] // 4,
        source.shape[1],
    )


def sigmoid(x: np.ndarray) -> None:
    """x = 1 / (1 + exp(-x)) in place, as scipy.special.expit computes it (the same bits)."""
    _contiguous(x)
    _mlp.sigmoid(precision(x), x.ctypes.data, x.size)
