"""What a collection keeps across CPUs (README, Determinism): minted once as this machine does
and once as a CPU without AVX, AVX2, FMA or AVX-512 would (numpy, OpenBLAS, glibc and pixman
told to use their baseline code, the trainer on its portable loops), every file that does not
depend on trained weights is byte-identical, and the models differ at most in their weights."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from artgen.training.kernels import KERNELS_VARIABLE
from collection.mint import mint_collection

CONFIG = """
[collection]
name = "CPU Perceptrons"
size = 4
seed = 5
[dataset]
image_size = [12, 12]
per_class = 40
[render]
sizes = [256]
formats = ["png", "svg", "pdf", "gif", "html"]
thumbnail_size = 64
fps = 5
seconds = 1
"""

#: Files that name a token's model by its content hash, or hold it.
MODEL_FILES = ("models/", "art/", "inscriptions.json", "meta.json", "ord/", "manifest.json")
MODEL_FILES += ("report/data/tokens-", "report/.site-cache")  # the report's curves and answers
#: Metadata fields about the model: its hash and accuracy, and the inscription ids.
MODEL_FIELDS = ("model", "inscriptions")

#: Prints a digest of a training plan (initial weights, epoch orders, augmentation draws),
#: then the bundled model's class probabilities for a few images.
MEASURES = """
import hashlib, json
from artgen.datasets import procedural
from artgen.model import forward, load_model
from artgen.training import DEFAULT_MODEL, TrainConfig, training_plan
plan = training_plan(TrainConfig((13, 9), epochs=3), 432, 4, 200, seed=5, token=2)
digest = hashlib.sha256()
for kernel, bias in plan.initial_weights:
    digest.update(kernel.tobytes() + bias.tobytes())
for order in plan.orders:
    digest.update(order.tobytes())
digest.update(plan.augment_stream.random(64).tobytes())
print(digest.hexdigest())
images = procedural.generate(seed=3, per_class=5)[0]
print(json.dumps(forward(load_model(DEFAULT_MODEL), images).tolist()))
"""


def baseline_cpu() -> dict[str, str]:
    """Environment variables under which this machine computes as an x86-64 CPU without AVX."""
    from numpy._core._multiarray_umath import __cpu_dispatch__

    return {
        "NPY_DISABLE_CPU_FEATURES": " ".join(__cpu_dispatch__),  # numpy's baseline loops
        "OPENBLAS_CORETYPE": "Nehalem",  # OpenBLAS's SSE4.2 kernels
        "GLIBC_TUNABLES": "glibc.cpu.hwcaps=-AVX,-AVX2,-FMA,-AVX512F",  # libm's baseline code
        "PIXMAN_DISABLE": "mmx sse2 ssse3 avx2",  # Cairo's compositing in plain C
        KERNELS_VARIABLE: "portable",
    }


def files(root) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".artgen" not in p.parts
    }


@pytest.fixture(scope="module")
def two_cpus(tmp_path_factory):
    """The collection minted here and, in another process, as a baseline x86-64 CPU would; and
    the last two lines that process printed (MEASURES)."""
    folder = tmp_path_factory.mktemp("cpus")
    config = folder / "cpu.toml"
    config.write_text(CONFIG, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ARTGEN_CACHE", str(folder / "cache-here"))
        mp.setenv(KERNELS_VARIABLE, "avx2")
        here = mint_collection(folder / "here", config=config, workers=1, progress=False).root
    code = (
        "import sys; from collection.mint import mint_collection; "
        "mint_collection(sys.argv[1], config=sys.argv[2], workers=1, progress=False)" + MEASURES
    )
    env = {**os.environ, "ARTGEN_CACHE": str(folder / "cache-there"), **baseline_cpu()}
    there = folder / "there"
    done = subprocess.run(
        [sys.executable, "-c", code, str(there), str(config)], env=env, capture_output=True
    )
    assert done.returncode == 0, done.stderr.decode()
    lines = done.stdout.decode().splitlines()
    assert "pixman: Disabled sse2 implementation" in lines  # pixman says it took the variable
    return here, there, lines[-2:]


def test_everything_but_the_models_is_byte_identical_across_cpus(two_cpus, capsys):
    here, there = (files(root) for root in two_cpus[:2])
    assert here.keys() == there.keys()
    stills = [p for p in here if p.startswith(("images/", "thumbnails/", "previews/"))]
    assert len(stills) == 4 * 5 and "art/engine.js" in here and "contact-sheet.png" in here
    for path in here:
        if path.startswith("metadata/"):
            a, b = json.loads(here[path]), json.loads(there[path])
            for field in MODEL_FIELDS:
                a.pop(field), b.pop(field)
            assert a == b, path  # traits, stage, provenance
        elif not path.startswith(MODEL_FILES) or path == "art/engine.js":
            assert here[path] == there[path], path  # stills, previews, contact sheet, config
    exec(MEASURES, {})
    plan, probabilities = capsys.readouterr().out.splitlines()
    assert plan == two_cpus[2][0]  # the training plan
    drift = np.abs(np.array(json.loads(probabilities)) - json.loads(two_cpus[2][1])).max()
    assert drift <= 1e-12  # a model's forward pass (float64 BLAS), not bit for bit


def test_the_models_differ_at_most_in_their_weights_across_cpus(two_cpus):
    here, there, _ = two_cpus
    for token in range(4):
        a, b = (json.loads((root / f"models/{token}.json").read_text()) for root in (here, there))
        assert len(a.pop("weight_b64")) == len(b.pop("weight_b64"))
        assert a == b  # name, layers, training traits, classes
    records = [json.loads((root / ".artgen/tokens/0.json").read_text()) for root in two_cpus[:2]]
    assert records[0]["model"]["dataset_fingerprint"] == records[1]["model"]["dataset_fingerprint"]
