"""The lifecycle: stages at every boundary, growth, and which neurons live."""

from __future__ import annotations

import dataclasses
import math
import time

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
    neuron_orders,
    order_stream,
    stage_at,
    traits_life_state,
)
from artgen.portable_random import Shr3
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


def test_shr3_draws_and_the_layer_shuffle_worked_by_hand():
    # ORIGINAL.md 0 and 4: layer h of life c is shuffled by SHR3 seeded (c + 1) * 100 + h; for
    # i = 1 .. n-1 item i swaps with item floor(r * i). Worked by hand for life 0:
    # layer 0, seed 100 = 0x00000064, five neurons [0, 1, 2, 3, 4]:
    #   i=1: s ^= s<<17 -> 0x00c80064; s ^= s>>13 -> 0x00c80624; s ^= s<<5 -> 0x19c8c2a4
    #        r = 0x19c8c2a4 / 0xffffffff = 0.100720, j = floor(0.100720 * 1) = 0 -> [1, 0, 2, 3, 4]
    #   i=2: 0x19c8c2a4 -> 0x9c80c2a4; its sign bit is set, so s>>13 fills with ones:
    #        0xfffce406, s -> 0x637c26a2; s<<5 -> 0x0cf8f2e2; r = 0.050674, j = 0 -> [2, 0, 1, 3, 4]
    #   i=3: 0x0cf8f2e2 -> 0xe93cf2e2 -> 0x16c3bb05 -> 0xceb4dba5; r = 0.807447, j = 2
    #        -> [2, 0, 3, 1, 4]
    #   i=4: 0xceb4dba5 -> 0x79fedba5 -> 0x79fd1453 -> 0x465f9e33; r = 0.274897, j = 1
    #        -> [2, 4, 3, 1, 0]
    # layer 1, seed 101 = 0x00000065, four neurons [0, 1, 2, 3]:
    #   i=1: 0x00ca0065 -> 0x00ca0635 -> 0x198ac095; r = 0.099773, j = 0 -> [1, 0, 2, 3]
    #   i=2: 0x98a0c095 -> 0x675c0593 -> 0x8cdcb7f3; r = 0.550243, j = 1 -> [1, 2, 0, 3]
    #   i=3: 0xe33ab7f3 -> 0x1cc5ae26 -> 0x84706ae6; r = 0.517340, j = 1 -> [1, 3, 0, 2]
    r = Shr3(100)
    assert [round(r.random(), 6) for _ in range(4)] == [0.10072, 0.050674, 0.807447, 0.274897]
    assert [list(o) for o in neuron_orders(0, (5, 4))] == [[2, 4, 3, 1, 0], [1, 3, 0, 2]]
    # life 2 seeds 300: another order for a wider layer (SHR3's first draws from small seeds
    # are small, so narrow layers keep much of their order from life to life, as the original's)
    assert list(neuron_orders(2, (20,))[0]) != list(neuron_orders(0, (20,))[0])


def test_neurons_die_in_reverse_birth_order_from_the_largest_relative_layer():
    # 9 hidden neurons (5, 4); Decaying at growth 1 - 3.5/9 removes 3.5 of them one unit at a
    # time from the layer with the largest (count - 1) / size (ties: the lower layer):
    # [5, 4]: 4/5 > 3/4 -> [4, 4]; 3/5 < 3/4 -> [4, 3]; 3/5 > 2/4 -> [3, 3]; 2/5 < 2/4 -> take
    # the last half from layer 1 -> [3, 2.5].
    sizes = (5, 4)
    growth = 1 - 3.5 / 9
    assert layer_alive_counts(sizes, growth) == pytest.approx([3.0, 2.5])
    # Life along the hand-worked orders: layer 0 keeps its first 3 born, [2, 4, 3]; its last
    # born, 0 then 1, died first. Layer 1 keeps [1, 3], neuron 0 half alive, neuron 2 dead.
    life = neuron_life(sizes, growth, neuron_orders(0, sizes))
    assert life == ((0.0, 0.0, 1.0, 1.0, 1.0), (0.5, 1.0, 0.0, 1.0))
    state = state_at(51.0, sizes=sizes)  # a Decaying state draws its order the same way
    alive = [i for i, v in enumerate(state.neuron_life[0]) if v == 1.0]
    assert state.stage == "Decaying" and set(alive) <= {2, 4, 3, 1, 0}
    order = [2, 4, 3, 1, 0]
    assert alive == sorted(order[: len(alive)])


def test_birth_time_does_not_depend_on_the_local_time_zone(monkeypatch):
    """A machine set to New York time (UTC-5) dates births in UTC like every other."""
    monkeypatch.setenv("TZ", "EST+5")
    time.tzset()
    try:
        assert birth_time(2023) == 1688299200.0
    finally:
        monkeypatch.undo()
        time.tzset()


def test_each_stage_begins_exactly_at_its_start_age():
    assert [stage_at(start) for start in STAGE_STARTS] == [0, 1, 2, 3, 4]
    assert [stage_at(math.nextafter(start, 0)) for start in STAGE_STARTS[1:]] == [0, 1, 2, 3]


def test_at_the_first_instant_of_stable_the_next_stable_stage_is_the_next_life_s():
    year = LIFE_CYCLES["60 Weeks"] * DAY
    state = state_at(25)
    assert state.age == 25 and state.stage == "Stable" and state.stage_ratio == 0
    assert state.next_stable_time == birth_time(1986) + 85 * year


def test_life_state_as_json_names_every_field():
    """`artgen lifecycle --json` prints these keys; the values follow the rules of a life."""
    year = LIFE_CYCLES["60 Weeks"] * DAY
    born = birth_time(1986)
    state = state_at(30)
    assert state.time == born + 30 * year
    assert state.to_json() == {
        "stage": "Stable",
        "age": pytest.approx(30),
        "rebirths": 0,
        "growth": 1.0,
        "stage_ratio": pytest.approx(5 / 25),
        "neuron_life": [[1.0] * size for size in SIZES],
        "active_neurons": "28 / 28",
        "next_stage_time": pytest.approx(born + 50 * year),
        "next_stable_time": pytest.approx(born + 85 * year),
    }


def test_an_upgraded_model_s_hidden_sizes_replace_the_traits():
    traits = sample_traits(8, 1)
    t = birth_time(traits.birth_year) + 1e9
    own = traits_life_state(traits, t, tables=TABLES)
    upgraded = traits_life_state(traits, t, (16, 3), tables=TABLES)
    assert [len(layer) for layer in own.neuron_life] == list(traits.hidden_sizes)
    assert [len(layer) for layer in upgraded.neuron_life] == [16, 3]


def test_the_blink_stream_continues_the_last_layer_s_shuffle():
    """ORIGINAL 4 and 7: the generator is left seeded for the last hidden layer, with its
    shuffle drawn. The states after each shuffle are those worked by hand above."""
    assert order_stream(0, (5, 4)).random() == Shr3(0x84706AE6).random()  # seed 101, 3 draws
    assert order_stream(0, (5,)).random() == Shr3(0x465F9E33).random()  # seed 100, 4 draws
    assert round(order_stream(0, ()).random(), 6) == 0.10072  # no layer: seed 100, no draw
