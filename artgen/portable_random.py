"""Small random generators that the art inscription's JavaScript reproduces bit for bit.

The browser must draw what Python draws (blinking nodes, Rebirth dust), so these draws use a
generator that is a few lines in any language: FNV-1a (32-bit) hashes a key string to a seed,
and mulberry32 turns the seed into a stream of 32-bit values (`PortableRandom`). The neuron
order is the original artwork's own: q5's "SHR3" xorshift seeded with a number (`Shr3`,
ORIGINAL.md section 0). The trait sampler keeps numpy's Philox streams (`artgen.seeding`);
only what the JavaScript redraws lives here.
"""

from __future__ import annotations

MASK = 0xFFFFFFFF


def fnv1a32(text: str) -> int:
    """FNV-1a over the UTF-8 bytes of `text`."""
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & MASK
    return h


def _imul(a: int, b: int) -> int:
    return (a * b) & MASK


class PortableRandom:
    """mulberry32 seeded by fnv1a32(key): `random()` in [0, 1), like the JavaScript's."""

    __slots__ = ("_state",)

    def __init__(self, key: str):
        self._state = fnv1a32(key)

    def next_uint32(self) -> int:
        self._state = (self._state + 0x6D2B79F5) & MASK
        a = self._state
        t = _imul(a ^ (a >> 15), 1 | a)
        t = ((t + _imul(t ^ (t >> 7), 61 | t)) & MASK) ^ t
        return (t ^ (t >> 14)) & MASK

    def random(self) -> float:
        return self.next_uint32() / 4294967296.0

    def below(self, n: int) -> int:
        """A whole number in [0, n)."""
        return int(self.random() * n)

    def permutation(self, n: int) -> list[int]:
        """0..n-1 shuffled by Fisher-Yates, from the last position down."""
        items = list(range(n))
        for i in range(n - 1, 0, -1):
            j = self.below(i + 1)
            items[i], items[j] = items[j], items[i]
        return items


class Shr3:
    """q5's default generator, "SHR3" (ORIGINAL.md section 0), as the original seeds it.

    The state is a 32-bit integer, the seed itself. Each draw does s ^= s << 17,
    s ^= s >> 13 (an arithmetic shift of the signed value), s ^= s << 5, all on 32 bits,
    and returns s (unsigned) / (2^32 - 1), so a draw lies in [0, 1].
    """

    __slots__ = ("_state",)

    def __init__(self, seed: int):
        self._state = int(seed) & MASK

    def random(self) -> float:
        s = self._state
        s ^= (s << 17) & MASK
        signed = s - (1 << 32) if s & 0x80000000 else s
        s ^= (signed >> 13) & MASK
        s ^= (s << 5) & MASK
        self._state = s
        return s / 4294967295.0

    def shuffle(self, n: int) -> list[int]:
        """[0 .. n-1] shuffled as the original shuffles a layer's neurons (ORIGINAL.md section 4):
        for i = 1 .. n-1, swap item i with item floor(r * i)."""
        items = list(range(n))
        for i in range(1, n):
            j = int(self.random() * i)
            items[i], items[j] = items[j], items[i]
        return items


def key(*parts: object) -> str:
    """The key string for a purpose and its inputs, e.g. key('neuron-order', seed, token, 2, 0)."""
    return "|".join(str(p) for p in parts)
