"""The GIF encoder: files that decode and loop with the clip's timing, the stated error bound on
every frame of real tokens, one stable palette, changes below the bound held back."""

from __future__ import annotations

import io
import math
import subprocess

import imageio_ffmpeg
import numpy as np
import pytest
from PIL import Image

from artgen.animation import gif, write_preview
from artgen.animation.frames import Animator
from artgen.animation.gif import HOLD, gif_bytes, palette
from artgen.chain import from_values
from artgen.tables import default_tables
from artgen.traits import sample_traits

SEED = 1
CHAIN = from_values("2024-11-25T10:40:00Z", 30.0)
# the smallest network of collection seed 1's first 2,000 tokens, the median one, the largest
TOKENS = {"smallest": 530, "median": 479, "largest": 1383}
TABLES = default_tables()  # the packaged Perceptrons tables


def clip_frames(token: int, count: int, size: int) -> list[np.ndarray]:
    """The rendered (lossless) frames of a token's idle loop."""
    clip = Animator(sample_traits(SEED, token), CHAIN, idle=count, size=size, fps=25, tables=TABLES)
    return [clip.frame(k) for k in range(clip.length)]


def images(data: bytes) -> list[tuple[np.ndarray, int]]:
    """(RGB picture, duration in ms) of each image of a GIF, as Pillow shows them."""
    out = []
    with Image.open(io.BytesIO(data)) as im:
        for k in range(im.n_frames):
            im.seek(k)
            out.append((np.asarray(im.convert("RGB")), im.info["duration"]))
    return out


def shown(data: bytes, delay: int) -> list[np.ndarray]:
    """What a viewer sees at each tick of `delay` ms: an image held n ticks counts n times."""
    out = []
    for picture, duration in images(data):
        assert duration % delay == 0 and duration > 0
        out += [picture] * (duration // delay)
    return out


def descriptors(data: bytes) -> tuple[bool, list[tuple[int, int, int, int, bool, bool]]]:
    """(has a global colour table, [(x, y, width, height, has a local colour table, has a
    transparent index)] per image) of a GIF file."""
    flags = data[10]
    pos = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    found, transparent = [], False
    while data[pos] != 0x3B:
        if data[pos] == 0x21:  # extension: label, then sub-blocks
            if data[pos + 1] == 0xF9:  # graphic control: its flags say "transparent index"
                transparent = bool(data[pos + 3] & 1)
            pos += 2
        else:  # image descriptor
            box = [int.from_bytes(data[pos + i : pos + i + 2], "little") for i in (1, 3, 5, 7)]
            packed = data[pos + 9]
            found.append((*box, bool(packed & 0x80), transparent))
            pos += 10 + (3 * 2 ** ((packed & 7) + 1) if packed & 0x80 else 0) + 1
        while data[pos]:
            pos += data[pos] + 1
        pos += 1
    return bool(flags & 0x80), found


def test_a_preview_decodes_loops_forever_and_keeps_the_clip_timing(tmp_path):
    path = write_preview(
        tmp_path / "p.gif",
        sample_traits(SEED, 106),
        chain=CHAIN,
        fps=25,
        seconds=2,
        size=128,
        tables=TABLES,
    )
    data = path.read_bytes()
    with Image.open(path) as im:
        assert im.size == (128, 128) and im.info["loop"] == 0  # 0: for ever
    seen = shown(data, 40)
    assert len(seen) == 50  # 2 s at 25 fps, whatever images were held longer
    has_global, found = descriptors(data)
    assert has_global and found and not any(local for *_, local, _ in found)  # one palette
    # the loop restarts exactly: the first image covers the canvas, with no transparent pixel
    assert found[0][:4] == (0, 0, 128, 128) and not found[0][5]


@pytest.mark.parametrize("clip", ["median token", "blink"])
def test_ffmpeg_decodes_the_same_pictures_as_pillow(tmp_path, clip):
    """Both decoders agree, also on images undone ("restore previous")."""
    if clip == "blink":
        frames = blinking([(), (1, 4, 7), (2, 4, 9), (), (), (0, 1, 2, 3), (1,), ()])
    else:
        frames = clip_frames(TOKENS["median"], 12, 96)
    path = tmp_path / "p.gif"
    path.write_bytes(gif_bytes(frames.__getitem__, len(frames), 25))
    ffmpeg = [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(path)]
    raw = subprocess.run(
        [*ffmpeg, "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True,
        check=True,
    ).stdout
    decoded = list(np.frombuffer(raw, np.uint8).reshape(-1, *frames[0].shape))
    pillow = [picture for picture, _ in images(path.read_bytes())]
    assert len(decoded) == len(pillow)
    assert clip != "blink" or 3 in disposals(path.read_bytes())
    for a, b in zip(decoded, pillow, strict=True):
        assert np.array_equal(a, b)


@pytest.mark.parametrize("name", sorted(TOKENS))
def test_every_frame_is_within_the_error_bound(name):
    frames = clip_frames(TOKENS[name], 50, 192)
    data = gif_bytes(frames.__getitem__, len(frames), 25)
    seen = shown(data, 40)
    assert len(seen) == len(frames)
    with Image.open(io.BytesIO(data)) as im:
        table = np.array(im.getpalette()[:768]).reshape(-1, 3)
    for k, (true, got) in enumerate(zip(frames, seen, strict=True)):
        error = np.abs(true.astype(int) - got).max(axis=2)
        # further off only where the clip's palette has no colour that close (gif.py's bound)
        for colour in {tuple(c) for c in true[error > HOLD]}:
            closest = np.abs(table - np.array(colour)).max(axis=1).min()
            assert closest > HOLD, f"frame {k}: {colour} shown {error.max()} off"


def test_a_pixel_changes_only_when_its_true_colour_does():
    frames = clip_frames(TOKENS["median"], 25, 160)
    seen = shown(gif_bytes(frames.__getitem__, len(frames), 25), 40)
    changed = 0
    for k in range(1, len(frames)):
        still = (frames[k] == frames[k - 1]).all(axis=2)
        moved = (seen[k] != seen[k - 1]).any(axis=2)
        assert not (still & moved).any(), f"frame {k}: a still pixel flickers"
        changed += int(moved.sum())
    assert changed  # the clip does move


def test_changes_below_the_bound_are_no_change():
    # a gentle gradient under faint noise (as antialiasing or a slow fade makes): one picture
    y, x = np.mgrid[0:48, 0:64]
    base = np.stack([40 + x, 60 + y // 2, np.full_like(x, 90)], axis=2)
    rng = np.random.default_rng(0)
    first = base + rng.integers(-2, 3, base.shape)
    frames = [first] + [first + rng.integers(-1, 2, base.shape) for _ in range(9)]
    frames = [f.astype(np.uint8) for f in frames]
    data = gif_bytes(frames.__getitem__, len(frames), 25)
    assert [duration for _, duration in images(data)] == [400]  # ten frames, one image
    picture = images(data)[0][0]
    assert all(np.abs(f.astype(int) - picture).max() <= HOLD for f in frames)


def test_a_moving_square_is_stored_as_the_box_it_changes():
    frames = []
    for k in range(6):
        frame = np.full((120, 160, 3), (30, 60, 50), np.uint8)
        frame[40:60, 10 + 20 * k : 30 + 20 * k] = (240, 200, 40)
        frames.append(frame)
    data = gif_bytes(frames.__getitem__, len(frames), 10)
    seen = shown(data, 100)
    assert all(np.abs(a.astype(int) - b).max() <= HOLD for a, b in zip(frames, seen, strict=True))
    # after the first whole frame, each image is only the 40 x 20 strip the square swept
    _, found = descriptors(data)
    assert found[0][:4] == (0, 0, 160, 120) and not found[0][5]
    assert [box[:4] for box in found[1:]] == [(10 + 20 * k, 40, 40, 20) for k in range(5)]


def test_a_rare_colour_gets_a_palette_entry_of_its_own():
    # a rich gradient fills the median cut's boxes; a 3 x 3 spark of blue (9 pixels of 32,768)
    # would be merged into one of them, 98 off; the colours added after the cut keep it
    y, x = np.mgrid[0:128, 0:256]
    frame = np.stack([x, y * 2, (x + y) % 256], axis=2).astype(np.uint8)
    frame[60:63, 60:63] = (20, 40, 250)
    picture = images(gif_bytes(lambda k: frame, 1, 10))[0][0]
    assert np.abs(picture[60:63, 60:63].astype(int) - frame[60:63, 60:63]).max() <= HOLD


def test_a_hold_longer_than_a_gif_delay_goes_on_in_empty_images():
    frames = [np.full((8, 8, 3), 90, np.uint8)] * 700  # 700 s at 1 fps: delays stop at 655.35 s
    data = gif_bytes(frames.__getitem__, len(frames), 1)
    durations = [duration for _, duration in images(data)]
    assert sum(durations) == 700_000 and max(durations) <= 655_350 and len(durations) == 2
    assert all(np.array_equal(picture, images(data)[0][0]) for picture, _ in images(data))


def test_the_same_frames_give_the_same_bytes():
    frames = clip_frames(TOKENS["smallest"], 10, 96)
    a = gif_bytes(frames.__getitem__, len(frames), 25)
    b = gif_bytes(lambda k: frames[k].copy(), len(frames), 25)
    assert a == b


def test_the_palette_is_the_clips_and_never_uses_the_transparent_index():
    frames = clip_frames(TOKENS["median"], 10, 96)
    clip = gif.palette([frames[k] for k in gif.sample_frames(len(frames))])
    assert clip.colors.shape == (gif.COLORS, 3)
    assert len(clip.table) == 768
    nearest = gif.FrameEncoder(clip, 96, 96).nearest(frames[3])
    assert nearest.max() < gif.COLORS


def disposals(data: bytes) -> list[int]:
    """The disposal method of each image of a GIF (1: keep, 3: restore the canvas before it)."""
    out, pos = [], 13 + 768
    while data[pos] != 0x3B:
        if data[pos] == 0x21 and data[pos + 1] == 0xF9:
            out.append(data[pos + 3] >> 2 & 7)
        if data[pos] == 0x21:
            pos += 2
        else:
            pos += 11
        while data[pos]:
            pos += data[pos] + 1
        pos += 1
    return out


def blinking(states: list[tuple[int, ...]]) -> list[np.ndarray]:
    """Frames of a little network that blinks: nodes (outlined squares over criss-crossing
    lines) of which the ones listed in each state are erased, showing the lines behind."""
    y, x = np.mgrid[0:120, 0:160]
    paper = np.stack([30 + x // 8, 60 + y // 6, np.full_like(x, 120)], axis=2)
    lines = ((x + 2 * y) % 23 < 2) | ((3 * x - y) % 31 < 2)
    paper[lines] = (200, 210, 230)
    nodes = [(20 + 30 * (i % 5), 15 + 35 * (i // 5)) for i in range(15)]
    frames = []
    for erased in states:
        frame = paper.copy()
        for i, (nx, ny) in enumerate(nodes):
            if i not in erased:
                frame[ny : ny + 16, nx : nx + 16] = (240, 240, 250)
                frame[ny + 2 : ny + 14, nx + 2 : nx + 14] = (90 + 9 * i, 40, 70)
        frames.append(frame.astype(np.uint8))
    return frames


def test_a_blink_undoes_its_image_instead_of_coding_the_nodes_back():
    """Nodes erased then shown again: each erasure is an image the next frame undoes (disposal
    "restore previous"), and showing every node again costs an empty image."""
    states = [(), (1, 4, 7), (), (), (2, 4, 9, 12), ()]
    frames = blinking(states)
    data = gif_bytes(frames.__getitem__, len(frames), 25)
    seen = shown(data, 40)
    assert all(np.abs(a.astype(int) - b).max() <= HOLD for a, b in zip(frames, seen, strict=True))
    _, found = descriptors(data)
    assert disposals(data) == [1, 3, 1, 3, 1]  # the empty images are the ones after an undo
    assert found[2][2:4] == (1, 1) and found[4][2:4] == (1, 1)


def test_an_undone_image_s_pixels_whose_colour_stays_are_written_back_as_they_were():
    """A fresh set of nodes blinks every frame, overlapping the last: the image before is undone
    (the nodes it alone erased come back for free) and the nodes erased in both frames are
    written again exactly as they showed: no pixel changes while its true colour stays."""
    states = [(), (1, 4, 7, 10, 12), (0, 2, 3, 4, 5), (4, 6, 8, 9, 11, 13), (), (3, 4, 5), ()]
    frames = blinking(states)  # (the paper's gradient gives the coder several colours to choose)
    data = gif_bytes(frames.__getitem__, len(frames), 25)
    seen = shown(data, 40)
    for k in range(1, len(frames)):
        assert np.abs(frames[k].astype(int) - seen[k]).max() <= HOLD, k
        still = (frames[k] == frames[k - 1]).all(axis=2)
        moved = (seen[k] != seen[k - 1]).any(axis=2)
        assert not (still & moved).any(), f"frame {k}: a still pixel flickers"
    assert disposals(data) == [1, 3, 3, 3, 1, 3, 1]  # the blinks undone, overlaps pinned


def test_a_colour_the_palette_montage_skips_still_gets_a_close_entry():
    # the median cut looks at every other pixel; a colour only at odd coordinates (a thin
    # line's antialiased end) must still be in reach, or it would show far off in every frame
    frames = [np.zeros((8, 8, 3), np.uint8) for _ in range(3)]
    frames[1][3, 5] = (250, 10, 10)
    colours = palette(frames).colors.astype(int)
    assert np.abs(colours - (250, 10, 10)).max(axis=1).min() <= HOLD
    data = gif_bytes(frames.__getitem__, len(frames), 25)
    assert np.abs(shown(data, 40)[1][3, 5].astype(int) - (250, 10, 10)).max() <= HOLD


def test_a_hold_of_exactly_the_longest_delay_is_one_image_and_what_follows_is_coded_whole():
    """At 20 fps (5/100 s a frame) 13,107 frames are 655.35 s, the longest GIF delay: one image.
    One frame more goes on in an empty image, which cannot be undone: the next change is coded
    over what shows, and every frame still shows its picture."""
    base = np.full((8, 8, 3), 90, np.uint8)
    node = base.copy()
    node[2:6, 2:6] = 200
    frames = [base] + [node] * 13_108 + [base]
    data = gif_bytes(frames.__getitem__, len(frames), 20)
    found = images(data)
    assert [duration for _, duration in found] == [50, 655_350, 50, 50]
    for (picture, _), truth in zip(found, [base, node, node, base], strict=True):
        assert np.abs(picture.astype(int) - truth).max() <= HOLD


def test_every_frame_is_drawn_once():
    frames = clip_frames(TOKENS["smallest"], 20, 48)
    drawn = []
    gif_bytes(lambda k: drawn.append(k) or frames[k], len(frames), 25)
    assert sorted(drawn) == list(range(len(frames)))


def test_frames_that_cannot_make_a_gif_are_refused(tmp_path):
    with pytest.raises(ValueError, match="^a GIF needs at least one frame$"):
        gif_bytes(lambda k: np.zeros((8, 8, 3), np.uint8), 0, 25)
    # frame 7 of 20 is not one the palette samples: the encoder meets it first
    for odd in (np.zeros((8, 9, 3), np.uint8), np.zeros((8, 8, 3), np.uint16)):
        frames = [np.zeros((8, 8, 3), np.uint8)] * 7 + [odd] + [np.zeros((8, 8, 3), np.uint8)] * 12
        with pytest.raises(ValueError, match=r"^expected a \(8, 8, 3\) uint8 frame$"):
            gif_bytes(frames.__getitem__, 20, 25)
    path = tmp_path / "x.gif"
    with pytest.raises(gif.ArtgenError) as err:
        gif.write_gif(path, lambda k: np.zeros((8, 8, 3), np.uint8), 1, 30)
    assert str(err.value) == (
        f"{path}: field 'fps': a GIF plays 50, 25, 20, 10, 5, 4, 2, 1 fps exactly (delays are "
        "whole 1/100 s of at least 20 ms), got 30; use one of those or write .mp4"
    )
    assert not path.exists()


@pytest.mark.parametrize("count", [1, 16, 17, 100, 751])
def test_the_palette_samples_16_frames_spread_evenly_first_and_last_included(count):
    picked = gif.sample_frames(count)
    assert picked == sorted(set(picked)) and len(picked) == min(count, 16)
    assert picked[0] == 0 and picked[-1] == count - 1
    step = (count - 1) / 15
    gaps = np.diff(picked)
    assert ((math.floor(step) <= gaps) & (gaps <= math.ceil(step))).all()


def test_the_screen_says_square_pixels_and_its_size():
    """GIF89a's logical screen: width and height, a global table of 256 colours (0xF7), the
    background index, and a pixel aspect ratio of 0: no ratio, square pixels (any other value
    asks a viewer to stretch the picture)."""
    frames = [np.full((6, 10, 3), 90, np.uint8)]
    data = gif_bytes(frames.__getitem__, 1, 25)
    assert data[:13] == b"GIF89a" + (10).to_bytes(2, "little") + (6).to_bytes(2, "little") + (
        b"\xf7\x00\x00"
    )


def test_ten_rare_colours_each_get_a_palette_entry():
    """Ten sparks, each far from every colour of a rich gradient and 20 levels from
    each other: the colours added after the median cut, farthest first, serve every one."""
    y, x = np.mgrid[0:128, 0:256]
    frame = np.stack([x, y * 2, (x + y) % 256], axis=2).astype(np.uint8)
    sparks = [(10 + 20 * k, 100, (10 + 20 * k + 178) % 256) for k in range(10)]
    for k, color in enumerate(sparks):
        frame[8 + 10 * k : 11 + 10 * k, 200:203] = color
    picture = images(gif_bytes(lambda k: frame, 1, 10))[0][0]
    for k, color in enumerate(sparks):
        shown_here = picture[8 + 10 * k : 11 + 10 * k, 200:203].astype(int)
        assert np.abs(shown_here - color).max() <= HOLD, color


def test_a_clip_of_255_colours_has_each_of_them_in_its_palette():
    """192 colours on the pixels the median cut looks at (black among them), and 63 more only on
    the pixels it skips, each a single level from one of the 192: the palette's 255 entries
    are exactly the clip's 255 colours (a colour one level off is not 'close enough')."""
    rng = np.random.default_rng(0)
    drawn = [(0, 0, 0), *(tuple(int(v) for v in c) for c in rng.integers(0, 256, (400, 3)))]
    base = list(dict.fromkeys(drawn))[:192]
    extras = sorted({(min(255, r + 1), g, b) for r, g, b in base[1:]} - set(base))[:63]
    frame = np.zeros((32, 32, 3), np.uint8)
    y, x = np.mgrid[0:32, 0:32]
    frame[...] = np.array(base, np.uint8)[((y // 2) * 16 + x // 2) % 192]
    odd = (y % 2 == 1) & (x % 2 == 1)
    frame[odd] = np.array(extras, np.uint8)[np.arange(odd.sum()) % 63]
    assert len(np.unique(frame[::2, ::2].reshape(-1, 3), axis=0)) == 192
    assert len(np.unique(frame.reshape(-1, 3), axis=0)) == 255
    colours = {tuple(int(v) for v in c) for c in palette([frame]).colors}
    assert colours == set(base) | set(extras)


def test_a_flat_colour_the_palette_lacks_shows_flat_not_dithered():
    """A frame the palette did not sample, a flat grey between its black and white: every
    pixel takes the same nearest colour (no dithering: a dither pattern would crawl as the
    preview plays)."""
    count = 40
    k = next(i for i in range(count) if i not in gif.sample_frames(count))
    halves = np.zeros((16, 16, 3), np.uint8)
    halves[:, 8:] = 255
    grey = np.full((16, 16, 3), 128, np.uint8)
    data = gif_bytes(lambda i: grey if i == k else halves, count, 25)
    pictures = [picture for picture, _ in images(data)]
    assert len(pictures) == 3  # halves, grey, halves
    assert len(np.unique(pictures[1].reshape(-1, 3), axis=0)) == 1
