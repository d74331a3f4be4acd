"""ord's `--compress`: brotli with ord's parameters, and what a server sends back.

`ord wallet inscribe|batch --compress` compresses each file with brotli (quality 11, 24-bit
window and block, text mode for text types) and keeps the result only when it is smaller,
marking it with the content encoding "br"; properties (title, traits, gallery) are
compressed the same way in generic mode. An ord server sends the compressed bytes with
`Content-Encoding: br` to a client that accepts br, and decompresses them for one that does
not when it runs with `--decompress` (without it, that client gets 406 Not Acceptable).
"""

from __future__ import annotations

import brotli

BROTLI = "br"
QUALITY, WINDOW_BITS, BLOCK_BITS = 11, 24, 24
#: ord compresses these content types in brotli's text mode, every other one in generic mode
TEXT_TYPES = (
    "application/json",
    "application/yaml",
    "image/svg+xml",
    "text/css",
    "text/html",
    "text/html;charset=utf-8",
    "text/javascript",
    "text/plain",
    "text/plain;charset=utf-8",
    "text/markdown",
    "text/markdown;charset=utf-8",
)


def ord_compress(data: bytes, content_type: str | None = None) -> bytes:
    """`data` brotli-compressed as ord compresses it (`content_type` None: generic mode)."""
    mode = brotli.MODE_TEXT if content_type in TEXT_TYPES else brotli.MODE_GENERIC
    return brotli.compress(data, mode=mode, quality=QUALITY, lgwin=WINDOW_BITS, lgblock=BLOCK_BITS)


def on_chain(data: bytes, content_type: str | None = None) -> tuple[bytes, bool]:
    """(the bytes ord inscribes with --compress, whether they are brotli-encoded)."""
    packed = ord_compress(data, content_type)
    return (packed, True) if len(packed) < len(data) else (data, False)


def decompress(data: bytes) -> bytes:
    return brotli.decompress(data)


def accepts_brotli(accept_encoding: str | None) -> bool:
    """Whether an Accept-Encoding header accepts br: named with a q above 0, or through "*"."""
    weights: dict[str, float] = {}
    for part in (accept_encoding or "").split(","):
        name, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        weights.setdefault(name.strip().lower(), q)
    return weights.get(BROTLI, weights.get("*", 0.0)) > 0
