"""Marketplace metadata: per-token JSON (OpenSea style) and the Ordinals collection files.

Every function here is pure: the same records, config and inscription ids give the same
bytes, whichever process trained the tokens.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

import artgen
from artgen.chain import ChainState, format_time
from artgen.jsontext import finite
from artgen.tables import TRAIT_NAMES
from artgen.training.config import token_name as named_token
from collection.config import PREVIEW_FORMATS, CollectionConfig

from .layout import CONFIG_FILE

#: Inscription kinds, in the order they are inscribed: the collection's parent first (every
#: other inscription names it), the shared engine script (the art needs it), the data
#: inscriptions (models), the art (one HTML per token), and a gallery of the tokens last.
KIND_ORDER = ("parent", "engine", "model", "html", "gallery")
#: Kinds that belong to the collection as a whole, not to one token.
COLLECTION_KINDS = ("parent", "engine", "gallery")

IdLookup = Callable[[str], str]  # sha256 of a file's content -> its inscription id


def placeholder_id(sha256: str) -> str:
    """A stand-in inscription id in ord's form (64 hex + "i" + index), from the content hash."""
    return f"{sha256}i0"


def slug(name: str) -> str:
    """A folder-friendly form of the collection name."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "collection"


def command_line(config: CollectionConfig) -> str:
    """The command that reproduces every token, run beside the collection's collection.toml."""
    return f"artgen mint --config {CONFIG_FILE} --out {slug(config.name)}"


def attributes(traits: dict[str, Any]) -> list[dict[str, Any]]:
    """The twelve traits as [{"trait_type", "value"}], numbers as numbers."""
    return [{"trait_type": name, "value": traits[name]} for name in TRAIT_NAMES]


def ord_traits(traits: dict[str, Any]) -> dict[str, str | int]:
    """The twelve traits as ord's `traits` property: strings and integers (ord refuses floats;
    a number that is not whole is written as text)."""
    out: dict[str, str | int] = {}
    for name in TRAIT_NAMES:
        value = traits[name]
        if isinstance(value, bool) or not isinstance(value, int | float):
            out[name] = str(value)
        elif isinstance(value, int) or float(value).is_integer():
            out[name] = int(value)
        else:
            out[name] = f"{value:g}"
    return out


def token_name(config: CollectionConfig, token: int) -> str:
    """The token's marketplace name, which is also its model's name."""
    return named_token(config.name, token)


def token_inscriptions(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The files a token inscribes, [{"kind", "path", "sha256", "bytes"}], in KIND_ORDER."""
    items = [
        {
            "kind": "model",
            "path": record["files"]["model"],
            "sha256": record["model"]["sha256"],
            "bytes": record["model"]["bytes"],
        }
    ]
    items += record.get("art", [])  # the art inscription (HTML), once the engine makes one
    return sorted(items, key=lambda item: KIND_ORDER.index(item["kind"]))


def primary_id(record: dict[str, Any], ids: IdLookup) -> str:
    """The inscription that stands for the token: its art once there is one, else its model."""
    return ids(token_inscriptions(record)[-1]["sha256"])


def animation_preview(previews: dict[str, str]) -> str | None:
    """The preview a token's `animation_url` names: its first in PREVIEW_FORMATS' order (MP4,
    what marketplaces play there, before WebP and GIF), or None without previews."""
    return next((previews[f] for f in PREVIEW_FORMATS if f in previews), None)


def token_metadata(
    config: CollectionConfig, config_hash: str, chain: ChainState, record: dict, ids: IdLookup
) -> dict[str, Any]:
    """One token's metadata/<t>.json."""
    token, traits, files = record["token"], record["traits"], record["files"]
    base = config.base_uri
    meta: dict[str, Any] = {
        "name": token_name(config, token),
        "description": config.description,
        "image": base + files["image"],
    }
    previews = files.get("previews") or {}
    shown = animation_preview(previews)
    if shown is not None:
        meta["animation_url"] = base + shown
    life = record["life"]
    meta |= {
        "attributes": attributes(traits),
        "token": token,
        "seed": config.seed,
        "config_hash": config_hash,
        "engine_version": artgen.__version__,
        "command": command_line(config),
        "birth_year_history": config.tables.history(traits["Birth Year"]),
        "hidden_layers": traits["hidden_layers"],
        "stage": {
            "name": life["stage"],
            "age": life["age"],
            "rebirths": life["rebirths"],
            "active_neurons": life["active_neurons"],
            "time": format_time(chain.time),
            "height": chain.height,
            "fee_rate": chain.fee_rate,
        },
        "model": {
            "file": files["model"],
            "name": record["model"]["name"],
            "sha256": record["model"]["sha256"],
            "bytes": record["model"]["bytes"],
            "val_accuracy": record["model"]["val_accuracy"],
            "classes": record["model"]["classes"],
        },
        "inscriptions": {i["kind"]: ids(i["sha256"]) for i in token_inscriptions(record)},
        "files": {
            "thumbnail": files["thumbnail"],
            "stills": files["stills"],
            "previews": previews,
        },
    }
    if record.get("upgrades"):
        meta["upgrades"] = record["upgrades"]
    return meta


def inscriptions_json(config: CollectionConfig, records: list[dict], ids: IdLookup) -> list[dict]:
    """inscriptions.json: the collection's items, [{"id", "meta": {"name", "attributes"}}]."""
    return [
        {
            "id": primary_id(r, ids),
            "meta": {"name": token_name(config, r["token"]), "attributes": attributes(r["traits"])},
        }
        for r in records
    ]


def collection_meta(
    config: CollectionConfig,
    config_hash: str,
    records: list[dict],
    ids: IdLookup,
    parent: str | None = None,
) -> dict[str, Any]:
    """meta.json: the collection's own metadata (icon: token 0's inscription; parent: the
    inscription every token is a child of, when there is one)."""
    meta = {
        "name": config.name,
        "slug": slug(config.name),
        "description": config.description,
        "supply": config.size,
        "inscription_icon": primary_id(records[0], ids) if records else None,
        "seed": config.seed,
        "config_hash": config_hash,
        "engine_version": artgen.__version__,
    }
    if parent is not None:
        meta["parent"] = parent
    return meta


_ENCODER = json.JSONEncoder(indent=2, ensure_ascii=False, allow_nan=False)


def json_bytes(data: Any) -> bytes:
    """The JSON text every collection file uses: indented, UTF-8, ending with a newline, and
    never NaN (a non-finite number is written as null)."""
    # json.dumps with an indent joins one list of every piece of the text (tens of bytes of
    # object each: ~6x the text); joined and encoded a few thousand pieces at a time, the
    # pieces take a fraction of the text (same bytes, a little faster)
    parts, pieces = [], []
    for piece in _ENCODER.iterencode(finite(data)):
        pieces.append(piece)
        if len(pieces) == 4096:
            parts.append("".join(pieces).encode("utf-8"))
            pieces.clear()
    pieces.append("\n")
    parts.append("".join(pieces).encode("utf-8"))
    return b"".join(parts)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
