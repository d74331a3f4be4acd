"""Chain state (SPEC section 4): the moment a portrait is drawn for, and what the fee rate does.

A `ChainState` is a block time (Unix seconds, UTC), a height and a fee rate (average sat/vB).
`resolve(source, time=..., fee_rate=...)` is the one entry point; `source` is one of:

- ``None`` or ``"default"``: `DEFAULT_CHAIN_STATE`, embedded, for offline use;
- ``"file:PATH"`` or a path ending ``.json``: Bitcoin Core ``getblockstats`` output (``time``,
  ``height``, ``avgfeerate``), bare or in its JSON-RPC envelope; an ord ``/r/blockinfo`` reply
  (``timestamp``, ``average_fee_rate``) and `ChainState.to_json` output are accepted too;
- ``"rpc+http://USER:PASS@HOST:PORT"``: a Bitcoin Core JSON-RPC endpoint (``getblockcount``, then
  ``getblockstats`` at that height; port 8332 when none is given; ``rpc+https://`` also works);
- ``"ord+http://HOST:PORT"``: an ord server's recursion endpoints (``/r/blockheight``, then
  ``/r/blockinfo/<height>``); ``ord+https://ordinals.com`` also works.

Explicit ``time`` (ISO 8601 UTC or Unix seconds) and ``fee_rate`` replace the source's values;
a time other than the source block's leaves the height unknown (`UNKNOWN_HEIGHT`).
Every failure is a one-line `ChainStateError` naming the source (never a password) and field.
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

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


@dataclass(frozen=True)
class Animation:
    """Animation parameters that follow from the fee rate and Hardware Acceleration."""

    activity: float  # f in [0.2, 0.8]
    spark_interval: int  # frames between spark events
    reveal_frames_per_layer: int
    sweep_frames_per_layer: int

    def sparks_per_event(self, live_nodes: int) -> int:
        """How many live nodes one spark event lights."""
        return int(math.floor(live_nodes * self.activity))


#: Hardware Acceleration -> (reveal frames per layer, classification sweep frames per layer).
ACCELERATION_FRAMES = {"Basic": (30, 40), "Standard": (15, 20), "Advanced": (2, 10)}


def fee_activity(fee_rate: float) -> float:
    """f = tanh(log10(fee rate)) clamped to [0, 1], mapped linearly to [0.2, 0.8]."""
    if not fee_rate > 0 or math.isnan(fee_rate):
        f = 0.0
    else:
        f = min(1.0, max(0.0, math.tanh(math.log10(fee_rate))))
    return 0.2 + 0.6 * f


def spark_interval(activity: float) -> int:
    """Frames between spark events: 15 at activity 0.2 down to 2 at 0.8, linearly."""
    x = (activity - 0.2) / 0.6
    return int(round(15 - 13 * min(1.0, max(0.0, x))))


def animation(fee_rate: float, acceleration: str) -> Animation:
    """The animation parameters for a fee rate and a Hardware Acceleration trait."""
    f = fee_activity(fee_rate)
    reveal, sweep = ACCELERATION_FRAMES.get(acceleration, ACCELERATION_FRAMES["Standard"])
    return Animation(f, spark_interval(f), reveal, sweep)


# Unix seconds of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the range datetime can format.
_MIN_TIME, _MAX_TIME = -62135596800.0, 253402300799.0


def parse_time(text: str | float | int, source: str = "time", field: str | None = None) -> float:
    """ISO 8601 (UTC unless it says otherwise) or Unix seconds -> Unix seconds."""
    if isinstance(text, int | float) and not isinstance(text, bool):
        t = float(text)
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


def format_time(t: float) -> str:
    """Unix seconds -> ISO 8601 UTC ('2024-11-25T12:00:00Z')."""
    return datetime.fromtimestamp(t, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


DEFAULT_TIMEOUT = 10.0  # seconds per network operation


def from_values(
    time: str | float, fee_rate: float | str, height: int = UNKNOWN_HEIGHT
) -> ChainState:
    """A chain state from explicit values (time: ISO 8601 UTC or Unix seconds; fee rate sat/vB)."""
    return ChainState(
        time=parse_time(time, source="time"),
        height=number_field(height, "height", None, integer=True),
        fee_rate=_fee_rate(fee_rate, "fee_rate"),
    )


def from_file(path: str | Path) -> ChainState:
    """A chain state from a JSON file: `getblockstats` output (or its JSON-RPC envelope)."""
    source = str(path)
    try:
        data = json.loads(Path(path).read_bytes())
    except OSError as err:
        raise ChainStateError(
            f"cannot read the file: {err.strerror or err}", source=source
        ) from None
    except json.JSONDecodeError as err:
        raise ChainStateError(
            f"not valid JSON ({err.msg} at line {err.lineno} column {err.colno})", source=source
        ) from None
    except ValueError:
        raise ChainStateError("not UTF-8 JSON text", source=source) from None
    if isinstance(data, dict) and "result" in data and "error" in data:
        if data["error"] is not None:
            raise ChainStateError(f"holds an RPC error: {show_value(data['error'])}", source=source)
        data = data["result"]
    return block_state(
        data, source, ("time", "timestamp"), ("avgfeerate", "average_fee_rate", "fee_rate")
    )


def resolve(
    source: str | None,
    *,
    time: str | float | None = None,
    fee_rate: float | str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> ChainState:
    """The chain state for a source string (see the module docstring), with explicit overrides."""
    text = "" if source is None else str(source).strip()
    if not text or text.lower() == "default":
        state = DEFAULT_CHAIN_STATE
    elif text.startswith("file:"):
        state = from_file(text[len("file:") :])
    elif text.lower().endswith(".json"):
        state = from_file(text)
    elif text.startswith("rpc+"):
        from .chainrpc import from_rpc

        state = from_rpc(text[len("rpc+") :], timeout=timeout)
    elif text.startswith("ord+"):
        from .chainrpc import from_ord

        state = from_ord(text[len("ord+") :], timeout=timeout)
    else:
        raise ChainStateError(
            "unknown chain source; expected 'default', 'file:PATH', PATH.json, "
            "'rpc+http://USER:PASS@HOST:PORT' or 'ord+http://HOST:PORT'",
            source=source_label(text),
        )
    if time is not None:
        moment = parse_time(time, source="time")
        if moment != state.time:  # no longer the source's block: its height does not apply
            state = dataclasses.replace(state, time=moment, height=UNKNOWN_HEIGHT)
    if fee_rate is not None:
        state = dataclasses.replace(state, fee_rate=_fee_rate(fee_rate, "fee_rate"))
    return state


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


def summary(state: ChainState, source: str | None = None) -> dict:
    """A chain state and its fee-rate animation parameters, as plain JSON-ready data."""
    activity = fee_activity(state.fee_rate)
    return {
        "source": source_label(source),
        "time": state.time,
        "time_iso": format_time(state.time),
        "height": state.height,
        "fee_rate": state.fee_rate,
        "activity": activity,
        "spark_interval": spark_interval(activity),
    }


def _fee_rate(value: float | str, source: str) -> float:
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            raise ChainStateError(
                f"expected a number of sat/vB, got {value!r}", source=source
            ) from None
    return number_field(value, source, None)


def number_field(value: object, source: str, field: str | None, integer: bool = False):
    """A finite number >= 0 (a whole one if `integer`), or a ChainStateError saying so."""
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    ok = ok and math.isfinite(value) and value >= 0 and (not integer or value == int(value))
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
