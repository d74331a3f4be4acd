"""A block's moment: `ChainState` (time, height, fee rate), times in ISO 8601, and one
block's JSON read field by field.

The chain sources (`artgen.chain` for files and the default, `artgen.chainrpc` for Bitcoin
Core and ord) both build their `ChainState` here, so imports point one way: chain and
chainrpc import this module, and chain imports chainrpc.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime

from . import limits
from .errors import ChainStateError


@dataclass(frozen=True)
class ChainState:
    """One block's time, height (`UNKNOWN_HEIGHT` for a moment chosen by time) and fee rate."""

    time: float
    height: int
    fee_rate: float

    def to_json(self) -> dict:
        return {"time": self.time, "height": self.height, "fee_rate": self.fee_rate}


#: The height of a chain state no block vouches for: a moment chosen by time (`--time`, or
#: values given without a height). Shown as unknown, never as another block's height.
UNKNOWN_HEIGHT = 0
#: Embedded default for offline use: a fixed moment (2024-11-25T10:40:00Z), height and fee rate.
DEFAULT_CHAIN_STATE = ChainState(time=1732531200.0, height=871000, fee_rate=12.4)


# Unix seconds of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the range datetime can format.
_MIN_TIME, _MAX_TIME = -62135596800.0, 253402300799.0


def parse_time(text: str | float | int, source: str = "time", field: str | None = None) -> float:
    """ISO 8601 (UTC unless it says otherwise) or Unix seconds -> Unix seconds."""
    if isinstance(text, int | float) and not isinstance(text, bool):
        t = float(text) if abs(text) < 2**63 else math.inf  # a huge integer: refused below
    else:
        s = str(text).strip()
        try:
            t = float(s)
        except ValueError:
            try:
                dt = datetime.fromisoformat(s.replace("Z", "+00:00"))
            except ValueError:
                raise ChainStateError(
                    f"expected ISO 8601 UTC (2024-11-25T12:00:00Z) or Unix seconds, got {s!r}",
                    source=source,
                    field=field,
                ) from None
            if dt.tzinfo is None:
                dt = dt.replace(tzinfo=UTC)
            t = dt.timestamp()
    if not _MIN_TIME <= t <= _MAX_TIME:  # also rejects NaN
        raise ChainStateError(
            f"expected a time between years 1 and 9999, got {text!r}", source=source, field=field
        )
    return t


#: Seconds in 400 Gregorian years: the calendar repeats after them, to the weekday.
_GREGORIAN_CYCLE = 146_097 * 86_400


def format_time(t: float) -> str:
    """Unix seconds -> ISO 8601 UTC ('2024-11-25T12:00:00Z'). A time past year 9999 (a next
    stage can fall there) takes ISO 8601's expanded year, '+10002-06-01T00:00:00Z'."""
    if not math.isfinite(t):
        raise ValueError(f"cannot format the time {t!r}")
    cycles = 0
    if not _MIN_TIME <= t <= _MAX_TIME:  # move into datetime's range by whole 400-year cycles
        cycles = math.floor((t - _CYCLE_BASE) / _GREGORIAN_CYCLE)
        t -= cycles * _GREGORIAN_CYCLE
    moment = datetime.fromtimestamp(t, tz=UTC)
    year = moment.year + 400 * cycles
    shown = f"{year:04d}" if 0 <= year <= 9999 else f"{year:+05d}"
    return shown + moment.strftime("-%m-%dT%H:%M:%SZ")


#: The start of a 400-year cycle inside datetime's range (2000-01-01T00:00:00Z).
_CYCLE_BASE = 946_684_800


#: Seconds a network chain source has for its whole exchange (`limits.NETWORK_SECONDS`).
DEFAULT_TIMEOUT = float(limits.NETWORK_SECONDS.high)


def source_label(source: str | None) -> str:
    """A source string fit to print: 'default' for None, any password in a URL masked."""
    text = "" if source is None else str(source).strip()
    if not text:
        return "default"
    scheme, sep, rest = text.partition("://")
    if sep and "@" in rest.split("/", 1)[0]:
        userinfo, _, hostpart = rest.partition("@")
        user = userinfo.split(":", 1)[0]
        return f"{scheme}://{user}:***@{hostpart}" if ":" in userinfo else text
    return text


#: Past any block height, time or fee rate (and still a float): numbers beyond are refused.
_LARGEST = 2.0**63


def number_field(value: object, source: str, field: str | None, integer: bool = False):
    """A finite number >= 0 (a whole one if `integer`), or a ChainStateError saying so."""
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    ok = ok and 0 <= value < _LARGEST  # also refuses NaN, infinities and 4000-digit integers
    ok = ok and (not integer or value == int(value))
    if not ok:
        what = "an integer >= 0" if integer else "a finite number >= 0"
        raise ChainStateError(
            f"expected {what}, got {show_value(value)}", source=source, field=field
        )
    return int(value) if integer else float(value)


def block_state(block, source, time_keys, fee_keys, height: int | None = None) -> ChainState:
    """A ChainState from one block's JSON object, reading the first of each key tuple present."""
    if not isinstance(block, dict):
        raise ChainStateError(
            f"expected a JSON object with {time_keys[0]!r} and {fee_keys[0]!r}, "
            f"got {show_value(block)}",
            source=source,
        )
    values = []
    for keys in (time_keys, fee_keys):
        key = next((k for k in keys if k in block), None)
        if key is None:
            also = f" (or {', '.join(map(repr, keys[1:]))})" if len(keys) > 1 else ""
            raise ChainStateError(f"missing{also}", source=source, field=keys[0])
        values.append((key, number_field(block[key], source, key)))
    (time_key, t), (_, fee) = values
    if "height" in block:
        height = number_field(block["height"], source, "height", integer=True)
    return ChainState(parse_time(t, source, time_key), height or 0, fee)


def show_value(value: object) -> str:
    """A short printable form of a JSON value or reply body, for error messages."""
    if isinstance(value, bytes):  # a reply body: its text, quoted
        text = " ".join(value.decode("utf-8", "replace").split())
        return repr(text if len(text) <= 60 else text[:57] + "...")
    text = json.dumps(value, default=str)  # a JSON value: as JSON, so "12" and 12 differ
    return text if len(text) <= 60 else text[:57] + "..."
