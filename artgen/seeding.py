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
import threading
from functools import lru_cache

import numpy as np

BLOCKS = 4  # Philox blocks reserved per token and purpose
DRAWS = 4 * BLOCKS  # uniform draws available per token and purpose in the vectorised path


def _digest_key(seed: int | str, purpose: str) -> np.ndarray:
    digest = hashlib.blake2b(f"artgen|{seed}|{purpose}".encode(), digest_size=16).digest()
    return np.frombuffer(digest, dtype="<u8").copy()


# the keys of shared purposes, asked for over and over; a token's own keys are never asked for
# again once its job is done, and are not kept (a worker's memory stays flat)
_key = lru_cache(maxsize=4096)(_digest_key)


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
    bitgen = np.random.Philox(key=_digest_key(seed, f"{purpose}|{token}"), counter=0)
    return np.random.Generator(bitgen)


_LOCK = threading.Lock()


@lru_cache(maxsize=256)
def _shared_bitgen(seed: int | str, purpose: str) -> np.random.Philox:
    return np.random.Philox(key=_key(seed, purpose))


def uniforms(seed: int | str, purpose: str, first: int, count: int) -> np.ndarray:
    """Uniform draws in [0, 1) for tokens first..first+count-1: shape (count, DRAWS).

    Row i equals `stream(seed, first + i, purpose).random(DRAWS)`. One cached Philox per
    (seed, purpose) is repositioned instead of built anew (building one costs ~30 us).
    """
    if first < 0:
        raise ValueError("token ids are non-negative")
    bitgen = _shared_bitgen(seed, purpose)
    state = {
        "bit_generator": "Philox",
        "state": {
            "counter": np.array([first * BLOCKS, 0, 0, 0], dtype=np.uint64),
            "key": _key(seed, purpose),
        },
        "buffer": np.zeros(4, dtype=np.uint64),
        "buffer_pos": 4,
        "has_uint32": 0,
        "uinteger": 0,
    }
    with _LOCK:
        bitgen.state = state
        raw = bitgen.random_raw(count * DRAWS)
    # Generator.random(): the top 53 bits of each 64-bit output, times 2**-53.
    return ((raw >> np.uint64(11)) * (1.0 / 9007199254740992.0)).reshape(count, DRAWS)
