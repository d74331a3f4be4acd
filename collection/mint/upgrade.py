"""Upgrades: a token gets a new model (a new data inscription) and is drawn again.

The token keeps its visual traits (palette, pattern, node shape and fill, life cycle, birth
year); its training traits and hidden layers come from the new model. Its stills, thumbnail
and previews are drawn again, its record and metadata record the upgrade, upgrades.json logs
it, and the collection files and manifest are written again.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any

from artgen import atomic, limits
from artgen.errors import ArtgenError, ConfigError, ModelFormatError
from artgen.jsontext import read_json
from artgen.model import Model, load_model, loads_model
from artgen.traits import KERAS_ACTIVATIONS, Traits

from . import layout
from .finalize import finalize, open_collection, read_record, read_records, write_record
from .metadata import sha256
from .ordcost import Inscription, plan_batches
from .ordfiles import id_lookup, read_inscribed
from .token import encoded_model, holdout_accuracy, model_info, render_token


def upgraded_traits(traits: Traits, model: Model, source: str) -> Traits:
    """`traits` with the training traits and hidden layers of `model` (checked against it)."""
    hidden = model.hidden_sizes
    if not hidden:
        raise ModelFormatError(
            "expected at least one hidden Dense layer to draw", source=source, field="layers_config"
        )
    given = model.training_traits
    by_keras = {v: k for k, v in KERAS_ACTIVATIONS.items()}
    checks = {"n_layers": len(hidden), "max_nodes": max(hidden)}
    for key, actual in checks.items():
        if given.get(key) is not None and given[key] != actual:
            raise ModelFormatError(
                f"expected {actual} (the model's hidden layers), found {given[key]}",
                source=source,
                field=f"training_traits.{key}",
            )
    return dataclasses.replace(
        traits,
        architecture=given.get("structure_gen") or "Custom",
        activation=given.get("activation_func") or by_keras.get(model.activation, model.activation),
        layers=len(hidden),
        max_neurons=max(hidden),
        epochs=given.get("epoch_num") or traits.epochs,
        hidden_sizes=tuple(hidden),
    )


def upgrade_token(
    root: str | os.PathLike, token: int, model_path: str | os.PathLike
) -> dict[str, Any]:
    """Give token `token` of the collection at `root` the model at `model_path`.

    Returns the upgrade's log entry (or the current one when the token already has it).
    """
    collection = open_collection(root)
    root, config = collection.root, collection.config
    if not 0 <= token < config.size:
        raise ConfigError(
            f"expected a token in 0..{config.size - 1}, got {token}",
            source=str(root),
            field="--token",
        )
    model = load_model(model_path)
    record = read_record(root, token)
    if record is None:
        raise ConfigError("the token has no record; run artgen mint again", source=str(root))
    traits = upgraded_traits(Traits.from_json(record["traits"]), model, str(model_path))
    accuracy = holdout_accuracy(config.dataset, model)
    data, extra = encoded_model(config, model, accuracy)
    path = layout.model_path(token)
    plan_batches(
        [Inscription("model", path, len(data), "", "application/json", {})], config.ord.postage
    )
    digest = sha256(data)
    if record["model"]["sha256"] == digest:  # already applied (a rerun after a crash)
        finalize(collection)
        return record["upgrades"][-1] if record["upgrades"] else {}
    files, names, life = render_token(config, collection.state.chain, traits, traits.hidden_sizes)
    atomic.write_bytes(root / path, data)
    for relative, content in files:
        atomic.write_bytes(root / relative, content)
    ids = id_lookup(read_inscribed(root))
    sequence = 1 + sum(len(r.get("upgrades", [])) for r in read_records(root, config.size))
    entry = {
        "sequence": sequence,
        "upgrade": len(record["upgrades"]) + 1,
        "model_file": Path(model_path).name,
        "model_sha256": digest,
        "previous_model_sha256": record["model"]["sha256"],
        "previous_inscription": ids(record["model"]["sha256"]),
        "hidden_layers": list(traits.hidden_sizes),
        "training_traits": {
            k: traits.to_json()[k]
            for k in (
                "Network Architecture",
                "Activation Function",
                "Hidden Layers",
                "Max Neurons Per Hidden Layer",
                "Training Epochs",
            )
        },
    }
    previous = record["model"]
    record = {
        **record,
        "traits": traits.to_json(),
        "files": {"model": path, **names},
        "model": model_info(
            model, data, accuracy, previous["dataset"], previous["dataset_fingerprint"]
        )
        | extra,
        "life": life,
        "upgrades": [*record["upgrades"], entry],
    }
    write_record(root, record)
    finalize(collection)
    return entry


def carry_upgrade(root: Path, config, chain, token: int, backup: str) -> None:
    """Give token `token`, just made again by a forced run, the upgrade its old record had
    (backed up in `backup`): the same upgraded model drawn with the new config, and its
    history. Does nothing when the token has it already (a rerun after a kill)."""
    old = read_json(root / backup / "records" / f"{token}.json", limits.RECORD_BYTES, ArtgenError)
    record = read_record(root, token)
    if record is None or record["model"]["sha256"] == old["model"]["sha256"]:
        return
    source = root / backup / old["files"]["model"]
    data = source.read_bytes()
    model = loads_model(data, str(source))
    traits = upgraded_traits(Traits.from_json(record["traits"]), model, str(source))
    files, names, life = render_token(config, chain, traits, traits.hidden_sizes)
    path = layout.model_path(token)
    atomic.write_bytes(root / path, data)
    for relative, content in files:
        atomic.write_bytes(root / relative, content)
    write_record(
        root,
        {
            **record,
            "traits": traits.to_json(),
            "files": {"model": path, **names},
            "model": old["model"],
            "life": life,
            "upgrades": old["upgrades"],
        },
    )
