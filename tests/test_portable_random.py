"""The portable generator gives what the JavaScript mulberry32/FNV-1a gives."""

from __future__ import annotations

from artgen.portable_random import PortableRandom, fnv1a32, key


def test_matches_the_javascript_stream():
    # Produced by the same ten lines of JavaScript under Node.js (see artgen/portable_random.py).
    r = PortableRandom("neuron-order|Déjà|3|1|0")
    assert [r.random() for _ in range(3)] == [
        0.0641508330591023,
        0.5027678643818945,
        0.814922516932711,
    ]


def test_fnv1a_known_values():
    assert fnv1a32("") == 0x811C9DC5
    assert fnv1a32("a") == 0xE40C292C


def test_permutation_is_a_permutation_and_depends_on_the_key():
    a = PortableRandom(key("x", 1)).permutation(50)
    b = PortableRandom(key("x", 2)).permutation(50)
    assert sorted(a) == list(range(50)) and a != b
    assert PortableRandom(key("x", 1)).permutation(50) == a


def test_draws_are_uniform_enough():
    r = PortableRandom("uniformity")
    draws = [r.random() for _ in range(20000)]
    assert 0 <= min(draws) and max(draws) < 1
    assert abs(sum(draws) / len(draws) - 0.5) < 0.01
    counts = [0] * 10
    for d in draws:
        counts[int(d * 10)] += 1
    assert max(counts) - min(counts) < 300
