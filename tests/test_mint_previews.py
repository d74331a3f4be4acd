"""Previews in a minted collection: MP4, WebP and GIF decode, loop, and show the token's clip
with the right frame count and timing; the metadata's animation_url names the MP4."""

from __future__ import annotations

import io
import json
import subprocess

import imageio_ffmpeg
import numpy as np
import pytest
from mint_configs import mint_once, tiny_config
from PIL import Image
from test_webp import read as read_webp

from artgen.animation.frames import Animator
from artgen.animation.gif import HOLD
from collection.config import load_config
from collection.mint import verify
from collection.mint.token import preview_size
from collection.sampling import collection_traits

FPS, SECONDS = 10, 1.5
FRAMES = 15
TOKEN = 1  # its network's nodes are big enough at 96 px to see them blink
EXTRA = """fps = 10
seconds = 1.5
"""


@pytest.fixture(scope="module")
def minted(tmp_path_factory):
    text = tiny_config("Previews", size=2, seed=5, extra=EXTRA).replace(
        'formats = ["png"]', 'formats = ["png", "gif", "webp", "mp4"]'
    )
    text = text.replace("sizes = [256]", "sizes = [97]")  # previews at 96 px: made even
    return mint_once(tmp_path_factory, "previews", text)


def clip(root, token: int) -> list[np.ndarray]:
    """The token's idle loop as the Animator draws it, frame by frame (the lossless truth)."""
    config = load_config(root / "collection.toml")
    traits = collection_traits(config)[token]
    chain = config.moment.chain_state()
    size = preview_size(config)
    animator = Animator(traits, chain, idle=FRAMES, size=size, fps=FPS, tables=config.tables)
    return [animator.frame(k) for k in range(animator.length)]


def gif_ticks(data: bytes) -> tuple[list[np.ndarray], int]:
    """What a GIF shows at each 1/FPS tick (an image held n ticks counts n times), and its
    loop count (0: forever)."""
    shown = []
    with Image.open(io.BytesIO(data)) as im:
        assert im.format == "GIF"
        loop = im.info["loop"]
        for k in range(im.n_frames):
            im.seek(k)
            ticks, rest = divmod(im.info["duration"], 1000 // FPS)
            assert rest == 0 and ticks >= 1
            shown += [np.asarray(im.convert("RGB"))] * ticks
    return shown, loop


def mp4_frames(path) -> tuple[list[np.ndarray], str]:
    """The decoded frames of an MP4 and ffmpeg's description of its video stream."""
    exe = imageio_ffmpeg.get_ffmpeg_exe()
    raw = subprocess.run(
        [exe, "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True,
        check=True,
    ).stdout
    probe = subprocess.run([exe, "-hide_banner", "-i", str(path)], capture_output=True, text=True)
    stream = next(line for line in probe.stderr.splitlines() if "Video:" in line)
    side = int(np.sqrt(len(raw) // FRAMES // 3))
    return list(np.frombuffer(raw, np.uint8).reshape(-1, side, side, 3)), stream


def mean_error(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a.astype(np.int16) - b.astype(np.int16)).mean())


def test_every_preview_format_is_written_and_the_metadata_plays_the_mp4(minted):
    root = minted.root
    for token in range(2):
        meta = json.loads((root / f"metadata/{token}.json").read_text("utf-8"))
        assert meta["animation_url"] == f"previews/{token}.mp4"
        assert meta["files"]["previews"] == {
            fmt: f"previews/{token}.{fmt}" for fmt in ("gif", "webp", "mp4")
        }
    assert verify(root) == []


def test_the_gif_loops_forever_and_shows_each_frame_at_its_tick_within_the_bound(minted):
    truth = clip(minted.root, TOKEN)
    shown, loop = gif_ticks((minted.root / f"previews/{TOKEN}.gif").read_bytes())
    assert loop == 0 and len(shown) == FRAMES == len(truth)
    assert shown[0].shape == (96, 96, 3)
    for k, (seen, true) in enumerate(zip(shown, truth, strict=True)):
        error = np.abs(seen.astype(np.int16) - true.astype(np.int16)).max()
        assert error <= HOLD + 8, k  # the bound, or the palette's nearest colour nearby
    assert in_time(shown, truth)


def far(a: np.ndarray, b: np.ndarray) -> float:
    """The share of pixels off by more than 40 in a channel: the nodes a blink erases."""
    return float((np.abs(a.astype(np.int16) - b).max(axis=2) > 40).mean())


def in_time(frames: list[np.ndarray], truth: list[np.ndarray]) -> bool:
    """Whether each decoded frame shows its own moment of the clip rather than the next one,
    wherever the next one differs (the clip does move: checked)."""
    moving = [k for k in range(FRAMES) if far(truth[k], truth[(k + 1) % FRAMES]) > 0.01]
    assert len(moving) >= 5
    return all(far(frames[k], truth[k]) < far(frames[k], truth[(k + 1) % FRAMES]) for k in moving)


def webp_ticks(data: bytes) -> tuple[list[np.ndarray], int]:
    """What an animated WebP shows at each 1/FPS tick (identical neighbours are stored once,
    for longer), and its loop count."""
    frames, durations, loop = read_webp(data)
    shown = []
    for picture, duration in zip(frames, durations, strict=True):
        ticks, rest = divmod(duration, 1000 // FPS)
        assert rest == 0 and ticks >= 1  # each image starts on a frame of the clip
        shown += [picture] * ticks
    return shown, loop


def test_the_webp_loops_forever_and_shows_each_frame_at_its_tick(minted):
    truth = clip(minted.root, TOKEN)
    shown, loop = webp_ticks((minted.root / f"previews/{TOKEN}.webp").read_bytes())
    assert loop == 0 and len(shown) == FRAMES
    # lossy at 96 px (thin coloured lines blur), but the same picture
    assert max(mean_error(seen, true) for seen, true in zip(shown, truth, strict=True)) < 8.0
    assert in_time(shown, truth)


def test_the_mp4_has_the_clip_s_frames_rate_and_size_in_h264(minted):
    truth = clip(minted.root, TOKEN)
    frames, stream = mp4_frames(minted.root / f"previews/{TOKEN}.mp4")
    assert len(frames) == FRAMES and frames[0].shape == (96, 96, 3)
    assert "h264" in stream and "yuv420p" in stream and "10 fps" in stream and "96x96" in stream
    assert max(mean_error(seen, true) for seen, true in zip(frames, truth, strict=True)) < 8.0
    assert in_time(frames, truth)
    # a marketplace loops the video: the clip goes on seamlessly, its frame after the last
    # is its first again
    config = load_config(minted.root / "collection.toml")
    animator = Animator(
        collection_traits(config)[TOKEN],
        config.moment.chain_state(),
        idle=FRAMES,
        size=96,
        fps=FPS,
        tables=config.tables,
    )
    assert np.array_equal(animator.frame(FRAMES), truth[0])
    assert np.array_equal(animator.frame(FRAMES + 1), truth[1])
