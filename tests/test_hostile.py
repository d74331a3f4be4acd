"""artgen as a hostile but realistic user meets it: one row per case, every command.

Each row is a command with hostile input (a bomb, a FIFO, a device, NaN, a redirecting or
trickling server, a read-only or full disk, a damaged collection, ...), the exit code it must
end with and the words its one-line error must say. Every case runs as a real process would
(tests/hostile_runner.py forks it with its own stdin, stdout and stderr) under a memory
limit and a deadline, all cases in one batch, a few at a time. Each case checks: no
traceback, the exit code, the message, the memory bound, the time bound, and that nothing
was left behind (its folder unchanged, no temporary file, nothing written to a full disk).
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shutil
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest
from hostile_files import (
    char_device,
    deep_json,
    fifo,
    png_bomb,
    slow_headers,
    sparse,
    trickled_body,
    with_duplicate,
    zip_bomb,
)
from hostile_harness import Case, run_batch
from mint_configs import tiny_config
from PIL import Image
from test_serve_guard import fetch

from artgen import limits
from artgen.inscription.build import placeholder_id
from artgen.model import build_model, dumps_model

SECRET = "hunter2-secret"
GIB = 1 << 30


# ---- inputs ----------------------------------------------------------------------------------


def small_model_text(side: int = 8) -> str:
    rng = np.random.default_rng(0)
    weights = [
        (rng.normal(size=(side * side * 3, 4)).astype(np.float32), np.zeros(4, np.float32)),
        (rng.normal(size=(4, 2)).astype(np.float32), np.zeros(2, np.float32)),
    ]
    traits = {"structure_gen": "Random", "n_layers": 1, "max_nodes": 4,
              "activation_func": "ReLU", "epoch_num": 4}  # fmt: skip
    model = build_model("tiny", (side, side), (4,), "ReLU", ["cats", "dogs"], weights, traits)
    return dumps_model(model)


MODEL = small_model_text()
CONFIG = tiny_config("Hostile", size=2, seed=5)
TRAINER = {"model_name": "x", "input_dim": [8, 8], "structure": [4], "activation_name": "ReLU",
           "val_percent": 20, "batch_size": 8, "epoch_num": 2,
           "data_augmentation_config": None}  # fmt: skip
BLOCK = {"time": 1732600000, "height": 871234, "avgfeerate": 21}


def write(name: str, data: str | bytes):
    """Write `data` (text with {port} fields of the servers: filled in now) to {d}/name."""

    def setup(d: Path) -> None:
        path = d / name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = data.format(**PORTS) if isinstance(data, str) and "_port}" in data else data
        path.write_bytes(text.encode() if isinstance(text, str) else text)

    return setup


def steps(*setups):
    def setup(d: Path) -> None:
        for one in setups:
            one(d)

    return setup


def at(name: str, make):
    return lambda d: make(d / name)


def image(name: str, fmt: str = "PNG", size=(8, 8)):
    def setup(d: Path) -> None:
        Image.new("RGB", size, (200, 30, 30)).save(d / name, format=fmt)

    return setup


def config(extra: str = "", base: str = CONFIG, name: str = "c.toml"):
    return write(name, base + "\n" + extra)


def table(name: str, body: str) -> str:
    return f'[tables."{name}"]\n{body}\n'


def readonly(folder: str):
    def setup(d: Path) -> None:
        (d / folder).mkdir(exist_ok=True)
        os.chmod(d / folder, 0o555)

    return setup


def folder(name: str):
    return lambda d: (d / name).mkdir(parents=True, exist_ok=True)


def copy_collection(name: str = "coll", damage=None):
    def setup(d: Path) -> None:
        shutil.copytree(ASSETS / "coll", d / name, symlinks=True)
        if damage is not None:
            damage(d / name)

    return setup


def manifest_with(change):
    def damage(root: Path) -> None:
        doc = json.loads((root / "manifest.json").read_text())
        text = change(doc)
        (root / "manifest.json").write_text(text if isinstance(text, str) else json.dumps(doc))

    return damage


def ord_output(ids: int = 1) -> str:
    return json.dumps({"commit": "a" * 64, "inscriptions": [
        {"id": f"{'b' * 64}i{n}", "location": f"{'c' * 64}:0:0"} for n in range(ids)]})  # fmt: skip


def dataset_folder(name: str, broken: str | None = None):
    def setup(d: Path) -> None:
        for label, colour in (("cats", (250, 0, 0)), ("dogs", (0, 0, 250))):
            (d / name / label).mkdir(parents=True)
            for n in range(3):
                target = d / name / label / f"{n}.png"
                if broken == label:
                    fifo(target)
                else:
                    Image.new("RGB", (8, 8), colour).save(target)

    return setup


# ---- clients of `artgen serve` cases: each raises AssertionError on what it should not see --


def served_url(scratch: Path, wait: float = 30) -> str:
    """The address a serve case printed on its stdout (it prints it once it listens), waiting
    for the case to start (its stdout file appears), then at most `wait` seconds."""
    out = scratch / "stdout"
    while not out.exists():
        time.sleep(0.05)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        text = out.read_text()
        if text.endswith("\n"):
            return text.strip()
        time.sleep(0.05)
    raise AssertionError("the server never printed its address")


def closed_within(sock: socket.socket, seconds: float) -> float:
    """Seconds until the server closes `sock` (reading nothing); AssertionError past `seconds`."""
    started = time.monotonic()
    sock.settimeout(seconds)
    try:
        while sock.recv(4096):
            pass
    except TimeoutError:
        raise AssertionError(f"still open after {seconds} s") from None
    except OSError:
        pass
    return time.monotonic() - started


def no_secrets_served(scratch: Path, result: dict) -> None:
    url = served_url(scratch)
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", url), url  # loopback unless told
    index = fetch(url)[1]
    assert b"passwd" not in index and b"leak" not in index, index[:300]
    secret = Path("/etc/passwd").read_bytes()
    for ident in (placeholder_id(secret), "..%2F..%2F..%2Fetc%2Fpasswd"):
        status, body = fetch(f"{url}content/{ident}")
        assert status == 404 and b"root:" not in body, (ident, status)
    status, body = fetch(f"{url}../../../etc/passwd")
    assert status == 404 and b"root:" not in body
    result["ok"] = True


def idle_closed(scratch: Path, result: dict) -> None:
    url = served_url(scratch)
    host, port = url[len("http://") :].rstrip("/").split(":")
    with socket.create_connection((host, int(port))) as sock:
        waited = closed_within(sock, limits.SERVE_REQUEST_SECONDS.high + 5)
    result["waited"] = waited


def half_sent_cut(scratch: Path, result: dict) -> None:
    url = served_url(scratch)
    host, port = url[len("http://") :].rstrip("/").split(":")
    with socket.create_connection((host, int(port))) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\n")
        started = time.monotonic()
        for n in range(60):  # a header line every 0.5 s, for 30 s
            try:
                sock.sendall(f"X-Slow-{n}: 1\r\n".encode())
            except OSError:
                break
            time.sleep(0.5)
        waited = time.monotonic() - started
        assert waited < limits.SERVE_REQUEST_SECONDS.high + 5, f"still open after {waited} s"


def bounded_connections(scratch: Path, result: dict) -> None:
    url = served_url(scratch)
    host, port = url[len("http://") :].rstrip("/").split(":")
    held = [
        socket.create_connection((host, int(port))) for _ in range(limits.SERVE_CONNECTIONS.high)
    ]
    try:
        time.sleep(0.3)
        with socket.create_connection((host, int(port))) as extra:
            extra.settimeout(5)
            assert extra.recv(64).startswith(b"HTTP/1.0 503")
    finally:
        for sock in held:
            sock.close()
    deadline = time.monotonic() + 5
    while fetch(url)[0] != 200:
        assert time.monotonic() < deadline, "slots never came back"
        time.sleep(0.05)


def symlinked(root: Path) -> None:
    (root / "art").mkdir(exist_ok=True)
    os.symlink("/etc/passwd", root / "art" / "leak.html")
    os.symlink("/etc/passwd", root / "models" / "leak.json")
    os.symlink("/etc", root / "leakdir")


# ---- the table -------------------------------------------------------------------------------

TOKEN = ("--seed", "1", "--token", "0")
ANIMATE = ("animate", *TOKEN, "--px", "64", "--fps", "5")
MINT = ("mint", "--config", "{d}/c.toml", "-o", "{d}/out")
AUDIT = ("audit", "--config", "{d}/c.toml", "--size", "50")
TRAIN = ("train", *TOKEN, "-d", "{a}/data", "-o", "{d}/m.json")
CLASSIFY = ("classify", "-m", "{a}/model.json", "--image")
VERIFY = ("verify", "{d}/coll")
INSCRIBED = ("inscribed", "{d}/coll", "{d}/out.json", "--batch", "batch-001")
NOWRITE = ("nowrite",)
SERVE = ("serve", "{d}/coll", "--port", "0")

CASES = [
    # -- resource budgets: work and memory ----------------------------------------------------
    Case(
        "mint-epochs-1e9",
        MINT,
        2,
        ("Training Epochs", "10,000"),
        config(table("Training Epochs", "min = 1\nmax = 1000000000")),
    ),
    Case(
        "audit-epochs-1e9",
        AUDIT,
        2,
        ("Training Epochs", "10,000"),
        config(table("Training Epochs", "min = 1\nmax = 1000000000")),
    ),
    Case(
        "mint-sigmoid-epochs-1e9",
        MINT,
        2,
        ("sigmoid_max", "10,000"),
        config(
            table("Training Epochs", "min = 4\nmax = 6\nsigmoid_min = 8\nsigmoid_max = 10000000")
        ),
    ),
    Case(
        "mint-neurons-1e6",
        MINT,
        2,
        ("Max Neurons Per Hidden Layer", "4096"),
        config(table("Max Neurons Per Hidden Layer", "min = 5\nmax = 1000000")),
    ),
    Case(
        "mint-layers-1000",
        MINT,
        2,
        ("Hidden Layers",),
        config(table("Hidden Layers", "min = 1\nmax = 1000")),
    ),
    Case("mint-size-1e9", (*MINT, "--size", "1000000000"), 2, ("--size", "100000")),
    Case(
        "mint-config-size-1e9",
        MINT,
        2,
        ("collection.size", "100,000"),
        config(base=CONFIG.replace("size = 2\n", "size = 1000000000\n")),
    ),
    Case("audit-size-1e9", ("audit", "--size", "1000000000"), 2, ("--size",)),
    Case("mint-workers-100000", (*MINT, "--workers", "100000"), 2, ("--workers", "256"), config()),
    Case(
        "mint-image-size-100000",
        MINT,
        2,
        ("dataset.image_size", "1024"),
        config(base=CONFIG.replace("image_size = [8, 8]", "image_size = [100000, 100000]")),
    ),
    Case(
        "mint-per-class-1e9",
        MINT,
        2,
        ("dataset.per_class", "2,147,483,648"),
        config(base=CONFIG.replace("per_class = 40", "per_class = 1000000000")),
    ),
    Case(
        "mint-preview-frames",
        MINT,
        2,
        ("render.seconds", "36,000"),
        config(
            base=CONFIG.replace(
                'formats = ["png"]', 'formats = ["png", "mp4"]\nfps = 60\nseconds = 100000'
            )
        ),
    ),
    Case(
        "mint-render-sizes-100000",
        MINT,
        2,
        ("render.sizes", "64 to 4096"),
        config(base=CONFIG.replace("sizes = [256]", "sizes = [100000]")),
    ),
    Case(
        "mint-render-sizes-0",
        MINT,
        2,
        ("render.sizes",),
        config(base=CONFIG.replace("sizes = [256]", "sizes = [0]")),
    ),
    Case(
        "mint-thumbnail-1e9",
        MINT,
        2,
        ("render.thumbnail_size",),
        config(base=CONFIG.replace("thumbnail_size = 64", "thumbnail_size = 1000000000")),
    ),
    Case(
        "mint-gif-fps-7",
        MINT,
        2,
        ("render.fps", "50, 25, 20, 10, 5, 4, 2, 1"),
        config(base=CONFIG.replace('formats = ["png"]', 'formats = ["png", "gif"]\nfps = 7')),
    ),
    Case(
        "mint-fps-1000",
        MINT,
        2,
        ("render.fps", "1 to 60"),
        config(base=CONFIG.replace('formats = ["png"]', 'formats = ["png", "mp4"]\nfps = 1000')),
    ),
    Case(
        "trainer-epochs-1e6",
        ("train", "--trainer-config", "{d}/t.json", "-d", "{a}/data", "-o", "{d}/m.json"),
        2,
        ("epoch_num", "10,000"),
        write("t.json", json.dumps({**TRAINER, "epoch_num": 1000000})),
    ),
    Case(
        "trainer-weights-13g",
        ("train", "--trainer-config", "{d}/t.json", "-d", "{a}/data", "-o", "{d}/m.json"),
        2,
        ("structure", "50,000,000"),
        write("t.json", json.dumps({**TRAINER, "input_dim": [1024, 1024], "structure": [4096]})),
    ),
    Case(
        "trainer-layers-65",
        ("train", "--trainer-config", "{d}/t.json", "-d", "{a}/data", "-o", "{d}/m.json"),
        2,
        ("structure",),
        write("t.json", json.dumps({**TRAINER, "structure": [4] * 65})),
    ),
    Case("animate-seconds-1e9", (*ANIMATE, "--seconds", "1e9", "-o", "{d}/a.gif"), 2, ("36,000",)),
    Case(
        "timelapse-seconds-1e9",
        ("timelapse", *TOKEN, "--px", "64", "--seconds", "1e9", "-o", "{d}/t.gif"),
        2,
        ("36,000",),
    ),
    Case(
        "animate-fps-60-seconds-601",
        ("animate", *TOKEN, "--px", "64", "--fps", "60", "--seconds", "601", "-o", "{d}/a.mp4"),
        2,
        ("36,000",),
    ),
    Case("animate-seconds-tiny", (*ANIMATE, "--seconds", "1e-9", "-o", "{d}/a.gif"), 2, ("frame",)),
    Case(
        "traits-tokens-1e12",
        ("traits", "--seed", "1", "--tokens", "0..1000000000000"),
        2,
        ("100,000",),
    ),
    Case(
        "render-px-100000",
        ("render", *TOKEN, "--px", "100000", "-o", "{d}/x.png"),
        2,
        ("--px", "64"),
    ),
    # -- images from outside ------------------------------------------------------------------
    Case(
        "classify-png-12000",
        (*CLASSIFY, "{d}/big.png"),
        2,
        ("big.png", "pixel count", "144,000,000"),
        at("big.png", lambda p: png_bomb(p, 12000, 12000)),
    ),
    Case(
        "classify-png-100000-header",
        (*CLASSIFY, "{d}/big.png"),
        2,
        ("big.png", "pixel"),
        at("big.png", lambda p: png_bomb(p, 100000, 100000)),
    ),
    Case(
        "classify-card-png-12000",
        (*CLASSIFY, "{d}/big.png", "--card", "{d}/card.png"),
        2,
        ("pixel count",),
        at("big.png", lambda p: png_bomb(p, 12000, 12000)),
    ),
    Case(
        "animate-classify-png-12000",
        (*ANIMATE, "--classify", "{d}/big.png", "-o", "{d}/a.gif"),
        2,
        ("pixel count",),
        at("big.png", lambda p: png_bomb(p, 12000, 12000)),
    ),
    Case(
        "classify-fifo", (*CLASSIFY, "{d}/pipe.png"), 2, ("pipe.png", "FIFO"), at("pipe.png", fifo)
    ),
    Case("classify-dev-zero", (*CLASSIFY, "/dev/zero"), 2, ("/dev/zero", "character device")),
    Case(
        "classify-device-node",
        (*CLASSIFY, "{d}/full.png"),
        2,
        ("character device",),
        at("full.png", char_device),
    ),
    Case("classify-folder", (*CLASSIFY, "{d}"), 2, ()),
    Case(
        "classify-tiff",
        (*CLASSIFY, "{d}/x.tiff"),
        2,
        ("x.tiff", "PNG, JPG, GIF or BMP"),
        image("x.tiff", "TIFF"),
    ),
    Case(
        "classify-tiff-named-png",
        (*CLASSIFY, "{d}/x.png"),
        2,
        ("PNG, JPG, GIF or BMP",),
        image("x.png", "TIFF"),
    ),
    Case(
        "classify-webp",
        (*CLASSIFY, "{d}/x.webp"),
        2,
        ("PNG, JPG, GIF or BMP",),
        image("x.webp", "WEBP"),
    ),
    Case(
        "classify-truncated-png",
        (*CLASSIFY, "{d}/t.png"),
        2,
        ("t.png",),
        write("t.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"),
    ),
    Case("classify-empty-image", (*CLASSIFY, "{d}/e.png"), 2, ("e.png",), write("e.png", b"")),
    Case(
        "classify-sparse-200mb",
        (*CLASSIFY, "{d}/s.png"),
        2,
        ("s.png", "134,217,728"),
        at("s.png", lambda p: sparse(p, 200 << 20)),
    ),
    Case("classify-missing-image", (*CLASSIFY, "{d}/none.png"), 2, ("none.png", "no such file")),
    Case(
        "classify-growth-nan",
        (*CLASSIFY, "{d}/x.png", "--growth", "nan"),
        2,
        ("--growth",),
        image("x.png"),
    ),
    # -- datasets -------------------------------------------------------------------------------
    Case(
        "train-zip-bomb",
        (*TRAIN[:-4], "-d", "{d}/bomb.zip", "-o", "{d}/m.json"),
        2,
        ("bomb.zip", "1,610,612,736"),
        at("bomb.zip", lambda p: zip_bomb(p, "cats/x.png", 1536 << 20, {"dogs/y.png": b"x"})),
    ),
    Case(
        "train-zip-ratio",
        (*TRAIN[:-4], "-d", "{d}/r.zip", "-o", "{d}/m.json"),
        2,
        ("r.zip", "ratio"),
        at("r.zip", lambda p: zip_bomb(p, "cats/x.bmp", 100 << 20, {"dogs/y.png": b"x"})),
    ),
    Case(
        "train-zip-escape",
        (*TRAIN[:-4], "-d", "{d}/e.zip", "-o", "{d}/m.json"),
        2,
        ("escapes",),
        at("e.zip", lambda p: zip_bomb(p, "../../evil.png", 10, {"a/b.png": b"x"})),
    ),
    Case(
        "train-zip-corrupt",
        (*TRAIN[:-4], "-d", "{d}/c.zip", "-o", "{d}/m.json"),
        2,
        ("c.zip", "ZIP"),
        write("c.zip", b"PK\x03\x04 not really a zip"),
    ),
    Case(
        "train-dataset-fifo",
        (*TRAIN[:-4], "-d", "{d}/data.zip", "-o", "{d}/m.json"),
        2,
        ("FIFO",),
        at("data.zip", fifo),
    ),
    Case(
        "train-dataset-dev-zero",
        (*TRAIN[:-4], "-d", "/dev/zero", "-o", "{d}/m.json"),
        2,
        ("character device",),
    ),
    Case(
        "train-dataset-fifo-images",
        (*TRAIN[:-4], "-d", "{d}/data", "-o", "{d}/m.json"),
        2,
        ("without readable images", "dogs"),
        dataset_folder("data", broken="dogs"),
    ),
    Case(
        "train-dataset-missing", (*TRAIN[:-4], "-d", "{d}/nope", "-o", "{d}/m.json"), 2, ("nope",)
    ),
    Case(
        "mint-dataset-zip-bomb",
        MINT,
        2,
        ("bomb.zip", "1,610,612,736"),
        steps(
            at("bomb.zip", lambda p: zip_bomb(p, "cats/x.png", 1536 << 20, {"dogs/y.png": b"x"})),
            config(base=CONFIG.replace("[dataset]", '[dataset]\nsource = "bomb.zip"')),
        ),
    ),
    # -- JSON from outside: models, chain files, trainer configs --------------------------------
    Case(
        "classify-model-duplicate-classes",
        ("classify", "-m", "{d}/m.json", "--image", "{d}/x.png"),
        2,
        ("m.json", "classes_name", "twice"),
        steps(write("m.json", with_duplicate(MODEL, "classes_name")), image("x.png")),
    ),
    Case(
        "classify-model-deep",
        ("classify", "-m", "{d}/m.json", "--image", "{d}/x.png"),
        2,
        ("m.json", "nested"),
        steps(write("m.json", deep_json(100_000)), image("x.png")),
    ),
    Case(
        "classify-model-nan",
        ("classify", "-m", "{d}/m.json", "--image", "{d}/x.png"),
        2,
        ("m.json",),
        steps(write("m.json", MODEL.replace('"epoch_num": 4', '"epoch_num": NaN')), image("x.png")),
    ),
    Case(
        "classify-model-fifo",
        ("classify", "-m", "{d}/m.json", "--image", "{d}/x.png"),
        2,
        ("m.json", "FIFO"),
        steps(at("m.json", fifo), image("x.png")),
    ),
    Case(
        "classify-model-dev-zero",
        ("classify", "-m", "/dev/zero", "--image", "{d}/x.png"),
        2,
        ("character device",),
        image("x.png"),
    ),
    Case(
        "classify-model-sparse-1gb",
        ("classify", "-m", "{d}/m.json", "--image", "{d}/x.png"),
        2,
        ("400,000,000",),
        steps(at("m.json", lambda p: sparse(p, GIB)), image("x.png")),
    ),
    Case(
        "render-model-fifo",
        ("render", *TOKEN, "--px", "64", "-m", "{d}/m.json", "-o", "{d}/x.png"),
        2,
        ("FIFO",),
        at("m.json", fifo),
    ),
    Case(
        "lifecycle-model-duplicate",
        ("lifecycle", *TOKEN, "-m", "{d}/m.json"),
        2,
        ("twice",),
        write("m.json", with_duplicate(MODEL, "layers_config")),
    ),
    Case(
        "intelligence-model-fifo",
        ("intelligence", "-m", "{d}/m.json"),
        2,
        ("FIFO",),
        at("m.json", fifo),
    ),
    Case(
        "trainer-config-fifo",
        ("train", "--trainer-config", "{d}/t.json", "-o", "{d}/m.json"),
        2,
        ("FIFO",),
        at("t.json", fifo),
    ),
    Case(
        "trainer-config-duplicate",
        ("train", "--trainer-config", "{d}/t.json", "-o", "{d}/m.json"),
        2,
        ("epoch_num", "twice"),
        write("t.json", with_duplicate(json.dumps(TRAINER), "epoch_num")),
    ),
    Case(
        "trainer-config-deep",
        ("train", "--trainer-config", "{d}/t.json", "-o", "{d}/m.json"),
        2,
        ("nested",),
        write("t.json", deep_json(100_000)),
    ),
    Case(
        "trainer-config-nan",
        ("train", "--trainer-config", "{d}/t.json", "-o", "{d}/m.json"),
        2,
        ("t.json",),
        write("t.json", json.dumps(TRAINER).replace('"val_percent": 20', '"val_percent": NaN')),
    ),
    Case("chain-file-dev-zero", ("chain", "--chain", "file:/dev/zero"), 2, ("character device",)),
    Case(
        "chain-file-fifo", ("chain", "--chain", "file:{d}/b.json"), 2, ("FIFO",), at("b.json", fifo)
    ),
    Case(
        "chain-file-2mb",
        ("chain", "--chain", "file:{d}/b.json"),
        2,
        ("1,048,576",),
        write("b.json", " " * (2 << 20) + json.dumps(BLOCK)),
    ),
    Case(
        "chain-file-deep",
        ("chain", "--chain", "file:{d}/b.json"),
        2,
        ("b.json", "nested"),
        write("b.json", deep_json(100_000)),
    ),
    Case(
        "chain-file-duplicate",
        ("chain", "--chain", "{d}/b.json"),
        2,
        ("time", "twice"),
        write("b.json", with_duplicate(json.dumps(BLOCK), "time")),
    ),
    Case(
        "chain-file-nan",
        ("chain", "--chain", "{d}/b.json"),
        2,
        ("b.json", "NaN"),
        write("b.json", json.dumps(BLOCK).replace("21", "NaN")),
    ),
    Case("chain-file-missing", ("chain", "--chain", "file:{d}/none.json"), 2, ("none.json",)),
    Case(
        "render-chain-deep",
        ("render", *TOKEN, "--px", "64", "--chain", "{d}/b.json", "-o", "{d}/x.png"),
        2,
        ("nested",),
        write("b.json", deep_json(100_000)),
    ),
    # -- numbers ------------------------------------------------------------------------------
    Case(
        "mint-weights-nan",
        MINT,
        2,
        ("Paper Pattern", "weights", "nan"),
        config(table("Paper Pattern", "weights = [nan, 50, 51]")),
    ),
    Case(
        "audit-weights-nan",
        AUDIT,
        2,
        ("Paper Pattern", "weights"),
        config(table("Paper Pattern", "weights = [nan, 50, 51]")),
    ),
    Case(
        "mint-weights-inf",
        MINT,
        2,
        ("weights", "inf"),
        config(table("Paper Pattern", "weights = [inf, 50, 51]")),
    ),
    Case(
        "mint-weights-negative",
        MINT,
        2,
        ("weights", "-1"),
        config(table("Paper Pattern", "weights = [-1, 50, 51]")),
    ),
    Case(
        "mint-weights-zero",
        MINT,
        2,
        ("weights", "positive"),
        config(table("Paper Pattern", "weights = [0, 0, 0]")),
    ),
    Case(
        "mint-weights-overflow",
        MINT,
        2,
        ("weights", "finite"),
        config(table("Paper Pattern", "weights = [1e308, 1e308, 1e308]")),
    ),
    Case(
        "mint-weights-string",
        MINT,
        2,
        ("weights",),
        config(table("Paper Pattern", 'weights = ["a", 1, 1]')),
    ),
    Case(
        "mint-days-nan",
        MINT,
        2,
        ("life_cycle_days",),
        config('[tables.life_cycle_days]\n"60 Days" = nan\n'),
    ),
    Case(
        "mint-days-inf",
        MINT,
        2,
        ("life_cycle_days",),
        config('[tables.life_cycle_days]\n"60 Days" = inf\n'),
    ),
    Case(
        "mint-days-text",
        MINT,
        2,
        ("life_cycle_days",),
        config('[tables.life_cycle_days]\n"60 Days" = "two"\n'),
    ),
    Case(
        "mint-history-year-text",
        MINT,
        2,
        ("birth_year_history",),
        config('[tables.birth_year_history]\nsoon = "a line"\n'),
    ),
    Case(
        "mint-moment-fee-nan", MINT, 2, ("moment.fee_rate",), config("[moment]\nfee_rate = nan\n")
    ),
    Case(
        "mint-moment-fee-inf", MINT, 2, ("moment.fee_rate",), config("[moment]\nfee_rate = inf\n")
    ),
    Case("mint-moment-time-nan", MINT, 2, ("moment.time",), config("[moment]\ntime = nan\n")),
    Case("mint-ord-fee-nan", MINT, 2, ("ord.fee_rate",), config("[ord]\nfee_rate = nan\n")),
    Case(
        "mint-seconds-nan",
        MINT,
        2,
        ("render.seconds",),
        config(base=CONFIG.replace('formats = ["png"]', 'formats = ["png", "mp4"]\nseconds = nan')),
    ),
    Case(
        "mint-seconds-inf",
        MINT,
        2,
        ("render.seconds",),
        config(base=CONFIG.replace('formats = ["png"]', 'formats = ["png", "mp4"]\nseconds = inf')),
    ),
    Case(
        "animate-seconds-nan", (*ANIMATE, "--seconds", "nan", "-o", "{d}/a.gif"), 2, ("--seconds",)
    ),
    Case(
        "animate-seconds-inf", (*ANIMATE, "--seconds", "inf", "-o", "{d}/a.gif"), 2, ("--seconds",)
    ),
    Case(
        "animate-seconds-negative",
        (*ANIMATE, "--seconds", "-4", "-o", "{d}/a.gif"),
        2,
        ("--seconds",),
    ),
    Case(
        "timelapse-seconds-nan",
        ("timelapse", *TOKEN, "--px", "64", "--seconds", "nan", "-o", "{d}/t.gif"),
        2,
        ("--seconds",),
    ),
    Case(
        "render-fee-nan",
        ("render", *TOKEN, "--px", "64", "--fee-rate", "nan", "-o", "{d}/x.png"),
        2,
        ("fee",),
    ),
    Case(
        "render-fee-inf",
        ("render", *TOKEN, "--px", "64", "--fee-rate", "inf", "-o", "{d}/x.png"),
        2,
        ("fee",),
    ),
    Case(
        "render-fee-negative",
        ("render", *TOKEN, "--px", "64", "--fee-rate", "-3", "-o", "{d}/x.png"),
        2,
        ("fee",),
    ),
    Case("chain-fee-nan", ("chain", "--fee-rate", "nan"), 2, ("fee",)),
    Case(
        "render-time-nan",
        ("render", *TOKEN, "--px", "64", "--time", "nan", "-o", "{d}/x.png"),
        2,
        ("time",),
    ),
    Case("lifecycle-time-inf", ("lifecycle", *TOKEN, "--time", "inf"), 2, ("time",)),
    Case(
        "lifecycle-time-year-10000",
        ("lifecycle", *TOKEN, "--time", "10000-01-01T00:00:00Z"),
        2,
        ("time",),
    ),
    Case(
        "lifecycle-time-9999",
        ("lifecycle", *TOKEN, "--time", "9999-12-31T23:59:59Z"),
        0,
        ("Perceptron #0",),
    ),
    Case(
        "lifecycle-json-time-9999",
        ("lifecycle", *TOKEN, "--time", "9999-12-31T23:59:59Z", "--json"),
        0,
        ('"stage"',),
    ),
    Case(
        "render-time-9999",
        ("render", *TOKEN, "--px", "64", "--time", "9999-12-31T23:59:59Z", "-o", "{d}/x.png"),
        0,
        (),
        changes=("x.png",),
    ),
    Case(
        "render-seed-empty",
        ("render", "--seed", " ", "--token", "0", "-o", "{d}/x.png"),
        2,
        ("--seed",),
    ),
    Case(
        "render-token-negative",
        ("render", "--seed", "1", "--token", "-1", "-o", "{d}/x.png"),
        2,
        ("--token",),
    ),
    # -- the file system: outputs ---------------------------------------------------------------
    Case(
        "traits-json-dev-full",
        ("traits", *TOKEN, "--json"),
        2,
        ("No space left",),
        stdout="/dev/full",
    ),
    Case(
        "traits-tokens-dev-full",
        ("traits", "--seed", "1", "--tokens", "0..50"),
        2,
        ("No space left",),
        stdout="/dev/full",
    ),
    Case("lifecycle-dev-full", ("lifecycle", *TOKEN), 2, ("No space left",), stdout="/dev/full"),
    Case("chain-json-dev-full", ("chain", "--json"), 2, ("No space left",), stdout="/dev/full"),
    Case(
        "render-stdout-dev-full",
        ("render", *TOKEN, "--px", "64", "-o", "-"),
        2,
        ("No space left",),
        stdout="/dev/full",
    ),
    Case(
        "render-readonly",
        ("render", *TOKEN, "--px", "64", "-o", "{d}/ro/x.png"),
        2,
        ("ro", "Permission denied"),
        readonly("ro"),
        conditions=NOWRITE,
    ),
    Case(
        "render-svg-readonly",
        ("render", *TOKEN, "--px", "64", "-o", "{d}/ro/x.svg"),
        2,
        ("Permission denied",),
        readonly("ro"),
        conditions=NOWRITE,
    ),
    Case(
        "animate-readonly",
        (*ANIMATE, "-o", "{d}/ro/a.gif"),
        2,
        ("Permission denied",),
        readonly("ro"),
        conditions=NOWRITE,
    ),
    Case(
        "animate-mp4-readonly",
        (*ANIMATE, "-o", "{d}/ro/a.mp4"),
        2,
        ("Permission denied",),
        readonly("ro"),
        conditions=NOWRITE,
    ),
    Case(
        "timelapse-readonly",
        ("timelapse", *TOKEN, "--px", "64", "--fps", "5", "--seconds", "1", "-o", "{d}/ro/t.gif"),
        2,
        ("Permission denied",),
        readonly("ro"),
        conditions=NOWRITE,
    ),
    Case(
        "inscription-readonly",
        ("inscription", *TOKEN, "-m", "{a}/model.json", "-o", "{d}/ro/x.html"),
        2,
        ("Permission denied",),
        readonly("ro"),
        conditions=NOWRITE,
    ),
    Case(
        "train-readonly",
        (*TRAIN[:-1], "{d}/ro/m.json"),
        2,
        ("ro", "Permission denied"),
        readonly("ro"),
        conditions=NOWRITE,
    ),
    Case(
        "classify-card-readonly",
        (*CLASSIFY, "{d}/x.png", "--card", "{d}/ro/card.png"),
        2,
        ("Permission denied",),
        steps(image("x.png"), readonly("ro")),
        conditions=NOWRITE,
    ),
    Case(
        "intelligence-plot-readonly",
        ("intelligence", "-m", "{a}/model.json", "-d", "{a}/data", "--plot", "{d}/ro/c.png"),
        2,
        ("Permission denied",),
        readonly("ro"),
        conditions=NOWRITE,
    ),
    Case(
        "mint-readonly",
        (*MINT[:-1], "{d}/ro/out"),
        2,
        ("Permission denied",),
        steps(config(), readonly("ro")),
        conditions=NOWRITE,
    ),
    Case(
        "mint-readonly-out",
        (*MINT[:-1], "{d}/ro"),
        2,
        ("Permission denied",),
        steps(config(), readonly("ro")),
        conditions=NOWRITE,
    ),
    Case(
        "audit-readonly",
        ("audit", "{d}/coll", "-o", "{d}/ro/report"),
        2,
        ("Permission denied",),
        steps(copy_collection(), readonly("ro")),
        conditions=NOWRITE,
    ),
    Case(
        "demo-readonly",
        ("demo", "-o", "{d}/ro/demo"),
        2,
        ("Permission denied",),
        readonly("ro"),
        conditions=NOWRITE,
    ),
    Case(
        "render-out-fifo",
        ("render", *TOKEN, "--px", "64", "-o", "{d}/x.png"),
        2,
        ("FIFO",),
        at("x.png", fifo),
    ),
    Case(
        "render-out-device",
        ("render", *TOKEN, "--px", "64", "-o", "{d}/x.png"),
        2,
        ("character device",),
        at("x.png", char_device),
    ),
    Case(
        "train-out-device",
        (*TRAIN[:-1], "{d}/m.json"),
        2,
        ("character device",),
        at("m.json", char_device),
    ),
    Case(
        "render-out-folder",
        ("render", *TOKEN, "--px", "64", "-o", "{d}/x.png"),
        2,
        ("x.png",),
        folder("x.png"),
    ),
    Case(
        "render-out-under-a-file",
        ("render", *TOKEN, "--px", "64", "-o", "{d}/f/x.png"),
        2,
        ("f",),
        write("f", "a file, not a folder"),
    ),
    Case("mint-out-fifo", (*MINT[:-1], "{d}/out"), 2, ("out",), steps(config(), at("out", fifo))),
    Case(
        "render-full-disk",
        ("render", *TOKEN, "--px", "1024", "-o", "{d}/small/x.png"),
        2,
        ("small",),
        folder("small"),
        conditions=("disk:{d}/small:16384",),
    ),
    Case(
        "animate-full-disk",
        ("animate", *TOKEN, "--px", "256", "--fps", "5", "--seconds", "2", "-o", "{d}/small/a.gif"),
        2,
        ("small",),
        folder("small"),
        conditions=("disk:{d}/small:8192",),
    ),
    Case(
        "train-full-disk",
        (*TRAIN[:-1], "{d}/small/m.json"),
        2,
        ("small",),
        folder("small"),
        conditions=("disk:{d}/small:4096",),
    ),
    Case(
        "mint-full-disk",
        (*MINT[:-1], "{d}/small/out"),
        2,
        ("small",),
        steps(config(), folder("small")),
        conditions=("disk:{d}/small:65536",),
    ),
    # -- collections: verify, inscribed, upgrade, mint again -----------------------------------
    Case(
        "verify-manifest-outside",
        VERIFY,
        2,
        ("files[0].path", "inside the collection"),
        copy_collection(
            damage=manifest_with(lambda doc: doc["files"][0].update(path="../../../etc/passwd"))
        ),
    ),
    Case(
        "verify-manifest-absolute",
        VERIFY,
        2,
        ("inside the collection",),
        copy_collection(
            damage=manifest_with(lambda doc: doc["files"][0].update(path="/etc/passwd"))
        ),
    ),
    Case(
        "verify-manifest-deep",
        VERIFY,
        2,
        ("manifest.json", "nested"),
        copy_collection(damage=lambda r: (r / "manifest.json").write_text(deep_json(100_000))),
    ),
    Case(
        "verify-manifest-duplicate",
        VERIFY,
        2,
        ("manifest.json", "twice"),
        copy_collection(
            damage=lambda r: (r / "manifest.json").write_text(
                with_duplicate((r / "manifest.json").read_text(), "files")
            )
        ),
    ),
    Case(
        "verify-manifest-fifo",
        VERIFY,
        2,
        ("FIFO",),
        copy_collection(
            damage=lambda r: ((r / "manifest.json").unlink(), fifo(r / "manifest.json"))
        ),
    ),
    Case(
        "verify-manifest-sha-junk",
        VERIFY,
        2,
        ("sha256",),
        copy_collection(damage=manifest_with(lambda doc: doc["files"][0].update(sha256="x"))),
    ),
    Case(
        "verify-manifest-bytes-nan",
        VERIFY,
        2,
        ("manifest.json",),
        copy_collection(
            damage=lambda r: (r / "manifest.json").write_text(
                re.sub(r'"bytes": \d+', '"bytes": NaN', (r / "manifest.json").read_text(), count=1)
            )
        ),
    ),
    Case(
        "verify-manifest-deleted",
        VERIFY,
        2,
        ("manifest.json",),
        copy_collection(damage=lambda r: (r / "manifest.json").unlink()),
    ),
    Case(
        "verify-symlink-inside",
        VERIFY,
        1,
        ("symbolic link",),
        copy_collection(
            damage=lambda r: (
                (r / "images" / "0.png").unlink(),
                os.symlink("/etc/passwd", r / "images" / "0.png"),
            )
        ),
    ),
    Case(
        "verify-fifo-inside",
        VERIFY,
        1,
        ("FIFO",),
        copy_collection(damage=lambda r: fifo(r / "images" / "extra.png")),
    ),
    Case("verify-not-a-folder", ("verify", "{d}/f"), 2, ("f",), write("f", "x")),
    Case(
        "inscribed-deep",
        INSCRIBED,
        2,
        ("out.json", "nested"),
        steps(copy_collection(), write("out.json", deep_json(100_000))),
    ),
    Case(
        "inscribed-duplicate",
        INSCRIBED,
        2,
        ("out.json", "twice"),
        steps(copy_collection(), write("out.json", with_duplicate(ord_output(), "commit"))),
    ),
    Case("inscribed-fifo", INSCRIBED, 2, ("FIFO",), steps(copy_collection(), at("out.json", fifo))),
    Case(
        "inscribed-dev-zero",
        ("inscribed", "{d}/coll", "/dev/zero", "--batch", "batch-001"),
        2,
        ("character device",),
        copy_collection(),
    ),
    Case(
        "inscribed-sparse-1gb",
        INSCRIBED,
        2,
        ("268,435,456",),
        steps(copy_collection(), at("out.json", lambda p: sparse(p, GIB))),
    ),
    Case(
        "inscribed-nan",
        INSCRIBED,
        2,
        ("out.json",),
        steps(
            copy_collection(),
            write("out.json", ord_output().replace('"commit"', '"fee": NaN, "commit"')),
        ),
    ),
    Case(
        "mint-again-deleted-manifest",
        ("mint", "--config", "{d}/coll/collection.toml", "-o", "{d}/coll"),
        0,
        ("repaired", "manifest.json: missing"),
        copy_collection(damage=lambda r: (r / "manifest.json").unlink()),
        changes=("coll*",),
    ),
    Case(
        "mint-again-damaged-files",
        ("mint", "--config", "{d}/coll/collection.toml", "-o", "{d}/coll"),
        0,
        ("repaired", "images/0.png: missing", "models/1.json: size"),
        copy_collection(
            damage=lambda r: ((r / "images/0.png").unlink(), (r / "models/1.json").write_text("{}"))
        ),
        changes=("coll*",),
    ),
    Case(
        "mint-again-corrupt-state",
        ("mint", "--config", "{d}/coll/collection.toml", "-o", "{d}/coll"),
        2,
        ("run.json", "--force"),
        copy_collection(damage=lambda r: (r / ".artgen/run.json").write_text("[" * 100_000)),
    ),
    Case(
        "upgrade-model-deep",
        ("upgrade", "{d}/coll", "--token", "0", "-m", "{d}/m.json"),
        2,
        ("nested",),
        steps(copy_collection(), write("m.json", deep_json(100_000))),
    ),
    Case(
        "upgrade-model-fifo",
        ("upgrade", "{d}/coll", "--token", "0", "-m", "{d}/m.json"),
        2,
        ("FIFO",),
        steps(copy_collection(), at("m.json", fifo)),
    ),
    Case(
        "audit-metadata-duplicate",
        ("audit", "{d}/coll", "--json"),
        2,
        ("metadata",),
        copy_collection(
            damage=lambda r: (r / "metadata" / "0.json").write_text(
                with_duplicate((r / "metadata" / "0.json").read_text(), "attributes")
            )
        ),
    ),
    Case(
        "mint-config-fifo",
        ("mint", "--config", "{d}/c.toml", "-o", "{d}/out"),
        2,
        ("FIFO",),
        at("c.toml", fifo),
    ),
    Case(
        "mint-config-dev-zero",
        ("mint", "--config", "/dev/zero", "-o", "{d}/out"),
        2,
        ("character device",),
    ),
    Case(
        "mint-config-2mb",
        ("mint", "--config", "{d}/c.toml", "-o", "{d}/out"),
        2,
        ("1,048,576",),
        write("c.toml", CONFIG + "#" * (2 << 20)),
    ),
    Case(
        "audit-config-fifo",
        ("audit", "--config", "{d}/c.toml", "--size", "5"),
        2,
        ("FIFO",),
        at("c.toml", fifo),
    ),
    Case(
        "mint-config-binary",
        ("mint", "--config", "{d}/c.toml", "-o", "{d}/out"),
        2,
        ("c.toml",),
        write("c.toml", b"\xff\xfe\x00bad"),
    ),
    # -- secrets --------------------------------------------------------------------------------
    Case(
        "chain-ord-redirect-credentials",
        ("chain", "--chain", "ord+http://alice:" + SECRET + "@127.0.0.1:{redirect_port}"),
        2,
        ("another origin",),
        forbid=(SECRET,),
    ),
    Case(
        "chain-rpc-redirect",
        ("chain", "--chain", "rpc+http://alice:" + SECRET + "@127.0.0.1:{redirect_port}"),
        2,
        ("HTTP 302",),
        forbid=(SECRET,),
    ),
    Case(
        "chain-ord-echo-credentials",
        ("chain", "--chain", "ord+http://alice:" + SECRET + "@127.0.0.1:{echo_port}"),
        2,
        ("HTTP 403", "***"),
        forbid=(SECRET, "YWxpY2U6"),
    ),
    Case(
        "chain-rpc-echo-credentials",
        ("chain", "--chain", "rpc+http://alice:" + SECRET + "@127.0.0.1:{echo_port}"),
        2,
        ("HTTP 403",),
        forbid=(SECRET, "YWxpY2U6"),
    ),
    Case(
        "chain-closed-port-credentials",
        ("chain", "--chain", "rpc+http://alice:" + SECRET + "@127.0.0.1:{closed_port}"),
        2,
        ("refused",),
        forbid=(SECRET,),
    ),
    Case(
        "verbose-render-credentials",
        (
            "-v",
            "render",
            *TOKEN,
            "--px",
            "64",
            "--time",
            "0",
            "--fee-rate",
            "1",
            "--chain",
            "rpc+http://alice:" + SECRET + "@127.0.0.1:{closed_port}",
            "-o",
            "{d}/x.png",
        ),
        2,
        ("refused",),
        forbid=(SECRET,),
    ),
    Case(
        "mint-config-chain-credentials",
        MINT,
        2,
        ("refused",),
        config(f'[moment]\nchain = "rpc+http://alice:{SECRET}@127.0.0.1:{{closed_port}}"\n'),
        forbid=(SECRET,),
    ),
    # -- the network: deadlines, sizes, strict answers -----------------------------------------
    Case(
        "chain-ord-slow-headers",
        ("chain", "--chain", "ord+http://127.0.0.1:{slow_port}"),
        2,
        ("timed out after 10 s",),
        timeout=40,
    ),
    Case(
        "chain-ord-trickled-body",
        ("chain", "--chain", "ord+http://127.0.0.1:{trickle_port}"),
        2,
        ("timed out after 10 s",),
        timeout=40,
    ),
    Case(
        "chain-ord-huge",
        ("chain", "--chain", "ord+http://127.0.0.1:{huge_port}"),
        2,
        ("1,048,576",),
    ),
    Case(
        "chain-ord-deep",
        ("chain", "--chain", "ord+http://127.0.0.1:{deep_port}"),
        2,
        ("expected JSON",),
    ),
    Case(
        "chain-ord-unclosed-ipv6", ("chain", "--chain", "ord+http://[::1"), 2, ("not a valid URL",)
    ),
    Case(
        "chain-rpc-unclosed-ipv6",
        ("chain", "--chain", "rpc+http://u:p@[::1:8332"),
        2,
        ("not a valid URL",),
    ),
    Case("chain-ord-bad-port", ("chain", "--chain", "ord+http://127.0.0.1:99999"), 2, ("port",)),
    Case("chain-ord-space", ("chain", "--chain", "ord+http://host name"), 2, ("spaces",)),
    Case(
        "verbose-ord-credentials-answered",
        (
            "-v",
            "render",
            *TOKEN,
            "--px",
            "64",
            "--chain",
            "ord+http://alice:" + SECRET + "@127.0.0.1:{ord_port}",
            "-o",
            "{d}/x.png",
        ),
        0,
        ("871234",),
        changes=("x.png",),
        forbid=(SECRET, "YWxpY2U6"),
    ),
    Case(
        "chain-json-ord-credentials-answered",
        ("chain", "--json", "--chain", "ord+http://alice:" + SECRET + "@127.0.0.1:{ord_port}"),
        0,
        ('"height": 871234', "alice:***@"),
        forbid=(SECRET,),
    ),
    # -- status, audit and classify --collection on damaged collections ----------------------
    Case(
        "status-batches-deep",
        ("status", "{d}/coll"),
        2,
        ("batches.json", "nested"),
        copy_collection(damage=lambda r: (r / "ord/batches.json").write_text(deep_json(100_000))),
    ),
    Case(
        "status-batches-fifo",
        ("status", "{d}/coll"),
        2,
        ("FIFO",),
        copy_collection(
            damage=lambda r: ((r / "ord/batches.json").unlink(), fifo(r / "ord/batches.json"))
        ),
    ),
    Case("status-not-a-collection", ("status", "{d}"), 2, ("batches.json",)),
    Case(
        "audit-image-fifo",
        ("audit", "{d}/coll", "-o", "{d}/report"),
        0,
        ("2 stills hashed",),  # the FIFO passed over for images/0.png
        copy_collection(
            damage=lambda r: ((r / "thumbnails/0.png").unlink(), fifo(r / "thumbnails/0.png"))
        ),
        changes=("report*",),
    ),
    Case(
        "audit-image-bomb",
        ("audit", "{d}/coll", "-o", "{d}/report"),
        0,
        ("pixel count",),
        copy_collection(damage=lambda r: png_bomb(r / "thumbnails/1.png", 12000, 12000)),
        changes=("report*",),
    ),
    Case(
        "classify-collection-fifo-image",
        ("classify", "--collection", "{d}/coll", "--token", "0", "--image", "{d}/pipe.png"),
        2,
        ("FIFO",),
        steps(copy_collection(), at("pipe.png", fifo)),
    ),
    Case(
        "classify-collection-model-deep",
        ("classify", "--collection", "{d}/coll", "--token", "0", "--image", "{d}/x.png"),
        2,
        ("nested",),
        steps(
            copy_collection(damage=lambda r: (r / "models/0.json").write_text(deep_json(10**5))),
            image("x.png"),
        ),
    ),
    # -- artgen serve: a client talks to it, then Ctrl-C ---------------------------------------
    Case(
        "serve-symlinks-and-traversal",
        SERVE,
        0,
        ("loopback only",),
        copy_collection(damage=symlinked),
        client=no_secrets_served,
    ),
    Case("serve-idle-connection", SERVE, 0, (), copy_collection(), client=idle_closed),
    Case("serve-half-sent-request", SERVE, 0, (), copy_collection(), client=half_sent_cut),
    # 64 connection threads reserve ~1.2 GB of address space (glibc's malloc arenas, 64 MiB
    # each), though they use ~50 MB: this case's bound is set for address space
    Case(
        "serve-too-many-connections",
        SERVE,
        0,
        (),
        copy_collection(),
        client=bounded_connections,
        mem_mb=2048,
    ),
    Case(
        "serve-host-not-an-address",
        (*SERVE, "--host", "example.org"),
        2,
        ("IP address",),
        copy_collection(),
    ),
    Case(
        "serve-port-in-use",
        ("serve", "{d}/coll", "--port", "{target_port}"),
        2,
        ("cannot listen",),
        copy_collection(),
    ),
    Case("serve-not-a-folder", ("serve", "{d}/f", "--port", "0"), 2, (), write("f", "x")),
    Case(
        "serve-manifest-deep",
        SERVE,
        0,
        (),
        copy_collection(damage=lambda r: (r / "manifest.json").write_text(deep_json(100_000))),
        client=lambda scratch, result: result.update(status=fetch(served_url(scratch))[0]),
    ),
]


# ---- servers the network cases talk to -------------------------------------------------------


class Hostile(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        try:
            self.server.behave(self)
        except OSError:
            pass  # the client hung up, as it should

    do_POST = do_GET


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass


def _answer(status: int, body: bytes, headers=()):
    def behave(handler):
        handler.send_response(status)
        for name, value in headers:
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return behave


def _ord(handler):
    """An ord server's recursion endpoints, answering as ord does."""
    body = BLOCKINFO if handler.path.startswith("/r/blockinfo/") else 871234
    _answer(200, json.dumps(body).encode())(handler)


BLOCKINFO = {"average_fee_rate": 13, "height": 871234, "timestamp": 1732600000}


def _echo(handler):
    body = f"denied: {handler.headers.get('Authorization')}".encode()
    _answer(403, body)(handler)


def _huge(handler):
    handler.send_response(200)
    handler.send_header("Content-Length", str(8 << 20))
    handler.end_headers()
    handler.wfile.write(b"7" * (8 << 20))


@pytest.fixture(scope="module")
def servers():
    made, ports = [], {}
    behaviours = {
        "slow": slow_headers(3),  # the server: a header line every 3 s
        "trickle": trickled_body(1),
        "echo": _echo,
        "huge": _huge,
        "deep": _answer(200, deep_json(100_000).encode()),
        "ord": _ord,
        "target": _answer(200, b"871234"),
    }
    for name, behave in behaviours.items():
        server = Server(("127.0.0.1", 0), Hostile)
        server.behave = behave
        threading.Thread(target=server.serve_forever, daemon=True).start()
        made.append(server)
        ports[f"{name}_port"] = server.server_address[1]
    target = f"http://127.0.0.1:{ports['target_port']}"
    redirect = Server(("127.0.0.1", 0), Hostile)
    redirect.behave = lambda h: _answer(302, b"", [("Location", target + h.path)])(h)
    threading.Thread(target=redirect.serve_forever, daemon=True).start()
    made.append(redirect)
    ports["redirect_port"] = redirect.server_address[1]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        ports["closed_port"] = sock.getsockname()[1]
    PORTS.update(ports)
    yield ports, made[len(behaviours) - 1]
    for server in made:
        server.shutdown()
        server.server_close()


# ---- the batch -------------------------------------------------------------------------------

ASSETS = Path()
PORTS: dict[str, int] = {}  # the servers' ports, once they listen


def _assets(root: Path) -> Path:
    """Shared, read-only inputs: a model, a dataset, a minted collection, a dataset cache."""
    from collection.mint import mint_collection

    global ASSETS
    ASSETS = root
    root.mkdir()
    (root / "model.json").write_text(MODEL)
    dataset_folder("data")(root)
    (root / "c.toml").write_text(CONFIG)
    os.environ["ARTGEN_CACHE"] = str(root / "cache")
    try:
        mint_collection(root / "coll", config=root / "c.toml", workers=1, progress=False)
    finally:
        del os.environ["ARTGEN_CACHE"]
    return root


@pytest.fixture(scope="module")
def outcomes(request, tmp_path_factory, servers):
    """Every selected case, run in one batch: name -> Outcome."""
    params = (
        getattr(getattr(item, "callspec", None), "params", {}) for item in request.session.items
    )
    chosen = {p["case"].name for p in params if isinstance(p.get("case"), Case)}
    ports, _ = servers
    root = tmp_path_factory.mktemp("hostile")
    assets = _assets(root / "assets")
    cases_root = root / "cases"
    cases_root.mkdir()
    env = {"ARTGEN_CACHE": str(assets / "cache"), "NO_PROXY": "*", "http_proxy": "",
           "HTTP_PROXY": "", "COLUMNS": "200"}  # fmt: skip
    return run_batch([c for c in CASES if c.name in chosen], cases_root, assets, ports, env)


def test_the_table_covers_every_command_with_enough_cases():
    assert len(CASES) >= 120 and len({c.name for c in CASES}) == len(CASES)
    commands = {next(a for a in c.argv if not a.startswith("-")) for c in CASES}
    assert commands >= {"traits", "lifecycle", "chain", "render", "animate", "timelapse", "train",
                        "intelligence", "classify", "inscription", "mint", "verify", "upgrade",
                        "inscribed", "audit", "demo"}  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_hostile_case(case, outcomes):
    outcome = outcomes[case.name]
    answer = outcome.answer
    said = answer["stderr"] + answer["stdout"]
    assert not answer["timed_out"], f"hung: killed after {case.timeout} s"
    assert "error" not in outcome.client, outcome.client["error"]
    assert "Traceback" not in said and "Exception ignored" not in said, said
    assert answer["code"] == case.code, said
    if case.code == 2:
        errors = [line for line in answer["stderr"].splitlines() if ": error: " in line]
        assert len(errors) == 1, answer["stderr"]
        for word in case.words:
            assert word in errors[0], errors[0]
    else:  # success, or a check that failed (verify): the words are in what it printed
        for word in case.words:
            assert word in said
    for secret in case.forbid:
        assert secret not in said
    assert answer["rss_kb"] is not None and answer["rss_kb"] < case.mem_mb * 1024
    changed = {
        path
        for path in outcome.before.keys() | outcome.after.keys()
        if outcome.before.get(path) != outcome.after.get(path)
    }
    unexpected = [c for c in changed if not any(fnmatch.fnmatch(c, g) for g in case.changes)]
    assert not unexpected, f"left behind or changed: {sorted(unexpected)}"
    on_disk = answer.get("disk_files", [])
    assert not [f for f in on_disk if TEMPORARY.match(Path(f).name)], on_disk  # nothing half
    if case.name != "mint-full-disk":  # a mint keeps its whole files: it resumes from them
        assert not on_disk, on_disk


#: The name of an atomic write's temporary file (tempfile.mkstemp: 8 random characters).
TEMPORARY = re.compile(r"^\.[^/]*\.[a-z0-9_]{8}(\.[A-Za-z0-9]+)?$")
