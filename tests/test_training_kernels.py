"""The trainer's kernels (artgen.training.kernels): the C kernels of _mlp (the sigmoid, the
gather, their checks), BLAS's thread count, the kernel-path switch, and the bytes a retrained
token gives."""

from __future__ import annotations

import hashlib
import sys

import numpy as np
import pytest
from scipy.special import expit

from artgen.datasets import default_dataset
from artgen.errors import ConfigError
from artgen.model import dumps_model, forward, loads_model
from artgen.network import ACTIVATIONS
from artgen.training import TrainConfig, rescale, train, train_and_save
from artgen.training.kernels import (
    ACTIVATION_CODES,
    KERNEL_PATHS,
    KERNELS_VARIABLE,
    _mlp,
    available_kernel_paths,
    blas_threads,
    gather_rescaled,
    kernel_path,
    sigmoid,
)
from artgen.training.network import Network
from artgen.traits import KERAS_ACTIVATIONS


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_gives_scipy_expits_bits(dtype):
    gen = np.random.default_rng(3)
    x = np.concatenate(
        [
            gen.uniform(-120, 120, 400_000),
            np.linspace(-2, 2, 100_001),
            [0.0, -0.0, np.inf, -np.inf, 1e-30, -1e-30, 88.7, -88.7, 745.2, -745.2],
        ]
    ).astype(dtype)
    y = x.copy()
    sigmoid(y)
    assert np.array_equal(y.view(np.uint8), expit(x).view(np.uint8))


def test_every_activation_trait_trains_and_loads():
    """Each Activation Function trait names a Keras activation that the C kernels compute (each
    with its own code) and that a loaded model's forward pass knows."""
    trained = {KERAS_ACTIVATIONS[trait] for trait in KERAS_ACTIVATIONS}
    assert trained == set(ACTIVATION_CODES) and trained <= set(ACTIVATIONS)
    assert sorted(ACTIVATION_CODES.values()) == list(range(len(ACTIVATION_CODES)))


def test_gather_checks_rows_and_types():
    source = np.arange(12, dtype=np.uint8).reshape(3, 4)
    out = np.empty((2, 4), np.float32)
    with pytest.raises(IndexError, match="row 3 of a source of 3 rows"):
        gather_rescaled(source, np.array([0, 3]), 1.0, 0.0, out)
    with pytest.raises(IndexError):
        gather_rescaled(source, np.array([-1]), 1.0, 0.0, out)
    with pytest.raises(ValueError, match="uint8, float32 or float64"):
        gather_rescaled(source.astype(np.int16), np.array([0]), 1.0, 0.0, out)
    with pytest.raises(ValueError, match="at least as long"):
        gather_rescaled(source, np.array([0]), 1.0, 0.0, np.empty((2, 3), np.float32))
    with pytest.raises(ValueError, match="do not fit"):
        gather_rescaled(source, np.array([0, 1, 2]), 1.0, 0.0, out)
    gather_rescaled(source.astype(np.float64), np.array([2, 0]), 0.5, 1.0, out)
    assert out.tolist() == [[3.0, 3.5, 4.0, 4.5], [-1.0, -0.5, 0.0, 0.5]]


def test_entry_points_refuse_bad_arguments():
    with pytest.raises(ValueError, match="precision of 4 or 8"):
        _mlp.sigmoid(2, 0, 0)
    with pytest.raises(TypeError, match="expected 3 arguments"):
        _mlp.sigmoid(4, 0)
    with pytest.raises(TypeError):
        _mlp.adam(4, 0, 0, 0, 0, 0, "r", 0.1, 0.1, 0.1, 0.1)


def test_gather_rescaled_matches_rescale_for_pixels_and_augmented_floats():
    gen = np.random.default_rng(6)
    images = gen.integers(0, 256, (20, 4, 4, 3), dtype=np.uint8)
    rows = np.array([7, 0, 19, 7, 3])
    expected = rescale(images)[rows]
    for source in (images.reshape(20, -1), images.reshape(20, -1).astype(np.float32)):
        out = np.empty((5, 48), np.float32)
        gather_rescaled(source, rows, np.float32(1 / 127.5), np.float32(1), out)
        assert np.array_equal(out, expected)


def test_blas_threads_context_restores():
    x = np.ones((4, 4), np.float32)
    with blas_threads(1):
        assert (x @ x == 4).all()
    assert (x @ x == 4).all()


def test_the_trainer_needs_neither_numba_nor_scipy():
    """Start-up cost: numba's import and kernel loading took ~1 s in every new process."""
    import subprocess

    code = "import sys, artgen.training; print('numba' in sys.modules, 'scipy' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False"]


# sha256 prefixes of the models these trainings gave with the earlier numba kernels: the
# C kernels compute every value in the same order, so retraining gives the same bytes (on the
# AVX2 path, on CI's CPU: trained weights are bit-stable on one machine and one kernel path)
RETRAINED = {
    ("ReLU", (13, 9, 6)): "500e2ef6",
    ("LeakyReLU", (9, 6)): "2a91d71e",
    ("tanh", (10, 8, 5, 3)): "7997e31b",
    ("Sigmoid", (20, 10, 20)): "4e0e8497",
}


@pytest.mark.parametrize("activation, hidden", list(RETRAINED))
def test_retraining_gives_the_same_bytes_as_before(activation, hidden, monkeypatch):
    monkeypatch.setenv(KERNELS_VARIABLE, "avx2")
    data = default_dataset(seed=5, per_class=30, size=(8, 8), cache=False)
    config = TrainConfig(hidden, activation, epochs=3, input_hw=(8, 8))
    digest = hashlib.sha256(dumps_model(train(config, data, seed=7).model).encode()).hexdigest()
    assert digest[:8] == RETRAINED[(activation, hidden)]


# --- the kernel paths ----------------------------------------------------------------------

#: How far the kernel paths' models of these small recipes may drift apart (README,
#: Determinism): the largest difference in any weight, and in any class probability.
WEIGHT_TOLERANCE, PROBABILITY_TOLERANCE = 1e-4, 1e-3


def test_each_kernel_path_repeats_its_bytes_and_the_paths_agree_to_rounding(monkeypatch):
    """On one machine and one path a training gives the same bytes; the three paths sum in
    different orders, so their models differ in the last bits: for these small recipes, within
    the stated tolerance (deep networks can drift further apart: README, Determinism)."""
    assert available_kernel_paths() == KERNEL_PATHS, "CI's CPU has AVX2 and FMA, _thin is built"
    data = default_dataset(seed=5, per_class=60, size=(12, 12), cache=False)
    recipes = [("ReLU", (13, 9)), ("LeakyReLU", (9, 6)), ("tanh", (10, 8, 5)), ("Sigmoid", (20, 9))]
    for activation, hidden in recipes:
        config = TrainConfig(hidden, activation, epochs=8, input_hw=(12, 12), batch_size=16)
        texts = {}
        for path in KERNEL_PATHS:
            monkeypatch.setenv(KERNELS_VARIABLE, path)
            texts[path] = dumps_model(train(config, data, seed=7).model)
            assert dumps_model(train(config, data, seed=7).model) == texts[path]
        assert len(set(texts.values())) == 3, "the switch must change the path"
        models = {path: loads_model(text) for path, text in texts.items()}
        reference = forward(models["avx2"], data.images)
        for path in KERNEL_PATHS[1:]:
            for a, b in zip(models["avx2"].dense, models[path].dense, strict=True):
                assert np.abs(a.kernel - b.kernel).max() <= WEIGHT_TOLERANCE
                assert np.abs(a.bias - b.bias).max() <= WEIGHT_TOLERANCE
            probabilities = forward(models[path], data.images)
            assert np.abs(probabilities - reference).max() <= PROBABILITY_TOLERANCE


def test_the_kernel_path_comes_from_the_argument_then_the_environment(monkeypatch):
    monkeypatch.delenv(KERNELS_VARIABLE, raising=False)
    assert kernel_path() == "avx2" and Network((4, 3, 2), "relu").path == "avx2"
    monkeypatch.setenv(KERNELS_VARIABLE, "auto")
    assert kernel_path() == "avx2"
    monkeypatch.setenv(KERNELS_VARIABLE, "blas")
    net = Network((4, 3, 2), "relu")
    assert net.path == "blas" and not net.thin and net.inner_sizes == (4, 4, 2)  # BLAS pads
    assert Network((4, 3, 2), "relu", path="portable").path == "portable"
    assert Network((4, 3, 2), "relu", dtype=np.float64).path == "blas"


def test_an_unknown_kernel_path_is_a_one_line_error_before_any_work(monkeypatch, tmp_path):
    monkeypatch.setenv(KERNELS_VARIABLE, "fastest")
    with pytest.raises(ConfigError) as err:
        Network((4, 3, 2), "relu")
    message = str(err.value)
    assert KERNELS_VARIABLE in message and "auto, avx2, portable, blas" in message
    assert "'fastest'" in message and "\n" not in message
    with pytest.raises(ConfigError, match=KERNELS_VARIABLE):
        train_and_save(tmp_path / "m.json", dataset=tmp_path / "absent")  # before the dataset
    assert not (tmp_path / "m.json").exists()
    with pytest.raises(ConfigError, match="expected one of"):
        kernel_path("AVX2")


def test_a_machine_without_the_thin_extension_trains_with_blas(monkeypatch):
    from artgen.training import kernels

    monkeypatch.delenv(KERNELS_VARIABLE, raising=False)
    monkeypatch.setattr(kernels, "_thin", None)
    assert available_kernel_paths() == ("blas",) and kernel_path() == "blas"
    with pytest.raises(ConfigError, match="'portable' kernels need the built _thin extension"):
        kernel_path("portable")
