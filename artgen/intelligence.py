"""The intelligence curve: held-out accuracy as a Perceptron's neurons come to life.

At growth g the lifecycle keeps a share g of the hidden neurons alive
(`artgen.lifecycle.neuron_life`) and inference multiplies each hidden layer's activations by
those life values. At growth 1 the model is the trained one; at growth 0 no hidden neuron
fires and the model answers softmax(output bias), one constant class, whatever it sees.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass

import numpy as np

from . import atomic
from .datasets import Dataset, holdout_split, load_dataset
from .errors import DatasetError
from .lifecycle import neuron_life
from .model import Model, logits

GROWTHS = tuple(round(i / 10, 1) for i in range(11))


@dataclass(frozen=True)
class IntelligenceCurve:
    """Held-out accuracy at each growth, with the chance level (1 / classes)."""

    model_name: str
    growth: tuple[float, ...]
    accuracy: tuple[float, ...]
    chance: float
    images: int
    dataset: str

    def to_json(self) -> dict:
        return {
            "model_name": self.model_name,
            "growth": list(self.growth),
            "accuracy": list(self.accuracy),
            "chance": self.chance,
            "images": self.images,
            "dataset": self.dataset,
        }

    def table(self) -> str:
        """Plain text: one `growth accuracy` line per point."""
        lines = [
            f"{self.model_name}: held-out accuracy on {self.images} images "
            f"(chance {self.chance:.3f})"
        ]
        lines += [
            f"growth {g:.1f}  accuracy {a:.4f}"
            for g, a in zip(self.growth, self.accuracy, strict=True)
        ]
        return "\n".join(lines)


def _labels_for(model: Model, dataset: Dataset) -> np.ndarray:
    """The dataset's labels as indices into the model's classes (matched by name, else by order)."""
    if dataset.class_names == model.classes:
        return dataset.labels
    if sorted(dataset.class_names) == sorted(model.classes):
        remap = np.asarray([model.classes.index(name) for name in dataset.class_names])
        return remap[dataset.labels]
    if len(dataset.class_names) == len(model.classes):
        return dataset.labels
    raise DatasetError(
        f"the model has {len(model.classes)} classes ({', '.join(model.classes)}) but the dataset "
        f"has {len(dataset.class_names)} ({', '.join(dataset.class_names)})",
        source=dataset.source,
    )


def intelligence_curve(
    model: Model,
    dataset: Dataset,
    growths: tuple[float, ...] = GROWTHS,
    val_percent: float = 10.0,
) -> IntelligenceCurve:
    """Accuracy on the dataset's held-out split (the trainer's) at each growth."""
    h, w, _ = model.input_shape
    if dataset.size != (h, w):
        raise DatasetError(
            f"expected {h}x{w} images for this model, found {dataset.size[0]}x{dataset.size[1]}",
            source=dataset.source,
        )
    labels = _labels_for(model, dataset)
    _, held_out = holdout_split(len(dataset), val_percent)
    images, labels = dataset.images[held_out], labels[held_out]
    accuracy = []
    for g in growths:
        life = neuron_life(model.hidden_sizes, g)
        predicted = logits(model, images, [np.asarray(x) for x in life]).argmax(axis=1)
        accuracy.append(float(np.mean(predicted == labels)))
    return IntelligenceCurve(
        model.name,
        tuple(float(g) for g in growths),
        tuple(accuracy),
        1.0 / len(model.classes),
        len(labels),
        dataset.report(),
    )


def model_curve(model: Model, dataset: str | os.PathLike | None = None) -> IntelligenceCurve:
    """The curve for a model on the default dataset or a folder/ZIP, read at the model's size."""
    h, w, _ = model.input_shape
    return intelligence_curve(model, load_dataset(dataset, (h, w)))


def plot_png(
    curve: IntelligenceCurve, path: str | os.PathLike, width: int = 800, height: int = 560
) -> None:
    """Draw the curve with pycairo: axes, ticks, labels, the curve and the chance line."""
    import cairo

    surface = cairo.ImageSurface(cairo.FORMAT_RGB24, width, height)
    cr = cairo.Context(surface)
    cr.set_source_rgb(1, 1, 1)
    cr.paint()
    left, right, top, bottom = 90, width - 30, 60, height - 80

    def sx(g: float) -> float:
        return left + g * (right - left)

    def sy(a: float) -> float:
        return bottom - a * (bottom - top)

    def line(x0: float, y0: float, x1: float, y1: float) -> None:
        cr.move_to(x0, y0)
        cr.line_to(x1, y1)

    def text(
        s: str, x: float, y: float, size: float, align: float = 0.5, bold: bool = False
    ) -> None:
        weight = cairo.FONT_WEIGHT_BOLD if bold else cairo.FONT_WEIGHT_NORMAL
        cr.select_font_face("sans-serif", cairo.FONT_SLANT_NORMAL, weight)
        cr.set_font_size(size)
        ext = cr.text_extents(s)
        cr.move_to(x - ext.x_advance * align, y)
        cr.show_text(s)

    cr.set_line_width(1)
    for i in range(11):  # grid and ticks
        v = i / 10
        cr.set_source_rgb(0.9, 0.9, 0.9)
        line(sx(v), top, sx(v), bottom)
        line(left, sy(v), right, sy(v))
        cr.stroke()
        cr.set_source_rgb(0.2, 0.2, 0.2)
        line(sx(v), bottom, sx(v), bottom + 6)
        line(left - 6, sy(v), left, sy(v))
        cr.stroke()
        text(f"{v:.1f}", sx(v), bottom + 22, 13)
        text(f"{v:.1f}", left - 10, sy(v) + 4, 13, align=1.0)
    cr.set_source_rgb(0, 0, 0)
    cr.set_line_width(1.5)
    line(left, top, left, bottom)
    cr.line_to(right, bottom)
    cr.stroke()
    text("growth (share of hidden neurons alive)", (left + right) / 2, height - 25, 15)
    cr.save()
    cr.translate(28, (top + bottom) / 2)
    cr.rotate(-np.pi / 2)
    text("held-out accuracy", 0, 0, 15)
    cr.restore()
    text(f"Intelligence curve: {curve.model_name}", (left + right) / 2, 34, 18, bold=True)
    cr.set_source_rgb(0.75, 0.2, 0.2)  # chance line
    cr.set_dash([8, 6])
    line(sx(0), sy(curve.chance), sx(1), sy(curve.chance))
    cr.stroke()
    cr.set_dash([])
    text(f"chance {curve.chance:.2f}", right - 4, sy(curve.chance) - 8, 13, align=1.0)
    cr.set_source_rgb(0.1, 0.3, 0.75)  # the curve
    cr.set_line_width(3)
    points = [(sx(g), sy(a)) for g, a in zip(curve.growth, curve.accuracy, strict=True)]
    cr.move_to(*points[0])
    for p in points[1:]:
        cr.line_to(*p)
    cr.stroke()
    for x, y in points:
        cr.arc(x, y, 5, 0, 2 * np.pi)
        cr.fill()
    buffer = io.BytesIO()
    surface.write_to_png(buffer)
    atomic.write_bytes(path, buffer.getvalue())
