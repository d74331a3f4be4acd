"""Fuzzing every parser of input from outside: whatever arrives, only the domain's error escapes,
in one line naming its source. (The model's loader has its own: tests/test_model_fuzz.py.)

Each parser gets at least 2,000 generated inputs, deterministic (derandomize), most of them
its own good format broken (tests/fuzzing.py): the collection config (TOML), the chain
answers (a getblockstats file, bitcoind's JSON-RPC replies, ord's recursion replies), a
collection's manifest, and ord's batch output.
"""

from __future__ import annotations

import json
import math
import shutil
import tempfile
import tomllib
from pathlib import Path

import pytest
from fuzzing import JUNK, documents, fuzz, mutations
from hypothesis import given
from hypothesis import strategies as st
from mint_configs import tiny_config

from artgen import chain, chainrpc
from artgen.chainstate import ChainState
from artgen.errors import ArtgenError, ChainStateError, ConfigError
from collection.config import CollectionConfig, load_config
from collection.mint.inscribe import _load_output
from collection.mint.manifest import build_manifest, verify
from collection.mint.ordcost import InscriptionError

SCRATCH = Path(tempfile.mkdtemp(prefix="artgen-fuzz-"))  # one file rewritten per input


def one_line(err: ArtgenError, source: str) -> None:
    message = str(err)
    assert "\n" not in message and message.startswith(source), message


def written(data: bytes, name: str) -> Path:
    path = SCRATCH / name
    path.write_bytes(data)
    return path


# ---- the collection config ------------------------------------------------------------------

CONFIG_TEXT = tiny_config("Fuzz", size=3, seed=4, extra="fps = 5\nseconds = 2\n") + (
    '[moment]\ntime = "2024-11-25T12:00:00Z"\nfee_rate = 12.5\n'
    '[tables."Paper Pattern"]\nweights = [10, 45, 45]\n'
    '[tables."Training Epochs"]\nmin = 4\nmax = 6\n'
    '[tables.life_cycle_days]\n"60 Days" = 2\n'
)
CONFIG_DOC = tomllib.loads(CONFIG_TEXT)


def toml_value(value) -> str | None:
    """A TOML literal for a JSON-like value (None has none: the key is left out)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(v for v in map(toml_value, value) if v is not None) + "]"
    items = ((json.dumps(str(k)), toml_value(v)) for k, v in value.items())
    return "{" + ", ".join(f"{k} = {v}" for k, v in items if v is not None) + "}"


def toml_text(doc) -> str:
    """`doc` as TOML: a table per top-level key (a nested table per [tables] entry)."""
    if not isinstance(doc, dict):
        return f"x = {toml_value(doc) or 0}\n"
    lines = []
    for section, body in doc.items():
        if section == "tables" and isinstance(body, dict):
            for name, table in body.items():
                lines.append(f"[tables.{json.dumps(str(name))}]")
                lines += _pairs(table)
        else:
            lines.append(f"[{json.dumps(str(section))}]")
            lines += _pairs(body)
    return "\n".join(lines) + "\n"


def _pairs(body) -> list[str]:
    if not isinstance(body, dict):
        return [f"value = {toml_value(body) or 0}"]
    pairs = ((json.dumps(str(k)), toml_value(v)) for k, v in body.items())
    return [f"{k} = {v}" for k, v in pairs if v is not None]


CONFIGS = st.one_of(
    mutations(CONFIG_DOC).map(lambda changes: _mutated_toml(changes)),
    mutations(CONFIG_DOC).map(lambda changes: _mutated_toml(changes)),
    mutations(CONFIG_DOC).map(lambda changes: _mutated_toml(changes)),
    st.integers(0, len(CONFIG_TEXT)).map(lambda n: CONFIG_TEXT[:n].encode()),
    st.tuples(st.integers(0, len(CONFIG_TEXT)), st.binary(min_size=1, max_size=4)).map(
        lambda p: CONFIG_TEXT.encode()[: p[0]] + p[1] + CONFIG_TEXT.encode()[p[0] :]
    ),
    st.integers(10, 3000).map(lambda n: ("a = " + "[" * n + "]" * n + "\n").encode()),
    JUNK.map(lambda value: toml_text({"collection": {"size": value}}).encode()),
    st.text(max_size=200).map(str.encode),
    st.binary(max_size=120),
)


def _mutated_toml(changes) -> bytes:
    from fuzzing import mutated

    return toml_text(json.loads(mutated(CONFIG_DOC, changes))).encode()


@fuzz(2000)
@given(CONFIGS)
def test_collection_configs_raise_only_config_errors(data):
    path = written(data, "c.toml")
    try:
        config = load_config(path)
    except ConfigError as err:
        one_line(err, str(path))
        return
    assert isinstance(config, CollectionConfig)
    assert all(math.isfinite(w) for t in config.tables.categorical for w in t.weights)


# ---- chain answers: a file, bitcoind's replies, ord's replies ------------------------------

STATS = {"avgfeerate": 21, "height": 871234, "time": 1732600000}
ENVELOPE = {"result": STATS, "error": None, "id": "artgen"}
BLOCKINFO = {"average_fee_rate": 13, "height": 871234, "timestamp": 1732600000}


@fuzz(700)
@given(st.one_of(documents(STATS), documents(ENVELOPE), documents(BLOCKINFO)))
def test_chain_files_raise_only_chain_state_errors(data):
    path = written(data, "block.json")
    try:
        state = chain.from_file(path)
    except ChainStateError as err:
        one_line(err, str(path))
        return
    assert isinstance(state, ChainState) and math.isfinite(state.time + state.fee_rate)


class Replies:
    """An Exchange that answers each request with the next (status, body) given."""

    answers: list = []

    def __init__(self, auth, seconds):
        self.queue = list(Replies.answers)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def fetch(self, method, url, source, body=None):
        return self.queue.pop(0) if self.queue else (200, b"")


STATUSES = st.sampled_from([200, 200, 200, 401, 404, 500, 302])
COUNT = st.one_of(JUNK, st.just(871234)).map(
    lambda v: json.dumps({"result": v, "error": None, "id": 1}, allow_nan=True).encode()
)


def answered(kind: str, answers) -> None:
    Replies.answers = answers
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(chainrpc, "Exchange", Replies)
        source = {"rpc": "bitcoind http://127.0.0.1:8332/", "ord": "ord http://127.0.0.1/r/"}
        try:
            if kind == "rpc":
                state = chainrpc.from_rpc("http://u:p@127.0.0.1")
            else:
                state = chainrpc.from_ord("http://127.0.0.1")
        except ChainStateError as err:
            one_line(err, source[kind])
            return
    assert isinstance(state, ChainState) and math.isfinite(state.time + state.fee_rate)


@fuzz(700)
@given(st.tuples(STATUSES, COUNT), st.tuples(STATUSES, documents(ENVELOPE)))
def test_json_rpc_replies_raise_only_chain_state_errors(count, stats):
    answered("rpc", [count, stats])


@fuzz(700)
@given(
    st.tuples(STATUSES, st.one_of(documents(871234), st.just(b"871234"))),
    st.tuples(STATUSES, documents(BLOCKINFO)),
)
def test_ord_replies_raise_only_chain_state_errors(height, info):
    answered("ord", [height, info])


# ---- a collection's manifest ------------------------------------------------------------------


@pytest.fixture(scope="module")
def collection_folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fuzzed") / "coll"
    for rel, data in (("models/0.json", b"{}"), ("images/0.png", b"png"), ("meta.json", b"[]")):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    (root.parent / "outside.txt").write_bytes(b"secret outside the collection")
    return root


MANIFEST = {"count": 1, "bytes": 3, "files": [
    {"path": "images/0.png", "sha256": "a" * 64, "bytes": 3},
    {"path": "models/0.json", "sha256": "b" * 64, "bytes": 2}]}  # fmt: skip
OUTSIDE = st.sampled_from(["../outside.txt", "/etc/passwd", "images/../../outside.txt",
                           "C:/x", "images\\0.png", "./images/0.png", "", "a\x00b"])  # fmt: skip


@fuzz(2000)
@given(
    st.one_of(
        documents(MANIFEST),
        documents(MANIFEST),
        OUTSIDE.map(
            lambda p: json.dumps({**MANIFEST, "files": [{**MANIFEST["files"][0], "path": p}]})
        ).map(str.encode),
    )
)
def test_manifests_raise_only_one_line_errors_and_are_never_read_outside(collection_folder, data):
    (collection_folder / "manifest.json").write_bytes(data)
    try:
        problems = verify(collection_folder)
    except ArtgenError as err:
        one_line(err, str(collection_folder))
        return
    for problem in problems:
        assert ".." not in Path(problem.path).parts and not problem.path.startswith("/")


def test_a_good_manifest_verifies(collection_folder):
    manifest = build_manifest(collection_folder)
    (collection_folder / "manifest.json").write_text(json.dumps(manifest))
    assert verify(collection_folder) == []


# ---- ord's batch output ------------------------------------------------------------------------

OUTPUT = {"commit": "a" * 64, "reveal": "b" * 64, "total_fees": 1200,
          "inscriptions": [{"id": "c" * 64 + "i0", "location": "d" * 64 + ":0:0"},
                           {"id": "c" * 64 + "i1", "location": "d" * 64 + ":0:1"}]}  # fmt: skip


@fuzz(2000)
@given(documents(OUTPUT))
def test_ord_outputs_raise_only_inscription_errors(data):
    path = written(data, "batch-001.json")
    try:
        doc = _load_output(path)
    except InscriptionError as err:
        one_line(err, str(path))
        return
    assert isinstance(doc, dict) and doc["inscriptions"]


def teardown_module():
    shutil.rmtree(SCRATCH, ignore_errors=True)
