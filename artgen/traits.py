"""The trait sampler: a pure function (collection seed, token id) -> Traits.

Each trait draws from its own stream (see `artgen.seeding`), so changing one table never
changes the draws of another. `sample_columns` draws a whole range of tokens at once with
numpy and gives exactly what `sample_traits` gives token by token.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import seeding
from .architecture import hidden_sizes
from .tables import (
    CATEGORICAL,
    NUMERIC,
    TRAIT_NAMES,
    Categorical,
    NumericRange,
    Tables,
    default_tables,
)

#: Node shape by Deep Learning Framework, node fill by Dataset (SPEC section 2).
NODE_SHAPES = {"Theano": "circle", "Torch": "square", "TensorFlow": "diamond"}
NODE_FILLS = {"MNIST": "solid", "CIFAR": "outline", "IMAGENET": "xray"}
#: Activation trait -> Keras activation name in the model format.
KERAS_ACTIVATIONS = {
    "ReLU": "relu",
    "LeakyReLU": "leaky_relu",
    "tanh": "tanh",
    "Sigmoid": "sigmoid",
}
ARCHITECTURE_PURPOSE = "architecture"


#: The Traits fields holding the twelve traits, in TRAIT_NAMES order.
FIELDS = (
    "palette", "pattern", "acceleration", "dataset", "framework", "life_cycle",
    "birth_year", "architecture", "activation", "layers", "max_neurons", "epochs",
)  # fmt: skip
WHOLE_FIELDS = ("birth_year", "layers", "max_neurons", "epochs")


@dataclass(frozen=True)
class Traits:
    """One token's traits; `hidden_sizes` follows from architecture, layers and max neurons."""

    seed: int | str
    token: int
    palette: str
    pattern: str
    acceleration: str
    dataset: str
    framework: str
    life_cycle: str
    birth_year: int
    architecture: str
    activation: str
    layers: int
    max_neurons: int
    epochs: int
    hidden_sizes: tuple[int, ...]

    @property
    def node_shape(self) -> str:
        return NODE_SHAPES.get(self.framework, "circle")

    @property
    def node_fill(self) -> str:
        return NODE_FILLS.get(self.dataset, "solid")

    def attributes(self) -> dict[str, Any]:
        """The twelve traits under their metadata names (SPEC section 2)."""
        return {name: getattr(self, f) for f, name in zip(FIELDS, TRAIT_NAMES, strict=True)}

    def to_json(self) -> dict[str, Any]:
        """The `artgen traits --json` object."""
        return {
            "token": self.token,
            "seed": self.seed,
            **self.attributes(),
            "hidden_layers": list(self.hidden_sizes),
        }

    @classmethod
    def from_attributes(
        cls,
        seed: int | str,
        token: int,
        attributes: Mapping[str, Any],
        hidden_sizes: Sequence[int],
    ) -> Traits:
        """The Traits with these twelve traits under their metadata names (`attributes()`'s
        inverse); whole-number traits become ints."""
        fields = {f: attributes[name] for f, name in zip(FIELDS, TRAIT_NAMES, strict=True)}
        for f in WHOLE_FIELDS:
            fields[f] = int(fields[f])
        return cls(seed=seed, token=token, hidden_sizes=tuple(hidden_sizes), **fields)

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Traits:
        """The Traits a `to_json` object describes (a minted token's record keeps one)."""
        return cls.from_attributes(obj["seed"], obj["token"], obj, obj["hidden_layers"])

    def training_traits(self) -> dict[str, Any]:
        """The model format's `training_traits` (SPEC section 5)."""
        return {
            "structure_gen": self.architecture,
            "n_layers": self.layers,
            "max_nodes": self.max_neurons,
            "activation_func": self.activation,
            "epoch_num": self.epochs,
        }


def _purpose(name: str, attempt: int) -> str:
    return name if attempt == 0 else f"{name}#{attempt}"


def sample_columns(
    seed: int | str,
    first: int,
    count: int,
    tables: Tables,
    attempt: int = 0,
) -> dict[str, np.ndarray]:
    """Trait columns for tokens first..first+count-1, vectorised.

    Categorical traits come back as indices into their table's values, numeric ones as values.
    `attempt` > 0 gives the deterministic redraws used to keep a collection's tokens unique.
    """
    out: dict[str, np.ndarray] = {}
    for name in CATEGORICAL:
        table = tables[name]
        assert isinstance(table, Categorical)
        cum = table.cumulative
        u = seeding.uniforms(seed, _purpose(name, attempt), first, count)[:, 0]
        idx = np.searchsorted(cum, u, side="right")
        out[name] = np.minimum(idx, len(cum) - 1)
    activations = tables["Activation Function"].values
    sigmoid = np.asarray([a == "Sigmoid" for a in activations])[out["Activation Function"]]
    for name in NUMERIC:
        table = tables[name]
        assert isinstance(table, NumericRange)
        u = seeding.uniforms(seed, _purpose(name, attempt), first, count)[:, 0]
        lo = np.where(sigmoid, table.sigmoid_lo, table.lo)
        hi = np.where(sigmoid, table.sigmoid_hi, table.hi)
        out[name] = np.minimum(hi, lo + np.floor(u * (hi - lo + 1)).astype(np.int64))
    return out


def traits_from_columns(
    seed: int | str,
    first: int,
    columns: dict[str, np.ndarray],
    i: int,
    tables: Tables,
    attempt: int = 0,
) -> Traits:
    """Row i of `sample_columns(seed, first, ..., tables)` as a Traits."""
    token = first + i
    attributes = {n: tables[n].values[int(columns[n][i])] for n in CATEGORICAL}
    attributes |= {n: int(columns[n][i]) for n in NUMERIC}
    draws = seeding.stream(seed, token, _purpose(ARCHITECTURE_PURPOSE, attempt))
    return traits_from_values(seed, token, attributes, draws.random(seeding.DRAWS))


def traits_from_values(
    seed: int | str, token: int, attributes: Mapping[str, Any], architecture_draws: np.ndarray
) -> Traits:
    """A token's Traits from its twelve trait values (by metadata name) and the uniform draws
    its Network Architecture shapes the hidden layers with."""
    sizes = hidden_sizes(
        attributes["Network Architecture"],
        int(attributes["Hidden Layers"]),
        int(attributes["Max Neurons Per Hidden Layer"]),
        architecture_draws,
    )
    return Traits.from_attributes(seed, token, attributes, sizes)


def sample_traits(
    seed: int | str, token: int, tables: Tables | None = None, attempt: int = 0
) -> Traits:
    """Token `token`'s traits in the collection with this seed: a pure function.

    A public facade: `tables` None names the packaged Perceptrons tables (SPEC section 2);
    a collection with its own tables passes them.
    """
    tables = default_tables() if tables is None else tables
    columns = sample_columns(seed, token, 1, tables, attempt)
    return traits_from_columns(seed, token, columns, 0, tables, attempt)


def sample_range(
    seed: int | str, first: int, count: int, tables: Tables | None = None
) -> list[Traits]:
    """Traits of tokens first..first+count-1 (same as calling sample_traits on each)."""
    tables = default_tables() if tables is None else tables
    columns = sample_columns(seed, first, count, tables)
    return [traits_from_columns(seed, first, columns, i, tables) for i in range(count)]
