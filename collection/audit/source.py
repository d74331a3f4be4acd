"""What an audit reads: the sampler's columns, or a minted collection's folder.

A minted collection folder holds `collection.toml` (the resolved config), `metadata/<token>.json`
(OpenSea style: `attributes` with `trait_type` and `value` for the twelve traits) and the
stills (`thumbnails/<token>.png` when the minter made them, else `images/<token>.png`).
Either way the audit sees one `TraitColumn` per trait.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from artgen import limits
from artgen.errors import ArtgenError
from artgen.jsontext import read_json
from artgen.tables import TRAIT_NAMES, Categorical, NumericRange, Tables
from artgen.wording import counted

from ..config import CollectionConfig, load_config
from ..sampling import collection_columns


class AuditError(ArtgenError):
    """A minted collection folder that cannot be audited."""


@dataclass(frozen=True)
class TraitColumn:
    """One trait over the audited tokens: `codes[i]` indexes `values`.

    `values` holds the table's values first (numeric traits: every value of either range,
    ascending), then any value found in the collection that the table does not have.
    """

    name: str
    values: tuple
    codes: np.ndarray
    known: int

    def counts(self) -> np.ndarray:
        return np.bincount(self.codes, minlength=len(self.values))


@dataclass(frozen=True)
class AuditInput:
    """Tokens to audit: ids, trait columns, stills (minted only) and problems found reading."""

    config: CollectionConfig
    origin: str  # "sampler" or the collection folder
    tokens: np.ndarray
    columns: tuple[TraitColumn, ...]
    images: dict[int, Path]
    problems: tuple[str, ...]


def table_values(tables: Tables, name: str) -> tuple:
    """A trait's possible values: a categorical table's values, or both numeric ranges' values."""
    table = tables[name]
    if isinstance(table, Categorical):
        return table.values
    assert isinstance(table, NumericRange)
    lo, hi = table.bounds(False)
    slo, shi = table.bounds(True)
    return tuple(sorted(set(range(lo, hi + 1)) | set(range(slo, shi + 1))))


def from_sampler(config: CollectionConfig) -> AuditInput:
    """The collection the sampler makes for `config` (no stills)."""
    raw = collection_columns(config)
    columns = []
    for name in TRAIT_NAMES:
        values = table_values(config.tables, name)
        if isinstance(config.tables[name], Categorical):
            codes = raw[name].astype(np.int64)
        else:
            codes = np.searchsorted(np.asarray(values), raw[name]).astype(np.int64)
        columns.append(TraitColumn(name, values, codes, len(values)))
    tokens = np.arange(config.size, dtype=np.int64)
    return AuditInput(config, "sampler", tokens, tuple(columns), {}, ())


def _label(value, numeric: bool):
    """A metadata value as the table spells it: whole numbers for numeric traits and years."""
    if numeric and isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value.strip())
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _read_metadata(path: Path) -> dict:
    data = read_json(path, limits.RECORD_BYTES, AuditError)  # strict JSON, a regular file
    attrs = data.get("attributes") if isinstance(data, dict) else None
    if not isinstance(attrs, list):
        raise AuditError(
            "expected a list of {trait_type, value}", source=str(path), field="attributes"
        )
    out = {}
    for a in attrs:
        if isinstance(a, dict) and "trait_type" in a and "value" in a:
            out[a["trait_type"]] = a["value"]
    missing = [name for name in TRAIT_NAMES if name not in out]
    if missing:
        raise AuditError(
            f"missing traits: {', '.join(missing)}", source=str(path), field="attributes"
        )
    return {"attributes": out, "image": data.get("image")}


def from_minted(folder: str | os.PathLike) -> AuditInput:
    """A minted collection: its resolved config, its metadata and its stills."""
    root = Path(folder)
    if not root.is_dir():
        raise AuditError("not a folder", source=str(root))
    config_path = root / "collection.toml"
    if not config_path.is_file():
        raise AuditError("no collection.toml: is this a minted collection?", source=str(root))
    config = load_config(config_path)
    meta_dir = root / "metadata"
    files = {}
    for p in meta_dir.glob("*.json") if meta_dir.is_dir() else ():
        if re.fullmatch(r"\d+", p.stem):
            files[int(p.stem)] = p
    if not files:
        raise AuditError("no metadata/<token>.json files", source=str(root))
    tokens = np.asarray(sorted(files), dtype=np.int64)
    problems = []
    missing = sorted(set(range(config.size)) - set(files))
    if missing:
        shown = ", ".join(map(str, missing[:20])) + (" ..." if len(missing) > 20 else "")
        verb = "has" if len(missing) == 1 else "have"
        problems.append(f"{len(missing)} of {config.size} tokens {verb} no metadata: {shown}")
    extra = [t for t in files if t >= config.size]
    if extra:
        verb = "lies" if len(extra) == 1 else "lie"
        problems.append(
            f"{counted(len(extra), 'metadata file')} {verb} beyond the size {config.size}"
        )
    raw = {name: [] for name in TRAIT_NAMES}
    images: dict[int, Path] = {}
    for t in tokens.tolist():
        meta = _read_metadata(files[t])
        for name in TRAIT_NAMES:
            raw[name].append(meta["attributes"][name])
        still = _still_path(root, t, meta["image"])
        if still is not None:
            images[t] = still
    if len(images) < len(tokens):
        stillless = len(tokens) - len(images)
        problems.append(
            f"{counted(stillless, 'token')} {'has' if stillless == 1 else 'have'} no raster still "
            "(images/<token>.png or thumbnails/<token>.png)"
        )
    columns = tuple(_column(config.tables, name, raw[name]) for name in TRAIT_NAMES)
    return AuditInput(config, str(root), tokens, columns, images, tuple(problems))


RASTER = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp")


def _still_path(root: Path, token: int, image) -> Path | None:
    """The token's raster still: thumbnails/<t>.png (the minter's small still: the same
    picture, much quicker to read), images/<t>.png, or the metadata's relative `image`."""
    candidates = [root / "thumbnails" / f"{token}.png", root / "images" / f"{token}.png"]
    if isinstance(image, str) and "://" not in image and not os.path.isabs(image):
        candidates.append(root / image)
    for path in candidates:
        inside = path.resolve().is_relative_to(root.resolve())
        if inside and path.suffix.lower() in RASTER and path.is_file():
            return path
    return None


def _column(tables: Tables, name: str, raw: list) -> TraitColumn:
    values = list(table_values(tables, name))
    numeric = not isinstance(tables[name], Categorical) or name == "Birth Year"
    index = {v: i for i, v in enumerate(values)}
    codes = np.empty(len(raw), dtype=np.int64)
    for i, v in enumerate(raw):
        label = _label(v, numeric)
        plain = isinstance(label, int | str) and not isinstance(label, bool)
        key = label if plain else json.dumps(label)
        if key not in index:
            index[key] = len(values)
            values.append(key)
        codes[i] = index[key]
    known = len(table_values(tables, name))
    return TraitColumn(name, tuple(values), codes, known)
