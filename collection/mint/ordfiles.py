"""ord batch files, their cost estimates, and real inscription ids from ord's batch output.

Files still to inscribe are ordered by kind (KIND_ORDER: engine, models, HTML; token order
inside a kind) and packed into `ord wallet batch` YAML files whose reveal transaction stays
under REVEAL_LIMIT weight units (see `ordcost` for the formula). Once a batch is inscribed,
`read_ord_output` takes the real ids from ord's JSON output; they are kept in
ord/inscribed.json, keyed by the content hash of each file, and replace the placeholders.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml

from collection.config import CollectionConfig

from . import layout
from .metadata import (
    KIND_ORDER,
    attributes,
    json_bytes,
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

CONTENT_TYPES = {
    ".json": "application/json",
    ".html": "text/html;charset=utf-8",
    ".js": "text/javascript",
}
ID_PATTERN = re.compile(r"[0-9a-f]{64}i\d+")
TXID_PATTERN = re.compile(r"[0-9a-f]{64}")
FORMULA = (
    "weight = 4 x (4 + 1 + 41 + varint(N) + 43 N + 4) + 2 + 1 + 65 + varint(S) + S + 34 with "
    "S = 34 + sum of envelopes; envelope = 6 + 2 + push(content type) + [2 + push(pointer)] "
    "+ sum over 520-byte metadata chunks (2 + push) + 1 + sum over 520-byte content chunks "
    "(push) + 1; push(n) = n + 1, n + 2 (n > 75) or n + 3 (n > 255); vbytes = ceil(weight / 4); "
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

Put = Callable[[str, bytes], None]


def content_type(path: str) -> str:
    return CONTENT_TYPES.get(Path(path).suffix.lower(), "application/octet-stream")


def inscription_items(
    config: CollectionConfig, records: Sequence[dict], shared: Sequence[Inscription] = ()
) -> list[Inscription]:
    """Every file of the collection to inscribe, in kind order then token order, each content
    once."""
    items = list(shared)
    for r in records:
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
    return json.loads(path.read_text("utf-8"))


def id_lookup(inscribed: dict[str, Any]) -> Callable[[str], str]:
    """sha256 -> the real id when inscribed, else the placeholder."""
    real = {i["sha256"]: i["id"] for b in inscribed["batches"] for i in b["inscriptions"]}
    return lambda sha: real.get(sha, placeholder_id(sha))


# libyaml's emitter when PyYAML has it: the same text, several times faster
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _batch_yaml(config: CollectionConfig, name: str, number: int, count: int, items, cost) -> bytes:
    body = {
        "mode": "separate-outputs",
        "postage": config.ord.postage,
        "inscriptions": [{"file": i.path, "metadata": i.metadata} for i in items],
    }
    rate = config.ord.fee_rate
    head = [
        f"# {config.name}: ord batch {number} of {count}, {len(items)} inscriptions",
        f"# Run from the collection folder: ord wallet batch --fee-rate {rate:g} --batch {name}",
        f"# Estimate at {rate:g} sat/vB: reveal {cost['weight']:,} WU = {cost['vbytes']:,} vB, "
        f"{cost['reveal_fee']:,} sats; commit about {cost['commit_fee']:,} sats; postage "
        f"{cost['postage']:,} sats; total {cost['total_sats']:,} sats",
        f"# (limit {REVEAL_LIMIT:,} WU per reveal; the formula is in ord/batches.json)",
    ]
    text = yaml.dump(body, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=1000)
    return ("\n".join(head) + "\n" + text).encode("utf-8")


def write_ord_files(
    root: Path,
    config: CollectionConfig,
    records: Sequence[dict],
    put: Put,
    shared: Sequence[Inscription] = (),
) -> dict[str, Any]:
    """Batch YAML files for what is not yet inscribed, and ord/batches.json; returns the latter.

    `shared` holds the collection-wide inscriptions (the art's engine script).
    """
    inscribed = read_inscribed(root)
    ids = id_lookup(inscribed)
    items = inscription_items(config, records, shared)
    pending = [i for i in items if ids(i.sha256) == placeholder_id(i.sha256)]
    # -- art inscription: an HTML names the engine and its model by id, so the HTML gets batches
    # of its own, "waiting" (no YAML) until those are inscribed and `artgen inscribed` has put
    # their real ids in the HTML --
    refs = [i for i in pending if i.kind != "html"]
    art = [i for i in pending if i.kind == "html"]
    planned = plan_batches(refs, config.ord.postage) + plan_batches(art, config.ord.postage)
    done = [int(re.sub(r"\D", "", b["name"])) for b in inscribed["batches"]]
    first = max(done, default=0) + 1
    rate, postage = config.ord.fee_rate, config.ord.postage
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
            }
        )
    pending_total = dict.fromkeys(ESTIMATE_KEYS, 0)
    for n, batch in enumerate(planned):
        number = first + n
        path = layout.batch_path(number)
        cost = estimate(batch_weight(batch, postage), len(batch), rate, postage)
        waiting = bool(refs) and batch[0].kind == "html"
        if not waiting:
            put(path, _batch_yaml(config, path, number, first + len(planned) - 1, batch, cost))
        files = [
            {"file": i.path, "sha256": i.sha256, "kind": i.kind, "token": i.token} for i in batch
        ]
        summary.append(
            {
                "name": Path(path).stem,
                "file": path,
                "status": "waiting" if waiting else "pending",
                **cost,
                "files": files,
            }
        )
        for key, value in cost.items():
            pending_total[key] += value
    report = {
        "fee_rate": rate,
        "postage": postage,
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
    """Inscriptions and their bytes by kind (engine, model, html), inscribed or not."""
    out: dict[str, dict[str, int]] = {}
    for i in items:
        kind = out.setdefault(i.kind, {"count": 0, "bytes": 0})
        kind["count"] += 1
        kind["bytes"] += i.size
    return out


def _load_output(path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(path.read_text("utf-8"))
    except OSError as err:
        raise InscriptionError(f"cannot read: {err.strerror or err}", source=str(path)) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InscriptionError(f"not ord's JSON output ({err})", source=str(path)) from None
    if not isinstance(doc, dict):
        raise InscriptionError("expected ord wallet batch's JSON object", source=str(path))
    for key in ("commit", "reveal"):
        if not isinstance(doc.get(key), str) or not TXID_PATTERN.fullmatch(doc[key]):
            raise InscriptionError(
                "expected a transaction id (64 hex digits)", source=str(path), field=key
            )
    found = doc.get("inscriptions")
    if not isinstance(found, list) or not found:
        raise InscriptionError(
            "expected a list of inscriptions", source=str(path), field="inscriptions"
        )
    for n, item in enumerate(found):
        if not isinstance(item, dict) or not ID_PATTERN.fullmatch(str(item.get("id", ""))):
            raise InscriptionError(
                "expected an inscription id (64 hex digits, 'i', index)",
                source=str(path),
                field=f"inscriptions[{n}].id",
            )
    return doc


def _match(
    path: Path, pending: list[dict], initial: list[dict], outputs: Sequence[Path], batch: str | None
) -> dict:
    names = {b["name"]: b for b in pending}
    if batch is not None:
        key = batch if batch in names else Path(batch).stem
        if key not in names:
            raise InscriptionError(
                f"no pending batch {batch!r}; pending: {', '.join(names) or 'none'}",
                source=str(path),
            )
        return names[key]
    hits = [b for name, b in names.items() if name in path.name]
    if len(hits) == 1:
        return hits[0]
    if len(outputs) == len(initial) and initial[list(outputs).index(path)] in pending:
        return initial[list(outputs).index(path)]
    raise InscriptionError(
        "cannot tell which batch this output belongs to: name it after the batch "
        "(batch-001.json) or pass --batch",
        source=str(path),
    )


def read_ord_outputs(
    root: Path, outputs: Sequence[Path], batch: str | None = None
) -> dict[str, Any]:
    """ord/inscribed.json updated with the real ids of the batches in `outputs`."""
    report_path = root / layout.BATCHES
    if not report_path.exists():
        raise InscriptionError("no ord/batches.json: mint the collection first", source=str(root))
    report = json.loads(report_path.read_text("utf-8"))
    pending = [b for b in report["batches"] if b["status"] == "pending"]
    if batch is not None and len(outputs) != 1:
        raise InscriptionError("--batch takes exactly one ord output file", source=str(root))
    inscribed = read_inscribed(root)
    reveals = {b["reveal"] for b in inscribed["batches"]}
    pending = [b for b in pending if b["name"] not in {i["name"] for i in inscribed["batches"]}]
    initial = list(pending)
    for path in outputs:
        doc = _load_output(path)
        if doc["reveal"] in reveals:  # recorded already (a rerun after a crash)
            continue
        target = _match(path, pending, initial, outputs, batch)
        found = doc["inscriptions"]
        if len(found) != len(target["files"]):
            raise InscriptionError(
                f"holds {len(found)} inscriptions but {target['file']} has {len(target['files'])}",
                source=str(path),
                field="inscriptions",
            )
        inscribed["batches"].append(
            {
                "name": target["name"],
                "file": target["file"],
                "commit": doc["commit"],
                "reveal": doc["reveal"],
                "estimate": {k: target[k] for k in ESTIMATE_KEYS},
                "inscriptions": [
                    {
                        "file": f["file"],
                        "sha256": f["sha256"],
                        "kind": f["kind"],
                        "token": f["token"],
                        "id": item["id"],
                        "location": item.get("location"),
                    }
                    for f, item in zip(target["files"], found, strict=True)
                ],
            }
        )
        pending.remove(target)
    inscribed["batches"].sort(key=lambda b: b["name"])
    return inscribed
