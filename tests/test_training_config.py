"""What to train (artgen.training.config): a token's recipe from its traits, and configs in
the original trainer's format with every bad field named."""

from __future__ import annotations

import json

import pytest

from artgen.datasets.augment import Augmentation
from artgen.errors import ConfigError
from artgen.training import load_config, parse_config, traits_config
from artgen.traits import sample_traits

ORIGINAL_CONFIG = {
    "model_name": "sample_model",
    "input_dim": [8, 8],
    "structure": [6, 5],
    "activation_name": "ReLU",
    "val_percent": 10,
    "batch_size": 16,
    "epoch_num": 3,
    "data_augmentation_config": {
        "random_flip": "None",
        "random_rotation": 0,
        "random_zoom": 0,
        "random_contrast": 0,
        "random_brightness": 0,
    },
    "class_names": {"a": "Apes"},
}


def test_traits_config_follows_the_traits_and_names_the_model_after_its_token():
    for token in range(5):
        traits = sample_traits(11, token)
        config = traits_config(traits)
        assert config.hidden_sizes == traits.hidden_sizes
        assert config.activation == traits.activation and config.epochs == traits.epochs
        assert config.traits() == traits.training_traits()
        assert config.batch_size == 64 and config.val_percent == 10 and config.input_hw == (32, 32)
        assert config.model_name == f"Perceptrons #{token}"
    named = traits_config(sample_traits(11, 3), collection="Tiny Perceptrons", input_hw=[8, 8])
    assert named.model_name == "Tiny Perceptrons #3" and named.input_hw == (8, 8)


def test_original_config_parses(tmp_path):
    path = tmp_path / "config.json"
    path.write_text(json.dumps(ORIGINAL_CONFIG))
    config = load_config(path)
    assert config.model_name == "sample_model" and config.input_hw == (8, 8)
    assert config.hidden_sizes == (6, 5) and config.activation == "ReLU"
    assert config.val_percent == 10 and config.batch_size == 16 and config.epochs == 3
    assert config.augmentation == Augmentation() and dict(config.class_names) == {"a": "Apes"}
    assert config.traits() == {
        "structure_gen": "Custom",
        "n_layers": 2,
        "max_nodes": 6,
        "activation_func": "ReLU",
        "epoch_num": 3,
    }
    with_aug = dict(
        ORIGINAL_CONFIG, data_augmentation_config={"random_flip": "Both", "random_zoom": 0.2}
    )
    assert parse_config(json.dumps(with_aug)).augmentation == Augmentation("Both", 0, 0.2, 0, 0)
    assert (
        parse_config(json.dumps(dict(ORIGINAL_CONFIG, data_augmentation_config=None))).augmentation
        is None
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"structure": "20,20"}, "structure"),
        ({"structure": []}, "structure"),
        ({"activation_name": "Swish"}, "activation_name"),
        ({"input_dim": [32]}, "input_dim"),
        ({"val_percent": 0}, "val_percent"),
        ({"batch_size": 0}, "batch_size"),
        ({"epoch_num": 2.5}, "epoch_num"),
        ({"data_augmentation_config": {"random_flip": "Diagonal"}}, "random_flip"),
        ({"data_augmentation_config": {"random_zoom": -1}}, "random_zoom"),
        ({"data_augmentation_config": []}, "data_augmentation_config"),
        ({"class_names": {"a": 3}}, "class_names"),
        ({"model_name": None}, "model_name"),
    ],
)
def test_bad_configs_name_the_file_and_field(tmp_path, change, field):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({**ORIGINAL_CONFIG, **change}))
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(path) in str(err.value) and f"field '{field}'" in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_and_broken_configs(tmp_path):
    doc = dict(ORIGINAL_CONFIG)
    del doc["epoch_num"]
    with pytest.raises(ConfigError, match="'epoch_num': missing"):
        parse_config(json.dumps(doc), "c.json")
    with pytest.raises(ConfigError, match="not valid JSON"):
        parse_config("{", "c.json")
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "absent.json")
