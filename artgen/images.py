"""Reading images as a model sees them: RGB, resized bilinearly to H x W, values 0-255."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from .errors import ImageError

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".bmp")


def to_rgb(image: Image.Image) -> Image.Image:
    """RGB, with transparency composited on white (as a browser shows it)."""
    if image.mode in ("RGBA", "LA", "P") and (image.mode != "P" or "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return image.convert("RGB")


def resize(image: Image.Image, height: int, width: int) -> np.ndarray:
    """An (H, W, 3) uint8 array of the image, resized bilinearly."""
    rgb = to_rgb(image)
    if rgb.size != (width, height):
        rgb = rgb.resize((width, height), Image.Resampling.BILINEAR)
    return np.asarray(rgb, dtype=np.uint8)


def load_image(path: str | os.PathLike, height: int, width: int) -> np.ndarray:
    """Read an image file (first frame of a GIF) as an (H, W, 3) uint8 array.

    Raises ImageError naming the file when it cannot be read.
    """
    p = Path(path)
    try:
        with Image.open(p) as im:
            im.seek(0)
            im.load()
            return resize(im, height, width)
    except FileNotFoundError:
        raise ImageError("no such file", source=str(p)) from None
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
    ) as err:
        raise ImageError(f"expected a PNG, JPG, GIF or BMP image ({err})", source=str(p)) from None
