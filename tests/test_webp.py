"""Animated WebP previews: they decode, loop, keep the clip's frame count and timing (memory:
test_animation_video)."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from artgen.animation import write_preview, write_video
from artgen.animation.frames import Animator
from artgen.animation.webp import webp_bytes
from artgen.chain import from_values
from artgen.tables import default_tables
from artgen.traits import sample_traits

SEED = 1
SMALL = 74  # one hidden layer of 6: the quickest token to draw
CHAIN = from_values("2024-11-25T10:40:00Z", 30.0)
TABLES = default_tables()  # the packaged Perceptrons tables


def read(data: bytes) -> tuple[list[np.ndarray], list[int], int]:
    """(RGB frames, durations in ms, loop count) of an animated WebP, as Pillow decodes it."""
    frames, durations = [], []
    with Image.open(io.BytesIO(data)) as im:
        assert im.format == "WEBP"
        for k in range(im.n_frames):
            im.seek(k)
            im.load()
            frames.append(np.asarray(im.convert("RGB")))
            durations.append(im.info["duration"])
        loop = im.info["loop"]
    return frames, durations, loop


def test_a_preview_decodes_loops_and_keeps_the_clip_timing(tmp_path):
    traits = sample_traits(SEED, 106)
    path = write_preview(
        tmp_path / "p.webp", traits, chain=CHAIN, fps=25, seconds=2, size=128, tables=TABLES
    )
    frames, durations, loop = read(path.read_bytes())
    # 2 s; identical neighbours (the blink's "off" halves) are stored once, for longer
    assert 1 < len(frames) <= 50 and sum(durations) == 2000 and loop == 0  # 0: for ever
    starts = np.cumsum([0, *durations[:-1]])
    assert all(start % 40 == 0 for start in starts)  # each image starts on a frame of the clip
    clip = Animator(traits, CHAIN, idle=50, size=128, fps=25, tables=TABLES)
    for picture, start in list(zip(frames, starts, strict=True))[:: max(1, len(frames) // 3)]:
        # lossy, but the same picture: within a few levels on average
        assert np.abs(picture.astype(int) - clip.frame(start // 40)).mean() < 4


def test_frames_start_on_time_at_a_rate_that_does_not_divide_a_second():
    frames = [np.full((32, 48, 3), (20 * k, 90, 200 - 20 * k), np.uint8) for k in range(9)]
    _, durations, _ = read(webp_bytes(frames.__getitem__, len(frames), 30))
    starts = np.cumsum([0, *durations])
    assert list(starts) == [round(1000 * k / 30) for k in range(10)]  # 33 or 34 ms each


def test_the_same_frames_give_the_same_bytes():
    frames = [np.full((40, 40, 3), (9 * k, 200, 30), np.uint8) for k in range(6)]
    assert webp_bytes(frames.__getitem__, 6, 25) == webp_bytes(lambda k: frames[k].copy(), 6, 25)


def test_frames_of_another_size_or_kind_are_refused(tmp_path):
    frames = [np.zeros((32, 32, 3), np.uint8), np.zeros((32, 30, 3), np.uint8)]
    with pytest.raises(ValueError, match="frame 1"):
        write_video(tmp_path / "x.webp", frames.__getitem__, 2, 25, 32, 32)
    with pytest.raises(ValueError, match="not RGB"):
        webp_bytes(lambda k: np.zeros((8, 8), np.uint8), 2, 25)
    assert not list(tmp_path.iterdir())  # nothing half-written


def test_artgen_animate_writes_webp_by_suffix_and_by_format(tmp_path):
    from click.testing import CliRunner

    from artgen.cli import cli

    args = ["animate", "--seed", SEED, "--token", SMALL, "--fps", 10, "--seconds", 1, "--px", 64]
    args = [str(a) for a in args]
    by_suffix = CliRunner().invoke(cli, [*args, "-o", str(tmp_path / "a.webp")])
    assert by_suffix.exit_code == 0, by_suffix.output
    frames, durations, loop = read((tmp_path / "a.webp").read_bytes())
    assert 1 <= len(frames) <= 10 and sum(durations) == 1000 and loop == 0
    assert all(d % 100 == 0 for d in durations)  # images start on frames of the clip
    piped = CliRunner().invoke(cli, [*args, "--format", "webp", "-o", "-"])
    assert piped.exit_code == 0 and piped.stdout_bytes == (tmp_path / "a.webp").read_bytes()
    assert "WEBP" in piped.stderr
    wrong = CliRunner().invoke(cli, [*args, "--format", "webp", "-o", str(tmp_path / "b.gif")])
    assert wrong.exit_code == 2 and ".webp" in wrong.output and not (tmp_path / "b.gif").exists()
