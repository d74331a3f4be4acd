"""The collection's own inscriptions: its parent (provenance) and an optional gallery.

A child counts as part of a collection when its parent is spent in the same reveal
transaction, which is what explorers and marketplaces check. `[ord] parent` chooses the
parent: "cover" inscribes ord/cover.html first (a small page naming the collection that, on
an ord server, lists its children), "metadata" inscribes ord/collection.json, an inscription
id names one the author already owns, "none" inscribes without a parent. Every other batch
lists the parent once `artgen inscribed` knows its id.

With `[ord] gallery`, ord/gallery.html is inscribed last with ord's `gallery` property: every
token's inscription (its art, or its model without art) by id and title.

A parent or gallery already inscribed keeps the file that was inscribed.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import artgen
from collection.config import CollectionConfig

from .metadata import json_bytes, primary_id, token_name
from .ordcost import Inscription

PARENT_FILES = {"cover": "ord/cover.html", "metadata": "ord/collection.json"}
GALLERY_FILE = "ord/gallery.html"
HTML_TYPE = "text/html;charset=utf-8"
JSON_TYPE = "application/json"

#: The cover's script: on an ord server it lists the page's children (its own id is the last
#: part of its /content/ address); elsewhere the page shows its text only.
COVER_SCRIPT = """
const id = location.pathname.split("/").pop(), list = document.getElementById("children");
fetch("/r/children/" + id).then(r => r.json()).then(page => {
  for (const child of page.ids) {
    const a = list.appendChild(document.createElement("li")).appendChild(
      document.createElement("a"));
    a.href = "/content/" + child; a.textContent = child;
  }
}).catch(() => {});
"""


def parent_kind(config: CollectionConfig) -> str | None:
    """ "cover" or "metadata" when the collection inscribes its parent, else None."""
    return config.ord.parent if config.ord.parent in PARENT_FILES else None


def has_parent(config: CollectionConfig) -> bool:
    return config.ord.parent != "none"


def parent_content(config: CollectionConfig) -> bytes:
    """The parent's bytes: nothing that changes when the collection grows (no size, no hash)."""
    if config.ord.parent == "metadata":
        return json_bytes(
            {
                "name": config.name,
                "description": config.description,
                "seed": config.seed,
                "engine": f"artgen {artgen.__version__}",
                "kind": "collection",
            }
        )
    name = html.escape(config.name)
    page = (
        f"<!doctype html><meta charset=utf-8><title>{name}</title>"
        "<style>body{font:16px/1.5 sans-serif;max-width:40em;margin:3em auto;padding:0 1em}"
        "</style>"
        f"<h1>{name}</h1><p>{html.escape(config.description)}</p>"
        f"<p>Seed {html.escape(str(config.seed))}; made with artgen {artgen.__version__}. "
        "Every work of the collection is a child of this inscription.</p>"
        f"<ol id=children></ol><script>{COVER_SCRIPT.strip()}</script>"
    )
    return page.encode("utf-8")


def gallery_content(config: CollectionConfig, items: Sequence[dict[str, Any]]) -> bytes:
    """A page that links every token's inscription (the gallery property lists them too)."""
    rows = "".join(
        f'<li><a href="/content/{i["id"]}">{html.escape(i["title"])}</a></li>' for i in items
    )
    name = html.escape(config.name)
    return (
        f"<!doctype html><meta charset=utf-8><title>{name}: gallery</title>"
        f"<h1>{name}</h1><ol>{rows}</ol>"
    ).encode()


def _inscribed_file(inscribed: dict[str, Any], kind: str) -> dict[str, Any] | None:
    found = [i for b in inscribed["batches"] for i in b["inscriptions"] if i.get("kind") == kind]
    return found[-1] if found else None


def parent_id(config: CollectionConfig, inscribed: dict[str, Any]) -> str | None:
    """The parent's real id: configured, or read from ord/inscribed.json; None until known."""
    if config.ord.parent not in (*PARENT_FILES, "none"):
        return config.ord.parent
    done = _inscribed_file(inscribed, "parent")
    return done["id"] if done else None


def _item(
    root: Path, kind: str, path: str, data: bytes, inscribed, put, meta, **extra
) -> Inscription:
    """The Inscription of a collection file; written unless inscribed (then kept as it was)."""
    done = _inscribed_file(inscribed, kind)
    if done is not None:
        data = (root / done["file"]).read_bytes()
        path = done["file"]
    else:
        put(path, data)
    digest = hashlib.sha256(data).hexdigest()
    content_type = JSON_TYPE if path.endswith(".json") else HTML_TYPE
    return Inscription(kind, path, len(data), digest, content_type, meta, **extra)


def collection_inscriptions(
    root: Path,
    config: CollectionConfig,
    records: Sequence[dict[str, Any]],
    ids: Callable[[str], str],
    inscribed: dict[str, Any],
    put: Callable[[str, bytes], None],
) -> list[Inscription]:
    """The parent and gallery inscriptions the config asks for (their files written)."""
    out = []
    kind = parent_kind(config)
    if kind is not None:
        meta = {"name": config.name, "collection": config.name, "kind": "parent"}
        out.append(
            _item(
                root,
                "parent",
                PARENT_FILES[kind],
                parent_content(config),
                inscribed,
                put,
                meta,
                title=config.name,
            )  # fmt: skip
        )
    if config.ord.gallery:
        items = tuple(
            {"id": primary_id(r, ids), "title": token_name(config, r["token"])} for r in records
        )
        meta = {"name": f"{config.name} gallery", "collection": config.name, "kind": "gallery"}
        out.append(
            _item(
                root,
                "gallery",
                GALLERY_FILE,
                gallery_content(config, items),
                inscribed,
                put,
                meta,
                title=f"{config.name} gallery",
                gallery=items,
            )  # fmt: skip
        )
    return out
