"""Collection config: packaged defaults, then the user's TOML file, then command-line flags.

`load_config` merges the three layers key by key, validates every value (a `ConfigError`
names the file, the dotted field and what was expected) and resolves the rarity tables with
`artgen.tables.with_overrides`. `config_hash` hashes the resolved config, not the file's
bytes, and `dump_config` writes a TOML file that loads back to the same config.
"""

from __future__ import annotations

import hashlib
import json
import os
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from artgen.architecture import SHAPES
from artgen.chain import ACCELERATION_FRAMES, ChainState
from artgen.errors import ConfigError
from artgen.seeding import DRAWS
from artgen.tables import CATEGORICAL, NUMERIC, TRAIT_NAMES, Tables, with_overrides
from artgen.traits import KERAS_ACTIVATIONS, NODE_FILLS, NODE_SHAPES

from . import parsers as p
from .parsers import Bad, Parser

DEFAULT_SOURCE = "collection/default.toml"
RARITY_MODES = ("weighted", "exact")
FORMATS = ("png", "svg", "pdf", "gif", "mp4", "html")  # html: the art inscription
COMMAND_LINE = "command line"


@dataclass(frozen=True)
class DatasetConfig:
    """Training data: "default" or an absolute folder/ZIP path; input size; images per class."""

    source: str
    image_size: tuple[int, int]
    per_class: int | None


@dataclass(frozen=True)
class RenderConfig:
    """Still sizes (px), output formats, preview frames per second and seconds, thumbnail px."""

    sizes: tuple[int, ...]
    formats: tuple[str, ...]
    fps: int
    seconds: float
    thumbnail_size: int


@dataclass(frozen=True)
class MomentConfig:
    """The moment portraits are drawn for: explicit time and fee rate, or a chain source."""

    time: float | None
    fee_rate: float | None
    chain: str | None

    def chain_state(self) -> ChainState:
        """The block this moment names (explicit values replace the chain source's)."""
        from artgen.chain import resolve

        return resolve(self.chain, time=self.time, fee_rate=self.fee_rate)


@dataclass(frozen=True)
class OrdConfig:
    """Inscription estimates: fee rate (sat/vB) and postage (sats per inscription)."""

    fee_rate: float
    postage: int


@dataclass(frozen=True)
class CollectionConfig:
    """A resolved collection config; `source` (where it was read) is not part of its hash."""

    name: str
    description: str
    size: int
    seed: int | str
    rarity: str
    base_uri: str
    dataset: DatasetConfig
    render: RenderConfig
    moment: MomentConfig
    ord: OrdConfig
    tables: Tables
    source: str = field(default=DEFAULT_SOURCE, compare=False)

    def to_json(self) -> dict[str, Any]:
        """The resolved config as JSON-ready data (what `config_hash` hashes)."""
        return {
            "collection": {
                "name": self.name,
                "description": self.description,
                "size": self.size,
                "seed": self.seed,
                "rarity": self.rarity,
                "base_uri": self.base_uri,
            },
            "dataset": {
                "source": self.dataset.source,
                "image_size": list(self.dataset.image_size),
                "per_class": self.dataset.per_class,
            },
            "render": {
                "sizes": list(self.render.sizes),
                "formats": list(self.render.formats),
                "fps": self.render.fps,
                "seconds": self.render.seconds,
                "thumbnail_size": self.render.thumbnail_size,
            },
            "moment": {
                "time": self.moment.time,
                "fee_rate": self.moment.fee_rate,
                "chain": self.moment.chain,
            },
            "ord": {"fee_rate": self.ord.fee_rate, "postage": self.ord.postage},
            "tables": tables_json(self.tables),
        }


def tables_json(tables: Tables) -> dict[str, Any]:
    """Resolved tables in the TOML layout of artgen/data/tables.toml."""
    out: dict[str, Any] = {}
    for t in tables.categorical:
        out[t.name] = {"values": list(t.values), "weights": list(t.weights)}
    for n in tables.numeric:
        out[n.name] = {
            "min": n.lo,
            "max": n.hi,
            "sigmoid_min": n.sigmoid_lo,
            "sigmoid_max": n.sigmoid_hi,
        }
    out["life_cycle_days"] = dict(tables.life_cycle_days)
    out["birth_year_history"] = {str(y): text for y, text in tables.birth_year_history}
    return out


def config_hash(config: CollectionConfig) -> str:
    """SHA-256 (hex) of the canonical JSON of the resolved config."""
    text = json.dumps(config.to_json(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_SECTIONS: dict[str, dict[str, Parser]] = {
    "collection": {
        "name": p.text(),
        "description": p.text(empty=True),
        "size": p.whole(1),
        "seed": p.seed,
        "rarity": p.choice(RARITY_MODES),
        "base_uri": p.text(empty=True),
    },
    "dataset": {
        "source": p.text(),
        "image_size": p.listed(p.whole(1), "whole numbers >= 1 ([height, width])", length=2),
        "per_class": p.whole(1),
    },
    "render": {
        "sizes": p.listed(p.whole(1), "pixel sizes (whole numbers >= 1)"),
        "formats": p.listed(p.choice(FORMATS), f"formats among {', '.join(FORMATS)}"),
        "fps": p.whole(1),
        "seconds": p.number(positive=True),
        "thumbnail_size": p.whole(1),
    },
    "moment": {"time": p.moment_time, "fee_rate": p.number(positive=False), "chain": p.text()},
    "ord": {"fee_rate": p.number(positive=True), "postage": p.whole(1)},
}
_OPTIONAL = {
    ("dataset", "per_class"),
    ("moment", "time"),
    ("moment", "fee_rate"),
    ("moment", "chain"),
}
_TABLE_KEYS = {name: ("values", "weights") for name in CATEGORICAL} | {
    name: ("min", "max", "sigmoid_min", "sigmoid_max") for name in NUMERIC
}
_TABLE_NAMES = (*TRAIT_NAMES, "life_cycle_days", "birth_year_history")
# Values the engine gives a meaning to (node shape, fill, pace, ...); other tables are free.
_KNOWN_VALUES: dict[str, tuple[str, ...]] = {
    "Paper Pattern": ("Plain", "Dotted", "Squared"),
    "Hardware Acceleration": tuple(ACCELERATION_FRAMES),
    "Dataset": tuple(NODE_FILLS),
    "Deep Learning Framework": tuple(NODE_SHAPES),
    "Network Architecture": SHAPES,
    "Activation Function": tuple(KERAS_ACTIVATIONS),
}


@cache
def _defaults() -> dict[str, Any]:
    text = resources.files("collection").joinpath("default.toml").read_text("utf-8")
    return tomllib.loads(text)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except OSError as err:
        raise ConfigError(
            f"cannot read the file: {err.strerror or err}", source=str(path)
        ) from None
    except UnicodeDecodeError:
        raise ConfigError("not UTF-8 text", source=str(path)) from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"not valid TOML ({err})", source=str(path)) from None


def _check_keys(user: dict[str, Any], source: str) -> None:
    known = (*_SECTIONS, "tables")
    for section, body in user.items():
        if section not in known:
            raise ConfigError(
                f"unknown section; known: {', '.join(known)}", source=source, field=section
            )
        if not isinstance(body, dict):
            raise ConfigError("expected a table ([section])", source=source, field=section)
        if section == "tables":
            _check_table_keys(body, source)
            continue
        for key in body:
            if key not in _SECTIONS[section]:
                keys = ", ".join(_SECTIONS[section])
                raise ConfigError(
                    f"unknown key; known: {keys}", source=source, field=f"{section}.{key}"
                )


def _check_table_keys(tables: dict[str, Any], source: str) -> None:
    for name, table in tables.items():
        where = f"tables.{name}"
        if name not in _TABLE_NAMES:
            raise ConfigError(
                f"unknown table; known: {', '.join(_TABLE_NAMES)}", source=source, field=where
            )
        if not isinstance(table, dict):
            raise ConfigError("expected a table", source=source, field=where)
        for key in table:
            if name in _TABLE_KEYS and key not in _TABLE_KEYS[name]:
                known = ", ".join(_TABLE_KEYS[name])
                raise ConfigError(
                    f"unknown key; known: {known}", source=source, field=f"{where}.{key}"
                )


def load_config(
    path: str | os.PathLike | None = None,
    *,
    size: int | None = None,
    seed: int | str | None = None,
) -> CollectionConfig:
    """Packaged defaults, then the TOML file at `path` (if any), then `size` and `seed` flags."""
    user = _read_toml(Path(path)) if path is not None else {}
    source = str(path) if path is not None else DEFAULT_SOURCE
    _check_keys(user, source)
    values: dict[str, dict[str, Any]] = {}
    for section, section_parsers in _SECTIONS.items():
        merged = {**_defaults().get(section, {}), **user.get(section, {})}
        out: dict[str, Any] = {}
        for key, parse in section_parsers.items():
            if key not in merged:
                if (section, key) not in _OPTIONAL:
                    raise ConfigError("expected a value", source=source, field=f"{section}.{key}")
                out[key] = None
                continue
            origin = source if key in user.get(section, {}) else DEFAULT_SOURCE
            out[key] = _parse(parse, merged[key], origin, f"{section}.{key}")
        values[section] = out
    for key, flag in (("size", size), ("seed", seed)):
        if flag is not None:
            parse = _SECTIONS["collection"][key]
            values["collection"][key] = _parse(parse, flag, COMMAND_LINE, f"collection.{key}")
    data = values["dataset"]
    relative = data["source"] != "default" and not os.path.isabs(data["source"])
    if path is not None and relative and "source" in user.get("dataset", {}):
        # a relative dataset path is relative to the folder of the file that names it
        data["source"] = os.path.normpath(Path(path).parent.absolute() / data["source"])
    table_source = source if user.get("tables") else DEFAULT_SOURCE
    c = values["collection"]
    return CollectionConfig(
        name=c["name"],
        description=c["description"],
        size=c["size"],
        seed=c["seed"],
        rarity=c["rarity"],
        base_uri=c["base_uri"],
        dataset=DatasetConfig(data["source"], tuple(data["image_size"]), data["per_class"]),
        render=RenderConfig(**values["render"]),
        moment=MomentConfig(**values["moment"]),
        ord=OrdConfig(**values["ord"]),
        tables=_tables(user.get("tables", {}), table_source),
        source=source,
    )


def _parse(parse: Parser, value: Any, source: str, where: str) -> Any:
    try:
        return parse(value)
    except Bad as bad:
        raise ConfigError(
            f"expected {bad}, got {_show(value)}", source=source, field=where
        ) from None


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _tables(overrides: dict[str, Any], source: str) -> Tables:
    """The default tables with the config's overrides, checked against what the engine knows."""
    try:
        tables = with_overrides(overrides, source=source)
    except ConfigError as err:
        where = f"tables.{err.field}" if err.field else "tables"
        raise ConfigError(err.detail, source=source, field=where) from None

    def fail(name: str, message: str) -> ConfigError:
        return ConfigError(message, source=source, field=f"tables.{name}")

    from palettes import all_palettes

    for t in tables.categorical:
        if t.name == "Birth Year":
            if any(isinstance(v, bool) or not isinstance(v, int) for v in t.values):
                raise fail(f"{t.name}.values", "expected whole-number years")
            continue
        if any(not isinstance(v, str) or not v.strip() for v in t.values):
            raise fail(f"{t.name}.values", "expected non-empty strings")
        known = tuple(all_palettes()) if t.name == "Color Palette" else _KNOWN_VALUES.get(t.name)
        unknown = [v for v in t.values if known is not None and v not in known]
        if unknown:
            what = "palette" if t.name == "Color Palette" else "value"
            raise fail(
                f"{t.name}.values", f"unknown {what} {unknown[0]!r}; known: {', '.join(known)}"
            )
    layers, neurons = tables["Hidden Layers"], tables["Max Neurons Per Hidden Layer"]
    if max(layers.hi, layers.sigmoid_hi) > DRAWS - 1:  # type: ignore[union-attr]
        raise fail("Hidden Layers", f"expected at most {DRAWS - 1} hidden layers")
    if min(neurons.lo, neurons.sigmoid_lo) < 2:  # type: ignore[union-attr]
        raise fail("Max Neurons Per Hidden Layer", "expected at least 2 neurons per layer")
    if any(not days > 0 for _, days in tables.life_cycle_days):
        raise fail("life_cycle_days", "expected days > 0")
    return tables


# --- writing the resolved config ------------------------------------------------------------


def _toml_key(key: str) -> str:
    bare = key and all(ch.isascii() and (ch.isalnum() or ch in "_-") for ch in key)
    return key if bare else json.dumps(key, ensure_ascii=False)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def dump_config(config: CollectionConfig) -> str:
    """The resolved config as TOML text; `load_config` of it gives an equal config."""
    data = config.to_json()
    lines = [
        "# A resolved Perceptrons collection config (defaults, file and flags merged).",
        f"# config hash: {config_hash(config)}",
    ]
    for section, body in data.items():
        tables = body.items() if section == "tables" else [(None, body)]
        for name, table in tables:
            header = section if name is None else f"{section}.{_toml_key(name)}"
            lines += ["", f"[{header}]"]
            lines += [
                f"{_toml_key(k)} = {_toml_value(v)}" for k, v in table.items() if v is not None
            ]
    return "\n".join(lines) + "\n"
