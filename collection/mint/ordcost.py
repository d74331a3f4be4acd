"""The size and cost of inscriptions: ord's envelope, the reveal transaction's weight, batches.

Weight model of one `ord wallet batch` reveal transaction (mode separate-outputs), in weight
units (WU); all inscriptions of a batch share it. P parents (0 or 1 here) are spent in it and
returned, and every envelope names them.

Witness data counts 1 WU per byte:
    2                        segwit marker and flag
  + 1 + (1 + 64)             stack item count; the Schnorr signature
  + varint(S) + S            the tapscript, S = 33 + 1 (<pubkey> OP_CHECKSIG) + sum of envelopes
  + 1 + 33                   the control block (no other leaves)
  + P (1 + 1 + 64)           each parent's key-path spend
one envelope per inscription, its fields in ord's order:
    OP_FALSE OP_IF, push "ord"                                      2 + 4
  + tag 1 + push(content type)                                      2 + push(len)
  + tag 9 + push("br"), when the content is compressed              2 + 3
  + per parent: tag 3 + push(its id: txid, index trimmed)           2 + push(32..36)
  + tag 2 + push(pointer), unless the pointer is 0                  2 + push(<= 8)
  + per 520-byte chunk of the metadata CBOR: tag 5 + push(chunk)    2 + push(len)
  + per 520-byte chunk of the properties CBOR (title, traits,
    gallery): tag 17 + push(chunk)                                  2 + push(len)
  + tag 19 + push("br"), when the properties are compressed         2 + 3
  + OP_0, then per 520-byte chunk of the content: push(chunk)       1 + sum push(len)
  + OP_ENDIF                                                        1
where push(n) = n + 1 (n <= 75), n + 2 (n <= 255), n + 3 (OP_PUSHDATA2, n <= 520). With
--compress, content and properties count their brotli size when that is smaller.

Everything else counts 4 WU per byte:
    4 + 1 + 41 (1 + P) + varint(P + N) + 43 (P + N) + 4
(version; inputs: outpoint, empty scriptSig, sequence; the parents' outputs and one P2TR
output of 43 bytes per inscription; locktime). Each inscription's pointer is its offset in
the outputs: the parents' values (taken as one postage each) plus postage x its position.

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


PARENT_TAG = 2 + push_size(32)  # bytes: tag 3 and a parent id ending in i0
ENCODING_TAG = 2 + push_size(len(b"br"))  # bytes: tag 9 or 19 and "br"


def envelope_size(
    content: int,
    content_type: str,
    metadata: int,
    pointer: int | None,
    *,
    properties: int = 0,
    encoded: bool = False,
    properties_encoded: bool = False,
    parents: int = 0,
) -> int:
    """Bytes of one inscription's envelope in the tapscript (see the module docstring)."""
    size = 2 + push_size(3) + 2 + push_size(len(content_type.encode("utf-8")))
    size += ENCODING_TAG if encoded else 0
    size += parents * PARENT_TAG
    if pointer:
        size += 2 + push_size(len(pointer_bytes(pointer)))
    size += pushes_size(metadata, each=2)
    size += pushes_size(properties, each=2) + (ENCODING_TAG if properties_encoded else 0)
    size += 1 + pushes_size(content)
    return size + 1


def reveal_weight(envelopes: int, count: int, parents: int = 0) -> int:
    """Weight (WU) of a reveal transaction carrying `count` envelopes of `envelopes` bytes in
    all, one output each, spending and returning `parents` parents."""
    script = 33 + 1 + envelopes
    witness = 2 + 1 + (1 + 64) + varint_size(script) + script + (1 + 33) + parents * 66
    outputs = parents + count
    base = 4 + varint_size(1 + parents) + 41 * (1 + parents) + varint_size(outputs)
    base += P2TR_OUTPUT * outputs + 4
    return 4 * base + witness


@dataclass(frozen=True)
class Inscription:
    """One file to inscribe: kind (its place in the order), path, size, type, CBOR metadata,
    ord's properties (title, traits, gallery items) and, with --compress, its size on chain."""

    kind: str
    path: str
    size: int
    sha256: str
    content_type: str
    metadata: dict[str, Any]
    token: int | None = None
    title: str | None = None
    traits: dict[str, Any] | None = None
    gallery: tuple[dict[str, Any], ...] = ()  # {"id", "title"} per item
    chain_size: int | None = None  # brotli bytes when --compress makes the content smaller
    compress: bool = False  # properties compressed as `ord wallet batch --compress` does

    @property
    def metadata_size(self) -> int:
        return len(cbor(self.metadata))

    @property
    def properties_size(self) -> tuple[int, bool]:
        """(bytes of the properties on chain, whether brotli-encoded)."""
        data = properties_cbor(self.title, self.traits, self.gallery)
        if not data or not self.compress:
            return len(data), False
        from artgen.inscription.compression import on_chain

        packed, encoded = on_chain(data)
        return len(packed), encoded


def item_envelope(item: Inscription, position: int, postage: int, parents: int = 0) -> int:
    """The envelope of `item` at `position` in its batch (its pointer: the parents' values,
    one postage each, plus postage x position)."""
    properties, properties_encoded = item.properties_size
    return envelope_size(
        item.size if item.chain_size is None else item.chain_size,
        item.content_type,
        item.metadata_size,
        postage * (parents + position) or None,
        properties=properties,
        encoded=item.chain_size is not None,
        properties_encoded=properties_encoded,
        parents=parents,
    )


def batch_weight(items: Sequence[Inscription], postage: int, parents: int = 0) -> int:
    """The reveal weight of one batch."""
    total = sum(item_envelope(item, n, postage, parents) for n, item in enumerate(items))
    return reveal_weight(total, len(items), parents)


def plan_batches(
    items: Sequence[Inscription], postage: int, limit: int = REVEAL_LIMIT, parents: int = 0
) -> list[list[Inscription]]:
    """Consecutive items packed greedily into batches whose reveal weighs at most `limit`.

    An item too heavy for a reveal transaction of its own is an InscriptionError naming it.
    """
    batches: list[list[Inscription]] = []
    current: list[Inscription] = []
    total = 0
    for item in items:
        env = item_envelope(item, len(current), postage, parents)
        if current and reveal_weight(total + env, len(current) + 1, parents) > limit:
            batches.append(current)
            current, total = [], 0
            env = item_envelope(item, 0, postage, parents)
        if not current and reveal_weight(env, 1, parents) > limit:
            weight = reveal_weight(env, 1, parents)
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


# --- CBOR (RFC 8949), enough for inscription metadata and properties ------------------------


def id_bytes(inscription_id: str) -> tuple[bytes, int]:
    """(the txid's 32 bytes as ord serializes them, reversed; the index)."""
    txid, _, index = inscription_id.partition("i")
    return bytes.fromhex(txid)[::-1], int(index)


def properties_cbor(
    title: str | None, traits: dict[str, Any] | None, gallery: Sequence[dict[str, Any]] = ()
) -> bytes:
    """ord 0.27's properties (tag 17) as its CDDL lays them out: {0: items, 1: attributes,
    2: the items' txids concatenated}, attributes {0: title, 1: traits}, item {1: attributes,
    2: index when not 0}; empty when there is nothing to say."""
    out: dict[Any, Any] = {}
    if gallery:
        items = []
        for item in gallery:
            entry: dict[Any, Any] = {}
            if item.get("title"):
                entry[1] = {0: item["title"]}
            index = id_bytes(item["id"])[1]
            if index:
                entry[2] = index
            items.append(entry)
        out[0] = items
    attributes: dict[Any, Any] = {}
    if title:
        attributes[0] = title
    if traits:
        attributes[1] = dict(traits)
    if attributes:
        out[1] = attributes
    if gallery:
        out[2] = b"".join(id_bytes(item["id"])[0] for item in gallery)
    return cbor(out) if out else b""


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
    if isinstance(value, dict):  # integer keys stay integers (ord's properties use them)
        return _head(5, len(value)) + b"".join(
            cbor(k if isinstance(k, int) else str(k)) + cbor(v) for k, v in value.items()
        )
    raise TypeError(f"cannot encode {type(value).__name__} as CBOR")
