"""The trainer's compute kernels: its two C extensions and numpy's BLAS, pinned to one thread,
and the switch that picks the first layer's kernel path.

`_mlp` (_mlp.c and _mlp_kernels.h) holds Keras's Adam update, the batch gather, the layers after
the first (forward; softmax and backward) and the logistic sigmoid: single-threaded, compiled
without fused multiply-adds or reassociation, so every value is computed in the order written,
whatever the machine's thread count. `_thin` (_thin.c) holds the first layer's products; it is
optional, and without it the first layer runs as numpy BLAS GEMMs. The network calls both with
the addresses it keeps (`artgen.training.network`); the functions here take numpy arrays, check
them, and call `_mlp` (the batch gather, and the sigmoid for its tests), or pin numpy's
OpenBLAS to a number of threads through its C API.

The first layer's products (nearly all the FLOPs) have three kernel paths, which sum in
different orders and so give weights that agree only to rounding: "avx2" (`_thin`'s register
blocks, on CPUs with AVX2 and FMA), "portable" (`_thin`'s plain loops) and "blas" (OpenBLAS's
GEMMs, whose kernels OpenBLAS picks for the CPU). By default the trainer takes the first of
them this machine can run; the environment variable ARTGEN_TRAIN_KERNELS picks one for every
trainer in the process (`kernel_path`), for example to compare paths or to pin one on every
worker of a cluster.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import glob
import os
import sys
from collections.abc import Iterator

import numpy as np  # loaded first: its OpenBLAS is the one the trainer uses

from ..errors import ConfigError
from . import _mlp

try:  # built with the package; without it, the first layer uses BLAS
    from . import _thin
except ImportError:  # pragma: no cover - a source tree whose extension was never built
    _thin = None

#: The hidden-layer activations the trainer computes (a subset of `artgen.network.ACTIVATIONS`)
#: and their codes in the C kernels (the enum of _mlp.c, exported by the module).
ACTIVATION_CODES = {
    "relu": _mlp.RELU,
    "leaky_relu": _mlp.LEAKY,
    "tanh": _mlp.TANH,
    "sigmoid": _mlp.SIGMOID,
}
#: The first layer's kernel paths, fastest first, and the variable that picks one of them.
KERNEL_PATHS = ("avx2", "portable", "blas")
KERNELS_VARIABLE = "ARTGEN_TRAIN_KERNELS"
SOURCE_KINDS = {np.dtype(np.uint8): 1, np.dtype(np.float32): 4, np.dtype(np.float64): 8}


def available_kernel_paths() -> tuple[str, ...]:
    """The first-layer kernel paths this machine and build can run, fastest first."""
    if _thin is None:
        return ("blas",)
    return KERNEL_PATHS if _thin.vectorised else KERNEL_PATHS[1:]


def kernel_path(requested: str | None = None) -> str:
    """The first layer's kernel path: `requested`, else ARTGEN_TRAIN_KERNELS, else the fastest
    this machine can run ("auto" asks for that too). A path that is unknown or that this machine
    cannot run is a ConfigError naming where it was asked for."""
    source = None
    if requested is None:
        requested = os.environ.get(KERNELS_VARIABLE, "auto").strip() or "auto"
        source = f"environment variable {KERNELS_VARIABLE}"
    available = available_kernel_paths()
    if requested == "auto":
        return available[0]
    if requested not in KERNEL_PATHS:
        expected = ", ".join(("auto", *KERNEL_PATHS))
        raise ConfigError(f"expected one of {expected}, found {requested!r}", source=source)
    if requested not in available:
        why = "a CPU with AVX2 and FMA" if requested == "avx2" else "the built _thin extension"
        raise ConfigError(
            f"the {requested!r} kernels need {why}; this machine runs {', '.join(available)}",
            source=source,
        )
    return requested


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


def _openblas_controls() -> list[tuple[object, object]]:
    """(set_num_threads, get_num_threads) of numpy's bundled OpenBLAS, and scipy's when scipy
    is loaded (the trainer does not load it; an OpenBLAS not loaded runs no threads)."""
    found = list(_package_controls("numpy"))
    if "scipy" in sys.modules:
        found += _package_controls("scipy")
    return found


@functools.cache
def _package_controls(package: str) -> tuple[tuple[object, object], ...]:
    """The thread controls of the OpenBLAS in a package's .libs folder, if found."""
    folder = os.path.dirname(sys.modules[package].__file__) + ".libs"
    found = []
    for path in sorted(glob.glob(os.path.join(folder, "*openblas*"))):
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
    return tuple(found)


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
