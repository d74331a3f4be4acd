"""ord's cost model worked by hand: CBOR against RFC 8949's own examples, ord's properties as
its CDDL lays them out, envelopes and reveals with parents, pointers and brotli, greedy batches
at their exact limits, and the fees of a batch."""

from __future__ import annotations

import math

import pytest

from artgen.inscription.compression import on_chain
from collection.mint.ordcost import (
    Inscription,
    InscriptionError,
    batch_weight,
    cbor,
    envelope_size,
    estimate,
    item_envelope,
    plan_batches,
    pointer_bytes,
    properties_cbor,
    reveal_weight,
    varint_size,
)

# RFC 8949 appendix A: value -> its CBOR (floats always float64 here, as ord reads any width)
RFC_8949 = [
    (0, "00"),
    (10, "0a"),
    (23, "17"),
    (24, "1818"),
    (100, "1864"),
    (255, "18ff"),
    (256, "190100"),
    (1000, "1903e8"),
    (65535, "19ffff"),
    (1000000, "1a000f4240"),
    (4294967295, "1affffffff"),
    (1000000000000, "1b000000e8d4a51000"),
    (18446744073709551615, "1bffffffffffffffff"),
    (-1, "20"),
    (-100, "3863"),
    (-1000, "3903e7"),
    (1.1, "fb3ff199999999999a"),
    (False, "f4"),
    (True, "f5"),
    (None, "f6"),
    (b"", "40"),
    (b"\x01\x02\x03\x04", "4401020304"),
    ("", "60"),
    ("IETF", "6449455446"),
    ("\u00fc", "62c3bc"),
    ("\u6c34", "63e6b0b4"),
    ("a" * 24, "7818" + "61" * 24),
    ([], "80"),
    ([1, [2, 3], [4, 5]], "8301820203820405"),
    (list(range(1, 26)), "9819" + bytes(range(1, 24)).hex() + "18181819"),
    ({}, "a0"),
    ({1: 2, 3: 4}, "a201020304"),
    ({"a": 1, "b": [2, 3]}, "a26161016162820203"),
]


@pytest.mark.parametrize(("value", "encoded"), RFC_8949)
def test_cbor_matches_rfc_8949_examples(value, encoded):
    assert cbor(value).hex() == encoded


def test_cbor_refuses_what_it_cannot_encode():
    with pytest.raises(ValueError, match="^integer too large for CBOR$"):
        cbor(2**64)
    with pytest.raises(TypeError, match="^cannot encode set as CBOR$"):
        cbor({1, 2})


TXID_A = bytes(range(32)).hex()
TXID_B = bytes(range(100, 132)).hex()


def test_ord_properties_follow_its_cddl():
    """{0: gallery items, 1: {0: title, 1: traits}, 2: the items' txids, reversed as ord
    serializes them}; an item is {1: {0: its title}} and {2: its index} when not 0."""
    gallery = [{"id": f"{TXID_A}i0", "title": "G"}, {"id": f"{TXID_B}i3"}]
    expected = (
        "a3"  # a map of three
        + "00" + "82" + "a101a1006147" + "a10203"  # 0: [{1: {0: "G"}}, {2: 3}]
        + "01" + "a2" + "006154" + "01a1616101"  # 1: {0: "T", 1: {"a": 1}}
        + "02" + "5840" + bytes(range(31, -1, -1)).hex() + bytes(range(131, 99, -1)).hex()
    )  # fmt: skip
    assert properties_cbor("T", {"a": 1}, gallery).hex() == expected
    assert properties_cbor("T", None).hex() == "a101a1006154"
    assert properties_cbor(None, None) == b"" and properties_cbor("", {}) == b""


def test_compact_sizes_and_pointers():
    assert [varint_size(n) for n in (0, 252, 253, 65535, 65536)] == [1, 1, 3, 3, 5]
    # little-endian, trailing zero bytes dropped (and only those)
    assert pointer_bytes(0) == b"" and pointer_bytes(546) == b"\x22\x02"
    assert pointer_bytes(0x5801) == b"\x01\x58" and pointer_bytes(2**64 - 1) == b"\xff" * 8


def test_envelope_fields_by_hand():
    plain = envelope_size(1000, "application/json", 10, None)
    assert plain == 1046  # worked out in test_mint_ord
    assert envelope_size(1000, "application/json", 10, None, encoded=True) == plain + 5  # 9 "br"
    assert envelope_size(1000, "application/json", 10, None, parents=2) == plain + 2 * 35
    # properties of 600 bytes: chunks of 520 and 80, each after tag 17: (2 + 523) + (2 + 82)
    assert envelope_size(1000, "application/json", 10, None, properties=600) == plain + 609
    both = envelope_size(
        1000, "application/json", 10, None, properties=600, properties_encoded=True
    )
    assert both == plain + 609 + 5  # tag 19 "br"


def test_reveal_with_a_parent_by_hand():
    # witness: 2 + 1 + 65 + varint 3 + script (34 + 1046) + control 34 + the parent's spend 66;
    # the rest: version 4, 2 inputs (1 + 2 x 41), 2 outputs (1 + 2 x 43), locktime 4
    assert reveal_weight(1046, 1, parents=1) == 2 + 1 + 65 + 3 + 1080 + 34 + 66 + 4 * 178


def json_item(n: int, size: int = 1000, **extra) -> Inscription:
    return Inscription("model", f"m{n}.json", size, f"{n:064x}", "application/json", {}, **extra)


def test_a_batch_of_two_by_hand():
    """Two 1,000-byte JSON files with empty metadata (CBOR a0: one byte), postage 546."""
    # OP_FALSE OP_IF "ord" 6, type 2 + 17, metadata 2 + 2, OP_0 1, chunks 523 + 483, OP_ENDIF 1
    first = 1037
    second = first + 2 + 3  # its pointer, 546: tag 2 and a two-byte push
    two = [json_item(0), json_item(1)]
    assert [item_envelope(i, n, 546) for n, i in enumerate(two)] == [first, second]
    # witness 2 + 1 + 65 + 3 + (34 + 2079) + 34; the rest 4 + 1 + 41 + 1 + 2 x 43 + 4 = 137
    assert batch_weight(two, 546) == 2 + 1 + 65 + 3 + 2113 + 34 + 4 * 137
    # with a parent each envelope names it (35) and pointers skip its output: 546 and 1,092
    parented = [first + 35 + 5, first + 35 + 5]
    assert [item_envelope(i, n, 546, parents=1) for n, i in enumerate(two)] == parented
    script = 34 + sum(parented)
    assert batch_weight(two, 546, parents=1) == (
        2 + 1 + 65 + 3 + script + 34 + 66 + 4 * (4 + 1 + 2 * 41 + 1 + 3 * 43 + 4)
    )


def test_compressed_content_and_properties_count_their_brotli_size():
    title = "A title " * 40
    item = json_item(0, chain_size=400, compress=True, title=title)
    packed, encoded = on_chain(properties_cbor(title, None))
    assert encoded and len(packed) <= 75  # one short push
    # OP_FALSE OP_IF "ord" 6, type 19, "br" 5, metadata 4, properties (tag 2, push 1 + size)
    # and "br" 5, OP_0 1, content 400 + 3 (one push), OP_ENDIF 1
    by_hand = 6 + 19 + 5 + 4 + 2 + 1 + len(packed) + 5 + 1 + 403 + 1
    assert item_envelope(item, 0, 546) == by_hand
    plain = json_item(0, title=title)  # not compressed: 1,000 bytes, properties as they are
    raw = len(properties_cbor(title, None))
    assert 255 < raw <= 520  # one push of OP_PUSHDATA2: 3 + size
    assert item_envelope(plain, 0, 546) == 6 + 19 + 4 + 2 + 3 + raw + 1 + 1006 + 1


def greedy(items, postage, limit, parents):
    """The rule: each batch is the longest run of the next items whose reveal fits."""
    batches, start = [], 0
    while start < len(items):
        end = start + 1
        while end < len(items) and batch_weight(items[start : end + 1], postage, parents) <= limit:
            end += 1
        batches.append(items[start:end])
        start = end
    return batches


@pytest.mark.parametrize("parents", [0, 1])
def test_batches_are_greedy_at_every_exact_limit(parents):
    items = [json_item(n, size) for n, size in enumerate([9000, 20000, 5000, 30000, 800, 15000])]
    weights = {
        batch_weight(items[i:j], 546, parents)
        for i in range(len(items))
        for j in range(i + 1, len(items) + 1)
    }
    heaviest = max(batch_weight([i], 546, parents) for i in items)
    limits = sorted(w + d for w in weights for d in (-1, 0) if w + d >= heaviest)
    assert len(limits) > 20
    for limit in limits:
        planned = plan_batches(items, 546, limit=limit, parents=parents)
        assert planned == greedy(items, 546, limit, parents), limit
        if not parents:  # no parents unless asked
            assert plan_batches(items, 546, limit=limit) == planned


@pytest.mark.parametrize("parents", [0, 1])
def test_a_file_too_heavy_for_its_own_reveal_is_named_with_its_weight(parents):
    items = [json_item(0, 500), json_item(1, 30000)]
    alone = batch_weight(items[1:], 546, parents)
    assert plan_batches(items, 546, limit=alone, parents=parents) == [items[:1], items[1:]]
    with pytest.raises(InscriptionError) as err:
        plan_batches(items, 546, limit=alone - 1, parents=parents)
    assert str(err.value) == (
        f"m1.json: 30,000 bytes need a reveal transaction of {alone:,} WU, more than the "
        f"{alone - 1:,} WU one transaction may weigh (ord's limit: 400,000 WU); make the file "
        "smaller (for a model: fewer first-layer neurons or a smaller input)"
    )


def test_the_fees_of_a_batch_by_hand():
    cost = estimate(2766, 2, 12.5, 546)
    vbytes = 692  # 2,766 WU / 4, rounded up
    reveal = math.ceil(vbytes * 12.5)  # 8,650
    commit = math.ceil(154 * 12.5)  # one key-path input, two P2TR outputs: 1,925
    assert cost == {
        "inscriptions": 2,
        "weight": 2766,
        "vbytes": vbytes,
        "reveal_fee": reveal,
        "commit_fee": commit,
        "postage": 1092,
        "total_sats": reveal + commit + 1092,
    }
    assert cost["total_sats"] == 11667
