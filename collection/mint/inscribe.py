"""Real inscription ids: read ord's batch output and rewrite the files that name them.

Once a batch is inscribed, `read_ord_outputs` takes the real ids from ord's JSON output; they
are kept in ord/inscribed.json, keyed by the content hash of each file, and replace the
placeholders everywhere (metadata, the HTML not yet inscribed, the batches that waited).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from artgen import atomic, limits
from artgen.jsontext import read_json

from . import layout
from .finalize import finalize, open_collection
from .metadata import json_bytes
from .ordcost import InscriptionError
from .ordfiles import ESTIMATE_KEYS, ID_PATTERN, read_inscribed

TXID_PATTERN = re.compile(r"[0-9a-f]{64}")


def record_inscriptions(
    root: str | os.PathLike, outputs: Sequence[str | os.PathLike], batch: str | None = None
) -> list[dict[str, Any]]:
    """Take the real ids of the batches in ord's `outputs` (JSON of `ord wallet batch`).

    Writes ord/inscribed.json, then metadata, inscriptions.json, meta.json, the batches still
    pending and the manifest. Returns the inscribed batches.
    """
    collection = open_collection(root)
    inscribed = read_ord_outputs(collection.root, [Path(p) for p in outputs], batch)
    atomic.write_bytes(collection.root / layout.INSCRIBED, json_bytes(inscribed))
    finalize(collection)
    return inscribed["batches"]


def _load_output(path: Path) -> dict[str, Any]:
    doc = read_json(path, limits.RECORD_BYTES, InscriptionError)  # strict, a regular file
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
    report = read_json(report_path, limits.RECORD_BYTES, InscriptionError)
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
