"""The art's JavaScript does what the Python does, from the same data, in a real Chromium.

Lifecycle, class probabilities (to 1e-6), scenes, the animation timeline and Pillow's bilinear
resize are computed on both sides and compared; the canvas portrait is compared with the Cairo
still by pixels; the minified engine gives the very same answers as its unminified bundle.
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

from artgen.animation.timeline import Timeline
from artgen.chain import animation, from_values
from artgen.inscription import engine_js, traits_config, with_data
from artgen.lifecycle import DAY, birth_time, neuron_life, neuron_orders, traits_life_state
from artgen.model import dumps_model, forward, loads_model
from artgen.render import to_array
from artgen.scene import FrameOptions, build_scene
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
                cases.append([str(traits.seed), token, traits.birth_year, year / DAY, sizes, t])
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
        grown = neuron_life(sizes, 0.63, neuron_orders(SEED, 3, 1, sizes))
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


def scene_cases():
    """(traits, hidden sizes, time, FrameOptions) covering stages, reveals, sparks, the sweep."""
    for token, time in PORTRAITS:
        traits = sample_traits(SEED, token)
        cols = len(traits.hidden_sizes) + 2
        yield traits, traits.hidden_sizes, time, FrameOptions(index=41)
        yield (
            traits,
            traits.hidden_sizes,
            time,
            FrameOptions(
                index=5,
                node_reveal=(1.0,) * (cols - 1) + (0.4,),
                line_reveal=(1.0,) * (cols - 2) + (0.3,),
            ),
        )
        yield traits, traits.hidden_sizes, time, FrameOptions(
            index=9, sweep=1.4, spark_phases=(("n1-0", 0.3, 1), ("n2-1", 0.0, 0), ("n0-0", 0.7, 2)),
            sparks=frozenset({"n3-0"}), show_frame=False,
        )  # fmt: skip
    yield sample_traits(SEED, 35), (70, 44, 9), PORTRAITS[0][1], FrameOptions(index=2)


def js_scene(page, cases) -> list[dict]:
    jobs = []
    for traits, sizes, time, options in cases:
        opts = {k: v for k, v in dataclasses.asdict(options).items() if v is not None}
        opts["sparks"] = dict.fromkeys(options.sparks, True)
        jobs.append(
            [traits_config(traits, TABLES), list(sizes), from_values(time, 12.4).time, opts]
        )
    text = page.evaluate(
        """jobs => JSON.stringify(jobs.map(([cfg, sizes, time, opts]) => {
             const t = Perceptron.traitsOf(cfg);
             const life = Perceptron.traitsLifeState(t, sizes, time);
             return Perceptron.buildScene(t, sizes, life, opts); }))""",
        jobs,
    )
    return json.loads(text)


def test_scene_parity_across_stages_reveals_sparks_sweep_and_scale(page):
    cases = list(scene_cases())
    for (traits, sizes, time, options), have in zip(cases, js_scene(page, cases), strict=True):
        life = traits_life_state(traits, from_values(time, 12.4).time, sizes, tables=TABLES)
        assert_same_scene(scene_dict(build_scene(traits, sizes, life, None, options)), have)


def test_timeline_parity_reveal_idle_sparks_and_sweep(page):
    for token, time in PORTRAITS[:3] + PORTRAITS[5:]:
        traits = sample_traits(SEED, token)
        chain = from_values(time, 57.0)
        life = traits_life_state(traits, chain.time, tables=TABLES)
        still = build_scene(traits, traits.hidden_sizes, life, chain)
        idle = 40
        timeline = Timeline(
            seed=traits.seed, token=token, columns=still.columns,
            animation=animation(chain.fee_rate, traits.acceleration),
            live=tuple((n.id, n.column) for n in still.nodes if n.life > 0), idle=idle,
            reveal=True, sweep=True,
        )  # fmt: skip
        frames = list(range(timeline.length))
        have = page.evaluate(
            """([cfg, time, fee, frames, sweepStart]) => {
                 const t = Perceptron.traitsOf(cfg);
                 const life = Perceptron.traitsLifeState(t, cfg.h, time);
                 const line = new Perceptron.Timeline(t, Perceptron.buildScene(t, cfg.h, life, {}),
                   Perceptron.animation(fee, t.acceleration), true);
                 return JSON.stringify(frames.map(k => line.options(k, sweepStart))); }""",
            [traits_config(traits, TABLES), chain.time, chain.fee_rate, frames,
             timeline.reveal_frames + idle],
        )  # fmt: skip
        for k, js in zip(frames, json.loads(have), strict=True):
            want = timeline.options(k)
            assert js.get("node_reveal") == (list(want.node_reveal) if want.node_reveal else None)
            assert js.get("line_reveal") == (list(want.line_reveal) if want.line_reveal else None)
            assert js.get("sweep") == want.sweep
            assert [tuple(p) for p in js.get("spark_phases", [])] == list(want.spark_phases), k


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


def canvas_pixels(page, case) -> np.ndarray:
    traits, sizes, time, options = case
    url = page.evaluate(
        """([cfg, sizes, time, index]) => {
             const t = Perceptron.traitsOf(cfg);
             const life = Perceptron.traitsLifeState(t, sizes, time);
             const c = document.createElement("canvas"); c.width = c.height = 1024;
             const scene = Perceptron.buildScene(t, sizes, life, {index});
             Perceptron.drawScene(c.getContext("2d"), scene, 1024);
             return c.toDataURL("image/png"); }""",
        [traits_config(traits, TABLES), list(sizes), from_values(time, 12.4).time, options.index],
    )
    data = base64.b64decode(url.split(",", 1)[1])
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


def test_canvas_portrait_is_close_to_the_cairo_still(page):
    for token, time in PORTRAITS:
        traits = sample_traits(SEED, token)
        case = (traits, traits.hidden_sizes, time, FrameOptions(index=60))
        life = traits_life_state(traits, from_values(time, 12.4).time, tables=TABLES)
        cairo = to_array(build_scene(traits, traits.hidden_sizes, life, None, case[3]), 1024)
        diff = np.abs(canvas_pixels(page, case).astype(int) - cairo.astype(int)).max(axis=2)
        mean, p99, p999 = diff.mean(), np.percentile(diff, 99), np.percentile(diff, 99.9)
        assert mean <= PICTURE_MEAN and p99 <= PICTURE_P99 and p999 <= PICTURE_P999, (
            f"token {token}: mean {mean:.3f}, 99th percentile {p99}, 99.9th {p999}"
        )


BATTERY = """([model, cfgs, pixels]) => {
  const P = Perceptron, m = P.parseModel(model), out = [];
  for (const cfg of cfgs) {
    const t = P.traitsOf(cfg);
    for (const time of [1.7e9, 1.75e9, 1.8e9, 2.2e9]) {
      const life = P.traitsLifeState(t, cfg.h, time);
      const still = P.buildScene(t, cfg.h, life, {index: 30});
      const line = new P.Timeline(t, still, P.animation(33, t.acceleration), true);
      out.push(life, still, [5, 60, 90].map(k => line.options(k, 80)));
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
