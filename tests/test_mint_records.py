"""Records are never lost: growth without --force, forced re-mints that back up what they
replace and keep inscription ids and upgrades, refusals of changes an inscription cannot take,
and kill -9 during growth and during a forced re-mint, then resume."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys

import numpy as np
import pytest
from mint_configs import tiny_config
from ord_batches import check_ord_batches, inscribe_pending
from PIL import Image

from artgen.model import build_model, save_model
from collection.mint import mint_collection, upgrade_token, verify

TINY = tiny_config("Records Test", size=4, seed=11)
SMALLER_STILLS = TINY.replace("sizes = [256]", "sizes = [128]")
OTHER_DATA = TINY.replace("per_class = 40", "per_class = 30")
EXACT = TINY.replace("seed = 11", 'seed = 11\nrarity = "exact"')
ARTGEN = [sys.executable, "-c", "from collection.cli import main; main()"]


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """(folder with configs, a 4-token collection whose parent and models are inscribed and
    whose token 2 was upgraded, cache)."""
    folder = tmp_path_factory.mktemp("records")
    cache = folder / "cache"
    for name, text in (("tiny", TINY), ("stills", SMALLER_STILLS), ("data", OTHER_DATA),
                       ("exact", EXACT)):  # fmt: skip
        (folder / f"{name}.toml").write_text(text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ARTGEN_CACHE", str(cache))
        root = mint_collection(folder / "base", config=folder / "tiny.toml", workers=1,
                               progress=False).root  # fmt: skip
        inscribe_pending(root, folder, 1)  # the parent
        inscribe_pending(root, folder, 10)  # the models
        upgrade_token(root, 2, upgraded_model(folder / "upgrade.json"))
    return folder, root, cache


def upgraded_model(path):
    rng = np.random.default_rng(5)
    sizes = (8 * 8 * 3, 6, 4)
    weights = [(rng.normal(size=(a, b)).astype(np.float32), np.zeros(b, np.float32))
               for a, b in zip(sizes, sizes[1:], strict=False)]  # fmt: skip
    classes = ("Cryptoadz", "Cryptopunks", "Moonbirds", "Nouns")
    traits = {"structure_gen": "Custom", "n_layers": 1, "max_nodes": 6,
              "activation_func": "tanh", "epoch_num": 3}  # fmt: skip
    save_model(build_model("upgraded", (8, 8), (6,), "tanh", classes, weights, traits), path)
    return path


def copy_of(base, tmp_path):
    root = tmp_path / "copy"
    shutil.copytree(base[1], root)
    return root


def mint(base, root, config="tiny", *flags, crash=None):
    folder, _, cache = base
    env = {**os.environ, "ARTGEN_CACHE": str(cache)}
    env.pop("ARTGEN_CRASH_AT", None)
    if crash:
        env["ARTGEN_CRASH_AT"] = crash
    command = [*ARTGEN, "mint", "--config", str(folder / f"{config}.toml"), "--out", str(root)]
    return subprocess.run(
        [*command, "--workers", "1", *flags], env=env, capture_output=True, text=True, timeout=180
    )


def token_files(root, tokens):
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for d in ("models", "images", "thumbnails")
        for p in (root / d).rglob("*")
        if p.is_file() and int(p.stem) in tokens
    }


def model_ids(root):
    inscribed = json.loads((root / "ord/inscribed.json").read_text())
    return {i["file"]: i["id"] for b in inscribed["batches"] for i in b["inscriptions"]}


@pytest.fixture(scope="module")
def grown_reference(base, tmp_path_factory):
    root = tmp_path_factory.mktemp("grown") / "copy"
    shutil.copytree(base[1], root)
    run = mint(base, root, "tiny", "--size", "6")
    assert run.returncode == 0, run.stderr
    return root, run.stderr  # the summary is status: stderr


def test_growth_needs_no_force_and_makes_only_the_new_tokens(base, grown_reference, tmp_path):
    root = copy_of(base, tmp_path)
    before = token_files(root, range(4))
    inscribed = (root / "ord/inscribed.json").read_bytes()
    run = mint(base, root, "tiny", "--size", "6")
    assert run.returncode == 0, run.stderr
    assert "grown: 6 tokens (2 made now)" in run.stderr and "backup" not in run.stderr
    assert token_files(root, range(4)) == before  # same bytes, not even written again
    assert (root / "ord/inscribed.json").read_bytes() == inscribed
    assert not (root / "backups").exists()
    ids = model_ids(root)
    meta = json.loads((root / "metadata/1.json").read_text())
    assert meta["inscriptions"]["model"] == ids["models/1.json"]
    assert len(json.loads((root / "upgrades.json").read_text())) == 1
    (doc,) = check_ord_batches(root)  # the upgrade and the new models, children of the parent
    files = ["models/2.json", "models/4.json", "models/5.json"]
    assert [e["file"] for e in doc["inscriptions"]] == files
    assert doc["parents"] == [ids["ord/cover.html"]]
    assert (root / "manifest.json").read_bytes() == (
        grown_reference[0] / "manifest.json"
    ).read_bytes()
    assert verify(root) == []


@pytest.mark.parametrize("crash", ["start:0", "job:2", "files:5", "record:4", "finalize:3"])
def test_kill_during_growth_then_resume(base, grown_reference, tmp_path, crash):
    root = copy_of(base, tmp_path)
    inscribed = (root / "ord/inscribed.json").read_bytes()
    killed = mint(base, root, "tiny", "--size", "6", crash=crash)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert (root / "ord/inscribed.json").read_bytes() == inscribed
    resumed = mint(base, root, "tiny", "--size", "6")
    assert resumed.returncode == 0, resumed.stderr
    assert (root / "manifest.json").read_bytes() == (
        grown_reference[0] / "manifest.json"
    ).read_bytes()
    assert (root / "ord/inscribed.json").read_bytes() == inscribed
    assert verify(root) == [] and not (root / "backups").exists()


@pytest.fixture(scope="module")
def forced_reference(base, tmp_path_factory):
    root = tmp_path_factory.mktemp("forced") / "copy"
    shutil.copytree(base[1], root)
    run = mint(base, root, "stills", "--force")
    assert run.returncode == 0, run.stderr
    return root, run.stderr  # the summary is status: stderr


def test_force_backs_up_what_it_replaces_and_keeps_ids_and_upgrades(base, forced_reference):
    _, old, _ = base
    root, out = forced_reference
    (backup,) = (root / "backups").iterdir()
    assert f"backup: {backup}" in out and "ord/inscribed.json stays in place" in out
    assert (root / "ord/inscribed.json").read_bytes() == (old / "ord/inscribed.json").read_bytes()
    kept = ["images/0.png", "images/2.png", "records/2.json", "upgrades.json"]
    kept += ["ord/inscribed.json", "manifest.json", "collection.toml", "metadata/3.json"]
    for rel in kept:
        source = old / (rel if rel != "records/2.json" else ".artgen/tokens/2.json")
        assert (backup / rel).read_bytes() == source.read_bytes(), rel
    with Image.open(root / "images/0.png") as im:
        assert im.size == (128, 128)
    for t in range(4):  # the inscribed models are made again byte for byte
        rel = f"models/{t}.json"
        assert (root / rel).read_bytes() == (old / rel).read_bytes()
    assert json.loads((root / "upgrades.json").read_text()) == json.loads(
        (old / "upgrades.json").read_text()
    )
    meta = json.loads((root / "metadata/2.json").read_text())
    assert meta["hidden_layers"] == [6] and len(meta["upgrades"]) == 1
    assert verify(root) == [] and not (root / ".artgen/force.json").exists()
    check_ord_batches(root)


@pytest.mark.parametrize("crash", ["backup:0", "backup:2", "job:1", "record:3", "finalize:2"])
def test_kill_during_a_forced_remint_then_resume(base, forced_reference, tmp_path, crash):
    root = copy_of(base, tmp_path)
    inscribed = (root / "ord/inscribed.json").read_bytes()
    killed = mint(base, root, "stills", "--force", crash=crash)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert (root / "ord/inscribed.json").read_bytes() == inscribed
    resumed = mint(base, root, "stills", "--force")
    assert resumed.returncode == 0, resumed.stderr
    reference = forced_reference[0]
    assert (root / "manifest.json").read_bytes() == (reference / "manifest.json").read_bytes()
    assert (root / "ord/inscribed.json").read_bytes() == inscribed
    (backup,) = (root / "backups").iterdir()  # one backup, the same across the kill
    assert (backup / "images/1.png").read_bytes() == (base[1] / "images/1.png").read_bytes()
    assert (backup / "upgrades.json").exists() and verify(root) == []


def test_a_change_an_inscription_cannot_take_is_refused_by_name(base, tmp_path):
    root = copy_of(base, tmp_path)
    before = (root / "manifest.json").read_bytes()
    run = mint(base, root, "data", "--force")
    assert run.returncode == 2, run.stdout
    line = run.stderr.strip()
    assert len(line.splitlines()) == 1 and "an inscription cannot change" in line
    assert "token 0 (" in line and "its model would change" in line
    assert "token 2" not in line  # upgraded: its inscribed model is kept
    smaller = mint(base, root, "tiny", "--size", "2", "--force")
    assert smaller.returncode == 2 and "token 3 (" in smaller.stderr and "dropped" in smaller.stderr
    assert (root / "manifest.json").read_bytes() == before
    assert not (root / "backups").exists() and not (root / ".artgen/force.json").exists()


def test_growth_that_changes_existing_traits_needs_force(base, tmp_path):
    folder, _, cache = base
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ARTGEN_CACHE", str(cache))
        root = mint_collection(tmp_path / "exact", config=folder / "exact.toml", workers=1,
                               progress=False).root  # fmt: skip
    run = mint(base, root, "exact", "--size", "6")
    assert run.returncode == 2 and "another config" in run.stderr and "--force" in run.stderr
    forced = mint(base, root, "exact", "--size", "6", "--force")
    assert forced.returncode == 0, forced.stderr
    assert "6 tokens (6 made now)" in forced.stderr and verify(root) == []
