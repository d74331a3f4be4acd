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
import math
from dataclasses import dataclass
from pathlib import Path

from . import limits
from .chainstate import (
    DEFAULT_CHAIN_STATE,
    DEFAULT_TIMEOUT,
    UNKNOWN_HEIGHT,
    ChainState,
    block_state,
    format_time,
    number_field,
    parse_time,
    show_value,
    source_label,
)
from .errors import ChainStateError
from .jsontext import read_json

__all__ = [  # ChainState and times live in artgen.chainstate; this module is their door too
    "ACCELERATION_FRAMES",
    "DEFAULT_CHAIN_STATE",
    "SOURCE_FORMS",
    "DEFAULT_TIMEOUT",
    "UNKNOWN_HEIGHT",
    "Animation",
    "ChainState",
    "animation",
    "fee_activity",
    "format_time",
    "from_file",
    "from_values",
    "number_field",
    "parse_time",
    "resolve",
    "show_value",
    "source_kind",
    "source_label",
    "spark_interval",
    "summary",
]


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
    data = read_json(path, limits.CHAIN_BYTES, ChainStateError)  # a regular file, strict JSON
    if isinstance(data, dict) and "result" in data and "error" in data:
        if data["error"] is not None:
            raise ChainStateError(f"holds an RPC error: {show_value(data['error'])}", source=source)
        data = data["result"]
    return block_state(
        data, source, ("time", "timestamp"), ("avgfeerate", "average_fee_rate", "fee_rate")
    )


#: The forms of a chain source string (the module docstring says what each reads).
SOURCE_FORMS = (
    "default",
    "file:PATH",
    "PATH.json",
    "rpc+http://USER:PASS@HOST:PORT",
    "ord+http://HOST:PORT",
)


def source_kind(source: str | None) -> str | None:
    """Which form `source` takes: "default" (also for None or ""), "file", "json", "rpc",
    "ord", or None when it is none of SOURCE_FORMS."""
    text = "" if source is None else str(source).strip()
    if not text or text.lower() == "default":
        return "default"
    if text.startswith("file:"):
        return "file"
    if text.lower().endswith(".json"):
        return "json"
    return next((kind for kind in ("rpc", "ord") if text.startswith(f"{kind}+")), None)


def resolve(
    source: str | None,
    *,
    time: str | float | None = None,
    fee_rate: float | str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> ChainState:
    """The chain state for a source string (see the module docstring), with explicit overrides."""
    text = "" if source is None else str(source).strip()
    kind = source_kind(text)
    if kind == "default":
        state = DEFAULT_CHAIN_STATE
    elif kind == "file":
        state = from_file(text[len("file:") :])
    elif kind == "json":
        state = from_file(text)
    elif kind == "rpc":
        from .chainrpc import from_rpc

        state = from_rpc(text[len("rpc+") :], timeout=timeout)
    elif kind == "ord":
        from .chainrpc import from_ord

        state = from_ord(text[len("ord+") :], timeout=timeout)
    else:
        forms = ", ".join(f"'{f}'" for f in SOURCE_FORMS[:-1])
        raise ChainStateError(
            f"unknown chain source; expected {forms} or '{SOURCE_FORMS[-1]}'",
            source=source_label(text),
        )
    if time is not None:
        moment = parse_time(time, source="time")
        if moment != state.time:  # no longer the source's block: its height does not apply
            state = dataclasses.replace(state, time=moment, height=UNKNOWN_HEIGHT)
    if fee_rate is not None:
        state = dataclasses.replace(state, fee_rate=_fee_rate(fee_rate, "fee_rate"))
    return state


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
