"""The training loop: the original trainer's recipe in numpy, from traits or a config file.

Recipe (SPEC section 5, as the original Keras trainer ran it): pixels rescaled to [-1, 1],
Glorot-uniform kernels and zero biases, Adam (learning rate 1e-3), batch 64, softmax
cross-entropy on logits, a seeded 10% validation split, a fresh seeded shuffle every epoch and
optional augmentation. Every random draw comes from `artgen.seeding` streams of (seed, token),
so the same inputs give the same weights, byte for byte.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np

from .. import seeding
from ..datasets import Dataset, holdout_split, load_dataset, resize_batch
from ..model import (
    RESCALE_OFFSET,
    RESCALE_SCALE,
    Model,
    build_model,
    dumps_model,
    logits,
    save_model,
)
from ..traits import KERAS_ACTIVATIONS, sample_traits
from .adam import Adam
from .config import TrainConfig, load_config, traits_config
from .kernels import blas_threads, gather_rescaled, kernel_path
from .network import Network, batch_buffer, cross_entropy, initial_weights

INSCRIPTION_LIMIT = 390_000  # bytes: about the most a standard Bitcoin transaction carries


@dataclass(frozen=True)
class EpochReport:
    """Loss and accuracy after one epoch (training figures are means over its batches)."""

    epoch: int
    loss: float
    accuracy: float
    val_loss: float
    val_accuracy: float
    seconds: float

    def line(self, epochs: int) -> str:
        return (
            f"epoch {self.epoch}/{epochs}: loss {self.loss:.4f}, accuracy {self.accuracy:.4f}, "
            f"val_loss {self.val_loss:.4f}, val_accuracy {self.val_accuracy:.4f} "
            f"({self.seconds:.2f} s)"
        )


@dataclass(frozen=True, eq=False)
class TrainResult:
    """A trained model with its history; `val_accuracy` is the saved model's, on held-out data."""

    model: Model
    history: tuple[EpochReport, ...]
    val_accuracy: float
    seconds: float
    train_count: int
    val_count: int


@dataclass(frozen=True, eq=False)
class TrainingPlan:
    """Everything random about a run: initial weights, each epoch's order, augmentation stream."""

    initial_weights: list[tuple[np.ndarray, np.ndarray]]
    orders: list[np.ndarray]
    augment_stream: np.random.Generator


def training_plan(
    config: TrainConfig,
    input_size: int,
    classes: int,
    train_count: int,
    seed: int | str = 0,
    token: int = 0,
) -> TrainingPlan:
    """The seeded initial weights and per-epoch shuffles for (config, seed, token)."""
    sizes = (input_size, *config.hidden_sizes, classes)
    weights = initial_weights(seeding.free_stream(seed, token, "train|init"), sizes)
    shuffle = seeding.free_stream(seed, token, "train|shuffle")
    orders = [shuffle.permutation(train_count) for _ in range(config.epochs)]
    return TrainingPlan(weights, orders, seeding.free_stream(seed, token, "train|augment"))


# x = pixel * SCALE - SHIFT in float32: the models' Rescaling layer
SCALE, SHIFT = np.float32(RESCALE_SCALE), np.float32(-RESCALE_OFFSET)


def rescale(images: np.ndarray) -> np.ndarray:
    """uint8 (N, H, W, 3) -> float32 (N, H*W*3) in [-1, 1], as the Rescaling layer does."""
    x = np.asarray(images).reshape(len(images), -1).astype(np.float32)
    x *= SCALE
    x -= SHIFT
    return x


def _evaluate(
    net: Network, pixels: np.ndarray, rows: np.ndarray, y: np.ndarray, buffer: np.ndarray
) -> tuple[float, float]:
    """Loss and accuracy on `pixels[rows]`, gathered and rescaled a buffer at a time (no
    float32 copy of the whole held-out set, which is 4x its pixels' memory)."""
    if len(rows) == 0:
        return math.nan, math.nan
    out = np.empty((len(rows), net.sizes[-1]), np.float32)
    for at in range(0, len(rows), len(buffer)):
        part = rows[at : at + len(buffer)]
        xs = buffer[: len(part)]
        gather_rescaled(pixels, part, SCALE, SHIFT, xs)
        out[at : at + len(part)] = net.logits(xs[:, : pixels.shape[1]], chunk=len(buffer))
    loss, correct = cross_entropy(out, y)
    return loss, correct / len(y)


def train(
    config: TrainConfig,
    dataset: Dataset,
    *,
    seed: int | str = 0,
    token: int = 0,
    progress: Callable[[EpochReport], None] | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> TrainResult:
    """Train a model on a dataset; `progress` is called after every epoch.

    `clock` is read at the start and end of every epoch to give `EpochReport.seconds`: wall
    time by default; a benchmark on a shared machine may pass `time.thread_time`.
    """
    start = time.perf_counter()
    h, w = config.input_hw
    images = dataset.images if dataset.size == (h, w) else resize_batch(dataset.images, h, w)
    train_idx, val_idx = holdout_split(len(dataset), config.val_percent)
    pixels = images.reshape(len(images), -1)  # uint8: rescaled as each batch is gathered
    y_train, y_val = dataset.labels[train_idx], dataset.labels[val_idx]
    classes, inputs = len(dataset.class_names), pixels.shape[1]
    plan = training_plan(config, inputs, classes, len(train_idx), seed, token)
    net = Network((inputs, *config.hidden_sizes, classes), KERAS_ACTIVATIONS[config.activation])
    net.set_weights(plan.initial_weights)
    adam = Adam(net.params.size, config.adam)
    grad = np.empty_like(net.params)
    n, batch = len(train_idx), config.batch_size
    # gathered batches (training and held-out) are this buffer's first `inputs` columns
    xb = batch_buffer(max(1, min(batch, max(n, len(val_idx)))), inputs, net.thin)
    onehot = np.empty((classes, n), np.float32)
    logits = np.empty((classes, n), np.float32)  # each batch's, for the epoch's loss and accuracy
    augment = config.augmentation if config.augmentation and config.augmentation.active else None
    history = []
    with blas_threads(1):
        for epoch, order in enumerate(plan.orders, start=1):
            began = clock()
            source, rows, epoch_y = pixels, train_idx[order], y_train[order]
            if augment is not None:
                augmented = augment.apply(images[rows], plan.augment_stream)
                source, rows = augmented.reshape(n, -1), np.arange(n)
            onehot[...] = 0
            onehot[epoch_y, np.arange(n)] = 1
            for at in range(0, n, batch):
                end = min(at + batch, n)
                # gathered batch by batch into one buffer that stays in cache for its GEMMs
                xs = xb[: end - at]
                gather_rescaled(source, rows[at:end], SCALE, SHIFT, xs)
                xs = xs[:, :inputs]
                net.train_batch(xs, onehot[:, at:end], grad, logits[:, at:end])
                adam.step(net.params, grad, grad_scale=end - at)  # the batch's summed gradient
            val_loss, val_acc = _evaluate(net, pixels, val_idx, y_val, xb)
            loss, correct = cross_entropy(logits.T, epoch_y) if n else (0.0, 0)
            seconds = clock() - began
            report = EpochReport(epoch, loss, correct / max(n, 1), val_loss, val_acc, seconds)
            history.append(report)
            if progress is not None:
                progress(report)
    model = build_model(
        config.model_name,
        (h, w),
        config.hidden_sizes,
        config.activation,
        dataset.class_names,
        net.weights(),
        config.traits(),
    )
    val_accuracy = accuracy(model, images[val_idx], y_val)
    return TrainResult(
        model,
        tuple(history),
        val_accuracy,
        time.perf_counter() - start,
        len(train_idx),
        len(val_idx),
    )


def accuracy(model: Model, images: np.ndarray, labels: np.ndarray, life=None) -> float:
    """Share of images the model classifies as their label (NaN for no images)."""
    if len(labels) == 0:
        return math.nan
    return float(np.mean(logits(model, images, life).argmax(axis=1) == labels))


def summary(result: TrainResult, config: TrainConfig, dataset: Dataset, output: str | None) -> dict:
    """The `artgen train --json` object (also what the CLI reports)."""
    size = len(dumps_model(result.model).encode("utf-8"))
    warnings = []
    if size > INSCRIPTION_LIMIT:
        warnings.append(
            f"the model JSON is {size:,} bytes, more than the {INSCRIPTION_LIMIT:,} bytes "
            "a standard Bitcoin transaction carries"
        )
    return {
        "model": output,
        "model_name": result.model.name,
        "val_accuracy": result.val_accuracy,
        "epochs": config.epochs,
        "seconds": round(result.seconds, 3),
        "bytes": size,
        "hidden_sizes": list(config.hidden_sizes),
        "activation": config.activation,
        "classes": list(result.model.classes),
        "dataset": dataset.report(),
        "skipped_images": len(dataset.skipped),
        "train_images": result.train_count,
        "val_images": result.val_count,
        "history": [asdict(h) for h in result.history],
        "warnings": warnings,
    }


def train_and_save(
    output: str | os.PathLike,
    *,
    seed: int | str = 0,
    token: int = 0,
    config_path: str | os.PathLike | None = None,
    dataset: str | os.PathLike | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict:
    """Train (the token's traits, or an original config file), save the model, return a summary."""
    kernel_path()  # a bad ARTGEN_TRAIN_KERNELS is refused before the dataset loads
    if config_path is None:
        config = traits_config(sample_traits(seed, token))
    else:
        config = load_config(config_path)
    data = load_dataset(dataset, config.input_hw, dict(config.class_names))
    say = progress or (lambda _line: None)
    say(data.report())
    shape = "-".join(
        map(
            str,
            (
                config.input_hw[0] * config.input_hw[1] * 3,
                *config.hidden_sizes,
                len(data.class_names),
            ),
        )
    )
    say(
        f"training {config.model_name}: {shape} {config.activation}, {config.epochs} epochs, "
        f"batch {config.batch_size}"
    )
    result = train(
        config, data, seed=seed, token=token, progress=lambda r: say(r.line(config.epochs))
    )
    save_model(result.model, output)
    info = summary(result, config, data, str(output))
    say(f"saved {output}: {info['bytes']:,} bytes, val_accuracy {result.val_accuracy:.4f}")
    return info
