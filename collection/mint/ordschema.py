"""ord 0.27's batch file, strictly: what `ord wallet batch --batch FILE` accepts.

Facts from ord 0.27 (`src/wallet/batch/file.rs`, `entry.rs`, `src/properties.rs`): unknown
keys are refused everywhere; `mode` is one of MODES; `parents` lists inscription ids;
`inscriptions` is a non-empty list of entries, each with optional `file`, `delegate`,
`destination`, `metadata`, `metaprotocol`, `satpoint`, `title`, `traits` and `gallery`
(items: `id`, `title`, `traits`); trait values are strings, integers, booleans or null (no
floats) and trait names are unique; `sat` and `satpoint` exclude each other and need
same-sat; entry satpoints need satpoints mode (all of them, offset 0, distinct, no postage);
destinations are refused in shared-output and same-sat; gallery ids are distinct.

`check_batch` raises a `BatchFileError` naming the file and the field; the minter checks each
batch before writing it, and `check_batch_weight` adds the reveal weight limit.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .ordcost import ORD_LIMIT, Inscription, InscriptionError, batch_weight

MODES = ("same-sat", "satpoints", "separate-outputs", "shared-output")
FILE_KEYS = ("mode", "parents", "postage", "reinscribe", "sat", "satpoint", "inscriptions",
             "etching")  # fmt: skip
ENTRY_KEYS = ("title", "traits", "delegate", "destination", "file", "gallery", "metadata",
              "metaprotocol", "satpoint")  # fmt: skip
ITEM_KEYS = ("id", "title", "traits")
ETCHING_KEYS = ("rune", "divisibility", "premine", "supply", "symbol", "terms", "turbo")
#: File extensions ord 0.27 knows a content type for (src/inscriptions/media.rs).
EXTENSIONS = ("apng", "asc", "avif", "bin", "binpb", "cbor", "css", "flac", "gif", "glb",
              "gltf", "html", "jpeg", "jpg", "js", "json", "md", "mp3", "mp4", "otf", "pdf",
              "png", "py", "stl", "svg", "ttf", "txt", "wav", "webm", "webp", "woff", "woff2",
              "yaml", "yml")  # fmt: skip
ID = re.compile(r"[0-9a-f]{64}i\d+")
SATPOINT = re.compile(r"[0-9a-f]{64}:\d+:\d+")
U64, I64 = 2**64 - 1, 2**63


class BatchFileError(InscriptionError):
    """A batch file that ord 0.27 would refuse."""


class _StrictLoader(yaml.SafeLoader):
    """YAML with duplicate keys refused (serde refuses them; PyYAML keeps the last)."""


def _mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict:
    out = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in out:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        out[key] = loader.construct_object(value_node, deep=True)
    return out


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def _fail(source: str, field: str | None, message: str) -> BatchFileError:
    return BatchFileError(message, source=source, field=field)


def _keys(value: Any, known: tuple[str, ...], source: str, where: str) -> dict:
    if not isinstance(value, dict):
        raise _fail(source, where or None, "expected a mapping")
    for key in value:
        if key not in known:
            raise _fail(
                source, f"{where}.{key}".lstrip("."), f"unknown key; known: {', '.join(known)}"
            )
    return value


def _whole(value: Any, source: str, field: str, high: int = U64) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= high:
        raise _fail(source, field, f"expected a whole number in 0..{high}")


def _id(value: Any, source: str, field: str) -> None:
    if not isinstance(value, str) or not ID.fullmatch(value):
        raise _fail(source, field, "expected an inscription id (64 hex digits, 'i', index)")


def _attributes(value: dict, source: str, where: str) -> None:
    if "title" in value and not isinstance(value["title"], str):
        raise _fail(source, f"{where}.title", "expected a string")
    traits = value.get("traits", {})
    if not isinstance(traits, dict):
        raise _fail(source, f"{where}.traits", "expected a mapping of trait names to values")
    for name, trait in traits.items():
        at = f"{where}.traits.{name}"
        if not isinstance(name, str):
            raise _fail(source, at, "expected a string trait name")
        if isinstance(trait, float):
            raise _fail(source, at, "expected a string, integer, boolean or null (no floats)")
        if trait is not None and not isinstance(trait, str | int | bool):
            raise _fail(source, at, "expected a string, integer, boolean or null")
        if isinstance(trait, int) and not isinstance(trait, bool) and not -I64 <= trait < I64:
            raise _fail(source, at, "expected an integer within 64 bits")


def _entry(entry: Any, n: int, doc: dict, root: Path | None, source: str) -> None:
    where = f"inscriptions[{n}]"
    entry = _keys({} if entry is None else entry, ENTRY_KEYS, source, where)
    _attributes(entry, source, where)
    for key in ("metaprotocol", "destination"):
        if key in entry and not isinstance(entry[key], str):
            raise _fail(source, f"{where}.{key}", "expected a string")
    if "delegate" in entry:
        _id(entry["delegate"], source, f"{where}.delegate")
    if "satpoint" in entry and not (
        isinstance(entry["satpoint"], str) and SATPOINT.fullmatch(entry["satpoint"])
    ):
        raise _fail(source, f"{where}.satpoint", "expected TXID:VOUT:OFFSET")
    if "destination" in entry and doc["mode"] in ("shared-output", "same-sat"):
        raise _fail(source, f"{where}.destination", f"not allowed in {doc['mode']} mode")
    if "file" in entry:
        path = entry["file"]
        if not isinstance(path, str) or Path(path).suffix.lower().lstrip(".") not in EXTENSIONS:
            raise _fail(source, f"{where}.file", "expected a path with an extension ord knows")
        if root is not None and not (root / path).is_file():
            raise _fail(source, f"{where}.file", f"no such file in {root}")
    gallery = entry.get("gallery", [])
    if not isinstance(gallery, list):
        raise _fail(source, f"{where}.gallery", "expected a list of items")
    seen = set()
    for k, item in enumerate(gallery):
        at = f"{where}.gallery[{k}]"
        item = _keys(item, ITEM_KEYS, source, at)
        _id(item.get("id"), source, f"{at}.id")
        if item["id"] in seen:
            raise _fail(source, f"{at}.id", f"duplicate gallery item {item['id']}")
        seen.add(item["id"])
        _attributes(item, source, at)


def load_batch(data: bytes | str, source: str) -> dict:
    """The batch file's YAML (duplicate keys refused)."""
    try:
        return yaml.load(data, Loader=_StrictLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as err:
        raise _fail(source, None, f"not valid YAML ({' '.join(str(err).split())})") from None


def check_batch(data: bytes | str, root: Path | None = None, source: str = "<batch>") -> dict:
    """The batch file's YAML when ord 0.27 would accept it (files checked under `root`)."""
    doc = _keys(load_batch(data, source), FILE_KEYS, source, "")
    if doc.get("mode") not in MODES:
        raise _fail(source, "mode", f"expected one of {', '.join(MODES)}")
    parents = doc.get("parents", [])
    if not isinstance(parents, list):
        raise _fail(source, "parents", "expected a list of inscription ids")
    for n, parent in enumerate(parents):
        _id(parent, source, f"parents[{n}]")
    if "postage" in doc:
        _whole(doc["postage"], source, "postage")
    if "reinscribe" in doc and not isinstance(doc["reinscribe"], bool):
        raise _fail(source, "reinscribe", "expected true or false")
    if "sat" in doc:
        _whole(doc["sat"], source, "sat")
    if "sat" in doc and "satpoint" in doc:
        raise _fail(source, "sat", "sat and satpoint cannot both be set")
    if ("sat" in doc or "satpoint" in doc) and doc["mode"] != "same-sat":
        raise _fail(source, "mode", "sat or satpoint can only be set in same-sat mode")
    if "etching" in doc:
        _keys(doc["etching"], ETCHING_KEYS, source, "etching")
    entries = doc.get("inscriptions")
    if not isinstance(entries, list) or not entries:
        raise _fail(source, "inscriptions", "expected a non-empty list of inscriptions")
    for n, entry in enumerate(entries):
        _entry(entry, n, doc, root, source)
    satpoints = [e.get("satpoint") for e in entries if isinstance(e, dict)]
    if any(satpoints) and doc["mode"] != "satpoints":
        raise _fail(source, "mode", "an inscription's satpoint needs satpoints mode")
    if doc["mode"] == "satpoints":
        if "postage" in doc:
            raise _fail(source, "postage", "cannot be set in satpoints mode")
        if not all(satpoints) or len(set(satpoints)) != len(satpoints):
            raise _fail(source, "inscriptions", "expected a distinct satpoint on every entry")
        if any(not p.endswith(":0") for p in satpoints):
            raise _fail(source, "inscriptions", "a satpoint must name the first sat of its output")
    return doc


def check_batch_weight(
    doc: dict, items: list[Inscription], source: str, limit: int = ORD_LIMIT
) -> int:
    """The reveal weight of a checked batch's `items` (in its order), refused over `limit`."""
    parents = len(doc.get("parents", []))
    weight = batch_weight(items, doc.get("postage", 10_000), parents)
    if weight > limit:
        raise _fail(source, "inscriptions", f"a reveal of {weight:,} WU is over {limit:,} WU")
    return weight
