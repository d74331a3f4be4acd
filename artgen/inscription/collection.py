"""The art inscription in a minted collection: the shared engine file and each token's HTML.

The minter (collection.mint.finalize) calls `collection_art` with its token records and its
id lookup (sha256 -> real inscription id once inscribed, else the placeholder): each token's
HTML names the engine and its model by those ids, so after `artgen inscribed` has recorded the
engine and model batches, the next call writes the HTML with the real ids. A token whose HTML
is already inscribed keeps the file that was inscribed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..tables import TRAIT_NAMES, Tables, default_tables
from .build import TOKEN_HTML_LIMIT, engine_js, fill_template, script_json

ART_DIR = "art"
ENGINE_PATH = f"{ART_DIR}/engine.js"
ENGINE_TYPE = "text/javascript"


def html_path(token: int) -> str:
    return f"{ART_DIR}/{token}.html"


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
    return ArtFile("engine", ENGINE_PATH, engine_js().encode("utf-8"))


def record_config(traits: Mapping[str, Any], tables: Tables | None = None) -> dict:
    """The token HTML's traits block from a record's traits (`Traits.to_json()`)."""
    tables = tables or default_tables()
    days = tables.days_per_year(traits["Life Cycle"])
    return {
        "t": [str(traits["seed"]), traits["token"], *(traits[name] for name in TRAIT_NAMES)],
        "h": list(traits["hidden_layers"]),
        "y": int(days) if float(days).is_integer() else days,
    }


def token_art(
    traits: Mapping[str, Any],
    model_sha256: str,
    ids: Callable[[str], str],
    tables: Tables | None = None,
) -> ArtFile:
    """A token's HTML naming the engine and its model by their ids (`ids`: sha256 -> id)."""
    config = {"m": ids(model_sha256), **record_config(traits, tables)}
    engine_id = ids(engine_file().sha256)
    page = fill_template(
        "token.html", traits["token"], config=script_json(config), engine=engine_id
    )
    data = page.encode("utf-8")
    if len(data) > TOKEN_HTML_LIMIT:
        raise ValueError(f"token {traits['token']}: {len(data)} bytes of HTML, more than 2 kB")
    return ArtFile("html", html_path(traits["token"]), data, traits["token"])


def collection_art(
    root: Path,
    records: Sequence[Mapping[str, Any]],
    ids: Callable[[str], str],
    inscribed: Mapping[str, Any],
    tables: Tables | None = None,
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
    art: dict[int, ArtFile | dict] = {}
    for record in records:
        token = record["token"]
        art[token] = done.get(token) or token_art(
            record["traits"], record["model"]["sha256"], ids, tables
        )
    return engine_file(), art
