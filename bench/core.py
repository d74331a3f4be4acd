"""Engine core: sampler throughput and the reference model's load and forward time.

Baselines measured in the same run:
- sampler: the vectorised range sampler against token-by-token `sample_traits`;
- model load: `json.loads` of the same text (the parse floor) against the full validated load;
- forward: one float64 matrix chain in numpy with no engine code (the numpy floor).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
from goals import finish, goal

from artgen.model import forward, loads_model
from artgen.tables import CATEGORICAL, TRAIT_NAMES, default_tables
from artgen.traits import sample_columns, sample_range, sample_traits

TABLES = default_tables()  # the packaged Perceptrons tables

REFERENCE = (
    Path(__file__).resolve().parent.parent / "tests/fixtures/artblocks_classifier_model.json"
)


def best_of(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def bench_sampler() -> None:
    n_single, n_range, n_columns = 2_000, 20_000, 1_000_000
    single = best_of(lambda: [sample_traits(1, i) for i in range(n_single)], 3) / n_single
    ranged = best_of(lambda: sample_range(1, 0, n_range), 3) / n_range
    columns = best_of(lambda: sample_columns(1, 0, n_columns, TABLES), 3) / n_columns
    print(f"sampler, token by token (baseline): {1 / single:>12,.0f} tokens/s")
    print(
        f"sampler, range of Traits objects:"
        f"   {1 / ranged:>12,.0f} tokens/s  ({single / ranged:.1f}x)"
    )
    print(
        f"sampler, vectorised trait columns:  {1 / columns:>12,.0f} tokens/s"
        f"  ({single / columns:.0f}x)"
    )


def bench_frequencies() -> None:
    n = 1_000_000
    tables = default_tables()
    cols = sample_columns(2023, 0, n, TABLES)
    act = dict(
        zip(
            tables["Activation Function"].values,
            tables["Activation Function"].probabilities,
            strict=False,
        )
    )
    worst = (0.0, "", None)
    for name in TRAIT_NAMES:
        if name in CATEGORICAL:
            expected = dict(enumerate(tables[name].probabilities))
        else:
            expected = {}
            t = tables[name]
            for share, (lo, hi) in (
                (act["Sigmoid"], t.bounds(True)),
                (1 - act["Sigmoid"], t.bounds(False)),
            ):
                for v in range(lo, hi + 1):
                    expected[v] = expected.get(v, 0.0) + share / (hi - lo + 1)
        values, counts = np.unique(cols[name], return_counts=True)
        observed = dict(zip(values.tolist(), (counts / n).tolist(), strict=False))
        for v, p in expected.items():
            dev = abs(observed.get(v, 0.0) - p)
            if dev > worst[0]:
                label = tables[name].values[v] if name in CATEGORICAL else v
                worst = (dev, name, label)
    print(
        f"largest deviation from the tables over {n:,} tokens: {worst[0] * 100:.4f} pp "
        f"({worst[1]} = {worst[2]}; limit 0.3 pp)"
    )
    goal(f"sampler: largest deviation from the tables, {n:,} tokens", worst[0] * 100,
         at_most=0.3, unit=" pp")  # fmt: skip


def bench_model() -> None:
    text = REFERENCE.read_text()
    parse = best_of(lambda: json.loads(text), 20)
    load = best_of(lambda: loads_model(text), 20)
    model = loads_model(text)
    h, w, c = model.input_shape
    rng = np.random.default_rng(0)
    one = rng.integers(0, 256, (1, h, w, c), dtype=np.uint8)
    batch = rng.integers(0, 256, (256, h, w, c), dtype=np.uint8)
    weights = [(d.kernel.astype(np.float64), d.bias.astype(np.float64)) for d in model.dense]

    def floor(x):
        a = x.reshape(len(x), -1) * (1 / 127.5) - 1
        for i, (k, b) in enumerate(weights):
            a = a @ k + b
            if i < len(weights) - 1:
                a = np.maximum(a, 0)
        e = np.exp(a - a.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    assert np.allclose(floor(batch), forward(model, batch), atol=1e-12)
    f1 = best_of(lambda: forward(model, one), 50)
    f1_floor = best_of(lambda: floor(one), 50)
    fb = best_of(lambda: forward(model, batch), 10) / len(batch)
    fb_floor = best_of(lambda: floor(batch), 10) / len(batch)
    print(
        f"reference model: {len(text):,} bytes, "
        f"{model.input_shape} -> {model.hidden_sizes} -> {len(model.classes)}"
    )
    print(
        f"  load (validate + decode): {load * 1e3:8.2f} ms"
        f"   json.loads floor {parse * 1e3:6.2f} ms   ratio {load / parse:.2f}"
    )
    print(
        f"  forward, one image:       {f1 * 1e6:8.1f} us"
        f"   numpy floor {f1_floor * 1e6:8.1f} us   ratio {f1 / f1_floor:.2f}"
    )
    print(
        f"  forward, batch of 256:    {fb * 1e6:8.1f} us/image"
        f"   floor {fb_floor * 1e6:6.1f} us/image   ratio {fb / fb_floor:.2f}"
    )
    print(f"  load + one forward:       {(load + f1) * 1e3:8.2f} ms")


def main() -> int:
    bench_sampler()
    bench_frequencies()
    bench_model()
    return finish()


if __name__ == "__main__":
    sys.exit(main())
