"""Parsers of TOML values for the collection config: each returns the value, or raises Bad
with what was expected (the config loader adds the file and the field)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from artgen.chain import parse_time
from artgen.errors import ArtgenError


class Bad(Exception):
    """A value that does not fit; the message says what was expected."""


Parser = Callable[[Any], Any]


def whole(lo: int, hi: int | None = None) -> Parser:
    def parse(v: Any) -> int:
        if isinstance(v, bool) or not isinstance(v, int) or v < lo or (hi is not None and v > hi):
            raise Bad(f"a whole number >= {lo}" + (f" and <= {hi}" if hi is not None else ""))
        return v

    return parse


def number(positive: bool) -> Parser:
    def parse(v: Any) -> float:
        ok = isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
        if not ok or v < 0 or (positive and v == 0):
            raise Bad("a number > 0" if positive else "a number >= 0")
        return float(v)

    return parse


def text(empty: bool = False) -> Parser:
    def parse(v: Any) -> str:
        if not isinstance(v, str) or (not empty and not v.strip()):
            raise Bad("a string" if empty else "a non-empty string")
        return v

    return parse


def choice(options: tuple[str, ...]) -> Parser:
    def parse(v: Any) -> str:
        if v not in options:
            raise Bad(f"one of {', '.join(map(repr, options))}")
        return v

    return parse


def listed(item: Parser, what: str, length: int | None = None) -> Parser:
    def parse(v: Any) -> tuple:
        if not isinstance(v, list) or not v or (length is not None and len(v) != length):
            count = f"{length} " if length is not None else "a non-empty list of "
            raise Bad(f"{count}{what}")
        try:
            out = tuple(item(x) for x in v)
        except Bad:
            raise Bad(f"a list of {what}") from None
        if length is None and len(set(out)) != len(out):
            raise Bad(f"distinct {what}")
        return out

    return parse


def seed(v: Any) -> int | str:
    if isinstance(v, str) and v.strip().lstrip("-").isdigit():
        return int(v.strip())  # "42" and 42 name the same random streams: keep one form
    if (
        isinstance(v, bool)
        or not isinstance(v, int | str)
        or (isinstance(v, str) and not v.strip())
    ):
        raise Bad("a whole number or a non-empty string")
    return v


def moment_time(v: Any) -> float:
    try:
        return parse_time(v)
    except ArtgenError:
        raise Bad("ISO 8601 UTC (2024-11-25T12:00:00Z) or Unix seconds") from None
