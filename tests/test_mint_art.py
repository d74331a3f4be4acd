"""The art inscription in a minted collection: the minter writes the engine and each token's HTML,
orders the ord batches (engine, models, then the HTML that names them), fills in the real ids
from ord's output, and `artgen serve` runs the art from the folder as ord would."""

from __future__ import annotations

import json
import re
import shutil

import pytest
import yaml
from click.testing import CliRunner
from ord_batches import check_ord_batches
from test_inscription import serving

from artgen.chain import ChainState
from artgen.inscription import TOKEN_HTML_LIMIT, engine_js, placeholder_id, token_html
from collection.cli import cli
from collection.config import load_config
from collection.mint import mint_collection, verify
from collection.sampling import collection_traits

ART = """
[collection]
name = "Art Perceptrons"
size = 3
seed = 11
[dataset]
image_size = [8, 8]
per_class = 30
[render]
sizes = [256]
formats = ["png", "html"]
thumbnail_size = 64
[ord]
parent = "none"
"""
CHAIN = ChainState(time=1_750_000_000.0, height=900_100, fee_rate=21.0)


@pytest.fixture(scope="module")
def minted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("art")
    config = folder / "art.toml"
    config.write_text(ART, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ARTGEN_CACHE", str(folder / "cache"))
        root = mint_collection(folder / "out", config=config, workers=1, progress=False).root
    check_ord_batches(root)
    return root


def html_ids(root, token: int) -> tuple[str, str]:
    """(engine id, model id) that token's HTML names."""
    page = (root / f"art/{token}.html").read_text()
    engine = re.search(r'<script src="/content/([0-9a-fi]+)">', page).group(1)
    model = json.loads(re.search(r'id="perceptron">(.*?)</script>', page).group(1))["m"]
    return engine, model


def open_art(browser, url: str, ident: str) -> dict:
    page = browser.new_page()
    try:
        page.goto(f"{url}content/{ident}")
        page.wait_for_function("window.Perceptron && Perceptron.ready")
        page.evaluate("Perceptron.ready")
        return page.evaluate(
            """(app => ({model: app.model && app.model.name, error: app.message.textContent,
                  nodes: app.stillScene.nodes.length, time: app.chain.time}))(Perceptron.app)"""
        )
    finally:
        page.close()


def test_the_minter_writes_the_engine_and_a_small_html_per_token(minted):
    engine = (minted / "art/engine.js").read_bytes()
    assert engine == engine_js().encode()
    for token in range(3):
        data = (minted / f"art/{token}.html").read_bytes()
        assert len(data) <= TOKEN_HTML_LIMIT
        model = (minted / f"models/{token}.json").read_bytes()
        assert html_ids(minted, token) == (placeholder_id(engine), placeholder_id(model))
        meta = json.loads((minted / f"metadata/{token}.json").read_text())
        assert meta["inscriptions"]["html"] == placeholder_id(data)
    items = json.loads((minted / "inscriptions.json").read_text())
    assert items[0]["id"] == placeholder_id((minted / "art/0.html").read_bytes())
    assert verify(minted) == []


def test_the_minter_s_html_is_the_library_s_token_html_with_the_collection_s_tables(minted):
    config = load_config(minted / "collection.toml")
    engine = placeholder_id((minted / "art/engine.js").read_bytes())
    for traits in collection_traits(config):
        model = placeholder_id((minted / f"models/{traits.token}.json").read_bytes())
        page = token_html(traits, engine_id=engine, model_id=model, tables=config.tables)
        assert (minted / f"art/{traits.token}.html").read_text() == page


def test_batches_put_the_engine_first_then_models_and_hold_the_html_back(minted):
    report = json.loads((minted / "ord/batches.json").read_text())
    order = [f["kind"] for b in report["batches"] for f in b["files"]]
    assert order == ["engine", "model", "model", "model", "html", "html", "html"]
    for batch in report["batches"]:
        kinds = {f["kind"] for f in batch["files"]}
        assert kinds <= {"engine", "model"} or kinds == {"html"}
        written = (minted / batch["file"]).exists()
        assert batch["status"] == ("waiting" if kinds == {"html"} else "pending")
        assert written == (batch["status"] == "pending")
    kinds = report["kinds"]
    engine = len(engine_js().encode())
    assert kinds["engine"] == {"count": 1, "bytes": engine, "chain_bytes": engine}
    assert kinds["html"]["count"] == 3 and kinds["html"]["bytes"] <= 3 * TOKEN_HTML_LIMIT
    assert kinds["model"]["count"] == 3
    assert report["pending"]["inscriptions"] == 7
    assert report["pending"]["total_sats"] == sum(b["total_sats"] for b in report["batches"])


def fake_output(batch: dict, tx: str) -> dict:
    return {
        "commit": "c" * 63 + tx,
        "reveal": "e" * 63 + tx,
        "inscriptions": [{"id": f"{'e' * 63}{tx}i{n}"} for n in range(len(batch["files"]))],
    }


def test_serve_runs_the_art_then_real_ids_are_filled_in(minted, browser, tmp_path):
    root = tmp_path / "copy"
    shutil.copytree(minted, root)
    art0 = placeholder_id((root / "art/0.html").read_bytes())
    with serving(root, CHAIN) as url:
        shown = open_art(browser, url, art0)
    assert shown["model"] == "Art Perceptrons #0" and shown["error"] == ""
    assert shown["nodes"] > 2 and shown["time"] == CHAIN.time

    report = json.loads((root / "ord/batches.json").read_text())
    first = [b for b in report["batches"] if b["status"] == "pending"]
    outputs = []
    for n, batch in enumerate(first):
        path = tmp_path / f"{batch['name']}.json"
        path.write_text(json.dumps(fake_output(batch, str(n))))
        outputs.append(str(path))
    run = CliRunner().invoke(cli, ["inscribed", str(root), *outputs])
    assert run.exit_code == 0, run.output
    inscribed = json.loads((root / "ord/inscribed.json").read_text())
    real = {i["file"]: i["id"] for b in inscribed["batches"] for i in b["inscriptions"]}
    for token in range(3):
        assert html_ids(root, token) == (real["art/engine.js"], real[f"models/{token}.json"])
    report = json.loads((root / "ord/batches.json").read_text())
    html_batches = [b for b in report["batches"] if b["status"] == "pending"]
    assert html_batches and all(f["kind"] == "html" for b in html_batches for f in b["files"])
    check_ord_batches(root)
    doc = yaml.safe_load((root / html_batches[0]["file"]).read_text())
    assert doc["inscriptions"][0]["file"] == "art/0.html"
    assert verify(root) == []
    with serving(root, CHAIN) as url:
        shown = open_art(browser, url, placeholder_id((root / "art/0.html").read_bytes()))
    assert shown["model"] == "Art Perceptrons #0" and shown["error"] == ""

    outputs = []
    for n, batch in enumerate(html_batches):
        path = tmp_path / f"{batch['name']}.json"
        path.write_text(json.dumps(fake_output(batch, str(n + 5))))
        outputs.append(str(path))
    before = (root / "art/1.html").read_bytes()
    assert CliRunner().invoke(cli, ["inscribed", str(root), *outputs]).exit_code == 0
    meta = json.loads((root / "metadata/1.json").read_text())
    assert meta["inscriptions"]["html"].startswith("e" * 63)
    assert (root / "art/1.html").read_bytes() == before
    done = json.loads((root / "ord/batches.json").read_text())
    assert {b["status"] for b in done["batches"]} == {"inscribed"}
    assert verify(root) == []
