"""The collection sampler: the traits of tokens 0..size-1, unique, weighted or by exact quotas.

- ``weighted``: token t draws its traits independently (`artgen.traits.sample_columns`, all
  tokens at once). A token whose twelve traits equal an earlier token's is redrawn with
  `sample_traits(seed, t, attempt=k)` for k = 1, 2, ... until it is new.
- ``exact``: each trait value gets a quota of size x weight, rounded by largest remainder
  (ties to the earlier table entry); the values are dealt to tokens by a seeded shuffle
  (`stream(seed, 0, "exact|<trait>")`). Hidden Layers and Training Epochs, whose range depends
  on the activation, get uniform quotas inside each activation group. A token equal to an
  earlier one swaps one trait value with another token (a later one, or an earlier one that
  stays unique; numeric traits only inside the activation group), chosen by
  `free_stream(seed, token, "exact|unique")`, so every quota stays exact.

Before any work, the size is checked against the number of distinct combinations.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from artgen import seeding
from artgen.errors import ConfigError
from artgen.tables import CATEGORICAL, NUMERIC, TRAIT_NAMES, Categorical, NumericRange, Tables
from artgen.traits import (
    ARCHITECTURE_PURPOSE,
    Traits,
    sample_columns,
    traits_from_columns,
    traits_from_values,
)
from artgen.wording import counted

from .config import CollectionConfig

ACTIVATION = "Activation Function"
MAX_REDRAWS = 10_000  # weighted mode: redraws tried per token before giving up
MAX_SWAPS = 200_000  # exact mode: swaps tried in all before giving up


@dataclass(frozen=True)
class CollectionSample:
    """Trait columns of a whole collection: categorical as table indices, numeric as values.

    `attempts[t]` is the redraw that gave token t its traits (0: its first draw).
    """

    columns: dict[str, np.ndarray]
    attempts: np.ndarray


def largest_remainder(weights: tuple[float, ...], total: int) -> np.ndarray:
    """Whole counts summing to `total`, proportional to `weights` (ties: earlier entry first)."""
    w = [Fraction(x) for x in weights]
    exact = [total * x / sum(w) for x in w]
    counts = [int(q) for q in exact]  # floor: all quotients are >= 0
    order = sorted(range(len(w)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return np.asarray(counts, dtype=np.int64)


def _numeric_values(table: NumericRange, sigmoid: bool) -> np.ndarray:
    lo, hi = table.bounds(sigmoid)
    return np.arange(lo, hi + 1, dtype=np.int64)


def _is_sigmoid(tables: Tables) -> list[bool]:
    return [a == "Sigmoid" for a in tables[ACTIVATION].values]


def exact_quotas(config: CollectionConfig) -> dict[str, dict]:
    """Exact-mode counts: categorical {trait: counts per value}; numeric {trait: {activation
    index: (values, counts)}} inside each activation group."""
    tables, n = config.tables, config.size
    out: dict[str, dict] = {}
    for name in CATEGORICAL:
        table = tables[name]
        assert isinstance(table, Categorical)
        out[name] = {"counts": largest_remainder(table.weights, n)}
    groups = out[ACTIVATION]["counts"]
    for name in NUMERIC:
        table = tables[name]
        assert isinstance(table, NumericRange)
        per_group = {}
        for a, sigmoid in enumerate(_is_sigmoid(tables)):
            values = _numeric_values(table, sigmoid)
            per_group[a] = (values, largest_remainder((1.0,) * len(values), int(groups[a])))
        out[name] = per_group
    return out


def expected_counts(config: CollectionConfig) -> dict[str, dict]:
    """Per trait, {value: expected count}: size x probability, or the quota in exact mode."""
    tables, n = config.tables, config.size
    out: dict[str, dict] = {}
    quotas = exact_quotas(config) if config.rarity == "exact" else None
    act_p = tables[ACTIVATION].probabilities  # type: ignore[union-attr]
    for name in CATEGORICAL:
        table = tables[name]
        assert isinstance(table, Categorical)
        counts = quotas[name]["counts"] if quotas else [n * p for p in table.probabilities]
        out[name] = {v: float(c) for v, c in zip(table.values, counts, strict=True)}
    for name in NUMERIC:
        table = tables[name]
        assert isinstance(table, NumericRange)
        expected: dict[int, float] = {}
        for a, sigmoid in enumerate(_is_sigmoid(tables)):
            values = _numeric_values(table, sigmoid)
            if quotas:
                counts = quotas[name][a][1].astype(float)
            else:
                counts = np.full(len(values), n * act_p[a] / len(values))
            for v, c in zip(values.tolist(), counts.tolist(), strict=True):
                expected[v] = expected.get(v, 0.0) + c
        out[name] = dict(sorted(expected.items()))
    return out


def _group_combinations(tables: Tables, sigmoid: bool) -> int:
    out = 1
    for name in NUMERIC:
        lo, hi = tables[name].bounds(sigmoid)  # type: ignore[union-attr]
        out *= hi - lo + 1
    return out


def _live(config: CollectionConfig) -> dict[str, np.ndarray]:
    """Per categorical trait, which values can occur (weight > 0, or quota > 0 when exact)."""
    if config.rarity == "exact":
        quotas = exact_quotas(config)
        return {name: quotas[name]["counts"] > 0 for name in CATEGORICAL}
    return {name: np.asarray(config.tables[name].weights) > 0 for name in CATEGORICAL}  # type: ignore[union-attr]


def _combination_parts(config: CollectionConfig) -> tuple[int, list[int]]:
    """(combinations of the non-activation categorical traits, numeric combinations per live
    activation value, 0 for the others)."""
    live = _live(config)
    others = 1
    for name in CATEGORICAL:
        if name != ACTIVATION:
            others *= int(live[name].sum())
    sigmoid = _is_sigmoid(config.tables)
    groups = [
        _group_combinations(config.tables, s) if ok else 0
        for s, ok in zip(sigmoid, live[ACTIVATION], strict=True)
    ]
    return others, groups


def combinations(config: CollectionConfig) -> int:
    """How many distinct twelve-trait combinations the tables can give (zero weights excluded)."""
    others, groups = _combination_parts(config)
    return others * sum(groups)


def check_size(config: CollectionConfig) -> None:
    """Raise ConfigError when `size` distinct tokens cannot be made from the tables."""
    total = combinations(config)
    if config.size > total:
        raise ConfigError(
            f"size {config.size} exceeds the {total} distinct trait combinations the tables allow"
            + (" with exact quotas" if config.rarity == "exact" else "")
            + "; lower the size or widen the tables",
            source=config.source,
            field="collection.size",
        )
    if config.rarity == "exact":
        _check_quotas(config)


def _check_quotas(config: CollectionConfig) -> None:
    """Tokens sharing a value must differ in the other traits, so each quota must fit in the
    combinations of the other traits; otherwise duplicates are certain.

    Numeric values need no check of their own: inside an activation group of G tokens each
    gets G / n (rounded) of its n values, and once G fits the group's combinations, which n
    divides, G / n rounded up fits the combinations left to each value.
    """
    quotas, tables = exact_quotas(config), config.tables
    others, groups = _combination_parts(config)
    live = _live(config)
    for name in CATEGORICAL:
        values, counts = tables[name].values, quotas[name]["counts"].tolist()  # type: ignore[union-attr]
        for i, (v, c) in enumerate(zip(values, counts, strict=True)):
            if name == ACTIVATION:
                room = others * groups[i]
            else:
                room = others // int(live[name].sum()) * sum(groups)
            if c > room:
                _quota_error(config, name, v, c, room)


def _quota_error(config: CollectionConfig, name: str, value, count: int, room: int) -> None:
    raise ConfigError(
        f"exact quotas make unique tokens impossible: {name} {value!r} needs "
        f"{counted(count, 'token')} but the other traits give only {room} distinct combinations "
        "with it; lower the size, widen the tables or use rarity = 'weighted'",
        source=config.source,
        field="collection.size",
    )


class _KeyCoder:
    """Packs a token's twelve trait codes into one integer (mixed radix), for uniqueness."""

    def __init__(self, tables: Tables):
        self.parts: list[tuple[str, int, int]] = []  # (trait, offset, multiplier)
        mult = 1
        for name in TRAIT_NAMES:
            table = tables[name]
            if isinstance(table, Categorical):
                offset, radix = 0, len(table.values)
            else:
                offset = min(table.lo, table.sigmoid_lo)
                radix = max(table.hi, table.sigmoid_hi) - offset + 1
            self.parts.append((name, offset, mult))
            mult *= radix
        self.dtype = np.int64 if mult < 2**63 else object  # object: Python ints, no overflow

    def all(self, columns: dict[str, np.ndarray]) -> list:
        keys = np.zeros(len(columns[TRAIT_NAMES[0]]), dtype=self.dtype)
        for name, offset, mult in self.parts:
            keys += (columns[name].astype(self.dtype) - offset) * mult
        return keys.tolist()

    def key(self, columns: dict[str, np.ndarray], t: int) -> int:
        return sum((int(columns[name][t]) - offset) * mult for name, offset, mult in self.parts)


def _too_many(config: CollectionConfig, token: int, what: str) -> ConfigError:
    return ConfigError(
        f"token {token} found no unique trait combination after {what}; the size "
        "is too close to the number of combinations: lower it, widen the tables"
        + (" or use rarity = 'exact'" if config.rarity == "weighted" else ""),
        source=config.source,
        field="collection.size",
    )


def _weighted(config: CollectionConfig) -> CollectionSample:
    seed, n, tables = config.seed, config.size, config.tables
    columns = sample_columns(seed, 0, n, tables)
    attempts = np.zeros(n, dtype=np.int64)
    coder = _KeyCoder(tables)
    keys = coder.all(columns)
    if len(set(keys)) == n:
        return CollectionSample(columns, attempts)
    taken: set = set()
    for t, k in enumerate(keys):
        attempt = 0
        while k in taken:
            attempt += 1
            if attempt > MAX_REDRAWS:
                raise _too_many(config, t, f"{MAX_REDRAWS} redraws")
            row = sample_columns(seed, t, 1, tables, attempt=attempt)
            k = coder.key(row, 0)
        if attempt:
            for name in TRAIT_NAMES:
                columns[name][t] = row[name][0]
            attempts[t] = attempt
        taken.add(k)
    return CollectionSample(columns, attempts)


def _exact(config: CollectionConfig) -> CollectionSample:
    seed, n, tables = config.seed, config.size, config.tables
    quotas = exact_quotas(config)
    columns: dict[str, np.ndarray] = {}
    for name in CATEGORICAL:
        counts = quotas[name]["counts"]
        deck = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
        columns[name] = seeding.stream(seed, 0, f"exact|{name}").permutation(deck)
    activation = columns[ACTIVATION]
    groups = [np.flatnonzero(activation == a) for a in range(len(tables[ACTIVATION].values))]  # type: ignore[union-attr]
    for name in NUMERIC:
        gen = seeding.stream(seed, 0, f"exact|{name}")
        column = np.zeros(n, dtype=np.int64)
        for a, (values, counts) in quotas[name].items():
            column[groups[a]] = gen.permutation(np.repeat(values, counts))
        columns[name] = column
    _make_unique_by_swaps(config, columns, groups)
    return CollectionSample(columns, np.zeros(n, dtype=np.int64))


class _Duplicates:
    """Tokens grouped by trait key, and a heap of keys held by more than one token."""

    def __init__(self, keys: list):
        self.keys = keys
        self.members: dict = {}
        for t, k in enumerate(keys):
            self.members.setdefault(k, []).append(t)
        self.heap = [k for k, m in self.members.items() if len(m) > 1]
        heapq.heapify(self.heap)

    def excess(self, keys) -> int:
        """Tokens beyond the first on each of `keys` (each key counted once)."""
        return sum(len(self.members.get(k, ())) - 1 for k in set(keys) if k in self.members)

    def move(self, t: int, key) -> None:
        old = self.members[self.keys[t]]
        old.remove(t)
        if not old:
            del self.members[self.keys[t]]
        self.keys[t] = key
        group = self.members.setdefault(key, [])
        group.append(t)
        if len(group) == 2:
            heapq.heappush(self.heap, key)

    def next_duplicate(self) -> int | None:
        """The latest token of the smallest duplicated key, or None when all are unique."""
        while self.heap:
            group = self.members.get(self.heap[0], ())
            if len(group) > 1:
                return max(group)
            heapq.heappop(self.heap)
        return None


def _make_unique_by_swaps(config: CollectionConfig, columns: dict, groups: list) -> None:
    """Swap trait values between tokens until every token is unique (quotas stay exact).

    A min-conflicts search: take the latest token of a duplicated trait set, swap one trait
    value with another token (numeric traits inside the activation group) drawn from a
    seeded stream, and keep the swap unless it makes more duplicates (even moves are kept,
    so the search can cross plateaus in a crowded space).
    """
    n = config.size
    coder = _KeyCoder(config.tables)
    dups = _Duplicates(coder.all(columns))
    swappable = [name for name in TRAIT_NAMES if name != ACTIVATION]
    activation = columns[ACTIVATION]
    gen = seeding.free_stream(config.seed, 0, "exact|unique")
    for _ in range(MAX_SWAPS):
        t = dups.next_duplicate()
        if t is None:
            return
        name = swappable[int(gen.integers(len(swappable)))]
        pool = groups[int(activation[t])] if name in NUMERIC else None
        u = int(pool[gen.integers(len(pool))]) if pool is not None else int(gen.integers(n))
        col = columns[name]
        if u == t or col[u] == col[t]:
            continue
        old = (dups.keys[t], dups.keys[u])
        col[t], col[u] = col[u], col[t]
        new = (coder.key(columns, t), coder.key(columns, u))
        before = dups.excess(old + new)
        dups.move(t, new[0])
        dups.move(u, new[1])
        if dups.excess(old + new) > before:
            col[t], col[u] = col[u], col[t]
            dups.move(t, old[0])
            dups.move(u, old[1])
    if dups.next_duplicate() is not None:
        raise _too_many(config, dups.next_duplicate(), f"{MAX_SWAPS} swaps")


def collection_sample(config: CollectionConfig) -> CollectionSample:
    """The unique trait columns of tokens 0..size-1 (checks the size first)."""
    check_size(config)
    return _exact(config) if config.rarity == "exact" else _weighted(config)


def collection_columns(config: CollectionConfig) -> dict[str, np.ndarray]:
    """Trait columns for the audit: categorical as table indices, numeric as values."""
    return collection_sample(config).columns


def collection_traits(config: CollectionConfig) -> list[Traits]:
    """Traits of tokens 0..size-1, unique, in the config's rarity mode."""
    sample = collection_sample(config)
    seed, tables, cols = config.seed, config.tables, sample.columns
    value = {name: [tables[name].values[i] for i in cols[name].tolist()] for name in CATEGORICAL}  # type: ignore[union-attr]
    value |= {name: cols[name].tolist() for name in NUMERIC}
    arch_u = seeding.uniforms(seed, ARCHITECTURE_PURPOSE, 0, config.size)  # attempt-0 rows
    out = []
    for t in range(config.size):
        attempt = int(sample.attempts[t])
        if attempt:
            out.append(traits_from_columns(seed, 0, cols, t, tables, attempt=attempt))
        else:
            attributes = {name: values[t] for name, values in value.items()}
            out.append(traits_from_values(seed, t, attributes, arch_u[t]))
    return out
