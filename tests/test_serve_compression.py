"""`artgen serve` of a collection made for `ord wallet batch --compress`: brotli bytes with
Content-Encoding: br to clients that accept br, plain bytes to the others (ord's
--decompress), 406 without it; the art runs both ways in Chromium."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from contextlib import contextmanager

import numpy as np
import pytest
from mint_configs import mint_once

from artgen.chain import DEFAULT_CHAIN_STATE
from artgen.inscription import placeholder_id
from artgen.inscription.compression import accepts_brotli, decompress, ord_compress
from artgen.inscription.serve import make_server, url_of
from artgen.model import forward, loads_model

ART = """
[collection]
name = "Squeezed"
size = 2
seed = 9
[dataset]
image_size = [8, 8]
per_class = 30
[render]
sizes = [128]
formats = ["png", "html"]
thumbnail_size = 64
[ord]
compress = true
parent = "none"
"""


@pytest.fixture(scope="module")
def minted(tmp_path_factory):
    return mint_once(tmp_path_factory, "squeezed", ART).root


@contextmanager
def serving(root, decompress=True):
    server = make_server(root, DEFAULT_CHAIN_STATE, port=0, decompress=decompress)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url_of(server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def get(url, accept=None):
    request = urllib.request.Request(url, headers={"Accept-Encoding": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, dict(reply.headers), reply.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def test_accept_encoding_is_read_as_http_says():
    assert accepts_brotli("gzip, deflate, br, zstd") and accepts_brotli("*")
    assert accepts_brotli("br;q=0.5") and not accepts_brotli("br;q=0")
    assert not accepts_brotli("gzip") and not accepts_brotli(None)
    assert not accepts_brotli("*, br;q=0") and not accepts_brotli("identity")


def test_brotli_to_who_accepts_it_plain_bytes_to_the_others(minted):
    model = (minted / "models/0.json").read_bytes()
    path = f"content/{placeholder_id(model)}"
    with serving(minted) as url:
        status, headers, body = get(url + path, "gzip, br")
        assert status == 200 and headers["Content-Encoding"] == "br"
        assert body == ord_compress(model, "application/json") and decompress(body) == model
        assert headers["Vary"] == "Accept-Encoding" and len(body) < 0.8 * len(model)
        status, headers, body = get(url + path, "gzip")
        assert status == 200 and "Content-Encoding" not in headers and body == model
        assert get(url + path)[2] == model
    with serving(minted, decompress=False) as url:
        assert get(url + path, "br")[0] == 200
        status, _, body = get(url + path, "gzip")
        assert status == 406 and b"br" in body


def open_art(browser, url, ident, plain=False):
    """The art page's model and error, and the Content-Encoding its model came with."""
    page = browser.new_page()
    encodings = {}
    page.on("response", lambda r: encodings.setdefault(r.url, r.headers.get("content-encoding")))
    if plain:  # a client that does not accept br: the request goes out without it
        page.route(
            "**/content/**",
            lambda route: route.fulfill(
                response=route.fetch(headers={**route.request.headers, "accept-encoding": "gzip"})
            ),
        )
    try:
        page.goto(f"{url}content/{ident}")
        page.wait_for_function("window.Perceptron && Perceptron.ready")
        page.evaluate("Perceptron.ready")
        shown = page.evaluate(
            "(app => ({model: app.model && app.model.name, error: app.message.textContent,"
            " nodes: app.stillScene.nodes.length}))(Perceptron.app)"
        )
        return shown, encodings
    finally:
        page.close()


@pytest.mark.parametrize("plain", [False, True])
def test_the_art_runs_both_ways_in_chromium(minted, browser, plain):
    model = placeholder_id((minted / "models/1.json").read_bytes())
    with serving(minted) as url:
        ident = placeholder_id((minted / "art/1.html").read_bytes())
        shown, encodings = open_art(browser, url, ident, plain)
    assert shown["model"] == "Squeezed #1" and shown["error"] == "" and shown["nodes"] > 2
    assert encodings[f"{url}content/{model}"] == (None if plain else "br")


@pytest.mark.parametrize("encoding", ["int8", "float16"])
def test_a_compact_model_served_compressed_runs_in_the_art_as_in_python(
    tmp_path_factory, browser, encoding
):
    text = ART.replace('parent = "none"', f'parent = "none"\nmodel_encoding = "{encoding}"')
    root = mint_once(tmp_path_factory, f"compact-{encoding}", text).root
    data = (root / "models/0.json").read_bytes()
    model = loads_model(data)
    assert json.loads(data)["weight_encoding"] == encoding
    pixels = np.random.default_rng(2).integers(0, 256, (6, model.input_size)).tolist()
    with serving(root) as url:
        page = browser.new_page()
        encodings = {}
        page.on(
            "response", lambda r: encodings.setdefault(r.url, r.headers.get("content-encoding"))
        )
        try:
            page.goto(f"{url}content/{placeholder_id((root / 'art/0.html').read_bytes())}")
            page.wait_for_function("window.Perceptron && Perceptron.ready")
            page.evaluate("Perceptron.ready")
            got = page.evaluate(
                """cases => { const app = Perceptron.app, m = app.model;
                     return {name: m.name, error: app.message.textContent,
                  probs: cases.map(p => Array.from(Perceptron.forward(m, p, null)))}; }""",
                pixels,
            )
        finally:
            page.close()
    assert encodings[f"{url}content/{placeholder_id(data)}"] == "br"
    assert got["name"] == "Squeezed #0" and got["error"] == ""
    want = forward(model, np.array(pixels, dtype=np.uint8).reshape(-1, *model.input_shape))
    assert np.abs(np.array(got["probs"]) - want).max() < 1e-6
