"""The lifecycle (SPEC section 3): block time -> age, stage, growth, and which neurons live.

Times are Unix seconds (UTC). Ages are in Perceptron years, whose length the Life Cycle
trait sets through the collection's tables (`Tables.life_cycle_days`: by default one year
lasts 365, 30, 7 or 1 days). The tables are a required argument: a collection that changes
`life_cycle_days` must get the same stage in its stills, previews, metadata and HTML.

A life lasts 60 Perceptron years, then the Perceptron is reborn with a new order in which
its neurons come to life.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from .portable_random import Shr3
from .tables import Tables

DAY = 86400.0
LIFE_YEARS = 60.0
#: Stage names and where each starts, in Perceptron years within a life.
STAGES = ("Growing", "Stable", "Decaying", "Dead", "Rebirth")
STAGE_STARTS = (0.0, 25.0, 50.0, 59.0 + 11.0 / 12.0, 59.0 + 11.5 / 12.0)
STAGE_ENDS = STAGE_STARTS[1:] + (LIFE_YEARS,)
#: Growing: g(x) = 1 - (1 - x)^n with n chosen so that g(0.4) = 0.8.
GROWTH_EXPONENT = math.log(0.2) / math.log(0.6)


def birth_time(year: int) -> float:
    """The birth instant: the middle of the birth year, UTC, in Unix seconds."""
    start = datetime(int(year), 1, 1, tzinfo=UTC).timestamp()
    end = datetime(int(year) + 1, 1, 1, tzinfo=UTC).timestamp()
    return (start + end) / 2.0


def stage_at(a: float) -> int:
    """Index into STAGES for an age `a` within a life, 0 <= a < 60."""
    for i in range(len(STAGES) - 1, -1, -1):
        if a >= STAGE_STARTS[i]:
            return i
    return 0


def growth_at(a: float) -> float:
    """The share of hidden neurons alive at age `a` within a life."""
    stage = STAGES[stage_at(a)]
    if stage == "Growing":
        return 1.0 - (1.0 - a / STAGE_ENDS[0]) ** GROWTH_EXPONENT
    if stage == "Stable":
        return 1.0
    if stage == "Decaying":
        return 1.0 - (a - STAGE_STARTS[2]) / (STAGE_ENDS[2] - STAGE_STARTS[2])
    return 0.0


def layer_alive_counts(sizes: Sequence[int], growth: float) -> list[float]:
    """How many neurons of each hidden layer are alive (the last one taken may be fractional).

    S * (1 - growth) neurons are taken away one at a time from the layer whose
    (alive - 1) / size is largest (the first such layer on ties), so layers shrink in
    proportion.
    """
    alive = [float(s) for s in sizes]
    total = float(sum(sizes))
    growth = min(1.0, max(0.0, float(growth)))
    remaining = round(total * (1.0 - growth), 9)
    while remaining > 0:
        j = max(range(len(alive)), key=lambda i: ((alive[i] - 1.0) / sizes[i], -i))
        take = min(1.0, remaining, alive[j])
        if take <= 0:
            break
        alive[j] = round(alive[j] - take, 9)
        remaining = round(remaining - take, 9)
    return alive


#: ORIGINAL.md section 4: layer h of life c shuffles with the seed (c + 1) * 100 + h.
ORDER_SEED_STEP = 100


def order_seed(rebirths: int, layer: int) -> int:
    """The SHR3 seed of hidden layer `layer`'s neuron order in life `rebirths` (ORIGINAL 4)."""
    return (int(rebirths) + 1) * ORDER_SEED_STEP + int(layer)


def neuron_orders(rebirths: int, sizes: Sequence[int]) -> list[np.ndarray]:
    """The order in which each hidden layer's neurons come to life, as the original orders
    them (ORIGINAL.md section 4): a per-layer `Shr3(order_seed(rebirths, layer)).shuffle(size)`.

    Neurons are born in this order and die in reverse (the last born dies first). The order
    is the same for every token of a collection (the original's rule) and changes with each
    rebirth; the art's JavaScript draws the same one.
    """
    return [
        np.asarray(Shr3(order_seed(rebirths, layer)).shuffle(size))
        for layer, size in enumerate(sizes)
    ]


def order_stream(rebirths: int, sizes: Sequence[int]) -> Shr3:
    """q5's generator as the original leaves it once it has ordered the neurons: seeded for
    the last hidden layer (ORIGINAL 4) and that layer's shuffle drawn (size - 1 draws).

    The original orders the neurons again every frame, just before it draws its blink sets
    (ORIGINAL 7), so those sets continue this stream (`artgen.animation.pace.blink_sets`).
    """
    last = max(len(sizes) - 1, 0)
    stream = Shr3(order_seed(rebirths, last))
    if sizes:
        stream.shuffle(sizes[last])
    return stream


def neuron_life(
    sizes: Sequence[int], growth: float, orders: Sequence[np.ndarray] | None = None
) -> tuple[tuple[float, ...], ...]:
    """Life in [0, 1] of every hidden neuron, per layer, at this growth.

    With no `orders`, neurons come to life top to bottom (index order).
    """
    out = []
    for layer, (size, alive) in enumerate(
        zip(sizes, layer_alive_counts(sizes, growth), strict=True)
    ):
        order = np.arange(size) if orders is None else orders[layer]
        life = np.zeros(size)
        whole = int(math.floor(alive))
        life[order[:whole]] = 1.0
        if whole < size and alive > whole:
            life[order[whole]] = alive - whole
        out.append(tuple(float(v) for v in life))
    return tuple(out)


@dataclass(frozen=True)
class LifeState:
    """Where a Perceptron is in its lives at one moment."""

    time: float
    age: float  # Perceptron years since birth
    rebirths: int
    stage: str
    stage_ratio: float  # share of the current stage elapsed, in [0, 1)
    growth: float  # share of hidden neurons alive
    neuron_life: tuple[tuple[float, ...], ...]  # per hidden layer, per neuron
    next_stage_time: float
    next_stable_time: float
    year_seconds: float  # length of one Perceptron year

    @property
    def active_neurons(self) -> float:
        return float(sum(sum(layer) for layer in self.neuron_life))

    @property
    def total_neurons(self) -> int:
        return sum(len(layer) for layer in self.neuron_life)

    @property
    def active_label(self) -> str:
        """'k / total', as the information panel shows it (k rounded to whole neurons)."""
        return f"{round(self.active_neurons)} / {self.total_neurons}"

    def to_json(self) -> dict:
        return {
            "stage": self.stage,
            "age": self.age,
            "rebirths": self.rebirths,
            "growth": self.growth,
            "stage_ratio": self.stage_ratio,
            "neuron_life": [list(layer) for layer in self.neuron_life],
            "active_neurons": self.active_label,
            "next_stage_time": self.next_stage_time,
            "next_stable_time": self.next_stable_time,
        }


def life_state(
    *,
    seed: int | str,
    token: int,
    birth_year: int,
    life_cycle: str,
    hidden_sizes: Sequence[int],
    time: float,
    tables: Tables,
) -> LifeState:
    """The LifeState of a token at Unix time `time`, its year as long as `tables` say.

    Before the birth instant a Perceptron is taken to be newly born (age 0).
    """
    year_seconds = tables.days_per_year(life_cycle) * DAY
    born = birth_time(birth_year)
    age = max(0.0, (float(time) - born) / year_seconds)
    rebirths = int(age // LIFE_YEARS)
    a = age - rebirths * LIFE_YEARS
    life_start = born + rebirths * LIFE_YEARS * year_seconds
    i = stage_at(a)
    ratio = (a - STAGE_STARTS[i]) / (STAGE_ENDS[i] - STAGE_STARTS[i])
    growth = growth_at(a)
    next_stage = life_start + STAGE_ENDS[i] * year_seconds
    stable_start = STAGE_STARTS[1] if a < STAGE_STARTS[1] else LIFE_YEARS + STAGE_STARTS[1]
    orders = neuron_orders(rebirths, hidden_sizes)
    return LifeState(
        time=float(time),
        age=age,
        rebirths=rebirths,
        stage=STAGES[i],
        stage_ratio=min(max(ratio, 0.0), 1.0),
        growth=growth,
        neuron_life=neuron_life(hidden_sizes, growth, orders),
        next_stage_time=next_stage,
        next_stable_time=life_start + stable_start * year_seconds,
        year_seconds=year_seconds,
    )


def traits_life_state(
    traits, time: float, hidden_sizes: Sequence[int] | None = None, *, tables: Tables
) -> LifeState:
    """The LifeState of a token from its Traits and its collection's tables (hidden sizes from
    an upgraded model if given)."""
    return life_state(
        seed=traits.seed,
        token=traits.token,
        birth_year=traits.birth_year,
        life_cycle=traits.life_cycle,
        hidden_sizes=tuple(hidden_sizes) if hidden_sizes is not None else traits.hidden_sizes,
        time=time,
        tables=tables,
    )
