"""The art inscription's Python side: the builders, ids, `artgen serve`, the CLI.

The engine's build is tested in test_inscription_build.py; the browser side (parity with
Python, the picture, the page's behaviour) in test_inscription_parity.py and
test_inscription_page.py; their shared helpers live here.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from artgen.chain import DEFAULT_CHAIN_STATE, UNKNOWN_HEIGHT, ChainState
from artgen.cli import cli
from artgen.inscription import (
    TOKEN_HTML_LIMIT,
    engine_js,
    placeholder_id,
    rewrite_ids,
    standalone_html,
    token_html,
)
from artgen.inscription.serve import CONTENT_POLICY, make_server, url_of
from artgen.model import build_model, dumps_model
from artgen.tables import default_tables
from artgen.traits import sample_traits

TABLES = default_tables()  # the packaged Perceptrons tables

FIXTURES = Path(__file__).parent / "fixtures"
REFERENCE_MODEL = FIXTURES / "artblocks_classifier_model.json"
HOSTILE = [
    '<img src=x onerror="window.__pwned=1">',
    "</script><script>window.__pwned=2</script>",
    "Nouns & <b>friends</b>",
]


def built_model(
    activation: str = "relu",
    hidden=(5, 4),
    classes=("a", "b", "c"),
    hw=(6, 5),
    seed: int = 0,
    name: str = "built",
):
    """A small model with random weights (`artgen.model.build_model`)."""
    rng = np.random.default_rng(seed)
    sizes = (hw[0] * hw[1] * 3, *hidden, len(classes))
    weights = [
        (rng.normal(0, 0.4, (n, u)).astype(np.float32), rng.normal(0, 0.2, u).astype(np.float32))
        for n, u in zip(sizes[:-1], sizes[1:], strict=True)
    ]
    return build_model(name, hw, hidden, activation, classes, weights, {})


def write_file(root: Path, rel: str, data: str | bytes) -> str:
    """Write a file under the served folder; returns its placeholder id."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    return placeholder_id(raw)


@contextlib.contextmanager
def serving(root: Path, chain: ChainState = DEFAULT_CHAIN_STATE, log=None):
    """`artgen serve` on a free port in a thread; yields its base URL (`log` takes one line
    per request)."""
    server = make_server(root, chain, port=0, log=log)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url_of(server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def fetch(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as reply:
            return reply.status, dict(reply.headers), reply.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


# ---- ids, token HTML, standalone HTML -------------------------------------------------------


def test_placeholder_id_has_ords_form_and_follows_the_content():
    a, b = placeholder_id(b"engine"), placeholder_id(b"engine", 3)
    assert re.fullmatch(r"[0-9a-f]{64}i0", a) and b == a[:-1] + "3"
    assert placeholder_id(b"engine!") != a


def test_token_html_is_small_names_engine_and_model_and_embeds_the_traits():
    engine_id, model_id = placeholder_id(engine_js().encode()), placeholder_id(b"{}")
    for token in range(40):
        traits = sample_traits("size check", token)
        page = token_html(traits, engine_id=engine_id, model_id=model_id, tables=TABLES)
        assert len(page.encode("utf-8")) <= TOKEN_HTML_LIMIT
    traits = sample_traits(1, 7)
    page = token_html(traits, engine_id=engine_id, model_id=model_id, tables=TABLES)
    assert f'<script src="/content/{engine_id}"></script>' in page
    config = json.loads(re.search(r'id="perceptron">(.*?)</script>', page).group(1))
    assert config["m"] == model_id
    assert config["t"] == ["1", 7, *traits.attributes().values()]
    assert config["h"] == list(traits.hidden_sizes) and config["y"] == 7
    with pytest.raises(ValueError, match="engine_id"):
        token_html(traits, engine_id="engine.js", model_id=model_id, tables=TABLES)


def test_rewrite_ids_replaces_placeholders_with_real_ids():
    engine_id, model_id = placeholder_id(b"e"), placeholder_id(b"m")
    page = token_html(sample_traits(1, 2), engine_id=engine_id, model_id=model_id, tables=TABLES)
    real = {engine_id: "a" * 64 + "i0", model_id: "b" * 64 + "i7"}
    out = rewrite_ids(page, real)
    assert engine_id not in out and model_id not in out
    assert f"/content/{'a' * 64}i0" in out and f'"m":"{"b" * 64}i7"' in out
    assert len(out) == len(page)


def test_standalone_html_escapes_a_hostile_model_and_embeds_engine_and_chain():
    model = built_model(classes=tuple(HOSTILE))
    page = standalone_html(
        sample_traits(1, 3), dumps_model(model), DEFAULT_CHAIN_STATE, tables=TABLES
    )
    assert page.count("</script>") == 3  # traits, model, engine: nothing closes early
    assert "<img" not in page and "<b>" not in page
    assert engine_js() in page
    config = json.loads(re.search(r'id="perceptron">(.*?)</script>', page).group(1))
    assert config["c"] == [DEFAULT_CHAIN_STATE.time, DEFAULT_CHAIN_STATE.height, 12.4]
    assert config["x"] == 1
    embedded = re.search(r'id="perceptron-model">(.*?)</script>', page).group(1)
    assert json.loads(embedded)["classes_name"] == HOSTILE


# ---- artgen serve ---------------------------------------------------------------------------


def test_serve_resolves_placeholder_and_real_ids_with_content_types(tmp_path):
    engine = engine_js()
    engine_id = write_file(tmp_path, "engine.js", engine)
    model_text = dumps_model(built_model())
    model_id = write_file(tmp_path, "models/0.json", model_text)
    page = token_html(sample_traits(1, 0), engine_id=engine_id, model_id=model_id, tables=TABLES)
    html_id = write_file(tmp_path, "art/0.html", page)
    write_file(tmp_path, ".artgen/secret.json", "{}")
    real = "c" * 64 + "i0"
    inscribed = {"batches": [{"inscriptions": [{"sha256": model_id[:64], "id": real}]}]}
    write_file(tmp_path, "ord/inscribed.json", json.dumps(inscribed))
    chain = ChainState(time=1_800_000_000.0, height=901_234, fee_rate=33.5)
    with serving(tmp_path, chain) as url:
        for ident, ctype, body in [
            (engine_id, "text/javascript", engine.encode()),
            (model_id, "application/json", model_text.encode()),
            (real, "application/json", model_text.encode()),
            (html_id, "text/html;charset=utf-8", page.encode()),
        ]:
            status, headers, got = fetch(f"{url}content/{ident}")
            assert (status, headers["Content-Type"], got) == (200, ctype, body)
            assert headers["Content-Security-Policy"] == CONTENT_POLICY
        assert fetch(f"{url}content/{placeholder_id(b'{}')}")[0] == 404
        assert fetch(f"{url}r/blockheight")[2] == b"901234"
        info = json.loads(fetch(f"{url}r/blockinfo/901234")[2])
        assert (info["timestamp"], info["average_fee_rate"]) == (1_800_000_000, 33.5)
        assert fetch(f"{url}r/blockinfo/5")[0] == 404
        index = fetch(url)[2].decode()
        assert f"/content/{html_id}" in index and "art/0.html" in index


def test_serve_binds_loopback_only(tmp_path):
    server = make_server(tmp_path, DEFAULT_CHAIN_STATE, port=0)
    try:
        assert server.server_address[0] == "127.0.0.1"
    finally:
        server.server_close()


# ---- the CLI --------------------------------------------------------------------------------


def inscription_config(tmp_path, *options: str) -> dict:
    """`artgen inscription` of token 4 with `options`: its page's JSON block."""
    model = tmp_path / "m.json"
    model.write_text(dumps_model(built_model()))
    out = tmp_path / "out.html"
    args = ["inscription", "--seed", "1", "--token", "4", "--model", str(model), *options]
    result = CliRunner().invoke(cli, [*args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.output
    page = out.read_text()
    return json.loads(re.search(r'id="perceptron">(.*?)</script>', page).group(1))


def test_cli_inscription_writes_a_standalone_file_pinned_to_the_chain_options(tmp_path):
    config = inscription_config(tmp_path, "--time", "2030-01-01T00:00:00Z")
    assert config["c"][0] == 1893456000.0 and config["x"] == 1
    assert config["c"][1] == UNKNOWN_HEIGHT  # not the embedded default's block 871000
    assert config["t"][:2] == ["1", 4]


def test_cli_inscription_keeps_the_blocks_height_when_only_the_fee_rate_is_pinned(tmp_path):
    config = inscription_config(tmp_path, "--fee-rate", "30")
    state = DEFAULT_CHAIN_STATE
    assert config["c"] == [state.time, state.height, 30.0] and config["x"] == 1


def test_cli_inscription_rejects_a_corrupt_model_in_one_line(tmp_path):
    model = tmp_path / "bad.json"
    model.write_text('{"model_name": "x"')
    out = tmp_path / "out.html"
    args = ["inscription", "--seed", "1", "--token", "4", "--model", str(model), "-o", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert "bad.json" in result.output and "not valid JSON" in result.output
    assert not out.exists()


def test_cli_serve_is_registered_with_its_options():
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--port" in result.output and "--chain" in result.output
