"""ord batch files and their cost estimates.

Files still to inscribe are ordered by kind (KIND_ORDER: parent, engine, models, HTML,
gallery; token order inside a kind) and packed into `ord wallet batch` YAML files whose reveal
transaction stays under REVEAL_LIMIT weight units (see `ordcost` for the formula). A batch is
written only when every id it needs is known; until then it is "waiting" (no YAML):

- the parent's batch comes first; every other batch names the parent in `parents`, so it
  waits for the parent's id;
- an HTML names the engine and its model by id, so HTML batches wait for those;
- the gallery lists every token's inscription, so it waits for them all.

`artgen inscribed` records ids in ord/inscribed.json (keyed by content hash) and writes the
files again, and the batches that waited are written then. Token entries carry ord's own
`title` and `traits` besides their `metadata`; with `[ord] compress` the batches are for
`ord wallet batch --compress` and the estimates count brotli sizes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from artgen import limits
from artgen.jsontext import read_json
from artgen.wording import counted
from collection.config import CollectionConfig

from . import layout
from .metadata import (
    KIND_ORDER,
    attributes,
    json_bytes,
    ord_traits,
    placeholder_id,
    token_inscriptions,
    token_name,
)
from .ordcost import (
    REVEAL_LIMIT,
    Inscription,
    InscriptionError,
    batch_weight,
    estimate,
    plan_batches,
)
from .ordschema import check_batch

CONTENT_TYPES = {
    ".json": "application/json",
    ".html": "text/html;charset=utf-8",
    ".js": "text/javascript",
}
ID_PATTERN = re.compile(r"[0-9a-f]{64}i\d+")
FORMULA = (
    "weight = 4 x (4 + varint(1 + P) + 41 (1 + P) + varint(P + N) + 43 (P + N) + 4) + 2 + 1 + 65 "
    "+ varint(S) + S + 34 + 66 P with S = 34 + sum of envelopes, P parents, N inscriptions; "
    "envelope = 6 + 2 + push(content type) + [5 if brotli] + 35 P + [2 + push(pointer)] "
    "+ sum over 520-byte metadata chunks (2 + push) + sum over 520-byte properties chunks "
    "(2 + push) + [5 if brotli] + 1 + sum over 520-byte content chunks (push) + 1; "
    "push(n) = n + 1, n + 2 (n > 75) or n + 3 (n > 255); vbytes = ceil(weight / 4); "
    "see collection/mint/ordcost.py"
)

ESTIMATE_KEYS = (
    "inscriptions",
    "weight",
    "vbytes",
    "reveal_fee",
    "commit_fee",
    "postage",
    "total_sats",
)
WAITING_FOR = {
    "parent": "the parent's id",
    "html": "the ids of the engine and the models",
    "parent+html": "the ids of the parent, the engine and the models",
    "parent+gallery": "the parent's id and every token's inscription",
    "gallery": "the ids of every token's inscription",
}

#: The kinds whose ids a batch of each group needs before it can be written.
NEEDS = {
    "parent": set(),
    "refs": {"parent"},
    "html": {"parent", "engine", "model"},
    "gallery": {"parent", "engine", "model", "html"},
}

Put = Callable[[str, bytes], None]
ChainSizes = Callable[[Inscription], int | None]


def content_type(path: str) -> str:
    return CONTENT_TYPES.get(Path(path).suffix.lower(), "application/octet-stream")


def inscription_items(
    config: CollectionConfig, records: Sequence[dict], shared: Sequence[Inscription] = ()
) -> list[Inscription]:
    """Every file of the collection to inscribe, in kind order then token order, each content
    once. `shared` holds the collection's own inscriptions (parent, engine, gallery)."""
    items = list(shared)
    for r in records:
        traits = ord_traits(r["traits"])
        for i in token_inscriptions(r):
            meta = {
                "name": token_name(config, r["token"]),
                "collection": config.name,
                "kind": i["kind"],
                "attributes": {a["trait_type"]: a["value"] for a in attributes(r["traits"])},
            }
            items.append(
                Inscription(
                    i["kind"],
                    i["path"],
                    i["bytes"],
                    i["sha256"],
                    content_type(i["path"]),
                    meta,
                    r["token"],
                    title=token_name(config, r["token"]),
                    traits=traits,
                )
            )
    order = {kind: n for n, kind in enumerate(KIND_ORDER)}
    items.sort(key=lambda i: (order[i.kind], -1 if i.token is None else i.token))
    seen: set[str] = set()  # the same content is inscribed once (two tokens upgraded alike)
    return [i for i in items if not (i.sha256 in seen or seen.add(i.sha256))]


def read_inscribed(root: Path) -> dict[str, Any]:
    """ord/inscribed.json, or an empty record."""
    path = root / layout.INSCRIBED
    if not path.exists():
        return {"batches": []}
    doc = read_json(path, limits.RECORD_BYTES, InscriptionError)
    if not isinstance(doc, dict) or not isinstance(doc.get("batches"), list):
        raise InscriptionError("expected a list of batches", source=str(path), field="batches")
    return doc


def id_lookup(inscribed: dict[str, Any]) -> Callable[[str], str]:
    """sha256 -> the real id when inscribed, else the placeholder."""
    real = {i["sha256"]: i["id"] for b in inscribed["batches"] for i in b["inscriptions"]}
    return lambda sha: real.get(sha, placeholder_id(sha))


# libyaml's emitter when PyYAML has it: the same text, several times faster
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _entry(item: Inscription) -> dict[str, Any]:
    entry: dict[str, Any] = {"file": item.path}
    if item.title:
        entry["title"] = item.title
    if item.traits:
        entry["traits"] = dict(item.traits)
    if item.gallery:
        entry["gallery"] = [dict(g) for g in item.gallery]
    entry["metadata"] = item.metadata
    return entry


def batch_yaml(
    config: CollectionConfig, name: str, number: int, count: int, items, cost, parents
) -> bytes:
    """One `ord wallet batch` file: a comment on how to run it and what it costs, then YAML."""
    body: dict[str, Any] = {"mode": "separate-outputs"}
    if parents:
        body["parents"] = list(parents)
    body["postage"] = config.ord.postage
    body["inscriptions"] = [_entry(i) for i in items]
    rate = config.ord.fee_rate
    flags = " --compress" if config.ord.compress else ""
    head = [
        f"# {config.name}: ord batch {number} of {count}, {counted(len(items), 'inscription')}",
        f"# Run from the collection folder: ord wallet batch --fee-rate {rate:g}{flags} "
        f"--batch {name}",
        f"# Estimate at {rate:g} sat/vB: reveal {cost['weight']:,} WU = {cost['vbytes']:,} vB, "
        f"{cost['reveal_fee']:,} sats; commit about {cost['commit_fee']:,} sats; postage "
        f"{cost['postage']:,} sats; total {cost['total_sats']:,} sats",
        f"# (limit {REVEAL_LIMIT:,} WU per reveal; the formula is in ord/batches.json)",
    ]
    if parents:
        head.append(f"# Children of {parents[0]}: that inscription must be in the ord wallet")
    text = yaml.dump(body, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=1000)
    return ("\n".join(head) + "\n" + text).encode("utf-8")


def _groups(items: list[Inscription], parent_known: bool, parented: bool):
    """(kind group, items, reason it waits or None) in the order they are inscribed."""
    parent = [i for i in items if i.kind == "parent"]
    refs = [i for i in items if i.kind in ("engine", "model")]
    art = [i for i in items if i.kind == "html"]
    gallery = [i for i in items if i.kind == "gallery"]
    no_parent = parented and not parent_known
    out = [("parent", parent, None)]
    out.append(("refs", refs, "parent" if no_parent else None))
    art_wait = ("parent+html" if refs else "parent") if no_parent else ("html" if refs else None)
    out.append(("html", art, art_wait))
    tokens_pending = any(i.kind in ("model", "html") for i in items)
    gallery_wait = "gallery" if tokens_pending else None
    if no_parent:
        gallery_wait = "parent+gallery" if tokens_pending else "parent"
    out.append(("gallery", gallery, gallery_wait))
    return [g for g in out if g[1]]


def write_ord_files(
    root: Path,
    config: CollectionConfig,
    records: Sequence[dict],
    put: Put,
    shared: Sequence[Inscription] = (),
    parent: tuple[bool, str | None] = (False, None),
    sizes: ChainSizes | None = None,
) -> dict[str, Any]:
    """Batch YAML files for what is not yet inscribed and can be, and ord/batches.json;
    returns the latter. `shared`: the collection's own inscriptions (parent, engine,
    gallery); `parent`: (whether batches have a parent, its id once known); `sizes`: each
    item's brotli size on chain (None: not smaller), used when `[ord] compress` is on."""
    inscribed = read_inscribed(root)
    ids = id_lookup(inscribed)
    items = inscription_items(config, records, shared)
    if config.ord.compress and sizes is not None:
        items = [replace(i, chain_size=sizes(i), compress=True) for i in items]
    pending = [i for i in items if ids(i.sha256) == placeholder_id(i.sha256)]
    parented, parent_id = parent
    rate, postage = config.ord.fee_rate, config.ord.postage
    planned: list[tuple[list[Inscription], int, str | None, str]] = []
    for group, group_items, waits in _groups(pending, parent_id is not None, parented):
        count = 1 if parented and group != "parent" else 0
        for batch in plan_batches(group_items, postage, parents=count):
            planned.append((batch, count, waits, group))
    done = [int(re.sub(r"\D", "", b["name"])) for b in inscribed["batches"]]
    first = max(done, default=0) + 1
    summary = []
    for b in inscribed["batches"]:
        summary.append(
            {
                "name": b["name"],
                "file": b["file"],
                "status": "inscribed",
                "commit": b["commit"],
                "reveal": b["reveal"],
                **b["estimate"],
                "files": [
                    {k: i[k] for k in ("file", "sha256", "kind", "token", "id")}
                    for i in b["inscriptions"]
                ],
            }
        )
    pending_total = dict.fromkeys(ESTIMATE_KEYS, 0)
    names = [Path(layout.batch_path(first + n)).stem for n in range(len(planned))]
    for n, (batch, parents, waits, group) in enumerate(planned):
        number = first + n
        path = layout.batch_path(number)
        cost = estimate(batch_weight(batch, postage, parents), len(batch), rate, postage)
        entry: dict[str, Any] = {"name": names[n], "file": path}
        if waits is None:
            parent_ids = [parent_id] if parents else []
            data = batch_yaml(config, path, number, first + len(planned) - 1, batch, cost,
                              parent_ids)  # fmt: skip
            check_batch(data, root, source=path)
            put(path, data)
            entry["status"] = "pending"
        else:
            entry["status"] = "waiting"
            entry["waiting_for"] = WAITING_FOR[waits]
            entry["waits_on"] = [
                names[k] for k in range(n) if {i.kind for i in planned[k][0]} & NEEDS[group]
            ]
        entry["parents"] = parents
        entry |= cost
        entry["files"] = [
            {
                "file": i.path,
                "sha256": i.sha256,
                "kind": i.kind,
                "token": i.token,
                "bytes": i.size,
                "chain_bytes": i.size if i.chain_size is None else i.chain_size,
            }
            for i in batch
        ]
        summary.append(entry)
        for key, value in cost.items():
            pending_total[key] += value
    report = {
        "fee_rate": rate,
        "postage": postage,
        "compress": config.ord.compress,
        "parent": parent_id,
        "limit_weight": REVEAL_LIMIT,
        "formula": FORMULA,
        "batches": summary,
        "pending": pending_total,
        "kinds": _kinds(items),
    }
    put(layout.BATCHES, json_bytes(report))
    return report


def batch_files(report: dict[str, Any]) -> set[str]:
    """The batch YAML files a batches.json report names (inscribed or pending)."""
    return {b["file"] for b in report["batches"] if b["status"] != "waiting"}


def _kinds(items: Sequence[Inscription]) -> dict[str, dict[str, int]]:
    """Inscriptions and their bytes by kind (parent, engine, model, html, gallery), inscribed
    or not; chain_bytes counts what --compress puts on chain."""
    out: dict[str, dict[str, int]] = {}
    for i in items:
        kind = out.setdefault(i.kind, {"count": 0, "bytes": 0, "chain_bytes": 0})
        kind["count"] += 1
        kind["bytes"] += i.size
        kind["chain_bytes"] += i.size if i.chain_size is None else i.chain_size
    return out
