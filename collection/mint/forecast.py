"""How long a mint has left: the work its tokens still need over the rate work gets done now.

A token's cost varies several-fold with its network (a 10-layer network draws and encodes
six times the lines of a 2-layer one, and trains on more weights), so "tokens left / tokens
per second so far" is wrong whenever the tokens left are not like the ones done: when the
cheap ones come first (by chance, in a resumed or grown collection, or with the inscribed
tokens first), and during the start-up, which it counts as if tokens took it. Instead:

- each finished token reports its work (the CPU seconds of its job, ffmpeg included);
- a token's work is predicted from its network (`features`: the nodes and lines drawn, the
  weights trained times the epochs) by least squares over the tokens finished so far, ridge
  towards PRIOR (so a few tokens predict a cost that grows with the network as a default
  mint's does, scaled to what they cost; many learn the collection's own weights);
- the rate is the work of the tokens finished over the last RATE_WINDOW seconds (or the last
  RATE_TOKENS tokens, if that is longer), counted from the first finished token (forking
  workers, loading the dataset and the first jobs in flight are no token's work); a machine
  that gets busier or quieter shows within a window.

The forecast is the predicted work of the tokens not finished over that rate.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Sequence

import numpy as np

RATE_WINDOW = 120.0  # seconds of finished tokens the rate is measured over
RATE_TOKENS = 8  # and at least this many of the last tokens finished, however long ago
RIDGE = 4.0  # tokens' worth of belief in PRIOR
#: A token's work by feature (each over its mean), as shares of an average token's: measured
#: on the default config (non-negative least squares over 120 tokens: 68% fixed, 32% by the
#: nodes), with a little given to the lines and the training, which other configs weigh more.
PRIOR = (0.6, 0.2, 0.1, 0.1)
MIN_SHARE = 0.2  # no token is predicted to cost less than this share of the mean
FEATURES = 4  # the length of `features`


def features(hidden_sizes: Sequence[int], inputs: int, classes: int, epochs: int) -> list[float]:
    """What sets a token's work: 1 (the fixed part), the nodes and the lines its portrait
    draws, and the weights it trains times its epochs."""
    hidden = list(hidden_sizes)
    drawn = [1, *hidden, 1]
    trained = [inputs, *hidden, classes]
    lines = sum(a * b for a, b in zip(drawn, drawn[1:], strict=False))
    weights = sum(a * b for a, b in zip(trained, trained[1:], strict=False))
    return [1.0, float(sum(hidden)), float(lines), float(weights * epochs)]


class Forecast:
    """The time left for the tokens `todo` (token -> features), learned as they finish."""

    def __init__(
        self, todo: dict[int, Sequence[float]], clock: Callable[[], float] = time.monotonic
    ):
        self.clock = clock
        rows = np.array(list(todo.values()), np.float64).reshape(len(todo), FEATURES)
        self._scale = rows.mean(axis=0) if len(rows) else np.ones(FEATURES)
        self._scale[self._scale == 0] = 1.0  # (features are put on one scale: their mean)
        self._rows = {t: row / self._scale for t, row in zip(todo, rows, strict=True)}
        self._left = rows.sum(axis=0) / self._scale
        k = FEATURES
        self._xx = np.zeros((k, k))  # sums for the least squares: X'X, X'y, sum of y, count
        self._xy = np.zeros(k)
        self._work, self._count = 0.0, 0
        self._finished: deque[tuple[float, float]] = deque()  # (when, work), in the window
        self._first: float | None = None

    def finished(self, token: int, work: float) -> None:
        """Token `token` is done; its job took `work` CPU seconds."""
        now = self.clock()
        row = self._rows.pop(token, None)
        if row is not None:
            self._left = self._left - row
            self._xx += np.outer(row, row)
            self._xy += row * work
        self._work += work
        self._count += 1
        if self._first is None:
            self._first = now  # the clock of the rate starts here: its work came before
            return
        self._finished.append((now, work))
        while len(self._finished) > RATE_TOKENS and self._finished[0][0] < now - RATE_WINDOW:
            self._finished.popleft()

    def rate(self) -> float | None:
        """Work done per second over the window, or None before two tokens finished."""
        if self._first is None or not self._finished:
            return None
        now = self.clock()
        kept = len(self._finished)
        recent = self._finished[-RATE_TOKENS][0] if kept >= RATE_TOKENS else self._first
        start = max(self._first, min(now - RATE_WINDOW, recent))
        if now <= start:
            return None
        return sum(work for when, work in self._finished if when > start) / (now - start)

    def work_left(self) -> float:
        """The predicted work of the tokens not finished yet (CPU seconds)."""
        if not self._count or not self._rows:
            return 0.0
        mean = self._work / self._count
        shape = np.array(PRIOR)
        done = self._xx[0] / self._count  # the finished tokens' mean features (row 0: x * 1)
        prior = shape * mean / float(shape @ done)  # PRIOR's shape, at the finished tokens' cost
        ridge = RIDGE * np.eye(FEATURES)
        coef = np.linalg.solve(self._xx + ridge, self._xy + ridge @ prior)
        left = float(coef @ self._left)
        unfinished = len(self._rows)
        return max(left, MIN_SHARE * mean * unfinished)

    def seconds_left(self) -> float | None:
        """The forecast, or None while there is nothing to measure a rate from."""
        if not self._rows:
            return 0.0
        rate = self.rate()
        return None if not rate else self.work_left() / rate
