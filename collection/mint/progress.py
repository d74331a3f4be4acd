"""A progress bar on stderr: tokens done of all, rate and ETA.

On a terminal the bar redraws in place; otherwise a line is printed at most every
LINE_INTERVAL seconds (and at the end), so logs stay short. Given a `Forecast` (the tokens'
networks, and the work each finished token reports) the ETA weighs what is left by what it
costs (`collection.mint.forecast`); without one, tokens left over tokens per second.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

from .forecast import Forecast

WIDTH = 28
LINE_INTERVAL = 2.0  # seconds between lines when stderr is not a terminal
REDRAW_INTERVAL = 0.1


def duration(seconds: float) -> str:
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class Progress:
    """Counts finished tokens (`done` already finished before this run) and shows a bar."""

    def __init__(
        self,
        total: int,
        done: int = 0,
        stream: TextIO | None = None,
        label: str = "minting",
        forecast: Forecast | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.total, self.done, self.start_done = total, done, done
        self.stream = stream if stream is not None else sys.stderr
        self.label = label
        self.forecast = forecast
        self.clock = clock
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.started = self.shown = clock()
        self._show(force=True)

    def advance(self, count: int = 1, token: int | None = None, work: float = 0.0) -> None:
        """`count` more tokens are done; with `token`, the one that is and its work (CPU s)."""
        self.done += count
        if self.forecast is not None and token is not None:
            self.forecast.finished(token, work)
        self._show(force=self.done >= self.total)

    def seconds_left(self) -> float | None:
        """The ETA in seconds, None while unknown."""
        if self.forecast is not None:
            return self.forecast.seconds_left()
        elapsed = self.clock() - self.started
        fresh = self.done - self.start_done
        return (self.total - self.done) * elapsed / fresh if fresh else None

    def line(self) -> str:
        elapsed = self.clock() - self.started
        fresh = self.done - self.start_done
        share = self.done / self.total if self.total else 1.0
        filled = int(WIDTH * share)
        bar = "#" * filled + "-" * (WIDTH - filled)
        rate = fresh / elapsed if elapsed > 0 and fresh else 0.0
        left = self.seconds_left() if self.done < self.total else 0.0
        eta = "?" if left is None else duration(left)
        return (
            f"{self.label} [{bar}] {self.done}/{self.total} tokens, {rate:.2f}/s, "
            f"elapsed {duration(elapsed)}, ETA {eta}"
        )

    def _show(self, force: bool = False) -> None:
        now = self.clock()
        wait = REDRAW_INTERVAL if self.tty else LINE_INTERVAL
        if not force and now - self.shown < wait:
            return
        self.shown = now
        end = "" if self.tty else "\n"
        self.stream.write(("\r" if self.tty else "") + self.line() + end)
        self.stream.flush()

    def close(self, then: str | None = None) -> None:
        """End the bar; `then` says what the run does next (a line of its own)."""
        if self.tty:
            self.stream.write("\n")
        if then:
            self.stream.write(then + "\n")
        self.stream.flush()
