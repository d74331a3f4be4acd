"""A progress bar on stderr: tokens done of all, rate and ETA.

On a terminal the bar redraws in place; otherwise a line is printed at most every
LINE_INTERVAL seconds (and at the end), so logs stay short.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

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
        self, total: int, done: int = 0, stream: TextIO | None = None, label: str = "minting"
    ):
        self.total, self.done, self.start_done = total, done, done
        self.stream = stream if stream is not None else sys.stderr
        self.label = label
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.started = self.shown = time.monotonic()
        self._show(force=True)

    def advance(self, count: int = 1) -> None:
        self.done += count
        self._show(force=self.done >= self.total)

    def line(self) -> str:
        elapsed = time.monotonic() - self.started
        fresh = self.done - self.start_done
        share = self.done / self.total if self.total else 1.0
        filled = int(WIDTH * share)
        bar = "#" * filled + "-" * (WIDTH - filled)
        rate = fresh / elapsed if elapsed > 0 and fresh else 0.0
        eta = duration((self.total - self.done) / rate) if rate else "?"
        return (
            f"{self.label} [{bar}] {self.done}/{self.total} tokens, {rate:.2f}/s, "
            f"elapsed {duration(elapsed)}, ETA {eta}"
        )

    def _show(self, force: bool = False) -> None:
        now = time.monotonic()
        wait = REDRAW_INTERVAL if self.tty else LINE_INTERVAL
        if not force and now - self.shown < wait:
            return
        self.shown = now
        end = "" if self.tty else "\n"
        self.stream.write(("\r" if self.tty else "") + self.line() + end)
        self.stream.flush()

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()
