"""The rarity tables: packaged data, loaded once, overridable by a collection config."""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from typing import Any

import numpy as np

from . import limits
from .errors import ConfigError

CATEGORICAL = (
    "Color Palette",
    "Paper Pattern",
    "Hardware Acceleration",
    "Dataset",
    "Deep Learning Framework",
    "Life Cycle",
    "Birth Year",
    "Network Architecture",
    "Activation Function",
)
NUMERIC = ("Hidden Layers", "Max Neurons Per Hidden Layer", "Training Epochs")
#: The twelve trait names of SPEC section 2, in metadata order.
TRAIT_NAMES = CATEGORICAL + NUMERIC
#: Tables that are not traits: days in one Perceptron year per Life Cycle value, and a line of
#: history per Birth Year.
EXTRA_TABLES = ("life_cycle_days", "birth_year_history")
TABLE_NAMES = TRAIT_NAMES + EXTRA_TABLES
#: Days in one Perceptron year, at most: the original's longest is 365 (a life of 60 years);
#: ten times that still keeps every time a life reaches within years 1 to 9999.
MAX_YEAR_DAYS = 3650
#: The keys of a categorical and of a numeric table (the extra tables take any keys).
CATEGORICAL_KEYS = ("values", "weights")
NUMERIC_KEYS = ("min", "max", "sigmoid_min", "sigmoid_max")


def table_keys(name: str) -> tuple[str, ...] | None:
    """The keys table `name` may hold, or None when any key goes (the extra tables)."""
    if name in CATEGORICAL:
        return CATEGORICAL_KEYS
    return NUMERIC_KEYS if name in NUMERIC else None


@dataclass(frozen=True)
class Categorical:
    """A table of values with relative weights."""

    name: str
    values: tuple[Any, ...]
    weights: tuple[float, ...]

    @cached_property
    def probabilities(self) -> tuple[float, ...]:
        total = sum(self.weights)
        return tuple(w / total for w in self.weights)

    @cached_property
    def cumulative(self) -> np.ndarray:
        """Cumulative probabilities for inverse-CDF draws, the last pinned to exactly 1."""
        cum = np.cumsum(self.probabilities)
        cum[-1] = 1.0
        cum.flags.writeable = False
        return cum


@dataclass(frozen=True)
class NumericRange:
    """Whole numbers drawn uniformly in [lo, hi]; Sigmoid networks may have their own range."""

    name: str
    lo: int
    hi: int
    sigmoid_lo: int
    sigmoid_hi: int

    def bounds(self, sigmoid: bool) -> tuple[int, int]:
        return (self.sigmoid_lo, self.sigmoid_hi) if sigmoid else (self.lo, self.hi)


@dataclass(frozen=True)
class Tables:
    """All rarity tables of a collection."""

    categorical: tuple[Categorical, ...]
    numeric: tuple[NumericRange, ...]
    life_cycle_days: tuple[tuple[str, float], ...]
    birth_year_history: tuple[tuple[int, str], ...]

    def __getitem__(self, name: str) -> Categorical | NumericRange:
        for t in self.categorical + self.numeric:
            if t.name == name:
                return t
        raise KeyError(name)

    def days_per_year(self, life_cycle: str) -> float:
        return dict(self.life_cycle_days)[life_cycle]

    def history(self, year: int) -> str:
        return dict(self.birth_year_history).get(int(year), "")

    def to_raw(self) -> dict[str, Any]:
        """The tables in the TOML layout of artgen/data/tables.toml (`build_tables`' input)."""
        out: dict[str, Any] = {}
        for t in self.categorical:
            out[t.name] = dict(
                zip(CATEGORICAL_KEYS, (list(t.values), list(t.weights)), strict=True)
            )
        for n in self.numeric:
            bounds = (n.lo, n.hi, n.sigmoid_lo, n.sigmoid_hi)
            out[n.name] = dict(zip(NUMERIC_KEYS, bounds, strict=True))
        out["life_cycle_days"] = dict(self.life_cycle_days)
        out["birth_year_history"] = {str(y): text for y, text in self.birth_year_history}
        return out


def _categorical(name: str, raw: dict, source: str) -> Categorical:
    values, weights = raw.get("values"), raw.get("weights")
    if not isinstance(values, list) or not values:
        raise ConfigError(
            "expected a non-empty list of values", source=source, field=f"{name}.values"
        )
    if not isinstance(weights, list) or len(weights) != len(values):
        raise ConfigError(
            f"expected {len(values)} weights, one per value", source=source, field=f"{name}.weights"
        )
    for w in weights:
        if isinstance(w, bool) or not isinstance(w, int | float) or not 0 <= w < 1e300:
            shown = repr(w) if not isinstance(w, int) or w < 1e300 else "a 300+ digit number"
            raise ConfigError(
                f"expected finite weights >= 0, got {shown}", source=source, field=f"{name}.weights"
            )
    if not 0 < sum(float(w) for w in weights) < math.inf:
        raise ConfigError(
            "expected a positive, finite total weight", source=source, field=f"{name}.weights"
        )
    if len(set(values)) != len(values):
        raise ConfigError("expected distinct values", source=source, field=f"{name}.values")
    return Categorical(name, tuple(values), tuple(float(w) for w in weights))


def _numeric(name: str, raw: dict, source: str) -> NumericRange:
    def whole(key: str, default: Any = None) -> int:
        v = raw.get(key, default)
        if isinstance(v, bool) or not isinstance(v, int):
            raise ConfigError("expected a whole number", source=source, field=f"{name}.{key}")
        return v

    lo, hi = whole("min"), whole("max")
    slo, shi = whole("sigmoid_min", lo), whole("sigmoid_max", hi)
    if not (1 <= lo <= hi and 1 <= slo <= shi):
        raise ConfigError("expected 1 <= min <= max", source=source, field=name)
    limit = NUMERIC_LIMITS[name]
    for key, value in (("max", hi), ("sigmoid_max", shi)):
        limit.check(value, source=source, field=f"{name}.{key}", error=ConfigError)
    return NumericRange(name, lo, hi, slo, shi)


#: The documented limit of each numeric table: what one token's network may ask of training.
NUMERIC_LIMITS = {
    "Hidden Layers": limits.HIDDEN_LAYERS,
    "Max Neurons Per Hidden Layer": limits.NEURONS,
    "Training Epochs": limits.EPOCHS,
}


def build_tables(raw: dict, source: str = "tables") -> Tables:
    """Tables from a parsed TOML mapping, validated; raises ConfigError naming the field."""
    cats = []
    for name in CATEGORICAL:
        if name not in raw:
            raise ConfigError("expected this trait table", source=source, field=name)
        cats.append(_categorical(name, raw[name], source))
    nums = []
    for name in NUMERIC:
        if name not in raw:
            raise ConfigError("expected this trait table", source=source, field=name)
        nums.append(_numeric(name, raw[name], source))
    days = raw.get("life_cycle_days", {})
    for v in cats[5].values:
        if v not in days:
            raise ConfigError(
                f"expected days per year for {v!r}", source=source, field="life_cycle_days"
            )
    for k, v in days.items():
        if isinstance(v, bool) or not isinstance(v, int | float) or not 0 < v <= MAX_YEAR_DAYS:
            message = f"expected a number of days > 0 and <= {MAX_YEAR_DAYS:,}, got {v!r}"
            raise ConfigError(message, source=source, field=f"life_cycle_days.{k}")
    history = {}
    for k, v in raw.get("birth_year_history", {}).items():
        if not str(k).lstrip("-").isdigit() or not isinstance(v, str):
            message = "expected a whole-number year and a line of text"
            raise ConfigError(message, source=source, field=f"birth_year_history.{k}")
        history[int(k)] = v
    return Tables(
        categorical=tuple(cats),
        numeric=tuple(nums),
        life_cycle_days=tuple((str(k), float(v)) for k, v in days.items()),
        birth_year_history=tuple(sorted(history.items())),
    )


@cache
def default_raw() -> dict:
    """The packaged tables as parsed TOML (treat as read-only)."""
    text = resources.files("artgen").joinpath("data/tables.toml").read_text("utf-8")
    return tomllib.loads(text)


@cache
def default_tables() -> Tables:
    """The Perceptrons tables of SPEC section 2."""
    return build_tables(default_raw(), source="artgen/data/tables.toml")


def with_overrides(overrides: dict, source: str) -> Tables:
    """The default tables with whole tables (or their keys) replaced by `overrides`."""
    merged: dict = {k: dict(v) if isinstance(v, dict) else v for k, v in default_raw().items()}
    for name, table in overrides.items():
        if name not in TABLE_NAMES:
            raise ConfigError(
                f"unknown table; known: {', '.join(TABLE_NAMES)}", source=source, field=name
            )
        if not isinstance(table, dict):
            raise ConfigError("expected a table", source=source, field=name)
        keys = table_keys(name)
        for key in table:
            if keys is not None and key not in keys:
                raise ConfigError(
                    f"unknown key; known: {', '.join(keys)}", source=source, field=f"{name}.{key}"
                )
        merged[name] = {**merged.get(name, {}), **table}
    return build_tables(merged, source=source)
