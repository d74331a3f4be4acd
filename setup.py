"""The one thing pyproject.toml cannot declare without an "experimental" warning: the C extension.

artgen/_thin.c holds the trainer's first-layer products (AVX2 + FMA register blocks, chosen at
run time; portable loops otherwise). It is optional: where it cannot be compiled, the install
goes on and the trainer uses numpy's BLAS.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension("artgen._thin", ["artgen/_thin.c"], extra_compile_args=["-O3"], optional=True)
    ]
)
