"""End to end: the commands a collection author runs, as processes, and the files they leave.

`artgen demo` as `make demo` runs it; a mint of every output format with each file decoded;
`artgen serve` on a free port, fetched from like a browser would; `artgen lifecycle`'s lines
against the life state they print.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
import zlib

import imageio_ffmpeg
import numpy as np
import pytest
from mint_configs import tiny_config
from PIL import Image

from artgen.chain import DEFAULT_CHAIN_STATE, parse_time
from artgen.lifecycle import traits_life_state
from artgen.model import load_model
from artgen.tables import default_tables
from artgen.traits import sample_traits
from collection.config import load_config
from collection.mint import verify

ARTGEN = [sys.executable, "-c", "from collection.cli import main; main()"]


def artgen(*args, cache, timeout: float = 900) -> subprocess.CompletedProcess:
    """The `artgen` command in a process of its own, with its own dataset cache."""
    env = {**os.environ, "ARTGEN_CACHE": str(cache)}
    env.pop("ARTGEN_CRASH_AT", None)
    return subprocess.run(
        [*ARTGEN, *map(str, args)], env=env, capture_output=True, text=True, timeout=timeout
    )


def decoded(path) -> Image.Image:
    """The image at `path`, fully decoded (a truncated or corrupt file raises)."""
    with Image.open(path) as image:
        image.load()
        return image.copy()


def gif_frames(path) -> tuple[int, tuple[int, int], int]:
    """(images, size, milliseconds shown) of a GIF, every image decoded; an image that repeats
    the one before is stored once, shown for longer."""
    shown = 0
    with Image.open(path) as gif:
        assert gif.format == "GIF"
        for n in range(gif.n_frames):  # decode every frame
            gif.seek(n)
            gif.load()
            shown += gif.info["duration"]
        return gif.n_frames, gif.size, shown


# -- artgen demo ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    run = artgen("demo", "--out", folder / "demo-output", cache=folder / "cache")
    assert run.returncode == 0, run.stderr[-3000:]
    return folder / "demo-output", run.stdout + run.stderr


def test_artgen_demo_mints_twelve_tokens_of_every_kind_of_file(demo):
    root, _ = demo
    config = load_config(root / "collection.toml")
    assert config.size == 12 and config.render.formats == ("png", "mp4", "html")
    for t in range(12):
        assert decoded(root / f"images/{t}.png").size == (1024, 1024)
        assert decoded(root / f"thumbnails/{t}.png").size == (256, 256)
        codec, video = mp4_frames(root / f"previews/{t}.mp4", 512)
        assert codec == "h264" and len(video) == config.render.fps * config.render.seconds
        assert all(v.std() > 5 for v in video)  # pictures, not blank frames
        model = load_model(root / f"models/{t}.json")
        meta = json.loads((root / f"metadata/{t}.json").read_text())
        assert list(model.hidden_sizes) == meta["hidden_layers"]
        assert meta["animation_url"] == f"previews/{t}.mp4"  # what marketplaces play
        html = (root / f"art/{t}.html").read_text()
        assert meta["inscriptions"]["model"] in html  # the art loads its own model by id
    assert (root / "art/engine.js").stat().st_size > 10_000
    assert verify(root) == []  # the showcase and audit stay out of the manifest


def test_artgen_demo_showcases_one_token_and_audits_the_collection(demo):
    root, out = demo
    stills = sorted((root / "showcase").glob("stage-*.png"))
    assert [p.stem for p in stills] == [
        f"stage-{s}" for s in ("dead", "decaying", "growing", "rebirth", "stable")
    ]
    side = decoded(stills[0]).width
    width, height = decoded(root / "showcase/stages.png").size
    assert width == 5 * (side // 2) and height > side // 2  # five panels, over their labels
    frames, _, _ = gif_frames(root / "showcase/timelapse.gif")
    assert frames > 10
    answers = json.loads((root / "showcase/classifications.json").read_text())
    cards = sorted((root / "showcase").glob("card-*.png"))
    assert len(cards) == 4 and all(decoded(card).width > 0 for card in cards)
    assert answers  # what each model answered, for every sample image
    site = (root / "report/index.html").read_text()  # the collection's report site
    assert "<html" in site.lower() and "Perceptrons Demo" in site
    for text in ("12 tokens", "Rarity audit", "stages.png", f"artgen serve {root}"):
        assert text in out, text


def test_artgen_demo_again_resumes_nothing_and_keeps_every_file(demo, tmp_path):
    root, _ = demo
    before = (root / "manifest.json").read_bytes()
    again = artgen("demo", "--out", root, cache=tmp_path / "cache")
    assert again.returncode == 0, again.stderr[-2000:]
    assert "nothing to do" in again.stderr
    assert (root / "manifest.json").read_bytes() == before and verify(root) == []


# -- every output format --------------------------------------------------------------------

EVERY_FORMAT = tiny_config("Every Format", size=2, seed=4, extra="fps = 5\nseconds = 1\n").replace(
    'formats = ["png"]', 'formats = ["png", "svg", "pdf", "gif", "mp4", "html"]'
)


@pytest.fixture(scope="module")
def every_format(tmp_path_factory):
    folder = tmp_path_factory.mktemp("formats")
    config = folder / "formats.toml"
    config.write_text(EVERY_FORMAT, encoding="utf-8")
    run = artgen(
        "mint", "--config", config, "--out", folder / "out", "--workers", "1", cache=folder / "c"
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return folder / "out"


def mp4_frames(path, side: int) -> tuple[str, list[np.ndarray]]:
    """(video codec, every frame as side x side RGB) of an MP4, decoded by ffmpeg itself."""
    done = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-i", str(path), "-f", "rawvideo", "-pix_fmt", "rgb24",
         "-"],
        capture_output=True,
        check=True,
    )  # fmt: skip
    codec = re.search(rb"Video: (\w+)", done.stderr).group(1).decode()
    frames = np.frombuffer(done.stdout, np.uint8).reshape(-1, side, side, 3)
    return codec, list(frames)


def pdf_page(data: bytes) -> tuple[int, list[float], bytes]:
    """(pages, the media box, the inflated drawing operators) of a Cairo PDF."""
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    pages = len(re.findall(rb"/Type\s*/Page\b", data))
    box = [float(v) for v in re.search(rb"/MediaBox\s*\[([^\]]*)\]", data).group(1).split()]
    drawing = b""
    for match in re.finditer(rb"/Filter\s*/FlateDecode[^>]*>>\s*stream\r?\n", data):
        end = data.index(b"endstream", match.end())
        chunk = zlib.decompressobj().decompress(data[match.end() : end])
        if re.search(rb"\b(re|l|c)\b", chunk) and re.search(rb"\b[Sf]\b", chunk):
            drawing += chunk
    return pages, box, drawing


def test_every_output_format_is_minted_and_decodes(every_format):
    root = every_format
    for t in range(2):
        png = decoded(root / f"images/{t}.png")
        assert png.size == (256, 256)
        svg = ET.parse(root / f"images/{t}.svg").getroot()
        assert svg.tag.endswith("svg") and float(svg.get("width").rstrip("px")) == 256
        assert len(list(svg.iter())) > 20  # the network's nodes and lines, drawn as SVG
        pages, box, drawing = pdf_page((root / f"images/{t}.pdf").read_bytes())
        assert pages == 1 and box == [0, 0, 256, 256] and drawing.count(b" S") > 10
        frames, size, shown = gif_frames(root / f"previews/{t}.gif")
        assert shown == 1000 and 1 < frames <= 5 and size == (256, 256)  # the still's size
        codec, video = mp4_frames(root / f"previews/{t}.mp4", 256)
        assert codec == "h264" and len(video) == 5
        assert all(v.std() > 5 for v in video)  # pictures, not blank frames
        html = (root / f"art/{t}.html").read_text()
        assert html.lstrip().lower().startswith("<!doctype html") and "<script" in html
        meta = json.loads((root / f"metadata/{t}.json").read_text())
        assert meta["animation_url"] == f"previews/{t}.mp4"  # MP4 first of the previews made
    assert verify(root) == []


# -- artgen serve ---------------------------------------------------------------------------


def fetch(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return answer.status, answer.headers["Content-Type"], answer.read()


def test_artgen_serve_serves_a_minted_collection_as_an_ord_server_would(every_format, tmp_path):
    root = every_format
    with subprocess.Popen(
        [*ARTGEN, "serve", str(root), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as process:
        try:
            assert_serves(root, process)
        finally:
            process.terminate()
            process.wait(timeout=30)


def assert_serves(root, process) -> None:
    """The running `artgen serve` answers for the collection's files as ord would."""
    line = process.stdout.readline()  # the address, alone on stdout
    found = re.fullmatch(r"(http://127\.0\.0\.1:\d+/)\n", line)
    assert found, line
    base = found.group(1)
    ids = json.loads((root / "metadata/1.json").read_text())["inscriptions"]
    wanted = {
        "model": ("models/1.json", "application/json"),
        "html": ("art/1.html", "text/html;charset=utf-8"),
    }
    for kind, (relative, kind_type) in wanted.items():
        status, content_type, body = fetch(f"{base}content/{ids[kind]}")
        assert status == 200 and content_type == kind_type, kind
        assert body == (root / relative).read_bytes(), kind
    engine = re.search(r"/content/([0-9a-f]{64}i\d+)", (root / "art/1.html").read_text())
    status, content_type, body = fetch(f"{base}content/{engine.group(1)}")
    assert content_type == "text/javascript" and body == (root / "art/engine.js").read_bytes()
    status, _, body = fetch(f"{base}r/blockheight")
    assert int(body) == DEFAULT_CHAIN_STATE.height
    with pytest.raises(urllib.error.HTTPError) as missing:
        fetch(f"{base}content/{'0' * 64}i0")
    missing.value.close()  # the error is the answer, and holds its connection
    assert missing.value.code == 404
    assert process.poll() is None  # still serving


# -- artgen lifecycle -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "time"),
    [
        (32, "2026-08-24T00:00:00Z"),  # Growing
        (35, "2025-10-07T00:00:00Z"),  # Stable
        (255, "2025-09-14T05:00:00Z"),  # Decaying
        (7, "2024-12-12T08:30:00Z"),  # Rebirth
    ],
)
def test_artgen_lifecycle_prints_the_life_state(token, time, tmp_path):
    tables = default_tables()  # the command's tokens are the Perceptrons collection's
    state = traits_life_state(sample_traits(1, token), parse_time(time, "time"), tables=tables)
    run = artgen("lifecycle", "--seed", 1, "--token", token, "--time", time, cache=tmp_path)
    assert run.returncode == 0, run.stderr
    text = run.stdout
    assert f"Perceptron #{token} (seed 1) at {time}" in text
    assert re.search(rf"stage\s+{state.stage} \({state.stage_ratio:.1%} through\)", text)
    rebirths = f"{state.rebirths} rebirth{'' if state.rebirths == 1 else 's'}"
    assert re.search(rf"age\s+{state.age:.3f} Perceptron years, {rebirths}\n", text)
    assert re.search(rf"growth\s+{state.growth:.4f}", text)
    assert re.search(rf"neurons\s+{re.escape(state.active_label)} active", text)
    layers = re.findall(r"layer \d+\s+([#+.]+)", text)
    assert len(layers) == len(state.neuron_life)
    for marks, life in zip(layers, state.neuron_life, strict=True):
        want = "".join("#" if v >= 1 else "+" if v > 0 else "." for v in life)
        assert marks == want
    as_json = artgen(
        "lifecycle", "--seed", 1, "--token", token, "--time", time, "--json", cache=tmp_path
    )
    doc = json.loads(as_json.stdout)
    assert {k: doc[k] for k in state.to_json()} == json.loads(json.dumps(state.to_json()))
    assert (doc["seed"], doc["token"], doc["time_iso"]) == (1, token, time)
