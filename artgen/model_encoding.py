"""Weight encodings of the data inscription (SPEC section 5): the original float32 and two
compact ones that a collection may choose to pay fewer bytes on chain.

`weight_b64` holds, for each Dense layer in order, its kernel (rows = inputs, columns = units,
row-major) then its bias, encoded as:

- "float32": little-endian float32 values. The original format: such a model has no
  `weight_encoding` field, so the original's loader reads it byte for byte.
- "float16": the same values as little-endian IEEE 754 half floats (2 bytes a weight).
- "int8": the first Dense layer, which holds nearly all the weights (one row per input
  pixel channel), as one little-endian float32 scale per row (the row's largest |weight|
  divided by 127), then its kernel as signed bytes q (the weight is q x its row's scale,
  computed in float32), then its bias as float32; every later layer as in float32. Those
  later layers are a few hundred weights that every class decision passes through: rounded
  to 8 bits they moved held-out accuracy by up to 1.75 points on 100 trained tokens, against
  0.5 with the first layer alone rounded (bench/inscribe).

A compact model names its encoding in one more field, `weight_encoding`. Decoding is exact
and the same in the JavaScript engine: a half float widens to float32 without rounding, and
q x scale (an 8-bit integer times a float32) rounds once, to float32.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence

import numpy as np

from .errors import ModelFormatError

FIELD = "weight_encoding"
WEIGHT_ENCODINGS = ("float32", "float16", "int8")
ORIGINAL = "float32"
INT8_LEVELS = 127  # q in -127..127: symmetric, so -scale x 127 is the smallest weight
HALF_MAX = 65504.0  # the largest finite float16

#: One Dense layer's shape in the blob: (inputs, units, whether its bias is stored).
Shape = tuple[int, int, bool]


class EncodingError(ValueError):
    """Weights that an encoding cannot hold, or a blob that does not fit its shapes."""


def encoded_size(encoding: str, shapes: Sequence[Shape]) -> int:
    """Bytes of the weights of layers `shapes` in `encoding`."""
    total = 0
    for index, (n, u, bias) in enumerate(shapes):
        if encoding == "int8" and index == 0:
            total += 4 * n + n * u + (4 * u if bias else 0)
        else:
            total += (n * u + (u if bias else 0)) * (2 if encoding == "float16" else 4)
    return total


def encode_weights(encoding: str, layers: Sequence[tuple[np.ndarray, np.ndarray | None]]) -> bytes:
    """The blob of `layers` ((kernel, bias or None) per Dense layer) in `encoding`."""
    parts: list[bytes] = []
    for index, (kernel, bias) in enumerate(layers):
        kernel = np.asarray(kernel, np.float32)
        values = [kernel.ravel()] + ([np.asarray(bias, np.float32)] if bias is not None else [])
        if encoding == "float32" or (encoding == "int8" and index > 0):
            parts += [v.astype("<f4").tobytes() for v in values]
        elif encoding == "float16":
            for v in values:
                if v.size and float(np.abs(v).max()) > HALF_MAX:
                    raise EncodingError(
                        f"layer {index}: a weight of {float(np.abs(v).max()):g} is beyond "
                        f"float16's range (+-{HALF_MAX:g})"
                    )
                parts.append(v.astype("<f2").tobytes())
        elif encoding == "int8":
            scale = (np.abs(kernel).max(axis=1) / np.float32(INT8_LEVELS)).astype(np.float32)
            safe = np.where(scale > 0, scale, np.float32(1))[:, None]
            q = np.clip(np.rint(kernel / safe), -INT8_LEVELS, INT8_LEVELS).astype(np.int8)
            parts += [scale.astype("<f4").tobytes(), q.tobytes()]
            if bias is not None:
                parts.append(values[1].astype("<f4").tobytes())
        else:
            raise EncodingError(f"unknown weight encoding {encoding!r}")
    return b"".join(parts)


def decode_weights(
    encoding: str, raw: bytes, shapes: Sequence[Shape]
) -> list[tuple[np.ndarray, np.ndarray | None]]:
    """(kernel, bias or None) per layer from a blob of exactly `encoded_size` bytes."""
    if len(raw) != encoded_size(encoding, shapes):
        raise EncodingError(
            f"expected {encoded_size(encoding, shapes):,} bytes, found {len(raw):,}"
        )
    out: list[tuple[np.ndarray, np.ndarray | None]] = []
    at = 0

    def take(count: int, dtype: str) -> np.ndarray:
        nonlocal at
        size = count * np.dtype(dtype).itemsize
        values = np.frombuffer(raw, dtype=dtype, count=count, offset=at)
        at += size
        return values

    for index, (n, u, has_bias) in enumerate(shapes):
        if encoding == "int8" and index == 0:
            scale = take(n, "<f4").astype(np.float32)
            q = take(n * u, "i1").reshape(n, u)
            kernel = q.astype(np.float32) * scale[:, None]
        else:
            dtype = "<f2" if encoding == "float16" else "<f4"
            kernel = take(n * u, dtype).astype(np.float32).reshape(n, u)
        bias_type = "<f2" if encoding == "float16" else "<f4"
        bias = take(u, bias_type).astype(np.float32) if has_bias else None
        out.append((kernel, bias))
    return out


def quantized(encoding: str, layers: Sequence[tuple[np.ndarray, np.ndarray]]) -> list:
    """`layers` as a model in `encoding` holds them (encode, then decode)."""
    shapes = [(np.shape(k)[0], np.shape(k)[1], True) for k, _ in layers]
    return decode_weights(encoding, encode_weights(encoding, layers), shapes)


# --- reading weight_b64 (artgen.model's loader; errors name the file and the field) ---------


def read_encoding(doc: dict, source: str) -> str:
    """A model document's weight encoding (no field: the original float32)."""
    value = doc.get(FIELD, ORIGINAL)
    if value not in WEIGHT_ENCODINGS:
        raise ModelFormatError(
            f"expected one of {', '.join(WEIGHT_ENCODINGS)}, found {value!r:.40}",
            source=source,
            field=FIELD,
        )
    return value


def base64_text(value: object, source: str) -> tuple[str, int]:
    """weight_b64's base64 text without whitespace, padded, and its decoded size."""
    if not isinstance(value, str):
        raise ModelFormatError("expected a base64 string", source=source, field="weight_b64")
    text = "".join(value.split())
    if not text.isascii() or len(text) % 4 == 1:
        raise _not_base64(source)
    text += "=" * (-len(text) % 4)
    size = len(text) // 4 * 3 - (2 if text.endswith("==") else 1 if text.endswith("=") else 0)
    return text, size


def base64_bytes(text: str, source: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise _not_base64(source) from None


def _not_base64(source: str) -> ModelFormatError:
    return ModelFormatError(
        "expected base64 text, found characters outside the alphabet",
        source=source,
        field="weight_b64",
    )


def decode_compact(value: object, source: str, shapes: Sequence[Shape], encoding: str) -> list:
    """(kernel, bias) per layer of weight_b64 in a compact encoding: exact sizes, every bias
    stored, finite values (ModelFormatError otherwise)."""
    text, size = base64_text(value, source)
    expected = encoded_size(encoding, shapes)
    if size != expected:
        layers = ", ".join(f"{n}x{u}" for n, u, _ in shapes)
        raise ModelFormatError(
            f"expected {expected:,} bytes of {encoding} weights for layers {layers}, "
            f"found {size:,}",
            source=source,
            field="weight_b64",
        )
    weights = []
    for i, (kernel, bias) in enumerate(
        decode_weights(encoding, base64_bytes(text, source), shapes)
    ):
        bias = np.zeros(kernel.shape[1], np.float32) if bias is None else bias
        if not (np.isfinite(kernel).all() and np.isfinite(bias).all()):
            raise ModelFormatError(
                f"expected finite numbers in layer {i}", source=source, field="weight_b64"
            )
        weights.append((kernel, bias))
    return weights
