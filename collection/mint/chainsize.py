"""What `ord wallet batch --compress` puts on chain for each file: its brotli size when that
is smaller, cached by content hash in .artgen/brotli.json (quality 11 takes about 0.15 s for
a 200 kB model, so each content is compressed once; token jobs compress their model)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from artgen import atomic, limits
from artgen.errors import ArtgenError
from artgen.inscription.compression import on_chain
from artgen.jsontext import read_json

from . import layout
from .metadata import json_bytes
from .ordcost import Inscription


def brotli_bytes(data: bytes, content_type: str) -> int | None:
    """The brotli size ord inscribes with --compress, or None when not smaller."""
    packed, encoded = on_chain(data, content_type)
    return len(packed) if encoded else None


class ChainSizes:
    """sha256 -> brotli size on chain (None: stored plain), computed once per content."""

    def __init__(self, root: Path, records: Sequence[dict[str, Any]] = ()):
        self.path = layout.StatePaths(root).folder / "brotli.json"
        self.root = root
        try:
            self.sizes: dict[str, int | None] = read_json(
                self.path, limits.RECORD_BYTES, ArtgenError
            )
        except ArtgenError:  # missing or damaged: a cache, computed again
            self.sizes = {}
        if not isinstance(self.sizes, dict):
            self.sizes = {}
        self.changed = False
        for record in records:
            model = record.get("model", {})
            if "brotli_bytes" in model and model["sha256"] not in self.sizes:
                self.sizes[model["sha256"]] = model["brotli_bytes"]
                self.changed = True

    def __call__(self, item: Inscription) -> int | None:
        if item.sha256 not in self.sizes:
            data = (self.root / item.path).read_bytes()
            self.sizes[item.sha256] = brotli_bytes(data, item.content_type)
            self.changed = True
        return self.sizes[item.sha256]

    def save(self) -> None:
        if self.changed:
            atomic.write_bytes(self.path, json_bytes(dict(sorted(self.sizes.items()))))
            self.changed = False
