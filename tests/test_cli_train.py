"""CliRunner tests of `artgen train` and `artgen intelligence`."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from artgen.cli import cli
from artgen.model import load_model
from artgen.traits import sample_traits


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def dataset(tmp_path):
    """Three classes of 10x10 PNGs told apart by where a bright band sits."""
    gen = np.random.default_rng(0)
    root = tmp_path / "data"
    for k, name in enumerate(("alpha", "beta", "gamma")):
        (root / name).mkdir(parents=True)
        for i in range(30):
            image = gen.uniform(0, 110, (10, 10, 3))
            image[3 * k : 3 * k + 3] += 140
            Image.fromarray(image.clip(0, 255).astype(np.uint8)).save(root / name / f"{i}.png")
    return root


def config_file(tmp_path, **change):
    doc = {
        "model_name": "tiny",
        "input_dim": [10, 10],
        "structure": [8],
        "activation_name": "ReLU",
        "val_percent": 10,
        "batch_size": 8,
        "epoch_num": 20,
        "data_augmentation_config": None,
        "class_names": {"alpha": "Alpha", "gamma": "Gamma"},
        **change,
    }
    path = tmp_path / "config.json"
    path.write_text(json.dumps(doc))
    return path


def test_train_token_writes_its_own_architecture(tmp_path, dataset):
    out = tmp_path / "m.json"
    result = run("train", "--seed", 1, "--token", 4, "-o", out, "--dataset", dataset, "--json")
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    traits = sample_traits(1, 4)
    assert {"val_accuracy", "epochs", "seconds", "bytes"} <= set(info)
    assert info["epochs"] == traits.epochs and info["bytes"] == out.stat().st_size
    model = load_model(out)
    assert model.hidden_sizes == traits.hidden_sizes and model.input_shape == (32, 32, 3)
    assert model.training_traits == traits.training_traits()
    assert model.classes == ("alpha", "beta", "gamma")
    assert "epoch 1/" in result.stderr and "val_accuracy" in result.stderr
    assert f"epoch {traits.epochs}/{traits.epochs}" in result.stderr
    again = tmp_path / "again.json"
    assert run("train", "--seed", 1, "--token", 4, "-o", again, "-d", dataset).exit_code == 0
    assert again.read_bytes() == out.read_bytes()


def test_train_from_an_original_config_then_measure_intelligence(tmp_path, dataset):
    out = tmp_path / "m.json"
    config = config_file(tmp_path)
    result = run("train", "--trainer-config", config, "-d", dataset, "-o", out, "--json")
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    assert info["epochs"] == 20 and info["val_accuracy"] >= 0.8 and not info["warnings"]
    model = load_model(out)
    assert model.name == "tiny" and model.input_shape == (10, 10, 3) and model.hidden_sizes == (8,)
    assert model.classes == ("Alpha", "beta", "Gamma")
    assert model.training_traits["structure_gen"] == "Custom"
    plot = tmp_path / "curve.png"
    curve = run("intelligence", "--model", out, "--dataset", dataset, "--json", "--plot", plot)
    assert curve.exit_code == 0, curve.output
    assert f"wrote {plot} (the accuracy curve, " in curve.stderr
    obj = json.loads(curve.stdout)
    assert obj["growth"] == [round(i / 10, 1) for i in range(11)]
    assert obj["accuracy"][-1] >= 0.8 > 1 / 3 + 0.3
    with Image.open(plot) as im:
        assert im.size == (800, 560)
    text = run("intelligence", "-m", out, "-d", dataset)
    assert text.exit_code == 0 and "growth 1.0" in text.output and "growth 0.0" in text.output


def test_big_models_get_a_size_warning(tmp_path, dataset):
    path = config_file(tmp_path, input_dim=[40, 40], structure=[20], epoch_num=1)
    result = run("train", "--trainer-config", path, "-d", dataset, "-o", tmp_path / "big.json")
    assert result.exit_code == 0, result.output
    assert "artgen train: warning:" in result.stderr and "390,000" in result.stderr


def test_bad_config_and_dataset_are_one_line_errors(tmp_path, dataset):
    bad = config_file(tmp_path, activation_name="Swish")
    result = run("train", "--trainer-config", bad, "-d", dataset, "-o", tmp_path / "m.json")
    assert result.exit_code == 2
    assert result.stderr.startswith("artgen train: error: ") and result.stderr.count("\n") == 1
    assert str(bad) in result.stderr and "activation_name" in result.stderr
    missing = run(
        "train", "--seed", 0, "--token", 0, "-d", tmp_path / "nowhere", "-o", tmp_path / "m.json"
    )
    assert missing.exit_code == 2 and "no such folder" in missing.stderr
    assert not (tmp_path / "m.json").exists()
    model = run("intelligence", "--model", tmp_path / "absent.json")
    assert model.exit_code == 2 and "absent.json" in model.stderr
