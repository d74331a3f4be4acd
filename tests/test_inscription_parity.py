"""The art's JavaScript does what the Python does, from the same data, in a real Chromium.

Lifecycle and the original's neuron order, class probabilities (to 1e-6), scenes in all five
stages on canvases of every shape, the pace and the timeline (reveal, blink, sweep, dust) and
Pillow's bilinear resize are computed on both sides and compared; the canvas portrait is
compared with the Cairo still by pixels, drawn alone and as the page draws it in wide, tall
and square windows; the minified engine gives the very same answers as its unminified bundle.
"""

from __future__ import annotations

import base64
import dataclasses
import io
import json

import numpy as np
import pytest
from PIL import Image
from test_inscription import REFERENCE_MODEL, built_model, serving, write_file
from test_inscription_build import build_engine

from artgen.animation import pace
from artgen.animation.timeline import Timeline
from artgen.chain import from_values
from artgen.inscription import engine_js, standalone_html, traits_config, with_data
from artgen.lifecycle import DAY, birth_time, neuron_life, neuron_orders, traits_life_state
from artgen.model import dumps_model, forward, loads_model
from artgen.portable_random import Shr3
from artgen.render import to_array
from artgen.scene import FrameOptions, build_scene, live_nodes
from artgen.tables import default_tables
from artgen.training import DEFAULT_MODEL
from artgen.traits import sample_traits

TABLES = default_tables()  # the packaged Perceptrons tables

SEED = 1
#: (token, block time): all 5 stages, 3 shapes, 3 fills, 3 patterns (as tests/test_render.py).
PORTRAITS = [
    (35, "2025-10-07T00:00:00Z"),  # Stable, circle, outline, Dotted
    (32, "2026-08-24T00:00:00Z"),  # Growing, diamond, x-ray, Squared
    (255, "2025-09-14T05:00:00Z"),  # Decaying, square, outline
    (89, "2025-05-08T09:00:00Z"),  # Dead
    (7, "2024-12-12T08:30:00Z"),  # Rebirth
    (64, "2024-12-01T00:00:00Z"),  # Stable, diamond, solid
]
#: Canvas shapes (width, height): square, wide, tall (ORIGINAL 11: x follows W, y follows H).
SHAPES = [(1024, 1024), (1600, 900), (700, 1200)]
#: Ages within a life (Perceptron years) in every stage, and at the stage boundaries.
AGES = [0.3, 12.5, 24.999, 25.0, 37.0, 50.0, 55.5, 59.93, 59.95, 59.97, 59.999]
# Picture bound (0-255 levels per channel, canvas vs Cairo at 1024 px): anti-aliasing and
# gradient dithering differ between Skia and Cairo, so edges differ by a few levels; a missing,
# moved or recoloured node or line would move both figures far past these bounds.
PICTURE_MEAN, PICTURE_P99, PICTURE_P999 = 1.0, 16, 48

HARNESS = "<!doctype html><meta charset=utf-8><body><script src='/content/{}'></script>"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("parity")
    pages = {}
    readable = with_data(build_engine(root / "readable.js", readable=True))
    for name, script in (("min", engine_js()), ("src", readable)):
        engine_id = write_file(root, f"engine-{name}.js", script)
        pages[name] = write_file(root, f"harness-{name}.html", HARNESS.format(engine_id))
    with serving(root) as url:
        yield {name: f"{url}content/{ident}" for name, ident in pages.items()}


@pytest.fixture(scope="module")
def page(browser, site):
    page = browser.new_page(viewport={"width": 1024, "height": 1024})
    page.goto(site["min"])
    page.wait_for_function("window.Perceptron !== undefined")
    yield page
    page.close()


def js_traits(traits) -> dict:
    return traits_config(traits, TABLES)


def test_lifecycle_parity_at_times_in_every_stage(page):
    cases, expected = [], []
    for token in (35, 32, 255, 89, 7, 52, 28):
        traits = sample_traits(SEED, token)
        born = birth_time(traits.birth_year)
        year = default_tables().days_per_year(traits.life_cycle) * DAY
        lives = int((1.75e9 - born) / year // 60)
        times = [born - 1000.0] + [born + (lives * 60 + a) * year for a in AGES]
        for sizes in (traits.hidden_sizes, (15, 12)):
            for t in times:
                state = traits_life_state(traits, t, sizes, tables=TABLES)
                cases.append([traits.birth_year, year / DAY, sizes, t])
                expected.append(state)
    got = page.evaluate("cases => cases.map(c => Perceptron.lifeState(...c))", cases)
    stages = set()
    for want, have in zip(expected, got, strict=True):
        stages.add(want.stage)
        assert have["stage"] == want.stage and have["rebirths"] == want.rebirths
        assert have["growth"] == pytest.approx(want.growth, abs=1e-12)
        assert have["stage_ratio"] == pytest.approx(want.stage_ratio, abs=1e-12)
        assert have["age"] == pytest.approx(want.age, rel=1e-13)
        assert have["next_stage_time"] == pytest.approx(want.next_stage_time, abs=1e-3)
        assert have["next_stable_time"] == pytest.approx(want.next_stable_time, abs=1e-3)
        for mine, theirs in zip(have["neuron_life"], want.neuron_life, strict=True):
            assert mine == pytest.approx(list(theirs), abs=1e-12)
        assert round(have["active_neurons"]) == round(want.active_neurons)
    assert stages == {"Growing", "Stable", "Decaying", "Dead", "Rebirth"}


def test_neuron_orders_are_the_originals_shr3_shuffles(page):
    sizes = [1, 2, 7, 30, 64]
    cases = [[rebirths, sizes] for rebirths in range(4)]
    got = page.evaluate("cases => cases.map(c => Perceptron.neuronOrders(...c))", cases)
    for (rebirths, _), have in zip(cases, got, strict=True):
        assert have == [list(map(int, o)) for o in neuron_orders(rebirths, sizes)]
    seeds = [0, 1, 100, 2**31 - 1, 2**31 + 5, 2**32 - 1]
    draws = page.evaluate(
        """seeds => seeds.map(s => {
             const r = new Perceptron.Shr3(s); return [0, 1, 2, 3, 4].map(() => r.random()); })""",
        seeds,
    )
    for seed, have in zip(seeds, draws, strict=True):
        r = Shr3(seed)
        assert have == [r.random() for _ in range(5)]


def lcg_cases(size: int) -> list[list[int]]:
    """The pixel recipe of tests/fixtures/artblocks_classifier_expected.json."""
    s, cases = 12345, []
    for _ in range(5):
        pixels = []
        for _ in range(size):
            s = (s * 1664525 + 1013904223) % 2**32
            pixels.append(s * 256 // 2**32)
        cases.append(pixels)
    return cases + [[(i * 37) % 256 for i in range(size)]]


def keras_style(text: str) -> str:
    """The same model with a full Keras model.to_json() config (names, dtypes, Keras 3 keys)."""
    doc = json.loads(text)
    layers = doc["layers_config"]["config"]["layers"]
    for i, layer in enumerate(layers):
        layer.setdefault("config", {}).update(name=f"layer_{i}", dtype="float32", trainable=True)
        if layer["class_name"] == "Dense":
            act = layer["config"]["activation"]
            layer["config"]["activation"] = {"module": "keras.activations", "config": act,
                                             "class_name": "function"}  # fmt: skip
            layer["config"]["kernel_initializer"] = {"class_name": "GlorotUniform"}
    doc["layers_config"] = {"class_name": "Sequential", "config": {"name": "seq", "layers": layers}}
    return json.dumps(doc)


def without_output_bias(text: str) -> str:
    doc = json.loads(text)
    units = len(doc["classes_name"])
    raw = base64.b64decode(doc["weight_b64"])
    doc["weight_b64"] = base64.b64encode(raw[: len(raw) - 4 * units]).decode()
    return json.dumps(doc)


def test_class_probabilities_agree_to_1e6_with_life_masks(page):
    reference = REFERENCE_MODEL.read_text()
    expected = json.loads(
        (REFERENCE_MODEL.parent / "artblocks_classifier_expected.json").read_text()
    )
    rng = np.random.default_rng(5)
    models = [("reference", reference), ("default", DEFAULT_MODEL.read_text())]
    for act in ("relu", "leaky_relu", "tanh", "sigmoid"):
        models.append((act, dumps_model(built_model(act, hidden=(7, 6, 5), seed=len(models)))))
    models.append(("keras", keras_style(models[-1][1])))
    models.append(("no output bias", without_output_bias(models[2][1])))
    worst = 0.0
    for name, text in models:
        model = loads_model(text)
        size, sizes = model.input_size, model.hidden_sizes
        pixels = (
            lcg_cases(size) if name == "reference" else rng.integers(0, 256, (4, size)).tolist()
        )
        halves = [[float(j % 2 == 0) for j in range(s)] for s in sizes]
        grown = neuron_life(sizes, 0.63, neuron_orders(1, sizes))
        masks = [None, grown, neuron_life(sizes, 0.2), halves]
        if name == "reference":
            masks = [None] * 5 + [masks[3]]
        cases = [(p, masks[i % len(masks)]) for i, p in enumerate(pixels)]
        got = page.evaluate(
            """([text, cases]) => { const m = Perceptron.parseModel(text);
                 return cases.map(([p, life]) => Array.from(Perceptron.forward(m, p, life))); }""",
            [text, cases],
        )
        for (pixels_, life), js in zip(cases, got, strict=True):
            want = forward(model, np.array(pixels_), life)[0]
            worst = max(worst, float(np.abs(np.array(js) - want).max()))
        if name == "reference":
            for case, js in zip(expected["cases"], got, strict=True):
                assert np.abs(np.array(js) - case["probabilities"]).max() < 1e-6
    assert worst < 1e-6, f"largest difference {worst:.2e}"


def scene_dict(scene) -> dict:
    d = dataclasses.asdict(scene)
    d.pop("meta")
    return d


def flatten(value, path: str, out: dict) -> dict:
    """{path: leaf} of a nested structure (dicts, lists, tuples; None and numbers as leaves)."""
    stack = [(path, value)]
    while stack:
        here, v = stack.pop()
        if isinstance(v, dict):
            stack.extend((f"{here}.{k}", item) for k, item in v.items())
        elif isinstance(v, list | tuple):
            out[f"{here}#"] = len(v)
            stack.extend((f"{here}[{i}]", item) for i, item in enumerate(v))
        else:
            out[here] = v
    return out


def assert_same_scene(want: dict, have: dict) -> None:
    """Every leaf of the Python scene in the JavaScript one: numbers to 1e-9, the rest equal."""
    mine, theirs = flatten(want, "scene", {}), flatten(have, "scene", {})
    numbers = [k for k, v in mine.items() if isinstance(v, float)]
    others = {k: v for k, v in mine.items() if not isinstance(v, float)}
    assert {k: theirs.get(k, "missing") for k in others} == others
    a = np.array([mine[k] for k in numbers])
    b = np.array([theirs.get(k, np.nan) for k in numbers], dtype=float)
    bad = ~(np.abs(a - b) <= 1e-9 * np.maximum(1.0, np.abs(a)))
    assert not bad.any(), [(numbers[i], a[i], b[i]) for i in np.flatnonzero(bad)[:5]]


def life_time(token: int, age: float) -> float:
    """A block time at which token `token` is `age` Perceptron years into a life."""
    traits = sample_traits(SEED, token)
    year = TABLES.days_per_year(traits.life_cycle) * DAY
    born = birth_time(traits.birth_year)
    return born + (int((1.75e9 - born) / year // 60) * 60 + age) * year


def scene_cases():
    """(traits, hidden sizes, time, FrameOptions): every stage on every canvas shape, reveals,
    blinking nodes, the sweep, the frame off, the Rebirth dust at several clocks, the scale."""
    for token, time in PORTRAITS:
        traits = sample_traits(SEED, token)
        sizes, cols = traits.hidden_sizes, len(traits.hidden_sizes) + 2
        for shape in SHAPES:
            yield traits, sizes, time, FrameOptions(index=41, canvas=shape)
        for reveal in (0, 3, cols + 1):
            yield traits, sizes, time, FrameOptions(index=5, reveal=reveal, canvas=SHAPES[1])
        yield traits, sizes, time, FrameOptions(
            index=9, erased=("n1-0", "n0-0", "n1-0", "n2-1"), line_clip=400.5, show_frame=False,
            canvas=SHAPES[2],
        )  # fmt: skip
        for clock in (0.0, 90.5, 1000.0):
            yield traits, sizes, time, FrameOptions(index=2, dust_clock=clock, canvas=SHAPES[1])
    yield sample_traits(SEED, 35), (70, 44, 9), PORTRAITS[0][1], FrameOptions(index=2)
    for age in (0.05, 0.3, 2.0, 5.0):  # young Growing networks: placeholders, compact columns
        yield (
            sample_traits(SEED, 32),
            sample_traits(SEED, 32).hidden_sizes,
            life_time(32, age),
            (FrameOptions(canvas=SHAPES[2])),
        )


def js_scene(page, cases) -> list[dict]:
    jobs = []
    for traits, sizes, time, options in cases:
        jobs.append(
            [
                traits_config(traits, TABLES),
                list(sizes),
                chain_time(time),
                dataclasses.asdict(options),
            ]
        )
    text = page.evaluate(
        """jobs => JSON.stringify(jobs.map(([cfg, sizes, time, opts]) => {
             const t = Perceptron.traitsOf(cfg);
             const life = Perceptron.traitsLifeState(t, sizes, time);
             return Perceptron.buildScene(t, sizes, life, opts); }))""",
        jobs,
    )
    return json.loads(text)


def chain_time(time) -> float:
    return float(time) if isinstance(time, float) else from_values(time, 12.4).time


def test_scene_parity_in_every_stage_shape_reveal_blink_sweep_and_scale(page):
    cases = list(scene_cases())
    stages, placeholders = set(), 0
    for (traits, sizes, time, options), have in zip(cases, js_scene(page, cases), strict=True):
        life = traits_life_state(traits, chain_time(time), sizes, tables=TABLES)
        want = build_scene(traits, sizes, life, None, options)
        stages.add(want.stage)
        placeholders += sum(n.index == -1 for n in want.nodes)
        assert_same_scene(scene_dict(want), have)
    assert stages == {"Growing", "Stable", "Decaying", "Dead", "Rebirth"} and placeholders > 0


PACE = """([fees, rates, accelerations, sets]) => {
  const p = Perceptron.pace, out = {};
  out.sat = fees.map(p.satFee);
  out.x0 = out.sat.map(p.blinkTarget);
  out.spark = out.x0.flatMap(x0 => [40, 60, 120, 200].map(a => p.sparkRate(a, x0)));
  out.loop = out.x0.map(x0 => p.loopRate(240, x0));
  out.count = out.sat.map(s => p.activeAmount(23, s));
  const upTo = n => [...Array(n).keys()];
  out.schedule = rates.map(r => {
    const s = new p.BlinkSchedule(r); return upTo(300).map(k => s.at(k)); });
  out.sets = sets.map(([c, sizes, live, count, steps]) => {
    const b = new p.BlinkSets(c, sizes, live, count);
    const inOrder = upTo(steps).map(k => b.at(k).slice());
    return [inOrder, [steps - 1, 0, 1].map(k => b.at(k).slice())]; });  // and asked back
  out.revealed = accelerations.map(a => upTo(400).map(k => p.revealedItems(k, 6, a)));
  out.length = accelerations.map(a => [p.revealLength(6, a), p.classificationLength(6, a)]);
  out.frames = [25, 30, 60].map(fps =>
    upTo(70).map(k => [p.originalFrame(k, fps), p.previewFrames(k, fps)]));
  return out; }"""


def test_pace_parity_reveal_blink_and_sweep(page):
    fees = [0.0, 0.5, 1.0, 3.0, 10.0, 57.0, 100.0, 1000.0]
    rates = [2.0, 5.0, 5.1, 7.5, 15.0, 40 / 7]
    accelerations = ["Basic", "Standard", "Advanced"]
    live = [f"n{c}-{r}" for c in range(5) for r in range(7)]
    sets = [(0, [4, 3], list("abcdef"), 2, 3), (2, [16, 10, 8], live, 13, 9), (1, [9], live, 0, 2),
            (0, [], live[:3], 1, 4), (5, [31, 12, 40, 7], live, 30, 25)]  # fmt: skip
    have = page.evaluate(PACE, [fees, rates, accelerations, sets])
    sat = [pace.sat_fee(f) for f in fees]
    x0 = [pace.blink_target(s) for s in sat]
    assert have["sat"] == pytest.approx(sat, abs=1e-15)
    assert have["x0"] == pytest.approx(x0, abs=1e-12)
    spark = [pace.spark_rate(a, x) for x in x0 for a in (40, 60, 120, 200)]
    assert have["spark"] == pytest.approx(spark, abs=1e-12)
    assert have["loop"] == pytest.approx([pace.loop_rate(240, x) for x in x0], abs=1e-12)
    assert have["count"] == [pace.active_amount(23, s) for s in sat]
    assert have["schedule"] == [list(pace.blink_schedule(r, 300)) for r in rates]
    for (c, sizes, names, count, steps), (in_order, back) in zip(sets, have["sets"], strict=True):
        want = [list(x) for x in pace.blink_sets(c, sizes, names, count, steps)]
        assert in_order == want and back == [want[-1], want[0], want[1]]
    assert have["sets"][0][0][:2] == [["d", "c"], ["b", "c"]]  # worked by hand: test_animation
    assert have["revealed"] == [
        [pace.revealed_items(k, 6, a) for k in range(400)] for a in accelerations
    ]
    assert have["length"] == [
        [pace.reveal_length(6, a), pace.classification_length(6, a)] for a in accelerations
    ]
    assert have["frames"] == [
        [[pace.original_frame(k, fps), pace.preview_frames(k, fps)] for k in range(70)]
        for fps in (25, 30, 60)
    ]


def python_timeline(traits, still, rebirths, fee, fps, idle, reveal, sweep) -> Timeline:
    return Timeline(
        columns=still.columns, acceleration=traits.acceleration, fee_rate=fee,
        live=tuple(n.id for n in live_nodes(still.nodes)), rebirths=rebirths,
        hidden_sizes=traits.hidden_sizes,
        x_range=(still.column_x[0], still.column_x[-1]), fps=fps, idle=idle,
        reveal=reveal, sweep=sweep,
    )  # fmt: skip


TIMELINE = """([cfg, time, shape, o, frames]) => {
  const t = Perceptron.traitsOf(cfg), life = Perceptron.traitsLifeState(t, cfg.h, time);
  const still = Perceptron.buildScene(t, cfg.h, life, {canvas: shape}), xs = still.column_x;
  const line = new Perceptron.Timeline(Object.assign({rebirths: life.rebirths, hidden_sizes: cfg.h,
    columns: xs.length, acceleration: t.acceleration, x_range: [xs[0], xs[xs.length - 1]],
    live: Perceptron.liveNodes(still.nodes).map(n => n.id)}, o));
  return JSON.stringify(frames.map(k => line.options(k))); }"""


@pytest.mark.parametrize("fps", [25, 60])
def test_timeline_parity_reveal_blink_sweep_and_the_dust_loop(page, fps):
    for (token, time), shape in zip(PORTRAITS, SHAPES * 2, strict=True):
        traits = sample_traits(SEED, token)
        chain = from_values(time, 57.0)
        life = traits_life_state(traits, chain.time, tables=TABLES)
        still = build_scene(traits, traits.hidden_sizes, life, chain, FrameOptions(canvas=shape))
        network = bool(still.nodes)
        for idle, reveal, sweep in ((40, network, network), (97, False, False)):
            line = python_timeline(
                traits, still, life.rebirths, chain.fee_rate, fps, idle, reveal, sweep
            )
            frames = list(range(line.length + 3))
            o = {
                "fee_rate": chain.fee_rate,
                "fps": fps,
                "idle": idle,
                "reveal": reveal,
                "sweep": sweep,
            }
            have = page.evaluate(
                TIMELINE, [traits_config(traits, TABLES), chain.time, list(shape), o, frames]
            )
            for k, js in zip(frames, json.loads(have), strict=True):
                want = dataclasses.asdict(line.options(k))
                for name in ("index", "reveal", "erased", "line_clip", "show_frame"):
                    assert js[name] == (list(want[name]) if name == "erased" else want[name]), (
                        k,
                        name,
                    )
                assert js["dust_clock"] == pytest.approx(want["dust_clock"], abs=1e-9), k


def test_bilinear_resize_matches_pillow_exactly(page):
    rng = np.random.default_rng(2)
    # (w, h) -> (w, h): up, down, mixed, unchanged, and both orders of Pillow 13's two passes
    shapes = [((97, 61), (28, 28)), ((7, 5), (32, 32)), ((40, 10), (28, 30)), ((28, 28), (28, 28)),
              ((120, 90), (32, 32)), ((30, 40), (32, 32)), ((12, 37), (5, 22)),
              ((33, 51), (28, 15)), ((38, 44), (32, 32)), ((38, 50), (32, 32)),
              ((31, 20), (31, 8))]  # fmt: skip
    for (w, h), (ow, oh) in shapes:
        rgb = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
        rgba = np.concatenate([rgb, np.full((h, w, 1), 255, np.uint8)], axis=2)
        want = np.asarray(Image.fromarray(rgb).resize((ow, oh), Image.Resampling.BILINEAR))
        have = page.evaluate(
            "([p, w, h, ow, oh]) => Array.from(Perceptron.resizeBilinear(p, w, h, ow, oh))",
            [rgba.ravel().tolist(), w, h, ow, oh],
        )
        assert np.array_equal(np.array(have, np.uint8).reshape(oh, ow, 3), want), (w, h, ow, oh)


def pixels_of(data_url: str) -> np.ndarray:
    data = base64.b64decode(data_url.split(",", 1)[1])
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


def canvas_pixels(page, case, shape) -> np.ndarray:
    traits, sizes, time, options = case
    url = page.evaluate(
        """([cfg, sizes, time, opts, w, h]) => {
             const t = Perceptron.traitsOf(cfg);
             const life = Perceptron.traitsLifeState(t, sizes, time);
             const c = document.createElement("canvas"); c.width = w; c.height = h;
             const scene = Perceptron.buildScene(t, sizes, life, opts);
             Perceptron.drawScene(c.getContext("2d"), scene, Math.min(w, h));
             return c.toDataURL("image/png"); }""",
        [traits_config(traits, TABLES), list(sizes), chain_time(time),
         dataclasses.asdict(options), *shape],
    )  # fmt: skip
    return pixels_of(url)


def assert_close_pictures(have: np.ndarray, want: np.ndarray, what: str) -> None:
    assert have.shape == want.shape, what
    diff = np.abs(have.astype(int) - want.astype(int)).max(axis=2)
    mean, p99, p999 = diff.mean(), np.percentile(diff, 99), np.percentile(diff, 99.9)
    assert mean <= PICTURE_MEAN and p99 <= PICTURE_P99 and p999 <= PICTURE_P999, (
        f"{what}: mean {mean:.3f}, 99th percentile {p99}, 99.9th {p999}"
    )


def cairo_pixels(case, shape) -> np.ndarray:
    traits, sizes, time, options = case
    life = traits_life_state(traits, chain_time(time), sizes, tables=TABLES)
    return to_array(build_scene(traits, sizes, life, None, options), min(shape))


def test_canvas_portrait_is_close_to_the_cairo_still(page):
    for token, time in PORTRAITS:
        traits = sample_traits(SEED, token)
        for options in (
            FrameOptions(index=60, dust_clock=240.0),
            FrameOptions(erased=("n1-0", "n1-1", "n2-0"), line_clip=520.0, canvas=SHAPES[1]),
        ):
            shape = tuple(round(v) for v in options.canvas)
            case = (traits, traits.hidden_sizes, time, options)
            have, want = canvas_pixels(page, case, shape), cairo_pixels(case, shape)
            assert_close_pictures(have, want, f"token {token} {options}")


#: Window shapes (CSS pixels) the page is opened in: square, wide, tall. At least 900 px on the
#: short side: below that, Squared paper's 0.1u hairlines are under 0.09 px wide, where Skia
#: still draws a faint line and Cairo next to none.
WINDOWS = [(1024, 1024), (1600, 900), (900, 1600)]


@pytest.mark.parametrize("window", WINDOWS)
def test_the_page_fills_any_window_and_matches_the_cairo_render_in_every_stage(
    browser, tmp_path, window
):
    # ORIGINAL 11: the canvas is the window; x stretches with W, y with H, sizes follow min(W, H)
    w, h = window
    context = browser.new_context(viewport={"width": w, "height": h})
    try:
        for token, time in PORTRAITS[:5]:
            traits = sample_traits(SEED, token)
            sizes = traits.hidden_sizes
            model = built_model("relu", sizes, ("a", "b", "c"), (6, 5), 1, "parity")
            chain = from_values(time, 12.4)
            path = tmp_path / f"t{token}.html"
            path.write_text(standalone_html(traits, dumps_model(model), chain, tables=TABLES))
            page = context.new_page()
            page.goto(path.as_uri())
            page.wait_for_function("window.Perceptron && Perceptron.ready")
            page.evaluate("Perceptron.ready")
            case = (traits, sizes, time, FrameOptions(canvas=(w, h), dust_clock=300.0))
            page.evaluate("void Perceptron.app.still(300)")
            size = page.evaluate("[Perceptron.app.canvas.width, Perceptron.app.canvas.height]")
            assert size == [w, h]  # the whole window, at any aspect ratio
            have = pixels_of(page.evaluate("Perceptron.app.canvas.toDataURL('image/png')"))
            assert_close_pictures(
                have, cairo_pixels(case, (w, h)), f"page, token {token}, {window}"
            )
            # a frame of the blink, as the page's clock shows it (60 Hz, no end to the idle)
            if traits_life_state(traits, chain.time, sizes, tables=TABLES).stage in (
                "Dead",
                "Rebirth",
            ):
                page.close()
                continue
            k = page.evaluate("Perceptron.app.timeline.revealFrames") + 7
            opts = page.evaluate(f"Perceptron.app.options({k})")
            page.evaluate(f"void Perceptron.app.frameAt({k})")
            have = pixels_of(page.evaluate("Perceptron.app.canvas.toDataURL('image/png')"))
            blink = FrameOptions(erased=tuple(opts["erased"]), canvas=(w, h))
            assert_close_pictures(have, cairo_pixels((*case[:3], blink), (w, h)), f"blink {token}")
            page.close()
    finally:
        context.close()


BATTERY = """([model, cfgs, pixels]) => {
  const P = Perceptron, m = P.parseModel(model), out = [];
  for (const cfg of cfgs) {
    const t = P.traitsOf(cfg);
    for (const time of [1.7e9, 1.75e9, 1.8e9, 2.2e9]) {
      const life = P.traitsLifeState(t, cfg.h, time);
      const still = P.buildScene(t, cfg.h, life, {index: 30, dust_clock: 77.5, canvas: [900, 500]});
      const xs = still.column_x;
      const line = new P.Timeline({rebirths: life.rebirths, hidden_sizes: cfg.h, columns: xs.length,
        acceleration: t.acceleration, fee_rate: 33, live: P.liveNodes(still.nodes).map(n => n.id),
        x_range: [xs[0], xs[xs.length - 1]], fps: 60, idle: 80, reveal: true, sweep: true});
      out.push(life, still, [5, 60, 90, 200].map(k => line.options(k)));
    }
  }
  out.push(Array.from(P.forward(m, pixels, null)));
  out.push(Array.from(P.resizeBilinear(pixels.concat(pixels).slice(0, 4 * 100), 10, 10, 3, 7)));
  return JSON.stringify(out);
}"""


def test_minified_engine_gives_the_same_answers_as_its_source(browser, site, page):
    cfgs = [traits_config(sample_traits(SEED, t), TABLES) for t in (7, 35, 89, 255)]
    args = [REFERENCE_MODEL.read_text(), cfgs, lcg_cases(28 * 28 * 3)[0]]
    source = browser.new_page()
    try:
        source.goto(site["src"])
        source.wait_for_function("window.Perceptron !== undefined")
        assert page.evaluate(BATTERY, args) == source.evaluate(BATTERY, args)
    finally:
        source.close()
