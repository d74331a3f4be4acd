"""The intelligence curve (artgen.intelligence): held-out accuracy from dead to grown."""

from __future__ import annotations

import json

import numpy as np
import pytest
from training_data import easy_dataset

from artgen.datasets import holdout_split
from artgen.intelligence import GROWTHS, intelligence_curve, plot_png
from artgen.lifecycle import neuron_life
from artgen.model import logits
from artgen.training import TrainConfig, train


def test_intelligence_curve_from_dead_to_grown(tmp_path):
    data = easy_dataset(per_class=60)
    config = TrainConfig(hidden_sizes=(6, 5), epochs=20, input_hw=(8, 8), batch_size=8)
    model = train(config, data, seed=3).model
    curve = intelligence_curve(model, data)
    assert curve.growth == GROWTHS and len(curve.accuracy) == 11 and curve.images == 18
    assert curve.chance == pytest.approx(1 / 3)
    assert curve.accuracy[-1] >= 0.8  # clearly above chance when grown
    # dead: every image gets the same answer, so accuracy is one class's share of the held-out set
    dead = logits(model, data.images, [np.asarray(x) for x in neuron_life(model.hidden_sizes, 0.0)])
    assert np.ptp(dead, axis=0).max() == 0
    _, val = holdout_split(len(data))
    share = np.mean(data.labels[val] == dead[0].argmax())
    assert curve.accuracy[0] == pytest.approx(share)
    json.dumps(curve.to_json())
    plot = tmp_path / "curve.png"
    plot_png(curve, plot)
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from PIL import Image

    with Image.open(plot) as im:
        assert im.size == (800, 560)
        pixels = np.asarray(im.convert("RGB"))
    blue = (pixels[..., 2] > 150) & (pixels[..., 0] < 80)
    red = (pixels[..., 0] > 150) & (pixels[..., 1] < 100)
    assert blue.sum() > 500 and red.sum() > 100  # the curve and the chance line are drawn
