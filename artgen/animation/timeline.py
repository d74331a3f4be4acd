"""The animation timeline (SPEC 4 and 6): frame k -> FrameOptions, a pure function.

A clip runs three phases, each optional but the idle one:

- reveal: one layer (column) every `reveal_frames_per_layer` frames (Hardware Acceleration:
  Basic 30, Standard 15, Advanced 2): in the first half of its step a column's nodes fade in
  top down, in the second half its lines grow towards the next column;
- idle: signal sparks at the fee rate's pace (`artgen.animation.sparks`);
- sweep: a classification front moves from the input to the output column,
  `sweep_frames_per_layer` frames per column, then rests on the output for one more step,
  while sparks fire among the nodes near the front.

A clip with neither reveal nor sweep is a seamless loop: the spark schedule repeats every
`idle` frames, and the Dead and Rebirth particles run on a clock that swings back and forth,
drift(i) = idle / (2 pi) * sin(2 pi i / idle): at the start they move at their own speed,
ease, come back through where they started and return, so frame `idle` is frame 0 again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

from ..chain import Animation
from ..scene import FrameOptions
from .sparks import ages, event_frames, fade_frames, pulse_targets, spark_phases

#: The sweep lights nodes at most this many columns from its front.
SWEEP_REACH = 1.0


@dataclass(frozen=True)
class Timeline:
    """The schedule of one clip: `live` holds (node id, column) of the live nodes drawn."""

    seed: int | str
    token: int
    columns: int
    animation: Animation
    live: tuple[tuple[str, int], ...]
    idle: int
    reveal: bool = False
    sweep: bool = False

    def __post_init__(self) -> None:
        if self.idle < 1 or self.columns < 2:
            raise ValueError("a timeline needs an idle phase of at least one frame, 2+ columns")

    @property
    def loop(self) -> bool:
        """True when the clip is the idle loop alone, so its last frame flows into its first."""
        return not (self.reveal or self.sweep)

    @property
    def reveal_frames(self) -> int:
        return self.columns * self.animation.reveal_frames_per_layer if self.reveal else 0

    @property
    def sweep_frames(self) -> int:
        return self.columns * self.animation.sweep_frames_per_layer if self.sweep else 0

    @property
    def length(self) -> int:
        return self.reveal_frames + self.idle + self.sweep_frames

    @cached_property
    def _live_ids(self) -> tuple[str, ...]:
        return tuple(nid for nid, _ in self.live)

    @property
    def _fade(self) -> int:
        return fade_frames(self.animation.spark_interval)

    @cached_property
    def _targets(self):
        return pulse_targets(self.live)

    @cached_property
    def _idle_events(self) -> tuple[int, ...]:
        return event_frames(self.idle, self.animation.spark_interval, self.loop)

    @cached_property
    def _sweep_events(self) -> tuple[int, ...]:
        return event_frames(self.sweep_frames, self.animation.spark_interval, False)

    def phase(self, k: int) -> str:
        """ "reveal", "idle" or "sweep"."""
        if k < self.reveal_frames:
            return "reveal"
        return "idle" if k < self.reveal_frames + self.idle or not self.sweep else "sweep"

    def front(self, j: int) -> float:
        """The sweep front, in columns, `j` frames into the sweep."""
        return min(self.columns - 1.0, j / self.animation.sweep_frames_per_layer)

    def options(self, k: int) -> FrameOptions:
        """What frame `k` shows."""
        phase = self.phase(k)
        if phase == "reveal":
            node, line = reveal_shares(k, self.columns, self.animation.reveal_frames_per_layer)
            return FrameOptions(index=k, node_reveal=node, line_reveal=line)
        i = k - self.reveal_frames
        if phase == "idle":
            if self.loop:
                i %= self.idle
            phases = spark_phases(
                purpose="sparks",
                seed=self.seed,
                token=self.token,
                glowing=ages(i, self._idle_events, self.idle, self.loop, self._fade),
                candidates=self._live_ids,
                per_event=self.animation.sparks_per_event,
                target=self._targets,
            )
            drift = self.idle / (2 * math.pi) * math.sin(2 * math.pi * i / self.idle)
            return FrameOptions(index=k, spark_phases=phases, drift=drift if self.loop else None)
        j = i - self.idle
        phases = spark_phases(
            purpose="sweep",
            seed=self.seed,
            token=self.token,
            glowing=ages(j, self._sweep_events, self.sweep_frames, False, self._fade),
            candidates_at=self._near_front,
            per_event=self.animation.sparks_per_event,
            target=self._targets,
        )
        return FrameOptions(index=k, spark_phases=phases, sweep=self.front(j))

    def _near_front(self, event: int) -> tuple[str, ...]:
        front = self.front(event)
        return tuple(nid for nid, c in self.live if abs(c - front) <= SWEEP_REACH)

    def spark_starts(self, k: int) -> int:
        """How many sparks are lit at frame `k` (phase 0): the count the fee rate sets."""
        return sum(1 for _, phase, _ in self.options(k).spark_phases if phase == 0.0)


def reveal_shares(k: int, columns: int, per_layer: int) -> tuple[tuple[float, ...], ...]:
    """(node reveal per column, line reveal per gap) at frame k of the reveal."""
    half = per_layer / 2.0
    done = k + 1  # the reveal's last frame shows everything
    node = tuple(min(1.0, max(0.0, (done - c * per_layer) / half)) for c in range(columns))
    line = tuple(
        min(1.0, max(0.0, (done - g * per_layer - half) / half)) for g in range(columns - 1)
    )
    return node, line
