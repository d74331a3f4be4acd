"""Architecture shapes: each rule, and the bounds every shape keeps."""

from __future__ import annotations

import numpy as np
import pytest

from artgen.architecture import SHAPES, hidden_sizes
from artgen.traits import sample_range

U = np.random.default_rng(0).random(16)


def test_rectangle_is_all_max():
    assert hidden_sizes("Rectangle", 5, 12, U) == (12,) * 5


def test_triangle_falls_steadily_from_max():
    assert hidden_sizes("Triangle", 4, 16, U) == (16, 12, 8, 4)
    sizes = hidden_sizes("Triangle", 10, 5, U)
    assert sizes[0] == 5 and all(a >= b for a, b in zip(sizes, sizes[1:], strict=False))


def test_regular_symmetric_matches_the_whitepapers_example_shape():
    sizes = hidden_sizes("Regular Symmetric", 7, 16, U)
    assert sizes == (16, 13, 11, 8, 11, 13, 16)
    even = hidden_sizes("Regular Symmetric", 6, 10, U)
    assert even == even[::-1] and even[0] == 10


def test_zig_zag_alternates_high_and_low():
    assert hidden_sizes("Zig Zag", 5, 14, U) == (14, 7, 14, 7, 14)


def test_random_triangle_starts_at_max_and_never_rises():
    for seed in range(50):
        u = np.random.default_rng(seed).random(16)
        sizes = hidden_sizes("Random Triangle", 8, 17, u)
        assert sizes[0] == 17 and list(sizes) == sorted(sizes, reverse=True)


def test_random_has_at_least_one_layer_of_max():
    for seed in range(50):
        u = np.random.default_rng(seed).random(16)
        assert 9 in hidden_sizes("Random", 6, 9, u)


def test_unknown_shape_is_refused():
    with pytest.raises(ValueError, match="unknown architecture"):
        hidden_sizes("Hexagon", 3, 8, U)


@pytest.mark.parametrize("shape", SHAPES)
def test_every_shape_keeps_its_bounds(shape):
    for layers in range(1, 11):
        for m in (5, 11, 20):
            sizes = hidden_sizes(shape, layers, m, U)
            assert len(sizes) == layers
            assert min(sizes) >= 2 and max(sizes) == m
            if layers == 1:
                assert sizes == (m,)


def test_sampled_tokens_have_architectures_within_the_trait_ranges():
    for t in sample_range(77, 0, 2000):
        assert 1 <= len(t.hidden_sizes) <= (4 if t.activation == "Sigmoid" else 10)
        assert 5 <= max(t.hidden_sizes) <= 20 and min(t.hidden_sizes) >= 2
