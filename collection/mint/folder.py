"""A folder minted before: what a new run keeps, grows or replaces, and the records it never
loses.

- Same config: resume (tokens with a record are kept).
- Growth: the same config with a larger size (and every existing token's traits unchanged,
  which "exact" rarity may not give): no --force; every existing token is kept as it is and
  only the new tokens are made.
- Any other change needs --force. A token is kept when its record was made from the same
  token inputs (`token_hash`: what decides a token's files) and the same traits; every other
  token is made again. Before anything changes, a token already inscribed whose inscribed
  bytes would change is refused by name (an inscription cannot change). Then whatever the
  run replaces goes to backups/<UTC time>/ inside the collection: the files of the tokens made
  again (moved, records in records/), a copy of every collection file (ord/inscribed.json
  included, which itself stays in place). Upgraded tokens keep their upgrade: the upgraded
  model is drawn again with the new config and its history carried over.

The forced run's plan is .artgen/force.json until the run completes, so a run killed at any
moment resumes into the same backup folder and carries the same upgrades.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from artgen import atomic, limits
from artgen.chain import ChainState
from artgen.errors import ArtgenError, ConfigError
from artgen.jsontext import read_json
from collection.config import CollectionConfig, load_config

from . import layout
from .crash import crash_point
from .finalize import RunState, read_record
from .metadata import json_bytes
from .ordcost import InscriptionError
from .ordfiles import read_inscribed

#: The traits an upgrade keeps; the others come from the upgraded model.
VISUAL = ("Color Palette", "Paper Pattern", "Hardware Acceleration", "Dataset",
          "Deep Learning Framework", "Life Cycle", "Birth Year", "token", "seed")  # fmt: skip


def token_hash(config: CollectionConfig, chain: ChainState) -> str:
    """SHA-256 of what decides a token's files and record, besides its traits: the collection's
    name, seed and rarity, the dataset, the render settings, the moment drawn, the tables and
    the weight encoding (not the size, the description or the ord estimates)."""
    data = config.to_json()
    inputs = {
        "collection": {k: data["collection"][k] for k in ("name", "seed", "rarity")},
        "dataset": data["dataset"],
        "render": data["render"],
        "chain": chain.to_json(),
        "tables": data["tables"],
        "model_encoding": config.ord.model_encoding,
    }
    text = json.dumps(inputs, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def same_traits(record: dict[str, Any], traits: dict[str, Any]) -> bool:
    """Whether a record has `traits` (`Traits.to_json()`); an upgraded token's training traits
    come from its model, so only the traits an upgrade keeps are compared."""
    if record.get("upgrades"):
        return all(record["traits"].get(k) == traits.get(k) for k in VISUAL)
    return record["traits"] == traits


def kept(record: dict[str, Any] | None, thash: str, chash: str, traits: dict) -> bool:
    """Whether a token's record stands for the new run (same inputs and traits)."""
    if record is None or not same_traits(record, traits):
        return False
    if "token_hash" in record:
        return record["token_hash"] == thash
    return record.get("config_hash") == chash  # a record from before token_hash existed


def _without_size(config: CollectionConfig) -> dict[str, Any]:
    data = config.to_json()
    data["collection"] = {k: v for k, v in data["collection"].items() if k != "size"}
    return data


def _old_config(root: Path) -> CollectionConfig | None:
    try:
        return load_config(root / layout.CONFIG_FILE)
    except (ArtgenError, OSError):
        return None


@dataclass
class Preparation:
    """What `prepare` decided: the moment to draw, and for a forced run its backup folder and
    the upgraded tokens to carry over."""

    moment: ChainState | None
    grown: bool = False
    backup: str | None = None
    carry: list[int] = field(default_factory=list)


def _plan_path(root: Path) -> Path:
    return layout.StatePaths(root).folder / "force.json"


def read_plan(root: Path) -> dict[str, Any] | None:
    try:
        plan = read_json(_plan_path(root), limits.RECORD_BYTES, ArtgenError)
    except ArtgenError:
        return None
    return plan if isinstance(plan, dict) else None


def finish_plan(root: Path) -> None:
    """The forced run is complete: its plan is no longer needed."""
    _plan_path(root).unlink(missing_ok=True)


def inscribed_by_token(root: Path) -> dict[int, list[dict[str, Any]]]:
    """Token -> its inscriptions recorded in ord/inscribed.json."""
    out: dict[int, list[dict[str, Any]]] = {}
    for batch in read_inscribed(root)["batches"]:
        for item in batch["inscriptions"]:
            if item.get("token") is not None:
                out.setdefault(item["token"], []).append(item)
    return out


def _model_inputs(config: CollectionConfig) -> dict[str, Any]:
    data = config.to_json()
    return {"name": config.name, "dataset": data["dataset"], "encoding": config.ord.model_encoding}


def refusals(
    root: Path,
    old: CollectionConfig | None,
    new: CollectionConfig,
    records: dict[int, dict[str, Any]],
    traits: list[dict[str, Any]],
) -> list[str]:
    """Why each inscribed token's inscribed bytes would change under `new` (empty: none)."""
    out = []
    for token, items in sorted(inscribed_by_token(root).items()):
        kinds = {i["kind"] for i in items}
        ids = ", ".join(i["id"] for i in items)
        record = records.get(token)
        if token >= new.size:
            out.append(
                f"token {token} ({ids}) is inscribed and would be dropped by size {new.size}"
            )
        elif record is None:
            continue  # no record: nothing is known to compare; the write-time check applies
        elif not same_traits(record, traits[token]):
            out.append(f"token {token} ({ids}): its traits would change")
        elif (
            "model" in kinds
            and not record.get("upgrades")
            and (old is None or _model_inputs(old) != _model_inputs(new))
        ):
            out.append(f"token {token} ({ids}): its model would change (name, dataset or encoding)")
        elif "html" in kinds and old is not None and old.tables != new.tables:
            out.append(f"token {token} ({ids}): its art would change (the tables differ)")
    return out


def _stamp() -> str:
    return time.strftime("%Y-%m-%dT%H-%M-%SZ", time.gmtime())


def _token_files(record: dict[str, Any] | None, token: int) -> list[str]:
    if record is None:
        return [layout.model_path(token), layout.thumbnail_path(token)]
    files = record["files"]
    return [files["model"], files["thumbnail"], *files["stills"], *files["previews"].values()]


def _move(root: Path, relative: str, backup: Path) -> None:
    source = root / relative
    if source.is_file():
        target = backup / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)


def _copy_collection_files(root: Path, backup: Path) -> None:
    """Copy every file a forced run may write again (not the token-owned ones)."""
    skip = (layout.BACKUP_DIR, "models", "images", "thumbnails", "previews", *layout.REPORT_DIRS)
    for here, dirs, names in os.walk(root):
        rel_dir = Path(here).relative_to(root)
        top = rel_dir == Path(".")
        dirs[:] = [d for d in dirs if not d.startswith(".") and not (top and d in skip)]
        for name in names:
            rel = (rel_dir / name).as_posix()
            target = backup / rel
            if not name.startswith(".") and not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(root / rel, target)
    run = layout.StatePaths(root).run
    if run.exists() and not (backup / "run.json").exists():
        shutil.copy2(run, backup / "run.json")


def _back_up(root: Path, plan: dict[str, Any], tokens: dict[int, dict | None]) -> None:
    """Copy the collection files, then move each replaced token's files and record."""
    backup = root / plan["backup"]
    backup.mkdir(parents=True, exist_ok=True)
    _copy_collection_files(root, backup)
    crash_point("backup", 0)
    for n, (token, record) in enumerate(sorted(tokens.items()), 1):
        for relative in _token_files(record, token):
            _move(root, relative, backup)
        state = layout.StatePaths(root).record(token)
        if state.exists():
            (backup / "records").mkdir(exist_ok=True)
            os.replace(state, backup / "records" / f"{token}.json")
        crash_point("backup", n)


def prepare(
    root: Path,
    state: RunState | None,
    config: CollectionConfig,
    chash: str,
    traits: list[dict[str, Any]],
    force: bool,
    fresh_moment: Callable[[], ChainState],
) -> Preparation:
    """Decide what a run keeps in `root` and back up what it replaces (see the module
    docstring); `traits` are the new config's traits by token; `fresh_moment` resolves the
    config's moment when the old one does not stand. Nothing changes on refusal."""
    plan = read_plan(root)
    if state is None and plan is None:
        if root.exists() and any(not p.name.startswith(".") for p in root.iterdir()):
            raise ConfigError(
                "the folder is not empty and holds no collection; choose a new folder",
                source=str(root),
            )
        return Preparation(None)
    if plan is not None and plan.get("config_hash") == chash:
        return _continue(root, plan, config, traits)
    assert state is not None
    if state.config_hash == chash:
        return Preparation(state.chain)
    old = _old_config(root)
    sizes = range(max(state.size, config.size, old.size if old else 0))
    records = {t: r for t in sizes if (r := read_record(root, t)) is not None}
    growth = (
        old is not None
        and _without_size(old) == _without_size(config)
        and config.size > old.size
        and all(same_traits(r, traits[t]) for t, r in records.items() if t < config.size)
    )
    if growth:
        return Preparation(state.chain, grown=True)
    if not force:
        raise ConfigError(
            f"this folder was minted with another config (hash {state.config_hash[:12]}, "
            f"now {chash[:12]}); pass --force to mint it again with this config (what it "
            f"replaces is backed up), or --config {root / layout.CONFIG_FILE} to resume",
            source=str(root),
        )
    refused = refusals(root, old, config, records, traits)
    if refused:
        raise InscriptionError(
            "an inscription cannot change: " + "; ".join(refused) + "; keep the config these "
            "tokens were inscribed with, or mint the new one into another folder",
            source=str(root),
        )
    same_moment = old is not None and old.moment == config.moment
    moment = state.chain if same_moment else fresh_moment()
    backup = (plan or {}).get("backup") or f"{layout.BACKUP_DIR}/{_stamp()}"
    thash = token_hash(config, moment)
    carry = sorted(
        t for t, r in records.items()
        if r.get("upgrades") and t < config.size and not kept(r, thash, chash, traits[t])
    )  # fmt: skip
    plan = {"backup": backup, "config_hash": chash, "chain": moment.to_json(), "carry": carry,
            "moved": False}  # fmt: skip
    atomic.write_bytes(_plan_path(root), json_bytes(plan))
    return _continue(root, plan, config, traits)


def _continue(
    root: Path, plan: dict[str, Any], config: CollectionConfig, traits: list[dict[str, Any]]
) -> Preparation:
    """Carry out (or finish, after a kill) a forced run's backup."""
    moment = ChainState(**plan["chain"])
    if not plan["moved"]:
        thash = token_hash(config, moment)
        replaced = {}
        folder = layout.StatePaths(root).tokens
        present = sorted(int(p.stem) for p in folder.glob("*.json")) if folder.is_dir() else []
        for token in present:
            record = read_record(root, token)
            inside = token < config.size
            if not (inside and kept(record, thash, plan["config_hash"], traits[token])):
                replaced[token] = record
        _back_up(root, plan, replaced)
        plan = {**plan, "moved": True}
        atomic.write_bytes(_plan_path(root), json_bytes(plan))
    return Preparation(moment, backup=plan["backup"], carry=list(plan["carry"]))
