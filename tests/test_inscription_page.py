"""The art inscription as a visitor meets it: a token's HTML served by `artgen serve` in Chromium.

It loads its engine, model and chain state from the server and nothing else, shows its state,
classifies a picked image, handles the keys (I, B, S, U, Esc) and fails visibly, never blankly,
on a corrupt model; hostile class names stay text. The standalone file runs from disk, offline,
and shows the moment it is pinned to, never another block's height.
"""

from __future__ import annotations

import base64
import io
import json

import numpy as np
import pytest
from PIL import Image
from test_inscription import HOSTILE, built_model, serving, write_file

from artgen.chain import DEFAULT_CHAIN_STATE, ChainState, format_time, resolve
from artgen.classify import classify_pixels
from artgen.images import load_image
from artgen.inscription import engine_js, standalone_html, token_html
from artgen.lifecycle import traits_life_state
from artgen.model import dumps_model, loads_model
from artgen.scene import build_scene
from artgen.tables import default_tables
from artgen.training import DEFAULT_MODEL
from artgen.traits import sample_traits

TABLES = default_tables()  # the packaged Perceptrons tables

SEED = 1
CHAIN = ChainState(time=1_760_000_000.0, height=915_000, fee_rate=48.0)
VIEW = {"width": 640, "height": 640}


def short_weights(text: str) -> str:
    """The model with five float32 values missing from its weights."""
    doc = json.loads(text)
    doc["weight_b64"] = base64.b64encode(base64.b64decode(doc["weight_b64"])[:-20]).decode()
    return json.dumps(doc)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    engine = write_file(root, "engine.js", engine_js())
    models = {
        "default": DEFAULT_MODEL.read_text(),
        "upgrade": dumps_model(
            built_model("tanh", (9, 3), ("w", "x", "y", "z"), (32, 32), 4, "up")
        ),
        "hostile": dumps_model(built_model("relu", (6, 4), tuple(HOSTILE), (8, 8), 5, "hostile")),
        "corrupt": '{"model_name": "broken", "layers_config": ',
        "short": short_weights(dumps_model(built_model())),
    }
    ids = {name: write_file(root, f"models/{name}.json", text) for name, text in models.items()}
    pages = {}
    for name, token, model in [("token", 35, "default"), ("hostile", 64, "hostile"),
                               ("corrupt", 32, "corrupt"), ("short", 7, "short")]:  # fmt: skip
        page = token_html(
            sample_traits(SEED, token), engine_id=engine, model_id=ids[model], tables=TABLES
        )
        pages[name] = write_file(root, f"art/{name}.html", page)
    with serving(root, CHAIN) as url:
        yield {"url": url, "ids": ids, "pages": pages, "models": models, "root": root}


@pytest.fixture
def visit(browser, site):
    """Open a page of the site in a fresh context (its own localStorage); records requests."""
    context = browser.new_context(viewport=VIEW, accept_downloads=True)
    requests, errors = [], []

    def open_page(name: str, url: str | None = None):
        page = context.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.on("pageerror", lambda err: errors.append(str(err)))
        page.goto(url or f"{site['url']}content/{site['pages'][name]}")
        page.wait_for_function("window.Perceptron && Perceptron.ready")
        page.evaluate("Perceptron.ready")
        return page

    open_page.requests, open_page.errors = requests, errors
    yield open_page
    context.close()


def canvas(page) -> np.ndarray:
    url = page.evaluate("Perceptron.app.canvas.toDataURL('image/png')")
    data = base64.b64decode(url.split(",", 1)[1])
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


def test_token_page_reads_engine_model_and_chain_from_its_server_only(visit, site):
    page = visit("token")
    app = page.evaluate(
        "({m: Perceptron.app.model.name, c: Perceptron.app.chain, s: Perceptron.app.life.stage})"
    )
    traits = sample_traits(SEED, 35)
    life = traits_life_state(
        traits, CHAIN.time, loads_model(site["models"]["default"]).hidden_sizes, tables=TABLES
    )
    assert app["m"] == "perceptrons_pfp_default"
    assert (app["c"]["time"], app["c"]["height"], app["c"]["fee_rate"]) == (CHAIN.time, 915_000, 48)
    assert app["s"] == life.stage
    page.keyboard.press("i")
    page.keyboard.press("b")
    page.evaluate("void Perceptron.app.frameAt(200)")
    origin = site["url"].rstrip("/")
    outside = [u for u in visit.requests if not u.startswith((origin + "/", "data:", "blob:"))]
    assert outside == []
    wanted = {f"/content/{site['ids']['default']}", "/r/blockheight", "/r/blockinfo/915000"}
    assert wanted <= {u[len(origin) :] for u in visit.requests}
    assert visit.errors == []


def test_chain_falls_back_to_the_embedded_default_when_ord_cannot_be_reached(browser, site):
    context = browser.new_context(viewport=VIEW)
    try:
        page = context.new_page()
        page.route("**/r/**", lambda route: route.abort())
        page.goto(f"{site['url']}content/{site['pages']['token']}")
        page.wait_for_function("window.Perceptron && Perceptron.ready")
        chain = page.evaluate("Perceptron.ready.then(() => Perceptron.app.chain)")
        assert chain["time"] == DEFAULT_CHAIN_STATE.time
        assert chain["source"].startswith("embedded")
    finally:
        context.close()


def test_information_panel_shows_the_state(visit, site):
    page = visit("token")
    assert not page.locator("text=Active neurons").is_visible()
    page.keyboard.press("i")
    text = page.evaluate("Perceptron.app.panel.textContent")
    traits = sample_traits(SEED, 35)
    life = traits_life_state(traits, CHAIN.time, (12, 8), tables=TABLES)
    assert "Model: perceptrons_pfp_default" in text and "Scale: 1:1" in text
    assert "Classes: Cryptoadz, Cryptopunks, Moonbirds, Nouns" in text
    assert f"Birth year: {traits.birth_year}. " in text
    assert f"Rebirths: {life.rebirths}" in text and f"State: {life.stage}" in text
    assert f"Active neurons: {life.active_label}" in text
    assert format_time(life.next_stage_time) in text
    assert "One Perceptron year: " in text
    assert page.locator("text=Active neurons").is_visible()
    page.keyboard.press("i")
    assert not page.locator("text=Active neurons").is_visible()


def test_a_picked_image_is_classified_as_python_does_and_the_card_says_so(visit, site, tmp_path):
    rng = np.random.default_rng(9)
    image = tmp_path / "pick.png"
    Image.fromarray(rng.integers(0, 256, (53, 71, 3), dtype=np.uint8)).save(image)
    page = visit("token")
    page.set_input_files("input[type=file]", str(image))
    page.wait_for_function("Perceptron.app.result")
    model = loads_model(site["models"]["default"])
    life = traits_life_state(sample_traits(SEED, 35), CHAIN.time, model.hidden_sizes, tables=TABLES)
    pixels = load_image(image, 32, 32)
    want = classify_pixels(model, pixels, life.neuron_life)
    got = page.evaluate("({p: Array.from(Perceptron.app.pixels), r: Perceptron.app.result})")
    assert np.array_equal(np.array(got["p"], np.uint8), pixels.ravel())
    assert (
        np.abs(np.array(got["r"]["probabilities"]) - list(want.probabilities.values())).max() < 1e-6
    )
    # the sweep runs through the columns, then the card shows the answer
    page.evaluate("void Perceptron.app.frameAt(Perceptron.app.sweepStart + 3)")
    assert page.evaluate("Perceptron.app.scene.sweep.length") > 0
    page.evaluate(
        "(app => void app.frameAt(app.sweepStart + app.timeline.sweepFrames))(Perceptron.app)"
    )
    card = page.evaluate("Perceptron.app.card.textContent")
    assert f"{want.phrase} this image belongs to{want.top}" in card
    assert f"{want.confidence * 100:.1f}% confident" in card
    # an image dropped on the page is classified the same way
    dropped = tmp_path / "drop.png"
    Image.fromarray(rng.integers(0, 256, (40, 30, 3), dtype=np.uint8)).save(dropped)
    page.evaluate(
        """b64 => { const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
             const data = new DataTransfer();
             data.items.add(new File([bytes], "drop.png", {type: "image/png"}));
             Perceptron.app.result = null;
             const drop = new DragEvent("drop", {dataTransfer: data, cancelable: true});
             window.dispatchEvent(drop); }""",
        base64.b64encode(dropped.read_bytes()).decode(),
    )
    page.wait_for_function("Perceptron.app.result")
    want = classify_pixels(model, load_image(dropped, 32, 32), life.neuron_life)
    got = page.evaluate("Perceptron.app.result.probabilities")
    assert np.abs(np.array(got) - list(want.probabilities.values())).max() < 1e-6


def test_hostile_class_names_show_as_text_and_run_no_script(visit, site):
    page = visit("hostile")
    dialogs = []
    page.on("dialog", lambda d: dialogs.append(d.message) or d.dismiss())
    page.keyboard.press("i")
    panel = page.evaluate("Perceptron.app.panel.textContent")
    assert all(name in panel for name in HOSTILE)
    for index in range(3):  # make each class the answer once: a model biased towards it
        shown = page.evaluate(
            """i => { const app = Perceptron.app, out = app.model.dense[app.model.dense.length - 1];
                  out.bias.fill(0); out.bias[i] = 1e6; app.paused = true;
                  app.classifyPixels(new Uint8Array(app.model.inputSize));
                  return app.card.textContent; }""",
            index,
        )
        assert HOSTILE[index] in shown
    markup = page.evaluate("document.querySelectorAll('body img, body b, body script').length")
    assert markup == 2  # the two scripts of the token's HTML, nothing the names brought
    assert page.evaluate("window.__pwned") is None and dialogs == []


@pytest.mark.parametrize("name", ["corrupt", "short"])
def test_a_corrupt_model_shows_a_clear_message_and_still_draws(visit, site, name):
    page = visit(name)
    message = page.locator("[role=alert]")
    assert message.is_visible()
    text = message.text_content()
    assert "model could not be read" in text and site["ids"][name] in text
    assert ("not valid JSON" in text) if name == "corrupt" else ("float32 values" in text)
    page.evaluate("void Perceptron.app.still(0)")
    rgb = canvas(page).reshape(-1, 3).astype(np.uint32)
    colours = np.unique(rgb[:, 0] << 16 | rgb[:, 1] << 8 | rgb[:, 2])
    assert len(colours) > 20  # the portrait of its traits, not a blank canvas


def test_key_u_upgrades_the_model_and_the_portrait_follows(visit, site):
    page = visit("token")
    page.evaluate("void Perceptron.app.still(0)")
    before = canvas(page)
    page.keyboard.press("u")
    page.fill("form input >> nth=0", site["ids"]["upgrade"])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_function("window.Perceptron && Perceptron.ready")
    page.evaluate("Perceptron.ready")
    app = page.evaluate("({m: Perceptron.app.model.name, h: Perceptron.app.sizes})")
    assert app == {"m": "up", "h": [9, 3]}
    traits = sample_traits(SEED, 35)
    life = traits_life_state(traits, CHAIN.time, (9, 3), tables=TABLES)
    want = build_scene(traits, (9, 3), life, CHAIN)
    assert page.evaluate("Perceptron.app.stillScene.nodes.length") == len(want.nodes)
    page.evaluate("void Perceptron.app.still(0)")
    assert np.abs(canvas(page).astype(int) - before.astype(int)).mean() > 1.0
    saved = page.evaluate("Object.entries(localStorage)")
    assert saved == [[f"perceptron|{SEED}|35", f'{{"m":"{site["ids"]["upgrade"]}"}}']]
    # the chain source: a moment of one's choosing (time@fee rate), kept with the model
    page.keyboard.press("u")
    page.fill("form input >> nth=1", "2031-05-01T12:00:00@99")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_function("window.Perceptron && Perceptron.ready")
    page.evaluate("Perceptron.ready")
    chain = page.evaluate("Perceptron.app.chain")
    assert (chain["time"], chain["fee_rate"], chain["height"]) == (1935403200, 99, None)
    assert page.evaluate("Perceptron.app.model.name") == "up"


def test_keys_b_toggles_the_frame_and_s_saves_a_png(visit):
    page = visit("token")
    page.evaluate("void Perceptron.app.still(0)")
    framed = canvas(page)
    page.keyboard.press("b")
    bare = canvas(page)
    assert not np.array_equal(framed[:4, :4], bare[:4, :4])
    with page.expect_download() as download:
        page.keyboard.press("s")
    saved = download.value
    assert saved.suggested_filename == "perceptron-35.png"
    with Image.open(saved.path()) as image:
        assert image.size == (640, 640)


def test_the_standalone_file_runs_from_disk_with_its_embedded_model(visit, tmp_path):
    model = built_model("sigmoid", (4, 3), tuple(HOSTILE), (6, 6), 8, "alone")
    pinned = ChainState(time=2_000_000_000.0, height=1, fee_rate=3.0)
    path = tmp_path / "alone.html"
    path.write_text(
        standalone_html(sample_traits(SEED, 89), dumps_model(model), pinned, tables=TABLES)
    )
    page = visit("standalone", path.as_uri())
    app = page.evaluate("({m: Perceptron.app.model.classes, t: Perceptron.app.chain.time})")
    assert app == {"m": HOSTILE, "t": 2_000_000_000.0}
    assert visit.requests == [path.as_uri()]
    assert page.evaluate("window.__pwned") is None


@pytest.mark.parametrize("how", ["Escape", "Cancel"])
def test_the_settings_card_closes_with_escape_or_cancel_and_changes_nothing(visit, how):
    page = visit("token")
    page.keyboard.press("u")
    field = page.locator("form input >> nth=0")
    field.fill("not saved")
    assert page.evaluate("document.activeElement.tagName") == "INPUT"
    if how == "Escape":
        page.keyboard.press("Escape")  # while the input has focus
    else:
        page.get_by_role("button", name="Cancel").click()
    assert page.locator("form").count() == 0
    assert page.evaluate("Object.entries(localStorage)") == []
    assert page.evaluate("Perceptron.app.model.name") == "perceptrons_pfp_default"  # no reload
    page.keyboard.press("i")  # the page's keys work again
    assert page.locator("text=Active neurons").is_visible()
    page.keyboard.press("u")  # and U opens the card anew
    assert page.locator("form input >> nth=0").input_value() == ""


def test_a_standalone_file_pinned_to_a_time_shows_that_moment_not_another_block(visit, tmp_path):
    model = built_model("relu", (5, 4), ("a", "b", "c"), (6, 5), 2, "pinned")
    path = tmp_path / "pinned.html"
    pinned = resolve(None, time="2030-01-01T00:00:00Z")  # what `--time` gives
    path.write_text(
        standalone_html(sample_traits(SEED, 35), dumps_model(model), pinned, tables=TABLES)
    )
    page = visit("pinned", path.as_uri())
    chain = page.evaluate("Perceptron.app.chain")
    assert (chain["time"], chain["height"], chain["source"]) == (1893456000, None, "pinned")
    page.keyboard.press("i")
    panel = page.evaluate("Perceptron.app.panel.textContent")
    line = next(row for row in panel.splitlines() if row.startswith("Chain: "))
    assert line.startswith("Chain: height unknown, time 2030-01-01T00:00:00Z, 12.4 sat/vB")
    assert str(DEFAULT_CHAIN_STATE.height) not in panel
    # pinned to a block (its time and height), the page shows that block
    block = tmp_path / "block.html"
    block.write_text(
        standalone_html(sample_traits(SEED, 35), dumps_model(model), CHAIN, tables=TABLES)
    )
    page = visit("block", block.as_uri())
    page.keyboard.press("i")
    panel = page.evaluate("Perceptron.app.panel.textContent")
    assert f"Chain: block 915000 at {format_time(CHAIN.time)}, 48 sat/vB  [pinned]" in panel
