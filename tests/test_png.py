"""artgen.png: PNGs compressed in bands decode to the pixels they were made from."""

from __future__ import annotations

import io
import zlib

import cairo
import numpy as np
import pytest
from PIL import Image

from artgen import png


def banded(surface: cairo.ImageSurface, bands: int) -> bytes:
    width, height, stride = surface.get_width(), surface.get_height(), surface.get_stride()
    data = bytes(surface.get_data())
    tall = -(-height // bands)
    parts = []
    for y0 in range(0, height, tall):
        y1 = min(height, y0 + tall)
        rows = bytearray(data[y0 * stride : y1 * stride])
        part = cairo.ImageSurface.create_for_data(rows, cairo.FORMAT_RGB24, width, y1 - y0, stride)
        parts.append(png.band(png.scanlines(part)))
    return png.from_bands(width, height, parts)


@pytest.mark.parametrize("width, height, bands", [(1, 1, 1), (7, 5, 2), (333, 257, 4), (64, 9, 9)])
def test_bands_decode_to_the_surfaces_pixels(width, height, bands):
    gen = np.random.default_rng(width * height)
    surface = cairo.ImageSurface(cairo.FORMAT_RGB24, width, height)
    ctx = cairo.Context(surface)
    for _ in range(30):  # flat areas and noise: both kinds of deflate blocks
        ctx.set_source_rgb(*gen.random(3))
        ctx.rectangle(*(gen.random(4) * [width, height, width, height]))
        ctx.fill()
    surface.flush()
    expected = np.frombuffer(bytes(surface.get_data()), np.uint8).reshape(height, -1)
    expected = expected[:, : 4 * width].reshape(height, width, 4)[:, :, [2, 1, 0]]
    data = banded(surface, bands)
    with Image.open(io.BytesIO(data)) as im:
        im.load()  # checks every CRC and the Adler-32
        assert (im.format, im.mode, im.size) == ("PNG", "RGB", (width, height))
        assert np.array_equal(np.asarray(im), expected)


def test_wrong_row_count_is_refused():
    with pytest.raises(ValueError, match="2 rows of 4 pixels"):
        png.from_bands(4, 2, [png.band(bytes(1 + 3 * 4))])


def test_adler32_combine_matches_zlib():
    gen = np.random.default_rng(0)
    for first, second in [(0, 0), (3, 0), (0, 65521), (10, 65522), (70000, 5), (1, 200_001)]:
        a, b = gen.bytes(first), gen.bytes(second)
        combined = png.adler32_combine(zlib.adler32(a), zlib.adler32(b), len(b))
        assert combined == zlib.adler32(a + b)
