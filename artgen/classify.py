"""Classifying an image: the probabilities, the top class and the confidence phrase (SPEC 6).

A Perceptron thinks with the neurons alive at its moment (`LifeState.neuron_life`), and not at
all when it cannot (ORIGINAL.md section 9): Dead, Rebirth, or a hidden layer with no live
neuron, which happens early in Growing and at the very end of Decaying.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .errors import RefusalError
from .images import load_image
from .lifecycle import LifeState, neuron_life
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
        return {
            "probabilities": self.probabilities,
            "top": self.top,
            "confidence": self.confidence,
            "phrase": self.phrase,
        }


def refusal(state: LifeState) -> str | None:
    """Why a Perceptron in `state` cannot classify (ORIGINAL.md section 9), or None if it can."""
    if state.stage == "Dead":
        return "it is Dead, and a dead Perceptron does not think"
    if state.stage == "Rebirth":
        return "it is being reborn, and thinks again once it grows a live neuron in every layer"
    for layer, lives in enumerate(state.neuron_life, 1):
        if not any(v > 0 for v in lives):
            when = "yet" if state.stage == "Growing" else "left"
            return f"it is {state.stage} and hidden layer {layer} has no live neuron {when}"
    return None


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
    model: Model | str | os.PathLike,
    image: str | os.PathLike,
    *,
    growth: float = 1.0,
    life: LifeState | None = None,
    who: str | None = None,
) -> Classification:
    """Classify an image file.

    With `life` (a token's state at a moment, over the model's hidden layers) the model
    thinks as that token: with its living neurons, in its order, or refuses (RefusalError,
    naming `who`) when it cannot. Otherwise `growth` < 1 keeps that share of hidden neurons
    alive, filled in index order.
    """
    if not isinstance(model, Model):
        model = load_model(model)
    if life is not None:
        reason = refusal(life)
        if reason is not None:
            raise RefusalError(f"cannot classify: {reason}", source=who)
        alive = life.neuron_life
    else:
        alive = None if growth >= 1.0 else neuron_life(model.hidden_sizes, growth)
    h, w, _ = model.input_shape
    return classify_pixels(model, load_image(image, h, w), alive)
