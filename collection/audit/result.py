"""What an audit found (`Audit`), and its tokens as JSON-ready columns.

The audit's modules import this one and never each other backwards: `run` computes an Audit,
`report` turns it into data (JSON, CSV); both read the Audit from here. The report site
(`collection.report`) reads it too, and nothing in the audit imports the site.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..config import config_hash
from .scores import RarityScores
from .source import AuditInput
from .stats import TraitStat

TOP = 10  # tokens shown at each end of the rarity ranking


@dataclass(frozen=True)
class Audit:
    """Everything an audit found; `problems` lists what could not be read."""

    input: AuditInput
    traits: tuple[TraitStat, ...]
    scores: RarityScores
    identical: tuple[tuple[int, ...], ...]
    near: tuple[tuple[int, int, int], ...]
    phash_distance: int
    hashed: int
    problems: tuple[str, ...]
    correction: str = "none"  # "holm": weighted-mode flags on Holm-adjusted p-values

    @property
    def flagged(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.traits if t.flagged)

    def rarest(self, count: int = TOP) -> list[int]:
        """Indices of the `count` rarest tokens (information rank, then token id); with fewer
        than 2 x `count` tokens, the rarer half (the middle token goes here)."""
        order = np.lexsort((self.input.tokens, self.scores.information_rank))
        return order[: min(count, (len(order) + 1) // 2)].tolist()

    def most_common(self, count: int = TOP) -> list[int]:
        """Indices of the `count` most common tokens, most common first (then token id), none
        of them among `rarest(count)`: tied ranks or a small collection never show a token twice."""
        rarest = set(self.rarest(count))
        order = np.lexsort((self.input.tokens, -self.scores.information_rank))
        return [i for i in order.tolist() if i not in rarest][: min(count, len(order) // 2)]

    def largest_deviation(self) -> dict | None:
        """The trait value whose count lies farthest from its expected count."""
        if not self.traits or not len(self.input.tokens):
            return None
        trait = max(self.traits, key=lambda t: abs(t.largest.deviation))
        v = trait.largest
        return {
            "trait": trait.name,
            "value": v.value,
            "observed": v.observed,
            "expected": round(v.expected, 6),
            "deviation": round(v.deviation, 6),
            "deviation_pp": round(trait.deviation_pp(v), 6),
        }

    def summary(self) -> dict:
        """The headline figures, JSON-ready."""
        config = self.input.config
        spearman = self.scores.spearman
        return {
            "collection": config.name,
            "origin": self.input.origin,
            "rarity": config.rarity,
            "seed": config.seed,
            "size": config.size,
            "tokens": int(len(self.input.tokens)),
            "config_hash": config_hash(config),
            "flagged": list(self.flagged),
            "correction": self.correction,
            "largest_deviation": self.largest_deviation(),
            "spearman": None if spearman is None else round(spearman, 6),
            "identical_trait_sets": len(self.identical),
            "near_identical_pairs": len(self.near),
            "phash_distance": self.phash_distance,
            "problems": list(self.problems),
        }


def token_table(result: Audit) -> dict:
    """The audited tokens as JSON-ready columns: ids, traits, scores and ranks."""
    s = result.scores
    return {
        "token": result.input.tokens.tolist(),
        "traits": {c.name: [c.values[i] for i in c.codes.tolist()] for c in result.input.columns},
        "information": np.round(s.information, 6).tolist(),
        "information_rank": s.information_rank.tolist(),
        "unique_traits": s.unique_traits.tolist(),
        "rarity_tools": np.round(s.rarity_tools, 6).tolist(),
        "rarity_tools_rank": s.rarity_tools_rank.tolist(),
    }


def token_row(table: dict, i: int) -> dict:
    """Row i of `token_table` as one object."""
    row = {k: v[i] for k, v in table.items() if k != "traits"}
    row["traits"] = {name: values[i] for name, values in table["traits"].items()}
    return row
