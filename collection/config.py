"""Collection config: packaged defaults, then the user's TOML file, then command-line flags.

The schema has one home: the dataclasses below, whose fields are the keys, each with the
parser that says what it allows (`setting`, collected in `SCHEMA`); the tables' layout is
`artgen.tables`'. Loading, the JSON that `config_hash` hashes and `dump_config`'s TOML are
derived from them, and a test holds collection/default.toml (every key, with an "allowed:"
line in its parser's words) and the values the engine knows (`known_values`) to them.

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
from dataclasses import dataclass, field, fields
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from artgen import limits
from artgen.architecture import MIN_UNITS, SHAPES
from artgen.chain import ACCELERATION_FRAMES, ChainState, source_label
from artgen.errors import ConfigError
from artgen.inputs import read_bytes
from artgen.model_encoding import WEIGHT_ENCODINGS
from artgen.seeding import DRAWS
from artgen.tables import Tables, with_overrides
from artgen.traits import KERAS_ACTIVATIONS, NODE_FILLS, NODE_SHAPES

from . import parsers as p
from .parsers import Bad, Parser

DEFAULT_SOURCE = "collection/default.toml"
COMMAND_LINE = "command line"
RARITY_MODES = ("weighted", "exact")
STILL_FORMATS = ("png", "svg", "pdf")
#: Animated previews, in the order a token's metadata prefers one for its `animation_url`:
#: MP4 (H.264) is what every marketplace plays there (OpenSea's animation_url takes MP4, WEBM,
#: ...: neither GIF nor WebP; ord serves MP4 only as H.264), then WebP, then GIF.
PREVIEW_FORMATS = ("mp4", "webp", "gif")
ART_FORMATS = ("html",)  # the art inscription: a shared engine and each token's HTML
FORMATS = STILL_FORMATS + PREVIEW_FORMATS + ART_FORMATS
MAX_HIDDEN_LAYERS = DRAWS - 1  # the architecture draws one uniform per layer, and one more
MIN_NEURONS = MIN_UNITS  # per hidden layer: no architecture makes a smaller one


def setting(parse: Parser, *, optional: bool = False) -> Any:
    """A config key: a dataclass field with its parser (what the key accepts) and whether
    it may be left unset. The config's dataclasses are its schema (`SCHEMA`)."""
    return field(metadata={"parse": parse, "optional": optional})


@dataclass(frozen=True)
class DatasetConfig:
    """Training data: "default" or an absolute folder/ZIP path; input size; images per class."""

    source: str = setting(p.text())
    image_size: tuple[int, int] = setting(
        p.listed(
            p.within(limits.INPUT_SIDE),
            f"whole numbers from {limits.INPUT_SIDE.describe()} ([height, width])",
            length=2,
        )
    )
    per_class: int | None = setting(p.whole(1), optional=True)


@dataclass(frozen=True)
class RenderConfig:
    """Still sizes (px), output formats, preview frames per second and seconds, thumbnail px."""

    sizes: tuple[int, ...] = setting(
        p.listed(p.within(limits.PORTRAIT_PX), f"sizes from {limits.PORTRAIT_PX.describe()}")
    )
    formats: tuple[str, ...] = setting(p.subset(FORMATS))
    fps: int = setting(p.within(limits.FPS))
    seconds: float = setting(p.number(positive=True))
    thumbnail_size: int = setting(p.within(limits.PORTRAIT_PX))


@dataclass(frozen=True)
class MomentConfig:
    """The moment portraits are drawn for: explicit time and fee rate, or a chain source."""

    time: float | None = setting(p.moment_time, optional=True)
    fee_rate: float | None = setting(p.number(positive=False), optional=True)
    chain: str | None = setting(p.chain_source, optional=True)

    def chain_state(self) -> ChainState:
        """The block this moment names (explicit values replace the chain source's)."""
        from artgen.chain import resolve

        return resolve(self.chain, time=self.time, fee_rate=self.fee_rate)


@dataclass(frozen=True)
class OrdConfig:
    """Inscriptions: fee rate (sat/vB) and postage (sats per inscription) of the estimates;
    batches for `ord wallet batch --compress`; the models' weight encoding; the collection's
    parent ("cover", "metadata", "none" or an inscription id); a gallery inscription."""

    fee_rate: float = setting(p.number(positive=True))
    postage: int = setting(p.whole(1))
    compress: bool = setting(p.flag)
    model_encoding: str = setting(p.choice(WEIGHT_ENCODINGS))
    parent: str = setting(p.parent)
    gallery: bool = setting(p.flag)


@dataclass(frozen=True)
class CollectionConfig:
    """A resolved collection config; `source` (where it was read) is not part of its hash.

    Its [collection] keys are its own fields; each other section is a dataclass of its own.
    """

    name: str = setting(p.text())
    description: str = setting(p.text(empty=True))
    size: int = setting(p.within(limits.TOKENS))
    seed: int | str = setting(p.seed)
    rarity: str = setting(p.choice(RARITY_MODES))
    base_uri: str = setting(p.text(empty=True))
    dataset: DatasetConfig = field(kw_only=True)
    render: RenderConfig = field(kw_only=True)
    moment: MomentConfig = field(kw_only=True)
    ord: OrdConfig = field(kw_only=True)
    tables: Tables = field(kw_only=True)
    source: str = field(default=DEFAULT_SOURCE, compare=False, kw_only=True)

    def section(self, name: str) -> Any:
        """The dataclass holding section `name`'s keys (this config for [collection])."""
        return self if name == "collection" else getattr(self, name)

    def to_json(self) -> dict[str, Any]:
        """The resolved config as JSON-ready data (what `config_hash` hashes, and
        collection.toml holds). A chain source's password is masked: collection.toml is a
        file of the collection, and a collection is made to be published."""
        out: dict[str, Any] = {}
        for name, keys in SCHEMA.items():
            values = self.section(name)
            out[name] = {key: _json_value(getattr(values, key)) for key in keys}
        if out["moment"].get("chain") is not None:
            out["moment"]["chain"] = source_label(out["moment"]["chain"])
        out["tables"] = self.tables.to_raw()
        return out


def _json_value(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _settings(cls: type) -> dict[str, Any]:
    return {f.name: f for f in fields(cls) if "parse" in f.metadata}


#: The schema, section -> key -> dataclass field (its metadata: parse, optional), in the order
#: of collection/default.toml; [tables] is read by `artgen.tables.with_overrides`.
SCHEMA: dict[str, dict[str, Any]] = {
    "collection": _settings(CollectionConfig),
    "dataset": _settings(DatasetConfig),
    "render": _settings(RenderConfig),
    "moment": _settings(MomentConfig),
    "ord": _settings(OrdConfig),
}
SECTION_TYPES = {"dataset": DatasetConfig, "render": RenderConfig, "moment": MomentConfig,
                 "ord": OrdConfig}  # fmt: skip


def config_hash(config: CollectionConfig) -> str:
    """SHA-256 (hex) of the canonical JSON of the resolved config."""
    text = json.dumps(config.to_json(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def known_values() -> dict[str, tuple[str, ...]]:
    """Table values the engine gives a meaning to (palette, node shape, fill, pace, ...): a
    table of these traits may hold no other value. The other tables are free."""
    from palettes import all_palettes

    return {
        "Color Palette": tuple(all_palettes()),
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
    """The TOML file at `path`: a regular file within `limits.CONFIG_BYTES`, UTF-8."""
    data = read_bytes(path, limits.CONFIG_BYTES, ConfigError)
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError("not UTF-8 text", source=str(path)) from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"not valid TOML ({err})", source=str(path)) from None
    except RecursionError:
        raise ConfigError("not valid TOML (nested too deeply)", source=str(path)) from None


def _check_keys(user: dict[str, Any], source: str) -> None:
    known = (*SCHEMA, "tables")
    for section, body in user.items():
        if section not in known:
            raise ConfigError(
                f"unknown section; known: {', '.join(known)}", source=source, field=section
            )
        if not isinstance(body, dict):
            raise ConfigError("expected a table ([section])", source=source, field=section)
        for key in body if section != "tables" else ():  # tables: artgen.tables checks them
            if key not in SCHEMA[section]:
                keys = ", ".join(SCHEMA[section])
                raise ConfigError(
                    f"unknown key; known: {keys}", source=source, field=f"{section}.{key}"
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
    for section, settings in SCHEMA.items():
        merged = {**_defaults().get(section, {}), **user.get(section, {})}
        out: dict[str, Any] = {}
        for key, setting_ in settings.items():
            if key not in merged:
                if not setting_.metadata["optional"]:
                    raise ConfigError("expected a value", source=source, field=f"{section}.{key}")
                out[key] = None
                continue
            origin = source if key in user.get(section, {}) else DEFAULT_SOURCE
            out[key] = _parse(setting_.metadata["parse"], merged[key], origin, f"{section}.{key}")
        values[section] = out
    for key, flag in (("size", size), ("seed", seed)):
        if flag is not None:
            parse = SCHEMA["collection"][key].metadata["parse"]
            values["collection"][key] = _parse(parse, flag, COMMAND_LINE, f"collection.{key}")
    data = values["dataset"]
    relative = data["source"] != "default" and not os.path.isabs(data["source"])
    if path is not None and relative and "source" in user.get("dataset", {}):
        # a relative dataset path is relative to the folder of the file that names it
        data["source"] = os.path.normpath(Path(path).parent.absolute() / data["source"])
    table_source = source if user.get("tables") else DEFAULT_SOURCE
    sections = {name: cls(**values[name]) for name, cls in SECTION_TYPES.items()}
    _check_previews(sections["render"], source if "render" in user else DEFAULT_SOURCE)
    _check_budgets(sections, source)
    return CollectionConfig(
        **values["collection"],
        **sections,
        tables=_tables(user.get("tables", {}), table_source),
        source=source,
    )


def _check_previews(render: RenderConfig, source: str) -> None:
    """A GIF's delays are whole hundredths of a second: refuse a rate it cannot play before
    any token is trained, not at the first preview. (An MP4's sides must be even: previews
    are drawn at the first still size made even.)"""
    from artgen.animation.gif import GIF_FPS

    if "gif" in render.formats and render.fps not in GIF_FPS:
        rates = ", ".join(map(str, GIF_FPS))
        message = f'expected one of {rates} with "gif" in render.formats, got {render.fps}'
        raise ConfigError(message, source=source, field="render.fps")


def _check_budgets(sections: dict[str, Any], source: str) -> None:
    """Budgets that join two keys (`artgen.limits`), before any work: a preview's frames
    (fps x seconds) and the default dataset's decoded size (per_class)."""
    render, dataset = sections["render"], sections["dataset"]
    frames = round(render.fps * render.seconds)
    limits.FRAMES.check(frames, source=source, field="render.seconds", error=ConfigError)
    if dataset.per_class is not None:
        from artgen.datasets.procedural import CLASS_NAMES

        h, w = dataset.image_size
        decoded = len(CLASS_NAMES) * dataset.per_class * h * w * 3
        limits.DATASET_BYTES.check(
            decoded, source=source, field="dataset.per_class", error=ConfigError
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

    meanings = known_values()
    for t in tables.categorical:
        if t.name == "Birth Year":
            if any(isinstance(v, bool) or not isinstance(v, int) for v in t.values):
                raise fail(f"{t.name}.values", "expected whole-number years")
            for v in t.values:
                limits.BIRTH_YEAR.check(
                    v, source=source, field=f"tables.{t.name}.values", error=ConfigError
                )
            continue
        if any(not isinstance(v, str) or not v.strip() for v in t.values):
            raise fail(f"{t.name}.values", "expected non-empty strings")
        known = meanings.get(t.name)
        unknown = [v for v in t.values if known is not None and v not in known]
        if unknown:
            what = "palette" if t.name == "Color Palette" else "value"
            raise fail(
                f"{t.name}.values", f"unknown {what} {unknown[0]!r}; known: {', '.join(known)}"
            )
    layers, neurons = tables["Hidden Layers"], tables["Max Neurons Per Hidden Layer"]
    if max(layers.hi, layers.sigmoid_hi) > MAX_HIDDEN_LAYERS:  # type: ignore[union-attr]
        raise fail("Hidden Layers", f"expected at most {MAX_HIDDEN_LAYERS} hidden layers")
    if min(neurons.lo, neurons.sigmoid_lo) < MIN_NEURONS:  # type: ignore[union-attr]
        message = f"expected at least {MIN_NEURONS} neurons per layer"
        raise fail("Max Neurons Per Hidden Layer", message)
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
