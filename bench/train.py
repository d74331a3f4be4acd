"""Benchmark the numpy trainer against a PyTorch CPU twin, and against the FLOP floor.

For 10 sampled token architectures (collection seed 1, tokens 0-9) on the default dataset,
both trainers start from the same Glorot-uniform weights, see the same batches in the same
order (batch 64, the same per-epoch shuffles), use Adam with lr 1e-3, betas (0.9, 0.999) and
eps 1e-7 (torch.optim.Adam adds eps after bias correction, Keras before: a difference of
~1e-7 in the denominator) and the same epochs. Both run on one thread (ours pins OpenBLAS to
one; torch.set_num_threads(1)). The timed part of an epoch is the shuffle, the batches and the
validation pass.

Prints: the time ratio ours/torch (goal <= 0.5), the mean held-out accuracy difference (goal:
within 1 point), and our epoch time over the FLOP floor, i.e. forward+backward FLOPs divided
by the float32 GEMM rate measured in this run (goal <= 3x). Exits 1 if torch is missing.

Run: .venv/bin/python bench/train.py   (torch is a bench-only extra: pip install torch==2.13.0)
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

SEED, TOKENS = 1, range(10)
REPEATS = 2  # best-of for timings


def gemm_rate(m: int, k: int, n: int, repeat: float = 0.5) -> float:
    """Float32 FLOP/s of (m, k) @ (k, n) on one thread, best of a few timed runs."""
    from artgen.adam import blas_threads

    rng = np.random.default_rng(0)
    a = rng.random((m, k), dtype=np.float32)
    b = rng.random((k, n), dtype=np.float32)
    out = np.empty((m, n), np.float32)
    best = float("inf")
    with blas_threads(1):
        np.matmul(a, b, out=out)
        deadline = time.perf_counter() + repeat
        while time.perf_counter() < deadline:
            t = time.perf_counter()
            for _ in range(5):
                np.matmul(a, b, out=out)
            best = min(best, (time.perf_counter() - t) / 5)
    return 2.0 * m * k * n / best


def epoch_flops(sizes: tuple[int, ...], n_train: int, n_val: int) -> float:
    """Forward + backward FLOPs of one epoch (the matrix products; no input gradient)."""
    pairs = list(zip(sizes[:-1], sizes[1:], strict=True))
    forward = sum(2 * a * b for a, b in pairs)
    backward = sum(2 * a * b for a, b in pairs) + sum(2 * a * b for a, b in pairs[1:])
    return n_train * (forward + backward) + n_val * forward


def torch_twin(torch, config, plan, x_train, y_train, x_val, y_val) -> tuple[list[float], float]:
    """Train the twin; returns (seconds per epoch, final validation accuracy)."""
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
    times, batch = [], config.batch_size
    for order in plan.orders:
        began = time.perf_counter()
        idx = torch.from_numpy(order)
        ex, ey = xt.index_select(0, idx), yt.index_select(0, idx)
        for at in range(0, len(order), batch):
            loss = torch.nn.functional.cross_entropy(net(ex[at : at + batch]), ey[at : at + batch])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
        with torch.no_grad():
            val_acc = float((net(xv).argmax(1) == yv).float().mean())
        times.append(time.perf_counter() - began)
    return times, val_acc


def main() -> int:
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
    from artgen.train_config import token_config
    from artgen.training import rescale, train, training_plan

    torch.set_num_threads(1)
    t = time.perf_counter()
    data = default_dataset()
    print(f"default dataset: {len(data)} images in {time.perf_counter() - t:.2f} s (cached)")
    peak = gemm_rate(1024, 1024, 1024)
    print(f"float32 GEMM rate, one thread, 1024^3: {peak / 1e9:.1f} GFLOP/s")
    print(f"timings: best of {REPEATS} runs each (this machine is shared)")
    train_idx, val_idx = holdout_split(len(data))
    x = rescale(data.images)
    x_train, y_train = x[train_idx], data.labels[train_idx]
    x_val, y_val = x[val_idx], data.labels[val_idx]
    accs, ours_total, torch_total, flop_total, thin_total = [], 0.0, 0.0, 0.0, 0.0
    head = ("token", "hidden", "act", "ep", "ours s", "torch s", "ratio", "ours acc", "torch acc")
    print("{:>5} {:<34} {:<9} {:>2} {:>7} {:>7} {:>5} {:>8} {:>9} {:>7}".format(*head, "floor x"))
    for token in TOKENS:
        config = token_config(SEED, token)
        runs = [train(config, data, seed=SEED, token=token) for _ in range(REPEATS)]
        ours = min(sum(h.seconds for h in r.history) for r in runs)
        plan = training_plan(config, x.shape[1], len(data.class_names), len(train_idx), SEED, token)
        twins = [
            torch_twin(torch, config, plan, x_train, y_train, x_val, y_val) for _ in range(REPEATS)
        ]
        theirs = min(sum(times) for times, _ in twins)
        ours_acc, torch_acc = runs[0].val_accuracy, twins[0][1]
        sizes = (x.shape[1], *config.hidden_sizes, len(data.class_names))
        flops = epoch_flops(sizes, len(train_idx), len(val_idx)) * config.epochs
        thin = gemm_rate(config.batch_size, x.shape[1], config.hidden_sizes[0], repeat=0.1)
        ours_total, torch_total = ours_total + ours, torch_total + theirs
        flop_total, thin_total = flop_total + flops, thin_total + flops / thin
        accs.append((ours_acc, torch_acc))
        row = (token, str(list(config.hidden_sizes)), config.activation, config.epochs)
        print(
            "{:>5} {:<34} {:<9} {:>2} ".format(*row)
            + f"{ours:>7.3f} {theirs:>7.3f} {ours / theirs:>5.2f} "
            + f"{ours_acc:>8.4f} {torch_acc:>9.4f} "
            + f"{ours / (flops / peak):>7.1f}"
        )
    diff = np.array([a - b for a, b in accs]) * 100
    floor = flop_total / peak
    print()
    print(
        f"time ours/torch: {ours_total / torch_total:.2f} "
        f"(ours {ours_total:.2f} s, torch {torch_total:.2f} s; goal <= 0.5)"
    )
    print(
        f"held-out accuracy ours - torch: mean {diff.mean():+.2f} points, "
        f"mean |diff| {np.abs(diff).mean():.2f}, max |diff| {np.abs(diff).max():.2f} "
        "(goal: mean within 1 point)"
    )
    print(
        f"epoch time / FLOP floor: {ours_total / floor:.2f}x ({flop_total / 1e9:.1f} GFLOP "
        f"at {peak / 1e9:.1f} GFLOP/s = {floor:.2f} s; goal <= 3x)"
    )
    print(
        "  against the measured rate of each first layer's own thin GEMM shape: "
        f"{ours_total / thin_total:.2f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
