"""Benchmark the numpy trainer against a PyTorch CPU twin, and against the FLOP floor.

For 10 sampled token architectures (collection seed 1, tokens 0-9) on the default dataset,
both trainers start from the same Glorot-uniform weights, see the same batches in the same
order (batch 64, the same per-epoch shuffles), use Adam with lr 1e-3, betas (0.9, 0.999) and
eps 1e-7 (torch.optim.Adam adds eps after bias correction, Keras before: a difference of
~1e-7 in the denominator) and the same epochs. Both run on one thread (ours pins OpenBLAS to
one; torch.set_num_threads(1)). The timed part of an epoch is the shuffle, the batches and the
validation pass; each trainer's time is its best of REPEATS whole runs, the two trainers' runs
alternating so they share the machine's load (the best-of leaves out a first run's cold
caches). Times are
the training thread's CPU time (time.thread_time: on this shared 2-core machine the wall clock
also counts the time other jobs hold the cores, which says nothing about either trainer); the
wall-clock figures are printed too.

The FLOP floor of a run is its matrix-product FLOPs over the machine's float32 GEMM rate:
  per training sample, forward sum(2 a b) + backward sum(2 a b) [weight gradients] +
  sum(2 a b over layers 2..) [input gradients; the first layer's is not needed],
  per validation sample, forward sum(2 a b); (a, b) = (inputs, units) of each of the
  model's dense layers (the trainer's padding units not counted), times the epochs.
  Biases, activations, softmax and Adam count nothing: they are overhead.
The GEMM rate is a 1024 x 1024 x 1024 float32 product on one thread (numpy's OpenBLAS, as
the trainer uses it), best of many, re-measured before every token, in CPU time (and in wall
time for the wall-clock figures); the best rate seen in the run is used (the same best-of as
the timings, and the strictest floor).

Prints: the time ratio ours/torch (goal <= 0.5), the mean held-out accuracy difference (goal:
within 1 point), and our epoch time over the FLOP floor (goal <= 3x). Exits 1 if torch is
missing. `--shapes` prints instead the first layer's GEMM times per width (why
artgen.training.network pads that layer to a multiple of 4 units and picks its product's form).
`--paths` prints instead how far the first layer's kernel paths (avx2, portable, blas) take the
same trainings apart: the default model's recipe and tokens 0-15, each trained on every path
this machine runs, compared with the first path by their weights, their class probabilities
and their held-out predictions (README, Determinism).

Run: .venv/bin/python bench/train.py   (torch is a bench-only extra: pip install torch==2.13.0)
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from goals import finish, goal  # noqa: E402

SEED, TOKENS = 1, range(10)
REPEATS = 5  # best-of for timings: this machine is shared


class Clocks:
    """A clock for `train`: returns thread CPU time and records the wall time of each reading."""

    def __init__(self):
        self.wall: list[float] = []

    def __call__(self) -> float:
        self.wall.append(time.perf_counter())
        return time.thread_time()

    def wall_seconds(self) -> float:
        """Wall time between the start and end readings of every epoch."""
        return sum(end - begin for begin, end in zip(self.wall[::2], self.wall[1::2], strict=True))


def gemm_rate(m: int, k: int, n: int, repeat: float = 0.5) -> tuple[float, float]:
    """Float32 FLOP/s of (m, k) @ (k, n) on one thread: best in (CPU time, wall time)."""
    from artgen.training import blas_threads

    rng = np.random.default_rng(0)
    a = rng.random((m, k), dtype=np.float32)
    b = rng.random((k, n), dtype=np.float32)
    out = np.empty((m, n), np.float32)
    cpu = wall = float("inf")
    with blas_threads(1):
        np.matmul(a, b, out=out)
        deadline = time.perf_counter() + repeat
        while time.perf_counter() < deadline:
            t, c = time.perf_counter(), time.thread_time()
            np.matmul(a, b, out=out)
            cpu, wall = min(cpu, time.thread_time() - c), min(wall, time.perf_counter() - t)
    return 2.0 * m * k * n / cpu, 2.0 * m * k * n / wall


def epoch_flops(sizes: tuple[int, ...], n_train: int, n_val: int) -> float:
    """Forward + backward FLOPs of one epoch: the matrix products, no first-layer input grad."""
    pairs = list(zip(sizes[:-1], sizes[1:], strict=True))
    forward = sum(2 * a * b for a, b in pairs)
    backward = sum(2 * a * b for a, b in pairs) + sum(2 * a * b for a, b in pairs[1:])
    return n_train * (forward + backward) + n_val * forward


def torch_twin(torch, config, plan, x_train, y_train, x_val, y_val) -> tuple[float, float, float]:
    """Train the twin; returns (CPU seconds, wall seconds, final validation accuracy)."""
    act = {
        "ReLU": torch.nn.ReLU,
        "LeakyReLU": lambda: torch.nn.LeakyReLU(0.2),
        "tanh": torch.nn.Tanh,
        "Sigmoid": torch.nn.Sigmoid,
    }[config.activation]
    layers = []
    for i, (kernel, bias) in enumerate(plan.initial_weights):
        linear = torch.nn.Linear(*kernel.shape)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(kernel.T.copy()))
            linear.bias.copy_(torch.from_numpy(bias))
        layers.append(linear)
        if i < len(plan.initial_weights) - 1:
            layers.append(act())
    net = torch.nn.Sequential(*layers)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)
    xt, yt = torch.from_numpy(x_train), torch.from_numpy(y_train)
    xv, yv = torch.from_numpy(x_val), torch.from_numpy(y_val)
    cpu, wall, batch = 0.0, 0.0, config.batch_size
    for order in plan.orders:
        began, began_cpu = time.perf_counter(), time.thread_time()
        idx = torch.from_numpy(order)
        ex, ey = xt.index_select(0, idx), yt.index_select(0, idx)
        for at in range(0, len(order), batch):
            loss = torch.nn.functional.cross_entropy(net(ex[at : at + batch]), ey[at : at + batch])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
        with torch.no_grad():
            val_acc = float((net(xv).argmax(1) == yv).float().mean())
        cpu += time.thread_time() - began_cpu
        wall += time.perf_counter() - began
    return cpu, wall, val_acc


def _first_layer_cases(x: np.ndarray, n: int, rng: np.random.Generator) -> list:
    batch, inputs = x.shape
    kernel = rng.random((n, inputs), dtype=np.float32)
    delta = rng.random((n, batch), dtype=np.float32)
    wide, tall, grad = (np.empty(s, np.float32) for s in ((batch, n), (n, batch), (n, inputs)))
    return [
        lambda: np.dot(x, kernel.T, out=wide),
        lambda: np.dot(kernel, x.T, out=tall),
        lambda: np.dot(delta, x, out=grad),
    ]


def shapes(batch: int = 64, inputs: int = 3072, widths=range(4, 25)) -> None:
    """Print the first layer's forward and weight-gradient GEMM times per width (best of many)."""
    from artgen.training import blas_threads

    rng = np.random.default_rng(0)
    x = rng.random((batch, inputs), dtype=np.float32)
    print(f"first-layer GEMMs, batch {batch} x {inputs} inputs, one thread, best of 100 (us):")
    print(f"{'units':>5} {'x @ K.T':>8} {'K @ x.T':>8} {'D @ x':>8}")
    with blas_threads(1):
        for n in widths:
            cases = _first_layer_cases(x, n, rng)
            best = [float("inf")] * len(cases)
            for _ in range(100):
                for i, case in enumerate(cases):
                    t = time.perf_counter()
                    case()
                    best[i] = min(best[i], time.perf_counter() - t)
            print(f"{n:>5} " + " ".join(f"{b * 1e6:>8.0f}" for b in best))


def paths(tokens=range(16)) -> None:
    """How far apart the kernel paths' models of the same trainings end up."""
    from artgen.datasets import default_dataset, holdout_split
    from artgen.model import forward
    from artgen.training import DEFAULT_MODEL_CONFIG, DEFAULT_MODEL_SEED, train, traits_config
    from artgen.training.kernels import KERNELS_VARIABLE, available_kernel_paths
    from artgen.traits import sample_traits

    data = default_dataset()
    held = data.images[holdout_split(len(data))[1]]
    runs = [("default", DEFAULT_MODEL_CONFIG, DEFAULT_MODEL_SEED, 0)]
    runs += [(f"token {t}", traits_config(sample_traits(SEED, t)), SEED, t) for t in tokens]
    first, *others = available_kernel_paths()
    print(f"each path against {first} on {len(held)} held-out images")
    print(f"{'run':>8} {'activation':<10} {'layers':>6} {'ep':>3} {'path':<9} "
          f"{'max |dw|':>9} {'max |dp|':>9} {'changed':>7} {'accuracy':>17}")  # fmt: skip
    for name, config, seed, token in runs:
        results = {}
        for path in (first, *others):
            os.environ[KERNELS_VARIABLE] = path
            results[path] = train(config, data, seed=seed, token=token)
        base = results[first]
        reference = forward(base.model, held)
        for path in others:
            model = results[path].model
            dw = max(
                max(np.abs(a.kernel - b.kernel).max(), np.abs(a.bias - b.bias).max())
                for a, b in zip(base.model.dense, model.dense, strict=True)
            )
            p = forward(model, held)
            changed = int(np.sum(p.argmax(axis=1) != reference.argmax(axis=1)))
            accuracy = f"{base.val_accuracy:.4f} / {results[path].val_accuracy:.4f}"
            print(f"{name:>8} {config.activation:<10} {len(config.hidden_sizes):>6} "
                  f"{config.epochs:>3} {path:<9} {dw:>9.1e} {np.abs(p - reference).max():>9.1e} "
                  f"{changed:>7} {accuracy:>17}")  # fmt: skip
    del os.environ[KERNELS_VARIABLE]


def main(argv: list[str]) -> int:
    if "--shapes" in argv:
        shapes()
        return 0
    if "--paths" in argv:
        paths()
        return 0
    try:
        import torch
    except ImportError:
        print(
            "bench/train: torch is not importable; install the bench extra: "
            ".venv/bin/pip install torch==2.13.0",
            file=sys.stderr,
        )
        return 1
    from artgen.datasets import default_dataset, holdout_split
    from artgen.training import rescale, train, training_plan, traits_config
    from artgen.traits import sample_traits

    torch.set_num_threads(1)
    t = time.perf_counter()
    data = default_dataset()
    print(f"default dataset: {len(data)} images in {time.perf_counter() - t:.2f} s (cached)")
    print(f"timings: best of {REPEATS} runs each, ours and torch alternating; seconds are CPU time")
    train_idx, val_idx = holdout_split(len(data))
    x = rescale(data.images)
    x_train, y_train = x[train_idx], data.labels[train_idx]
    x_val, y_val = x[val_idx], data.labels[val_idx]
    accs, flop_total, thin_total, peak, peak_wall = [], 0.0, 0.0, 0.0, 0.0
    totals = {"ours": 0.0, "torch": 0.0, "ours wall": 0.0, "torch wall": 0.0}
    head = ("token", "hidden", "act", "ep", "ours s", "torch s", "ratio", "ours acc", "torch acc")
    print("{:>5} {:<34} {:<9} {:>2} {:>7} {:>7} {:>5} {:>8} {:>9} {:>7}".format(*head, "floor x"))
    for token in TOKENS:
        rate, rate_wall = gemm_rate(1024, 1024, 1024)
        peak, peak_wall = max(peak, rate), max(peak_wall, rate_wall)
        config = traits_config(sample_traits(SEED, token))
        plan = training_plan(config, x.shape[1], len(data.class_names), len(train_idx), SEED, token)
        runs, twins = [], []
        for _ in range(REPEATS):
            clocks = Clocks()
            result = train(config, data, seed=SEED, token=token, clock=clocks)
            runs.append((sum(h.seconds for h in result.history), clocks.wall_seconds(), result))
            twins.append(torch_twin(torch, config, plan, x_train, y_train, x_val, y_val))
        ours, theirs = min(r[0] for r in runs), min(t[0] for t in twins)
        totals["ours"] += ours
        totals["torch"] += theirs
        totals["ours wall"] += min(r[1] for r in runs)
        totals["torch wall"] += min(t[1] for t in twins)
        ours_acc, torch_acc = runs[0][2].val_accuracy, twins[0][2]
        sizes = (x.shape[1], *config.hidden_sizes, len(data.class_names))
        flops = epoch_flops(sizes, len(train_idx), len(val_idx)) * config.epochs
        thin, _ = gemm_rate(config.batch_size, x.shape[1], config.hidden_sizes[0], repeat=0.1)
        flop_total, thin_total = flop_total + flops, thin_total + flops / thin
        accs.append((ours_acc, torch_acc))
        row = (token, str(list(config.hidden_sizes)), config.activation, config.epochs)
        print(
            "{:>5} {:<34} {:<9} {:>2} ".format(*row)
            + f"{ours:>7.3f} {theirs:>7.3f} {ours / theirs:>5.2f} "
            + f"{ours_acc:>8.4f} {torch_acc:>9.4f} "
            + f"{ours / (flops / peak):>7.1f}",
            flush=True,
        )
    diff = np.array([a - b for a, b in accs]) * 100
    floor, floor_wall = flop_total / peak, flop_total / peak_wall
    ours, ours_wall = totals["ours"], totals["ours wall"]
    print()
    print(
        f"time ours/torch: {ours / totals['torch']:.2f} (CPU time: ours {ours:.2f} s, torch "
        f"{totals['torch']:.2f} s; wall clock {ours_wall / totals['torch wall']:.2f}; goal <= 0.5)"
    )
    print(
        f"held-out accuracy ours - torch: mean {diff.mean():+.2f} points, "
        f"mean |diff| {np.abs(diff).mean():.2f}, max |diff| {np.abs(diff).max():.2f} "
        "(goal: mean within 1 point)"
    )
    print(
        f"epoch time / FLOP floor: {ours / floor:.2f}x (CPU time {ours:.2f} s; floor "
        f"{flop_total / 1e9:.1f} GFLOP at {peak / 1e9:.1f} GFLOP/s = {floor:.2f} s; goal <= 3x)"
    )
    goal("training time ours / torch (CPU)", ours / totals["torch"], at_most=0.5, unit="x")
    goal("held-out accuracy ours - torch, |mean|", abs(diff.mean()), at_most=1.0, unit=" points")
    goal("training epoch time / FLOP floor", ours / floor, at_most=3.0, unit="x")
    print(
        f"  wall clock: {ours_wall / floor_wall:.2f}x ({ours_wall:.2f} s; GEMM rate "
        f"{peak_wall / 1e9:.1f} GFLOP/s); the per-token floor x above uses the best CPU-time "
        "rate so far; against the rate of each first layer's own thin GEMM shape: "
        f"{ours / thin_total:.2f}x"
    )
    return finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
