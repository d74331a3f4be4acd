"""A PNG written in horizontal bands, each compressed on its own (so on its own thread).

PNG's pixels are one zlib stream, but a stream can be cut into deflate segments at byte
boundaries: every band ends with a sync flush, an empty final block ends the stream, and the
stream's Adler-32 is combined from the bands' (no band's pixels need to be kept). Each band's
compressor starts afresh (a band's first rows cannot refer back to the band above), which
costs a few hundred bytes a band. Rows are stored unfiltered (filter type 0): on contact
sheets (flat paper between thumbnails) that compresses best, and costs no time.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence

import numpy as np

SIGNATURE = b"\x89PNG\r\n\x1a\n"
LEVEL = 6  # zlib's default: libpng's and Pillow's too
HEADER = b"\x78\x9c"  # zlib header: deflate, 32 kB window, default level (checksum valid)
CHUNK = 1 << 20  # bytes of compressed data per IDAT chunk


def scanlines(surface) -> np.ndarray:
    """PNG scanlines (a filter byte 0, then R, G, B) of a Cairo image surface, as a
    C-contiguous uint8 array."""
    from .render import surface_array

    height, width = surface.get_height(), surface.get_width()
    lines = np.zeros((height, 1 + 3 * width), np.uint8)
    surface_array(surface, out=lines[:, 1:].reshape(height, width, 3))
    return lines


def band(lines) -> tuple[bytes, int, int]:
    """A band's part of the PNG: its scanlines compressed as raw deflate ending on a byte
    boundary (a sync flush), their Adler-32 and length. The last band is marked by
    `from_bands`, which finishes the stream."""
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    segment = compressor.compress(lines) + compressor.flush(zlib.Z_SYNC_FLUSH)
    view = memoryview(lines).cast("B")
    return segment, zlib.adler32(view), view.nbytes


def from_bands(width: int, height: int, bands: Sequence[tuple[bytes, int, int]]) -> bytes:
    """An 8-bit RGB PNG from its bands, top to bottom, as `band` gives them."""
    if sum(length for _, _, length in bands) != height * (1 + 3 * width):
        raise ValueError(f"the bands do not hold {height} rows of {width} pixels")
    adler = 1
    for _, checksum, length in bands:
        adler = adler32_combine(adler, checksum, length)
    ending = zlib.compressobj(LEVEL, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)  # the final block
    segments = [segment for segment, _, _ in bands]
    stream = b"".join([HEADER, *segments, ending, struct.pack(">I", adler)])
    out = [SIGNATURE, _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))]
    out += [_chunk(b"IDAT", stream[at : at + CHUNK]) for at in range(0, len(stream), CHUNK)]
    out.append(_chunk(b"IEND", b""))
    return b"".join(out)


def adler32_combine(first: int, second: int, length: int) -> int:
    """The Adler-32 of two byte strings joined, from theirs and the second's length (zlib's
    adler32_combine, which Python's zlib does not expose)."""
    base = 65521
    rem = length % base
    low = (first & 0xFFFF) + (second & 0xFFFF) + base - 1
    high = (rem * (first & 0xFFFF)) % base + (first >> 16) + (second >> 16) + base - rem
    return (low % base) | ((high % base) << 16)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return b"".join(
        [struct.pack(">I", len(data)), kind, data, struct.pack(">I", zlib.crc32(kind + data))]
    )
