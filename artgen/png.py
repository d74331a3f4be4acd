"""A PNG written in horizontal bands, each compressed on its own (so on its own thread).

PNG's pixels are one zlib stream, but a stream can be cut into deflate segments at byte
boundaries: every band but the last ends with a sync flush, the last with the final block, and
the stream's Adler-32 is taken over all the bands' bytes in order. Each band's compressor
starts afresh (the first rows of a band cannot refer back to the band above), which costs a
few hundred bytes a band. Rows are stored unfiltered (filter type 0): on contact sheets (flat
paper between thumbnails) that compresses best, and costs no time.
"""

from __future__ import annotations

import struct
import sys
import zlib
from collections.abc import Sequence

import numpy as np

SIGNATURE = b"\x89PNG\r\n\x1a\n"
LEVEL = 6  # zlib's default: libpng's and Pillow's too
HEADER = b"\x78\x9c"  # zlib header: deflate, 32 kB window, default level (checksum valid)
CHUNK = 1 << 20  # bytes of compressed data per IDAT chunk


def scanlines(data, width: int, height: int, stride: int) -> bytes:
    """PNG scanlines (a filter byte 0, then R, G, B) of a Cairo RGB24 buffer (native-endian
    32-bit 0x00RRGGBB pixels, `stride` bytes a row)."""
    pixels = np.frombuffer(data, np.uint8, height * stride).reshape(height, stride)
    pixels = pixels[:, : 4 * width].reshape(height, width, 4)
    order = [2, 1, 0] if sys.byteorder == "little" else [1, 2, 3]
    lines = np.zeros((height, 1 + 3 * width), np.uint8)
    lines[:, 1:].reshape(height, width, 3)[...] = pixels[:, :, order]
    return lines.tobytes()


def deflate_segment(lines: bytes, last: bool) -> bytes:
    """`lines` compressed as raw deflate, ending on a byte boundary (sync flush) or, for the
    last band, with the final block."""
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return compressor.compress(lines) + compressor.flush(
        zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH
    )


def from_bands(width: int, height: int, bands: Sequence[tuple[bytes, bytes]]) -> bytes:
    """An 8-bit RGB PNG from its bands, top to bottom: (scanlines, deflate segment) each."""
    if sum(len(lines) for lines, _ in bands) != height * (1 + 3 * width):
        raise ValueError(f"the bands do not hold {height} rows of {width} pixels")
    adler = 1
    for lines, _ in bands:
        adler = zlib.adler32(lines, adler)
    stream = b"".join([HEADER, *(segment for _, segment in bands), struct.pack(">I", adler)])
    out = [SIGNATURE, _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))]
    out += [_chunk(b"IDAT", stream[at : at + CHUNK]) for at in range(0, len(stream), CHUNK)]
    out.append(_chunk(b"IEND", b""))
    return b"".join(out)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return b"".join(
        [struct.pack(">I", len(data)), kind, data, struct.pack(">I", zlib.crc32(kind + data))]
    )
