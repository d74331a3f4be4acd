"""Reading images as a model sees them: RGB, resized bilinearly to H x W, values 0-255.

Images come from outside (classify, a card, a dataset), so they are read defensively: only a
regular file within `limits.IMAGE_BYTES` is opened (a FIFO or a device is refused), only PNG,
JPG, GIF and BMP are decoded (Pillow is asked for these formats only), and the pixel count
the header declares is checked against `limits.IMAGE_PIXELS` before any pixel is decoded.
Pillow's own decompression-bomb check is set from the same limit, and its warning is turned
into our one-line error rather than printed.
"""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import Image, UnidentifiedImageError

from . import limits
from .errors import ImageError, LimitError
from .inputs import open_regular

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".bmp")
#: Pillow's names of the formats read: what the help and the messages promise.
IMAGE_FORMATS = ("PNG", "JPEG", "GIF", "BMP")
ACCEPTED = "a PNG, JPG, GIF or BMP image"

Image.MAX_IMAGE_PIXELS = int(limits.IMAGE_PIXELS.high)


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


def decode(file: BinaryIO, source: str) -> Image.Image:
    """The first frame of the image in the open binary `file`, decoded once its format and
    pixel count are known to be accepted; ImageError or LimitError naming `source`."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(file, formats=IMAGE_FORMATS)
            try:
                width, height = im.size
                limits.IMAGE_PIXELS.check(width * height, source=source)
                im.seek(0)
                im.load()
            except BaseException:
                im.close()
                raise
            return im
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as err:
        pixels = limits.IMAGE_PIXELS
        found = re.search(r"\((\d+) pixels\)", str(err))  # Pillow: "Image size (N pixels) ..."
        got = f", got {int(found.group(1)):,}" if found else ""
        message = f"expected the {pixels.name} to be {pixels.describe()}{got}"
        raise LimitError(message, source=source) from None
    except UnidentifiedImageError:
        raise ImageError(f"expected {ACCEPTED}, found another format", source=source) from None
    except (OSError, ValueError, SyntaxError, EOFError) as err:
        detail = " ".join(str(err).split()) or type(err).__name__
        raise ImageError(f"expected {ACCEPTED} ({detail[:120]})", source=source) from None


def read_image(path: str | os.PathLike) -> Image.Image:
    """The first frame of the image file at `path`, decoded (see `decode`)."""
    source = str(Path(path))
    with open_regular(path, limits.IMAGE_BYTES, ImageError, source) as f:
        return decode(f, source)


def load_image(path: str | os.PathLike, height: int, width: int) -> np.ndarray:
    """Read an image file (first frame of a GIF) as an (H, W, 3) uint8 array.

    Raises ImageError (or LimitError for a file or picture beyond its budget) naming the file.
    """
    with read_image(path) as im:
        return resize(im, height, width)
