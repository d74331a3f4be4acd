"""The collection minter: files, metadata, manifest, resume rules, bad input, workers."""

from __future__ import annotations

import gc
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from mint_configs import tiny_config
from ord_batches import check_ord_batches
from PIL import Image
from training_data import easy_folder

import artgen
from artgen.tables import TRAIT_NAMES
from artgen.training import train_and_save
from collection.cli import cli
from collection.config import config_hash, load_config
from collection.mint import contact, mint_collection, verify
from collection.mint import previews as previews_module
from collection.mint.demo import demo_lines
from collection.mint.finalize import read_records
from collection.mint.token import MintSpec, mint_token
from collection.sampling import collection_traits

TINY = tiny_config("Tiny Perceptrons", size=6, seed=7)


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _cache_env(monkeypatch, cache):
    monkeypatch.setenv("ARTGEN_CACHE", str(cache))


def write_config(folder, text=TINY, name="tiny.toml"):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def minted(tmp_path_factory, cache):
    """A tiny collection minted in-process (one worker), with its progress output."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ARTGEN_CACHE", str(cache))
        folder = tmp_path_factory.mktemp("minted")
        config = write_config(folder)
        stream = io.StringIO()
        result = mint_collection(folder / "out", config=config, workers=1, progress=stream)
    check_ord_batches(result.root)
    return result, stream.getvalue(), config


def manifest_of(root):
    return (root / "manifest.json").read_bytes()


def test_every_token_gets_model_still_thumbnail_and_metadata(minted):
    result, _, _ = minted
    root = result.root
    assert result.status == "minted" and result.tokens == 6 and result.minted == 6
    for t in range(6):
        for rel in (
            f"models/{t}.json",
            f"images/{t}.png",
            f"thumbnails/{t}.png",
            f"metadata/{t}.json",
        ):
            assert (root / rel).is_file(), rel
        model = json.loads((root / f"models/{t}.json").read_text())
        assert set(model) >= {"model_name", "layers_config", "weight_b64", "training_traits"}
        with Image.open(root / f"images/{t}.png") as im:
            assert im.size == (256, 256)
    config = load_config(root / "collection.toml")
    assert config_hash(config) == json.loads((root / "metadata/0.json").read_text())["config_hash"]


def test_metadata_is_opensea_style_with_traits_provenance_and_stage(minted):
    result, _, config_path = minted
    meta = json.loads((result.root / "metadata/3.json").read_text())
    assert meta["name"] == "Tiny Perceptrons #3"
    model = json.loads((result.root / "models/3.json").read_text())
    assert model["model_name"] == meta["model"]["name"] == "Tiny Perceptrons #3"
    assert meta["image"] == "images/3.png"
    assert [a["trait_type"] for a in meta["attributes"]] == list(TRAIT_NAMES)
    values = {a["trait_type"]: a["value"] for a in meta["attributes"]}
    for name in ("Birth Year", "Hidden Layers", "Max Neurons Per Hidden Layer", "Training Epochs"):
        assert isinstance(values[name], int)
    assert meta["seed"] == 7 and meta["token"] == 3
    assert meta["config_hash"] == config_hash(load_config(config_path))
    assert meta["engine_version"] == artgen.__version__
    assert meta["command"].startswith("artgen mint --config collection.toml")
    assert meta["birth_year_history"]
    assert len(meta["hidden_layers"]) == values["Hidden Layers"]
    assert meta["stage"]["name"] in ("Growing", "Stable", "Decaying", "Dead", "Rebirth")
    assert re.fullmatch(r"[0-9a-f]{64}i0", meta["inscriptions"]["model"])
    assert "animation_url" not in meta  # no previews configured


def test_artgen_train_writes_the_model_a_default_named_collection_mints(tmp_path):
    """One traits-to-recipe path: `artgen train --seed S --token T` (train_and_save) writes
    byte for byte the model `artgen mint` writes for token T of a collection that keeps the
    default name, on the same dataset at the default 32 x 32."""
    data = easy_folder(tmp_path / "data")
    seed = 18  # token 0 trains 4 epochs of a 6-3 network: quick
    config = tmp_path / "c.toml"
    config.write_text(
        f"[collection]\nsize = 1\nseed = {seed}\n[dataset]\nsource = {json.dumps(str(data))}\n"
        '[render]\nsizes = [256]\nformats = ["png"]\nthumbnail_size = 64\n',
        encoding="utf-8",
    )
    minted = mint_collection(tmp_path / "out", config=config, workers=1, progress=False).root
    train_and_save(tmp_path / "m.json", seed=seed, token=0, dataset=data)
    text = (tmp_path / "m.json").read_text()
    assert (minted / "models/0.json").read_text() == text
    name = json.loads((minted / "metadata/0.json").read_text())["name"]
    assert json.loads(text)["model_name"] == name == "Perceptrons #0"


def test_tokens_are_unique(minted):
    result, _, _ = minted
    sets = []
    for t in range(6):
        meta = json.loads((result.root / f"metadata/{t}.json").read_text())
        sets.append(tuple(a["value"] for a in meta["attributes"]))
    assert len(set(sets)) == 6


def test_ordinals_files(minted):
    result, _, _ = minted
    items = json.loads((result.root / "inscriptions.json").read_text())
    assert len(items) == 6
    assert set(items[0]) == {"id", "meta"} and set(items[0]["meta"]) == {"name", "attributes"}
    sha = json.loads((result.root / "metadata/0.json").read_text())["model"]["sha256"]
    assert items[0]["id"] == f"{sha}i0"  # placeholder from the content hash
    meta = json.loads((result.root / "meta.json").read_text())
    assert meta["name"] == "Tiny Perceptrons" and meta["supply"] == 6


def test_manifest_lists_every_file_sorted_with_hashes(minted):
    result, _, _ = minted
    root = result.root
    manifest = json.loads(manifest_of(root))
    paths = [f["path"] for f in manifest["files"]]
    assert paths == sorted(paths)
    assert "manifest.json" not in paths and not any(p.startswith(".") for p in paths)
    on_disk = sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file()
        and ".artgen" not in p.parts
        and p.name != "manifest.json"
        and p.relative_to(root).parts[0] != "report"  # the report site: about the collection
    )
    assert paths == on_disk
    assert {"contact-sheet.png", "ord/batch-001.yaml", "collection.toml"} <= set(paths)
    assert verify(root) == []


def test_contact_sheet_is_a_png_with_every_thumbnail(minted):
    result, _, _ = minted
    with Image.open(result.root / "contact-sheet.png") as im:
        assert im.format == "PNG" and im.width >= 4 * 64 and im.height > 64
        sheet = np.asarray(im.convert("RGB"), np.int16)
    config = load_config(result.root / "collection.toml")
    records = read_records(result.root, config.size)
    items = contact.overview(config, records, "Color Palette").items
    cells = [item for item in items if item[0] == "thumbnail"]
    assert len(cells) == config.size
    for _, relative, x, y, cell in cells:  # each cell holds its token's thumbnail, shrunk
        with Image.open(result.root / relative) as thumb:
            small = np.asarray(thumb.convert("RGB").resize((cell, cell)), np.int16)
        placed = sheet[y : y + cell, x : x + cell]
        assert np.abs(placed - small).mean() < 6, relative


def test_contact_sheet_bands_give_the_same_pixels(minted):
    """Drawn and compressed in bands on threads: the pixels do not depend on the band count."""
    result, _, _ = minted
    config = load_config(result.root / "collection.toml")
    records = read_records(result.root, config.size)
    pixels = []
    for bands in (1, 2, contact.BANDS, 7):
        data = contact.contact_sheet(result.root, config, records, "Color Palette", bands=bands)
        with Image.open(io.BytesIO(data)) as im:
            pixels.append(np.asarray(im.convert("RGB")))
    assert all(np.array_equal(pixels[0], p) for p in pixels[1:])


def test_progress_bar_counts_and_eta(minted):
    _, progress, _ = minted
    assert "6/6 tokens" in progress and "ETA" in progress


def test_rerun_of_a_finished_mint_does_nothing(minted):
    result, _, config = minted
    before = {p: p.stat().st_mtime_ns for p in result.root.rglob("*") if p.is_file()}
    again = mint_collection(result.root, config=config, workers=1, progress=False)
    assert again.status == "already minted" and again.minted == 0
    assert before == {p: p.stat().st_mtime_ns for p in result.root.rglob("*") if p.is_file()}
    run = CliRunner().invoke(cli, ["mint", "--config", str(config), "--out", str(result.root)])
    assert run.exit_code == 0 and "nothing to do" in run.output


def test_changed_config_is_refused_unless_forced(minted, tmp_path):
    result, _, config = minted
    root = tmp_path / "copy"
    shutil.copytree(result.root, root)
    before = manifest_of(root)
    run = CliRunner().invoke(
        cli, ["mint", "--config", str(config), "--seed", "8", "--out", str(root)]
    )
    assert run.exit_code == 2
    assert "another config" in run.output and "--force" in run.output
    assert manifest_of(root) == before
    forced = mint_collection(root, config=config, seed=8, workers=1, progress=False, force=True)
    assert forced.status == "minted" and manifest_of(root) != before
    assert verify(root) == []


def test_two_workers_give_the_same_bytes(minted, tmp_path):
    result, _, config = minted
    other = mint_collection(tmp_path / "two", config=config, workers=2, progress=False)
    assert manifest_of(other.root) == manifest_of(result.root)


def test_verify_names_corrupted_and_missing_files(minted, tmp_path):
    result, _, _ = minted
    root = tmp_path / "copy"
    shutil.copytree(result.root, root)
    ok = CliRunner().invoke(cli, ["verify", str(root)])
    assert ok.exit_code == 0
    image = root / "images/2.png"
    data = bytearray(image.read_bytes())
    data[100] ^= 0xFF  # same size, different bytes
    image.write_bytes(bytes(data))
    (root / "models/4.json").unlink()
    run = CliRunner().invoke(cli, ["verify", str(root)])
    assert run.exit_code == 1
    lines = run.stdout.strip().splitlines()
    assert len(lines) == 2
    assert "images/2.png" in lines[0] and "sha256" in lines[0]
    assert "models/4.json" in lines[1] and "missing" in lines[1]


def test_reports_about_a_collection_stay_out_of_its_manifest(minted, tmp_path):
    """`artgen audit DIR` and the demo's showcase write into the collection's folder; the
    collection still verifies, while a stray file anywhere else is named."""
    result, _, _ = minted
    root = tmp_path / "copy"
    shutil.copytree(result.root, root)
    for report in ("audit/report.json", "showcase/stages.png", "showcase/samples/nouns.png"):
        (root / report).parent.mkdir(parents=True, exist_ok=True)
        (root / report).write_bytes(b"a report")
    assert verify(root) == []
    (root / "images" / "stray.png").write_bytes(b"not minted")
    assert [p.path for p in verify(root)] == ["images/stray.png"]


def test_verify_without_manifest_is_bad_input(tmp_path):
    run = CliRunner().invoke(cli, ["verify", str(tmp_path)])
    assert run.exit_code == 2 and "manifest" in run.output


def test_size_beyond_the_combinations_fails_before_any_work(tmp_path):
    one = {"Color Palette": '"Nak"', "Birth Year": "1943", "Life Cycle": '"60 Years"',
           "Network Architecture": '"Rectangle"', "Activation Function": '"ReLU"'}  # fmt: skip
    narrow = "".join(f'\n[tables."{k}"]\nvalues = [{v}]\nweights = [1]\n' for k, v in one.items())
    config = write_config(tmp_path, TINY.replace("size = 6\n", "size = 99999\n") + narrow)
    run = CliRunner().invoke(cli, ["mint", "--config", str(config), "--out", str(tmp_path / "o")])
    assert run.exit_code == 2
    assert "collection.size" in run.output and "combinations" in run.output
    assert not (tmp_path / "o").exists()


def test_bad_config_is_one_line_exit_2_and_writes_nothing(tmp_path):
    config = write_config(tmp_path, TINY.replace("per_class = 40", "per_class = -3"))
    run = CliRunner().invoke(cli, ["mint", "--config", str(config), "--out", str(tmp_path / "o")])
    assert run.exit_code == 2
    assert len(run.output.strip().splitlines()) == 1
    assert "tiny.toml" in run.output and "dataset.per_class" in run.output
    assert not (tmp_path / "o").exists()


def test_a_folder_with_other_files_is_refused(tmp_path):
    config = write_config(tmp_path)
    (tmp_path / "o").mkdir()
    (tmp_path / "o" / "notes.txt").write_text("mine")
    run = CliRunner().invoke(cli, ["mint", "--config", str(config), "--out", str(tmp_path / "o")])
    assert run.exit_code == 2 and "not empty" in run.output
    assert (tmp_path / "o" / "notes.txt").read_text() == "mine"


def test_previews_go_through_the_animation_facade_into_metadata(tmp_path, monkeypatch):
    calls = []

    def fake_write_preview(path, traits, *, hidden_sizes, chain, fps, seconds, size, tables):
        calls.append((traits.token, tuple(hidden_sizes), fps, seconds, size, tables))
        Image.new("RGB", (8, 8), (traits.token * 40, 0, 0)).save(path, format="GIF")

    monkeypatch.setattr(previews_module, "write_preview", fake_write_preview)
    text = TINY.replace('formats = ["png"]', 'formats = ["png", "gif"]').replace(
        "size = 6\n", "size = 2\n"
    )
    result = mint_collection(
        tmp_path / "o", config=write_config(tmp_path, text), workers=1, progress=False
    )
    meta = json.loads((result.root / "metadata/1.json").read_text())
    assert meta["animation_url"] == "previews/1.gif"
    assert (result.root / "previews/1.gif").read_bytes()[:3] == b"GIF"
    assert sorted(c[0] for c in calls) == [0, 1] and calls[0][2:5] == (25, 4.0, 256)
    assert calls[0][5] == load_config(result.root / "collection.toml").tables


def test_group_by_changes_only_the_contact_sheet(minted, tmp_path):
    result, _, config = minted
    root = tmp_path / "copy"
    shutil.copytree(result.root, root)
    before = json.loads(manifest_of(root))
    run = CliRunner().invoke(
        cli, ["mint", "--config", str(config), "--out", str(root), "--group-by", "Hidden Layers"]
    )
    assert run.exit_code == 0, run.output
    after = json.loads(manifest_of(root))
    changed = {a["path"] for a, b in zip(before["files"], after["files"], strict=True) if a != b}
    assert changed == {"contact-sheet.png"}
    bad = CliRunner().invoke(
        cli, ["mint", "--config", str(config), "--out", str(root), "--group-by", "Hair Colour"]
    )
    assert bad.exit_code == 2 and "Hair Colour" in bad.output


def test_summary_names_tokens_files_and_cost(tmp_path):
    config = write_config(tmp_path, TINY.replace("size = 6\n", "size = 2\n"))
    run = CliRunner().invoke(
        cli, ["mint", "--config", str(config), "--out", str(tmp_path / "o"), "--workers", "1"]
    )
    assert run.exit_code == 0, run.output
    assert "2 tokens" in run.stderr and "files:" in run.stderr and "sats" in run.stderr
    assert "2/2 tokens" in run.stderr


def test_demo_config_and_its_report(minted):
    demo = load_config(artgen_demo_config())
    assert (
        demo.size == 12
        and demo.dataset.per_class == 400
        and demo.render.formats == ("png", "mp4", "html")
    )
    lines = demo_lines(minted[0])
    text = "\n".join(lines)
    for where in (
        "images/<token>.png",
        "models/<token>.json",
        "ord/batch-001.yaml",
        "manifest.json",
        "contact-sheet.png",
        "inscriptions.json",
    ):
        assert where in text


def artgen_demo_config():
    from importlib import resources
    from pathlib import Path

    return Path(str(resources.files("collection").joinpath("demo.toml")))


def blas_environment(spec, item):
    """A job for the pool: what a worker sees of the BLAS thread variables."""
    import os

    return item, {name: os.environ.get(name) for name in spec}


def test_pool_workers_run_with_single_threaded_blas(monkeypatch):
    from collection.mint.parallel import BLAS_VARIABLES, run_jobs

    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    results = dict(run_jobs(blas_environment, BLAS_VARIABLES, range(4), workers=2))
    assert sorted(results) == [0, 1, 2, 3]
    assert all(env == dict.fromkeys(BLAS_VARIABLES, "1") for env in results.values())
    assert "OMP_NUM_THREADS" not in os.environ  # the coordinator's is untouched


def pool_run(mode: str) -> dict:
    """tests/pool_probe.py in a fresh interpreter: a coordinator with one thread ("fork") or
    with another thread running ("forkserver"), whatever threads this test run has."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent)}
    env.pop("ARTGEN_CRASH_AT", None)
    done = subprocess.run(
        [sys.executable, "-c", f"import pool_probe; pool_probe.main({mode!r})"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_single_threaded_coordinator_forks_its_workers_with_what_warm_loaded():
    run = pool_run("fork")
    assert run["threads"] == 1 and run["method"] == "fork"
    assert run["jobs"] == list(range(6))
    assert len(run["workers"]) == 2 and run["coordinator"] not in run["workers"]
    assert run["parents"] == [run["coordinator"]]  # forked from the coordinator itself
    assert run["warmed"] == ["spec"]  # warm ran once, in the coordinator, before the fork
    assert run["seen"] == [["spec"]] * 6  # and every worker started with what it loaded
    # inline jobs run in the coordinator and need no warming
    coordinator = run["coordinator"]
    assert [(item, pid) for item, pid, _ in run["inline"]] == [(0, coordinator), (1, coordinator)]


def test_a_coordinator_with_other_threads_gets_its_workers_from_a_fork_server():
    # a copy of a multi-threaded process (a Dask client, a browser driver) is not safe: the
    # workers come from a fork server, and must not take it for a dead coordinator
    run = pool_run("forkserver")
    assert run["threads"] == 2 and run["method"] == "forkserver"
    assert run["jobs"] == list(range(6))
    assert len(run["workers"]) == 2 and run["coordinator"] not in run["workers"]
    assert run["coordinator"] not in run["parents"] and len(run["parents"]) == 1
    assert run["warmed"] == []  # nothing to inherit: warm is not called for a fork server
    assert run["seen"] == [[]] * 6


def test_the_dataset_is_loaded_once_per_process(tmp_path, monkeypatch):
    from collection.mint import token

    calls = []
    real = token.default_dataset

    def counting(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(token, "default_dataset", counting)
    monkeypatch.setattr(token, "_DATASETS", {})
    text = TINY.replace("size = 6\n", "size = 3\n")
    mint_collection(tmp_path / "o", config=write_config(tmp_path, text), workers=1, progress=False)
    assert len(calls) == 1 and calls[0]["per_class"] == 40


def test_real_gif_previews_from_artgen_animation(tmp_path):
    text = TINY.replace('formats = ["png"]', 'formats = ["png", "gif"]\nfps = 5\nseconds = 1')
    text = text.replace("size = 6\n", "size = 2\n")
    result = mint_collection(
        tmp_path / "o", config=write_config(tmp_path, text), workers=1, progress=False
    )
    for t in range(2):
        with Image.open(result.root / f"previews/{t}.gif") as gif:
            assert gif.format == "GIF" and gif.size == (256, 256)
            durations = [gif.seek(k) or gif.info["duration"] for k in range(gif.n_frames)]
            assert sum(durations) == 1000  # 5 frames at 5 fps (a frame that moves not: held)
        meta = json.loads((result.root / f"metadata/{t}.json").read_text())
        assert meta["animation_url"] == f"previews/{t}.gif"
    assert verify(result.root) == []


def test_a_worker_keeps_nothing_from_the_tokens_it_made(tmp_path):
    """A worker's memory stays flat over a long run: no per-token cache outlives its token."""
    config = load_config(write_config(tmp_path, tiny_config("Flat", size=60, seed=3)))
    spec = MintSpec(config, config_hash(config), config.moment.chain_state())
    traits = collection_traits(config)
    for t in traits[:10]:  # the dataset, modules and shared caches, loaded once
        mint_token(spec, t)
    last = traits[10]
    tracemalloc.start()
    try:
        mint_token(spec, last)
        gc.collect()  # cyclic garbage is not kept memory
        before, _ = tracemalloc.get_traced_memory()
        # 49 other tokens, then the same one again: what the last token leaves (the scene a
        # render keeps for the next frame) is the same, anything kept per token is extra
        for t in [*traits[11:], last]:
            mint_token(spec, t)
        gc.collect()
        after, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # small bounded caches (a few hundred entries of draws) may still fill; anything kept per
    # token (a scene's outlines, a network's keys: ~20 kB a token) would grow a worker by tens
    # of MB over 2,000 tokens
    assert after - before < 150_000, f"{after - before} bytes kept by 49 tokens"
