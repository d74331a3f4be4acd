"""`Dataset`: labelled training images, whichever source they came from (the procedural
default or a folder/ZIP). Its own module so that the loaders import it without importing
the package that calls them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)
class Dataset:
    """Images (uint8, N x H x W x 3, values 0-255) with labels indexing `class_names`."""

    images: np.ndarray
    labels: np.ndarray
    class_names: tuple[str, ...]
    source: str
    skipped: tuple[str, ...] = ()  # unreadable files, for the report

    @property
    def size(self) -> tuple[int, int]:
        return int(self.images.shape[1]), int(self.images.shape[2])

    def __len__(self) -> int:
        return int(self.labels.shape[0])

    def counts(self) -> dict[str, int]:
        """Images per class."""
        found = np.bincount(self.labels, minlength=len(self.class_names))
        return {name: int(c) for name, c in zip(self.class_names, found, strict=True)}

    def report(self) -> str:
        """One line: where the data came from, its size and what was skipped."""
        per_class = ", ".join(f"{k} {v}" for k, v in self.counts().items())
        h, w = self.size
        text = f"{self.source}: {len(self)} images {h}x{w} ({per_class})"
        return text + (f"; skipped {len(self.skipped)} unreadable" if self.skipped else "")
