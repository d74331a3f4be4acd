"""numpy's and scipy's bundled OpenBLAS, pinned to a number of threads through their C API."""

from __future__ import annotations

import contextlib
import ctypes
import glob
import os
from collections.abc import Iterator

import numpy as np


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
