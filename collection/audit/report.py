"""The audit as data: report.json (everything), report.csv (one row per token) and
report-traits.csv (one row per trait value), which the report site (`collection.report`)
writes beside its pages."""

from __future__ import annotations

import csv
import io

import numpy as np

from .duplicates import COLOR_DISTANCE, PHASH_DISTANCE
from .result import Audit, token_table
from .scores import REL_TOL
from .stats import ALPHA, MIN_EXPECTED

HISTOGRAM_BINS = 30

METHOD = {
    "information": "OpenRarity: sum over traits of -log2(share of tokens with the value), "
    "divided by the collection entropy; ranked by the count of values no other token has, "
    "then by score",
    "rarity_tools": "rarity.tools: sum over traits of 1 / (share of tokens with the value)",
    "numeric_traits": "numeric traits count as categories",
    "tie_rule": f"min: scores equal within a relative {REL_TOL:g} share the best rank (1, 2, 2, 4)",
    "chi_square": " ".join(
        [
            "goodness of fit per trait (SciPy), expected counts below",
            f"{MIN_EXPECTED:g} pooled; weighted mode flags p < {ALPHA} (with the Holm",
            "correction: the Holm-adjusted p over the traits tested), exact mode flags any",
            "count that differs from its quota",
        ]
    ),
    "phash": " ".join(
        [
            "64-bit DCT pHash of each still (grayscale 32x32, 8x8 lowest frequencies",
            "against their median) and its mean colour; near-identical when the hashes",
            f"differ in at most the threshold's bits (default {PHASH_DISTANCE}) and the mean",
            f"colours by at most {COLOR_DISTANCE} of 255 levels per channel",
        ]
    ),
}


def _r(x: float | None) -> float | None:
    return None if x is None else round(float(x), 6)


def _sig(x: float | None) -> float | None:
    """Six significant digits (p-values can be tiny)."""
    return None if x is None else float(f"{float(x):.6g}")


def trait_rows(result: Audit) -> list[dict]:
    """One JSON-ready entry per trait, with its values."""
    out = []
    for t in result.traits:
        values = [
            {
                "value": v.value,
                "weight": _r(v.weight),
                "expected": _r(v.expected),
                "observed": v.observed,
                "deviation": _r(v.deviation),
                "deviation_pp": _r(t.deviation_pp(v)),
            }
            for v in t.values
        ]
        out.append(
            {
                "name": t.name,
                "state": t.state,
                "flagged": t.flagged,
                "reason": t.reason,
                "chi2": _sig(t.chi2),
                "dof": t.dof,
                "p_value": _sig(t.p_value),
                "p_adjusted": _sig(t.p_adjusted),
                "tokens": t.tokens,
                "values": values,
            }
        )
    return out


def histogram(result: Audit) -> dict:
    """The distribution of information-content scores."""
    scores = result.scores.information
    if not len(scores):
        return {"edges": [], "counts": []}
    counts, edges = np.histogram(scores, bins=HISTOGRAM_BINS)
    return {"edges": [round(float(e), 6) for e in edges], "counts": counts.tolist()}


def report_json(result: Audit, table: dict | None = None) -> dict:
    """The whole report as JSON-ready data (tokens as columns, one list per field)."""
    table = token_table(result) if table is None else table
    tokens = result.input.tokens.tolist()
    return {
        "summary": result.summary(),
        "method": METHOD,
        "traits": trait_rows(result),
        "rarity": {
            "entropy": _r(result.scores.entropy),
            "spearman": _r(result.scores.spearman),
            "histogram": histogram(result),
            "rarest": [tokens[i] for i in result.rarest()],
            "most_common": [tokens[i] for i in result.most_common()],
        },
        "duplicates": {
            "identical_trait_sets": [list(g) for g in result.identical],
            "near_identical_portraits": [
                {"a": a, "b": b, "distance": d} for a, b, d in result.near
            ],
            "phash_distance": result.phash_distance,
            "stills_hashed": result.hashed,
        },
        "tokens": table,
    }


def _csv(header: list[str], rows: list[list]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def tokens_csv(result: Audit, table: dict) -> str:
    names = list(table["traits"])
    group = {t: i + 1 for i, g in enumerate(result.identical) for t in g}
    near: dict[int, list[int]] = {}
    for a, b, _ in result.near:
        near.setdefault(a, []).append(b)
        near.setdefault(b, []).append(a)
    header = ["token", *names, "information", "information_rank", "unique_traits"]
    header += ["rarity_tools", "rarity_tools_rank", "identical_set", "near_identical"]
    fields = ["information", "information_rank", "unique_traits", "rarity_tools"]
    fields.append("rarity_tools_rank")
    columns = [table["token"], *table["traits"].values(), *(table[f] for f in fields)]
    columns.append([group.get(t, "") for t in table["token"]])
    columns.append([" ".join(map(str, sorted(near.get(t, [])))) for t in table["token"]])
    return _csv(header, list(zip(*columns, strict=True)))


def traits_csv(result: Audit) -> str:
    header = ["trait", "value", "weight", "expected", "observed", "deviation", "deviation_pp"]
    header += ["chi2", "dof", "p_value", "p_adjusted", "flagged"]
    body = [
        [t["name"], v["value"], v["weight"], v["expected"], v["observed"], v["deviation"]]
        + [v["deviation_pp"], t["chi2"], t["dof"], t["p_value"], t["p_adjusted"], t["flagged"]]
        for t in trait_rows(result)
        for v in t["values"]
    ]
    return _csv(header, body)
