"""The collection sampler: unique tokens, weighted redraws, exact quotas, reachable sizes."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

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
    assert "size 81 exceeds the 80 distinct trait combinations" in message
    assert "'collection.size'" in message and "tight-81" in message


def test_largest_remainder_quotas():
    assert largest_remainder((20, 40, 40), 7).tolist() == [1, 3, 3]  # 1.4 2.8 2.8
    assert largest_remainder((1, 1, 1), 4).tolist() == [2, 1, 1]  # ties: earlier entry first
    assert largest_remainder((1.5, 0, 2.5), 8).tolist() == [3, 0, 5]
    assert largest_remainder((28, 74, 14), 0).tolist() == [0, 0, 0]


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
