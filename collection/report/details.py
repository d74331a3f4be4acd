"""Each minted token's page data: its model, intelligence curve, answers on the demo images,
inscription status and upgrade history.

The curve (held-out accuracy at growth 0, 0.1, ..., 1 on the collection's own dataset, the
trainer's split) takes about a tenth of a second a token, so the mint measures it in each
token's job (in parallel) and keeps it in the token's record; the site takes it from there
when the record's model hash is the token's, else from its own cache by model hash and
dataset, and computes it only for models neither has (an upgraded one, an old collection).
The answers are the token's network, with the neurons alive at the collection's moment, on
the demo's unseen images (`collection.showcase.write_samples`), read as the showcase reads
them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from artgen.classify import classify_pixels
from artgen.errors import ArtgenError
from artgen.images import load_image
from artgen.lifecycle import life_state
from artgen.model import Model, load_model

from ..config import CollectionConfig
from .source import MintedFiles, batch_of, inscription_status, real_ids


def _r(x: float) -> float:
    return round(float(x), 6)


class DetailMaker:
    """Builds token details for one collection, loading its dataset once (when a model needs it)."""

    def __init__(self, config: CollectionConfig, files: MintedFiles, samples: list[Path], cache):
        self.config, self.files, self.samples, self.cache = config, files, samples, cache
        self.real = real_ids(files.inscribed)
        self.batches = batch_of(files.batches)
        self._data = None
        self._sized: dict[tuple[int, int], object] = {}
        self._pixels: dict[tuple[int, int], list] = {}
        from ..mint.token import dataset_key

        self.dataset_key = dataset_key(config.dataset)

    def _dataset(self, h: int, w: int):
        """The collection's dataset at h x w (resized once per size, like an upgrade's check)."""
        if (h, w) not in self._sized:
            if self._data is None:
                from ..mint.token import dataset_for

                self._data = dataset_for(self.config.dataset)[0]
            data = self._data
            if data.size != (h, w):
                from artgen.datasets import resize_batch

                data = dataclasses.replace(data, images=resize_batch(data.images, h, w))
            self._sized[(h, w)] = data
        return self._sized[(h, w)]

    def curve(self, model: Model, sha256: str, token: int) -> dict:
        from ..mint.finalize import read_record
        from ..mint.token import curve_data

        key = f"{sha256}|{self.dataset_key}" if sha256 else None
        kept = (read_record(self.files.root, token) or {}).get("curve") or {}
        if key and f"{kept.get('sha256')}|{kept.get('dataset_key')}" == key:
            value = kept.get("value")
            if isinstance(value, dict):
                return value
        cached = self.cache.get("curves", key) if key else None
        if cached is not None:
            return cached
        h, w, _ = model.input_shape
        value = curve_data(model, self._dataset(h, w))
        if key:
            self.cache.put("curves", key, value)
        return value

    def answers(self, model: Model, life) -> list[dict]:
        h, w, _ = model.input_shape
        if (h, w) not in self._pixels:
            self._pixels[(h, w)] = [load_image(p, h, w) for p in self.samples]
        out = []
        for path, pixels in zip(self.samples, self._pixels[(h, w)], strict=True):
            a = classify_pixels(model, pixels, life.neuron_life)
            out.append(
                {
                    "image": path.name,
                    "top": a.top,
                    "confidence": _r(a.confidence),
                    "phrase": a.phrase,
                    "probabilities": {k: _r(v) for k, v in a.probabilities.items()},
                }
            )
        return out

    def status(self, meta: dict) -> dict:
        ids = meta.get("inscriptions") or {}
        return {kind: inscription_status(i, self.real, self.batches) for kind, i in ids.items()}

    def token(self, token: int) -> dict:
        """The page data of one token (its metadata already read)."""
        meta = self.files.metadata[token]
        attrs = {a["trait_type"]: a["value"] for a in meta.get("attributes", [])}
        info = dict(meta.get("model") or {})
        out = {
            "name": meta.get("name"),
            "stage": meta.get("stage"),
            "hidden_layers": meta.get("hidden_layers"),
            "history": meta.get("birth_year_history"),
            "model": info,
            "inscriptions": self.status(meta),
            "upgrades": meta.get("upgrades", []),
            "files": meta.get("files", {}),
            "image": meta.get("image"),
        }
        path = self.files.root / info["file"] if info.get("file") else None
        if path is None or not path.is_file():
            out["problem"] = "no model file"
            return out
        try:
            model = load_model(path)
        except ArtgenError as err:
            out["problem"] = str(err)
            return out
        life = life_state(
            seed=self.config.seed,
            token=token,
            birth_year=int(attrs["Birth Year"]),
            life_cycle=attrs["Life Cycle"],
            hidden_sizes=model.hidden_sizes,
            time=self.files.moment.time,
            tables=self.config.tables,
        )
        out["curve"] = self.curve(model, info.get("sha256") or "", token)
        out["growth"] = _r(life.growth)
        out["answers"] = self.answers(model, life)
        return out


def token_details(
    maker: DetailMaker, tokens: list[int], step: Callable[[], None] | None = None
) -> dict[int, dict]:
    """Page data of every token, in token order."""
    out = {}
    for t in tokens:
        out[t] = maker.token(t)
        if step is not None:
            step()
    return out
