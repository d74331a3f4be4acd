"""`mint_collection`: a whole collection, resumable after a crash, inline, pooled or on Dask.

Order of work: load and check the config (size against the trait combinations, model sizes
against one reveal transaction) before anything is written; then the
resume state and collection.toml; then every token without a record (its files first, its
record last, all atomic); then the collection files and the manifest. A run that dies at any
moment resumes where it stopped and ends with the manifest an uninterrupted run gives.
"""

from __future__ import annotations

import math
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from artgen import atomic
from artgen.chain import ChainState
from artgen.errors import ConfigError
from artgen.training.kernels import kernel_path
from artgen.wording import counted
from collection.config import CollectionConfig, config_hash, dump_config, load_config
from collection.sampling import collection_traits

from . import layout
from .contact import check_group
from .crash import crash_point
from .finalize import (
    Collection,
    RunState,
    finalize,
    metadata_final_early,
    read_record,
    read_state,
    remove_temporaries,
    write_record,
    write_state,
)
from .metadata import json_bytes, token_metadata
from .ordcost import Inscription, plan_batches
from .ordfiles import id_lookup, read_inscribed
from .parallel import default_workers, run_jobs
from .progress import Progress
from .token import MintSpec, dataset_for, mint_token
from .token import warm as warm_token_job

MODEL_OVERHEAD = 4096  # bytes of a model JSON besides its base64 weights, at most (names, config)


@dataclass(frozen=True)
class MintResult:
    """What a call to `mint_collection` did."""

    root: Path
    status: str  # "minted", "resumed", "refreshed" or "already minted"
    tokens: int
    minted: int  # tokens made by this call
    seconds: float
    files: int
    bytes: int
    pending: dict[str, Any] = field(default_factory=dict)  # cost of what is left to inscribe

    def summary_lines(self) -> list[str]:
        cost = self.pending
        sats = cost.get("total_sats", 0)
        tokens = counted(self.tokens, "token")
        if self.status == "already minted":
            head = f"already minted ({tokens}), nothing to do; artgen verify checks it"
        else:
            head = f"{self.status}: {tokens} ({self.minted} made now) in {self.seconds:.1f} s"
        count, batches = cost.get("inscriptions", 0), cost.get("batches", 0)
        size = counted(self.bytes, "byte", digits=True)
        lines = [
            f"{self.root}: {head}",
            f"files: {self.files} ({size}), manifest {self.root / layout.MANIFEST}",
            f"inscriptions: {count} in {counted(batches, 'ord batch')}, "
            f"{cost.get('vbytes', 0):,} vB, about {sats:,} sats ({sats / 1e8:.8f} BTC) "
            "with postage",
        ]
        # -- art inscription: bytes by kind; the HTML batches wait for the real ids --
        kinds = cost.get("kinds", {})
        if "html" in kinds:
            parts = [f"{kinds[k]['count']} {k} ({kinds[k]['bytes']:,} bytes)" for k in kinds]
            lines.append(f"by kind: {', '.join(parts)}; HTML batches wait until artgen inscribed")
            lines[-1] += " has read the engine and model batches"
        return lines


def _config(config, size, seed) -> CollectionConfig:
    if isinstance(config, CollectionConfig):
        if size is not None or seed is not None:
            raise ValueError("size and seed go into the CollectionConfig itself")
        return config
    return load_config(config, size=size, seed=seed)


def check_model_sizes(config: CollectionConfig, traits) -> None:
    """Refuse, before any training, a token whose model cannot fit one reveal transaction."""
    h, w = config.dataset.image_size
    if config.dataset.source == "default":
        from artgen.datasets.procedural import CLASS_NAMES as classes
    else:
        classes = dataset_for(config.dataset)[0].class_names
    for t in traits:
        sizes = (h * w * 3, *t.hidden_sizes, len(classes))
        count = sum(a * b + b for a, b in zip(sizes, sizes[1:], strict=False))
        size = 4 * math.ceil(4 * count / 3) + MODEL_OVERHEAD
        item = Inscription("model", layout.model_path(t.token), size, "", "application/json", {})
        plan_batches([item], config.ord.postage)


def _prepare_folder(root: Path, state: RunState | None, chash: str, force: bool) -> None:
    if state is None:
        if root.exists() and any(not p.name.startswith(".") for p in root.iterdir()):
            raise ConfigError(
                "the folder is not empty and holds no collection; choose a new folder",
                source=str(root),
            )
        return
    if state.config_hash != chash:
        if not force:
            raise ConfigError(
                f"this folder was minted with another config (hash {state.config_hash[:12]}, "
                f"now {chash[:12]}); pass --force to mint it again with this config, or "
                f"--config {root / layout.CONFIG_FILE} to resume",
                source=str(root),
            )
        _wipe(root)


def _wipe(root: Path) -> None:
    """Remove what a previous mint wrote (token folders, ord files, collection files, state)."""
    for name in (*layout.TOKEN_DIRS, layout.ORD_DIR, layout.STATE_DIR):
        shutil.rmtree(root / name, ignore_errors=True)
    for name in (
        layout.CONFIG_FILE,
        layout.MANIFEST,
        layout.CONTACT_SHEET,
        layout.INSCRIPTIONS,
        layout.COLLECTION_META,
        layout.UPGRADES,
    ):
        (root / name).unlink(missing_ok=True)


def _done(root: Path, token: int, chash: str) -> bool:
    record = read_record(root, token)
    if record is None or record.get("config_hash") != chash:
        return False
    files = record["files"]
    paths = [files["model"], files["thumbnail"], *files["stills"], *files["previews"].values()]
    return all((root / p).is_file() for p in paths)


def _write_token(root: Path, output) -> None:
    for n, (relative, data) in enumerate(output.files):
        atomic.write_bytes(root / relative, data)
        if n == 0:
            crash_point("files", output.token)
    write_record(root, output.record)
    crash_point("record", output.token)


def mint_collection(
    out: str | os.PathLike,
    *,
    config: str | os.PathLike | CollectionConfig | None = None,
    size: int | None = None,
    seed: int | str | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    force: bool = False,
    group_by: str | None = None,
    chain: ChainState | None = None,
    progress: TextIO | bool = True,
) -> MintResult:
    """Mint (or resume, or refresh) the collection of `config` into the folder `out`.

    `config` is a TOML path (packaged defaults when None) or a resolved CollectionConfig;
    `workers` local processes (default: one per core) or a Dask `scheduler` address run the
    token jobs; `chain` replaces the config's moment; `progress` is a stream, True (stderr)
    or False.
    """
    started = time.monotonic()
    cfg = _config(config, size, seed)
    chash = config_hash(cfg)
    group = check_group(group_by)
    kernel_path()  # a bad ARTGEN_TRAIN_KERNELS is refused before work starts
    root = Path(out)
    state = read_state(root)
    _prepare_folder(root, state, chash, force)
    state = read_state(root)
    if state is not None and state.status == "complete" and state.group_by == group:
        return _result(root, "already minted", cfg.size, 0, started)
    traits = collection_traits(cfg)  # checks the size against the trait combinations
    check_model_sizes(cfg, traits)
    moment = state.chain if state is not None else (chain or cfg.moment.chain_state())
    resumed = state is not None
    state = RunState(chash, cfg.size, group, moment, "running")
    root.mkdir(parents=True, exist_ok=True)
    remove_temporaries(root)
    write_state(root, state)
    atomic.write_text(root / layout.CONFIG_FILE, dump_config(cfg))
    crash_point("start", 0)
    todo = [t for t in traits if not _done(root, t.token, chash)]
    stream = None if progress is True else progress
    bar = Progress(cfg.size, cfg.size - len(todo), stream) if progress is not False else None
    spec = MintSpec(cfg, chash, moment)
    jobs = run_jobs(
        mint_token,
        spec,
        todo,
        workers=workers or default_workers(),
        scheduler=scheduler,
        warm=warm_token_job,
    )
    ids = id_lookup(read_inscribed(root))
    # each token's metadata is written as it comes, while the workers compute, and finalize
    # leaves it be
    early = metadata_final_early(cfg)
    fresh = set()
    for output in jobs:
        _write_token(root, output)
        if early:
            meta = token_metadata(cfg, chash, moment, output.record, ids)
            atomic.write_bytes(root / layout.metadata_path(output.token), json_bytes(meta))
            fresh.add(output.token)
        if bar is not None:
            bar.advance()
    if bar is not None:
        bar.close()
    remove_temporaries(root)
    finalize(Collection(root, cfg, chash, state), fresh=fresh)
    write_state(root, RunState(chash, cfg.size, group, moment, "complete"))
    status = "minted" if not resumed else ("resumed" if todo else "refreshed")
    return _result(root, status, cfg.size, len(todo), started)


def _result(root: Path, status: str, tokens: int, minted: int, started: float) -> MintResult:
    import json

    manifest = json.loads((root / layout.MANIFEST).read_text("utf-8"))
    report = json.loads((root / layout.BATCHES).read_text("utf-8"))
    pending = dict(report["pending"])
    pending["batches"] = sum(1 for b in report["batches"] if b["status"] in ("pending", "waiting"))
    pending["kinds"] = report.get("kinds", {})
    return MintResult(
        root,
        status,
        tokens,
        minted,
        time.monotonic() - started,
        manifest["count"],
        manifest["bytes"],
        pending,
    )
