"""Duplicates: tokens with identical trait sets, and near-identical portraits.

Portraits are compared by fingerprint: a 64-bit DCT pHash of the still (grayscale, resized
to 32 x 32, its orthonormal type-II 2-D DCT, the 8 x 8 lowest frequencies compared with their
median, one bit each) and the still's mean colour. Two portraits are near-identical when the
hashes differ in at most `PHASH_DISTANCE` of the 64 bits (Hamming distance) and the mean
colours differ by at most `COLOR_DISTANCE` levels (of 255) in every channel.

Why both: the pHash sees structure, not colour, and Perceptrons share one layout, so the same
network shape in two palettes hashes within a few bits (measured on 400 rendered portraits:
the closest pairs of different tokens lay 4-8 bits apart, all in different palettes, while
different portraits typically differ by about 30 bits and identical stills by 0).
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image

PHASH_DISTANCE = 6  # bits out of 64: near-identical at or below this Hamming distance
COLOR_DISTANCE = 16  # levels out of 255: largest mean-colour difference of near-identical stills
_SIDE, _LOW = 32, 8  # pHash: resized side, and side of the kept low-frequency block
_CHUNK = 1024  # rows of the pairwise distance matrix computed at once


@dataclass(frozen=True)
class Fingerprint:
    """A still's 64-bit pHash and its mean colour (RGB, 0-255)."""

    phash: int
    color: tuple[int, int, int]


def identical_sets(codes: Sequence[np.ndarray], tokens: np.ndarray) -> list[list[int]]:
    """Groups (two or more token ids) sharing every trait value, ordered by first token."""
    if not codes or len(tokens) == 0:
        return []
    radices = [int(np.max(c)) + 1 for c in codes]
    if math.prod(radices) < 2**63:  # one int64 key per token: a 1-D unique is much faster
        rows = np.zeros(len(tokens), dtype=np.int64)
        for c, radix in zip(codes, radices, strict=True):
            rows = rows * radix + np.asarray(c, dtype=np.int64)
    else:
        rows = np.stack([np.asarray(c) for c in codes], axis=1)
    _, inverse, counts = np.unique(rows, axis=0, return_inverse=True, return_counts=True)
    inverse = inverse.reshape(-1)
    dup = np.flatnonzero(counts[inverse] > 1)
    groups: dict[int, list[int]] = {}
    for i in dup.tolist():
        groups.setdefault(int(inverse[i]), []).append(int(tokens[i]))
    return sorted((sorted(g) for g in groups.values()), key=lambda g: g[0])


def _open(image: Image.Image | str | os.PathLike) -> Image.Image:
    """RGB pixels of an image, or of an image file read as any input is (`artgen.images`:
    a regular file, an accepted format, pixels within budget; ImageError or LimitError)."""
    if isinstance(image, Image.Image):
        return image.convert("RGB")
    from artgen.images import read_image

    with read_image(image) as im:
        return im.convert("RGB")


def phash(image: Image.Image | str | os.PathLike) -> int:
    """The 64-bit DCT perceptual hash of an image (or an image file)."""
    from scipy import fft  # here, not at the top: `artgen audit --help` reads this module

    gray = _open(image).convert("L").resize((_SIDE, _SIDE), Image.Resampling.LANCZOS)
    pixels = np.asarray(gray, dtype=np.float64)
    low = fft.dctn(pixels, type=2, norm="ortho")[:_LOW, :_LOW].reshape(-1)
    bits = low > np.median(low)
    return int(sum(1 << i for i, b in enumerate(bits.tolist()) if b))


def fingerprint(image: Image.Image | str | os.PathLike) -> Fingerprint:
    """The pHash and mean colour of an image (or an image file)."""
    rgb = _open(image)
    mean = np.asarray(rgb, dtype=np.float64).reshape(-1, 3).mean(axis=0)
    return Fingerprint(phash(rgb), tuple(int(round(c)) for c in mean.tolist()))  # type: ignore[arg-type]


def hamming(a: int, b: int) -> int:
    """How many of the 64 bits differ."""
    return (a ^ b).bit_count()


def near_duplicates(
    prints: dict[int, Fingerprint],
    distance: int = PHASH_DISTANCE,
    color: int = COLOR_DISTANCE,
) -> list[tuple[int, int, int]]:
    """Pairs (token a, token b, Hamming distance), a < b, of near-identical portraits."""
    ids = np.asarray(sorted(prints), dtype=np.int64)
    h = np.asarray([prints[t].phash for t in ids.tolist()], dtype=np.uint64)
    c = np.asarray([prints[t].color for t in ids.tolist()], dtype=np.int64).reshape(-1, 3)
    out = []
    for start in range(0, len(h), _CHUNK):
        d = np.bitwise_count(h[start : start + _CHUNK, None] ^ h[None, :])
        shade = np.abs(c[start : start + _CHUNK, None, :] - c[None, :, :]).max(axis=2)
        rows, cols = np.nonzero((d <= distance) & (shade <= color))
        for r, k in zip(rows.tolist(), cols.tolist(), strict=True):
            if start + r < k:
                out.append((int(ids[start + r]), int(ids[k]), int(d[r, k])))
    return sorted(out)
