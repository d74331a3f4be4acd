"""Inscription files: envelope weight, batching under the reveal limit, YAML, real ids."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from click.testing import CliRunner
from mint_configs import mint_once, tiny_config
from ord_batches import check_ord_batches

from artgen.tables import TRAIT_NAMES
from collection.cli import cli
from collection.config import load_config
from collection.mint import verify
from collection.mint.ordcost import (
    REVEAL_LIMIT,
    Inscription,
    InscriptionError,
    batch_weight,
    cbor,
    envelope_size,
    plan_batches,
    push_size,
    reveal_weight,
)
from collection.mint.ordfiles import inscription_items

# 32 x 32 inputs make models of 100-330 kB: a few per reveal transaction, so several batches.
WIDE = tiny_config(
    "Ord Test",
    size=6,
    seed=3,
    image_size=32,
    extra='[ord]\nfee_rate = 12.5\npostage = 546\nparent = "none"\n',
)


@pytest.fixture(scope="module")
def minted(tmp_path_factory):
    return mint_once(tmp_path_factory, "ord", WIDE)


def test_push_sizes_follow_script_push_opcodes():
    assert [push_size(n) for n in (0, 75, 76, 255, 256, 520)] == [1, 76, 78, 257, 259, 523]


def test_envelope_and_reveal_weight_by_hand():
    # OP_FALSE OP_IF "ord" (6) + tag 1 + 16-byte type (2 + 17) + metadata tag + 10 bytes (2 + 11)
    # + OP_0 (1) + chunks of 520 and 480 bytes (523 + 483) + OP_ENDIF (1)
    assert envelope_size(1000, "application/json", 10, None) == 1046
    # with a pointer of 546 (two bytes): tag 2 + push (2 + 3)
    assert envelope_size(1000, "application/json", 10, 546) == 1051
    # witness: marker+flag 2, count 1, signature 65, varint 3 + script (34 + 1046), control 34;
    # the rest (version, one input, one 43-byte output, locktime: 94 bytes) counts 4 WU a byte
    assert reveal_weight(1046, 1) == 2 + 1 + 65 + 3 + 1080 + 34 + 4 * 94


def test_cbor_of_metadata():
    assert cbor({"a": 1, "b": [True, None, "x"]}) == bytes.fromhex("a2616101616283f5f66178")
    assert cbor(-2) == b"\x21" and cbor(1000) == b"\x19\x03\xe8"


def items(sizes, kind="model"):
    return [
        Inscription(kind, f"models/{i}.json", size, f"{i:064x}", "application/json", {"n": i}, i)
        for i, size in enumerate(sizes)
    ]


def test_batches_stay_under_the_limit_and_are_full():
    batches = plan_batches(items([100_000] * 7), postage=10_000)
    assert [len(b) for b in batches] == [3, 3, 1]
    for batch, nxt in zip(batches, batches[1:], strict=False):
        assert batch_weight(batch, 10_000) <= REVEAL_LIMIT
        assert batch_weight([*batch, nxt[0]], 10_000) > REVEAL_LIMIT


def test_a_file_too_large_for_one_reveal_is_named():
    with pytest.raises(InscriptionError, match=r"models/1\.json.*390,000 WU"):
        plan_batches(items([1000, 395_000]), postage=10_000)


def test_inscription_order_is_engine_then_models_then_html():
    config = load_config(None)

    def record(token):
        traits = dict.fromkeys(TRAIT_NAMES[1:], 1) | {"Color Palette": "Nak", "hidden_layers": [3]}
        return {
            "token": token,
            "traits": traits,
            "files": {"model": f"models/{token}.json"},
            "model": {"sha256": f"m{token}", "bytes": 10},
            "art": [
                {"kind": "html", "path": f"html/{token}.html", "sha256": f"h{token}", "bytes": 5}
            ],
        }

    engine = Inscription("engine", "engine.js", 100, "e", "text/javascript", {})
    order = [(i.kind, i.path) for i in inscription_items(config, [record(0), record(1)], [engine])]
    assert order == [
        ("engine", "engine.js"),
        ("model", "models/0.json"),
        ("model", "models/1.json"),
        ("html", "html/0.html"),
        ("html", "html/1.html"),
    ]


def test_batch_yaml_files_and_estimates(minted):
    root = minted.root
    report = json.loads((root / "ord/batches.json").read_text())
    assert report["fee_rate"] == 12.5 and report["limit_weight"] == REVEAL_LIMIT
    assert "4 x" in report["formula"]
    batches = report["batches"]
    assert len(batches) >= 2
    files = []
    for b in batches:
        assert b["status"] == "pending" and b["weight"] <= REVEAL_LIMIT
        assert b["vbytes"] == -(-b["weight"] // 4)
        assert b["reveal_fee"] == -(-b["vbytes"] * 12.5 // 1)
        text = (root / b["file"]).read_text()
        assert re.search(r"^# Estimate at 12.5 sat/vB: reveal [\d,]+ WU = [\d,]+ vB", text, re.M)
        doc = yaml.safe_load(text)
        assert doc["mode"] == "separate-outputs" and doc["postage"] == 546
        for entry in doc["inscriptions"]:
            assert list(entry) == ["file", "title", "traits", "metadata"]
            assert (root / entry["file"]).is_file() and entry["metadata"]["kind"] == "model"
            files.append(entry["file"])
    assert files == [f"models/{t}.json" for t in range(6)]
    assert report["pending"]["inscriptions"] == 6
    assert report["pending"]["total_sats"] == sum(b["total_sats"] for b in batches)


def fake_output(batch, tx):
    return {
        "commit": "c" * 63 + tx,
        "reveal": "d" * 63 + tx,
        "inscriptions": [
            {"id": f"{'d' * 63}{tx}i{n}", "location": f"{'d' * 63}{tx}:{n}:0"}
            for n in range(len(batch["files"]))
        ],
        "parents": [],
        "total_fees": 1000,
    }


def test_real_ids_replace_the_placeholders(minted, tmp_path):
    import shutil

    root = tmp_path / "copy"
    shutil.copytree(minted.root, root)
    report = json.loads((root / "ord/batches.json").read_text())
    outputs = []
    for n, batch in enumerate(report["batches"]):
        path = tmp_path / f"{batch['name']}.json"
        path.write_text(json.dumps(fake_output(batch, str(n))))
        outputs.append(str(path))
    bad = tmp_path / "batch-001-wrong.json"
    bad.write_text(json.dumps({**fake_output(report["batches"][0], "9"), "inscriptions": []}))
    before = (root / "manifest.json").read_bytes()
    run = CliRunner().invoke(cli, ["inscribed", str(root), str(bad)])
    assert (
        run.exit_code == 2 and "batch-001-wrong.json" in run.output and "inscriptions" in run.output
    )
    assert (root / "manifest.json").read_bytes() == before
    run = CliRunner().invoke(cli, ["inscribed", str(root), *outputs])
    assert run.exit_code == 0, run.output
    items = json.loads((root / "inscriptions.json").read_text())
    first = report["batches"][0]
    assert items[0]["id"] == f"{'d' * 63}0i0"
    for t in range(6):
        meta = json.loads((root / f"metadata/{t}.json").read_text())
        assert meta["inscriptions"]["model"].startswith("d" * 63)
    done = json.loads((root / "ord/batches.json").read_text())
    assert check_ord_batches(root) == []  # every batch inscribed: none left to write
    assert {b["status"] for b in done["batches"]} == {"inscribed"}
    assert done["pending"]["inscriptions"] == 0
    assert (
        json.loads((root / "ord/inscribed.json").read_text())["batches"][0]["name"] == first["name"]
    )
    assert verify(root) == []
