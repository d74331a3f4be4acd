"""The site's data: the collection as columns (one list per field, token order) and each
token's page data in chunks, both as small scripts a page loads with <script src>, so the site
reads the same from disk (file://, where pages cannot fetch) and from `artgen serve`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime

import numpy as np

import artgen
from artgen.chain import ChainState
from artgen.jsontext import finite
from artgen.lifecycle import LIFE_YEARS, STAGES, birth_time, stage_at

from ..audit import Audit
from ..config import config_hash

#: Traits every grid cell shows under its thumbnail (and the trait the grid sorts by).
MAIN_TRAITS = ("Color Palette", "Network Architecture")
#: A token's flags, one bit each: what the audit found wrong with it.
FLAGS = ("identical trait set", "near-identical portrait", "value outside the table", "no still")
CHUNK = 100  # tokens per page-data script
GLOBAL = "Report"  # the pages' namespace: window.Report.collection, window.Report.details


def _r(x: float) -> float:
    return round(float(x), 6)


def script(name: str, value: object, merge: bool = False) -> str:
    """A script that puts `value` at window.Report[name] (merged into it with `merge`).

    The JSON is escaped so that no '<', '>' or '&' reaches the file: it cannot end a
    <script> element, whatever a trait value holds.
    """
    text = json.dumps(finite(value), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    root = f"(self.{GLOBAL}=self.{GLOBAL}||{{}})"
    if merge:
        return f"{root}.{name}=Object.assign({root}.{name}||{{}},{text});\n"
    return f"{root}.{name}={text};\n"


def sampler_stages(birth_years: Sequence[int], year_seconds: Sequence[float], time: float) -> list:
    """Stage index (into STAGES) of each sampled token at `time` (`artgen.lifecycle`'s rule)."""
    born = {y: birth_time(y) for y in set(birth_years)}
    out = []
    for year, length in zip(birth_years, year_seconds, strict=True):
        age = max(0.0, (time - born[year]) / length)
        out.append(stage_at(age - (age // LIFE_YEARS) * LIFE_YEARS))
    return out


def token_flags(result: Audit) -> list[int]:
    """Each token's FLAGS bits."""
    tokens = result.input.tokens.tolist()
    index = {t: i for i, t in enumerate(tokens)}
    flags = np.zeros(len(tokens), dtype=np.int64)
    for group in result.identical:
        for t in group:
            flags[index[t]] |= 1
    for a, b, _ in result.near:
        flags[index[a]] |= 2
        flags[index[b]] |= 2
    for col in result.input.columns:
        flags[col.codes >= col.known] |= 4
    if result.input.origin != "sampler":
        flags[[i for i, t in enumerate(tokens) if t not in result.input.images]] |= 8
    return flags.tolist()


def trait_columns(result: Audit) -> list[dict]:
    """Each trait: its values (the table's first), how many tokens have each, its audit state."""
    stats = {t.name: t for t in result.traits}
    out = []
    for col in result.input.columns:
        t = stats[col.name]
        out.append(
            {
                "name": col.name,
                "values": list(col.values),
                "counts": col.counts().tolist(),
                "known": col.known,
                "state": t.state,
                "reason": t.reason,
            }
        )
    return out


def collection_data(
    result: Audit,
    *,
    moment: ChainState,
    stages: Sequence[int],
    hidden: Sequence[Sequence[int]],
    upgraded: Sequence[bool],
    thumbs: dict,
    cost: dict | None,
    links: dict,
) -> dict:
    """Everything the collection page, the token pages and the grid's thumbnails read."""
    config, s = result.input.config, result.scores
    flags = token_flags(result)
    for i in thumbs.get("blank", []):
        flags[i] |= 8
    summary = result.summary()
    summary |= {
        "name": config.name,
        "description": config.description,
        "config_hash": config_hash(config),
        "engine_version": artgen.__version__,
        "moment": {
            "time": moment.time,
            "iso": datetime.fromtimestamp(moment.time, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "height": moment.height,
            "fee_rate": moment.fee_rate,
        },
        "cost": cost,
        "flagged_tokens": sum(1 for f in flags if f),
        "upgraded_tokens": sum(1 for u in upgraded if u),
    }
    return {
        "summary": summary,
        "traits": trait_columns(result),
        "main_traits": list(MAIN_TRAITS),
        "stages": list(STAGES),
        "flags": list(FLAGS),
        "life_cycle_days": dict(config.tables.life_cycle_days),
        "thumbs": {k: v for k, v in thumbs.items() if k != "blank"},
        "links": links,
        "chunk": CHUNK,
        "tokens": {
            "token": result.input.tokens.tolist(),
            "codes": [c.codes.tolist() for c in result.input.columns],
            "information": [_r(x) for x in s.information],
            "information_rank": s.information_rank.tolist(),
            "unique_traits": s.unique_traits.tolist(),
            "rarity_tools": [_r(x) for x in s.rarity_tools],
            "rarity_tools_rank": s.rarity_tools_rank.tolist(),
            "stage": list(stages),
            "flags": flags,
            "upgraded": [1 if u else 0 for u in upgraded],
            "hidden": [list(h) for h in hidden],
        },
    }


def detail_chunks(details: dict[int, dict]) -> dict[int, dict[str, dict]]:
    """Token page data grouped by token // CHUNK (the script data/tokens-<k>.js holds chunk k)."""
    out: dict[int, dict[str, dict]] = {}
    for token in sorted(details):
        out.setdefault(token // CHUNK, {})[str(token)] = details[token]
    return out
