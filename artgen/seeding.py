"""Random streams derived from (collection seed, token id, purpose).

Every stream is a `numpy.random.Generator` over Philox, a counter-based generator: the key is
a BLAKE2b hash of (collection seed, purpose) and the counter starts at the token id times
`BLOCKS`. Token t's stream is therefore a pure function of (seed, t, purpose), and the streams
of consecutive tokens lie end to end, so one Generator call draws a whole range of tokens at
once with exactly the numbers each token would draw alone (the vectorised sampler relies on
this). Changing one purpose's use never changes another purpose's draws.
"""

from __future__ import annotations

import hashlib

import numpy as np

BLOCKS = 4  # Philox blocks reserved per token and purpose
DRAWS = 4 * BLOCKS  # uniform draws available per token and purpose in the vectorised path


def _key(seed: int | str, purpose: str) -> np.ndarray:
    digest = hashlib.blake2b(f"artgen|{seed}|{purpose}".encode(), digest_size=16).digest()
    return np.frombuffer(digest, dtype="<u8").copy()


def stream(seed: int | str, token: int, purpose: str) -> np.random.Generator:
    """The Generator for one (collection seed, token, purpose); token >= 0."""
    if token < 0:
        raise ValueError("token ids are non-negative")
    bitgen = np.random.Philox(key=_key(seed, purpose), counter=[token * BLOCKS, 0, 0, 0])
    return np.random.Generator(bitgen)


def free_stream(seed: int | str, token: int, purpose: str) -> np.random.Generator:
    """An unbounded Generator for (seed, token, purpose): any number of draws.

    Used for shuffles and particles, where the draw count is not fixed; its key includes the
    token, so it never overlaps another token's stream.
    """
    bitgen = np.random.Philox(key=_key(seed, f"{purpose}|{token}"), counter=0)
    return np.random.Generator(bitgen)


def uniforms(seed: int | str, purpose: str, first: int, count: int) -> np.ndarray:
    """Uniform draws in [0, 1) for tokens first..first+count-1: shape (count, DRAWS).

    Row i equals `stream(seed, first + i, purpose).random(DRAWS)`.
    """
    gen = stream(seed, first, purpose)
    return gen.random(count * DRAWS).reshape(count, DRAWS)
