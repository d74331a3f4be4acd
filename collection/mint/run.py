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
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from artgen import atomic, limits
from artgen.chain import ChainState
from artgen.errors import ArtgenError
from artgen.jsontext import read_json
from artgen.model_encoding import encoded_size
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
from .folder import finish_plan, inscribed_by_token, kept, prepare, token_hash
from .manifest import read_manifest
from .metadata import json_bytes, token_metadata
from .ordcost import Inscription, InscriptionError, plan_batches
from .ordfiles import id_lookup, read_inscribed
from .parallel import default_workers, run_jobs
from .progress import Progress
from .provenance import has_parent
from .repair import Damage, checksums, inspect, token_files
from .token import MintSpec, dataset_for, mint_token
from .token import warm as warm_token_job
from .upgrade import carry_upgrade

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
    backup: str | None = None  # where a forced run put what it replaced
    repaired: tuple[str, ...] = ()  # "path: what was wrong" of each file made again
    report: Path | None = None  # the report site's index.html (written by this call, or there)

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
        # -- bytes by kind; batches that need ids wait for them --
        kinds = cost.get("kinds", {})
        if len(kinds) > 1:
            parts = [f"{kinds[k]['count']} {k} ({kinds[k]['bytes']:,} bytes)" for k in kinds]
            lines.append(f"by kind: {', '.join(parts)}")
        if cost.get("waiting"):
            lines.append(
                f"{cost['waiting']} batches wait for ids that artgen inscribed records; "
                f"artgen status {self.root} shows which"
            )
        if self.repaired:
            shown = "; ".join(self.repaired[:5])
            more = f"; and {len(self.repaired) - 5} more" if len(self.repaired) > 5 else ""
            lines.append(f"repaired {counted(len(self.repaired), 'file')}: {shown}{more}")
        if self.backup:
            lines.append(
                f"backup: {self.root / self.backup} holds what this run replaced "
                f"(ord/inscribed.json stays in place)"
            )
        if self.report is not None:
            lines.append(
                f"report: {self.report} (browse it from disk, or: artgen serve {self.root})"
            )
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
    parents = 1 if has_parent(config) else 0
    for t in traits:
        sizes = (h * w * 3, *t.hidden_sizes, len(classes))
        shapes = [(a, b, True) for a, b in zip(sizes, sizes[1:], strict=False)]
        raw = encoded_size(config.ord.model_encoding, shapes)
        size = 4 * math.ceil(raw / 3) + MODEL_OVERHEAD
        item = Inscription("model", layout.model_path(t.token), size, "", "application/json", {})
        plan_batches([item], config.ord.postage, parents=parents)


def _done(root: Path, token: int, thash: str, chash: str, traits: dict) -> bool:
    record = read_record(root, token)
    try:
        if not kept(record, thash, chash, traits):
            return False
        paths = token_files(record)
    except (KeyError, TypeError, AttributeError):  # a damaged record: the token is made again
        return False
    return all((root / p).is_file() for p in paths)


def _check_inscribed(output, inscribed: dict[int, list[dict]], carry: list[int]) -> None:
    """Refuse, before writing anything of it, a token made again whose inscribed model would
    change (an inscription cannot change); an upgraded token gets its upgrade back."""
    models = {i["sha256"]: i["id"] for i in inscribed.get(output.token, []) if i["kind"] == "model"}
    sha = output.record["model"]["sha256"]
    if models and sha not in models and output.token not in carry:
        raise InscriptionError(
            f"token {output.token}: its model is inscribed ({', '.join(models.values())}) and "
            f"the one made now differs (sha256 {sha[:12]}); an inscription cannot change, so "
            "nothing of this token was written",
            source=str(layout.model_path(output.token)),
        )


def _write_token(root: Path, output, thash: str) -> None:
    output.record["token_hash"] = thash
    output.record["checksums"] = checksums(output.files)  # what a repair checks without manifest
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
    check_hashes: bool = False,
) -> MintResult:
    """Mint (or resume, or refresh, or repair) the collection of `config` into `out`.

    `config` is a TOML path (packaged defaults when None) or a resolved CollectionConfig;
    `workers` local processes (default: one per core) or a Dask `scheduler` address run the
    token jobs; `chain` replaces the config's moment; `progress` is a stream, True (stderr)
    or False. A finished collection is checked against its manifest (sizes; sha256 too with
    `check_hashes`) and what is missing or damaged is made again (`collection.mint.repair`).
    """
    started = time.monotonic()
    cfg = _config(config, size, seed)
    chash = config_hash(cfg)
    group = check_group(group_by)
    kernel_path()  # a bad ARTGEN_TRAIN_KERNELS is refused before work starts
    if workers is not None:
        limits.WORKERS.check(workers, field="workers")
    root = Path(out)
    state = read_state(root)
    traits = collection_traits(cfg)  # checks the size against the trait combinations
    check_model_sizes(cfg, traits)
    by_token = [t.to_json() for t in traits]
    prep = prepare(
        root, state, cfg, chash, by_token, force, lambda: chain or cfg.moment.chain_state()
    )
    plain = prep.backup is None and not prep.grown
    damage = Damage()
    if plain and state is not None and state.status == "complete" and state.group_by == group:
        damage = inspect(root, cfg.size, hashes=check_hashes)
        if not damage:
            site = root / layout.REPORT_INDEX
            there = site if site.is_file() else None
            return _result(root, "already minted", cfg.size, 0, started, site=there)
    moment = prep.moment or chain or cfg.moment.chain_state()
    thash = token_hash(cfg, moment)
    resumed = state is not None
    state = RunState(chash, cfg.size, group, moment, "running")
    root.mkdir(parents=True, exist_ok=True)
    remove_temporaries(root)
    write_state(root, state)
    atomic.write_text(root / layout.CONFIG_FILE, dump_config(cfg))
    crash_point("start", 0)
    todo = [
        t
        for t in traits
        if t.token in damage.tokens or not _done(root, t.token, thash, chash, by_token[t.token])
    ]
    inscribed = inscribed_by_token(root)
    todo.sort(key=lambda t: t.token not in inscribed)  # inscribed tokens first: checked first
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
        _check_inscribed(output, inscribed, prep.carry)
        _write_token(root, output, thash)
        if early:
            meta = token_metadata(cfg, chash, moment, output.record, ids)
            atomic.write_bytes(root / layout.metadata_path(output.token), json_bytes(meta))
            fresh.add(output.token)
        if bar is not None:
            bar.advance()
    if bar is not None:
        bar.close()
    for token in prep.carry:  # a forced run gives upgraded tokens their upgrade back
        carry_upgrade(root, cfg, moment, token, prep.backup)
        fresh.discard(token)
    remove_temporaries(root)
    finalize(Collection(root, cfg, chash, state), fresh=fresh)
    write_state(root, RunState(chash, cfg.size, group, moment, "complete"))
    finish_plan(root)
    # the report site (collection.report): the collection as a page to check before inscribing
    from collection.report.run import report_collection

    _, site = report_collection(root, progress=progress)
    if damage:
        status = "repaired"
    elif prep.grown:
        status = "grown"
    elif prep.backup is not None or not resumed:
        status = "minted"
    else:
        status = "resumed" if todo else "refreshed"
    return _result(
        root,
        status,
        cfg.size,
        len(todo),
        started,
        prep.backup,
        damage.lines(),
        site=site.paths["site"],
    )


def _result(
    root: Path,
    status: str,
    tokens: int,
    minted: int,
    started: float,
    backup: str | None = None,
    repaired: list[str] = (),
    site: Path | None = None,
) -> MintResult:
    manifest = read_manifest(root)
    report = read_json(root / layout.BATCHES, limits.RECORD_BYTES, ArtgenError)
    pending = dict(report["pending"])
    pending["batches"] = sum(1 for b in report["batches"] if b["status"] in ("pending", "waiting"))
    pending["waiting"] = sum(1 for b in report["batches"] if b["status"] == "waiting")
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
        backup,
        tuple(repaired),
        site,
    )
