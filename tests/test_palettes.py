"""Palettes: the 25 of the SPEC, their groups, and the gradient sampler."""

from __future__ import annotations

import pytest

import palettes
from artgen.tables import default_tables


def test_there_are_twenty_five_palettes_matching_the_rarity_table():
    names = list(palettes.all_palettes())
    assert len(names) == 25
    assert names == list(default_tables()["Color Palette"].values)


def test_collector_groups():
    groups = palettes.groups()
    assert groups["Technical"] == ["Whitepaper", "Blackboard", "Blueprint"]
    assert groups["Sky"] == ["Twilight", "Sunset", "Aurora"]
    assert groups["Liminality"] == ["Liminal Space", "Déjà Vu", "Lucid Dream"]
    assert groups["Parallel Multiverse"] == ["Parallel", "Multiverse"]


def test_colours_as_the_original_drew_them():
    p = palettes.get("Aurora")
    assert (p.paper, p.pattern) == ("#0a141d", "#57d4e4")
    assert p.stops == ("#328195", "#2A9ECF", "#0ab6a8", "#57d4e4")
    assert palettes.get("Multiverse").stops[0] == "#ff0002"


def test_gradient_runs_from_first_to_last_stop():
    p = palettes.get("Sunset")  # stops #fd5e53 -> #ffe373
    assert p.gradient(0.0) == pytest.approx(palettes.parse_hex("#fd5e53"))
    assert p.gradient(1.0) == pytest.approx(palettes.parse_hex("#ffe373"))
    mid = p.gradient(0.5)
    a, b = palettes.parse_hex("#fd5e53"), palettes.parse_hex("#ffe373")
    assert mid == pytest.approx(tuple((x + y) / 2 for x, y in zip(a, b, strict=False)))
    cols = p.column_colors(5)
    assert len(cols) == 5 and cols[0] == p.gradient(0) and cols[-1] == p.gradient(1)


def test_single_stop_palettes_are_flat():
    p = palettes.get("Whitepaper")
    assert p.column_colors(4) == [palettes.parse_hex("#231f20")] * 4


def test_unknown_palette_names_the_known_ones():
    with pytest.raises(KeyError, match="Whitepaper"):
        palettes.get("Neon")
