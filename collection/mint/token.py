"""The per-token job: train the token's network, draw its stills and previews.

`mint_token(spec, traits)` is a pure function of (config, chain moment, traits): it returns
the token's files as bytes plus the record the coordinator keeps, and writes nothing, so it
runs the same inline, in a process pool or on a Dask worker. The training dataset is loaded
once per process and kept.
"""

from __future__ import annotations

import hashlib
import math
import os
from dataclasses import dataclass
from typing import Any

from artgen.chain import ChainState
from artgen.datasets import DEFAULT_PER_CLASS, Dataset, default_dataset, load_dataset
from artgen.lifecycle import traits_life_state
from artgen.model import Model, dumps_model, loads_model
from artgen.model_encoding import ORIGINAL
from artgen.traits import Traits
from collection.config import (
    PREVIEW_FORMATS,
    STILL_FORMATS,
    CollectionConfig,
    DatasetConfig,
)

from . import layout
from .crash import counted_crash_point
from .previews import preview_bytes

PREVIEW_MAX = 512  # px: a marketplace preview (the median token's 4 s: 54 kB MP4, 86 kB GIF)
_DATASETS: dict[tuple, tuple[Dataset, str]] = {}  # one dataset per process, kept across tokens


@dataclass(frozen=True)
class MintSpec:
    """What every token job shares: the resolved config, its hash and the chain moment."""

    config: CollectionConfig
    config_hash: str
    chain: ChainState


@dataclass(frozen=True, eq=False)
class TokenOutput:
    """A finished token: its files (relative path, bytes), its record, and the CPU seconds its
    job took (ffmpeg's included): what the progress bar's forecast learns from."""

    token: int
    files: tuple[tuple[str, bytes], ...]
    record: dict[str, Any]
    work: float = 0.0


def dataset_for(config: DatasetConfig) -> tuple[Dataset, str]:
    """The training dataset and its fingerprint, loaded once per process."""
    key = (config.source, tuple(config.image_size), config.per_class)
    if key not in _DATASETS:
        _DATASETS.clear()
        size = tuple(config.image_size)
        if config.source == "default":
            data = default_dataset(per_class=config.per_class or DEFAULT_PER_CLASS, size=size)
        else:
            data = _first_per_class(load_dataset(config.source, size), config.per_class)
        _DATASETS[key] = (data, fingerprint(data))
    return _DATASETS[key]


def fingerprint(data: Dataset) -> str:
    """A short hash of a dataset's pixels and labels: which data a model was trained on."""
    h = hashlib.blake2b(digest_size=8)
    h.update(data.images.tobytes())
    h.update(data.labels.tobytes())
    return h.hexdigest()


def _first_per_class(data: Dataset, per_class: int | None) -> Dataset:
    if per_class is None:
        return data
    import numpy as np

    keep = [np.flatnonzero(data.labels == c)[:per_class] for c in range(len(data.class_names))]
    return data.subset(np.sort(np.concatenate(keep)))


def preview_size(config: CollectionConfig) -> int:
    """Side of the animated previews: the first still size, at most PREVIEW_MAX px, made even
    (an MP4's sides are; every preview format gets the same side)."""
    side = min(config.render.sizes[0], PREVIEW_MAX)
    return side - side % 2 if side > 1 else side


def train_token(spec: MintSpec, traits: Traits) -> tuple[Model, float | None, Dataset, str]:
    """The token's network trained on the collection's dataset: (model, val accuracy, ...)."""
    from artgen.training import train, traits_config

    data, print_ = dataset_for(spec.config.dataset)
    config = traits_config(
        traits, collection=spec.config.name, input_hw=spec.config.dataset.image_size
    )
    result = train(config, data, seed=traits.seed, token=traits.token)
    accuracy = None if math.isnan(result.val_accuracy) else round(result.val_accuracy, 6)
    return result.model, accuracy, data, print_


def holdout_accuracy(config: DatasetConfig, model: Model) -> float | None:
    """`model`'s accuracy on the collection's validation images (None: other classes)."""
    from artgen.datasets import holdout_split, resize_batch
    from artgen.training import accuracy

    data, _ = dataset_for(config)
    if tuple(model.classes) != tuple(data.class_names):
        return None
    _, val = holdout_split(len(data))
    h, w, _ = model.input_shape
    images = data.images[val] if data.size == (h, w) else resize_batch(data.images[val], h, w)
    return round(accuracy(model, images, data.labels[val]), 6) if len(val) else None


def encoded_model(
    config: CollectionConfig, model: Model, accuracy: float | None
) -> tuple[bytes, dict[str, Any]]:
    """The data inscription in the collection's weight encoding, and what the record adds:
    the accuracy of the weights as inscribed (a compact encoding rounds them), the trained
    float32 accuracy beside it, and the brotli size with --compress."""
    from .chainsize import brotli_bytes

    encoding = config.ord.model_encoding
    data = dumps_model(model, encoding).encode("utf-8")
    extra: dict[str, Any] = {}
    if encoding != "float32":
        extra = {
            "weight_encoding": encoding,
            "val_accuracy": holdout_accuracy(config.dataset, loads_model(data)),
            "trained_val_accuracy": accuracy,
        }
    if config.ord.compress:
        extra["brotli_bytes"] = brotli_bytes(data, "application/json")
    return data, extra


def render_token(
    config: CollectionConfig, chain: ChainState, traits: Traits, hidden_sizes: tuple[int, ...]
) -> tuple[list[tuple[str, bytes]], dict[str, Any], dict[str, Any]]:
    """Stills, thumbnail and previews of a token drawing `hidden_sizes` in its visual traits.

    Returns (files, file names by role, life state at the moment).
    """
    from artgen.render import encode, png_bytes_of, to_image
    from artgen.scene import build_scene

    token, render = traits.token, config.render
    life = traits_life_state(traits, chain.time, hidden_sizes, tables=config.tables)
    scene = build_scene(traits, hidden_sizes, life, chain)
    files: list[tuple[str, bytes]] = []
    stills = [f for f in render.formats if f in STILL_FORMATS]
    raster = None  # the largest PNG still, shrunk into the thumbnail (one drawing fewer)
    for size in render.sizes:
        for fmt in stills:
            if fmt == "png":
                image = to_image(scene, size)
                data = png_bytes_of(image, scene)
                if size >= render.thumbnail_size and (raster is None or size > raster.width):
                    raster = image
            else:
                data = encode(scene, fmt, size)
            files.append((layout.still_path(token, fmt, size, render.sizes[0]), data))
    thumbnail = layout.thumbnail_path(token)
    side = render.thumbnail_size
    if raster is not None:
        from PIL import Image

        shrunk = raster.resize((side, side), Image.Resampling.LANCZOS)
        files.append((thumbnail, png_bytes_of(shrunk, scene)))
    else:
        files.append((thumbnail, encode(scene, "png", side)))
    previews = {}
    for fmt in (f for f in render.formats if f in PREVIEW_FORMATS):
        previews[fmt] = layout.preview_path(token, fmt)
        data = preview_bytes(fmt, traits, tables=config.tables, hidden_sizes=hidden_sizes,
                             chain=chain, fps=render.fps, seconds=render.seconds,
                             size=preview_size(config))  # fmt: skip
        files.append((previews[fmt], data))
    first = "png" if "png" in stills else (stills[0] if stills else None)
    names = {
        "image": layout.still_path(token, first, render.sizes[0], render.sizes[0])
        if first
        else thumbnail,
        "stills": [path for path, _ in files if path.startswith("images/")],
        "thumbnail": thumbnail,
        "previews": previews,
    }
    state = {
        "stage": life.stage,
        "age": round(life.age, 6),
        "rebirths": life.rebirths,
        "active_neurons": life.active_label,
    }
    return files, names, state


def model_info(
    model: Model, data: bytes, accuracy: float | None, dataset: str, print_: str
) -> dict:
    """What the record keeps about a token's data inscription."""
    return {
        "name": model.name,
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
        "val_accuracy": accuracy,
        "classes": list(model.classes),
        "dataset": dataset,
        "dataset_fingerprint": print_,
    }


def dataset_key(config: DatasetConfig) -> str:
    """Which data an intelligence curve was measured on (the report's cache key has it)."""
    h, w = config.image_size
    return f"{config.source}|{h}x{w}|{config.per_class}"


def curve_data(model: Model, data: Dataset) -> dict[str, Any]:
    """The token's intelligence curve as the report shows it: held-out accuracy at growth 0,
    0.1, ..., 1 (`artgen.intelligence`), or why there is none."""
    from artgen.errors import ArtgenError
    from artgen.intelligence import intelligence_curve

    try:
        c = intelligence_curve(model, data)
    except ArtgenError as err:  # classes the collection's dataset does not have
        return {"error": str(err)}
    return {
        "growth": list(c.growth),
        "accuracy": [round(float(a), 6) for a in c.accuracy],
        "chance": round(float(c.chance), 6),
        "images": c.images,
        "dataset": c.dataset,
    }


def token_curve(config: CollectionConfig, model: Model, model_bytes: bytes, sha256: str,
                data: Dataset) -> dict[str, Any]:  # fmt: skip
    """The curve of the model as inscribed, computed in the token's job (in parallel, where
    the report would do it one token after another), keyed by the model's hash and data."""
    if config.ord.model_encoding != ORIGINAL:  # float32 inscribes the trained weights exactly
        model = loads_model(model_bytes)
    h, w, _ = model.input_shape
    if data.size != (h, w):
        return {}  # measured by the report at the model's own size
    return {
        "sha256": sha256,
        "dataset_key": dataset_key(config.dataset),
        "value": curve_data(model, data),
    }


def warm(spec: MintSpec) -> None:
    """Load what every token job needs: the trainer's and the renderer's modules, the dataset
    (a process pool forked afterwards starts with them)."""
    import artgen.render  # noqa: F401
    import artgen.scene  # noqa: F401
    import artgen.training  # noqa: F401

    dataset_for(spec.config.dataset)


def cpu_seconds() -> float:
    """CPU time of this process and of its children that ended (ffmpeg), user and system."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def mint_token(spec: MintSpec, traits: Traits) -> TokenOutput:
    """Train, render and describe one token; writes nothing."""
    from artgen.training import blas_threads

    from .allocator import keep_freed_memory

    started = cpu_seconds()
    keep_freed_memory()
    counted_crash_point("job")
    with blas_threads(1):  # one core per job, inline too (pool workers also have it by env)
        model, accuracy, data, print_ = train_token(spec, traits)
        model_bytes, extra = encoded_model(spec.config, model, accuracy)
        hidden = tuple(traits.hidden_sizes)
        files, names, state = render_token(spec.config, spec.chain, traits, hidden)
    path = layout.model_path(traits.token)
    info = model_info(model, model_bytes, accuracy, data.source, print_) | extra
    with blas_threads(1):
        curve = token_curve(spec.config, model, model_bytes, info["sha256"], data)
    record = {
        "token": traits.token,
        "config_hash": spec.config_hash,
        "traits": traits.to_json(),
        "files": {"model": path, **names},
        "model": info,
        "life": state,
        "upgrades": [],
    }
    if curve:
        record["curve"] = curve  # kept in the resume state for the report, not published
    files = ((path, model_bytes), *files)
    return TokenOutput(traits.token, files, record, cpu_seconds() - started)
