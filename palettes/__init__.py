"""The Perceptrons colour palettes: packaged data, their collector groups, a gradient sampler."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

RGB = tuple[float, float, float]


def parse_hex(color: str) -> RGB:
    """'#RRGGBB' -> (r, g, b) in [0, 1]."""
    text = color.lstrip("#")
    if len(text) != 6:
        raise ValueError(f"colour {color!r}: expected #RRGGBB")
    return tuple(int(text[i : i + 2], 16) / 255.0 for i in (0, 2, 4))  # type: ignore[return-value]


@dataclass(frozen=True)
class Palette:
    """A palette: paper colour, pattern colour and gradient stops (left to right)."""

    name: str
    group: str
    paper: str
    pattern: str
    stops: tuple[str, ...]

    def gradient(self, t: float) -> RGB:
        """The gradient colour at t in [0, 1], linear between evenly spaced stops."""
        stops = [parse_hex(c) for c in self.stops]
        if len(stops) == 1:
            return stops[0]
        t = min(1.0, max(0.0, t))
        x = t * (len(stops) - 1)
        i = min(int(x), len(stops) - 2)
        f = x - i
        a, b = stops[i], stops[i + 1]
        return (a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f)

    def column_colors(self, columns: int) -> list[RGB]:
        """One colour per column, sampling the gradient evenly from first to last stop."""
        if columns <= 1:
            return [self.gradient(0.0)] * max(columns, 0)
        return [self.gradient(i / (columns - 1)) for i in range(columns)]


@cache
def all_palettes() -> dict[str, Palette]:
    """Every packaged palette by name, in table order."""
    raw = tomllib.loads(resources.files(__package__).joinpath("palettes.toml").read_text("utf-8"))
    out: dict[str, Palette] = {}
    for entry in raw["palette"]:
        colors = entry["colors"]
        out[entry["name"]] = Palette(
            name=entry["name"],
            group=entry["group"],
            paper=colors[0],
            pattern=colors[1],
            stops=tuple(colors[2:]),
        )
    return out


def get(name: str) -> Palette:
    """The palette called `name`; KeyError names the known ones."""
    try:
        return all_palettes()[name]
    except KeyError:
        known = ", ".join(all_palettes())
        raise KeyError(f"unknown palette {name!r}; known: {known}") from None


def groups() -> dict[str, list[str]]:
    """Palette names by collector group."""
    out: dict[str, list[str]] = {}
    for p in all_palettes().values():
        out.setdefault(p.group, []).append(p.name)
    return out
