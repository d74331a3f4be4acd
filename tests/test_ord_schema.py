"""ord 0.27's batch file as a strict schema: what ord accepts passes, what it refuses is named."""

from __future__ import annotations

import pytest

from collection.mint.ordcost import Inscription, batch_weight
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
        (("mode: separate-outputs", "mode: separate"), "mode",
         "expected one of same-sat, satpoints, separate-outputs, shared-output"),
        (("reinscribe: true", "reinscribe: true\ncompress: true"), "compress",
         "unknown key; known: mode, parents, postage, reinscribe, sat, satpoint, inscriptions, "
         "etching"),
        (("reinscribe: true", "reinscribe: true\nXpostage: 1"), "Xpostage", "unknown key"),
        (("  metaprotocol: D", "  author: me\n  metaprotocol: D"), "inscriptions[1].author",
         "unknown key; known: title, traits, delegate, destination, file, gallery, metadata, "
         "metaprotocol, satpoint"),
        (("- id: " + ITEM + "\n", "- id: " + ITEM + "\n    rank: 1\n"),
         "inscriptions[2].gallery[0].rank", "unknown key; known: id, title, traits"),
        (("parents:\n- " + PARENT, "parents:\n- 6ac5"), "parents[0]",
         "expected an inscription id (64 hex digits, 'i', index)"),
        (("    seeds: 1", "    seeds: 1.5"), "inscriptions[0].traits.seeds",
         "expected a string, integer, boolean or null (no floats)"),
        (("    seeds: 1", "    seeds: [1]"), "inscriptions[0].traits.seeds",
         "expected a string, integer, boolean or null"),
        (("    ripe: true", "    ripe: true\n    flavor: sour"), None,
         "not valid YAML (duplicate key 'flavor' in \"<unicode string>\", line 25, column 5: "
         "flavor: sour ^)"),
        (("  title: Delicious Mangos\n  traits", "  title: 7\n  traits"),
         "inscriptions[0].title", "expected a string"),
        (("  - id: " + ITEM[:-1] + "4", "  - id: " + ITEM), "inscriptions[2].gallery[1].id",
         f"duplicate gallery item {ITEM}"),
        (("postage: 12345", "postage: -1"), "postage",
         "expected a whole number in 0..18446744073709551615"),
        (("postage: 12345", "postage: 1.5"), "postage",
         "expected a whole number in 0..18446744073709551615"),
        (("postage: 12345", "postage: 12345\nsat: 5"), "mode",
         "sat or satpoint can only be set in same-sat mode"),
        (("postage: 12345", f"postage: 12345\nsatpoint: {'ab' * 32}:0:0"), "mode",
         "sat or satpoint can only be set in same-sat mode"),
        (("mode: separate-outputs", "mode: shared-output"), "inscriptions[0].destination",
         "not allowed in shared-output mode"),
        (("mode: separate-outputs", "mode: same-sat"), "inscriptions[0].destination",
         "not allowed in same-sat mode"),
        (("- file: token.json", "- file: token.toml"), "inscriptions[1].file",
         "expected a path with an extension ord knows"),
        (("- file: token.json", "- file: 5"), "inscriptions[1].file",
         "expected a path with an extension ord knows"),
        (("  metaprotocol: D", "  satpoint: " + "ab" * 32 + ":0:0\n  metaprotocol: D"), "mode",
         "an inscription's satpoint needs satpoints mode"),
        (("  metaprotocol: DOPEPROTOCOL-42069", "  metaprotocol: 42069"),
         "inscriptions[1].metaprotocol", "expected a string"),
        (("  destination: bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "  destination: 5"),
         "inscriptions[0].destination", "expected a string"),
        (("  delegate: " + PARENT, "  delegate: 6ac5"), "inscriptions[0].delegate",
         "expected an inscription id (64 hex digits, 'i', index)"),
        (("- file: token.json\n  metaprotocol: DOPEPROTOCOL-42069", "- token.json"),
         "inscriptions[1]", "expected a mapping"),
        (("  traits:\n    flavor: sweet\n    ripe: true\n    seeds: 1\n    stone: null",
          "  traits: [flavor]"), "inscriptions[0].traits",
         "expected a mapping of trait names to values"),
        (("    seeds: 1", "    1: seeds"), "inscriptions[0].traits.1",
         "expected a string trait name"),
        (("    seeds: 1", f"    seeds: {2**63}"), "inscriptions[0].traits.seeds",
         "expected an integer within 64 bits"),
        (("    seeds: 1", f"    seeds: {-(2**63) - 1}"), "inscriptions[0].traits.seeds",
         "expected an integer within 64 bits"),
        (("    title: Incredible", "    title: [Incredible]"), "inscriptions[2].gallery[0].title",
         "expected a string"),
        (("parents:\n- " + PARENT, "parents: " + PARENT), "parents",
         "expected a list of inscription ids"),
        (("reinscribe: true", "reinscribe: 1"), "reinscribe", "expected true or false"),
        (("  turbo: true", "  turbo: true\n  burn: 1"), "etching.burn",
         "unknown key; known: rune, divisibility, premine, supply, symbol, terms, turbo"),
        (("inscriptions:\n- file: mango", "inscription:\n- file: mango"), "inscription",
         "unknown key"),
    ],
)  # fmt: skip
def test_what_ord_refuses_is_named(change, field, message):
    old, new = change
    assert old in EXAMPLE
    with pytest.raises(BatchFileError) as err:
        check_batch(EXAMPLE.replace(old, new, 1), source="b.yaml")
    assert err.value.field == field
    named = f"b.yaml: field {field!r}: " if field else "b.yaml: "
    assert str(err.value).startswith(named + message)


@pytest.mark.parametrize(
    ("batch", "field", "message"),
    [
        ("- mode: same-sat\n", None, "expected a mapping"),
        ("mode: same-sat\n", "inscriptions", "expected a non-empty list of inscriptions"),
        ("mode: same-sat\ninscriptions: []\n", "inscriptions",
         "expected a non-empty list of inscriptions"),
        ("mode: same-sat\ninscriptions:\n- gallery: 5\n", "inscriptions[0].gallery",
         "expected a list of items"),
        ("mode: same-sat\ninscriptions:\n- gallery:\n  - id: 6ac5\n",
         "inscriptions[0].gallery[0].id", "expected an inscription id (64 hex digits, 'i', index)"),
        ("mode: same-sat\netching: 5\ninscriptions:\n-\n", "etching", "expected a mapping"),
        (f"mode: same-sat\nsat: {2**64}\ninscriptions:\n-\n", "sat",
         "expected a whole number in 0..18446744073709551615"),
        (f"mode: same-sat\nsat: 5\nsatpoint: {'ab' * 32}:0:0\ninscriptions:\n-\n", "sat",
         "sat and satpoint cannot both be set"),
        (f"mode: satpoints\ninscriptions:\n- satpoint: {'ab' * 32}:0\n",
         "inscriptions[0].satpoint", "expected TXID:VOUT:OFFSET"),
        ("mode: satpoints\ninscriptions:\n- satpoint: 5\n", "inscriptions[0].satpoint",
         "expected TXID:VOUT:OFFSET"),
    ],
)  # fmt: skip
def test_what_ord_refuses_in_a_whole_file_is_named(batch, field, message):
    with pytest.raises(BatchFileError) as err:
        check_batch(batch, source="b.yaml")
    assert err.value.field == field
    assert str(err.value) == (f"b.yaml: field {field!r}: " if field else "b.yaml: ") + message


@pytest.mark.parametrize(
    "batch",
    [
        "mode: same-sat\nsat: 0\ninscriptions:\n-\n",
        f"mode: same-sat\nsat: {2**64 - 1}\npostage: 0\ninscriptions:\n- file: a.txt\n",
        f"mode: same-sat\nsatpoint: {'ab' * 32}:1:0\ninscriptions:\n- file: a.txt\n",
        f"mode: separate-outputs\ninscriptions:\n- traits: {{a: {-(2**63)}, b: {2**63 - 1}, "
        "c: true, d: null}\n",
    ],
)
def test_what_ord_accepts_at_the_edges_passes(batch):
    assert check_batch(batch)["inscriptions"]


def test_a_refusal_without_a_file_name_says_batch():
    with pytest.raises(BatchFileError) as err:
        check_batch("mode: same\ninscriptions:\n-\n")
    assert str(err.value).startswith("<batch>: field 'mode': expected one of")


def test_satpoints_mode_needs_a_distinct_satpoint_on_every_entry_and_no_postage():
    point = "ab" * 32 + ":0:0"
    good = f"mode: satpoints\ninscriptions:\n- file: a.txt\n  satpoint: {point}\n"
    assert check_batch(good)["mode"] == "satpoints"
    refused = {
        good.replace("inscriptions", "postage: 1\ninscriptions"):
            "b.yaml: field 'postage': cannot be set in satpoints mode",
        good + f"- file: b.txt\n  satpoint: {point}\n":
            "b.yaml: field 'inscriptions': expected a distinct satpoint on every entry",
        good + "- file: b.txt\n":
            "b.yaml: field 'inscriptions': expected a distinct satpoint on every entry",
        good.replace(":0:0", ":0:21"):
            "b.yaml: field 'inscriptions': a satpoint must name the first sat of its output",
    }  # fmt: skip
    for batch, message in refused.items():
        with pytest.raises(BatchFileError) as err:
            check_batch(batch, source="b.yaml")
        assert str(err.value) == message


def test_empty_batches_missing_files_and_heavy_reveals_are_refused(tmp_path):
    with pytest.raises(BatchFileError) as err:
        check_batch("mode: same-sat\ninscriptions:\n- file: x.json\n", tmp_path, "b.yaml")
    assert str(err.value) == f"b.yaml: field 'inscriptions[0].file': no such file in {tmp_path}"
    (tmp_path / "x.json").write_text("{}")
    assert check_batch("mode: same-sat\ninscriptions:\n- file: x.json\n", tmp_path)
    with pytest.raises(BatchFileError, match="not valid YAML"):
        check_batch("mode: [\n")
    doc = {"mode": "separate-outputs", "postage": 546, "parents": [PARENT]}
    big = [
        Inscription("model", f"m{i}.json", 150_000, "", "application/json", {}) for i in range(3)
    ]
    weight = check_batch_weight(doc, big[:2], "b.yaml")
    assert weight < 400_000
    assert check_batch_weight(doc, big[:2], "b.yaml", limit=weight) == weight  # at the limit
    with pytest.raises(BatchFileError) as err:
        check_batch_weight(doc, big, "b.yaml")
    heavy = batch_weight(big, 546, parents=1)
    assert heavy > 400_000
    assert str(err.value) == (
        f"b.yaml: field 'inscriptions': a reveal of {heavy:,} WU is over 400,000 WU"
    )


def test_the_reveal_is_weighed_with_the_files_parents_and_postage():
    """A parent adds its input, its output and a tag to every envelope; a postage of 100 sats
    makes the second pointer one byte (10,000, ord's default when the file sets none, two)."""
    items = [Inscription("model", f"m{i}.json", 1_000, "", "application/json", {}) for i in (0, 1)]
    bare = check_batch_weight({"mode": "separate-outputs", "postage": 100}, items, "b.yaml")
    default = check_batch_weight({"mode": "separate-outputs"}, items, "b.yaml")
    assert default - bare == 1  # the second item's pointer: 10,000 needs one byte more than 100
    parented = check_batch_weight(
        {"mode": "separate-outputs", "postage": 100, "parents": [PARENT]}, items, "b.yaml"
    )
    # one input (41 bytes) and one output (43) at 4 WU, the parent's key-path spend (66), and
    # per envelope a parent tag (35); the first item gains a pointer (tag 2, push of 100: 4
    # bytes), the second's goes from 100 to 200 (one byte either way)
    assert parented - bare == 4 * (41 + 43) + 66 + 2 * 35 + 4
