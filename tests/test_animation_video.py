"""GIF and MP4 files: what imageio reads back, streaming, the CLI (the GIF encoder: test_gif)."""

from __future__ import annotations

import math
import os
import tracemalloc

import imageio.v2 as iio
import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from artgen.animation import write_preview, write_video
from artgen.animation.timelapse import band_height
from artgen.chain import from_values
from artgen.cli import cli
from artgen.errors import ArtgenError
from artgen.tables import default_tables
from artgen.traits import sample_traits

TABLES = default_tables()  # the packaged Perceptrons tables

SEED = 1
SMALL = 74  # one hidden layer of 6: the quickest token to draw
CHAIN = from_values("2024-11-25T10:40:00Z", 30.0)


def frame_count(path) -> int:
    with iio.get_reader(path) as reader:
        return reader.count_frames()


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_gif_bytes_are_deterministic(tmp_path):
    traits = sample_traits(SEED, 106)
    a = write_preview(
        tmp_path / "a.gif", traits, chain=CHAIN, fps=10, seconds=1, size=96, tables=TABLES
    )
    b = write_preview(
        tmp_path / "b.gif", traits, chain=CHAIN, fps=10, seconds=1, size=96, tables=TABLES
    )
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize("fps", [30, 60, 3])
def test_gif_refuses_a_frame_rate_it_cannot_play_exactly(tmp_path, fps):
    result = run(
        "animate", "--seed", SEED, "--token", SMALL, "--fps", fps, "-o", tmp_path / "x.gif"
    )
    assert result.exit_code == 2 and "fps" in result.output and len(result.output.splitlines()) == 1
    assert not list(tmp_path.iterdir())


def test_mp4_reads_back_with_its_frame_count_size_and_codec(tmp_path):
    traits = sample_traits(SEED, SMALL)
    path = write_preview(
        tmp_path / "p.mp4", traits, chain=CHAIN, fps=20, seconds=1.5, size=130, tables=TABLES
    )
    with iio.get_reader(path) as reader:
        meta = reader.get_meta_data()
        first = reader.get_data(0)
    assert frame_count(path) == 30
    assert meta["size"] == (130, 130) and meta["codec"] == "h264" and meta["fps"] == 20
    assert meta["pix_fmt"].startswith("yuv420p")
    assert first.shape == (130, 130, 3)
    assert [p.name for p in tmp_path.iterdir()] == ["p.mp4"]  # no temporary file left


def test_mp4_refuses_odd_sizes_and_unknown_suffixes(tmp_path):
    result = run("animate", "--seed", SEED, "--token", SMALL, "--px", 129, "-o", tmp_path / "x.mp4")
    assert result.exit_code == 2 and "even" in result.output
    with pytest.raises(ArtgenError, match=r"\.gif, \.webp or \.mp4"):
        write_video(tmp_path / "x.webm", lambda k: np.zeros((4, 4, 3), np.uint8), 1, 25, 4, 4)


def test_a_failed_mp4_leaves_no_file(tmp_path):
    def frame_at(k):
        if k == 3:
            raise RuntimeError("boom")
        return np.zeros((16, 16, 3), np.uint8)

    with pytest.raises(RuntimeError, match="boom"):
        write_video(tmp_path / "x.mp4", frame_at, 10, 25, 16, 16)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("suffix", [".gif", ".webp", ".mp4"])
def test_frames_are_streamed_so_memory_does_not_grow_with_length(tmp_path, suffix):
    traits = sample_traits(SEED, SMALL)

    def peak(seconds):
        tracemalloc.start()
        path = tmp_path / f"{seconds}{suffix}"
        write_preview(path, traits, chain=CHAIN, fps=10, seconds=seconds, size=128, tables=TABLES)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    short, long = peak(5), peak(40)
    # 400 frames of 128 x 128 RGB are 20 MB; drawn and coded one by one (a GIF keeps 16 for
    # its palette), the 40 s clip peaks like the 5 s one
    assert long < short + 2_000_000
    assert os.path.getsize(tmp_path / f"40{suffix}") > os.path.getsize(tmp_path / f"5{suffix}")


def test_cli_animate_writes_a_loop_and_a_revealed_clip(tmp_path):
    loop = tmp_path / "loop.gif"
    result = run(
        "animate", "--seed", SEED, "--token", SMALL, "--px", 96, "--seconds", 1, "-o", loop
    )
    assert result.exit_code == 0, result.output
    assert f"wrote {loop}" in result.output
    with Image.open(loop) as im:
        assert im.n_frames <= 25 and im.size == (96, 96)
    clip = tmp_path / "reveal.mp4"
    args = ("--seed", SEED, "--token", 22, "--px", 96, "--fee-rate", 50, "--reveal", "-o", clip)
    result = run("animate", *args)
    assert result.exit_code == 0, result.output
    # Advanced acceleration: 2 x 6 - 1 steps of 2 frames at 60 Hz, at 25 fps, then 4 s idle
    assert frame_count(clip) == math.ceil((2 * 6 - 1) * 2 * 25 / 60) + 100
    short = run("animate", *args[:-2], "--seconds", 0.2, "-o", tmp_path / "short.mp4")
    assert short.exit_code == 2 and "needs at least" in short.output


def test_cli_timelapse_writes_a_captioned_life(tmp_path):
    out = tmp_path / "life.mp4"
    result = run(
        "timelapse",
        "--seed",
        SEED,
        "--token",
        SMALL,
        "--px",
        96,
        "--seconds",
        2,
        "--fps",
        10,
        "-o",
        out,
    )
    assert result.exit_code == 0, result.output
    assert frame_count(out) == 20
    with iio.get_reader(out) as reader:
        assert reader.get_meta_data()["size"] == (96, 96 + band_height(96))
