"""Chain state (SPEC section 4): the moment a portrait is drawn for, and what the fee rate does.

A `ChainState` is a block time (Unix seconds, UTC), a height and a fee rate (average sat/vB).
Sources: explicit values, a `getblockstats` JSON file, a Bitcoin Core JSON-RPC endpoint, an
ord server's recursion endpoints, and `DEFAULT_CHAIN_STATE` for offline use.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

from .errors import ChainStateError


@dataclass(frozen=True)
class ChainState:
    """One block's time, height and average fee rate."""

    time: float
    height: int
    fee_rate: float

    def to_json(self) -> dict:
        return {"time": self.time, "height": self.height, "fee_rate": self.fee_rate}


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


def parse_time(text: str | float | int, source: str = "time") -> float:
    """ISO 8601 (UTC unless it says otherwise) or Unix seconds -> Unix seconds."""
    if isinstance(text, int | float) and not isinstance(text, bool):
        return float(text)
    s = str(text).strip()
    try:
        return float(s)
    except ValueError:
        pass
    try:
        dt = datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        raise ChainStateError(
            f"expected ISO 8601 UTC (2024-11-25T12:00:00Z) or Unix seconds, got {s!r}", source=source
        ) from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.timestamp()


def format_time(t: float) -> str:
    """Unix seconds -> ISO 8601 UTC ('2024-11-25T12:00:00Z')."""
    return datetime.fromtimestamp(t, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
