"""What to train: a token's own recipe from its traits, and the original trainer's config format.

`traits_config` is the one way traits become a TrainConfig, for `artgen train`, `artgen
inscription` and the minter alike; it names the model after its token. The original trainer
(generative-xyz/perceptron-training) read a JSON config with `model_name`, `input_dim` [H, W],
`structure` [units...], `activation_name`, `val_percent`, `batch_size`, `epoch_num`,
`data_augmentation_config` and an optional `class_names` map (SPEC section 5). `load_config`
reads that format; every bad field is a ConfigError naming the file and the field.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .. import jsontext, limits
from ..datasets import DEFAULT_SIZE
from ..datasets.augment import FLIPS, Augmentation
from ..errors import ConfigError
from ..inputs import read_bytes
from ..traits import KERAS_ACTIVATIONS, Traits
from .adam import AdamSettings


@dataclass(frozen=True)
class TrainConfig:
    """What to train: the original trainer's config fields, with Keras's Adam defaults."""

    hidden_sizes: tuple[int, ...]
    activation: str = "ReLU"  # a trait name, a key of KERAS_ACTIVATIONS
    epochs: int = 5
    model_name: str = "perceptron"
    input_hw: tuple[int, int] = DEFAULT_SIZE
    val_percent: float = 10.0
    batch_size: int = 64
    augmentation: Augmentation | None = None
    class_names: tuple[tuple[str, str], ...] = ()  # folder name -> display name
    training_traits: dict | None = field(default=None, compare=False)
    adam: AdamSettings = AdamSettings()

    def traits(self) -> dict:
        """The model's `training_traits`: given ones, or the original's "Custom" record."""
        if self.training_traits is not None:
            return dict(self.training_traits)
        return {
            "structure_gen": "Custom",
            "n_layers": len(self.hidden_sizes),
            "max_nodes": max(self.hidden_sizes, default=0),
            "activation_func": self.activation,
            "epoch_num": self.epochs,
        }


#: The bundled 4-class model, trained by tools/train_default_model.py with this recipe.
DEFAULT_MODEL = Path(__file__).parents[1] / "data" / "default_model.json"
DEFAULT_MODEL_SEED = 0
DEFAULT_MODEL_CONFIG = TrainConfig(
    hidden_sizes=(12, 8), activation="ReLU", epochs=30, model_name="perceptrons_pfp_default"
)


#: The collection a token belongs to when none is named (`artgen train --seed S --token T`):
#: the packaged collection config's name (collection/default.toml), so that command writes the
#: model `artgen mint` writes for token T of a default collection with seed S.
DEFAULT_COLLECTION_NAME = "Perceptrons"


def token_name(collection: str, token: int) -> str:
    """A token's name, "<collection> #<token>": its marketplace name and its model's name."""
    return f"{collection} #{token}"


def traits_config(
    traits: Traits,
    *,
    collection: str = DEFAULT_COLLECTION_NAME,
    input_hw: tuple[int, int] = DEFAULT_SIZE,
) -> TrainConfig:
    """The token's own recipe: its traits' architecture, activation and epochs, on images of
    `input_hw`; the model is named after the token (`token_name`) and records its traits."""
    return TrainConfig(
        hidden_sizes=tuple(traits.hidden_sizes),
        activation=traits.activation,
        epochs=traits.epochs,
        model_name=token_name(collection, traits.token),
        input_hw=(int(input_hw[0]), int(input_hw[1])),
        training_traits=traits.training_traits(),
    )


def _field(doc: dict, key: str, source: str, check: Callable[[object], bool], expected: str):
    if key not in doc:
        raise ConfigError("missing", source=source, field=key)
    value = doc[key]
    if not check(value):
        raise ConfigError(
            f"expected {expected}, found {json.dumps(value)[:40]}", source=source, field=key
        )
    return value


def _is_int(lo: int, hi: int) -> Callable[[object], bool]:
    return lambda v: isinstance(v, int) and not isinstance(v, bool) and lo <= v <= hi


def _in(limit: limits.Limit) -> Callable[[object], bool]:
    return lambda v: isinstance(v, int) and not isinstance(v, bool) and v in limit


def _is_number(lo: float, hi: float) -> Callable[[object], bool]:
    return lambda v: isinstance(v, int | float) and not isinstance(v, bool) and lo <= v <= hi


def _augmentation(doc: object, source: str) -> Augmentation | None:
    key = "data_augmentation_config"
    if doc is None:
        return None
    if not isinstance(doc, dict):
        raise ConfigError("expected null or an object", source=source, field=key)
    flip = _field(
        {"random_flip": "None", **doc},
        "random_flip",
        source,
        lambda v: v in FLIPS,
        f"one of {', '.join(FLIPS)}",
    )
    values = {}
    for name in ("random_rotation", "random_zoom", "random_contrast", "random_brightness"):
        values[name] = float(
            _field({name: 0, **doc}, name, source, _is_number(0, 1), "a number in 0..1")
        )
    return Augmentation(random_flip=flip, **values)


def parse_config(text: str | bytes, source: str = "<config>") -> TrainConfig:
    """The original trainer's config JSON (SPEC section 5) as a TrainConfig; ConfigError if bad."""
    doc = jsontext.parse(text, ConfigError, source)  # strict: no key twice, bounded nesting
    if not isinstance(doc, dict):
        raise ConfigError("expected a JSON object", source=source)
    name = _field(doc, "model_name", source, lambda v: isinstance(v, str) and v != "", "a name")
    hw = _field(
        doc,
        "input_dim",
        source,
        lambda v: isinstance(v, list) and len(v) == 2 and all(_in(limits.INPUT_SIDE)(s) for s in v),
        f"[H, W] with sides from {limits.INPUT_SIDE.describe()}",
    )
    structure = _field(
        doc,
        "structure",
        source,
        lambda v: (
            isinstance(v, list)
            and len(v) in limits.HIDDEN_LAYERS
            and all(_in(limits.NEURONS)(u) for u in v)
        ),
        f"a list of {limits.HIDDEN_LAYERS.describe()}, each of {limits.NEURONS.describe()}",
    )
    activation = _field(
        doc,
        "activation_name",
        source,
        lambda v: v in KERAS_ACTIVATIONS,
        f"one of {', '.join(KERAS_ACTIVATIONS)}",
    )
    val = _field(
        doc,
        "val_percent",
        source,
        lambda v: _is_number(0, 100)(v) and 0 < v < 100,
        "a number in (0, 100)",
    )
    batch = _field(doc, "batch_size", source, _is_int(1, 65536), "an integer in 1..65536")
    epochs = _field(
        doc,
        "epoch_num",
        source,
        _in(limits.EPOCHS),
        f"a whole number from {limits.EPOCHS.describe()}",
    )
    sizes = (hw[0] * hw[1] * 3, *structure)
    weights = sum(a * b + b for a, b in zip(sizes, sizes[1:], strict=False))
    limits.PARAMETERS.check(weights, source=source, field="structure", error=ConfigError)
    augmentation = _augmentation(
        _field(doc, "data_augmentation_config", source, lambda v: True, ""), source
    )
    names = doc.get("class_names") or {}
    if not isinstance(names, dict) or not all(isinstance(v, str) for v in names.values()):
        raise ConfigError(
            "expected an object of folder name -> class name", source=source, field="class_names"
        )
    return TrainConfig(
        hidden_sizes=tuple(structure),
        activation=activation,
        epochs=epochs,
        model_name=name,
        input_hw=(hw[0], hw[1]),
        val_percent=float(val),
        batch_size=batch,
        augmentation=augmentation,
        class_names=tuple(sorted(names.items())),
    )


def load_config(path: str | os.PathLike) -> TrainConfig:
    """Read an original-format trainer config file; errors name the file and field."""
    data = read_bytes(path, limits.CONFIG_BYTES, ConfigError)
    return parse_config(data, str(path))
