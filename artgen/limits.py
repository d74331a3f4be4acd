"""The documented limits of what a user may ask for, each checked before any work starts.

One home per limit, like SQLite's documented limits: the command line's ranges, the library's
checks and the README's table all read them from here. Each `Limit` says what it bounds, in
which unit, and why; `LIMITS` lists them all (the README's table and the tests walk it). Work
budgets (epochs, frames, pixels, bytes read, network time) join this table as they are set.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .errors import LimitError
from .wording import plural


@dataclass(frozen=True)
class Limit:
    """An inclusive range [low, high] of one quantity; `high` None means no upper bound yet."""

    name: str  # what is limited, as a user would say it
    unit: str  # "px", "fps", "token", ... (artgen.wording makes the plural)
    low: int | float
    high: int | float | None
    why: str  # where the bounds come from

    def __contains__(self, value: object) -> bool:
        if not isinstance(value, int | float) or isinstance(value, bool) or math.isnan(value):
            return False
        return self.low <= value and (self.high is None or value <= self.high)

    def describe(self) -> str:
        """The range in words: "64 to 4096 px", or "at least 1 token"."""
        if self.high is None:
            return f"at least {self.low:g} {plural(self.unit, self.low)}"
        return f"{self.low:g} to {self.high:g} {plural(self.unit, self.high)}"

    def check(self, value, *, source: str | None = None, field: str | None = None):
        """`value` itself when it lies in the range; LimitError naming the limit otherwise."""
        if value not in self:
            raise LimitError(
                f"expected the {self.name} to be {self.describe()}, got {value!r}",
                source=source,
                field=field,
            )
        return value


#: The side of a square portrait, still or animated (render, animate, timelapse).
PORTRAIT_PX = Limit(
    "side of a portrait",
    "px",
    64,
    4096,
    "64 px is a thumbnail (dense networks blur below 256 px); 4096 px is the original's "
    "largest save (its K key). An animation keeps 16 frames for its GIF palette: "
    "16 x 4096^2 x 3 bytes = 805 MB at most.",
)
#: Frames per second of an animation (animate, timelapse, a collection's previews).
FPS = Limit(
    "frame rate",
    "fps",
    1,
    60,
    "the original animates once per display frame, 60 Hz; a GIF plays 50 fps at most",
)
#: Tokens in a collection (mint, the sampler audit).
TOKENS = Limit(
    "number of tokens",
    "token",
    1,
    None,
    "a collection has at least one token; at most as many as distinct trait combinations, "
    "which the sampler checks against the tables",
)

LIMITS: tuple[Limit, ...] = (PORTRAIT_PX, FPS, TOKENS)
