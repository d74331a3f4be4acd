"""Classifying an image: the probabilities, the top class and the confidence phrase (SPEC 6)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .images import load_image
from .lifecycle import neuron_life
from .model import Model, forward, load_model

#: (upper bound of confidence, phrase), SPEC section 6.
PHRASES = (
    (0.2, "I have a feeling"),
    (0.4, "I have a hunch"),
    (0.6, "I think"),
    (0.8, "I'm almost certain"),
)
CERTAIN = "I'm positive"


def confidence_phrase(confidence: float) -> str:
    """The phrase that opens "... this image belongs to <class>"."""
    for bound, phrase in PHRASES:
        if confidence < bound:
            return phrase
    return CERTAIN


@dataclass(frozen=True)
class Classification:
    """The answer of a Perceptron to one image."""

    probabilities: dict[str, float]
    top: str
    confidence: float
    phrase: str

    def to_json(self) -> dict:
        return {"probabilities": self.probabilities, "top": self.top, "phrase": self.phrase}


def classify_pixels(
    model: Model, pixels: np.ndarray, life: Sequence[Sequence[float]] | None = None
) -> Classification:
    """Classify one (H, W, 3) image given as 0-255 pixels, with optional neuron life."""
    probs = forward(model, pixels, life)[0]
    best = int(np.argmax(probs))
    confidence = float(probs[best])
    return Classification(
        probabilities={name: float(p) for name, p in zip(model.classes, probs, strict=True)},
        top=model.classes[best],
        confidence=confidence,
        phrase=confidence_phrase(confidence),
    )


def classify_image(
    model: Model | str | os.PathLike, image: str | os.PathLike, *, growth: float = 1.0
) -> Classification:
    """Classify an image file; `growth` < 1 thinks only with that share of hidden neurons."""
    if not isinstance(model, Model):
        model = load_model(model)
    h, w, _ = model.input_shape
    pixels = load_image(image, h, w)
    life = None if growth >= 1.0 else neuron_life(model.hidden_sizes, growth)
    return classify_pixels(model, pixels, life)
