"""`artgen upgrade`: a token gets a new model, keeps its look, records its history."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from click.testing import CliRunner
from mint_configs import mint_once, tiny_config
from ord_batches import check_ord_batches

from artgen.model import build_model, dumps_model, save_model
from collection.cli import cli
from collection.mint import verify

TINY = tiny_config("Upgrade Test", size=4, seed=21)
VISUAL = (
    "Color Palette",
    "Paper Pattern",
    "Hardware Acceleration",
    "Dataset",
    "Deep Learning Framework",
    "Life Cycle",
    "Birth Year",
)


@pytest.fixture(scope="module")
def minted(tmp_path_factory):
    return mint_once(tmp_path_factory, "upgrade", TINY)


@pytest.fixture
def collection(minted, tmp_path, monkeypatch):
    monkeypatch.setenv("ARTGEN_CACHE", str(minted.root.parent / "cache"))
    root = tmp_path / "copy"
    shutil.copytree(minted.root, root)
    return root


def new_model(path, hidden=(7, 5, 3), traits=None):
    rng = np.random.default_rng(0)
    sizes = (8 * 8 * 3, *hidden, 4)
    weights = [
        (rng.normal(size=(a, b)).astype(np.float32), np.zeros(b, np.float32))
        for a, b in zip(sizes, sizes[1:], strict=False)
    ]
    traits = traits or {
        "structure_gen": "Custom",
        "n_layers": 3,
        "max_nodes": 7,
        "activation_func": "tanh",
        "epoch_num": 9,
    }
    classes = ("Cryptoadz", "Cryptopunks", "Moonbirds", "Nouns")
    model = build_model("upgraded", (8, 8), hidden, "tanh", classes, weights, traits)
    save_model(model, path)
    return model


def values(meta):
    return {a["trait_type"]: a["value"] for a in meta["attributes"]}


def test_upgrade_redraws_the_token_and_records_it(collection, tmp_path):
    root = collection
    model = new_model(tmp_path / "new.json")
    before = json.loads((root / "metadata/2.json").read_text())
    still = (root / "images/2.png").read_bytes()
    other = (root / "images/1.png").read_bytes()
    run = CliRunner().invoke(
        cli, ["upgrade", str(root), "--token", "2", "--model", str(tmp_path / "new.json")]
    )
    assert run.exit_code == 0, run.output
    meta = json.loads((root / "metadata/2.json").read_text())
    assert {k: values(meta)[k] for k in VISUAL} == {k: values(before)[k] for k in VISUAL}
    assert values(meta)["Network Architecture"] == "Custom"
    assert values(meta)["Activation Function"] == "tanh"
    assert (values(meta)["Hidden Layers"], values(meta)["Max Neurons Per Hidden Layer"]) == (3, 7)
    assert values(meta)["Training Epochs"] == 9 and meta["hidden_layers"] == [7, 5, 3]
    assert (root / "models/2.json").read_text() == dumps_model(model)
    assert (root / "images/2.png").read_bytes() != still
    assert (root / "images/1.png").read_bytes() == other
    history = meta["upgrades"]
    assert len(history) == 1 and history[0]["previous_model_sha256"] == before["model"]["sha256"]
    assert history[0]["model_sha256"] == meta["model"]["sha256"]
    log = json.loads((root / "upgrades.json").read_text())
    assert [(e["token"], e["sequence"]) for e in log] == [(2, 1)]
    assert meta["inscriptions"]["model"] == meta["model"]["sha256"] + "i0"
    check_ord_batches(root)
    assert verify(root) == []
    again = CliRunner().invoke(
        cli, ["upgrade", str(root), "--token", "2", "--model", str(tmp_path / "new.json")]
    )
    assert again.exit_code == 0
    assert len(json.loads((root / "upgrades.json").read_text())) == 1


def test_an_unreadable_model_changes_nothing(collection, tmp_path):
    root = collection
    bad = tmp_path / "bad.json"
    bad.write_text('{"model_name": "x", "layers_config": ')
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    run = CliRunner().invoke(cli, ["upgrade", str(root), "--token", "1", "--model", str(bad)])
    assert run.exit_code == 2
    assert len(run.output.strip().splitlines()) == 1 and "bad.json" in run.output
    assert before == {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_training_traits_must_match_the_network(collection, tmp_path):
    traits = {
        "structure_gen": "Custom",
        "n_layers": 5,
        "max_nodes": 7,
        "activation_func": "tanh",
        "epoch_num": 9,
    }
    new_model(tmp_path / "liar.json", traits=traits)
    run = CliRunner().invoke(
        cli, ["upgrade", str(collection), "--token", "0", "--model", str(tmp_path / "liar.json")]
    )
    assert run.exit_code == 2 and "training_traits.n_layers" in run.output


def test_unknown_token_is_refused(collection, tmp_path):
    new_model(tmp_path / "new.json")
    run = CliRunner().invoke(
        cli, ["upgrade", str(collection), "--token", "9", "--model", str(tmp_path / "new.json")]
    )
    assert run.exit_code == 2 and "--token" in run.output
