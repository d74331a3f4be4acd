"""The size and cost of inscriptions: ord's envelope, the reveal transaction's weight, batches.

Weight model of one `ord wallet batch` reveal transaction (mode separate-outputs, no parent),
in weight units (WU); all inscriptions of a batch share it.

Witness data counts 1 WU per byte:
    2                        segwit marker and flag
  + 1 + (1 + 64)             stack item count; the Schnorr signature
  + varint(S) + S            the tapscript, S = 33 + 1 (<pubkey> OP_CHECKSIG) + sum of envelopes
  + 1 + 33                   the control block (no other leaves)
one envelope per inscription:
    OP_FALSE OP_IF, push "ord"                                      2 + 4
  + tag 1 + push(content type)                                      2 + push(len)
  + tag 2 + push(pointer), for every inscription but the first      2 + push(<= 8)
  + per 520-byte chunk of the metadata CBOR: tag 5 + push(chunk)    2 + push(len)
  + OP_0, then per 520-byte chunk of the content: push(chunk)       1 + sum push(len)
  + OP_ENDIF                                                        1
where push(n) = n + 1 (n <= 75), n + 2 (n <= 255), n + 3 (OP_PUSHDATA2, n <= 520).

Everything else counts 4 WU per byte:
    4 + 1 + 41 + varint(N) + 43 N + 4
(version; one input: outpoint, empty scriptSig, sequence; N P2TR outputs of 43 bytes, one
per inscription; locktime).

vbytes = ceil(weight / 4); a fee is vbytes x fee rate. Each batch also pays a commit
transaction (estimated at COMMIT_VBYTES: one P2TR key-path input, the commit output and
change) and locks `postage` sats in each inscription's output.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from artgen.errors import ArtgenError

CHUNK = 520  # bytes: the largest push a tapscript allows
REVEAL_LIMIT = 390_000  # WU we allow one reveal transaction (ord's standardness limit: 400,000)
ORD_LIMIT = 400_000
P2TR_OUTPUT = 43  # bytes: value (8), script length (1), OP_1 <32-byte key> (34)
COMMIT_VBYTES = 154  # one P2TR key-path input (57.5 vB), two P2TR outputs, overhead (10.5 vB)


class InscriptionError(ArtgenError):
    """A file that cannot be inscribed, or an ord output that does not fit the collection."""


def push_size(n: int) -> int:
    """Bytes of a push of n <= 520 data bytes (opcode, length, data)."""
    return n + (1 if n <= 75 else 2 if n <= 255 else 3)


def varint_size(n: int) -> int:
    return 1 if n < 0xFD else 3 if n <= 0xFFFF else 5


def pushes_size(n: int, each: int = 0) -> int:
    """Bytes of n data bytes pushed in chunks of CHUNK (the last one shorter), with `each`
    more bytes before every push (a tag's push)."""
    full, rest = divmod(n, CHUNK)
    size = full * (each + push_size(CHUNK))
    return size + (each + push_size(rest) if rest else 0)


def pointer_bytes(value: int) -> bytes:
    """ord's pointer: little-endian, trailing zero bytes dropped."""
    return value.to_bytes(8, "little").rstrip(b"\0")


def envelope_size(content: int, content_type: str, metadata: int, pointer: int | None) -> int:
    """Bytes of one inscription's envelope in the tapscript (see the module docstring)."""
    size = 2 + push_size(3) + 2 + push_size(len(content_type.encode("utf-8")))
    if pointer:
        size += 2 + push_size(len(pointer_bytes(pointer)))
    size += pushes_size(metadata, each=2)
    size += 1 + pushes_size(content)
    return size + 1


def reveal_weight(envelopes: int, count: int) -> int:
    """Weight (WU) of a reveal transaction carrying `count` envelopes of `envelopes` bytes in
    all, one output each."""
    script = 33 + 1 + envelopes
    witness = 2 + 1 + (1 + 64) + varint_size(script) + script + (1 + 33)
    base = 4 + 1 + 41 + varint_size(count) + P2TR_OUTPUT * count + 4
    return 4 * base + witness


@dataclass(frozen=True)
class Inscription:
    """One file to inscribe: kind (its place in the order), path, size, type, CBOR metadata."""

    kind: str
    path: str
    size: int
    sha256: str
    content_type: str
    metadata: dict[str, Any]
    token: int | None = None

    @property
    def metadata_size(self) -> int:
        return len(cbor(self.metadata))


def item_envelope(item: Inscription, position: int, postage: int) -> int:
    """The envelope of `item` at `position` in its batch (its pointer is postage x position)."""
    return envelope_size(
        item.size, item.content_type, item.metadata_size, postage * position or None
    )


def batch_weight(items: Sequence[Inscription], postage: int) -> int:
    """The reveal weight of one batch."""
    total = sum(item_envelope(item, n, postage) for n, item in enumerate(items))
    return reveal_weight(total, len(items))


def plan_batches(
    items: Sequence[Inscription], postage: int, limit: int = REVEAL_LIMIT
) -> list[list[Inscription]]:
    """Consecutive items packed greedily into batches whose reveal weighs at most `limit`.

    An item too heavy for a reveal transaction of its own is an InscriptionError naming it.
    """
    batches: list[list[Inscription]] = []
    current: list[Inscription] = []
    total = 0
    for item in items:
        env = item_envelope(item, len(current), postage)
        if current and reveal_weight(total + env, len(current) + 1) > limit:
            batches.append(current)
            current, total = [], 0
            env = item_envelope(item, 0, postage)
        if not current and reveal_weight(env, 1) > limit:
            weight = reveal_weight(env, 1)
            raise InscriptionError(
                f"{item.size:,} bytes need a reveal transaction of {weight:,} WU, more than the "
                f"{limit:,} WU one transaction may weigh (ord's limit: {ORD_LIMIT:,} WU); make "
                "the file smaller (for a model: fewer first-layer neurons or a smaller input)",
                source=item.path,
            )
        current.append(item)
        total += env
    if current:
        batches.append(current)
    return batches


def estimate(weight: int, count: int, fee_rate: float, postage: int) -> dict[str, Any]:
    """Vbytes and sats of one batch at `fee_rate` sat/vB."""
    vbytes = math.ceil(weight / 4)
    reveal_fee = math.ceil(vbytes * fee_rate)
    commit_fee = math.ceil(COMMIT_VBYTES * fee_rate)
    return {
        "inscriptions": count,
        "weight": weight,
        "vbytes": vbytes,
        "reveal_fee": reveal_fee,
        "commit_fee": commit_fee,
        "postage": postage * count,
        "total_sats": reveal_fee + commit_fee + postage * count,
    }


# --- CBOR (RFC 8949), enough for inscription metadata --------------------------------------


def _head(major: int, n: int) -> bytes:
    if n < 24:
        return bytes([major << 5 | n])
    for extra, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if n < 1 << (8 * struct.calcsize(fmt)):
            return bytes([major << 5 | extra]) + struct.pack(fmt, n)
    raise ValueError("integer too large for CBOR")


def cbor(value: Any) -> bytes:
    """CBOR of JSON-like data (maps keep their order; floats as float64)."""
    if value is None:
        return b"\xf6"
    if isinstance(value, bool):
        return b"\xf5" if value else b"\xf4"
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, float):
        return b"\xfb" + struct.pack(">d", value)
    if isinstance(value, str):
        data = value.encode("utf-8")
        return _head(3, len(data)) + data
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, list | tuple):
        return _head(4, len(value)) + b"".join(cbor(v) for v in value)
    if isinstance(value, dict):
        return _head(5, len(value)) + b"".join(cbor(str(k)) + cbor(v) for k, v in value.items())
    raise TypeError(f"cannot encode {type(value).__name__} as CBOR")
