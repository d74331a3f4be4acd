"""Provenance and ord's own properties: the parent first, every later batch its child, batches
that wait for ids, the gallery, title and traits, --compress estimates, `artgen status`."""

from __future__ import annotations

import json
import shutil

import pytest
import yaml
from click.testing import CliRunner
from ord_batches import check_ord_batches, inscribe_pending, report

from artgen.inscription.compression import ord_compress
from artgen.tables import TRAIT_NAMES
from collection.cli import cli
from collection.mint import mint_collection, verify

ART = """
[collection]
name = "Provenance Test"
size = 3
seed = 4
[dataset]
image_size = [8, 8]
per_class = 30
[render]
sizes = [128]
formats = ["png", "html"]
thumbnail_size = 64
[ord]
gallery = true
{extra}
"""
OWN_PARENT = "ab" * 32 + "i7"


def mint(tmp_path_factory, name, extra=""):
    folder = tmp_path_factory.mktemp(name)
    config = folder / "c.toml"
    config.write_text(ART.format(extra=extra), encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ARTGEN_CACHE", str(folder / "cache"))
        return mint_collection(folder / "out", config=config, workers=1, progress=False).root


@pytest.fixture(scope="module")
def minted(tmp_path_factory):
    return mint(tmp_path_factory, "provenance", "compress = true")


def real_ids(root) -> dict[str, str]:
    inscribed = json.loads((root / "ord/inscribed.json").read_text())
    return {i["file"]: i["id"] for b in inscribed["batches"] for i in b["inscriptions"]}


def test_the_parent_comes_first_and_every_later_batch_is_its_child(minted, tmp_path):
    root = tmp_path / "copy"
    shutil.copytree(minted, root)
    first = report(root)["batches"]
    assert [f["kind"] for f in first[0]["files"]] == ["parent"] and first[0]["parents"] == 0
    assert first[0]["status"] == "pending"
    assert {b["status"] for b in first[1:]} == {"waiting"}
    waits = {tuple(f["kind"] for f in b["files"])[0]: b["waiting_for"] for b in first[1:]}
    assert waits["engine"] == "the parent's id"  # the engine and models need only the parent
    assert waits["html"] == "the ids of the parent, the engine and the models"
    assert waits["gallery"] == "the parent's id and every token's inscription"
    assert b"Provenance Test" in (root / "ord/cover.html").read_bytes()
    check_ord_batches(root)

    inscribe_pending(root, tmp_path, 1)  # the parent
    parent = real_ids(root)["ord/cover.html"]
    assert report(root)["parent"] == parent
    assert json.loads((root / "meta.json").read_text())["parent"] == parent
    batches = report(root)["batches"]
    refs = [b for b in batches if b["status"] == "pending"]
    assert {f["kind"] for b in refs for f in b["files"]} == {"engine", "model"}
    waiting = [b for b in batches if b["status"] == "waiting"]
    html = [b for b in waiting if b["files"][0]["kind"] == "html"]
    assert html and all(set(b["waits_on"]) >= {r["name"] for r in refs} for b in html)
    for doc in check_ord_batches(root):
        assert doc["parents"] == [parent]

    inscribe_pending(root, tmp_path, 100)  # engine and models
    ids = real_ids(root)
    docs = check_ord_batches(root)
    assert [e["file"] for d in docs for e in d["inscriptions"]] == [
        f"art/{t}.html" for t in range(3)
    ]
    page = (root / "art/0.html").read_text()
    assert ids["art/engine.js"] in page and ids["models/0.json"] in page

    inscribe_pending(root, tmp_path, 200)  # the art
    ids = real_ids(root)
    (doc,) = check_ord_batches(root)
    (entry,) = doc["inscriptions"]
    assert entry["file"] == "ord/gallery.html" and doc["parents"] == [parent]
    assert entry["gallery"] == [
        {"id": ids[f"art/{t}.html"], "title": f"Provenance Test #{t}"} for t in range(3)
    ]
    assert ids["art/2.html"] in (root / "ord/gallery.html").read_text()

    inscribe_pending(root, tmp_path, 300)  # the gallery
    assert {b["status"] for b in report(root)["batches"]} == {"inscribed"}
    run = CliRunner().invoke(cli, ["status", str(root)])
    assert run.exit_code == 0 and "every inscription of the collection is inscribed" in run.output
    assert verify(root) == []


@pytest.fixture(scope="module")
def own_parent(tmp_path_factory):
    return mint(tmp_path_factory, "own", f'parent = "{OWN_PARENT}"')


def test_token_entries_carry_title_and_the_twelve_traits(own_parent):
    root = own_parent
    (doc,) = check_ord_batches(root)  # engine and models; the HTML and gallery wait
    models = [e for e in doc["inscriptions"] if e["file"].startswith("models/")]
    assert [e["title"] for e in models] == [f"Provenance Test #{t}" for t in range(3)]
    for t, entry in enumerate(models):
        meta = json.loads((root / f"metadata/{t}.json").read_text())
        assert list(entry["traits"]) == list(TRAIT_NAMES)
        values = entry["traits"].values()
        assert all(isinstance(v, str | int) and not isinstance(v, bool | float) for v in values)
        assert entry["traits"] == {a["trait_type"]: a["value"] for a in meta["attributes"]}
        assert entry["metadata"]["kind"] == "model" and entry["metadata"]["name"] == entry["title"]


def test_compress_batches_estimate_brotli_sizes(minted, tmp_path_factory):
    plain = mint(tmp_path_factory, "plain")
    squeezed, raw = report(minted), report(plain)
    assert squeezed["compress"] is True and raw["compress"] is False
    model = (minted / "models/0.json").read_bytes()
    files = {f["file"]: f for b in squeezed["batches"] for f in b["files"]}
    assert files["models/0.json"]["chain_bytes"] == len(ord_compress(model, "application/json"))
    assert squeezed["pending"]["vbytes"] < 0.8 * raw["pending"]["vbytes"]
    head = (minted / "ord/batch-001.yaml").read_text()
    assert "ord wallet batch --fee-rate 10 --compress --batch ord/batch-001.yaml" in head
    assert "--compress" not in (plain / "ord/batch-001.yaml").read_text()


def test_an_existing_parent_is_named_at_once(own_parent):
    root = own_parent
    batches = report(root)["batches"]
    assert "parent" not in {f["kind"] for b in batches for f in b["files"]}
    assert batches[0]["status"] == "pending" and not (root / "ord/cover.html").exists()
    for doc in check_ord_batches(root):
        assert doc["parents"] == [OWN_PARENT]
    assert json.loads((root / "meta.json").read_text())["parent"] == OWN_PARENT


def test_no_parent_and_a_metadata_parent(tmp_path_factory):
    root = mint(tmp_path_factory, "none", 'parent = "none"')
    assert all("parents" not in doc for doc in check_ord_batches(root))
    root = mint(tmp_path_factory, "meta", 'parent = "metadata"')
    parent = json.loads((root / "ord/collection.json").read_text())
    assert parent["name"] == "Provenance Test" and "supply" not in parent
    doc = yaml.safe_load((root / "ord/batch-001.yaml").read_text())
    assert [e["file"] for e in doc["inscriptions"]] == ["ord/collection.json"]


def test_status_names_what_waits_and_what_to_pay(minted):
    run = CliRunner().invoke(cli, ["status", str(minted)])
    assert run.exit_code == 0, run.output
    lines = run.output.splitlines()
    assert "batch-001  pending" in lines[1] and "ready: ord/batch-001.yaml" in lines[1]
    assert any(
        "waiting" in line and "waits for the parent's id (batch-001)" in line for line in lines
    )
    total = report(minted)["pending"]["total_sats"]
    assert any(line.startswith("to pay:") and f"{total:,} sats" in line for line in lines)
    assert "--compress --batch ord/batch-001.yaml" in lines[-1]
    as_json = CliRunner().invoke(cli, ["status", str(minted), "--json"])
    assert as_json.exit_code == 0 and json.loads(as_json.stdout) == report(minted)
    bad = CliRunner().invoke(cli, ["status", str(minted / "nothing")])
    assert bad.exit_code == 2 and "mint the collection first" in bad.output


def test_a_bad_parent_is_refused_before_anything(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text(ART.format(extra='parent = "mine"'), encoding="utf-8")
    run = CliRunner().invoke(cli, ["mint", "--config", str(config), "--out", str(tmp_path / "o")])
    assert run.exit_code == 2 and "ord.parent" in run.output and "inscription id" in run.output
    assert not (tmp_path / "o").exists()
