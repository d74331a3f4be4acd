"""Rarity scores and ranks per token, by two methods, and how far their rankings agree.

- Information content, OpenRarity's method: a token's score is the sum over its traits of
  -log2 p, p being the share of the collection with that trait value (numeric traits count as
  categories), divided by the collection's entropy (the sum over traits and values of
  -p log2 p). OpenRarity ranks first by the number of the token's trait values that no other
  token has, then by score.
- rarity.tools: the sum over the token's traits of 1 / p.

Rank 1 is the rarest. Tie rule ("min", as OpenRarity): tokens whose scores are equal within a
relative 1e-9 (`math.isclose`) share the best rank of their group, and the next rank skips
(1, 2, 2, 4).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

REL_TOL = 1e-9  # math.isclose's default, which OpenRarity uses for equal scores


@dataclass(frozen=True)
class RarityScores:
    """Scores and ranks of the audited tokens, in token order."""

    information: np.ndarray
    information_rank: np.ndarray
    unique_traits: np.ndarray
    rarity_tools: np.ndarray
    rarity_tools_rank: np.ndarray
    entropy: float
    spearman: float | None


def rank(scores: np.ndarray, primary: np.ndarray | None = None) -> np.ndarray:
    """Ranks, 1 = highest (`primary` first, then score); close scores share the min rank."""
    scores = np.asarray(scores, dtype=float)
    n = len(scores)
    keys = (-scores,) if primary is None else (-scores, -np.asarray(primary))
    order = np.lexsort(keys)  # lexsort sorts by its last key first
    s = scores[order]
    close = np.abs(s[1:] - s[:-1]) <= REL_TOL * np.maximum(np.abs(s[1:]), np.abs(s[:-1]))
    starts = np.arange(1, n + 1)
    starts[1:][close] = 0  # a tie keeps the rank of the token before it
    ranks_sorted = np.maximum.accumulate(starts) if n else starts
    out = np.empty(n, dtype=np.int64)
    out[order] = ranks_sorted
    return out


def rarity_scores(codes: Sequence[np.ndarray]) -> RarityScores:
    """Scores and ranks from per-trait value codes (one array per trait, one entry per token)."""
    n = len(codes[0]) if codes else 0
    information = np.zeros(n)
    tools = np.zeros(n)
    unique = np.zeros(n, dtype=np.int64)
    entropy = 0.0
    for c in codes:
        counts = np.bincount(c)
        share = counts[c] / n
        information += -np.log2(share)
        tools += 1.0 / share
        unique += counts[c] == 1
        p = counts[counts > 0] / n
        entropy += float(-(p * np.log2(p)).sum())
    normalised = information / entropy if entropy > 0 else information
    info_rank = rank(normalised, unique)
    tools_rank = rank(tools)
    return RarityScores(
        information=normalised,
        information_rank=info_rank,
        unique_traits=unique,
        rarity_tools=tools,
        rarity_tools_rank=tools_rank,
        entropy=entropy,
        spearman=_spearman(info_rank, tools_rank),
    )


def _spearman(a: np.ndarray, b: np.ndarray) -> float | None:
    """Spearman's rho of two rankings; None when either is constant (rho is undefined)."""
    if len(a) < 2 or np.ptp(a) == 0 or np.ptp(b) == 0:
        return None
    return float(stats.spearmanr(a, b).statistic)
