"""The network a data inscription describes, and its numpy forward pass.

A `Model` is a stack of Dense layers over rescaled pixels. The forward pass computes in
float64 (weights are float32), and a neuron-life mask scales each hidden layer's activations,
so a Perceptron thinks only with the neurons it has (a dead one answers softmax(output bias)).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

ACTIVATIONS = ("relu", "leaky_relu", "tanh", "sigmoid", "linear")
#: The negative slope of leaky_relu: Keras's default, and the alpha the original trainer used
#: (keras.activations.relu(x, alpha=0.2)).
LEAKY_SLOPE = 0.2
CHUNK_VALUES = 4_000_000  # input values per forward chunk (32 MB of float64)


@dataclass(frozen=True, eq=False)
class DenseLayer:
    """One fully connected layer: `activation(x @ kernel + bias)`."""

    units: int
    activation: str
    kernel: np.ndarray
    bias: np.ndarray

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DenseLayer):
            return NotImplemented
        return (self.units, self.activation) == (other.units, other.activation) and (
            np.array_equal(self.kernel, other.kernel) and np.array_equal(self.bias, other.bias)
        )

    def __hash__(self) -> int:
        return hash((self.units, self.activation, self.kernel.shape))


@dataclass(frozen=True, eq=False)
class Model:
    """A loaded data inscription: architecture, weights, classes and the config as loaded."""

    name: str
    input_shape: tuple[int, int, int]
    scale: float
    offset: float
    dense: tuple[DenseLayer, ...]
    classes: tuple[str, ...]
    training_traits: dict
    layers_config: dict

    @property
    def hidden_sizes(self) -> tuple[int, ...]:
        return tuple(layer.units for layer in self.dense[:-1])

    @property
    def input_size(self) -> int:
        return math.prod(self.input_shape)

    @property
    def activation(self) -> str:
        """The first hidden layer's activation ('linear' without hidden layers)."""
        return self.dense[0].activation if len(self.dense) > 1 else "linear"

    def _key(self) -> tuple:
        return (self.name, self.input_shape, self.scale, self.offset, self.classes)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Model):
            return NotImplemented
        return (self._key(), self.dense, self.training_traits, self.layers_config) == (
            other._key(), other.dense, other.training_traits, other.layers_config
        )  # fmt: skip

    def __hash__(self) -> int:
        return hash(self._key())


def _flat_pixels(model: Model, pixels: np.ndarray) -> np.ndarray:
    x = np.asarray(pixels)
    size, shape = model.input_size, tuple(model.input_shape)
    if x.dtype.kind not in "uif":
        raise ValueError(f"pixels: expected numbers 0..255, found dtype {x.dtype}")
    if x.shape == shape or (x.ndim == 1 and x.size == size):
        return x.reshape(1, size)
    if (x.ndim == 4 and x.shape[1:] == shape) or (x.ndim == 2 and x.shape[1] == size):
        return x.reshape(len(x), size)
    expected = f"{shape}, (N, {', '.join(map(str, shape))}) or (N, {size})"
    raise ValueError(f"pixels: expected shape {expected}, found {x.shape}")


def _life_arrays(model: Model, life: Sequence | None, n: int) -> list[np.ndarray | None]:
    sizes = model.hidden_sizes
    if life is None:
        return [None] * len(sizes)
    if len(life) != len(sizes):
        raise ValueError(
            f"life: expected {len(sizes)} arrays (one a hidden layer), found {len(life)}"
        )
    arrays = []
    for i, (values, units) in enumerate(zip(life, sizes, strict=True)):
        a = np.asarray(values, dtype=np.float64)
        if a.shape not in ((units,), (n, units)) or not ((a >= 0) & (a <= 1)).all():
            raise ValueError(f"life[{i}]: expected {units} values in [0, 1], found shape {a.shape}")
        arrays.append(a)
    return arrays


def _activate(x: np.ndarray, name: str) -> np.ndarray:
    if name == "relu":
        return np.maximum(x, 0.0)
    if name == "leaky_relu":
        return np.where(x >= 0, x, LEAKY_SLOPE * x)
    if name == "tanh":
        return np.tanh(x)
    if name == "sigmoid":
        return 0.5 + 0.5 * np.tanh(0.5 * x)  # = 1 / (1 + exp(-x)) without overflow
    return x  # linear; an output softmax is applied by `forward`


def logits(model: Model, pixels: np.ndarray, life: Sequence | None = None) -> np.ndarray:
    """Output-layer values (N, classes) in float64; `life` scales each hidden layer's neurons."""
    x = _flat_pixels(model, pixels)
    lives = _life_arrays(model, life, len(x)) + [None]
    kernels = [layer.kernel.astype(np.float64) for layer in model.dense]
    out = np.empty((len(x), len(model.classes)))
    step = max(1, CHUNK_VALUES // model.input_size)
    for start in range(0, len(x), step):
        h = x[start : start + step].astype(np.float64) * model.scale + model.offset
        for layer, kernel, alive in zip(model.dense, kernels, lives, strict=True):
            h = _activate(h @ kernel + layer.bias, layer.activation)
            if alive is not None:
                h *= alive if alive.ndim == 1 else alive[start : start + step]
        out[start : start + step] = h
    return out


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax, shifted by the row maximum so it cannot overflow."""
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def forward(model: Model, pixels: np.ndarray, life: Sequence | None = None) -> np.ndarray:
    """Class probabilities (N, classes) in float64: softmax over `logits`."""
    return softmax(logits(model, pixels, life))
