"""Parsers of TOML values for the collection config: each returns the value, or raises Bad
with what was expected (the config loader adds the file and the field).

Every parser says what it accepts in its `expects` text: the same words are the error
message ("expected <expects>, got ...") and the "allowed:" line of each key in
collection/default.toml (a test holds the two together).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any, Protocol

from artgen.chain import SOURCE_FORMS, parse_time, source_kind
from artgen.errors import ArtgenError
from artgen.limits import Limit


class Bad(Exception):
    """A value that does not fit; the message says what was expected."""


class Parser(Protocol):
    """A TOML value -> the config's value, or Bad; `expects` says what it accepts."""

    expects: str

    def __call__(self, value: Any) -> Any: ...


def _parser(expects: str, parse: Callable[[Any], Any]) -> Parser:
    parse.expects = expects  # type: ignore[attr-defined]
    return parse  # type: ignore[return-value]


def whole(lo: int, hi: int | None = None) -> Parser:
    expects = f"a whole number >= {lo}" + (f" and <= {hi}" if hi is not None else "")

    def parse(v: Any) -> int:
        if isinstance(v, bool) or not isinstance(v, int) or v < lo or (hi is not None and v > hi):
            raise Bad(expects)
        return v

    return _parser(expects, parse)


def within(limit: Limit) -> Parser:
    """A whole number inside a documented limit (`artgen.limits`)."""
    expects = f"a whole number from {limit.describe()}"

    def parse(v: Any) -> int:
        if isinstance(v, bool) or not isinstance(v, int) or v not in limit:
            raise Bad(expects)
        return v

    return _parser(expects, parse)


def number(positive: bool) -> Parser:
    expects = "a number > 0" if positive else "a number >= 0"

    def parse(v: Any) -> float:
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise Bad(expects)
        try:
            value = float(v)  # a 400-digit integer does not fit
        except OverflowError:
            raise Bad(expects) from None
        if not math.isfinite(value) or value < 0 or (positive and value == 0):
            raise Bad(expects)
        return value

    return _parser(expects, parse)


def text(empty: bool = False) -> Parser:
    expects = "a string" if empty else "a non-empty string"

    def parse(v: Any) -> str:
        if not isinstance(v, str) or (not empty and not v.strip()):
            raise Bad(expects)
        return v

    return _parser(expects, parse)


def quoted(options: tuple[str, ...]) -> str:
    """Options as TOML strings: '"png", "svg"'."""
    return ", ".join(json.dumps(o, ensure_ascii=False) for o in options)


def choice(options: tuple[str, ...]) -> Parser:
    expects = f"one of {quoted(options)}"

    def parse(v: Any) -> str:
        if v not in options:
            raise Bad(expects)
        return v

    return _parser(expects, parse)


def subset(options: tuple[str, ...]) -> Parser:
    """A non-empty list of distinct options."""
    expects = f"a non-empty list of distinct values among {quoted(options)}"

    def parse(v: Any) -> tuple[str, ...]:
        if not isinstance(v, list) or not v or any(x not in options for x in v):
            raise Bad(expects)
        if len(set(v)) != len(v):
            raise Bad(expects)
        return tuple(v)

    return _parser(expects, parse)


def listed(item: Parser, what: str, length: int | None = None) -> Parser:
    """A list of `length` items (any number > 0 when None, then distinct), each `item`."""
    expects = f"{length} {what}" if length is not None else f"a non-empty list of distinct {what}"

    def parse(v: Any) -> tuple:
        if not isinstance(v, list) or not v or (length is not None and len(v) != length):
            raise Bad(expects)
        try:
            out = tuple(item(x) for x in v)
        except Bad:
            raise Bad(expects) from None
        if length is None and len(set(out)) != len(out):
            raise Bad(expects)
        return out

    return _parser(expects, parse)


def _seed(v: Any) -> int | str:
    if isinstance(v, str) and v.strip().lstrip("-").isdigit():
        return int(v.strip())  # "42" and 42 name the same random streams: keep one form
    if (
        isinstance(v, bool)
        or not isinstance(v, int | str)
        or (isinstance(v, str) and not v.strip())
    ):
        raise Bad(seed.expects)
    return v


seed = _parser("a whole number or a non-empty string", _seed)


def _moment_time(v: Any) -> float:
    try:
        return parse_time(v)
    except ArtgenError:
        raise Bad(moment_time.expects) from None


moment_time = _parser("ISO 8601 UTC (2024-11-25T12:00:00Z) or Unix seconds", _moment_time)


def _chain_source(v: Any) -> str:
    if not isinstance(v, str) or not v.strip() or source_kind(v) is None:
        raise Bad(chain_source.expects)
    return v


chain_source = _parser(
    f"a chain source: {quoted(SOURCE_FORMS[:-1])} or {quoted(SOURCE_FORMS[-1:])}", _chain_source
)


def _flag(v: Any) -> bool:
    if not isinstance(v, bool):
        raise Bad(flag.expects)
    return v


flag = _parser("true or false", _flag)

#: An inscription id: the reveal transaction's id (64 hex digits), "i", the index.
INSCRIPTION_ID = re.compile(r"[0-9a-f]{64}i\d+")
PARENTS = ("cover", "metadata", "none")


def _parent(v: Any) -> str:
    if v in PARENTS or (isinstance(v, str) and INSCRIPTION_ID.fullmatch(v)):
        return v
    raise Bad(parent.expects)


#: The collection's parent: one it inscribes first, none, or an existing inscription id.
parent = _parser(
    f"one of {quoted(PARENTS)} or an inscription id (64 hex digits, 'i', index)", _parent
)
