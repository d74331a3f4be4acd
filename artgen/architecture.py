"""Hidden layer sizes from the architecture trait (SPEC section 2).

The original leaves the exact rules open; these are ours. L is the number of hidden layers,
M the maximum neurons per layer, and no layer is ever smaller than `MIN_UNITS`.

- Rectangle: every layer has M units.
- Triangle: a straight ramp falling steadily from M: layer i has round(M * (L - i) / L) units.
- Random Triangle: the first layer has M units, the others are uniform in [2, M], sorted so
  that sizes never rise from left to right.
- Regular Symmetric: a palindrome with M units at both ends and round(M / 2) in the middle,
  straight ramps in between (L = 7, M = 16 gives 16, 13, 11, 8, 11, 13, 16).
- Zig Zag: M units on even layers (first, third, ...) and max(2, M // 2) on odd ones.
- Random: every layer uniform in [2, M], then one uniformly chosen layer is set to M.

A single hidden layer is always [M].
"""

from __future__ import annotations

import math
from collections.abc import Sequence

SHAPES = ("Random Triangle", "Random", "Regular Symmetric", "Zig Zag", "Triangle", "Rectangle")
MIN_UNITS = 2


def _round(x: float) -> int:
    """Round half up (Python's round() rounds half to even)."""
    return math.floor(x + 0.5)


def _uniform_int(u: float, lo: int, hi: int) -> int:
    return min(hi, lo + int(u * (hi - lo + 1)))


def hidden_sizes(shape: str, layers: int, max_neurons: int, u: Sequence[float]) -> tuple[int, ...]:
    """Hidden layer sizes for a shape; `u` holds uniform draws in [0, 1) (at least layers + 1).

    Raises ValueError for an unknown shape or sizes out of range.
    """
    L, M = int(layers), int(max_neurons)
    if L < 1 or M < MIN_UNITS:
        raise ValueError(f"need layers >= 1 and max neurons >= {MIN_UNITS}, got {L} and {M}")
    if len(u) < L + 1:
        raise ValueError(f"need {L + 1} uniform draws, got {len(u)}")
    if shape not in SHAPES:
        raise ValueError(f"unknown architecture {shape!r}; expected one of {', '.join(SHAPES)}")
    if L == 1:
        sizes = [M]
    elif shape == "Rectangle":
        sizes = [M] * L
    elif shape == "Triangle":
        sizes = [_round(M * (L - i) / L) for i in range(L)]
    elif shape == "Random Triangle":
        rest = sorted((_uniform_int(u[i], MIN_UNITS, M) for i in range(L - 1)), reverse=True)
        sizes = [M, *rest]
    elif shape == "Regular Symmetric":
        half = (L + 1) // 2
        low = M / 2
        ramp = [_round(M - (M - low) * i / (half - 1)) if half > 1 else M for i in range(half)]
        sizes = ramp + ramp[: L - half][::-1]
    elif shape == "Zig Zag":
        low = max(MIN_UNITS, M // 2)
        sizes = [M if i % 2 == 0 else low for i in range(L)]
    else:  # Random
        sizes = [_uniform_int(u[i], MIN_UNITS, M) for i in range(L)]
        sizes[_uniform_int(u[L], 0, L - 1)] = M
    return tuple(max(MIN_UNITS, s) for s in sizes)
