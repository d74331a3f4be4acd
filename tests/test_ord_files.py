"""ord batch files without a mint: a two-token collection written by hand goes through its
batches (parent, engine and models, art, gallery) as ids become known; each batch file's
exact text, what waits on what, the estimates and ord/inscribed.json's refusals."""

from __future__ import annotations

import dataclasses
import hashlib
import json

import pytest
import yaml

from artgen.tables import TRAIT_NAMES
from collection.config import load_config
from collection.mint.ordcost import (
    REVEAL_LIMIT,
    Inscription,
    InscriptionError,
    batch_weight,
    estimate,
)
from collection.mint.ordfiles import (
    FORMULA,
    batch_files,
    content_type,
    inscription_items,
    read_inscribed,
    write_ord_files,
)

# long enough that YAML's default 80 columns would fold it, and not ASCII
NAME = "Ünïcode Perceptrons with a name long enough to pass the eighty columns of YAML"
PARENT = "e1" * 32 + "i0"


def config(parent="cover", compress=False):
    base = load_config(None)
    ord_ = dataclasses.replace(
        base.ord, fee_rate=12.5, postage=546, compress=compress, parent=parent, gallery=True
    )
    return dataclasses.replace(base, name=NAME, ord=ord_)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def collection(tmp_path):
    """(root, records, shared): the files on disk, two token records, the collection's own."""
    files = {
        "ord/cover.html": b"<h1>cover</h1>",
        "art/engine.js": b"export const engine = 1;\n" * 40,
        "ord/gallery.html": b"<ol>gallery</ol>",
    }
    traits = dict.fromkeys(TRAIT_NAMES, 3) | {"Color Palette": "Nak", "Hidden Layers": 1.5}
    records = []
    for t in (0, 1):
        files[f"models/{t}.json"] = b'{"weights": [%d]}' % t * 50
        files[f"art/{t}.html"] = b"<html>%d</html>" % t
        model, art = files[f"models/{t}.json"], files[f"art/{t}.html"]
        records.append(
            {
                "token": t,
                "traits": traits,
                "files": {"model": f"models/{t}.json"},
                "model": {"sha256": sha(model), "bytes": len(model)},
                "art": [
                    {"kind": "html", "path": f"art/{t}.html", "sha256": sha(art), "bytes": len(art)}
                ],
            }  # fmt: skip
        )
    for path, data in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(data)

    def own(kind, path, **extra):
        data = files[path]
        meta = {"name": NAME, "collection": NAME, "kind": kind}
        return Inscription(kind, path, len(data), sha(data), content_type(path), meta, **extra)

    gallery = ({"id": "9" * 64 + "i0", "title": f"{NAME} #0"},)
    shared = [
        own("parent", "ord/cover.html", title=NAME),
        own("engine", "art/engine.js"),
        own("gallery", "ord/gallery.html", gallery=gallery),
    ]
    return tmp_path, records, shared


def write(root, records, shared, parent, conf=None, sizes=None):
    """write_ord_files into `root`; returns (report, the files it wrote)."""
    written = {}

    def put(path, data):
        written[path] = data
        (root / path).write_bytes(data)

    report = write_ord_files(
        root, conf or config(), records, put, shared, parent=parent, sizes=sizes
    )
    assert written.pop("ord/batches.json") == (root / "ord/batches.json").read_bytes()
    assert json.loads((root / "ord/batches.json").read_text("utf-8")) == report
    return report, written


def kinds(batch):
    return [f["kind"] for f in batch["files"]]


def test_the_parent_comes_first_and_everything_else_waits_for_its_id(collection):
    root, records, shared = collection
    report, written = write(root, records, shared, parent=(True, None))
    batches = report["batches"]
    assert [(b["name"], b["status"], kinds(b)) for b in batches] == [
        ("batch-001", "pending", ["parent"]),
        ("batch-002", "waiting", ["engine", "model", "model"]),
        ("batch-003", "waiting", ["html", "html"]),
        ("batch-004", "waiting", ["gallery"]),
    ]
    assert [b["parents"] for b in batches] == [0, 1, 1, 1]
    assert [b["file"] for b in batches] == [f"ord/batch-00{n}.yaml" for n in (1, 2, 3, 4)]
    assert [b["waiting_for"] for b in batches[1:]] == [
        "the parent's id",
        "the ids of the parent, the engine and the models",
        "the parent's id and every token's inscription",
    ]
    assert [b["waits_on"] for b in batches[1:]] == [
        ["batch-001"],
        ["batch-001", "batch-002"],
        ["batch-001", "batch-002", "batch-003"],
    ]
    assert "waiting_for" not in batches[0] and "waits_on" not in batches[0]
    assert list(written) == ["ord/batch-001.yaml"]  # only what can be inscribed now
    assert batch_files(report) == {"ord/batch-001.yaml"}  # the files a mint keeps

    cover = shared[0]
    cost = estimate(batch_weight([cover], 546), 1, 12.5, 546)
    assert batches[0] == {
        "name": "batch-001",
        "file": "ord/batch-001.yaml",
        "status": "pending",
        "parents": 0,
        **cost,
        "files": [{"file": "ord/cover.html", "sha256": cover.sha256, "kind": "parent",
                   "token": None, "bytes": cover.size, "chain_bytes": cover.size}],
    }  # fmt: skip
    assert written["ord/batch-001.yaml"].decode("utf-8") == (
        f"# {NAME}: ord batch 1 of 4, 1 inscription\n"
        "# Run from the collection folder: ord wallet batch --fee-rate 12.5 --batch "
        "ord/batch-001.yaml\n"
        f"# Estimate at 12.5 sat/vB: reveal {cost['weight']:,} WU = {cost['vbytes']:,} vB, "
        f"{cost['reveal_fee']:,} sats; commit about 1,925 sats; postage 546 sats; total "
        f"{cost['total_sats']:,} sats\n"
        "# (limit 390,000 WU per reveal; the formula is in ord/batches.json)\n"
        "mode: separate-outputs\n"
        "postage: 546\n"
        "inscriptions:\n"
        "- file: ord/cover.html\n"
        f"  title: {NAME}\n"
        "  metadata:\n"
        f"    name: {NAME}\n"
        f"    collection: {NAME}\n"
        "    kind: parent\n"
    )
    costs = [
        estimate(batch_weight(items, 546, p), len(items), 12.5, 546)
        for items, p in [
            ([cover], 0),
            ([shared[1], *token_items(records, "model")], 1),
            (token_items(records, "html"), 1),
            ([shared[2]], 1),
        ]
    ]
    assert [{k: b[k] for k in cost} for b in batches] == costs
    assert report["pending"] == {k: sum(c[k] for c in costs) for k in cost}
    assert {k: report[k] for k in report if k not in ("batches", "pending", "kinds")} == {
        "fee_rate": 12.5,
        "postage": 546,
        "compress": False,
        "parent": None,
        "limit_weight": REVEAL_LIMIT,
        "formula": FORMULA,
    }
    sizes = {i.kind: i.size for i in shared}
    model, art = records[0]["model"]["bytes"], records[0]["art"][0]["bytes"]
    assert report["kinds"] == {
        "parent": {"count": 1, "bytes": sizes["parent"], "chain_bytes": sizes["parent"]},
        "engine": {"count": 1, "bytes": sizes["engine"], "chain_bytes": sizes["engine"]},
        "model": {"count": 2, "bytes": 2 * model, "chain_bytes": 2 * model},
        "html": {"count": 2, "bytes": 2 * art, "chain_bytes": 2 * art},
        "gallery": {"count": 1, "bytes": sizes["gallery"], "chain_bytes": sizes["gallery"]},
    }


def token_items(records, kind):
    """The tokens' inscriptions of one kind as ord/batches.json weighs them."""
    return [i for i in inscription_items(config(), records) if i.kind == kind]


def inscribe(root, report, numbers, tx):
    """ord/inscribed.json as `artgen inscribed` writes it, for the batches numbered."""
    doc = read_inscribed(root)
    for b in report["batches"]:
        if int(b["name"][-3:]) in numbers:
            doc["batches"].append(
                {
                    "name": b["name"],
                    "file": b["file"],
                    "commit": "c" * 64,
                    "reveal": f"{tx:064x}",
                    "estimate": {k: b[k] for k in ("inscriptions", "vbytes", "total_sats")},
                    "inscriptions": [
                        {k: f[k] for k in ("file", "sha256", "kind", "token")}
                        | {"id": f"{tx:064x}i{n}"}
                        for n, f in enumerate(b["files"])
                    ],
                }
            )
    (root / "ord/inscribed.json").write_text(json.dumps(doc), "utf-8")


def test_once_the_parent_is_known_its_children_are_written(collection):
    root, records, shared = collection
    first, _ = write(root, records, shared, parent=(True, None))
    inscribe(root, first, {1}, tx=1)
    report, written = write(root, records, shared, parent=(True, PARENT))
    batches = report["batches"]
    assert batches[0] == {
        "name": "batch-001",
        "file": "ord/batch-001.yaml",
        "status": "inscribed",
        "commit": "c" * 64,
        "reveal": f"{1:064x}",
        "inscriptions": 1,
        "vbytes": first["batches"][0]["vbytes"],
        "total_sats": first["batches"][0]["total_sats"],
        "files": [{"file": "ord/cover.html", "sha256": shared[0].sha256, "kind": "parent",
                   "token": None, "id": f"{1:064x}i0"}],
    }  # fmt: skip
    assert [(b["name"], b["status"], b.get("waiting_for")) for b in batches[1:]] == [
        ("batch-002", "pending", None),
        ("batch-003", "waiting", "the ids of the engine and the models"),
        ("batch-004", "waiting", "the ids of every token's inscription"),
    ]
    assert [b["waits_on"] for b in batches[2:]] == [["batch-002"], ["batch-002", "batch-003"]]
    assert report["parent"] == PARENT and list(written) == ["ord/batch-002.yaml"]
    text = written["ord/batch-002.yaml"].decode("utf-8")
    head = text.splitlines()[:5]
    assert head[0] == f"# {NAME}: ord batch 2 of 4, 3 inscriptions"
    assert head[4] == f"# Children of {PARENT}: that inscription must be in the ord wallet"
    doc = yaml.safe_load(text)
    assert doc["parents"] == [PARENT]
    assert [e["file"] for e in doc["inscriptions"]] == [
        "art/engine.js",
        "models/0.json",
        "models/1.json",
    ]
    token = doc["inscriptions"][1]
    assert token["title"] == f"{NAME} #0"
    assert {k: token["metadata"][k] for k in ("name", "collection", "kind")} == {
        "name": f"{NAME} #0",
        "collection": NAME,
        "kind": "model",
    }
    assert [f["token"] for f in batches[1]["files"]] == [None, 0, 1]
    assert token["traits"]["Hidden Layers"] == "1.5" and token["traits"]["Color Palette"] == "Nak"
    assert token["metadata"]["attributes"]["Hidden Layers"] == 1.5
    assert "title" not in doc["inscriptions"][0] and "traits" not in doc["inscriptions"][0]

    inscribe(root, report, {2}, tx=2)
    report, written = write(root, records, shared, parent=(True, PARENT))
    assert [b["status"] for b in report["batches"]] == [
        "inscribed",
        "inscribed",
        "pending",
        "waiting",
    ]
    inscribe(root, report, {3}, tx=3)
    report, written = write(root, records, shared, parent=(True, PARENT))
    assert list(written) == ["ord/batch-004.yaml"]
    (entry,) = yaml.safe_load(written["ord/batch-004.yaml"])["inscriptions"]
    assert entry["gallery"] == [{"id": "9" * 64 + "i0", "title": f"{NAME} #0"}]
    inscribe(root, report, {4}, tx=4)
    report, written = write(root, records, shared, parent=(True, PARENT))
    assert written == {} and {b["status"] for b in report["batches"]} == {"inscribed"}
    assert report["pending"] == dict.fromkeys(report["pending"], 0)


def test_without_a_parent_art_waits_for_its_references_and_the_gallery_for_the_art(collection):
    root, records, shared = collection
    report, written = write(root, records, shared[1:], parent=(False, None), conf=config("none"))
    batches = report["batches"]
    assert [(b["status"], b.get("waiting_for"), b["parents"]) for b in batches] == [
        ("pending", None, 0),
        ("waiting", "the ids of the engine and the models", 0),
        ("waiting", "the ids of every token's inscription", 0),
    ]
    assert "parents" not in yaml.safe_load(written["ord/batch-001.yaml"])
    assert "Children of" not in written["ord/batch-001.yaml"].decode()


def test_compressed_batches_count_what_goes_on_chain(collection):
    root, records, shared = collection
    squeezed = {shared[1].sha256: 100, records[0]["model"]["sha256"]: 60}
    report, written = write(
        root, records, shared[1:], parent=(False, None), conf=config("none", compress=True),
        sizes=lambda item: squeezed.get(item.sha256),
    )  # fmt: skip
    files = report["batches"][0]["files"]
    assert [(f["bytes"], f["chain_bytes"]) for f in files] == [
        (shared[1].size, 100),
        (records[0]["model"]["bytes"], 60),
        (records[1]["model"]["bytes"], records[1]["model"]["bytes"]),  # not smaller
    ]
    assert report["compress"] is True
    assert report["kinds"]["model"]["chain_bytes"] == 60 + records[1]["model"]["bytes"]
    head = written["ord/batch-001.yaml"].decode().splitlines()[1]
    assert head == (
        "# Run from the collection folder: ord wallet batch --fee-rate 12.5 --compress "
        "--batch ord/batch-001.yaml"
    )


def test_without_compress_chain_sizes_are_the_files_sizes(collection):
    root, records, shared = collection
    report, _ = write(
        root, records, shared[1:], parent=(False, None), conf=config("none"),
        sizes=lambda item: 1,
    )  # fmt: skip
    files = [f for b in report["batches"] for f in b["files"]]
    assert all(f["chain_bytes"] == f["bytes"] > 1 for f in files)


def test_a_parent_added_after_the_tokens_were_inscribed_is_still_waited_for(collection):
    """A collection first inscribed without a parent, then given a cover: what is left waits
    for the parent's id, and the gallery also for the art still to inscribe."""
    root, records, shared = collection
    first, _ = write(root, records, shared[1:], parent=(False, None), conf=config("none"))
    inscribe(root, first, {1}, tx=1)  # the engine and the models
    report, _ = write(root, records, shared, parent=(True, None))
    assert [(kinds(b), b.get("waiting_for")) for b in report["batches"][1:]] == [
        (["parent"], None),
        (["html", "html"], "the parent's id"),
        (["gallery"], "the parent's id and every token's inscription"),
    ]
    inscribe(root, report, {3}, tx=3)  # the art (under the old rules)
    report, _ = write(root, records, shared, parent=(True, None))
    assert [(kinds(b), b.get("waiting_for")) for b in report["batches"][2:]] == [
        (["parent"], None),
        (["gallery"], "the parent's id"),
    ]


def test_a_collection_of_models_only_has_its_gallery_wait_for_the_models(collection):
    root, records, shared = collection
    models = [{k: v for k, v in r.items() if k != "art"} for r in records]
    report, _ = write(root, models, shared[1:], parent=(False, None), conf=config("none"))
    assert [(kinds(b), b.get("waiting_for")) for b in report["batches"]] == [
        (["engine", "model", "model"], None),
        (["gallery"], "the ids of every token's inscription"),
    ]


def test_content_types_by_extension():
    assert [content_type(p) for p in ("a.JSON", "b.html", "c.js", "d.bin")] == [
        "application/json",
        "text/html;charset=utf-8",
        "text/javascript",
        "application/octet-stream",
    ]


@pytest.mark.parametrize("text", ['{"batches": 5}', "[]", '{"batch": []}'])
def test_an_inscribed_record_that_is_not_a_list_of_batches_is_named(tmp_path, text):
    (tmp_path / "ord").mkdir()
    (tmp_path / "ord/inscribed.json").write_text(text)
    with pytest.raises(InscriptionError) as err:
        read_inscribed(tmp_path)
    path = tmp_path / "ord/inscribed.json"
    assert str(err.value) == f"{path}: field 'batches': expected a list of batches"


def test_an_inscribed_record_that_is_not_json_is_named(tmp_path):
    (tmp_path / "ord").mkdir()
    (tmp_path / "ord/inscribed.json").write_text("{")
    with pytest.raises(InscriptionError, match="inscribed.json"):
        read_inscribed(tmp_path)
    assert read_inscribed(tmp_path / "elsewhere") == {"batches": []}


def test_tokens_are_inscribed_in_token_order_and_the_same_content_once(collection):
    root, records, shared = collection
    twin = dict(records[0], token=2, art=[])  # token 2's model is token 0's, byte for byte
    report, _ = write(root, [twin, records[1], records[0]], shared[1:2], (False, None),
                      conf=config("none"))  # fmt: skip
    files = [(f["file"], f["token"]) for b in report["batches"] for f in b["files"]]
    assert files == [
        ("art/engine.js", None),
        ("models/0.json", 0),
        ("models/1.json", 1),
        ("art/0.html", 0),
        ("art/1.html", 1),
    ]


def test_a_file_gone_from_the_collection_is_named_before_its_batch_is_written(collection):
    root, records, shared = collection
    (root / "models/1.json").unlink()
    with pytest.raises(InscriptionError) as err:
        write(root, records, shared[1:2], (False, None), conf=config("none"))
    assert str(err.value) == (
        f"ord/batch-001.yaml: field 'inscriptions[2].file': no such file in {root}"
    )
    assert not (root / "ord/batch-001.yaml").exists()


def test_large_models_split_into_batches_that_count_the_parent(tmp_path):
    """Three models that fit one reveal on their own but not with the parent spent in it go in
    two batches; the second waits for the parent's batch only, not for the first."""
    conf = config("cover")

    def models(size):
        return [
            {"token": t, "traits": dict.fromkeys(TRAIT_NAMES, 3),
             "files": {"model": f"models/{t}.json"},
             "model": {"sha256": f"{t:064x}", "bytes": size}}
            for t in range(3)
        ]  # fmt: skip

    def weight(size, parents):
        return batch_weight(token_items(models(size), "model"), 546, parents)

    low, high = 100_000, 140_000  # the largest size whose three fit without a parent
    while high - low > 1:
        mid = (low + high) // 2
        low, high = (mid, high) if weight(mid, 0) <= REVEAL_LIMIT else (low, mid)
    assert weight(low, 0) <= REVEAL_LIMIT < weight(low, 1)
    (tmp_path / "models").mkdir()
    for t in range(3):
        (tmp_path / f"models/{t}.json").write_bytes(b"0" * low)
    (tmp_path / "ord").mkdir()
    (tmp_path / "ord/cover.html").write_bytes(b"<h1>cover</h1>")
    cover = Inscription("parent", "ord/cover.html", 14, "c" * 64, "text/html;charset=utf-8",
                        {"name": NAME}, title=NAME)  # fmt: skip
    report, _ = write(tmp_path, models(low), [cover], parent=(True, None), conf=conf)
    batches = report["batches"]
    assert [kinds(b) for b in batches] == [["parent"], ["model", "model"], ["model"]]
    assert [b["waits_on"] for b in batches[1:]] == [["batch-001"], ["batch-001"]]
    assert all(b["weight"] <= REVEAL_LIMIT for b in batches)
