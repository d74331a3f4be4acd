"""Hostile input files for tests/test_hostile.py, made quickly and exactly.

Bombs are real, decodable files, built without compressing their whole payload: deflate
blocks that end in a full flush hold no reference to what came before, so one block of
zeros is repeated as often as the payload needs.
"""

from __future__ import annotations

import json
import os
import struct
import time
import zlib
from pathlib import Path

_BLOCK = 1 << 24  # 16 MiB of zeros per repeated deflate block


def _zeros_deflated(size: int) -> bytes:
    """A raw deflate stream that inflates to `size` zero bytes."""
    whole, rest = divmod(size, _BLOCK)
    block = zlib.compressobj(9, zlib.DEFLATED, -15)
    repeated = block.compress(b"\0" * _BLOCK) + block.flush(zlib.Z_FULL_FLUSH)
    tail = zlib.compressobj(9, zlib.DEFLATED, -15)
    return repeated * whole + tail.compress(b"\0" * rest) + tail.flush()


def _crc_of_zeros(size: int) -> int:
    crc, block = 0, b"\0" * (1 << 20)
    whole, rest = divmod(size, len(block))
    for _ in range(whole):
        crc = zlib.crc32(block, crc)
    return zlib.crc32(b"\0" * rest, crc)


def zip_bomb(path: Path, entry: str, size: int, extra: dict[str, bytes] | None = None) -> None:
    """A ZIP whose deflated `entry` unpacks to `size` zero bytes (plus small `extra` files)."""
    members = [(entry, _zeros_deflated(size), size, _crc_of_zeros(size))]
    for name, data in (extra or {}).items():
        packed = zlib.compressobj(9, zlib.DEFLATED, -15)
        members.append((name, packed.compress(data) + packed.flush(), len(data), zlib.crc32(data)))
    local, central = b"", b""
    for name, packed, raw_size, crc in members:
        encoded = name.encode()
        fields = (20, 0, 8, 0, 0, crc, len(packed), raw_size, len(encoded), 0)
        offset = len(local)
        local += struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields) + encoded + packed
        central += (
            struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0, offset) + encoded
        )
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(local), 0
    )
    path.write_bytes(local + central + end)


def png_bomb(path: Path, width: int, height: int) -> None:
    """A valid grayscale PNG of width x height black pixels, a few hundred kB at most."""
    raw = (width + 1) * height  # a filter byte and the pixels, per row
    adler = ((raw % 65521) << 16) | 1  # Adler-32 of `raw` zero bytes
    data = b"\x78\xda" + _zeros_deflated(raw) + struct.pack(">I", adler)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def deep_json(depth: int) -> str:
    return "[" * depth + "]" * depth


def sparse(path: Path, size: int) -> None:
    """A file of `size` bytes that takes no disk space (its size is what a reader sees)."""
    with open(path, "wb") as f:
        f.truncate(size)


def fifo(path: Path) -> None:
    os.mkfifo(path)


def char_device(path: Path) -> None:
    """A character device node like /dev/full (1, 7), inside the test's own folder."""
    os.mknod(path, 0o666 | 0o020000, os.makedev(1, 7))


def with_duplicate(text: str, key: str) -> str:
    """JSON object text with `key` given a second time (its first value again, at the end)."""
    doc = json.loads(text)
    return text.rstrip()[:-1] + f", {json.dumps(key)}: {json.dumps(doc[key])}" + "}"


# ---- what hostile servers send: scripts for a BaseHTTPRequestHandler --------------------------


def slow_headers(every: float):
    """A status line, then one header line every `every` seconds, for ever: no single read
    waits long, so only a deadline on the whole answer ends it."""

    def script(handler) -> None:
        handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
        for n in range(10_000):
            handler.wfile.write(f"X-Slow-{n}: 1\r\n".encode())
            handler.wfile.flush()
            time.sleep(every)

    return script


def trickled_body(every: float):
    """A chunked body of one byte every `every` seconds, for ever."""

    def script(handler) -> None:
        handler.wfile.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        for _ in range(10_000):
            handler.wfile.write(b"1\r\n \r\n")
            handler.wfile.flush()
            time.sleep(every)

    return script
