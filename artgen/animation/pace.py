"""The original's clock (ORIGINAL.md sections 6 and 7): reveal steps, the blink and the sweep.

The original counts frames at the display's rate, 60 Hz; every number here is in those
frames. A preview at another frame rate converts through seconds: its frame k is the
original's frame floor(60 k / fps) (`original_frame`).

- Reveal: one item per step of 30, 15 or 2 frames (Basic, Standard, Advanced): columns of
  nodes 0 .. L-1, then gaps of lines 0 .. L-2, 2L - 1 steps, nothing during the first.
- Classification: T = 2 (L - 1) processingFrames (40, 20, 10). The line layer is erased right
  of a front that runs from the input column to the output column over T frames, while nodes
  blink out: each step is an "on" half then an "off" half of about `spark_rate` frames
  (`blink_schedule`), and on the "on" frames of step k its set of floor(N_live x satFee) live
  nodes is erased (`blink_sets`).
- Idle (SPEC 6's exception): previews and the idle art loop the same blink, paced by the fee.

The blink sets are the original's as its code runs them. ORIGINAL.md 7 reads "a fresh draw
every frame", and the original does rebuild them every frame, but it orders the neurons again
(reseeding q5's generator, ORIGINAL 4) just before, so every frame draws the same sets: step
k's set stays out for its whole "on" half, and the sets follow from the token's life alone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..chain import ACCELERATION_FRAMES
from ..lifecycle import order_stream
from ..scene.layout import remap

#: The original's frame rate (ORIGINAL 0: "all s values assume 60 Hz").
ORIGINAL_FPS = 60
#: satFee = map(tanh(log10 fee), 0, 1, SAT_FEE), not clamped (ORIGINAL 7).
SAT_FEE = (0.2, 0.8)
#: The blink's target half-period, map(satFee, 0.2, 0.8, 15, 2) frames (ORIGINAL 7).
BLINK_FRAMES = (15.0, 2.0)
#: The result card's class name flickers for its first 1.5 s (ORIGINAL 8: 1500 ms).
FLICKER_SECONDS = 1.5
#: getClosestDivisibleFraction's search: p / q with p, q <= 1000 (ORIGINAL 7).
MAX_TERM = 1000


def original_frame(k: int, fps: int) -> int:
    """The original's (60 Hz) frame shown at a preview's frame k: floor(60 k / fps)."""
    return (int(k) * ORIGINAL_FPS) // int(fps)


def preview_frames(frames: float, fps: int) -> int:
    """How many preview frames at `fps` span `frames` of the original's (rounded up)."""
    return math.ceil(frames * fps / ORIGINAL_FPS - 1e-9)


def reveal_step(acceleration: str) -> int:
    """Frames per reveal step: Basic 30, Standard 15, Advanced 2 (ORIGINAL 6)."""
    return ACCELERATION_FRAMES[acceleration][0]


def processing_frames(acceleration: str) -> int:
    """processingFrames: Basic 40, Standard 20, Advanced 10 (ORIGINAL 7)."""
    return ACCELERATION_FRAMES[acceleration][1]


def reveal_steps(columns: int) -> int:
    """2L - 1: every column of nodes, then every gap of lines (ORIGINAL 6)."""
    return 2 * columns - 1


def reveal_length(columns: int, acceleration: str) -> int:
    """The reveal's length in the original's frames: (2L - 1) steps."""
    return reveal_steps(columns) * reveal_step(acceleration)


def revealed_items(frame: int, columns: int, acceleration: str) -> int:
    """Items shown at frame `frame` of the reveal: one more at every whole step, none during
    the first step (ORIGINAL 6)."""
    return min(reveal_steps(columns), max(0, int(frame)) // reveal_step(acceleration))


def sat_fee(fee_rate: float) -> float:
    """satFee = map(tanh(log10 f), 0, 1, 0.2, 0.8), not clamped (ORIGINAL 7): 0.2 at 1 sat/vB,
    0.657 at 10, 0.778 at 100, under 0.2 below 1 (-0.4 at 0)."""
    t = math.tanh(math.log10(fee_rate)) if fee_rate > 0 else -1.0
    return remap(t, 0.0, 1.0, *SAT_FEE)


def blink_target(sat: float) -> float:
    """x0, the blink's target half-period in frames: map(satFee, 0.2, 0.8, 15, 2)."""
    return remap(sat, *SAT_FEE, *BLINK_FRAMES)


def spark_rate(a: int, x0: float) -> float:
    """The original's getClosestDivisibleFraction(2a, 2, x0) (ORIGINAL 7): the value p/q
    (p, q <= 1000) nearest to x0 such that a / (p/q) is whole, which is a / k for a whole k.

    a / k falls as k grows, so the nearest is at k = floor(a / x0) or the next k. On a tie the
    original keeps the first it meets, searching p then q upwards: the smaller reduced p.
    """
    a = int(a)
    low = max(1, math.floor(a / x0))

    def rank(k: int) -> tuple[float, int]:
        return abs(a / k - x0), a // math.gcd(a, k)

    return a / min((low, low + 1), key=rank)


def classification_length(columns: int, acceleration: str) -> int:
    """T = 2a frames, a = (L - 1) processingFrames, whatever the fee (ORIGINAL 7)."""
    return 2 * (columns - 1) * processing_frames(acceleration)


def blink_steps(a: float, rate: float) -> int:
    """k = round(a / sparkRate): the classification's blink steps (ORIGINAL 7)."""
    return round(a / rate)


def active_amount(live: int, sat: float) -> int:
    """floor(N_live x satFee) nodes blink out per "on" frame (none when satFee < 0)."""
    return max(0, math.floor(live * sat))


def blink_schedule(rate: float, frames: int) -> tuple[int | None, ...]:
    """The blink step each of frames 0 .. frames-1 is an "on" frame of, None on "off" frames
    (ORIGINAL 7).

    The original's counter: each frame, an "on" half ends once the counter reaches the rate
    (the counter then drops by the rate); the step's set is erased if the half is still "on";
    an "off" half ends likewise, completing a step; then the counter goes up by one. So a step
    lasts 2 x rate frames on average, fractional rates included, and the k-th step of the
    classification ends at frame 2 k rate = T, where the result card opens.
    """
    counter, on, step, out = 0.0, True, 0, []
    for _ in range(frames):
        if counter >= rate and on:
            on, counter = False, counter - rate
        out.append(step if on else None)
        if counter >= rate and not on:
            on, counter, step = True, counter - rate, step + 1
        counter += 1
    return tuple(out)


def loop_steps(loop: float, x0: float) -> int:
    """The idle blink's steps in a loop of `loop` frames: as many as fit at about x0 frames
    a half, at least one."""
    return max(1, round(loop / (2.0 * x0)))


def loop_rate(loop: float, x0: float) -> float:
    """The idle blink's half-period in a loop of `loop` frames: the rate nearest x0 that fits
    a whole number of steps (2 x rate) in the loop, as `spark_rate` fits the classification."""
    return loop / (2.0 * loop_steps(loop, x0))


class BlinkStream:
    """The original's blink draws for one life, drawn once and kept: q5's generator continued
    where ordering the neurons leaves it (`artgen.lifecycle.order_stream`).

    Step k's set is the k-th run of `count` draws, each the node floor(r x N_live) of `live`
    (life exactly 1, in draw order), with replacement. (A draw of exactly 1, which would index
    past the end in the original, takes the last node.) The draws depend on the life alone,
    so a clip asking for step after step draws each number once.
    """

    def __init__(self, rebirths: int, hidden_sizes: Sequence[int]):
        self._stream = order_stream(rebirths, hidden_sizes)
        self._draws: list[float] = []

    def blink_set(self, step: int, live: Sequence[str], count: int) -> tuple[str, ...]:
        """The live nodes erased in blink step `step`."""
        if count <= 0 or not live:
            return ()
        end = (step + 1) * count
        self._draws.extend(self._stream.random() for _ in range(end - len(self._draws)))
        n = len(live)
        return tuple(live[min(int(r * n), n - 1)] for r in self._draws[step * count : end])


def blink_sets(
    rebirths: int, hidden_sizes: Sequence[int], live: Sequence[str], count: int, steps: int
) -> tuple[tuple[str, ...], ...]:
    """The live nodes erased in each of blink steps 0 .. steps-1, as the original draws them
    (`BlinkStream`)."""
    stream = BlinkStream(rebirths, hidden_sizes)
    return tuple(stream.blink_set(k, live, count) for k in range(steps))


def sweep_x(frame: float, length: int, x_input: float, x_output: float) -> float:
    """The sweep's front on frame `frame` (from 0) of the classification; the lines right of
    it are erased (ORIGINAL 7). It starts at the input column and moves (x_output - x_input)
    / length a frame, a step before it erases, so it is one step in on the first frame and
    reaches the output column on the last, frame length - 1."""
    return x_input + (frame + 1) * (x_output - x_input) / length
