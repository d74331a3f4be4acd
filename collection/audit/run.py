"""The audit: trait statistics, rarity scores and duplicates of a collection, and its summary
(the report site, `collection.report`, renders the rest)."""

from __future__ import annotations

import os
from pathlib import Path

from artgen.errors import ArtgenError
from artgen.wording import counted

from ..config import load_config
from .duplicates import PHASH_DISTANCE, fingerprint, identical_sets, near_duplicates
from .result import Audit
from .scores import rarity_scores
from .source import AuditInput, from_minted, from_sampler
from .stats import CORRECTIONS, trait_stats


def audit(
    data: AuditInput, phash_distance: int = PHASH_DISTANCE, correction: str = "none"
) -> Audit:
    """Audit the tokens of `data`; `correction` "holm" flags traits on Holm-adjusted p-values."""
    codes = [c.codes for c in data.columns]
    problems = list(data.problems)
    hashes = {}
    for token, path in sorted(data.images.items()):
        try:
            hashes[token] = fingerprint(path)
        except ArtgenError as err:  # a damaged collection: a FIFO, a bomb, not an image
            problems.append(f"{path}: not a readable image ({err.detail})")
    return Audit(
        input=data,
        traits=trait_stats(data.config, data.columns, correction),
        scores=rarity_scores(codes),
        identical=tuple(tuple(g) for g in identical_sets(codes, data.tokens)),
        near=tuple(near_duplicates(hashes, phash_distance)),
        phash_distance=phash_distance,
        hashed=len(hashes),
        problems=tuple(problems),
        correction=correction,
    )


def audit_minted(
    folder: str | os.PathLike, phash_distance: int = PHASH_DISTANCE, correction: str = "none"
) -> Audit:
    """Audit a minted collection folder (collection.toml, metadata/, images/)."""
    return audit(from_minted(folder), phash_distance, correction)


def audit_sampler(
    config_path: str | os.PathLike | None = None,
    *,
    size: int | None = None,
    seed: int | str | None = None,
    correction: str = "none",
) -> Audit:
    """Audit what the sampler makes for a config (packaged defaults when None)."""
    data = from_sampler(load_config(config_path, size=size, seed=seed))
    return audit(data, correction=correction)


def summary_lines(result: Audit, paths: dict[str, Path]) -> list[str]:
    """The audit's headline in a few lines of text."""
    s = result.summary()
    where = "the sampler" if s["origin"] == "sampler" else s["origin"]
    lines = [
        f"audited {counted(s['tokens'], 'token')} of {s['collection']!r} from {where} "
        f"({s['rarity']} mode)"
    ]
    flagged = [t for t in result.traits if t.flagged]
    lines.append(
        f"traits flagged{CORRECTIONS[result.correction]}: "
        + ("; ".join(f"{t.name} ({t.reason})" for t in flagged) if flagged else "none")
    )
    d = s["largest_deviation"]
    if d:
        lines.append(
            f"largest deviation: {d['trait']} {d['value']!r}: {counted(d['observed'], 'token')}, "
            f"expected {d['expected']:g} ({d['deviation_pp']:+.3f} percentage points)"
        )
    rho = "undefined" if s["spearman"] is None else f"{s['spearman']:.4f}"
    lines.append(f"rank agreement (Spearman, information content vs rarity.tools): {rho}")
    lines.append(
        f"duplicates: {counted(s['identical_trait_sets'], 'identical trait set')}, "
        f"{counted(s['near_identical_pairs'], 'near-identical portrait pair')} "
        f"(pHash distance <= {s['phash_distance']}, "
        f"{counted(result.hashed, 'still')} hashed)"
    )
    lines += [f"problem: {p}" for p in s["problems"]]
    if paths:
        lines.append(f"report: {paths['site']}")
    else:
        lines.append("report: none written (-o DIR writes the report site)")
    return lines
