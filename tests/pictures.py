"""Picture comparisons that see local changes: the worst small window, not the whole mean.

A whole-image mean dilutes a change to a few nodes or lines among 65,000 pixels; the mean
difference in the worst `window` x `window` square does not. Levels are 0-255 per channel;
a pixel's difference is its largest channel difference.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

#: Side of the square windows, in pixels (about a node's size in a 256 px portrait).
WINDOW = 8


@dataclass(frozen=True)
class Difference:
    """How far two pictures are apart: in their worst window, and in far-off pixels."""

    window_mean: float  # the largest mean difference over any WINDOW x WINDOW square
    where: tuple[int, int]  # (x, y) of that square's top-left corner
    far: int  # pixels off by more than the `level` asked for
    mean: float  # over the whole picture, for the message only

    def line(self, level: int) -> str:
        x, y = self.where
        return (
            f"worst {WINDOW}x{WINDOW} window mean difference {self.window_mean:.2f} levels at "
            f"x={x}, y={y}; {self.far} pixels off by more than {level}; whole mean {self.mean:.3f}"
        )


def pixel_difference(expected: np.ndarray, actual: np.ndarray) -> np.ndarray:
    """(H, W) largest channel difference of two (H, W, C) uint8 pictures of the same shape."""
    assert expected.shape == actual.shape, (expected.shape, actual.shape)
    return np.abs(expected.astype(np.int16) - actual.astype(np.int16)).max(axis=2)


def window_means(diff: np.ndarray, window: int = WINDOW) -> np.ndarray:
    """Mean of `diff` over every window x window square (sliding by one pixel)."""
    total = np.pad(diff.astype(np.int64), ((1, 0), (1, 0))).cumsum(0).cumsum(1)
    w = window
    sums = total[w:, w:] - total[:-w, w:] - total[w:, :-w] + total[:-w, :-w]
    return sums / (w * w)


def compare(expected: np.ndarray, actual: np.ndarray, level: int) -> Difference:
    diff = pixel_difference(expected, actual)
    means = window_means(diff)
    y, x = np.unravel_index(int(means.argmax()), means.shape)
    return Difference(float(means.max()), (int(x), int(y)), int((diff > level).sum()), diff.mean())


def write_diff_image(path: Path, expected: np.ndarray, actual: np.ndarray) -> Path:
    """expected | actual | difference (x4, the worst window framed in red) side by side."""
    diff = pixel_difference(expected, actual)
    amplified = np.repeat(np.clip(diff * 4, 0, 255).astype(np.uint8)[..., None], 3, axis=2)
    means = window_means(diff)
    y, x = np.unravel_index(int(means.argmax()), means.shape)
    box = amplified[y : y + WINDOW, x : x + WINDOW]  # a view: framing it marks the picture
    box[[0, -1], :] = (255, 0, 0)
    box[:, [0, -1]] = (255, 0, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.hstack([expected[..., :3], actual[..., :3], amplified])).save(path)
    return path
