"""The art inscription as a visitor meets it: a token's HTML served by `artgen serve` in Chromium.

It loads its engine, model and chain state from the server and nothing else, draws everything
on its canvas as the original does (ORIGINAL.md 8-10): the result card with its flicker, the
refusal's flashing word, the information panel, the settings card that checks both addresses
before storing them; it saves PNGs at window size and at 4096 px; it fails visibly, never
blankly, on a corrupt model; hostile class names stay text. The standalone file runs from
disk, offline, and shows the moment it is pinned to, never another block's height. What is
drawn is read from the canvas's text calls (tests/canvas_calls.py).
"""

from __future__ import annotations

import base64
import io
import json
import math
import re

import numpy as np
import pytest
from canvas_calls import RECORDER, drawn, drawn_texts, texts
from PIL import Image
from test_inscription import HOSTILE, built_model, serving, write_file

from artgen.animation.card import confidence_line, flicker_name, verdict
from artgen.chain import DEFAULT_CHAIN_STATE, ChainState, format_time, from_values, resolve
from artgen.classify import classify_pixels
from artgen.images import load_image
from artgen.inscription import engine_js, standalone_html, token_html
from artgen.lifecycle import DAY, birth_time, traits_life_state
from artgen.model import dumps_model, loads_model
from artgen.scene import build_scene, classify_refusal
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
    """Open a page of the site in a fresh context (its own localStorage, UTC, the canvas
    recorder); records requests and page errors."""
    context = browser.new_context(viewport=VIEW, accept_downloads=True, timezone_id="UTC")
    context.add_init_script(RECORDER)
    requests, errors = [], []

    def open_page(name: str, url: str | None = None):
        page = context.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.on("pageerror", lambda err: errors.append(str(err)))
        page.goto(url or f"{site['url']}content/{site['pages'][name]}")
        page.wait_for_function("window.Perceptron && Perceptron.ready")
        page.evaluate("Perceptron.ready")
        return page

    open_page.requests, open_page.errors, open_page.context = requests, errors, context
    yield open_page
    context.close()


def canvas(page) -> np.ndarray:
    url = page.evaluate("Perceptron.app.canvas.toDataURL('image/png')")
    data = base64.b64decode(url.split(",", 1)[1])
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


def at(u: float, v: float, size=VIEW) -> tuple[float, float]:
    """A point u, v (in units about the centre) in pixels of a window of `size`."""
    w, h = size["width"], size["height"]
    unit = min(w, h) / 1024
    return w / 2 + u * unit, h / 2 + v * unit


def colour(rgb) -> str:
    """How the canvas reports a colour set as rgba(r, g, b, 1): "#rrggbb"."""
    return "#" + "".join(f"{round(255 * c):02x}" for c in rgb)


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


MONTHS = "January February March April May June July August September October November December"


def panel_date(t: float) -> str:
    """ORIGINAL 10: «{day+ordinal} {Month} {YYYY} | HH:MM» (here in UTC, the test's zone)."""
    from datetime import UTC, datetime

    d = datetime.fromtimestamp(t, UTC)
    th = "th" if 11 <= d.day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(d.day % 10, "th")
    return f"{d.day}{th} {MONTHS.split()[d.month - 1]} {d.year} | {d.hour:02d}:{d.minute:02d}"


def test_the_information_panel_is_the_originals_table_at_the_bottom(visit, site):
    import math

    page = visit("token")
    assert "PERCEPTRON INFORMATION" not in texts(drawn_texts(page, "Perceptron.app.draw()"))
    page.keyboard.press("i")
    calls = drawn_texts(page, "Perceptron.app.draw()")
    by = {c["text"]: c for c in calls}
    traits = sample_traits(SEED, 35)
    life = traits_life_state(traits, CHAIN.time, (12, 8), tables=TABLES)
    palette = build_scene(traits, (12, 8), life).column_colors[0]
    h = VIEW["height"]
    unit = h / 1024
    # the header: two tabs above the body, baseline H - 120u
    for text, x, align in [("PERCEPTRON INFORMATION", -285, "left"), ("ARTWORK NAME:", 10, "left"),
                           ("Perceptron #35", 285, None)]:  # fmt: skip
        call = by[text]
        assert (call["x"], call["y"]) == pytest.approx((at(x, 0)[0], h - 120 * unit))
        if align:
            assert call["align"] == align
    age = math.ceil(life.age - 60 * life.rebirths)
    left = [
        ("AI MODEL NAME:", None),
        ("SCALE:", "1:1"),
        ("NUMBER OF CLASSES:", "4"),
        ("BIRTH YEAR:", str(traits.birth_year)),
        ("NUMBER OF REBIRTHS:", str(life.rebirths)),
    ]
    right = [("AGE:", f"{age} Perceptron Years"), ("ONE PERCEPTRON YEAR:", "1 Week"),
             ("STATE:", life.stage), ("ACTIVE NEURONS:", life.active_label),
             ("NEXT STATE TIME:", panel_date(life.next_stage_time))]  # fmt: skip
    values = [c for c in calls if c["align"] == "right" and c["text"] != "Perceptron #35"]
    for rows, (label_x, value_x) in ((left, (-285, -10)), (right, (10, 285))):
        for i, (label, value) in enumerate(rows):
            y = h - (90 - 15 * i) * unit  # baselines H - 90u ... H - 30u
            assert (by[label]["x"], by[label]["y"]) == pytest.approx((at(label_x, 0)[0], y))
            assert by[label]["fill"] == colour(palette) and "bold" in by[label]["font"]
            drawn = next(c for c in values if c["y"] == pytest.approx(y) and
                         c["x"] == pytest.approx(at(value_x, 0)[0]))  # fmt: skip
            assert "italic" in drawn["font"]
            if value is not None:
                assert drawn["text"] == value
            else:  # the model's name, cut with "..." to about 140u
                name = "perceptrons_pfp_default"
                assert drawn["text"] == name or (
                    drawn["text"].endswith("...") and name.startswith(drawn["text"][:-3])
                )
    described = page.evaluate("Perceptron.app.canvas.getAttribute('aria-label')")
    assert f"ACTIVE NEURONS: {life.active_label}" in described
    assert f"Chain: block 915000 at {format_time(CHAIN.time)}, 48 sat/vB" in described
    page.keyboard.press("i")
    assert "PERCEPTRON INFORMATION" not in texts(drawn_texts(page, "Perceptron.app.draw()"))


def test_a_picked_image_is_classified_as_python_does_then_the_sweep_and_the_card(
    visit, site, tmp_path
):
    rng = np.random.default_rng(9)
    image = tmp_path / "pick.png"
    Image.fromarray(rng.integers(0, 256, (53, 71, 3), dtype=np.uint8)).save(image)
    page = visit("token")
    page.evaluate("Perceptron.app.paused = true")
    page.set_input_files("input[type=file]", str(image))
    page.wait_for_function("Perceptron.app.result")
    model = loads_model(site["models"]["default"])
    traits = sample_traits(SEED, 35)
    life = traits_life_state(traits, CHAIN.time, model.hidden_sizes, tables=TABLES)
    pixels = load_image(image, 32, 32)
    want = classify_pixels(model, pixels, life.neuron_life)
    got = page.evaluate("({p: Array.from(Perceptron.app.pixels), r: Perceptron.app.result})")
    assert np.array_equal(np.array(got["p"], np.uint8), pixels.ravel())
    assert (
        np.abs(np.array(got["r"]["probabilities"]) - list(want.probabilities.values())).max() < 1e-6
    )
    # ORIGINAL 7: the lines are erased right of a front crossing the columns in T frames
    start, end = page.evaluate(
        "(a => [a.setupFrame + a.sweep.r0, a.setupFrame + a.sweep.line.length])(Perceptron.app)"
    )
    columns = len(model.hidden_sizes) + 2
    assert (
        end - start
        == 2 * (columns - 1) * {"Basic": 40, "Standard": 20, "Advanced": 10}[traits.acceleration]
    )
    fronts = [page.evaluate(f"Perceptron.app.options({k}).line_clip") for k in (start, end - 1)]
    scene = build_scene(traits, model.hidden_sizes, life, options=None)
    x_in, x_out = scene.column_x[0], scene.column_x[-1]
    # the original moves the front before it erases: a step in on the first frame, on the
    # output column on the last
    assert fronts == pytest.approx([x_in + (x_out - x_in) / (end - start), x_out])
    # ORIGINAL 8: the card opens as the sweep ends; its class flickers for 1.5 s (90 frames)
    name_at = page.evaluate("Perceptron.app.model.classes")
    for j in (0, 1, 45, 89):
        shown = texts(drawn_texts(page, f"Perceptron.app.frameAt({end + j})"))
        flicker = flicker_name(name_at, SEED, 35, j).upper()
        assert f'"{flicker}"' in shown, j
        assert verdict(want.confidence) not in shown and "INTELLIGENCE INFO" in shown
    calls = drawn_texts(page, f"Perceptron.app.frameAt({end + 90})")
    by = {c["text"]: c for c in calls}
    for text, (x, y) in [(verdict(want.confidence), (-100, -170)),
                         (f'"{want.top.upper()}"', (-100, -90)),
                         (confidence_line(want.confidence), (-100, -25)),
                         ("INTELLIGENCE INFO", (-275, 115))]:  # fmt: skip
        assert by[text]["x"] == pytest.approx(at(x, y)[0]), text
        # vertically centred on y as q5's CENTER centres it: the canvas's "middle" baseline
        assert by[text]["y"] == pytest.approx(at(x, y)[1]) and by[text]["baseline"] == "middle"
    assert {"SELECT ANOTHER IMAGE", "CLOSE"} <= set(by)
    assert by["CLOSE"]["x"] == pytest.approx(at(150, 0)[0])  # the buttons, under the card
    # their labels' middle 54% of the way down (ORIGINAL 8: y = cy + 265 .. cy + 305)
    for label in ("SELECT ANOTHER IMAGE", "CLOSE"):
        assert by[label]["y"] == pytest.approx(at(0, 265 + 0.54 * 40)[1])
        assert by[label]["baseline"] == "middle"
    # CLOSE closes the card and the reveal plays again
    page.get_by_role("button", name="CLOSE").click()
    after = page.evaluate("(a => [a.cardStart, a.setupFrame, a.frame])(Perceptron.app)")
    assert after[0] is None and after[1] == after[2] == end + 90
    assert page.evaluate(f"Perceptron.app.options({end + 90}).reveal") == 0
    # an image dropped on the page, once the reveal is over, is classified the same way
    page.evaluate("(a => void a.frameAt(a.setupFrame + a.timeline.revealFrames))(Perceptron.app)")
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
    assert visit.errors == []


def test_nothing_blinks_under_the_result_card(visit):
    # the original blinks only while it classifies: under its card the portrait stands whole
    page = visit("token")
    idle, under, opened = page.evaluate(
        """(a => { a.paused = true; a.frameAt(a.timeline.revealFrames + 5);
                   const span = n => [...Array(n).keys()];
                   const idle = span(120).map(j => a.options(a.frame + j).erased.length);
                   a.classifyPixels(new Uint8Array(a.model.inputSize));
                   const end = a.setupFrame + a.sweep.line.length;
                   a.frameAt(end);
                   const under = span(300).map(j => a.options(end + j).erased.length);
                   return [idle, under, a.cardStart === end]; })(Perceptron.app)"""
    )
    assert opened and any(idle) and not any(under)
    # and what the canvas shows once the name has settled (1.5 s) does not change
    shots = page.evaluate(
        """(a => [100, 103, 107, 111, 120, 133].map(j => {
             a.frameAt(a.cardStart + j); return a.canvas.toDataURL("image/png"); }))(
             Perceptron.app)"""
    )
    assert len(set(shots)) == 1


def test_cairo_centres_text_where_the_canvas_middle_baseline_does(visit):
    # q5's CENTER is textBaseline "middle"; the Cairo card (artgen.animation.card) puts the
    # alphabetic baseline MIDDLE x size below y: where Chromium's "middle" puts it, in the
    # page's fonts (to its 1/64 px grid)
    from artgen.animation.card import MIDDLE

    page = visit("token")
    below = page.evaluate(
        """sizes => sizes.flatMap(size => ["bold", "normal"].map(weight => {
             const ctx = document.createElement("canvas").getContext("2d");
             const face = '"Trebuchet MS", "DejaVu Sans Condensed", sans-serif';
             ctx.font = weight + " " + size + "px " + face;
             ctx.textBaseline = "middle";
             return -ctx.measureText("GROWING").alphabeticBaseline; }))""",
        [18, 20, 25, 40, 50, 75],
    )
    want = [MIDDLE * size for size in (18, 20, 25, 40, 50, 75) for _ in range(2)]
    assert below == pytest.approx(want, abs=1 / 64)


def test_select_another_image_keeps_the_network_and_opens_the_file_dialog(visit, tmp_path):
    page = visit("token")
    page.evaluate(
        """(a => { a.paused = true; a.frameAt(a.timeline.revealFrames + 5);
                   a.classifyPixels(new Uint8Array(a.model.inputSize));
                   a.frameAt(a.setupFrame + a.sweep.line.length + 100); })(Perceptron.app)"""
    )
    setup = page.evaluate("Perceptron.app.setupFrame")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="SELECT ANOTHER IMAGE").click()
    assert chooser.value is not None
    state = page.evaluate("(a => [a.cardStart, a.setupFrame])(Perceptron.app)")
    assert state == [None, setup]  # no reveal again: the network stays as it is


def test_hostile_class_names_are_drawn_as_text_and_run_no_script(visit, site):
    page = visit("hostile")
    dialogs = []
    page.on("dialog", lambda d: dialogs.append(d.message) or d.dismiss())
    for index in range(3):  # make each class the answer once: a model biased towards it
        end = page.evaluate(
            """i => { const app = Perceptron.app, out = app.model.dense[app.model.dense.length - 1];
                  out.bias.fill(0); out.bias[i] = 1e6; app.paused = true; app.cardStart = null;
                  app.frameAt(app.timeline.revealFrames + 1);
                  app.classifyPixels(new Uint8Array(app.model.inputSize));
                  return app.setupFrame + app.sweep.line.length + 90; }""",
            index,
        )
        shown = " ".join(texts(drawn_texts(page, f"Perceptron.app.frameAt({end})")))
        assert all(word in shown for word in HOSTILE[index].upper().split())
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


def submit_settings(page, node: str | None = None, model: str | None = None) -> None:
    """Key U, the fields filled in, «UPDATE» (Enter)."""
    page.keyboard.press("u")
    if node is not None:
        page.fill("form input >> nth=0", node)
    if model is not None:
        page.fill("form input >> nth=1", model)
    page.keyboard.press("Enter")


def test_key_u_checks_both_addresses_then_stores_them_and_the_portrait_follows(visit, site):
    page = visit("token")
    page.evaluate("void Perceptron.app.still(0)")
    before = canvas(page)
    page.keyboard.press("u")
    shown = texts(drawn_texts(page, "Perceptron.app.draw()"))
    assert {"UPDATE BITCOIN FULL NODE ADDRESS", "UPDATE MODEL ADDRESS", "UPDATE", "CLOSE"} <= set(
        shown
    )
    page.keyboard.press("Escape")
    with page.expect_navigation():
        submit_settings(page, model=site["ids"]["upgrade"])
        assert "update()" in texts(drawn_texts(page, "Perceptron.app.draw()"))  # checking
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
    fields = [page.locator(f"form input >> nth={i}").input_value() for i in (0, 1)]
    assert fields == ["", site["ids"]["upgrade"]]  # filled in with what is stored
    page.keyboard.press("Escape")
    with page.expect_navigation():
        submit_settings(page, node="2031-05-01T12:00:00@99")
    page.wait_for_function("window.Perceptron && Perceptron.ready")
    page.evaluate("Perceptron.ready")
    chain = page.evaluate("Perceptron.app.chain")
    assert (chain["time"], chain["fee_rate"], chain["height"]) == (1935403200, 99, None)
    assert page.evaluate("Perceptron.app.model.name") == "up"


def test_key_u_refuses_a_bad_node_or_a_bad_model_and_stores_nothing(visit, site):
    page = visit("token")
    unreachable = "rpc+http://127.0.0.1:9/"  # nothing listens on the discard port
    for node, model, notes in [
        (unreachable, site["ids"]["corrupt"], {"(*) Invalid Address", "(*) Invalid Model"}),
        ("", "0" * 64 + "i0", {"(*) Invalid Model"}),  # no such inscription
        ("ord+http://127.0.0.1:9", "", {"(*) Invalid Address"}),
        ("not an address", "", {"(*) Invalid Address"}),
    ]:
        submit_settings(page, node, model)
        page.wait_for_function("!Perceptron.app.checking && Perceptron.app.form")
        calls = drawn_texts(page, "Perceptron.app.draw()")
        assert {c["text"] for c in calls} & {"(*) Invalid Address", "(*) Invalid Model"} == notes
        for c in calls:
            if c["text"] in notes:  # italic, right-aligned at cx + 252.5u
                assert c["x"] == pytest.approx(at(252.5, 0)[0]) and "italic" in c["font"]
        fields = [page.locator(f"form input >> nth={i}").input_value() for i in (0, 1)]
        assert fields == [node, model]  # the card comes back as it was
        assert page.evaluate("Object.entries(localStorage)") == []
        page.keyboard.press("Escape")
    assert visit.errors == []


def test_key_u_takes_a_full_nodes_json_rpc_address(visit, site):
    page = visit("token")
    calls = []

    def node(route):
        request = route.request
        body = json.loads(request.post_data)
        calls.append((body["method"], request.headers.get("authorization")))
        if body["method"] == "getblockcount":
            result = 900_123
        else:
            result = {"time": 1_800_000_000, "avgfee": 1234, "avgfeerate": 3.5, "height": 900_123}
        reply = {"result": result, "error": None, "id": body["id"]}
        route.fulfill(status=200, content_type="application/json", body=json.dumps(reply))

    page.route("**/rpc", node)
    address = f"rpc+{site['url'].replace('http://', 'http://alice:s3cret@')}rpc"
    with page.expect_navigation():
        submit_settings(page, node=address)
    page.wait_for_function("window.Perceptron && Perceptron.ready")
    page.evaluate("Perceptron.ready")
    chain = page.evaluate("Perceptron.app.chain")
    assert (chain["time"], chain["height"], chain["fee_rate"]) == (1_800_000_000, 900_123, 3.5)
    auth = "Basic " + base64.b64encode(b"alice:s3cret").decode()
    assert calls[:2] == [("getblockcount", auth), ("getblockstats", auth)]


def test_keys_b_toggles_the_frame_s_saves_at_window_size_and_k_at_4096(visit):
    page = visit("token")
    page.evaluate("void Perceptron.app.frameAt(5000)")
    framed = canvas(page)
    page.keyboard.press("b")
    bare = canvas(page)
    assert not np.array_equal(framed[:4, :4], bare[:4, :4])
    # the local time, ISO 8601 without its Z (Chromium writes the colons as "_" on disk)
    stamp = r"\d{4}-\d\d-\d\dT\d\d[:_]\d\d[:_]\d\d\.\d{3}\.png"
    for key, prefix, size in (("s", "", (640, 640)), ("k", "4K_", (4096, 4096))):
        with page.expect_download() as download:
            page.keyboard.press(key)
        saved = download.value
        assert re.fullmatch(prefix + stamp, saved.suggested_filename)
        with Image.open(saved.path()) as image:
            assert image.size == size
            small = np.asarray(image.convert("RGB").resize((640, 640), Image.Resampling.BOX))
        assert np.abs(small.astype(int) - bare.astype(int)).mean() < 3  # the same picture


def test_key_k_keeps_the_window_shape_with_4096_px_on_its_short_side(browser, site):
    context = browser.new_context(viewport={"width": 600, "height": 400}, accept_downloads=True)
    try:
        page = context.new_page()
        page.goto(f"{site['url']}content/{site['pages']['token']}")
        page.wait_for_function("window.Perceptron && Perceptron.ready")
        page.evaluate("Perceptron.ready")
        with page.expect_download() as download:
            page.keyboard.press("k")
        with Image.open(download.value.path()) as image:
            assert image.size == (6144, 4096)  # f = min(4096 / 400, 10000 / 600) = 10.24
    finally:
        context.close()


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


@pytest.mark.parametrize("how", ["Escape", "CLOSE"])
def test_the_settings_card_closes_with_escape_or_close_and_changes_nothing(visit, how):
    page = visit("token")
    page.keyboard.press("u")
    field = page.locator("form input >> nth=1")
    field.fill("not saved")
    assert page.evaluate("document.activeElement.tagName") == "INPUT"
    if how == "Escape":
        page.keyboard.press("Escape")  # while the input has focus
    else:
        page.get_by_role("button", name="CLOSE").click()
    assert page.locator("form").count() == 0
    assert "UPDATE MODEL ADDRESS" not in texts(drawn_texts(page, "Perceptron.app.draw()"))
    assert page.evaluate("Object.entries(localStorage)") == []
    assert page.evaluate("Perceptron.app.model.name") == "perceptrons_pfp_default"  # no reload
    page.keyboard.press("i")  # the page's keys work again
    assert "PERCEPTRON INFORMATION" in texts(drawn_texts(page, "Perceptron.app.draw()"))
    page.keyboard.press("u")  # and U opens the card anew
    assert page.locator("form input >> nth=1").input_value() == ""


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
    described = page.evaluate("Perceptron.app.canvas.getAttribute('aria-label')")
    line = next(row for row in described.splitlines() if row.startswith("Chain: "))
    assert line.startswith("Chain: height unknown, time 2030-01-01T00:00:00Z, 12.4 sat/vB")
    assert str(DEFAULT_CHAIN_STATE.height) not in described
    # pinned to a block (its time and height), the page shows that block
    block = tmp_path / "block.html"
    block.write_text(
        standalone_html(sample_traits(SEED, 35), dumps_model(model), CHAIN, tables=TABLES)
    )
    page = visit("block", block.as_uri())
    described = page.evaluate("Perceptron.app.canvas.getAttribute('aria-label')")
    assert f"Chain: block 915000 at {format_time(CHAIN.time)}, 48 sat/vB  [pinned]" in described


def life_time(token: int, age: float) -> float:
    """A block time at which token `token` is `age` Perceptron years into a life."""
    traits = sample_traits(SEED, token)
    year = TABLES.days_per_year(traits.life_cycle) * DAY
    born = birth_time(traits.birth_year)
    return born + (int((1.75e9 - born) / year // 60) * 60 + age) * year


@pytest.mark.parametrize(
    ("token", "time", "word"),
    [
        (89, from_values("2025-05-08T09:00:00Z", 12.4).time, "DEAD"),
        (7, from_values("2024-12-12T08:30:00Z", 12.4).time, "BIRTH"),
        (32, life_time(32, 0.05), "GROWING"),  # a hidden layer with no living neuron yet
        (255, life_time(255, 59.91), "AGING"),  # the last neurons dying
    ],
)
def test_a_perceptron_that_cannot_think_flashes_its_word_three_times(
    visit, tmp_path, token, time, word
):
    traits = sample_traits(SEED, token)
    life = traits_life_state(traits, time, tables=TABLES)
    assert classify_refusal(life) == word  # the rule, in Python (ORIGINAL 9)
    model = built_model("relu", traits.hidden_sizes, ("a", "b"), (4, 4), 3, "refusal")
    path = tmp_path / f"t{token}.html"
    chain = ChainState(time=time, height=0, fee_rate=12.4)
    path.write_text(standalone_html(traits, dumps_model(model), chain, tables=TABLES))
    page = visit("refusal", path.as_uri())
    choosers = []
    page.on("filechooser", lambda chooser: choosers.append(chooser))
    page.evaluate("Perceptron.app.paused = true")
    reveal = page.evaluate("Perceptron.app.timeline.revealFrames")
    if reveal:  # during the reveal a double-click does nothing
        page.evaluate("void Perceptron.app.frameAt(1)")
        page.dblclick("canvas")
        assert page.evaluate("Perceptron.app.warning") is None
    page.evaluate(f"void Perceptron.app.frameAt({reveal + 3})")
    page.dblclick("canvas")
    start = page.evaluate("Perceptron.app.warning.start")
    assert start == reveal + 3
    # the word centred on (cx, cy + 5) as q5's CENTER centres it (ORIGINAL 9)
    calls = drawn_texts(page, f"Perceptron.app.frameAt({start})")
    (call,) = [c for c in calls if c["text"] == word]
    assert (call["x"], call["y"]) == pytest.approx(at(0, 5)) and call["baseline"] == "middle"
    # the original's counter (sketch5.js drawDisconnectedWarning), frame by frame from the
    # double-click (counter 0): shown while the counter is under 20, frames 0-19; on frame 20
    # it reaches 20: hidden, counter 0, then 1 after the frame; on frame 40 it reaches 20 again
    # while hidden: still hidden that frame, counter 0, shown from frame 41 to 59; hidden 60-80,
    # shown 81-99, hidden 100-120, and on frame 120 the third switch ends the warning
    originals = set(range(0, 20)) | set(range(41, 60)) | set(range(81, 100))
    frames = list(range(0, 130))
    assert page.evaluate("ts => ts.map(Perceptron.flashShown)", frames) == [
        t in originals for t in frames
    ]
    shown = []
    checked = (0, 19, 20, 40, 41, 59, 60, 80, 81, 99, 100, 119, 120, 125)
    for t in checked:
        drawn = texts(drawn_texts(page, f"Perceptron.app.frameAt({start + t})"))
        shown.append(word in drawn)
    assert shown == [t in originals for t in checked]
    assert choosers == [] and page.evaluate("Perceptron.app.result") is None


def standalone(visit, tmp_path, token: int, time: float, name: str = "standalone"):
    """Token `token` pinned to `time`, as a standalone file with a model of its own sizes."""
    traits = sample_traits(SEED, token)
    model = built_model("relu", traits.hidden_sizes, ("a", "b"), (4, 4), 3, name)
    path = tmp_path / f"{name}-{token}.html"
    chain = ChainState(time=time, height=0, fee_rate=12.4)
    path.write_text(standalone_html(traits, dumps_model(model), chain, tables=TABLES))
    return visit(name, path.as_uri())


def test_the_canvas_strokes_paper_and_ghosts_as_the_original(visit, tmp_path):
    unit = VIEW["width"] / 1024
    # ORIGINAL 5, Squared: opaque 0.1u hairlines with round caps every 25u from 12.5u
    decaying = from_values("2025-09-14T05:00:00Z", 12.4).time  # token 255: squares, Squared
    page = standalone(visit, tmp_path, 255, decaying)
    calls = drawn(page, "Perceptron.app.still(0)")
    hairlines = [c for c in calls if c["call"] == "stroke" and c["lineWidth"] == pytest.approx(0.1)]
    assert len(hairlines) == 2 * 41 and all(c["lineCap"] == "round" for c in hairlines)
    starts = {round(c["y"], 6) for c in calls if c["call"] == "moveTo" and c["x"] == 0}
    assert {round((12.5 + 25 * k) * unit, 6) for k in range(41)} <= starts
    # ORIGINAL 4: ghosts dashed with dash = gap = 2 D (1 - life) u, from the path start: a
    # square's top-left corner
    traits = sample_traits(SEED, 255)
    life = traits_life_state(traits, decaying, tables=TABLES)
    scene = build_scene(traits, traits.hidden_sizes, life)
    ghosts = [n for n in scene.nodes if n.dash is not None]
    dashes = [c["args"][0] for c in calls if c["call"] == "setLineDash" and c["args"][0]]
    assert len(ghosts) > 5 and sorted(d[0] for d in dashes) == pytest.approx(
        sorted(n.dash for n in ghosts)
    )
    assert all(d[0] == d[1] for d in dashes)
    moves = {(round(c["x"], 4), round(c["y"], 4)) for c in calls if c["call"] == "moveTo"}
    for n in ghosts:
        h = 7 * n.size / 16
        assert (round((n.x - h) * unit, 4), round((n.y - h) * unit, 4)) in moves
    # ORIGINAL 5, Dotted: a circle of 0.4 device pixels stroked 1u every 50u from 12.5u
    dead = from_values("2025-05-08T09:00:00Z", 12.4).time  # token 89: Dotted
    page = standalone(visit, tmp_path, 89, dead)
    calls = drawn(page, "Perceptron.app.still(0)")
    dots = [c for c in calls if c["call"] == "arc"]
    assert len(dots) == 21 * 21
    assert all(c["args"][2] * c["scale"] == pytest.approx(0.4) for c in dots)
    assert all(c["lineWidth"] == 1 and c["lineCap"] == "round" for c in dots)
    # q5's point: a full turn left open (no closePath), so its round caps meet at the right
    assert all(c["args"][3:5] == [0, pytest.approx(2 * math.pi)] for c in dots)
    assert not [c for c in calls if c["call"] == "closePath"]
    centres = {(round(c["x"], 6), round(c["y"], 6)) for c in dots}
    assert centres == {
        (round((12.5 + 50 * i) * unit, 6), round((12.5 + 50 * j) * unit, 6))
        for i in range(21)
        for j in range(21)
    }
    # and the Dead sheet draws nothing more: no node, no line
    assert not [c for c in calls if c["call"] == "setLineDash" and c["args"][0]]


def test_the_page_blinks_paced_by_the_fee_as_the_python_timeline_schedules_it(visit, site):
    from artgen.animation import pace
    from artgen.animation.timeline import Timeline
    from artgen.scene import FrameOptions, live_nodes

    page = visit("token")
    traits = sample_traits(SEED, 35)
    model = loads_model(site["models"]["default"])
    life = traits_life_state(traits, CHAIN.time, model.hidden_sizes, tables=TABLES)
    scene = build_scene(traits, model.hidden_sizes, life, CHAIN, FrameOptions(canvas=(640, 640)))
    live = tuple(n.id for n in live_nodes(scene.nodes))
    line = Timeline(
        columns=scene.columns, acceleration=traits.acceleration, fee_rate=CHAIN.fee_rate,
        live=live, rebirths=life.rebirths, hidden_sizes=model.hidden_sizes,
        x_range=(scene.column_x[0], scene.column_x[-1]),
        fps=60, idle=10_000, reveal=True,
    )  # fmt: skip
    frames = list(range(line.reveal_frames + 300))
    have = page.evaluate("ks => ks.map(k => Perceptron.app.options(k))", frames)
    count = pace.active_amount(len(live), pace.sat_fee(CHAIN.fee_rate))
    assert count == int(len(live) * pace.sat_fee(48.0))  # floor(N_live x satFee) (ORIGINAL 7)
    blinks = []
    for k, js in zip(frames, have, strict=True):
        want = line.options(k)
        assert js["reveal"] == want.reveal and js["erased"] == list(want.erased), k
        assert len(js["erased"]) in (0, count)
        if k >= line.reveal_frames:
            blinks.append(bool(js["erased"]))
    # a step ("on" half, then "off" half) every 2 x0 frames, x0 = map(satFee, 0.2, 0.8, 15, 2)
    x0 = pace.blink_target(pace.sat_fee(CHAIN.fee_rate))
    steps = sum(a and not b for a, b in zip(blinks, blinks[1:], strict=False))
    assert steps == pytest.approx(300 / (2 * x0), abs=1)


def test_after_a_pause_the_clock_goes_on_from_the_next_frame(visit):
    # a hidden tab or a busy machine: the original's frame counter stops with it, so ours
    # does too, and the Rebirth dust never has a minute of steps to catch up with at once
    page = visit("token")
    before, after = page.evaluate(
        """() => new Promise(done => requestAnimationFrame(() => {
             const frame = Perceptron.app.frame, start = performance.now();
             while (performance.now() - start < 1500) {}  // the page is busy for 1.5 s
             requestAnimationFrame(() => requestAnimationFrame(() =>
               done([frame, Perceptron.app.frame]))); }))"""
    )
    assert 0 < after - before < 45  # not the 90 frames 1.5 s would make
