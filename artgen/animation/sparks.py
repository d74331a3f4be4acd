"""Sparks (SPEC 4 and 6): when signal sparks fire, which live nodes they light, how they fade.

Spark events come every `Animation.spark_interval` frames (15 at low fees down to 2 at high
fees). In a loop of L frames the schedule is made periodic: n = max(1, round(L / interval))
events at frames floor(j * L / n), j = 0..n-1, so frame L is frame 0 again and the spacing
stays within one frame of the interval.

Event e lights `Animation.sparks_per_event(candidates)` of its candidate nodes (the live
nodes; during a classification sweep, the live nodes near the front). One stream,
`PortableRandom(key(purpose, seed, token, e))` with purpose "sparks" (idle) or "sweep", gives
them in this order: `permutation(candidates)` (candidates in Scene order: column by column,
top down), whose first `count` entries are the lit nodes; then one `random()` per lit node,
in that order, picking the live node of the next column its pulse runs to
(`floor(u * live nodes there)`, in Scene order; no pulse from the output). A spark lives
F = fade_frames(interval) frames, twice the interval within [4, 10]: at frame k its phase is
(k - e) / F (the Scene turns the phase into a fading glow and a pulse along the node's lines;
see `FrameOptions.spark_phases`). So about two events glow at once: sparks shimmer, and the
network never glows all over.
The art's JavaScript replays this bit for bit.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from ..portable_random import PortableRandom, key

#: Our choice: a spark glows 4 to 10 frames (0.16 to 0.4 s at 25 fps): a shimmer, not a flicker.
FADE_FRAMES = (4, 10)


def fade_frames(interval: int) -> int:
    """How many frames a spark glows: twice the interval between events, within FADE_FRAMES."""
    return min(FADE_FRAMES[1], max(FADE_FRAMES[0], 2 * interval))


def event_frames(length: int, interval: int, loop: bool) -> tuple[int, ...]:
    """Frames in [0, length) where a spark event fires; periodic in `length` when `loop`."""
    if length <= 0:
        return ()
    if not loop:
        return tuple(range(0, length, max(1, interval)))
    n = max(1, round(length / max(1, interval)))
    return tuple(j * length // n for j in range(n))


@lru_cache(maxsize=256)
def chosen(
    purpose: str, seed: int | str, token: int, event: int, candidates: int, count: int
) -> tuple[tuple[int, float], ...]:
    """(index into the candidates, pulse draw in [0, 1)) of each node event `event` lights."""
    if count <= 0 or candidates <= 0:
        return ()
    r = PortableRandom(key(purpose, seed, token, event))
    lit = r.permutation(candidates)[:count]
    return tuple((i, r.random()) for i in lit)


def ages(
    frame: int, events: Sequence[int], length: int, loop: bool, fade: int
) -> list[tuple[int, float]]:
    """(event, phase) of the events whose sparks still glow at `frame`, `fade` frames long."""
    out = []
    for e in events:
        age = (frame - e) % length if loop else frame - e
        if 0 <= age < fade:
            out.append((e, age / fade))
    return out


def spark_phases(
    *,
    purpose: str,
    seed: int | str,
    token: int,
    glowing: Sequence[tuple[int, float]],
    candidates: Sequence[str] | None = None,
    candidates_at=None,
    per_event,
    target,
) -> tuple[tuple[str, float, int], ...]:
    """(node id, phase, pulse target) of every glowing spark (`FrameOptions.spark_phases`).

    `glowing` holds (event, phase) pairs. The candidates of event e are `candidates`, or
    `candidates_at(e)` when they change with the event (the sweep's front); `per_event(n)` is
    how many of n candidates one event lights; `target(node id, u)` the index of the node of
    the next column that a pulse drawn u runs to (-1 for none).
    """
    out = []
    for e, phase in glowing:
        ids = candidates if candidates_at is None else candidates_at(e)
        for i, u in chosen(purpose, seed, token, e, len(ids), per_event(len(ids))):
            out.append((ids[i], phase, target(ids[i], u)))
    return tuple(out)


def pulse_targets(live: Sequence[tuple[str, int]]):
    """`target` for `spark_phases`: node id, draw -> index of a live node of the next column."""
    by_column: dict[int, list[int]] = {}
    column_of = {}
    for nid, column in live:
        by_column.setdefault(column, []).append(int(nid.rsplit("-", 1)[1]))
        column_of[nid] = column

    def target(nid: str, u: float) -> int:
        nexts = by_column.get(column_of[nid] + 1, [])
        return nexts[int(u * len(nexts))] if nexts else -1

    return target
