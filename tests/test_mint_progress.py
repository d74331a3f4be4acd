"""The mint's progress bar: an ETA that stays honest when tokens' costs vary with their networks.

A simulated mint on a simulated clock: two workers take the tokens of the default collection
in turn, each costing what its network makes it cost (as measured on the default config:
0.7 s plus 11 ms a hidden node, within +-10%), after a start-up that is no token's work. At
moments along the run, the ETA the bar shows is held against the time the run then really
had left.
"""

from __future__ import annotations

import heapq
import io

import numpy as np
import pytest

from artgen.traits import sample_range
from collection.mint.forecast import Forecast, features
from collection.mint.progress import Progress

TRAITS = sample_range(1, 0, 400)
START_UP = 30.0  # seconds before the first job starts: the pool forks, the dataset loads


def nodes(traits) -> int:
    return sum(traits.hidden_sizes)


def costs(order) -> list[float]:
    """Each token's CPU seconds: 0.7 s plus 11 ms a hidden node, within +-10% (seeded)."""
    rng = np.random.default_rng(7)
    return [(0.7 + 0.011 * nodes(t)) * rng.uniform(0.9, 1.1) for t in order]


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def run(order, *, forecast: bool, slow_from: float | None = None) -> list[tuple[float, float]]:
    """(share of the tokens done, ETA shown / time really left) at each 5% of the run; from
    `slow_from` (a share of the tokens) on, the machine runs at half speed."""
    clock = Clock()
    work = costs(order)
    todo = {t.token: features(t.hidden_sizes, 3072, 10, t.epochs) for t in order}
    bar = Progress(
        len(order),
        stream=io.StringIO(),
        forecast=Forecast(todo, clock) if forecast else None,
        clock=clock,
    )
    workers = [(START_UP, 0), (START_UP, 1)]  # (free at, worker)
    finished = []  # (when, token index)
    for i, cost in enumerate(work):
        free, w = heapq.heappop(workers)
        slow = 2.0 if slow_from is not None and i >= slow_from * len(order) else 1.0
        finished.append((free + cost * slow, i))
        heapq.heappush(workers, (free + cost * slow, w))
    finished.sort()
    end = finished[-1][0]
    seen = []
    for n, (when, i) in enumerate(finished, 1):
        clock.now = when
        bar.advance(token=order[i].token, work=work[i])
        if n % (len(order) // 20) == 0 and n < len(order):
            left = bar.seconds_left()
            seen.append((n / len(order), (left or 0.0) / (end - when)))
    return seen


def off(seen, since: float) -> float:
    """The largest relative error of the ETA from `since` (a share of the tokens) on."""
    return max(abs(ratio - 1.0) for share, ratio in seen if share >= since)


def test_with_the_cheap_tokens_first_the_eta_still_counts_what_the_big_ones_cost():
    """A grown or resumed collection, or chance: the small networks come first."""
    order = sorted(TRAITS, key=nodes)
    assert off(run(order, forecast=True), since=0.1) < 0.15
    assert off(run(order, forecast=False), since=0.1) > 0.5  # tokens per second: far too soon


def test_the_start_up_is_no_token_s_work():
    order = list(TRAITS)
    assert off(run(order, forecast=True), since=0.05) < 0.15
    counted = run(order, forecast=False)
    assert counted[0][1] > 1.3  # the start-up counted as tokens: far too late at first


def test_a_machine_that_gets_busy_shows_within_a_window():
    order = list(TRAITS)
    assert off(run(order, forecast=True, slow_from=0.5), since=0.8) < 0.15
    assert off(run(order, forecast=False, slow_from=0.5), since=0.8) > 0.3  # the mean since start


@pytest.mark.parametrize("stream_is_tty", [False, True])
def test_the_bar_shows_the_eta_once_two_tokens_are_done(stream_is_tty):
    clock = Clock()
    stream = io.StringIO()
    stream.isatty = lambda: stream_is_tty  # type: ignore[method-assign]
    order = TRAITS[:3]
    todo = {t.token: features(t.hidden_sizes, 3072, 10, t.epochs) for t in order}
    bar = Progress(3, stream=stream, forecast=Forecast(todo, clock), clock=clock)
    clock.now = 10.0
    bar.advance(token=order[0].token, work=1.0)
    assert "ETA ?" in bar.line()  # one token: no rate yet (its work came before the clock)
    clock.now = 11.0
    bar.advance(token=order[1].token, work=2.0)
    assert "ETA 0:01" in bar.line() or "ETA 0:00" in bar.line()
    clock.now = 12.0
    bar.advance(token=order[2].token, work=1.0)
    bar.close()
    assert "3/3 tokens" in stream.getvalue() and "ETA 0:00" in stream.getvalue()
