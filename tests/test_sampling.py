"""The collection sampler: unique tokens, weighted redraws, exact quotas, reachable sizes."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest

from artgen import limits
from artgen.errors import ConfigError
from artgen.tables import CATEGORICAL, NUMERIC, TRAIT_NAMES
from artgen.traits import sample_traits
from collection.config import load_config
from collection.sampling import (
    collection_columns,
    collection_sample,
    collection_traits,
    combinations,
    exact_quotas,
    expected_counts,
    largest_remainder,
)

# A deliberately small space. Combinations (values with weight > 0):
#   Color Palette 2 x Paper Pattern 2 x Birth Year 2 = 8 for the free categorical traits;
#   ReLU: Hidden Layers 1-3 (3) x Max Neurons 5-6 (2) x Epochs 4 (1) = 6;
#   Sigmoid: Hidden Layers 1-2 (2) x Max Neurons 2 x Epochs 8 (1) = 4;
#   in all 8 x (6 + 4) = 80.
TIGHT = """
[collection]
size = {size}
seed = 9
rarity = "{rarity}"
[tables."Color Palette"]
values = ["Nak", "Jims"]
weights = [1, 1]
[tables."Paper Pattern"]
weights = [0, 1, 1]
[tables."Hardware Acceleration"]
weights = [1, 0, 0]
[tables.Dataset]
weights = [1, 0, 0]
[tables."Deep Learning Framework"]
weights = [1, 0, 0]
[tables."Life Cycle"]
weights = [1, 0, 0, 0]
[tables."Birth Year"]
values = [1943, 2023]
weights = [1, 1]
[tables."Network Architecture"]
weights = [1, 0, 0, 0, 0, 0]
[tables."Activation Function"]
weights = [{relu}, 0, 0, {sigmoid}]
[tables."Hidden Layers"]
min = 1
max = 3
sigmoid_min = 1
sigmoid_max = 2
[tables."Max Neurons Per Hidden Layer"]
min = 5
max = 6
[tables."Training Epochs"]
min = 4
max = 4
sigmoid_min = 8
sigmoid_max = 8
"""


def tight(tmp_path, size: int, rarity: str = "weighted", relu: int = 1, sigmoid: int = 1):
    path = tmp_path / f"tight-{size}-{rarity}-{relu}-{sigmoid}.toml"
    path.write_text(TIGHT.format(size=size, rarity=rarity, relu=relu, sigmoid=sigmoid), "utf-8")
    return load_config(path)


def rows(columns) -> list[tuple]:
    return list(zip(*(columns[name].tolist() for name in TRAIT_NAMES), strict=True))


def test_weighted_tokens_are_the_seeded_sampler_s_first_draws_when_unique():
    config = load_config(size=400, seed=21)
    traits = collection_traits(config)
    sample = collection_sample(config)
    assert len({tuple(t.attributes().values()) for t in traits}) == 400
    for t in traits[::37]:
        assert t == sample_traits(21, t.token, attempt=int(sample.attempts[t.token]))
    assert collection_traits(config) == traits  # deterministic


def test_a_duplicate_is_redrawn_deterministically(tmp_path):
    config = tight(tmp_path, 60)
    sample = collection_sample(config)
    redrawn = np.flatnonzero(sample.attempts).tolist()
    assert redrawn, "this small space must force redraws"
    assert len(set(rows(sample.columns))) == 60
    traits = collection_traits(config)
    attributes = [tuple(x.attributes().values()) for x in traits]
    for t in redrawn:
        attempt = int(sample.attempts[t])
        assert traits[t] == sample_traits(9, t, config.tables, attempt=attempt)
        # every earlier draw of this token repeats a token before it: that is why it moved on
        for k in range(attempt):
            earlier = sample_traits(9, t, config.tables, attempt=k)
            assert tuple(earlier.attributes().values()) in attributes[:t]
    assert collection_traits(config) == traits


def test_the_whole_space_can_be_filled_by_weighted_redraws(tmp_path):
    config = tight(tmp_path, 80)
    assert combinations(config) == 80
    assert len(set(rows(collection_columns(config)))) == 80


def test_a_size_beyond_the_combinations_is_refused_before_any_work(tmp_path):
    with pytest.raises(ConfigError) as err:
        collection_columns(tight(tmp_path, 81))
    message = str(err.value)
    assert err.value.detail == (
        "size 81 exceeds the 80 distinct trait combinations the tables allow; lower the size or "
        "widen the tables"
    )
    assert "'collection.size'" in message and "tight-81" in message


def test_largest_remainder_quotas():
    assert largest_remainder((20, 40, 40), 7).tolist() == [1, 3, 3]  # 1.4 2.8 2.8
    assert largest_remainder((1, 1, 1), 4).tolist() == [2, 1, 1]  # ties: earlier entry first
    assert largest_remainder((1.5, 0, 2.5), 8).tolist() == [3, 0, 5]
    assert largest_remainder((28, 74, 14), 0).tolist() == [0, 0, 0]
    assert largest_remainder((1, 3), 3).tolist() == [1, 2]  # 0.75 2.25: the larger remainder


def test_exact_mode_counts_equal_their_quotas(tmp_path):
    config = dataclasses.replace(load_config(size=1000, seed=4), rarity="exact")
    columns = collection_columns(config)
    quotas = exact_quotas(config)
    for name in CATEGORICAL:
        counts = np.bincount(columns[name], minlength=len(quotas[name]["counts"]))
        assert counts.tolist() == quotas[name]["counts"].tolist(), name
    activation = columns["Activation Function"]
    for name in NUMERIC:
        for a, (values, counts) in quotas[name].items():
            got = [int(((activation == a) & (columns[name] == v)).sum()) for v in values]
            assert got == counts.tolist(), (name, a)
    assert quotas["Paper Pattern"]["counts"].tolist() == [200, 400, 400]
    assert len(set(rows(columns))) == 1000


def test_exact_mode_swaps_keep_quotas_and_make_tokens_unique(tmp_path):
    # ReLU 42 of 48 combinations, Sigmoid 28 of 32: duplicates are certain before the swaps.
    config = tight(tmp_path, 70, "exact", relu=3, sigmoid=2)
    columns = collection_columns(config)
    assert len(set(rows(columns))) == 70
    quotas = exact_quotas(config)
    for name in CATEGORICAL:
        counts = np.bincount(columns[name], minlength=len(quotas[name]["counts"]))
        assert counts.tolist() == quotas[name]["counts"].tolist()
    for name in NUMERIC:
        for a, (values, counts) in quotas[name].items():
            got = [
                int(((columns["Activation Function"] == a) & (columns[name] == v)).sum())
                for v in values
            ]
            assert got == counts.tolist()
    assert np.array_equal(collection_columns(config)["Color Palette"], columns["Color Palette"])


def test_exact_quotas_that_force_duplicates_are_refused(tmp_path):
    # 40 Sigmoid tokens but only 8 x 4 = 32 Sigmoid combinations.
    with pytest.raises(ConfigError, match="exact quotas make unique tokens impossible") as err:
        collection_columns(tight(tmp_path, 80, "exact"))
    assert "Activation Function 'Sigmoid' needs 40 tokens" in str(err.value)


def test_exact_traits_follow_the_columns(tmp_path):
    config = dataclasses.replace(load_config(size=50, seed=12), rarity="exact")
    columns = collection_columns(config)
    traits = collection_traits(config)
    palettes = config.tables["Color Palette"].values
    for t in traits:
        assert t.palette == palettes[columns["Color Palette"][t.token]]
        assert t.layers == columns["Hidden Layers"][t.token] == len(t.hidden_sizes)
        assert max(t.hidden_sizes) == t.max_neurons


def test_a_large_collection_samples_in_one_vectorised_pass():
    columns = collection_columns(load_config(size=20_000, seed=5))
    assert set(columns) == set(TRAIT_NAMES)
    assert all(len(c) == 20_000 for c in columns.values())
    assert len(set(rows(columns))) == 20_000


def test_expected_counts_are_size_times_probability_when_weighted():
    config = load_config(size=1000, seed=3)
    expected = expected_counts(config)
    tables = config.tables
    assert list(expected) == [*CATEGORICAL, *NUMERIC]
    for name in CATEGORICAL:
        table = tables[name]
        assert expected[name] == {
            v: 1000 * p for v, p in zip(table.values, table.probabilities, strict=True)
        }
    # numeric traits: uniform over their range inside each activation group
    activation = tables["Activation Function"]
    act = dict(zip(activation.values, activation.probabilities, strict=True))
    for name in NUMERIC:
        want: dict[int, float] = {}
        for sigmoid, share in ((True, act["Sigmoid"]), (False, 1 - act["Sigmoid"])):
            lo, hi = tables[name].bounds(sigmoid)
            for v in range(lo, hi + 1):
                want[v] = want.get(v, 0.0) + 1000 * share / (hi - lo + 1)
        assert list(expected[name]) == sorted(want)
        assert expected[name] == pytest.approx(want, rel=1e-12)
        assert sum(expected[name].values()) == pytest.approx(1000)


def test_expected_counts_are_the_quotas_the_exact_sample_meets(tmp_path):
    config = dataclasses.replace(load_config(size=777, seed=8), rarity="exact")
    expected = expected_counts(config)
    columns = collection_columns(config)
    for name in CATEGORICAL:
        values = config.tables[name].values
        counts = np.bincount(columns[name], minlength=len(values))
        assert expected[name] == {v: float(c) for v, c in zip(values, counts, strict=True)}
    for name in NUMERIC:
        values, counts = np.unique(columns[name], return_counts=True)
        real = dict(zip(values.tolist(), counts.astype(float).tolist(), strict=True))
        assert {v: c for v, c in expected[name].items() if c} == real
        assert list(expected[name]) == sorted(expected[name])


def test_a_size_too_close_to_the_combinations_stops_with_one_clear_line(tmp_path, monkeypatch):
    import collection.sampling as sampling

    monkeypatch.setattr(sampling, "MAX_REDRAWS", 1)
    config = tight(tmp_path, 80)
    with pytest.raises(ConfigError) as err:
        collection_columns(config)
    token = int(str(err.value).split("token ")[1].split()[0])
    assert err.value.detail == (
        f"token {token} found no unique trait combination after 1 redraws; the size is too "
        "close to the number of combinations: lower it, widen the tables or use rarity = 'exact'"
    )
    assert err.value.field == "collection.size" and err.value.source == config.source
    assert 0 < token < 80
    monkeypatch.setattr(sampling, "MAX_SWAPS", 3)
    exact = tight(tmp_path, 70, "exact", relu=3, sigmoid=2)
    with pytest.raises(ConfigError) as err:
        collection_columns(exact)
    assert re.fullmatch(
        r"token \d+ found no unique trait combination after 3 swaps; the size is too close to "
        r"the number of combinations: lower it, widen the tables",
        err.value.detail,
    )
    assert err.value.field == "collection.size" and err.value.source == exact.source


def test_impossible_exact_quotas_name_the_value_its_count_and_the_room(tmp_path):
    config = tight(tmp_path, 80, "exact")
    with pytest.raises(ConfigError) as err:
        collection_columns(config)
    assert err.value.detail == (
        "exact quotas make unique tokens impossible: Activation Function 'Sigmoid' needs 40 "
        "tokens but the other traits give only 32 distinct combinations with it; lower the "
        "size, widen the tables or use rarity = 'weighted'"
    )
    assert err.value.field == "collection.size" and err.value.source == config.source


#: The sha256 (first 16 hex digits) of two collections' trait columns, as minted by artgen
#: 0.1.0: the exact one goes through quotas, shuffles and swaps, the weighted one through redraws.
EXACT_SWAPPED_70 = "0dfad1ce20bb95f7"
WEIGHTED_REDRAWN_60 = "486d98aaf2709d05"


def columns_digest(columns) -> str:
    """sha256 of the trait columns (int64, in trait order): a collection's identity."""
    import hashlib

    h = hashlib.sha256()
    for name in TRAIT_NAMES:
        h.update(np.ascontiguousarray(columns[name], dtype=np.int64).tobytes())
    return h.hexdigest()[:16]


@pytest.mark.parametrize(
    ("size", "rarity", "relu", "sigmoid", "digest"),
    [
        (70, "exact", 3, 2, EXACT_SWAPPED_70),
        (60, "weighted", 1, 1, WEIGHTED_REDRAWN_60),
    ],
)
def test_a_collection_s_traits_do_not_change_between_engine_versions(
    tmp_path, size, rarity, relu, sigmoid, digest
):
    """A minted collection is reminted, token for token, by later versions: the seeded
    shuffles, swaps and redraws are part of the format (these two go through all of them)."""
    columns = collection_columns(tight(tmp_path, size, rarity, relu, sigmoid))
    assert columns_digest(columns) == digest


def test_columns_and_attempts_are_whole_numbers_and_traits_plain_ints(tmp_path):
    for config in (
        tight(tmp_path, 60),
        dataclasses.replace(load_config(size=40, seed=2), rarity="exact"),
    ):
        sample = collection_sample(config)
        assert all(c.dtype == np.int64 for c in sample.columns.values())
        assert sample.attempts.dtype == np.int64
        for t in collection_traits(config):
            assert all(type(v) is int for v in (t.layers, t.max_neurons, t.epochs, t.birth_year))


def test_redraws_count_up_from_one_and_stop_at_the_limit(tmp_path, monkeypatch):
    import collection.sampling as sampling

    config = tight(tmp_path, 80)
    sample = collection_sample(config)
    most = int(sample.attempts.max())
    assert sample.attempts.min() == 0 and most >= 2
    monkeypatch.setattr(sampling, "MAX_REDRAWS", most)  # exactly enough: the same collection
    again = collection_sample(config)
    assert np.array_equal(again.attempts, sample.attempts)
    monkeypatch.setattr(sampling, "MAX_REDRAWS", most - 1)
    with pytest.raises(ConfigError, match=f"after {most - 1} redraws"):
        collection_sample(config)


def test_exact_mode_counts_only_values_that_get_a_token(tmp_path):
    """With few tokens, values of small weight get no quota: they cannot occur, so they do
    not count as combinations (and a value with a quota of one does)."""
    config = dataclasses.replace(load_config(size=7, seed=1), rarity="exact")
    quotas = exact_quotas(config)
    live = {name: int((quotas[name]["counts"] > 0).sum()) for name in CATEGORICAL}
    assert any(int((quotas[name]["counts"] == 1).sum()) for name in CATEGORICAL)
    assert any(live[name] < len(config.tables[name].values) for name in CATEGORICAL)
    others = 1
    for name in CATEGORICAL:
        if name != "Activation Function":
            others *= live[name]
    groups = 0
    activation = config.tables["Activation Function"]
    for a, count in enumerate(quotas["Activation Function"]["counts"]):
        if count:
            combos = 1
            for name in NUMERIC:
                lo, hi = config.tables[name].bounds(activation.values[a] == "Sigmoid")
                combos *= hi - lo + 1
            groups += combos
    assert combinations(config) == others * groups


def test_an_exact_collection_larger_than_its_combinations_says_so(tmp_path):
    config = tight(tmp_path, 81, "exact")
    with pytest.raises(ConfigError) as err:
        collection_columns(config)
    assert err.value.detail == (
        "size 81 exceeds the 80 distinct trait combinations the tables allow with exact "
        "quotas; lower the size or widen the tables"
    )


def test_a_quota_too_large_for_the_other_traits_names_its_value(tmp_path):
    # Paper Pattern 'Dotted' gets 36 of 40 tokens, but with it the other traits give only
    # 2 palettes x 1 birth year x (6 ReLU + 4 Sigmoid) network combinations = 20
    text = (
        TIGHT.format(size=40, rarity="exact", relu=3, sigmoid=2)
        .replace(
            '[tables."Paper Pattern"]\nweights = [0, 1, 1]',
            '[tables."Paper Pattern"]\nweights = [0, 9, 1]',
        )
        .replace("values = [1943, 2023]\nweights = [1, 1]", "values = [1943]\nweights = [1]")
    )
    path = tmp_path / "crowded.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(ConfigError) as err:
        collection_columns(load_config(path))
    assert err.value.detail == (
        "exact quotas make unique tokens impossible: Paper Pattern 'Dotted' needs 36 tokens "
        "but the other traits give only 20 distinct combinations with it; lower the size, "
        "widen the tables or use rarity = 'weighted'"
    )


def wide_tables() -> str:
    """Tables as wide as the documented limits let them be: every birth year a life can be
    reckoned from, 100 life cycles, and the widest numeric ranges (artgen.limits)."""
    years = range(limits.BIRTH_YEAR.low, int(limits.BIRTH_YEAR.high) + 1)
    cycles = [f"{n} Days" for n in range(1, 101)]
    return f"""
[collection]
size = 3000
seed = 3
[tables."Birth Year"]
values = [{", ".join(map(str, years))}]
weights = [{", ".join("1" for _ in years)}]
[tables."Life Cycle"]
values = [{", ".join(f'"{c}"' for c in cycles)}]
weights = [{", ".join("1" for _ in cycles)}]
[tables.life_cycle_days]
{chr(10).join(f'"{c}" = {n}' for n, c in enumerate(cycles, 1))}
[tables."Max Neurons Per Hidden Layer"]
min = 2
max = {int(limits.NEURONS.high)}
sigmoid_min = 2
sigmoid_max = {int(limits.NEURONS.high)}
[tables."Training Epochs"]
min = 1
max = {int(limits.EPOCHS.high)}
sigmoid_min = 1
sigmoid_max = {int(limits.EPOCHS.high)}
"""


def test_a_trait_space_beyond_64_bits_has_no_false_duplicates(tmp_path):
    """Tables this wide pack a token's traits into keys past 2**63: each must stay exact, or
    distinct tokens would be taken for duplicates and redrawn."""
    path = tmp_path / "wide.toml"
    path.write_text(wide_tables(), "utf-8")
    config = load_config(path)
    assert combinations(config) > 2**63
    sample = collection_sample(config)
    assert not sample.attempts.any()  # 3,000 first draws in 10**19 combinations: all new
    assert len(set(rows(sample.columns))) == 3000


def test_duplicates_count_the_tokens_beyond_the_first_of_each_key():
    from collection.sampling import _Duplicates

    dups = _Duplicates([7, 7, 7, 3, 5, 5])
    assert dups.excess([7]) == 2 and dups.excess([7, 7, 3]) == 2  # each key once
    assert dups.excess([7, 5, 3, 9]) == 3  # a key no token has counts nothing
    assert dups.next_duplicate() == 5  # the latest token (5) of the smallest duplicated key (5)


def test_token_keys_stay_exact_past_64_bit_integers():
    # a token's traits pack into one mixed-radix number for the uniqueness checks; tables as
    # wide as the limits allow (9,998 birth years, 10,000 epochs, 4,096 neurons, 64 layers,
    # 60 palettes) make numbers past 2^63, which must not wrap or round
    from artgen.tables import default_tables
    from collection.sampling import _KeyCoder

    base = default_tables()
    widths = {"Birth Year": 9998, "Color Palette": 60}
    categorical = tuple(
        dataclasses.replace(t, values=tuple(range(widths[t.name])), weights=(1.0,) * widths[t.name])
        if t.name in widths
        else t
        for t in base.categorical
    )
    highs = {"Training Epochs": 10_000, "Max Neurons Per Hidden Layer": 4096, "Hidden Layers": 64}
    numeric = tuple(
        dataclasses.replace(t, lo=1, hi=highs[t.name], sigmoid_lo=1, sigmoid_hi=2)
        for t in base.numeric
    )
    tables = dataclasses.replace(base, categorical=categorical, numeric=numeric)
    columns, combinations = {}, 1
    for name in TRAIT_NAMES:
        table = tables[name]
        bottom, top = (0, len(table.values) - 1) if hasattr(table, "values") else table.bounds(False)
        columns[name] = np.array([bottom, (bottom + top) // 2, top], np.int64)
        combinations *= top - bottom + 1
    assert 2**63 < combinations < 2**64  # past int64, within uint64: both sides of each switch
    coder = _KeyCoder(tables)
    keys = coder.all(columns)
    assert keys == [coder.key(columns, t) for t in range(3)]  # Python's exact integers
    assert len(set(keys)) == 3 and max(keys) >= 2**63 and all(type(k) is int for k in keys)
