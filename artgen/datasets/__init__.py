"""Training data: the packaged procedural PFP dataset, or a folder/ZIP of class folders.

`load_dataset(None, ...)` gives the default dataset (seeded, drawn with numpy, cached on disk);
`load_dataset(path, ...)` reads a folder or ZIP with one sub-folder per class. Both give a
`Dataset` of uint8 (N, H, W, 3) images and integer labels. `holdout_split` is the seeded
validation split that training and the intelligence curve share.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from .. import atomic, seeding
from ..images import resize
from . import procedural
from .dataset import Dataset

DEFAULT_SEED = 0
DEFAULT_PER_CLASS = 1000
DEFAULT_SIZE = (procedural.SIZE, procedural.SIZE)
SPLIT_SEED = 123  # the original trainer's shuffle seed; the split depends only on it and N


def cache_dir() -> Path:
    """$ARTGEN_CACHE, or ~/.cache/artgen."""
    env = os.environ.get("ARTGEN_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "artgen"


def default_dataset(
    seed: int = DEFAULT_SEED,
    per_class: int = DEFAULT_PER_CLASS,
    size: tuple[int, int] = DEFAULT_SIZE,
    *,
    cache: bool = True,
) -> Dataset:
    """The procedural PFP dataset (`artgen.datasets.procedural`), resized to `size`, cached."""
    h, w = int(size[0]), int(size[1])
    key = f"procedural-v{procedural.GENERATOR_VERSION}-seed{seed}-n{per_class}-{h}x{w}"
    folder = cache_dir() / "datasets"
    images_path, labels_path = folder / f"{key}-images.npy", folder / f"{key}-labels.npy"
    source = f"default dataset (seed {seed}, {per_class} per class)"
    if cache and images_path.exists() and labels_path.exists():
        try:
            # memory-mapped, read-only: processes training at once share one copy of the pages
            images = np.load(images_path, mmap_mode="r")
            labels = np.load(labels_path)
            count = len(procedural.CLASS_NAMES) * per_class
            if images.shape == (count, h, w, 3) and labels.shape == (count,):
                return Dataset(images, labels, procedural.CLASS_NAMES, source)
        except (OSError, ValueError):
            pass  # a damaged cache file is simply drawn again
    images, labels = procedural.generate(seed, per_class)
    if (h, w) != DEFAULT_SIZE:
        images = resize_batch(images, h, w)
    if cache:  # the images first: a crash between the two writes leaves no labels to trust
        for path, array in ((images_path, images), (labels_path, labels)):
            atomic.write_with(path, lambda f, array=array: np.save(f, array, allow_pickle=False))
        (folder / f"{key}.npz").unlink(missing_ok=True)  # the cache's earlier format
    return Dataset(images, labels, procedural.CLASS_NAMES, source)


def resize_batch(images: np.ndarray, height: int, width: int) -> np.ndarray:
    """Resize uint8 (N, h, w, 3) images bilinearly (as `artgen.images` does) to (N, H, W, 3)."""
    from PIL import Image

    out = np.empty((len(images), height, width, 3), np.uint8)
    for i, image in enumerate(images):
        out[i] = resize(Image.fromarray(image), height, width)
    return out


def load_dataset(
    spec: str | os.PathLike | None,
    size: tuple[int, int] = DEFAULT_SIZE,
    class_names: dict[str, str] | None = None,
) -> Dataset:
    """The default dataset (spec None or "default"), or a folder/ZIP of class folders."""
    if spec is None or str(spec) == "default":
        return default_dataset(size=size)
    from .folder import load_folder

    return load_folder(spec, size, class_names)


def holdout_split(
    count: int, val_percent: float = 10.0, seed: int = SPLIT_SEED
) -> tuple[np.ndarray, np.ndarray]:
    """Seeded (train, validation) index arrays; validation holds round(count * val_percent / 100).

    Both are sorted, so the split depends only on (count, val_percent, seed).
    """
    order = seeding.free_stream(seed, 0, "dataset|holdout").permutation(count)
    n_val = int(round(count * float(val_percent) / 100.0))
    n_val = min(max(n_val, 0), count)
    return np.sort(order[n_val:]), np.sort(order[:n_val])
