"""The coordinator's side: resume state, token records and the collection-level files.

Collection files (metadata, inscriptions.json, meta.json, ord batches, upgrades.json, the
contact sheet, manifest.json) are written from the token records in token order, so they are
the same whichever worker made which token, and writing them again gives the same bytes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Container
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from artgen import atomic, limits
from artgen.chain import ChainState
from artgen.errors import ArtgenError
from artgen.jsontext import read_json
from collection.config import CollectionConfig, config_hash, load_config

from . import layout
from .chainsize import ChainSizes
from .contact import contact_sheets
from .crash import crash_point
from .manifest import build_manifest
from .metadata import collection_meta, inscriptions_json, json_bytes, token_metadata
from .ordcost import Inscription
from .ordfiles import batch_files, id_lookup, read_inscribed, write_ord_files
from .provenance import collection_inscriptions, has_parent, parent_id

#: artgen.atomic's temporary names: "." + target name + "." + 8 random characters + suffix
TEMPORARY = re.compile(r"\..+\.[a-z0-9_]{8}(\.[A-Za-z0-9]+)?")


@dataclass(frozen=True)
class RunState:
    """.artgen/run.json: what a run was started with, and whether it finished."""

    config_hash: str
    size: int
    group_by: str
    chain: ChainState
    status: str  # "running" or "complete"

    def to_json(self) -> dict[str, Any]:
        return {
            "config_hash": self.config_hash,
            "size": self.size,
            "group_by": self.group_by,
            "chain": {
                "time": self.chain.time,
                "height": self.chain.height,
                "fee_rate": self.chain.fee_rate,
            },
            "status": self.status,
        }


def read_state(root: Path) -> RunState | None:
    """The folder's run state, or None when it has none."""
    path = layout.StatePaths(root).run
    if not path.exists():
        return None
    try:
        doc = read_json(path, limits.RECORD_BYTES, ArtgenError)
        return RunState(
            doc["config_hash"],
            doc["size"],
            doc["group_by"],
            ChainState(**doc["chain"]),
            doc["status"],
        )
    except (ArtgenError, KeyError, TypeError) as err:
        detail = err.detail if isinstance(err, ArtgenError) else f"{type(err).__name__}: {err}"
        raise ArtgenError(
            f"unreadable resume state ({detail}); mint again with --force", source=str(path)
        ) from None


def write_state(root: Path, state: RunState) -> None:
    atomic.write_bytes(layout.StatePaths(root).run, json_bytes(state.to_json()))


def read_record(root: Path, token: int) -> dict[str, Any] | None:
    """Token `token`'s record, or None when missing or unreadable."""
    try:
        record = read_json(layout.StatePaths(root).record(token), limits.RECORD_BYTES, ArtgenError)
    except ArtgenError:
        return None
    return record if isinstance(record, dict) else None


def write_record(root: Path, record: dict[str, Any]) -> None:
    atomic.write_bytes(layout.StatePaths(root).record(record["token"]), json_bytes(record))


def read_records(root: Path, size: int) -> list[dict[str, Any]]:
    records = []
    for token in range(size):
        record = read_record(root, token)
        if record is None:
            raise ArtgenError(
                f"token {token} has no record; run artgen mint again", source=str(root)
            )
        records.append(record)
    return records


@dataclass(frozen=True)
class Collection:
    """A collection folder opened for writing its collection-level files."""

    root: Path
    config: CollectionConfig
    config_hash: str
    state: RunState


def open_collection(root: str | os.PathLike) -> Collection:
    """A finished collection: its resolved config (collection.toml) and its run state."""
    root = Path(root)
    state = read_state(root)
    if state is None or not (root / layout.CONFIG_FILE).exists():
        raise ArtgenError(
            "not a minted collection (no collection.toml and .artgen state)", source=str(root)
        )
    if state.status != "complete":
        raise ArtgenError(
            "the mint has not finished; run artgen mint again first", source=str(root)
        )
    config = load_config(root / layout.CONFIG_FILE)
    return Collection(root, config, config_hash(config), state)


class Writer:
    """Atomic writes of collection files (unchanged ones are left alone), counted for crashes."""

    def __init__(self, root: Path):
        self.root, self.count = root, 0

    def __call__(self, relative: str, data: bytes) -> None:
        path = self.root / relative
        try:
            same = path.stat().st_size == len(data) and path.read_bytes() == data
        except OSError:
            same = False
        if not same:
            atomic.write_bytes(path, data)
        self.keep()

    def keep(self) -> None:
        """Count a file as written (it is, or it is current already)."""
        self.count += 1
        crash_point("finalize", self.count)


def metadata_final_early(config: CollectionConfig) -> bool:
    """Whether a token's metadata can be written as soon as the token is minted: not with the
    art inscription, whose HTML finalize makes and the metadata names."""
    return "html" not in config.render.formats


def upgrades_log(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every upgrade of every token, in the order they were made."""
    entries = [{"token": r["token"], **u} for r in records for u in r.get("upgrades", [])]
    return sorted(entries, key=lambda u: u["sequence"])


def finalize(collection: Collection, fresh: Container[int] = frozenset()) -> dict[str, Any]:
    """Write every collection-level file and the manifest; returns the manifest.

    `fresh` tokens had their metadata written by this run, with the same inputs, when
    `metadata_final_early` allowed it: it is left as it is (the minter passes them; any other
    caller rewrites every token's).
    """
    root, config, chash, state = (
        collection.root,
        collection.config,
        collection.config_hash,
        collection.state,
    )
    records = read_records(root, config.size)
    put = Writer(root)
    # the contact sheet and its pages (decoding, painting, PNG encoding: mostly in Cairo,
    # without Python's lock) are drawn on a thread while the metadata and ord files are written
    sheet_thread = ThreadPoolExecutor(1, thread_name_prefix="contact-sheet")
    sheet = sheet_thread.submit(contact_sheets, root, config, records, state.group_by)
    sheet_thread.shutdown(wait=False)
    inscribed = read_inscribed(root)
    ids = id_lookup(inscribed)
    # -- art inscription (artgen.inscription): engine + each token's HTML, when asked for --
    shared = _art(root, config, records, ids, put) if "html" in config.render.formats else []
    # -- provenance: the collection's parent, and a gallery of its tokens when asked for --
    shared += collection_inscriptions(root, config, records, ids, inscribed, put)
    parent = parent_id(config, inscribed)
    for record in records:
        if record["token"] in fresh:
            put.keep()
            continue
        put(
            layout.metadata_path(record["token"]),
            json_bytes(token_metadata(config, chash, state.chain, record, ids)),
        )
    put(layout.INSCRIPTIONS, json_bytes(inscriptions_json(config, records, ids)))
    put(layout.COLLECTION_META, json_bytes(collection_meta(config, chash, records, ids, parent)))
    sizes = ChainSizes(root, records) if config.ord.compress else None
    report = write_ord_files(
        root, config, records, put, shared, (has_parent(config), parent), sizes
    )
    if sizes is not None:
        sizes.save()
    log = upgrades_log(records)
    if log:
        put(layout.UPGRADES, json_bytes(log))
    put(layout.CONTACT_SHEET, sheet.result())
    _remove_stale_batches(root, batch_files(report))
    manifest = build_manifest(root)
    atomic.write_bytes(root / layout.MANIFEST, json_bytes(manifest))
    crash_point("manifest", 0)
    return manifest


def _remove_stale_batches(root: Path, keep: set[str]) -> None:
    folder = root / layout.ORD_DIR
    for path in sorted(folder.glob("batch-*.yaml")):
        if path.relative_to(root).as_posix() not in keep:
            path.unlink()


def remove_temporaries(root: Path) -> None:
    """Delete temporary files that a killed run's atomic writes left (hidden, '.name.*')."""
    folders = [
        root,
        root / layout.ORD_DIR,
        layout.StatePaths(root).folder,
        layout.StatePaths(root).tokens,
    ]
    folders += [root / d for d in layout.TOKEN_DIRS]
    images = root / "images"
    folders += [p for p in images.iterdir() if p.is_dir()] if images.is_dir() else []
    for folder in folders:
        if folder.is_dir():
            for path in folder.iterdir():
                if TEMPORARY.fullmatch(path.name) and path.is_file():
                    path.unlink(missing_ok=True)


# -- art inscription (collection.mint.art) ---------------------------------------------------


def _art(root: Path, config, records: list[dict[str, Any]], ids, put) -> list[Inscription]:
    """Write art/engine.js and each token's art/<t>.html (naming the engine and its model by
    their ids: real once inscribed, else placeholders), set each record's "art" entry, and
    return the shared engine inscription. An HTML already inscribed stays as it is."""
    from .art import ENGINE_TYPE, collection_art

    engine, art = collection_art(root, records, ids, read_inscribed(root), config.tables)
    put(engine.path, engine.data)
    for record in records:
        entry = art[record["token"]]
        if not isinstance(entry, dict):
            put(entry.path, entry.data)
            entry = entry.item()
        record["art"] = [entry]
    meta = {"name": f"{config.name} engine", "collection": config.name, "kind": "engine"}
    return [Inscription("engine", engine.path, len(engine.data), engine.sha256, ENGINE_TYPE, meta)]
