"""The art engine's hooks for the collection report, in Chromium from disk: a page that embeds
a token's art pins the moment it shows (time and fee rate) with postMessage, and a page with
no model to load draws its traits' network without an error."""

from __future__ import annotations

import json

from artgen.chain import ChainState
from artgen.inscription import engine_js, standalone_html
from artgen.inscription.build import traits_config
from artgen.lifecycle import traits_life_state
from artgen.tables import default_tables
from artgen.training.config import DEFAULT_MODEL
from artgen.traits import sample_traits
from collection.showcase import stage_times

TABLES = default_tables()

SEED, TOKEN = 1, 35
CHAIN = ChainState(time=1_760_000_000.0, height=915_000, fee_rate=48.0)
PARENT = """<!doctype html><meta charset="utf-8"><iframe id="art" src="{src}" width="320"
height="320"></iframe><script>window.pin = (time, fee) => document.getElementById("art")
.contentWindow.postMessage({{perceptron: {{time: time, fee_rate: fee}}}}, "*");</script>"""


def _open(browser, tmp_path, child: str, name: str):
    (tmp_path / f"{name}.html").write_text(child, "utf-8")
    (tmp_path / f"parent-{name}.html").write_text(PARENT.format(src=f"{name}.html"), "utf-8")
    page = browser.new_page()
    errors, requests = [], []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: requests.append(r.url))
    page.goto((tmp_path / f"parent-{name}.html").as_uri())
    art = page.wait_for_selector("#art").content_frame()
    art.wait_for_function("window.Perceptron && Perceptron.ready")
    art.evaluate("Perceptron.ready")
    return page, art, errors, requests


def test_a_parent_page_pins_the_moment_and_the_art_follows(browser, tmp_path):
    traits = sample_traits(SEED, TOKEN)
    child = standalone_html(traits, DEFAULT_MODEL.read_text(), CHAIN, tables=TABLES)
    page, art, errors, _ = _open(browser, tmp_path, child, "pinned")
    before = art.evaluate("({s: Perceptron.app.life.stage, a: Perceptron.app.timeline.sat})")
    assert before["s"] == traits_life_state(traits, CHAIN.time, tables=TABLES).stage
    dead = stage_times(traits, CHAIN, TABLES)["Dead"]
    page.evaluate(f"pin({dead}, 1)")
    art.wait_for_function("Perceptron.app.life.stage === 'Dead'")
    after = art.evaluate(
        "({a: Perceptron.app.timeline.sat, c: Perceptron.app.chain, t: Perceptron.app.life.time})"
    )
    pinned = {"time": dead, "height": None, "fee_rate": 1, "source": "pinned by the page"}
    assert after["c"] == pinned
    assert after["a"] < before["a"]  # 1 sat/vB is a quieter chain than 48: fewer nodes blink
    page.evaluate("pin('soon', 5)")  # not a number: ignored
    assert art.evaluate("Perceptron.app.chain.time") == dead
    page.close()
    assert errors == []


def test_a_page_without_a_model_draws_its_traits_quietly(browser, tmp_path):
    traits = sample_traits(SEED, TOKEN)
    config = traits_config(traits, TABLES)
    config |= {"c": [CHAIN.time, 0, CHAIN.fee_rate], "x": 1}
    (tmp_path / "engine.js").write_text(engine_js(), "utf-8")
    child = (
        '<!doctype html><meta charset="utf-8"><body><script type="application/json" '
        f'id="perceptron">{json.dumps(config)}</script><script src="engine.js"></script>'
    )
    page, art, errors, requests = _open(browser, tmp_path, child, "traits")
    state = art.evaluate(
        "({m: Perceptron.app.model, s: Perceptron.app.life.stage, alert:"
        " Perceptron.app.message.style.display, nodes: Perceptron.app.stillScene.nodes.length})"
    )
    page.close()
    assert state["m"] is None and state["alert"] == "none" and state["nodes"] > 0
    assert state["s"] == traits_life_state(traits, CHAIN.time, tables=TABLES).stage
    assert errors == [] and all(u.startswith("file://") for u in requests)
