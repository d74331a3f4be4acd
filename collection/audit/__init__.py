"""The rarity audit: does a collection follow its tables, how rare is each token, any duplicates?

`run_audit` audits a minted collection folder (or the sampler alone) and writes report.html,
report.json, report.csv and report-traits.csv; `audit_minted` and `audit_sampler` return the
`Audit` without writing anything.
"""

from .duplicates import (
    COLOR_DISTANCE,
    PHASH_DISTANCE,
    Fingerprint,
    fingerprint,
    hamming,
    identical_sets,
    near_duplicates,
    phash,
)
from .result import Audit
from .run import audit, audit_minted, audit_sampler, run_audit, summary_lines
from .scores import RarityScores, rank, rarity_scores
from .source import AuditError, AuditInput, TraitColumn, from_minted, from_sampler
from .stats import ALPHA, CORRECTIONS, TraitStat, ValueStat, holm, trait_stats

__all__ = [
    "ALPHA",
    "COLOR_DISTANCE",
    "CORRECTIONS",
    "PHASH_DISTANCE",
    "Audit",
    "Fingerprint",
    "AuditError",
    "AuditInput",
    "RarityScores",
    "TraitColumn",
    "TraitStat",
    "ValueStat",
    "audit",
    "audit_minted",
    "audit_sampler",
    "fingerprint",
    "from_minted",
    "from_sampler",
    "hamming",
    "holm",
    "identical_sets",
    "near_duplicates",
    "phash",
    "rank",
    "rarity_scores",
    "run_audit",
    "summary_lines",
    "trait_stats",
]
