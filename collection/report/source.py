"""What the site reads about a minted collection besides its audit: each token's metadata, the
moment it was drawn at, the ord batches (cost and status), the real inscription ids and the
upgrade log. Every file is optional except the metadata the audit has already read; a file
that is there but unreadable is a `ReportError` naming it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from artgen import jsontext, limits
from artgen.chain import DEFAULT_CHAIN_STATE, ChainState
from artgen.errors import ArtgenError

from ..mint import layout


class ReportError(ArtgenError):
    """A collection file the report needs that cannot be read, or a site that cannot be written."""


@dataclass(frozen=True)
class MintedFiles:
    """The collection files the site shows, read once."""

    root: Path
    metadata: dict[int, dict]  # token -> metadata/<t>.json
    moment: ChainState
    batches: dict | None  # ord/batches.json
    inscribed: dict  # ord/inscribed.json ({"batches": []} before any inscription)
    upgrades: list = field(default_factory=list)  # upgrades.json


def read_json(path: Path, expected: type) -> Any:
    """A JSON file's value, read strictly (`artgen.jsontext`) and checked to be of the
    `expected` type."""
    value = jsontext.read_json(path, limits.RECORD_BYTES, ReportError)
    if not isinstance(value, expected):
        raise ReportError(f"expected a JSON {expected.__name__}", source=str(path))
    return value


def _optional(path: Path, expected: type, default: Any) -> Any:
    return read_json(path, expected) if path.is_file() else default


def _moment(metadata: dict[int, dict]) -> ChainState | None:
    """The chain state the stills were drawn at, as the first token's metadata records it."""
    for meta in metadata.values():
        stage = meta.get("stage")
        if isinstance(stage, dict) and "time" in stage:
            from artgen.chain import parse_time

            try:
                time = parse_time(stage["time"], "stage.time")
                return ChainState(time, int(stage.get("height") or 0), float(stage["fee_rate"]))
            except (ArtgenError, KeyError, TypeError, ValueError):
                return None
    return None


def read_minted(
    root: Path, tokens: list[int], fallback: Callable[[], ChainState] | None = None
) -> MintedFiles:
    """The site's view of the minted collection in `root` (metadata of `tokens`); `fallback`
    gives the moment when no metadata records it."""
    metadata = {t: read_json(root / layout.metadata_path(t), dict) for t in tokens}
    inscribed = _optional(root / layout.INSCRIBED, dict, {"batches": []})
    if not isinstance(inscribed.get("batches"), list):
        raise ReportError("expected a list", source=str(root / layout.INSCRIBED), field="batches")
    batches = None
    if (root / layout.BATCHES).is_file():  # the minter's status of the ord batches
        from ..mint.status import collection_status

        batches = collection_status(root).report
        if not isinstance(batches.get("batches"), list):
            raise ReportError("expected a list", source=str(root / layout.BATCHES), field="batches")
    return MintedFiles(
        root=root,
        metadata=metadata,
        moment=_moment(metadata) or (fallback() if fallback else DEFAULT_CHAIN_STATE),
        batches=batches,
        inscribed=inscribed,
        upgrades=_optional(root / layout.UPGRADES, list, []),
    )


def real_ids(inscribed: dict) -> set[str]:
    """Every real inscription id ord has reported for this collection."""
    return {
        i["id"]
        for b in inscribed["batches"]
        for i in b.get("inscriptions", [])
        if isinstance(i, dict) and "id" in i
    }


def batch_of(batches: dict | None) -> dict[str, dict]:
    """sha256 of a file -> its batch: name and status (inscribed, pending, waiting; which
    batches a waiting one waits on is said once, in `cost_summary`)."""
    out: dict[str, dict] = {}
    for b in (batches or {}).get("batches", []):
        entry = {"batch": b.get("name"), "status": b.get("status")}
        for f in b.get("files", []):
            if isinstance(f, dict) and "sha256" in f:
                out[f["sha256"]] = entry
    return out


def inscription_status(ident: str, real: set[str], batches: dict[str, dict]) -> dict:
    """One inscription's state: inscribed (a real id), or the batch it is planned in."""
    if ident in real:
        return {"id": ident, "status": "inscribed", "batch": None}
    sha = ident.split("i", 1)[0]
    planned = batches.get(sha, {"batch": None, "status": "not planned"})
    return {"id": ident, **planned}


def cost_summary(files: MintedFiles) -> dict | None:
    """What is left to inscribe (count, vbytes, sats) and the bytes of each kind of file."""
    b = files.batches
    if b is None:
        return None
    statuses = [x.get("status") for x in b["batches"]]
    pending = b.get("pending", {})
    return {
        "fee_rate": b.get("fee_rate"),
        "postage": b.get("postage"),
        "inscriptions": pending.get("inscriptions", 0),
        "vbytes": pending.get("vbytes", 0),
        "total_sats": pending.get("total_sats", 0),
        "kinds": b.get("kinds", {}),
        "batches": {s: statuses.count(s) for s in ("inscribed", "pending", "waiting")},
        "waits_on": {x["name"]: x["waits_on"] for x in b["batches"] if x.get("waits_on")},
        "inscribed": len(real_ids(files.inscribed)),
    }
