"""The one thing pyproject.toml cannot declare without an "experimental" warning: the C
extensions.

artgen/training/_thin.c holds the trainer's first-layer products (AVX2 + FMA register blocks,
chosen at run time; portable loops otherwise). It is optional: where it cannot be compiled, the
install goes on and the trainer uses numpy's BLAS. artgen/training/_mlp.c holds the rest of the
trainer (later layers, softmax and backward pass, Adam, the batch gather, the sigmoid): plain
C, required.
artgen/animation/_gif.c holds the GIF encoder's per-pixel work (change boxes, the lossy LZW
coder): plain C, required (a Python LZW coder would take minutes a preview).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "artgen.training._thin",
            ["artgen/training/_thin.c"],
            extra_compile_args=["-O3"],
            optional=True,
        ),
        # no fused multiply-adds: every value is computed in the order the kernels write it
        Extension(
            "artgen.training._mlp",
            ["artgen/training/_mlp.c"],
            depends=["artgen/training/_mlp_kernels.h"],
            extra_compile_args=["-O3", "-ffp-contract=off", "-fno-math-errno"],
        ),
        Extension("artgen.animation._gif", ["artgen/animation/_gif.c"], extra_compile_args=["-O3"]),
    ]
)
