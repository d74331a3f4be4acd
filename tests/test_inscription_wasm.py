"""The engine's WebAssembly kernel: a valid SIMD module, the same answers as Python, a fallback.

The dense products run in the kernel (artgen/inscription/engine/kernel.wat, compiled into the
built engine) wherever the browser allows it (ord's policy does) and in the engine's
JavaScript otherwise; both paths must give Python's class probabilities.
"""

from __future__ import annotations

import base64

import numpy as np
import pytest
from test_inscription import REFERENCE_MODEL, built_model, serving, write_file

from artgen.inscription import engine_js, token_html
from artgen.inscription.serve import CONTENT_POLICY
from artgen.lifecycle import neuron_life
from artgen.model import dumps_model, forward, loads_model
from artgen.tables import default_tables
from artgen.training import DEFAULT_MODEL
from artgen.traits import sample_traits

TABLES = default_tables()  # the packaged Perceptrons tables

HARNESS = "<!doctype html><meta charset=utf-8><body><script src='/content/{}'></script>"
#: Odd shapes: unit counts not a multiple of 4 (15, 7, 1, 5), inputs not a multiple of the
#: kernel's unroll (75, 27, 90, 15, 7, 1).
MODELS = {
    "reference": REFERENCE_MODEL.read_text(),
    "default": DEFAULT_MODEL.read_text(),
    "15-7 relu": dumps_model(built_model("relu", (15, 7), ("a", "b", "c"), (5, 5), 1)),
    "1 tanh": dumps_model(built_model("tanh", (1,), ("a", "b"), (3, 3), 2)),
    "7-1-15 leaky": dumps_model(built_model("leaky_relu", (7, 1, 15), tuple("abcde"), (6, 5), 3)),
    "5-3 sigmoid": dumps_model(built_model("sigmoid", (5, 3), tuple("abcdefg"), (4, 4), 4)),
}
FORWARD = """([texts, cases, options]) => {
  const P = Perceptron, models = texts.map(t => P.parseModel(t, null, options));
  // every model parsed before any runs: each keeps its own kernel memory
  return {kernels: models.map(m => m.kernel),
          out: cases.map(([k, pixels, life]) => Array.from(P.forward(models[k], pixels, life)))};
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("wasm")
    engine = write_file(root, "engine.js", engine_js())
    model = write_file(root, "models/default.json", MODELS["default"])
    token = token_html(sample_traits(1, 35), engine_id=engine, model_id=model, tables=TABLES)
    pages = {"harness": write_file(root, "harness.html", HARNESS.format(engine))}
    pages["token"] = write_file(root, "art/token.html", token)
    with serving(root) as url:
        yield {name: f"{url}content/{ident}" for name, ident in pages.items()}


def open_page(browser, url: str, init_script: str | None = None, policy: str | None = None):
    """A page at `url`; `policy` replaces the Content-Security-Policy the server sends."""
    page = browser.new_page()
    if init_script:
        page.add_init_script(init_script)
    if policy:
        page.route(
            "**/*",
            lambda route: route.fulfill(
                response=(reply := route.fetch()),
                headers={**reply.headers, "content-security-policy": policy},
            ),
        )
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(url)
    page.wait_for_function("window.Perceptron !== undefined")
    page.errors = errors
    return page


def forward_cases() -> tuple[list, list]:
    """(model index, pixels, life) for every model, with and without life masks; the answers."""
    rng = np.random.default_rng(8)
    cases, expected = [], []
    for k, text in enumerate(MODELS.values()):
        model = loads_model(text)
        sizes = model.hidden_sizes
        masks = [
            None,
            neuron_life(sizes, 0.55),  # fractions of life and whole neurons dead
            [[float(j % 3 != 0) for j in range(s)] for s in sizes],
            [[0.0] * s for s in sizes],  # every neuron dead
        ]
        for life in masks:
            pixels = rng.integers(0, 256, model.input_size)
            life = None if life is None else [[float(v) for v in layer] for layer in life]
            cases.append([k, pixels.tolist(), life])
            expected.append(forward(model, pixels, life)[0])
    return cases, expected


def test_kernel_module_is_small_and_valid_simd_in_chromium(browser, site):
    page = open_page(browser, site["harness"])
    try:
        module = base64.b64decode(page.evaluate("Perceptron.kernel"))
        assert module[:8] == b"\x00asm\x01\x00\x00\x00" and len(module) < 1024
        found = page.evaluate(
            """bytes => { const b = new Uint8Array(bytes);
                 const e = new WebAssembly.Instance(new WebAssembly.Module(b), {}).exports;
                 return [WebAssembly.validate(b), Object.keys(e).sort(), e.dense.length]; }""",
            list(module),
        )
        assert found == [True, ["dense", "memory"], 5]
        # a module that is not valid SIMD is refused by the same check the engine makes
        broken = bytearray(module)
        broken[broken.index(bytes([0xFD, 0xF2, 0x01]))] = 0xFC  # f64x2.mul -> no such opcode
        assert page.evaluate("b => WebAssembly.validate(new Uint8Array(b))", list(broken)) is False
    finally:
        page.close()


def test_wasm_and_javascript_paths_both_give_pythons_probabilities(browser, site):
    cases, expected = forward_cases()
    page = open_page(browser, site["harness"])
    try:
        texts = list(MODELS.values())
        wasm = page.evaluate(FORWARD, [texts, cases, None])
        js = page.evaluate(FORWARD, [texts, cases, {"wasm": False}])
    finally:
        page.close()
    assert wasm["kernels"] == ["wasm"] * len(MODELS) and js["kernels"] == ["js"] * len(MODELS)
    for (k, _, life), want, a, b in zip(cases, expected, wasm["out"], js["out"], strict=True):
        name = list(MODELS)[k]
        assert np.abs(np.array(a) - want).max() < 1e-9, f"{name}, wasm, life {life is not None}"
        assert np.abs(np.array(b) - want).max() < 1e-9, f"{name}, js, life {life is not None}"
        assert np.abs(np.array(a) - b).max() < 1e-12


def test_a_page_served_by_artgen_serve_runs_the_kernel(browser, site):
    page = open_page(browser, site["token"])
    try:
        response = page.request.get(site["token"])
        assert response.headers["content-security-policy"] == CONTENT_POLICY
        page.wait_for_function("Perceptron.ready")
        page.evaluate("Perceptron.ready")
        kernel = page.evaluate("Perceptron.app.model.kernel")
        assert kernel == "wasm" and page.errors == []
    finally:
        page.close()


@pytest.mark.parametrize(
    ("init_script", "policy"),
    [
        ("delete window.WebAssembly", None),
        (None, CONTENT_POLICY.replace(" 'unsafe-eval'", "")),  # refuses to compile WebAssembly
    ],
    ids=["no WebAssembly", "policy refuses compilation"],
)
def test_the_engine_falls_back_to_javascript_silently(browser, site, init_script, policy):
    cases, expected = forward_cases()
    page = open_page(browser, site["harness"], init_script, policy)
    try:
        got = page.evaluate(FORWARD, [list(MODELS.values()), cases, None])
    finally:
        page.close()
    assert got["kernels"] == ["js"] * len(MODELS) and page.errors == []
    for want, have in zip(expected, got["out"], strict=True):
        assert np.abs(np.array(have) - want).max() < 1e-9
