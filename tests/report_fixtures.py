"""Minted collections made cheaply, for the report's tests and bench/report.

Minting trains every token, which takes 20 s for 200 tiny tokens on two cores. The report
needs what a mint leaves, not the training, so `fake_collection` writes each token's record
as the minter would (its traits from the sampler, a model of its own shape with seeded random
weights, stills drawn from its real scene at thumbnail size) and then runs the minter's own
`finalize`: the metadata, art HTML, ord batches, contact sheet and manifest are the real
thing. `portraits=False` draws plain coloured squares instead (10,000 tokens in seconds), and
`models=False` writes no model files (their token pages say so), and `finalized=False` writes
only each token's metadata (no art, no ord files, no manifest: 10,000 tokens in a minute). The
per-token files are written plainly (a test folder needs no atomic writes, and their fsyncs
took most of the time).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
from mint_configs import tiny_config
from PIL import Image

from artgen import atomic
from artgen.datasets.procedural import CLASS_NAMES
from artgen.lifecycle import traits_life_state
from artgen.model import build_model, dumps_model
from artgen.render import png_bytes_of, to_image
from collection.config import config_hash, dump_config, load_config
from collection.mint import layout
from collection.mint.finalize import Collection, RunState, finalize, write_state
from collection.mint.metadata import json_bytes, placeholder_id, token_metadata
from collection.sampling import collection_traits

THUMB = 64  # px: the fake stills (the minter's thumbnails are bigger; the grid shows 128)


def _model_bytes(traits, name: str) -> bytes:
    rng = np.random.default_rng(traits.token)
    sizes = (8 * 8 * 3, *traits.hidden_sizes, len(CLASS_NAMES))
    weights = [
        (rng.normal(0, 0.3, (a, b)).astype(np.float32), rng.normal(0, 0.1, b).astype(np.float32))
        for a, b in zip(sizes, sizes[1:], strict=False)
    ]
    model = build_model(
        name, (8, 8), traits.hidden_sizes, traits.activation, CLASS_NAMES, weights,
        traits.training_traits(),
    )  # fmt: skip
    return dumps_model(model).encode("utf-8")


def _still(traits, config, moment, portraits: bool) -> bytes:
    if not portraits:
        rgb = hashlib.sha256(f"{traits.token}".encode()).digest()[:3]
        return png_bytes_of(Image.new("RGB", (THUMB, THUMB), tuple(rgb)))
    from artgen.scene import build_scene

    life = traits_life_state(traits, moment.time, tables=config.tables)
    scene = build_scene(traits, traits.hidden_sizes, life, moment)
    return png_bytes_of(to_image(scene, THUMB), scene)


def _put(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def fake_collection(
    root: Path,
    size: int = 200,
    seed: int = 7,
    formats: tuple[str, ...] = ("png", "html"),
    portraits: bool = True,
    models: bool = True,
    finalized: bool = True,
) -> Path:
    """A minted collection folder of `size` tokens, made without training."""
    root.mkdir(parents=True, exist_ok=True)
    text = tiny_config("Report Test", size, seed).replace(
        'formats = ["png"]', f"formats = {list(formats)!r}".replace("'", '"')
    )
    (root.parent / f"{root.name}.toml").write_text(text, "utf-8")
    config = load_config(root.parent / f"{root.name}.toml")
    chash = config_hash(config)
    moment = config.moment.chain_state()
    state = RunState(chash, size, "Color Palette", moment, "complete")
    write_state(root, state)
    atomic.write_text(root / layout.CONFIG_FILE, dump_config(config))
    for traits in collection_traits(config):
        t = traits.token
        name = f"{config.name} #{t}"
        data = _model_bytes(traits, name)
        if models:
            _put(root / layout.model_path(t), data)
        still = _still(traits, config, moment, portraits)
        _put(root / layout.still_path(t, "png", 256, 256), still)
        _put(root / layout.thumbnail_path(t), still)
        life = traits_life_state(traits, moment.time, tables=config.tables)
        record = {
            "token": t,
            "config_hash": chash,
            "traits": traits.to_json(),
            "files": {
                "model": layout.model_path(t),
                "image": layout.still_path(t, "png", 256, 256),
                "stills": [layout.still_path(t, "png", 256, 256)],
                "thumbnail": layout.thumbnail_path(t),
                "previews": {},
            },
            "model": {
                "name": name,
                "sha256": hashlib.sha256(data).hexdigest(),
                "bytes": len(data),
                "val_accuracy": 0.25,
                "classes": list(CLASS_NAMES),
                "dataset": "default",
                "dataset_fingerprint": "fake",
            },
            "life": {
                "stage": life.stage,
                "age": round(life.age, 6),
                "rebirths": life.rebirths,
                "active_neurons": life.active_label,
            },
            "upgrades": [],
        }
        _put(layout.StatePaths(root).record(t), json_bytes(record))
        if not finalized:
            meta = token_metadata(config, chash, moment, record, placeholder_id)
            _put(root / layout.metadata_path(t), json_bytes(meta))
    if finalized:
        finalize(Collection(root, config, chash, state))
    return root
