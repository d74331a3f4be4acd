"""The art inscription in a minted collection: the shared engine file and each token's HTML.

The minter (collection.mint.finalize) calls `collection_art` with its token records and its
id lookup (sha256 -> real inscription id once inscribed, else the placeholder): each token's
HTML names the engine and its model by those ids, so after `artgen inscribed` has recorded the
engine and model batches, the next call writes the HTML with the real ids. A token whose HTML
is already inscribed keeps the file that was inscribed. The HTML itself is
`artgen.inscription.token_html`'s, with the year length of the collection's tables.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from artgen.inscription import TOKEN_HTML_LIMIT, engine_js, token_html
from artgen.tables import Tables
from artgen.traits import Traits

from . import layout

ENGINE_TYPE = "text/javascript"


@dataclass(frozen=True)
class ArtFile:
    """One file of the art inscription: its kind ("engine" or "html"), path and bytes."""

    kind: str
    path: str
    data: bytes
    token: int | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def item(self) -> dict[str, Any]:
        """The record entry the minter's inscription list reads."""
        return {
            "kind": self.kind,
            "path": self.path,
            "sha256": self.sha256,
            "bytes": len(self.data),
        }


def engine_file() -> ArtFile:
    return ArtFile("engine", layout.ENGINE_PATH, engine_js().encode("utf-8"))


def token_art(traits: Mapping[str, Any], model_id: str, engine_id: str, tables: Tables) -> ArtFile:
    """A token's HTML (from its record's traits, `Traits.to_json()`) naming the engine and
    its model by inscription id; ValueError past the 2 kB an HTML may take."""
    token = Traits.from_json(dict(traits))
    page = token_html(token, engine_id=engine_id, model_id=model_id, tables=tables)
    data = page.encode("utf-8")
    if len(data) > TOKEN_HTML_LIMIT:
        raise ValueError(f"token {token.token}: {len(data)} bytes of HTML, more than 2 kB")
    return ArtFile("html", layout.art_path(token.token), data, token.token)


def collection_art(
    root: Path,
    records: Sequence[Mapping[str, Any]],
    ids: Callable[[str], str],
    inscribed: Mapping[str, Any],
    tables: Tables,
) -> tuple[ArtFile, dict[int, ArtFile | dict]]:
    """(engine file, token -> its HTML file) for the records of the collection in `root`; a
    token whose HTML is already inscribed (`inscribed`: ord/inscribed.json) maps to that
    inscription's record entry instead, and its file stays as it is."""
    done = {
        i["token"]: {"kind": "html", "path": i["file"], "sha256": i["sha256"],
                     "bytes": (root / i["file"]).stat().st_size}
        for b in inscribed.get("batches", [])
        for i in b["inscriptions"]
        if i.get("kind") == "html"
    }  # fmt: skip
    engine = engine_file()
    engine_id = ids(engine.sha256)
    art: dict[int, ArtFile | dict] = {}
    for record in records:
        token = record["token"]
        art[token] = done.get(token) or token_art(
            record["traits"], ids(record["model"]["sha256"]), engine_id, tables
        )
    return engine, art
