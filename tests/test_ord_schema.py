"""ord 0.27's batch file as a strict schema: what ord accepts passes, what it refuses is named."""

from __future__ import annotations

import pytest

from collection.mint.ordcost import Inscription
from collection.mint.ordschema import BatchFileError, check_batch, check_batch_weight

PARENT = "6ac5cacb768794f4fd7a78bf00f2074891fce68bd65c4ff36e77177237aacacai0"
ITEM = "a4676e57277b70171d69dc6ad2781485b491fe0ff5870f6f6b01999e7180b29ei3"

# ord's own example batch file (its batch.yaml in 0.27), inscriptions and etching included
EXAMPLE = f"""
mode: separate-outputs
parents:
- {PARENT}
postage: 12345
reinscribe: true
etching:
  rune: THE•BEST•RUNE
  divisibility: 2
  premine: 1000.00
  supply: 10000.00
  symbol: $
  terms:
    amount: 100.00
    cap: 90
  turbo: true
inscriptions:
- file: mango.avif.json
  delegate: {PARENT}
  destination: bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4
  title: Delicious Mangos
  traits:
    flavor: sweet
    ripe: true
    seeds: 1
    stone: null
  metadata:
    title: Delicious Mangos
    description: Lorem ipsum
- file: token.json
  metaprotocol: DOPEPROTOCOL-42069
- file: gallery.png
  gallery:
  - id: {ITEM}
    title: Incredible
  - id: {ITEM[:-1]}4
"""


def test_ords_own_example_is_accepted():
    doc = check_batch(EXAMPLE)
    assert doc["parents"] == [PARENT] and len(doc["inscriptions"]) == 3


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (("mode: separate-outputs", "mode: separate"), "mode", "expected one of"),
        (("reinscribe: true", "reinscribe: true\ncompress: true"), "compress", "unknown key"),
        (("  metaprotocol: D", "  author: me\n  metaprotocol: D"), "inscriptions[1].author",
         "unknown key"),
        (("- id: " + ITEM + "\n", "- id: " + ITEM + "\n    rank: 1\n"),
         "inscriptions[2].gallery[0].rank", "unknown key"),
        (("parents:\n- " + PARENT, "parents:\n- 6ac5"), "parents[0]", "inscription id"),
        (("    seeds: 1", "    seeds: 1.5"), "inscriptions[0].traits.seeds", "no floats"),
        (("    seeds: 1", "    seeds: [1]"), "inscriptions[0].traits.seeds", "string, integer"),
        (("    ripe: true", "    ripe: true\n    flavor: sour"), None, "duplicate key 'flavor'"),
        (("  title: Delicious Mangos\n  traits", "  title: 7\n  traits"),
         "inscriptions[0].title", "expected a string"),
        (("  - id: " + ITEM[:-1] + "4", "  - id: " + ITEM), "inscriptions[2].gallery[1].id",
         "duplicate gallery item"),
        (("postage: 12345", "postage: -1"), "postage", "whole number"),
        (("postage: 12345", "postage: 1.5"), "postage", "whole number"),
        (("postage: 12345", "postage: 12345\nsat: 5"), "mode", "same-sat"),
        (("mode: separate-outputs", "mode: shared-output"), "inscriptions[0].destination",
         "not allowed in shared-output"),
        (("- file: token.json", "- file: token.toml"), "inscriptions[1].file", "extension"),
        (("  metaprotocol: D", "  satpoint: " + "ab" * 32 + ":0:0\n  metaprotocol: D"), "mode",
         "satpoints mode"),
    ],
)  # fmt: skip
def test_what_ord_refuses_is_named(change, field, message):
    old, new = change
    assert old in EXAMPLE
    with pytest.raises(BatchFileError, match=message) as err:
        check_batch(EXAMPLE.replace(old, new, 1), source="b.yaml")
    assert err.value.field == field and str(err.value).startswith("b.yaml")


def test_satpoints_mode_needs_a_distinct_satpoint_on_every_entry_and_no_postage():
    point = "ab" * 32 + ":0:0"
    good = f"mode: satpoints\ninscriptions:\n- file: a.txt\n  satpoint: {point}\n"
    assert check_batch(good)["mode"] == "satpoints"
    with pytest.raises(BatchFileError, match="postage"):
        check_batch(good.replace("inscriptions", "postage: 1\ninscriptions"))
    with pytest.raises(BatchFileError, match="distinct satpoint"):
        check_batch(good + f"- file: b.txt\n  satpoint: {point}\n")
    with pytest.raises(BatchFileError, match="first sat"):
        check_batch(good.replace(":0:0", ":0:21"))


def test_empty_batches_missing_files_and_heavy_reveals_are_refused(tmp_path):
    with pytest.raises(BatchFileError, match="non-empty list"):
        check_batch("mode: same-sat\ninscriptions: []\n")
    with pytest.raises(BatchFileError, match="no such file"):
        check_batch("mode: same-sat\ninscriptions:\n- file: x.json\n", tmp_path)
    with pytest.raises(BatchFileError, match="not valid YAML"):
        check_batch("mode: [\n")
    doc = {"mode": "separate-outputs", "postage": 546, "parents": [PARENT]}
    big = [
        Inscription("model", f"m{i}.json", 150_000, "", "application/json", {}) for i in range(3)
    ]
    assert check_batch_weight(doc, big[:2], "b.yaml") < 400_000
    with pytest.raises(BatchFileError, match="over 400,000 WU"):
        check_batch_weight(doc, big, "b.yaml")
