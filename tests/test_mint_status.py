"""`artgen status` read from a batches.json written by hand: every line of what is inscribed,
what is ready, what waits on which batch, what was paid and what is left to pay."""

from __future__ import annotations

import json

import pytest

from artgen.errors import ArtgenError
from collection.mint.status import collection_status

PARENT = "ab" * 32 + "i0"


def batch(n, status, kinds, vbytes, sats, **extra):
    return {
        "name": f"batch-{n:03}",
        "file": f"ord/batch-{n:03}.yaml",
        "status": status,
        "inscriptions": len(kinds),
        "vbytes": vbytes,
        "total_sats": sats,
        "files": [{"kind": kind} for kind in kinds],
        **extra,
    }


def row(name, status, what, vbytes, tail):
    """A batch's line: name, status in 9 columns, what it holds in 28, vbytes in 10."""
    return f"  {name}  {status:<9} {what:<28} {vbytes:>10,} vB  {tail}"


def write(root, report):
    (root / "ord").mkdir(parents=True)
    (root / "ord/batches.json").write_text(json.dumps(report), encoding="utf-8")
    return collection_status(root)


def test_every_line_of_a_collection_half_inscribed(tmp_path):
    report = {
        "fee_rate": 12.5,
        "compress": True,
        "parent": PARENT,
        "batches": [
            batch(1, "inscribed", ["parent"], 310, 6_021, reveal="c1" * 32),
            batch(
                2, "inscribed", ["engine", "model", "model"], 98_000, 1_000_000, reveal="c2" * 32
            ),
            batch(3, "pending", ["html", "html"], 1_234_567, 15_500_000),
            batch(
                4,
                "waiting",
                ["gallery"],
                700,
                10_000,
                waiting_for="the ids of every token's inscription",
                waits_on=["batch-002", "batch-003"],
            ),
            batch(5, "waiting", [], 800, 11_000, waiting_for="the parent's id"),
        ],
        "pending": {"inscriptions": 3, "vbytes": 1_236_067, "total_sats": 123_456_789},
    }
    del report["batches"][4]["files"]
    report["batches"][4]["inscriptions"] = 7  # a batch that lists no files: its count
    status = write(tmp_path, report)
    assert status.spent() == {"inscriptions": 4, "vbytes": 98_310, "total_sats": 1_006_021}
    assert status.lines() == [
        f"{tmp_path}: 5 ord batches",
        f"parent: {PARENT}",
        row("batch-001", "inscribed", "1 parent", 310, f"reveal {'c1' * 32}"),
        row("batch-002", "inscribed", "1 engine, 2 models", 98_000, f"reveal {'c2' * 32}"),
        row("batch-003", "pending", "2 htmls", 1_234_567, "ready: ord/batch-003.yaml"),
        row(
            "batch-004",
            "waiting",
            "1 gallery",
            700,
            "waits for the ids of every token's inscription (batch-002, batch-003)",
        ),
        row("batch-005", "waiting", "7", 800, "waits for the parent's id (-)"),
        "inscribed: 2 batches, 4 inscriptions, about 1,006,021 sats as estimated",
        "to pay: 3 batches, 3 inscriptions, 1,236,067 vB, about 123,456,789 sats "
        "(1.23456789 BTC) at 12.5 sat/vB with postage",
        f"next: ord wallet batch --fee-rate 12.5 --compress --batch ord/batch-003.yaml "
        f"(from {tmp_path}), then artgen inscribed {tmp_path} OUTPUT.json",
    ]


def test_a_collection_all_inscribed_and_one_that_only_waits(tmp_path):
    done = {
        "fee_rate": 3,
        "compress": False,
        "parent": None,
        "batches": [batch(1, "inscribed", ["model"], 500, 2_000, reveal="d1" * 32)],
        "pending": {"inscriptions": 0, "vbytes": 0, "total_sats": 0},
    }
    lines = write(tmp_path / "done", done).lines()
    assert lines[1:] == [
        row("batch-001", "inscribed", "1 model", 500, f"reveal {'d1' * 32}"),
        "inscribed: 1 batch, 1 inscription, about 2,000 sats as estimated",
        "to pay: 0 batches, 0 inscriptions, 0 vB, about 0 sats (0.00000000 BTC) at 3 sat/vB "
        "with postage",
        "every inscription of the collection is inscribed",
    ]
    waits = dict(done, batches=[batch(1, "waiting", ["html"], 500, 2_000, waiting_for="x")])
    waits["pending"] = {"inscriptions": 1, "vbytes": 500, "total_sats": 2_000}
    lines = write(tmp_path / "waits", waits).lines()
    assert lines[-1].startswith("to pay: 1 batch, 1 inscription, 500 vB, about 2,000 sats")
    ready = dict(waits, batches=[batch(1, "pending", ["html"], 500, 2_000)])
    root = tmp_path / "ready"
    assert write(root, ready).lines()[-1] == (
        f"next: ord wallet batch --fee-rate 3 --batch ord/batch-001.yaml (from {root}), then "
        f"artgen inscribed {root} OUTPUT.json"
    )


def test_a_folder_never_minted_is_named(tmp_path):
    with pytest.raises(ArtgenError) as err:
        collection_status(tmp_path)
    assert str(err.value) == f"{tmp_path}: no ord/batches.json: mint the collection first"
    (tmp_path / "ord").mkdir()
    (tmp_path / "ord/batches.json").symlink_to(tmp_path / "elsewhere.json")
    with pytest.raises(ArtgenError) as err:
        collection_status(tmp_path)  # a dangling link is read (and refused), not "not minted"
    assert "mint the collection first" not in str(err.value)
    assert str(err.value).startswith(str(tmp_path / "ord/batches.json"))
