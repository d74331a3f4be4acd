"""Real inscription ids: read ord's batch output and rewrite the files that name them."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from artgen import atomic

from . import layout
from .finalize import finalize, open_collection
from .metadata import json_bytes
from .ordfiles import read_ord_outputs


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
