"""Random image augmentation as the original trainer's `data_augmentation_config` asked Keras for.

Keras layers, in the original's order: RandomFlip (None, Horizontal, Vertical, Both),
RandomRotation(f) (angle uniform in +-f turns), RandomZoom(+-f) (height and width zoom drawn
separately; positive zooms out), RandomContrast(f) (per image and channel, (x - mean) * c +
mean with c uniform in 1 +- f), RandomBrightness(f) (adds a value uniform in +-f * 255). Rotation
and zoom are one affine resampling here (bilinear, reflecting at the edges as Keras does), and
every image of a batch is transformed at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FLIPS = ("None", "Horizontal", "Vertical", "Both")


@dataclass(frozen=True)
class Augmentation:
    """The original config's `data_augmentation_config`."""

    random_flip: str = "None"
    random_rotation: float = 0.0
    random_zoom: float = 0.0
    random_contrast: float = 0.0
    random_brightness: float = 0.0

    @property
    def active(self) -> bool:
        return self.random_flip != "None" or any(
            v > 0
            for v in (
                self.random_rotation,
                self.random_zoom,
                self.random_contrast,
                self.random_brightness,
            )
        )

    def apply(self, images: np.ndarray, gen: np.random.Generator) -> np.ndarray:
        """Augmented float32 copies of (N, H, W, 3) images with values 0-255."""
        x = np.asarray(images, np.float32)
        n = len(x)
        if self.random_flip in ("Horizontal", "Both"):
            x = np.where((gen.random(n) < 0.5)[:, None, None, None], x[:, :, ::-1], x)
        if self.random_flip in ("Vertical", "Both"):
            x = np.where((gen.random(n) < 0.5)[:, None, None, None], x[:, ::-1], x)
        if self.random_rotation > 0 or self.random_zoom > 0:
            angle = gen.uniform(-1, 1, n) * self.random_rotation * 2 * np.pi
            zoom_h = 1 + gen.uniform(-1, 1, n) * self.random_zoom
            zoom_w = 1 + gen.uniform(-1, 1, n) * self.random_zoom
            x = _affine(x, angle, zoom_h, zoom_w)
        else:
            x = x.copy()
        if self.random_contrast > 0:
            factor = 1 + gen.uniform(-1, 1, (n, 1, 1, 3)).astype(np.float32) * self.random_contrast
            mean = x.mean(axis=(1, 2), keepdims=True)
            x = np.clip((x - mean) * factor + mean, 0, 255)
        if self.random_brightness > 0:
            delta = (
                gen.uniform(-1, 1, (n, 1, 1, 1)).astype(np.float32) * self.random_brightness * 255
            )
            x = np.clip(x + delta, 0, 255)
        return x.astype(np.float32, copy=False)


def _reflect(i: np.ndarray, size: int) -> np.ndarray:
    """Keras 'reflect' fill (d c b a | a b c d | d c b a) for integer pixel indices."""
    i = np.mod(i, 2 * size)
    return np.where(i >= size, 2 * size - 1 - i, i)


def _affine(x: np.ndarray, angle: np.ndarray, zoom_h: np.ndarray, zoom_w: np.ndarray) -> np.ndarray:
    """Rotate by `angle` and zoom each image about its centre, sampling bilinearly."""
    n, h, w, c = x.shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    yy, xx = yy - (h - 1) / 2, xx - (w - 1) / 2
    cos, sin = np.cos(angle)[:, None, None], np.sin(angle)[:, None, None]
    sy = (sin * xx + cos * yy) * zoom_h[:, None, None] + (h - 1) / 2
    sx = (cos * xx - sin * yy) * zoom_w[:, None, None] + (w - 1) / 2
    y0, x0 = np.floor(sy), np.floor(sx)
    fy, fx = (sy - y0)[..., None], (sx - x0)[..., None]
    y0, x0 = y0.astype(np.int64), x0.astype(np.int64)
    base = (np.arange(n) * h * w)[:, None, None]
    flat = x.reshape(n * h * w, c)

    def at(yi: np.ndarray, xi: np.ndarray) -> np.ndarray:
        return flat[base + _reflect(yi, h) * w + _reflect(xi, w)]

    top = at(y0, x0) * (1 - fx) + at(y0, x0 + 1) * fx
    bottom = at(y0 + 1, x0) * (1 - fx) + at(y0 + 1, x0 + 1) * fx
    return (top * (1 - fy) + bottom * fy).astype(np.float32)
