"""The rarity audit: does a collection follow its tables, how rare is each token, any duplicates?

`audit_minted` audits a minted collection folder and `audit_sampler` the sampler alone; both
return the `Audit` and write nothing (`collection.report` writes the report site from it).

Names are loaded on first use (PEP 562), so a command that needs one constant (the CLI's
defaults) does not import SciPy's statistics.
"""

from __future__ import annotations

import importlib

#: submodule -> the names this package takes from it
_EXPORTS = {
    "duplicates": (
        "COLOR_DISTANCE",
        "PHASH_DISTANCE",
        "Fingerprint",
        "fingerprint",
        "hamming",
        "identical_sets",
        "near_duplicates",
        "phash",
    ),
    "result": ("Audit",),
    "run": (
        "audit",
        "audit_minted",
        "audit_sampler",
        "summary_lines",
    ),
    "scores": (
        "RarityScores",
        "rank",
        "rarity_scores",
    ),
    "source": (
        "AuditError",
        "AuditInput",
        "TraitColumn",
        "from_minted",
        "from_sampler",
    ),
    "stats": (
        "ALPHA",
        "CORRECTIONS",
        "TraitStat",
        "ValueStat",
        "holm",
        "trait_stats",
    ),
}
_HOME = {name: module for module, names in _EXPORTS.items() for name in names}
__all__ = sorted(_HOME)


def __getattr__(name: str):
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_HOME[name]}", __name__), name)
    globals()[name] = value
    return value
