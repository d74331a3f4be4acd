"""JSON text read strictly, for files from outside (a data inscription, a model to upgrade to).

UTF-8 only (a byte-order mark is allowed), finite numbers only (no NaN or Infinity, nor a
float that overflows), and nesting checked against a limit without recursion. Every refusal
is a `JSONTextError` whose message says what was expected; callers add the file's name.
"""

from __future__ import annotations

import json
import math


class JSONTextError(ValueError):
    """JSON text that cannot be read; the message says what was expected."""


class _Constant(ValueError):
    pass


def _reject_constant(name: str) -> None:
    raise _Constant(name)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Constant(text if len(text) <= 20 else text[:17] + "...")
    return value


def loads(text: object) -> object:
    """The JSON value of `text` (str or UTF-8 bytes), read strictly."""
    if isinstance(text, bytes | bytearray | memoryview):
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise JSONTextError(f"expected UTF-8 text, bad byte at {err.start:,}") from None
    elif not isinstance(text, str):
        raise JSONTextError(f"expected JSON text, found {type(text).__name__}")
    try:
        return json.loads(
            text.removeprefix("\ufeff"), parse_constant=_reject_constant, parse_float=_finite_float
        )
    except json.JSONDecodeError as err:
        where = f"line {err.lineno} column {err.colno}"
        raise JSONTextError(f"not valid JSON: {err.msg} at {where}") from None
    except _Constant as err:
        raise JSONTextError(f"expected finite JSON numbers, found {err}") from None
    except RecursionError:
        raise JSONTextError("not valid JSON: nested too deeply") from None
    except ValueError:  # integers beyond Python's digit limit
        raise JSONTextError("not valid JSON: a number has too many digits") from None


def check_depth(doc: object, limit: int) -> None:
    """Refuse nesting deeper than `limit` (iteratively, so it cannot recurse itself)."""
    stack = [(doc, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            raise JSONTextError(f"expected JSON nested at most {limit} levels deep")
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
