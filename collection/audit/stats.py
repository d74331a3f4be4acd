"""Per trait: target against observed counts, and a chi-square goodness-of-fit test.

Weighted mode expects size x probability for each value and flags a trait when the test's
p-value is below `ALPHA`; with the "holm" correction, when its Holm-adjusted p-value is (the
chance of any false flag over all the traits tested stays below `ALPHA`, where testing twelve
traits at 1% each flags a fair collection about one time in nine). Exact mode expects each
value's quota and flags any count that differs from it. Either mode flags values the table
does not have (or gives weight 0).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
from scipy import stats

from artgen.wording import counted

from ..config import CollectionConfig
from ..sampling import expected_counts
from .source import TraitColumn

ALPHA = 0.01  # weighted mode: a trait is flagged when its chi-square p-value is below this
MIN_EXPECTED = 5.0  # chi-square bins: smaller expected counts are pooled (Cochran's rule)
# for testing several traits at once (weighted mode): each, and what the flags say of it
CORRECTIONS = {"none": "", "holm": " (on Holm-adjusted p-values)"}


@dataclass(frozen=True)
class ValueStat:
    """One trait value: table probability, expected and observed counts, their difference."""

    value: object
    weight: float
    expected: float
    observed: int

    @property
    def deviation(self) -> float:
        """Observed minus expected count."""
        return self.observed - self.expected


@dataclass(frozen=True)
class TraitStat:
    """One trait's values and its test; `p_value` is None when too few tokens to test."""

    name: str
    values: tuple[ValueStat, ...]
    tokens: int
    chi2: float | None
    dof: int
    p_value: float | None
    flagged: bool
    reason: str
    p_adjusted: float | None = None  # Holm-adjusted p-value, with that correction
    tested: bool = True  # False when too few tokens for a chi-square test

    @property
    def state(self) -> str:
        """ "flagged", "ok", or "not tested" (too few tokens for a test: no verdict either way)."""
        if self.flagged:
            return "flagged"
        return "ok" if self.tested else "not tested"

    def deviation_pp(self, v: ValueStat) -> float:
        """A value's deviation as a share of the tokens, in percentage points."""
        return 100.0 * v.deviation / self.tokens if self.tokens else 0.0

    @property
    def largest(self) -> ValueStat:
        """The value whose count lies farthest from its expected count."""
        return max(self.values, key=lambda v: abs(v.deviation))  # first of equals


def pooled_chisquare(observed: np.ndarray, expected: np.ndarray) -> tuple[float, int, float] | None:
    """(chi2, degrees of freedom, p) with small bins pooled, or None if fewer than two bins."""
    order = np.argsort(expected, kind="stable")
    bins_o, bins_e = [], []
    acc_o, acc_e = 0.0, 0.0
    for i in order:
        acc_o += observed[i]
        acc_e += expected[i]
        if acc_e >= MIN_EXPECTED:
            bins_o.append(acc_o)
            bins_e.append(acc_e)
            acc_o, acc_e = 0.0, 0.0
    if acc_e > 0 or acc_o > 0:
        if not bins_e:
            return None
        bins_o[-1] += acc_o
        bins_e[-1] += acc_e
    if len(bins_e) < 2:
        return None
    result = stats.chisquare(np.asarray(bins_o), np.asarray(bins_e))
    return float(result.statistic), len(bins_e) - 1, float(result.pvalue)


def holm(p_values: list[float]) -> list[float]:
    """Holm's step-down adjusted p-values, in the order given: the k-th smallest of m is
    multiplied by m - k + 1, capped at 1 and never below the one before it."""
    m = len(p_values)
    adjusted = [0.0] * m
    running = 0.0
    for rank, i in enumerate(sorted(range(m), key=lambda i: p_values[i])):
        running = max(running, min(1.0, (m - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted


def trait_stats(
    config: CollectionConfig, columns: tuple[TraitColumn, ...], correction: str = "none"
) -> tuple[TraitStat, ...]:
    """Target against observed for each trait of the audited tokens; `correction` "holm"
    flags weighted-mode traits on their Holm-adjusted p-values."""
    if correction not in CORRECTIONS:
        raise ValueError(f"correction must be one of {tuple(CORRECTIONS)}, got {correction!r}")
    n = len(columns[0].codes) if columns else 0
    target = expected_counts(dataclasses.replace(config, rarity="weighted", size=max(n, 1)))
    quotas = expected_counts(config) if config.rarity == "exact" else None
    out = []
    for col in columns:
        observed = col.counts()
        expect = quotas[col.name] if quotas else target[col.name]
        values = tuple(
            ValueStat(
                value=v,
                weight=target[col.name].get(v, 0.0) / max(n, 1),
                expected=float(expect.get(v, 0.0)) if n else 0.0,
                observed=int(observed[i]),
            )
            for i, v in enumerate(col.values)
        )
        out.append(_test(col.name, values, n, config.rarity))
    if correction == "holm" and config.rarity == "weighted":
        return _holm_flags(out)
    return tuple(out)


def _holm_flags(traits: list[TraitStat]) -> tuple[TraitStat, ...]:
    """The traits with a chi-square test flagged again on their Holm-adjusted p-values (the
    others: too few tokens, or values outside the table, are as they were)."""
    tested = [i for i, t in enumerate(traits) if t.chi2 is not None and t.p_value is not None]
    adjusted = holm([traits[i].p_value for i in tested])
    out = list(traits)
    for i, adj in zip(tested, adjusted, strict=True):
        t = traits[i]
        flagged = adj < ALPHA
        sign = "<" if flagged else ">="
        reason = f"chi-square p = {t.p_value:.3g}, Holm-adjusted {adj:.3g} {sign} {ALPHA}"
        out[i] = dataclasses.replace(t, p_adjusted=adj, flagged=flagged, reason=reason)
    return tuple(out)


def _test(name: str, values: tuple[ValueStat, ...], n: int, mode: str) -> TraitStat:
    o = np.asarray([v.observed for v in values], dtype=float)
    e = np.asarray([v.expected for v in values], dtype=float)
    outside = [v for v in values if v.observed and v.expected == 0]
    test = pooled_chisquare(o[e > 0], e[e > 0]) if not outside else None
    chi2, dof, p = test if test else (None, 0, None)
    if outside:
        shown = ", ".join(repr(v.value) for v in outside[:5])
        return TraitStat(
            name, values, n, None, 0, 0.0, True, f"values the table cannot give: {shown}"
        )
    if mode == "exact":
        off = [v for v in values if v.observed != v.expected]
        if off:
            v = max(off, key=lambda x: abs(x.deviation))
            reason = (
                f"{counted(len(off), 'count')} {'differs' if len(off) == 1 else 'differ'} from "
                f"{'its quota' if len(off) == 1 else 'their quotas'} "
                f"({v.value!r}: {counted(v.observed, 'token')}, quota {v.expected:g})"
            )
            return TraitStat(name, values, n, chi2, dof, p, True, reason)
        return TraitStat(name, values, n, chi2, dof, p, False, "every count equals its quota")
    if p is None:
        reason = "too few tokens for a chi-square test"
        return TraitStat(name, values, n, None, 0, None, False, reason, tested=False)
    if p < ALPHA:
        return TraitStat(name, values, n, chi2, dof, p, True, f"chi-square p = {p:.3g} < {ALPHA}")
    return TraitStat(name, values, n, chi2, dof, p, False, f"chi-square p = {p:.3g} >= {ALPHA}")
