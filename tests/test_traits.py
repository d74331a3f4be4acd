"""The trait sampler: pure, vectorised, faithful to the tables, one stream per trait."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from artgen import seeding
from artgen.tables import CATEGORICAL, TRAIT_NAMES, default_tables, with_overrides
from artgen.traits import FIELDS, Traits, sample_columns, sample_range, sample_traits

TABLES = default_tables()


def test_sampler_is_a_pure_function_of_seed_and_token():
    a = sample_traits(42, 17)
    b = sample_traits(42, 17)
    assert a == b and isinstance(a, Traits)
    assert sample_traits(43, 17) != a or sample_traits(42, 18) != a


def test_string_and_integer_seeds_are_distinct_streams_but_stable():
    assert sample_traits("genesis", 5) == sample_traits("genesis", 5)
    draws = {sample_traits(s, 0).palette for s in ("a", "b", "c", "d", "e", "f", "g", "h")}
    assert len(draws) > 1


def test_vectorised_range_equals_token_by_token():
    batch = sample_range(9, 100, 64)
    assert batch == [sample_traits(9, 100 + i) for i in range(64)]


def test_uniform_rows_equal_single_token_streams():
    rows = seeding.uniforms(3, "purpose", 50, 10)
    for i in range(10):
        assert np.array_equal(rows[i], seeding.stream(3, 50 + i, "purpose").random(seeding.DRAWS))


def test_changing_one_table_leaves_other_traits_unchanged():
    biased = with_overrides({"Paper Pattern": {"weights": [90, 5, 5]}}, source="test")
    plain = sample_columns(11, 0, 5000, TABLES)
    other = sample_columns(11, 0, 5000, biased)
    assert not np.array_equal(plain["Paper Pattern"], other["Paper Pattern"])
    for name in TRAIT_NAMES:
        if name != "Paper Pattern":
            assert np.array_equal(plain[name], other[name]), name


def test_sigmoid_networks_have_their_own_ranges():
    columns = sample_columns(5, 0, 20000, TABLES)
    sigmoid = (
        np.asarray(TABLES["Activation Function"].values)[columns["Activation Function"]]
        == "Sigmoid"
    )
    layers, epochs = columns["Hidden Layers"], columns["Training Epochs"]
    assert layers[sigmoid].min() == 1 and layers[sigmoid].max() == 4
    assert epochs[sigmoid].min() == 8 and epochs[sigmoid].max() == 12
    assert layers[~sigmoid].min() == 1 and layers[~sigmoid].max() == 10
    assert epochs[~sigmoid].min() == 4 and epochs[~sigmoid].max() == 6
    neurons = columns["Max Neurons Per Hidden Layer"]
    assert neurons.min() == 5 and neurons.max() == 20


def expected_frequencies(name: str) -> dict:
    """The normalised weight of every value, numeric traits as mixtures over the activation."""
    if name in CATEGORICAL:
        table = TABLES[name]
        return dict(zip(table.values, table.probabilities, strict=True))
    act = dict(
        zip(
            TABLES["Activation Function"].values,
            TABLES["Activation Function"].probabilities,
            strict=False,
        )
    )
    p_sig = act["Sigmoid"]
    table = TABLES[name]
    out: dict = {}
    for share, (lo, hi) in ((p_sig, table.bounds(True)), (1 - p_sig, table.bounds(False))):
        for v in range(lo, hi + 1):
            out[v] = out.get(v, 0.0) + share / (hi - lo + 1)
    return out


def test_one_million_tokens_match_the_tables_within_three_tenths_of_a_point(capsys):
    n = 1_000_000
    columns = sample_columns(2023, 0, n, TABLES)
    worst = (0.0, "", None)
    for name in TRAIT_NAMES:
        expected = expected_frequencies(name)
        if name in CATEGORICAL:
            values = np.asarray(TABLES[name].values, dtype=object)[columns[name]]
        else:
            values = columns[name]
        uniq, counts = np.unique(
            values.astype(str) if name in CATEGORICAL else values, return_counts=True
        )
        observed = dict(zip(uniq.tolist(), (counts / n).tolist(), strict=True))
        for value, p in expected.items():
            dev = abs(observed.get(str(value) if name in CATEGORICAL else value, 0.0) - p)
            if dev > worst[0]:
                worst = (dev, name, value)
        assert set(observed) <= {str(v) if name in CATEGORICAL else v for v in expected}
    with capsys.disabled():
        print(
            f"\n  largest deviation over 1,000,000 tokens: {worst[0] * 100:.4f} pp"
            f" ({worst[1]} = {worst[2]})"
        )
    assert worst[0] < 0.003


def test_traits_json_has_the_twelve_names_and_hidden_layers():
    t = sample_traits(1, 2)
    obj = t.to_json()
    assert list(obj)[:2] == ["token", "seed"]
    assert [k for k in obj if k not in ("token", "seed", "hidden_layers")] == list(TRAIT_NAMES)
    assert obj["hidden_layers"] == list(t.hidden_sizes)
    assert len(t.hidden_sizes) == t.layers
    assert max(t.hidden_sizes) == t.max_neurons


def test_training_traits_follow_the_model_format():
    t = sample_traits(1, 2)
    assert t.training_traits() == {
        "structure_gen": t.architecture,
        "n_layers": t.layers,
        "max_nodes": t.max_neurons,
        "activation_func": t.activation,
        "epoch_num": t.epochs,
    }


def test_every_birth_year_has_its_history_line():
    for year in TABLES["Birth Year"].values:
        assert len(TABLES.history(year)) > 20, year
    assert "Rosenblatt" in TABLES.history(1957)


@pytest.mark.parametrize(
    "framework,shape", [("Theano", "circle"), ("Torch", "square"), ("TensorFlow", "diamond")]
)
def test_framework_picks_the_node_shape(framework, shape):
    t = next(t for t in sample_range(4, 0, 400) if t.framework == framework)
    assert t.node_shape == shape


def test_traits_json_round_trips():
    for token in range(20):
        t = sample_traits(3, token)
        assert Traits.from_json(t.to_json()) == t


def test_traits_are_built_from_their_field_list():
    """One list of fields, in metadata order, between the twelve names and the dataclass."""
    assert [f.name for f in dataclasses.fields(Traits)] == [
        "seed",
        "token",
        *FIELDS,
        "hidden_sizes",
    ]
    t = sample_traits("fields", 9)
    attributes = {name: str(v) if isinstance(v, int) else v for name, v in t.attributes().items()}
    rebuilt = Traits.from_attributes(t.seed, t.token, attributes, list(t.hidden_sizes))
    assert rebuilt == t  # whole-number traits given as text come back as ints
    assert isinstance(rebuilt.birth_year, int) and rebuilt.hidden_sizes == t.hidden_sizes
