"""The training loop (artgen.training.loop): it learns, with every activation, augmentation
and resizing; the same inputs give the same bytes; the bundled default model still works."""

from __future__ import annotations

import numpy as np
import pytest
from training_data import easy_dataset

from artgen.datasets.augment import Augmentation
from artgen.model import dumps_model, loads_model
from artgen.training import TrainConfig, train


def test_training_learns_and_is_deterministic():
    data = easy_dataset()
    config = TrainConfig(
        hidden_sizes=(6, 4), activation="ReLU", epochs=12, input_hw=(8, 8), batch_size=16
    )
    seen = []
    result = train(config, data, seed=5, token=2, progress=seen.append)
    assert [r.epoch for r in seen] == list(range(1, 13)) and result.history == tuple(seen)
    assert result.train_count == 108 and result.val_count == 12
    assert result.history[-1].loss < result.history[0].loss
    assert result.val_accuracy >= 0.9
    model = result.model
    assert (
        model.hidden_sizes == (6, 4)
        and model.input_shape == (8, 8, 3)
        and model.classes == data.class_names
    )
    assert all(layer.kernel.dtype == np.float32 for layer in model.dense)
    text = dumps_model(model)
    assert loads_model(text) == model
    again = train(config, data, seed=5, token=2)
    assert dumps_model(again.model) == text  # byte-identical
    assert dumps_model(train(config, data, seed=5, token=3).model) != text


@pytest.mark.parametrize("activation", ["LeakyReLU", "tanh", "Sigmoid"])
def test_every_activation_trains_above_chance(activation):
    data = easy_dataset()
    epochs = 25 if activation == "Sigmoid" else 10
    config = TrainConfig(
        hidden_sizes=(5,), activation=activation, epochs=epochs, input_hw=(8, 8), batch_size=16
    )
    result = train(config, data)
    assert result.val_accuracy > 0.6
    assert (
        result.model.dense[0].activation
        == {"LeakyReLU": "leaky_relu", "tanh": "tanh", "Sigmoid": "sigmoid"}[activation]
    )


def test_training_with_augmentation_and_resizing():
    data = easy_dataset(size=10)
    config = TrainConfig(
        hidden_sizes=(4,),
        epochs=2,
        input_hw=(6, 6),
        augmentation=Augmentation("Horizontal", 0.05, 0.1, 0.1, 0.1),
    )
    a = train(config, data, seed=1)
    b = train(config, data, seed=1)
    plain = train(TrainConfig(hidden_sizes=(4,), epochs=2, input_hw=(6, 6)), data, seed=1)
    assert a.model.input_shape == (6, 6, 3)
    assert dumps_model(a.model) == dumps_model(b.model) != dumps_model(plain.model)


def test_epoch_seconds_come_from_the_given_clock():
    ticks = iter(range(100))
    config = TrainConfig(hidden_sizes=(3,), epochs=2, input_hw=(8, 8), batch_size=16)
    result = train(config, easy_dataset(per_class=10), clock=lambda: 10.0 * next(ticks))
    assert [r.seconds for r in result.history] == [10.0, 10.0]


def test_bundled_default_model_classifies_fresh_pfp_images():
    from artgen.datasets import procedural
    from artgen.model import load_model
    from artgen.training import DEFAULT_MODEL, DEFAULT_MODEL_CONFIG, INSCRIPTION_LIMIT, accuracy

    model = load_model(DEFAULT_MODEL)
    assert DEFAULT_MODEL.stat().st_size < INSCRIPTION_LIMIT
    assert model.classes == procedural.CLASS_NAMES and model.input_shape == (32, 32, 3)
    assert model.hidden_sizes == DEFAULT_MODEL_CONFIG.hidden_sizes == (12, 8)
    images, labels = procedural.generate(seed=12345, per_class=50)  # pictures it never saw
    assert accuracy(model, images, labels) > 0.8
