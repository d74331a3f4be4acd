"""The lifecycle: stages at every boundary, growth, and which neurons live."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from artgen.lifecycle import (
    DAY,
    STAGE_STARTS,
    STAGES,
    birth_time,
    growth_at,
    layer_alive_counts,
    life_state,
    neuron_life,
    traits_life_state,
)
from artgen.tables import default_tables, with_overrides
from artgen.traits import sample_traits

TABLES = default_tables()  # the packaged Perceptrons tables

LIFE_CYCLES = {"60 Years": 365, "60 Months": 30, "60 Weeks": 7, "60 Days": 1}
SIZES = (12, 9, 5, 2)


def state_at(age_years: float, cycle: str = "60 Weeks", sizes=SIZES, token: int = 1):
    year = LIFE_CYCLES[cycle] * DAY
    return life_state(
        seed=8,
        token=token,
        birth_year=1986,
        life_cycle=cycle,
        hidden_sizes=sizes,
        time=birth_time(1986) + age_years * year,
        tables=TABLES,
    )


def test_birth_is_the_middle_of_the_year_utc():
    assert birth_time(2023) == 1688299200.0  # 2023-07-02T12:00:00Z
    assert birth_time(2016) == 1467417600.0  # leap year: 2016-07-02T00:00:00Z


@pytest.mark.parametrize("cycle", LIFE_CYCLES)
@pytest.mark.parametrize("index", range(len(STAGES)))
def test_every_stage_boundary_for_every_life_cycle(cycle, index):
    start = STAGE_STARTS[index]
    year = LIFE_CYCLES[cycle] * DAY
    boundary = birth_time(1986) + start * year
    eps = 1e-4  # Perceptron years: 8.6 s for 60 Days, 52 min for 60 Years
    after = state_at(start + eps, cycle)
    assert after.stage == STAGES[index]
    assert after.stage_ratio < 0.01
    assert after.age == pytest.approx(start + eps, abs=1e-9)
    if index > 0:
        before = state_at(start - eps, cycle)
        assert before.stage == STAGES[index - 1] and before.stage_ratio > 0.99
        assert before.next_stage_time == pytest.approx(boundary, abs=1e-3)


@pytest.mark.parametrize("cycle", LIFE_CYCLES)
def test_a_new_life_begins_at_sixty_with_a_rebirth(cycle):
    end = state_at(60 - 1e-6, cycle)
    new = state_at(60 + 1e-6, cycle)
    assert end.stage == "Rebirth" and end.rebirths == 0
    assert new.stage == "Growing" and new.rebirths == 1 and new.growth < 1e-3


def test_growth_is_point_eight_at_forty_percent_of_growing():
    assert growth_at(0.4 * 25) == pytest.approx(0.8, abs=1e-12)
    assert state_at(10.0).growth == pytest.approx(0.8, abs=1e-12)


def test_growth_never_decreases_while_growing_and_never_increases_while_decaying():
    growing = [growth_at(a) for a in np.linspace(0, 25 - 1e-9, 2001)]
    assert all(b >= a for a, b in zip(growing, growing[1:], strict=False))
    assert growing[0] == 0.0 and growing[-1] == pytest.approx(1.0, abs=1e-6)
    decaying = [growth_at(a) for a in np.linspace(50, 59 + 11 / 12 - 1e-9, 2001)]
    assert all(b <= a for a, b in zip(decaying, decaying[1:], strict=False))
    assert decaying[0] == 1.0 and decaying[-1] == pytest.approx(0.0, abs=1e-6)
    assert growth_at(30) == 1.0 and growth_at(59.95) == 0.0 and growth_at(59.99) == 0.0


def test_alive_neurons_only_ever_come_to_life_while_growing():
    previous = None
    for a in np.linspace(0, 25 - 1e-6, 300):
        life = [np.asarray(layer) for layer in state_at(a).neuron_life]
        if previous is not None:
            assert all(
                (cur >= prev - 1e-12).all() for cur, prev in zip(life, previous, strict=False)
            )
        previous = life


@pytest.mark.parametrize("age", [0.3, 2, 5, 9.7, 17, 24.99, 30, 51, 55.5, 58, 59.9, 59.95, 59.99])
def test_life_values_are_in_unit_range_with_at_most_one_fractional_per_layer(age):
    state = state_at(age)
    for layer in state.neuron_life:
        values = np.asarray(layer)
        assert ((values >= 0) & (values <= 1)).all()
        assert ((values > 0) & (values < 1)).sum() <= 1
    assert state.active_neurons == pytest.approx(state.growth * sum(SIZES), abs=1e-6)


def test_layers_shrink_in_proportion():
    for growth in np.linspace(0, 1, 81):
        alive = layer_alive_counts(SIZES, growth)
        assert sum(alive) == pytest.approx(growth * sum(SIZES), abs=1e-6)
        if min(alive) < 1:
            continue
        # Taking from the layer whose (alive - 1) / size is largest keeps that measure level
        # across layers, to within one neuron of any layer.
        level = [(a - 1) / s for a, s in zip(alive, SIZES, strict=False)]
        assert max(level) - min(level) <= 1.0 / min(SIZES) + 1e-9, (growth, alive)
    assert layer_alive_counts((10, 10), 0.5) == [5.0, 5.0]
    assert layer_alive_counts((20, 10), 0.55) == [10.5, 6.0]


def test_every_layer_keeps_a_neuron_as_long_as_it_can():
    # 28 neurons at growth 0.1 leave 2.8 alive: the smallest layers go last.
    assert layer_alive_counts(SIZES, 0.1) == [0.0, 0.8, 1.0, 1.0]
    assert min(layer_alive_counts(SIZES, 4 / 28)) == 1.0


def test_neuron_life_without_orders_fills_from_the_top():
    assert neuron_life((4,), 0.5) == ((1.0, 1.0, 0.0, 0.0),)
    assert neuron_life((4,), 0.625) == ((1.0, 1.0, 0.5, 0.0),)


def test_the_order_of_neurons_changes_with_each_rebirth():
    sizes = (20, 20)
    lives = [state_at(5 + 60 * r, sizes=sizes).neuron_life for r in range(4)]
    assert all(state_at(5 + 60 * r, sizes=sizes).rebirths == r for r in range(4))
    patterns = {tuple(v > 0 for layer in life for v in layer) for life in lives}
    assert len(patterns) == 4
    # ... and is the same order within one life.
    same = state_at(5 + 60 * 2 + 1e-3, sizes=sizes).neuron_life
    assert tuple(v > 0 for layer in same for v in layer) == tuple(
        v > 0 for layer in lives[2] for v in layer
    )


def test_dead_and_rebirth_have_no_living_neurons():
    for age in (59.95, 59.99):
        state = state_at(age)
        assert state.growth == 0 and state.active_neurons == 0


def test_next_stable_time_is_the_start_of_the_next_stable_stage():
    year = LIFE_CYCLES["60 Weeks"] * DAY
    born = birth_time(1986)
    assert state_at(3).next_stable_time == pytest.approx(born + 25 * year)
    assert state_at(30).next_stable_time == pytest.approx(born + 85 * year)
    assert state_at(70).next_stable_time == pytest.approx(born + 85 * year)


def test_before_birth_a_perceptron_is_newly_born():
    state = state_at(-3.0)
    assert state.age == 0 and state.stage == "Growing" and state.growth == 0 and state.rebirths == 0


def test_stage_lengths_follow_the_life_cycle():
    for cycle, days in LIFE_CYCLES.items():
        s = state_at(1, cycle)
        assert s.year_seconds == days * DAY
        assert math.isclose(s.next_stage_time - birth_time(1986), 25 * days * DAY)


def test_a_collection_s_life_cycle_days_set_the_length_of_its_years():
    """The tables are an argument, never a silent default: a collection that makes its
    "60 Weeks" years 14 days long sees its tokens age at half the packaged pace."""
    custom = with_overrides({"life_cycle_days": {"60 Weeks": 14}}, "test")
    traits = sample_traits(8, 1)
    traits = dataclasses.replace(traits, life_cycle="60 Weeks", birth_year=1986)
    t = birth_time(1986) + 40 * 7 * DAY  # 40 packaged years, 20 of the collection's
    packaged = traits_life_state(traits, t, tables=TABLES)
    ours = traits_life_state(traits, t, tables=custom)
    assert packaged.stage == "Stable" and packaged.age == pytest.approx(40)
    assert ours.stage == "Growing" and ours.age == pytest.approx(20)
    assert ours.year_seconds == 14 * DAY
    with pytest.raises(TypeError, match="tables"):
        traits_life_state(traits, t)  # type: ignore[call-arg]
