"""The art inscription's WebAssembly kernel: the dense layers' dot products in 128-bit SIMD.

A tiny assembler for the one module the engine needs, and that module's single function as a
readable instruction listing. The module defines and exports its memory ("memory") and one
function, `dense(h, n, w, blocks, out)`: for each block of four units, the four dot products
of the float64 vector h (n values) with the block's weights, stored float64 interleaved as
[block][input][4 units] (units padded to a multiple of four with zero weights); the four sums
go to out[4 * block .. 4 * block + 3]. All addresses are byte offsets into the memory. The
engine adds the bias, the activation and the life mask in JavaScript.

Opcode numbers are those of the WebAssembly core specification 2.0, section 5 (binary format),
whose SIMD instructions (0xFD prefix, then a LEB128 sub-opcode) come from the fixed-width SIMD
proposal (github.com/WebAssembly/simd, proposals/simd/BinarySIMD.md, final numbering).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache

# Spec 5.5.16: the module preamble, "\0asm" and version 1.
MAGIC, VERSION = b"\x00asm", b"\x01\x00\x00\x00"
# Spec 5.3.1, 5.3.2, 5.3.6: the i32 and v128 value types, the function type marker.
I32, V128, FUNC_TYPE = 0x7F, 0x7B, 0x60
# Spec 5.5.2: section ids.
TYPE, FUNCTION, MEMORY, EXPORT, CODE = 1, 3, 5, 7, 10
# Spec 5.5.10: export descriptors.
EXPORT_FUNC, EXPORT_MEMORY = 0x00, 0x02
# Spec 5.4.1: the empty block type.
EMPTY_BLOCK = 0x40
SIMD_PREFIX = 0xFD

#: name -> (opcode bytes, immediate kind). Kinds: "" none, "block" a block type, "label" a
#: branch depth, "local" a local index, "i32" a signed constant, "mem" a memarg (offset;
#: alignment from the width), "v128" sixteen constant bytes.
OPCODES: dict[str, tuple[bytes, str]] = {
    # spec 5.4.1 control instructions
    "block": (b"\x02", "block"),
    "loop": (b"\x03", "block"),
    "end": (b"\x0b", ""),
    "br_if": (b"\x0d", "label"),
    # spec 5.4.4 variable instructions
    "local.get": (b"\x20", "local"),
    "local.set": (b"\x21", "local"),
    "local.tee": (b"\x22", "local"),
    # spec 5.4.7 numeric instructions
    "i32.const": (b"\x41", "i32"),
    "i32.eqz": (b"\x45", ""),
    "i32.lt_u": (b"\x49", ""),
    "i32.ge_u": (b"\x4f", ""),
    "i32.add": (b"\x6a", ""),
    "i32.sub": (b"\x6b", ""),
    "i32.and": (b"\x71", ""),
    "i32.shl": (b"\x74", ""),
}
# spec 5.4.8 vector instructions: (sub-opcode, immediate kind, natural alignment as log2 bytes)
SIMD: dict[str, tuple[int, str, int]] = {
    "v128.load": (0x00, "mem", 4),
    "v128.load64_splat": (0x0A, "mem", 3),
    "v128.store": (0x0B, "mem", 4),
    "v128.const": (0x0C, "v128", 0),
    "f64x2.add": (0xF0, "", 0),
    "f64x2.mul": (0xF2, "", 0),
}

Instruction = tuple  # (name, *immediates)


def uleb(value: int) -> bytes:
    """Unsigned LEB128 (spec 5.2.2): seven bits a byte, low bits first, high bit = more."""
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def sleb(value: int) -> bytes:
    """Signed LEB128 (spec 5.2.2): as `uleb`, until the rest is the sign extension."""
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        done = (value == 0 and not byte & 0x40) or (value == -1 and byte & 0x40)
        out.append(byte | (0 if done else 0x80))
        if done:
            return bytes(out)


def vec(items: Sequence[bytes]) -> bytes:
    """A vector (spec 5.1.3): its length, then its items."""
    return uleb(len(items)) + b"".join(items)


def name(text: str) -> bytes:
    """A name (spec 5.2.4): its UTF-8 bytes as a vector."""
    return vec([bytes([b]) for b in text.encode("utf-8")])


def section(ident: int, body: bytes) -> bytes:
    """A section (spec 5.5.2): its id, its size in bytes, its contents."""
    return bytes([ident]) + uleb(len(body)) + body


def encode(instruction: Instruction) -> bytes:
    """One instruction's bytes: its opcode, then its immediates."""
    op, *args = instruction
    if op in SIMD:
        sub, kind, align = SIMD[op]
        code = bytes([SIMD_PREFIX]) + uleb(sub)
    else:
        code, kind = OPCODES[op]
        align = 0
    if kind == "":
        return code
    if kind == "block":
        return code + bytes([EMPTY_BLOCK])
    (arg,) = args
    if kind in ("label", "local"):
        return code + uleb(arg)
    if kind == "i32":
        return code + sleb(arg)
    if kind == "mem":  # memarg (spec 5.4.6): alignment exponent, then the offset
        return code + uleb(align) + uleb(arg)
    if kind == "v128":
        return code + bytes(arg)
    raise ValueError(f"unknown immediate kind {kind!r}")


def function_body(locals_: Sequence[tuple[int, int]], listing: Iterable[Instruction]) -> bytes:
    """A code entry (spec 5.5.13): its size, its locals as (count, type) runs, its code."""
    body = vec([uleb(count) + bytes([kind]) for count, kind in locals_])
    body += b"".join(encode(ins) for ins in listing) + encode(("end",))
    return uleb(len(body)) + body


# ---- the kernel -----------------------------------------------------------------------------

# Parameters, then locals (their indices in the listing).
H, N, W, BLOCKS, OUT = range(5)  # i32 parameters (byte addresses, counts)
P, END4, END = 5, 6, 7  # i32: the read position in h; where the groups of 4 and all inputs end
S = 8  # v128: h[i] in both lanes
ACC = tuple(range(9, 17))  # v128: eight running sums, two units each
UNROLL = 4  # inputs a turn: 4 x 2 independent additions in flight hide f64x2.add's latency
BLOCK_BYTES = 32  # four float64 units
ZERO = ("v128.const", [0] * 16)


def _input(k: int, sums: tuple[int, int]) -> list[Instruction]:
    """Multiply-add input p[k] into `sums` (units 0-1 and 2-3), reading weights w[4k..4k+3]."""
    out: list[Instruction] = [("local.get", P), ("v128.load64_splat", 8 * k), ("local.set", S)]
    for half, acc in enumerate(sums):
        out += [
            ("local.get", acc),
            ("local.get", S),
            ("local.get", W),
            ("v128.load", BLOCK_BYTES * k + 16 * half),
            ("f64x2.mul",),
            ("f64x2.add",),
            ("local.set", acc),
        ]
    return out


def _advance(local: int, step: int) -> list[Instruction]:
    return [("local.get", local), ("i32.const", step), ("i32.add",), ("local.set", local)]


def _loop_while_below(limit: int, turn: list[Instruction]) -> list[Instruction]:
    """`turn` repeated while p < limit (not entered when p >= limit already)."""
    return [
        ("block",),
        ("local.get", P),
        ("local.get", limit),
        ("i32.ge_u",),
        ("br_if", 0),  # to the block's end: nothing to do
        ("loop",),
        *turn,
        ("local.get", P),
        ("local.get", limit),
        ("i32.lt_u",),
        ("br_if", 0),  # to the loop's start
        ("end",),
        ("end",),
    ]


def _sum_pairs(sums: Sequence[int]) -> list[Instruction]:
    """(s0 + s1) + (s2 + s3) of the v128 locals `sums`, left on the stack."""
    a, b, c, d = sums
    return [("local.get", a), ("local.get", b), ("f64x2.add",)] + [
        ("local.get", c),
        ("local.get", d),
        ("f64x2.add",),
        ("f64x2.add",),
    ]


def kernel_listing() -> list[Instruction]:
    """The body of `dense(h, n, w, blocks, out)` as (opcode name, immediates) tuples."""
    quad = [ins for k in range(UNROLL) for ins in _input(k, ACC[2 * k : 2 * k + 2])]
    quad += _advance(P, 8 * UNROLL) + _advance(W, BLOCK_BYTES * UNROLL)
    single = _input(0, ACC[:2]) + _advance(P, 8) + _advance(W, BLOCK_BYTES)
    return [
        ("block",),
        ("local.get", BLOCKS),
        ("i32.eqz",),
        ("br_if", 0),  # no blocks: done
        ("loop",),  # one block of four units a turn
        ZERO,
        *[("local.tee", acc) for acc in ACC[:-1]],
        ("local.set", ACC[-1]),
        ("local.get", H),
        ("local.tee", P),
        ("local.get", N),
        ("i32.const", -UNROLL),
        ("i32.and",),
        ("i32.const", 3),
        ("i32.shl",),
        ("i32.add",),
        ("local.set", END4),  # h + 8 * (n rounded down to a multiple of 4)
        ("local.get", H),
        ("local.get", N),
        ("i32.const", 3),
        ("i32.shl",),
        ("i32.add",),
        ("local.set", END),  # h + 8 * n
        *_loop_while_below(END4, quad),
        *_loop_while_below(END, single),
        ("local.get", OUT),
        *_sum_pairs(ACC[0::2]),  # units 0-1: (acc0 + acc2) + (acc4 + acc6)
        ("v128.store", 0),
        ("local.get", OUT),
        *_sum_pairs(ACC[1::2]),  # units 2-3
        ("v128.store", 16),
        *_advance(OUT, BLOCK_BYTES),
        ("local.get", BLOCKS),
        ("i32.const", 1),
        ("i32.sub",),
        ("local.tee", BLOCKS),
        ("br_if", 0),  # next block
        ("end",),
        ("end",),
    ]


@cache
def kernel_wasm() -> bytes:
    """The kernel module's bytes (deterministic): memory "memory" and function "dense"."""
    dense_type = bytes([FUNC_TYPE]) + vec([bytes([I32])] * 5) + vec([])
    exports = [name("memory") + bytes([EXPORT_MEMORY]) + uleb(0)]
    exports.append(name("dense") + bytes([EXPORT_FUNC]) + uleb(0))
    body = function_body([(3, I32), (1 + len(ACC), V128)], kernel_listing())
    return b"".join(
        [
            MAGIC,
            VERSION,
            section(TYPE, vec([dense_type])),
            section(FUNCTION, vec([uleb(0)])),
            section(MEMORY, vec([b"\x00" + uleb(1)])),  # limits: minimum 1 page, no maximum
            section(EXPORT, vec(exports)),
            section(CODE, vec([body])),
        ]
    )
