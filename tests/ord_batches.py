"""The one helper every mint test that writes batches calls: each batch file artgen wrote must
be one ord 0.27 accepts (collection.mint.ordschema, strict), name files that exist, and weigh,
recomputed from those files and the YAML's own metadata and properties, what ord/batches.json
says, under ord's 400,000 WU limit."""

from __future__ import annotations

import json
from pathlib import Path

from collection.mint import record_inscriptions
from collection.mint.chainsize import brotli_bytes
from collection.mint.ordcost import ORD_LIMIT, Inscription
from collection.mint.ordfiles import content_type
from collection.mint.ordschema import check_batch, check_batch_weight


def check_ord_batches(root: Path) -> list[dict]:
    """Check every batch of the collection in `root`; returns the batch files' YAML."""
    report = json.loads((root / "ord/batches.json").read_text())
    written = {b["file"] for b in report["batches"] if b["status"] != "waiting"}
    on_disk = {p.relative_to(root).as_posix() for p in (root / "ord").glob("batch-*.yaml")}
    assert on_disk == written, (on_disk, written)
    docs = []
    for batch in report["batches"]:
        if batch["status"] != "pending":
            continue
        doc = check_batch((root / batch["file"]).read_bytes(), root, batch["file"])
        assert len(doc.get("parents", [])) == batch["parents"]
        if batch["parents"]:
            assert doc["parents"] == [report["parent"]]
        items = []
        for entry, listed in zip(doc["inscriptions"], batch["files"], strict=True):
            assert entry["file"] == listed["file"]
            data = (root / entry["file"]).read_bytes()
            kind = content_type(entry["file"])
            packed = brotli_bytes(data, kind) if report["compress"] else None
            items.append(
                Inscription(
                    listed["kind"],
                    entry["file"],
                    len(data),
                    "",
                    kind,
                    entry["metadata"],
                    title=entry.get("title"),
                    traits=entry.get("traits"),
                    gallery=tuple(entry.get("gallery", ())),
                    chain_size=packed,
                    compress=report["compress"],
                )  # fmt: skip
            )
        weight = check_batch_weight(doc, items, batch["file"], ORD_LIMIT)
        assert weight == batch["weight"] <= report["limit_weight"]
        docs.append(doc)
    return docs


def report(root: Path) -> dict:
    return json.loads((root / "ord/batches.json").read_text())


def inscribe_pending(root, folder, tx: int) -> list[dict]:
    """Fake `ord wallet batch` for every pending batch, then `artgen inscribed`."""
    pending = [b for b in report(root)["batches"] if b["status"] == "pending"]
    outputs = []
    for n, batch in enumerate(pending):
        txid = f"{tx + n:064x}"
        out = folder / f"{batch['name']}.json"
        ids = [{"id": f"{txid}i{k}"} for k in range(len(batch["files"]))]
        out.write_text(json.dumps({"commit": "c" * 64, "reveal": txid, "inscriptions": ids}))
        outputs.append(out)
    record_inscriptions(root, outputs)
    return pending
