"""A small dataset the trainer's tests learn quickly: classes told apart by a bright block."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from artgen.datasets import Dataset


def easy_dataset(per_class: int = 40, size: int = 8, classes: int = 3, seed: int = 0) -> Dataset:
    """Classes told apart by where a bright block sits, on noisy random backgrounds."""
    gen = np.random.default_rng(seed)
    n = per_class * classes
    labels = np.repeat(np.arange(classes), per_class)
    images = gen.uniform(0, 120, (n, size, size, 3))
    for k in range(classes):
        at = (k * size) // classes
        images[labels == k, at : at + size // 3, :, :] += 120
    return Dataset(
        images.clip(0, 255).astype(np.uint8), labels, tuple(f"c{k}" for k in range(classes)), "easy"
    )


def easy_folder(root: Path, per_class: int = 8, size: int = 32) -> Path:
    """`easy_dataset` as a dataset folder (one sub-folder of PNGs per class), for commands."""
    data = easy_dataset(per_class, size)
    for i, (image, label) in enumerate(zip(data.images, data.labels, strict=True)):
        folder = root / data.class_names[label]
        folder.mkdir(parents=True, exist_ok=True)
        Image.fromarray(image).save(folder / f"{i}.png")
    return root
