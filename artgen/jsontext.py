"""JSON text read strictly, for every JSON file and reply from outside.

UTF-8 only (a byte-order mark is allowed), finite numbers only (no NaN or Infinity, nor a
float that overflows), each key at most once in an object (a second `classes_name` must not
silently win), and nesting checked against a limit (json's scanner stops at Python's
recursion limit, then the tree is walked without recursion). Every refusal is a
`JSONTextError` whose message says what was expected; `read_json` reads a file within a byte
budget and names it in the caller's exception type.
"""

from __future__ import annotations

import json
import math
import os

from . import limits
from .errors import ArtgenError
from .inputs import read_bytes


class JSONTextError(ValueError):
    """JSON text that cannot be read; the message says what was expected."""


class _Constant(ValueError):
    pass


class _Duplicate(ValueError):
    pass


def _reject_constant(name: str) -> None:
    raise _Constant(name)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Constant(_short(text))
    return value


def _short(text: str, width: int = 20) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def _object(pairs: list[tuple[str, object]]) -> dict:
    doc = dict(pairs)
    if len(doc) != len(pairs):
        seen = set()
        for key, _ in pairs:
            if key in seen:
                raise _Duplicate(key)
            seen.add(key)
    return doc


def loads(text: object, *, max_depth: int = int(limits.JSON_DEPTH.high)) -> object:
    """The JSON value of `text` (str or UTF-8 bytes), read strictly."""
    if isinstance(text, bytes | bytearray | memoryview):
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise JSONTextError(f"expected UTF-8 text, bad byte at {err.start:,}") from None
    elif not isinstance(text, str):
        raise JSONTextError(f"expected JSON text, found {type(text).__name__}")
    try:
        doc = json.loads(
            text.removeprefix("\ufeff"),
            parse_constant=_reject_constant,
            parse_float=_finite_float,
            object_pairs_hook=_object,
        )
    except json.JSONDecodeError as err:
        where = f"line {err.lineno} column {err.colno}"
        raise JSONTextError(f"not valid JSON: {err.msg} at {where}") from None
    except _Constant as err:
        raise JSONTextError(f"expected finite JSON numbers, found {err}") from None
    except _Duplicate as err:
        key = _short(str(err), 40)
        raise JSONTextError(f"expected each key once in an object, found {key!r} twice") from None
    except RecursionError:  # json's scanner stops at Python's recursion limit (~1,000 levels)
        raise JSONTextError(_too_deep(max_depth)) from None
    except ValueError:  # integers beyond Python's digit limit
        raise JSONTextError("not valid JSON: a number has too many digits") from None
    check_depth(doc, max_depth)
    return doc


def _too_deep(limit: int) -> str:
    return f"expected JSON nested at most {limit} levels deep"


def check_depth(doc: object, limit: int) -> None:
    """Refuse nesting deeper than `limit` (iteratively, so it cannot recurse itself)."""
    stack = [(doc, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            raise JSONTextError(_too_deep(limit))
        children = (
            node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        )
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))


def parse(text: object, error: type[ArtgenError], source: str) -> object:
    """`loads(text)`, its refusal raised as `error` naming `source`."""
    try:
        return loads(text)
    except JSONTextError as err:
        raise error(str(err), source=source) from None


def read_json(path: str | os.PathLike, limit: limits.Limit, error: type[ArtgenError]) -> object:
    """The JSON value of the regular file at `path` (within `limit` bytes), read strictly; a
    refusal is `error` naming the file."""
    return parse(read_bytes(path, limit, error), error, str(path))


def finite(value: object) -> object:
    """`value` with every NaN or infinite float replaced by None (JSON's null), for JSON that
    is written: a file artgen writes never holds NaN, which is not JSON."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [finite(item) for item in value]
    return value
