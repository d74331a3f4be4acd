"""Inscription cost: what a collection puts on chain and pays, in three formats.

A 100-token sample of the original's collection (580 tokens: the packaged dataset at its
defaults, 32x32 inputs, the HTML art; tokens 0-99 are the same in a collection of any size
with weighted rarity) is minted three times by the real minter, with its parent:
- (a) today's format: float32 models, batches for `ord wallet batch` (the baseline);
- (b) the same files, batches for `ord wallet batch --compress` (re-minted with --force: every
  token is kept, only the batches change);
- (c) int8 models (`[ord] model_encoding = "int8"`) with --compress.
Per token: bytes on chain (each inscription's content as ord stores it, brotli when smaller,
shared inscriptions shared out) and vbytes (every batch's reveal and commit); total sats at 10
sat/vB with postage for the sample, and scaled to 580 tokens (x 5.8). Goals: (b) <= 0.75x
(a) and (c) <= 0.35x (a), on vbytes and on sats. For the compact encoding, held-out accuracy
(the collection's validation images) of each token's int8 model against its trained float32
model: goals mean |delta| <= 0.3 points, max <= 1 point; float16 is shown for comparison.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path

from goals import finish, goal

HERE = Path(__file__).resolve().parent
OUT = HERE / "out" / "inscribe"
SAMPLE, COLLECTION = 100, 580
CONFIG = """
[collection]
name = "Bench Perceptrons"
size = {size}
seed = 1
[render]
sizes = [256]
formats = ["png", "html"]
[ord]
fee_rate = 10.0
{extra}
"""
FORMATS = {
    "a": ("today's format", ""),
    "b": ("--compress", "compress = true"),
    "c": ("int8 + --compress", 'compress = true\nmodel_encoding = "int8"'),
}
GOALS = {"b": 0.75, "c": 0.35}


def mint(name: str, root: Path, force: bool = False) -> tuple[Path, float]:
    from collection.mint import mint_collection

    config = OUT / f"{name}.toml"
    config.write_text(CONFIG.format(size=SAMPLE, extra=FORMATS[name][1]), encoding="utf-8")
    start = time.perf_counter()
    mint_collection(root, config=config, workers=2, force=force, progress=False)
    return root, time.perf_counter() - start


def costs(root: Path) -> dict:
    report = json.loads((root / "ord/batches.json").read_text())
    files = [f for b in report["batches"] for f in b["files"]]
    total = report["pending"]
    return {
        "bytes": sum(f["bytes"] for f in files),
        "chain_bytes": sum(f["chain_bytes"] for f in files),
        "vbytes": total["vbytes"],
        "sats": total["total_sats"],
        "batches": len(report["batches"]),
        "inscriptions": total["inscriptions"],
        "kinds": report["kinds"],
    }


def accuracy_changes(root: Path) -> tuple[list[float], list[float]]:
    """(int8 - float32, float16 - float32) held-out accuracy per token, in points."""
    from artgen.model import dumps_model, loads_model
    from collection.config import load_config
    from collection.mint.token import holdout_accuracy

    config = load_config(root / "collection.toml")
    int8, half = [], []
    for token in range(SAMPLE):
        record = json.loads((root / f".artgen/tokens/{token}.json").read_text())
        trained = record["model"]["trained_val_accuracy"]
        int8.append(round(100 * (record["model"]["val_accuracy"] - trained), 4))
        model = loads_model((root / f"models/{token}.json").read_bytes())
        # float16 of the trained weights: the float32 model of (a) has the same weights
        original = loads_model((OUT / "a" / f"models/{token}.json").read_bytes())
        half_model = loads_model(dumps_model(original, "float16"))
        half.append(round(100 * (holdout_accuracy(config.dataset, half_model) - trained), 4))
        assert model.name == original.name
    return int8, half


def main() -> int:
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    os.environ.setdefault("ARTGEN_CACHE", str(OUT / "cache"))
    seconds = {}
    _, seconds["a"] = mint("a", OUT / "a")
    shutil.copytree(OUT / "a", OUT / "b")
    _, seconds["b"] = mint("b", OUT / "b", force=True)
    _, seconds["c"] = mint("c", OUT / "c")
    figures = {name: costs(OUT / name) for name in FORMATS}
    base = figures["a"]
    scale = COLLECTION / SAMPLE
    print(
        f"{SAMPLE}-token sample of the {COLLECTION}-token collection (32x32 models, HTML art, "
        f"a parent cover); 10 sat/vB, postage 10,000 sats; totals scaled x {scale:g}"
    )
    print(
        f"{'':22} {'bytes/token':>12} {'on chain/token':>15} {'vB/token':>10} "
        f"{'sats, sample':>14} {'sats, 580 tokens':>17} {'BTC':>8}  ratio (vB, sats)"
    )
    for name, (label, _) in FORMATS.items():
        f = figures[name]
        sats = f["sats"] * scale
        ratios = (f["vbytes"] / base["vbytes"], f["sats"] / base["sats"])
        print(
            f"({name}) {label:<18} {f['bytes'] / SAMPLE:>12,.0f} "
            f"{f['chain_bytes'] / SAMPLE:>15,.0f} {f['vbytes'] / SAMPLE:>10,.0f} "
            f"{f['sats']:>14,} {sats:>17,.0f} {sats / 1e8:>8.4f}"
            f"  {ratios[0]:.3f}x, {ratios[1]:.3f}x"
            + (f" (goal <= {GOALS[name]}x)" if name in GOALS else " (baseline)")
        )
        if name in GOALS:
            goal(f"({name}) {label}: vB and sats / (a)", max(ratios), at_most=GOALS[name], unit="x")
    models = {n: figures[n]["kinds"]["model"] for n in FORMATS}
    print(
        "models alone, on chain: "
        + ", ".join(
            f"({n}) {m['chain_bytes'] / models['a']['chain_bytes']:.3f}x" for n, m in models.items()
        )
        + f" of (a)'s {models['a']['chain_bytes'] / SAMPLE:,.0f} bytes a token; batches "
        + ", ".join(f"({n}) {figures[n]['batches']}" for n in FORMATS)
    )
    int8, half = accuracy_changes(OUT / "c")
    mean8, max8 = sum(map(abs, int8)) / len(int8), max(map(abs, int8))
    mean16, max16 = sum(map(abs, half)) / len(half), max(map(abs, half))
    print(
        f"held-out accuracy, int8 against the trained float32 model over {SAMPLE} tokens: mean "
        f"|delta| {mean8:.3f} points (goal <= 0.3), max {max8:.2f} (goal <= 1), mean delta "
        f"{sum(int8) / len(int8):+.3f}; float16: mean |delta| {mean16:.3f}, max {max16:.2f}"
    )
    goal("int8 models: held-out accuracy, mean |delta|", mean8, at_most=0.3, unit=" points")
    goal("int8 models: held-out accuracy, max |delta|", max8, at_most=1.0, unit=" points")
    print(
        "mint time: "
        + ", ".join(f"({n}) {s:.1f} s" for n, s in seconds.items())
        + " ((b) keeps every token of (a) and writes its collection files again; compressing"
        + " each model once at ord's quality 11 is most of its time)"
    )
    return finish()


if __name__ == "__main__":
    sys.exit(main())
