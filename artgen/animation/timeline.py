"""The animation timeline (ORIGINAL.md sections 6 and 7, SPEC 6): frame k -> FrameOptions.

A clip runs three phases at `fps` frames per second, each optional but the idle one; the
original's 60 Hz clock (`artgen.animation.pace`) is converted through seconds:

- reveal: one column of nodes per step, then one gap of lines per step (Hardware
  Acceleration: 30, 15 or 2 of the original's frames a step), nothing during the first step;
- idle: the blink, paced by the fee: on the "on" half of step k, step k's set of
  floor(N_live x satFee) live nodes blinks out (SPEC 6: previews and the idle art loop it);
  lines intact;
- classification: the lines are erased right of a front that runs from the input to the
  output column over T = 2 (L - 1) processingFrames, while the blink runs at `spark_rate`.

Both blinks take their sets from the original's stream (`pace.blink_sets`): step k shows set
k, counted from the start of its phase, so the classification shows the original's sets 0 ..
steps-1 and an idle phase goes on along the same stream.

A clip with neither reveal nor classification is a seamless loop: the blink's half-period is
fitted to the loop (`pace.loop_rate`), so the loop holds a whole number of steps and its sets
repeat with it (step k shows set k mod `pace.loop_steps`), and the Rebirth dust runs on a
clock that swings,
clock(i) = S / (2 pi) (1 + sin(2 pi i / N)) for a loop of N frames spanning S of the
original's: it starts at its own speed, slows, comes back and returns, so frame N is frame 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

from ..scene import FrameOptions
from . import pace


@dataclass(frozen=True)
class Timeline:
    """The schedule of one clip: `live` holds the ids of the nodes that may blink (life
    exactly 1, in draw order); `rebirths` and `hidden_sizes` (the layers drawn) seed the
    blink sets as the original's neuron order does; `x_range` the input and output columns' x
    (units)."""

    columns: int
    acceleration: str
    fee_rate: float
    live: tuple[str, ...]
    rebirths: int
    hidden_sizes: tuple[int, ...]
    x_range: tuple[float, float]
    fps: int
    idle: int
    reveal: bool = False
    sweep: bool = False

    def __post_init__(self) -> None:
        if self.idle < 1 or self.columns < 2 or self.fps < 1:
            raise ValueError("a timeline needs an idle phase of one frame or more, 2+ columns")

    @property
    def loop(self) -> bool:
        """True when the clip is the idle loop alone, so its last frame flows into its first."""
        return not (self.reveal or self.sweep)

    @property
    def reveal_frames(self) -> int:
        if not self.reveal:
            return 0
        return pace.preview_frames(pace.reveal_length(self.columns, self.acceleration), self.fps)

    @property
    def classification(self) -> int:
        """T, the classification's length in the original's frames."""
        return pace.classification_length(self.columns, self.acceleration)

    @property
    def sweep_frames(self) -> int:
        return pace.preview_frames(self.classification, self.fps) if self.sweep else 0

    @property
    def length(self) -> int:
        return self.reveal_frames + self.idle + self.sweep_frames

    @property
    def sat_fee(self) -> float:
        return pace.sat_fee(self.fee_rate)

    @property
    def blinking_count(self) -> int:
        """floor(N_live x satFee): the nodes erased on each "on" frame."""
        return pace.active_amount(len(self.live), self.sat_fee)

    @property
    def idle_rate(self) -> float:
        """The idle blink's half-period (original frames): fitted to a loop, else x0."""
        x0 = pace.blink_target(self.sat_fee)
        if self.loop:
            return pace.loop_rate(self.idle * pace.ORIGINAL_FPS / self.fps, x0)
        return x0

    @cached_property
    def loop_steps(self) -> int | None:
        """The blink steps of a loop (its sets repeat with it); None when it is not a loop."""
        if not self.loop:
            return None
        x0 = pace.blink_target(self.sat_fee)
        return pace.loop_steps(self.idle * pace.ORIGINAL_FPS / self.fps, x0)

    @property
    def sweep_rate(self) -> float:
        """sparkRate: the classification's half-period (ORIGINAL 7)."""
        a = self.classification // 2
        return pace.spark_rate(a, pace.blink_target(self.sat_fee))

    @cached_property
    def _idle_on(self) -> tuple[int | None, ...]:
        return pace.blink_schedule(self.idle_rate, pace.original_frame(self.idle, self.fps) + 1)

    @cached_property
    def _sweep_on(self) -> tuple[int | None, ...]:
        return pace.blink_schedule(self.sweep_rate, self.classification)

    @cached_property
    def _sets(self) -> tuple[tuple[str, ...], ...]:
        """Blink sets 0 .. n-1, n the most steps a phase of this clip shows."""
        if self.loop:
            n = self.loop_steps
        else:
            shown = (*self._idle_on, *(self._sweep_on if self.sweep else ()))
            n = max((s for s in shown if s is not None), default=0) + 1
        return pace.blink_sets(self.rebirths, self.hidden_sizes, self.live, self.blinking_count, n)

    def phase(self, k: int) -> str:
        """ "reveal", "idle" or "sweep"."""
        if k < self.reveal_frames:
            return "reveal"
        return "idle" if k < self.reveal_frames + self.idle or not self.sweep else "sweep"

    def options(self, k: int) -> FrameOptions:
        """What frame `k` shows."""
        phase = self.phase(k)
        if phase == "reveal":
            shown = pace.revealed_items(
                pace.original_frame(k, self.fps), self.columns, self.acceleration
            )
            return FrameOptions(index=k, reveal=shown, dust_clock=self.dust_clock(k))
        i = k - self.reveal_frames
        if phase == "idle":
            if self.loop:
                i %= self.idle
            step = self._idle_on[pace.original_frame(i, self.fps)]
            if step is not None and self.loop:
                step %= self.loop_steps
            return FrameOptions(index=k, erased=self._erased(step), dust_clock=self.dust_clock(k))
        j = min(k - self.reveal_frames - self.idle, self.sweep_frames - 1)
        n = pace.original_frame(j, self.fps)
        return FrameOptions(
            index=k,
            erased=self._erased(self._sweep_on[n]),
            line_clip=pace.sweep_x(n, self.classification, *self.x_range),
            dust_clock=self.dust_clock(k),
        )

    def _erased(self, step: int | None) -> tuple[str, ...]:
        """The nodes blinking out in blink step `step` (none on an "off" frame)."""
        return () if step is None else self._sets[step]

    def dust_clock(self, k: int) -> float:
        """The Rebirth dust's clock (original frames) at frame k: it swings in a loop."""
        if not self.loop:
            return k * pace.ORIGINAL_FPS / self.fps
        span = self.idle * pace.ORIGINAL_FPS / self.fps
        return (
            span / (2.0 * math.pi) * (1.0 + math.sin(2.0 * math.pi * (k % self.idle) / self.idle))
        )
