"""numpy's (and scipy's) bundled OpenBLAS, pinned to a number of threads through their C API."""

from __future__ import annotations

import contextlib
import ctypes
import functools
import glob
import os
import sys
from collections.abc import Iterator

import numpy  # noqa: F401 - loaded first: its OpenBLAS is the one the trainer uses


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
