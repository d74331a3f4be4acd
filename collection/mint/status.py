"""Where a collection stands on chain: which batches are inscribed, which wait on which
ids, and what remains to pay (from ord/batches.json and ord/inscribed.json)."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from artgen import limits
from artgen.errors import ArtgenError
from artgen.jsontext import read_json
from artgen.wording import counted

from . import layout


@dataclass(frozen=True)
class CollectionStatus:
    """The batches of a collection folder and their totals."""

    root: Path
    report: dict[str, Any]

    @property
    def batches(self) -> list[dict[str, Any]]:
        return self.report["batches"]

    def by_status(self, status: str) -> list[dict[str, Any]]:
        return [b for b in self.batches if b["status"] == status]

    def spent(self) -> dict[str, int]:
        """The estimates of the inscribed batches (what was paid, as estimated)."""
        done = self.by_status("inscribed")
        return {k: sum(b[k] for b in done) for k in ("inscriptions", "vbytes", "total_sats")}

    def lines(self) -> list[str]:
        rate = self.report["fee_rate"]
        out = [f"{self.root}: {counted(len(self.batches), 'ord batch')}"]
        if self.report.get("parent"):
            out.append(f"parent: {self.report['parent']}")
        for b in self.batches:
            kinds = Counter(f["kind"] for f in b.get("files", []))
            what = ", ".join(counted(n, k) for k, n in kinds.items()) or f"{b['inscriptions']}"
            head = f"  {b['name']}  {b['status']:<9} {what:<28} {b['vbytes']:>10,} vB"
            if b["status"] == "inscribed":
                out.append(f"{head}  reveal {b['reveal']}")
            elif b["status"] == "pending":
                out.append(f"{head}  ready: {b['file']}")
            else:
                waits = ", ".join(b.get("waits_on", [])) or "-"
                out.append(f"{head}  waits for {b['waiting_for']} ({waits})")
        spent, left = self.spent(), self.report["pending"]
        out.append(
            f"inscribed: {counted(len(self.by_status('inscribed')), 'batch')}, "
            f"{counted(spent['inscriptions'], 'inscription')}, about {spent['total_sats']:,} sats "
            "as estimated"
        )
        btc = left["total_sats"] / 1e8
        unpaid = len(self.by_status("pending")) + len(self.by_status("waiting"))
        out.append(
            f"to pay: {counted(unpaid, 'batch')}"
            f", {counted(left['inscriptions'], 'inscription')}, {left['vbytes']:,} vB, about "
            f"{left['total_sats']:,} sats ({btc:.8f} BTC) at {rate:g} sat/vB with postage"
        )
        ready = self.by_status("pending")
        if ready:
            flags = " --compress" if self.report.get("compress") else ""
            out.append(
                f"next: ord wallet batch --fee-rate {rate:g}{flags} --batch {ready[0]['file']} "
                f"(from {self.root}), then artgen inscribed {self.root} OUTPUT.json"
            )
        elif not self.by_status("waiting"):
            out.append("every inscription of the collection is inscribed")
        return out


def collection_status(root: str | os.PathLike) -> CollectionStatus:
    """The status of the minted collection in `root`."""
    root = Path(root)
    path = root / layout.BATCHES
    if not path.exists() and not path.is_symlink():
        raise ArtgenError("no ord/batches.json: mint the collection first", source=str(root))
    report = read_json(path, limits.RECORD_BYTES, ArtgenError)  # strict, a regular file
    return CollectionStatus(root, report)
