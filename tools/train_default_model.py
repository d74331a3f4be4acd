"""Train the bundled default model, artgen/data/default_model.json.

A 4-class classifier (Cryptoadz, Cryptopunks, Moonbirds, Nouns) on the default procedural
dataset (seed 0, 1,000 images per class, 32x32x3), hidden layers [12, 8] ReLU, 30 epochs,
training seed 0 (`artgen.training.config.DEFAULT_MODEL_CONFIG`). Training is deterministic,
so a run rewrites the same bytes on the same kind of CPU and kernel path; another CPU or path
(ARTGEN_TRAIN_KERNELS) can move the last bits of the weights (README, Determinism), and then
--check reports a difference that is not a change of recipe.

Run from the project root:
    .venv/bin/python tools/train_default_model.py           # (re)write the bundled model
    .venv/bin/python tools/train_default_model.py --check   # exit 1 if the bundled file differs
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from artgen.datasets import default_dataset  # noqa: E402
from artgen.model import dumps_model, save_model  # noqa: E402
from artgen.training import (  # noqa: E402
    DEFAULT_MODEL,
    DEFAULT_MODEL_CONFIG,
    DEFAULT_MODEL_SEED,
    train,
)


def main(argv: list[str]) -> int:
    data = default_dataset()
    print(data.report(), file=sys.stderr)
    epochs = DEFAULT_MODEL_CONFIG.epochs
    result = train(
        DEFAULT_MODEL_CONFIG,
        data,
        seed=DEFAULT_MODEL_SEED,
        progress=lambda r: print(r.line(epochs), file=sys.stderr),
    )
    text = dumps_model(result.model)
    print(f"held-out accuracy {result.val_accuracy:.4f}, {len(text):,} bytes", file=sys.stderr)
    if "--check" in argv:
        same = DEFAULT_MODEL.exists() and DEFAULT_MODEL.read_text(encoding="utf-8") == text
        print(f"{DEFAULT_MODEL}: {'up to date' if same else 'DIFFERS'}", file=sys.stderr)
        return 0 if same else 1
    save_model(result.model, DEFAULT_MODEL)
    print(f"wrote {DEFAULT_MODEL}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
