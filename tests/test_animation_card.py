"""The result card (ORIGINAL.md 8: classify --card, animate --classify) and the timelapse."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from artgen.animation.card import (
    CardFacts,
    card_still,
    confidence_line,
    info_rows,
    name_layout,
    picture,
    picture_side,
    verdict,
)
from artgen.animation.timelapse import STAGE_SHARES, Timelapse, band_height, life_ages
from artgen.chain import from_values
from artgen.classify import Classification, classify_image
from artgen.cli import cli
from artgen.lifecycle import STAGES, stage_at, traits_life_state
from artgen.model import load_model
from artgen.tables import default_tables
from artgen.training import DEFAULT_MODEL
from artgen.traits import sample_traits

TABLES = default_tables()  # the packaged Perceptrons tables

SEED = 1


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def bird(tmp_path):
    """A 32 x 32 pixel-art picture: a yellow face on green, a red hat."""
    pixels = np.zeros((32, 32, 3), np.uint8)
    pixels[:] = (40, 160, 60)
    pixels[8:28, 6:26] = (240, 200, 20)
    pixels[2:8, 10:22] = (200, 20, 60)
    path = tmp_path / "bird.png"
    Image.fromarray(pixels).save(path)
    return path


def answer(top="Moonbirds", p=0.7) -> Classification:
    rest = (1 - p) / 3
    probs = {name: rest for name in ("Cryptoadz", "Cryptopunks", "Moonbirds", "Nouns")}
    probs[top] = p
    return Classification(probs, top, p, "I'm almost certain")


def token_card(bird, size=512, token=74, time="2024-11-25T10:40:00Z", p=0.7):
    from artgen.scene import portrait_scene

    traits = sample_traits(SEED, token)
    chain = from_values(time, 12.4)
    scene = portrait_scene(traits, chain, tables=TABLES)
    life = traits_life_state(traits, chain.time, tables=TABLES)
    facts = CardFacts(answer(p=p), life)
    return card_still(scene, facts, picture(bird, picture_side(size)), size), scene, life


def test_card_layout_follows_the_original(bird):
    # ORIGINAL 8, in u about the centre: the picture stretched to 215u at (cx - 357.5,
    # cy - 207.5) on a 225u pattern-colour mat centred at (cx - 250, cy - 100); the portrait
    # around the card dimmed by black at 75/255; the card 800 x 500 in paper colour.
    size = 1024
    card, scene, _ = token_card(bird, size)
    x0, y0 = round(512 - 357.5), round(512 - 207.5)
    shown = card[y0 + 3 : y0 + 212, x0 + 3 : x0 + 212].astype(int)
    assert np.abs(shown - picture(bird, 215)[3:212, 3:212]).mean() < 3  # pixel art stays crisp
    ink = np.array([round(255 * c) for c in scene.frame.color])
    mat = card[round(512 - 100 - 111), round(512 - 250)].astype(int)  # the mat's top band
    assert np.abs(mat - ink).max() <= 2
    paper = np.array([round(255 * c) for c in scene.paper])
    inside = card[512 + 235, 512 + 300].astype(int)  # the card's lower part: paper
    assert np.abs(inside - paper).max() <= 2
    corner = card[40, 40].astype(int)  # outside the card: the portrait's paper, dimmed
    assert np.abs(corner - np.round(paper * (1 - 75 / 255))).max() <= 2


def test_card_text_follows_the_original_rules():
    from artgen.lifecycle import LifeState

    assert verdict(0.19) == "I have a feeling this image belongs to"
    assert verdict(0.85) == "I'm positive this image belongs to"
    assert confidence_line(0.123456) == "I am 12.35% sure of it."
    assert confidence_line(0.999999) == "I am 100% sure of it."  # "100.00" shown as "100"

    def widths(text, size, bold):  # a monospace stand-in: 0.6 em a character, bold wider
        return len(text) * size * (0.66 if bold else 0.6)

    w1 = widths('"FIDENZAAAA"', 25, False)
    size, lines = name_layout("punks", widths)  # one word: min(75, 75 w1 / w)
    assert lines == ['"PUNKS"'] and size == 75
    size, lines = name_layout("extraordinarilylongname", widths)
    rule = 75 * w1 / widths('"EXTRAORDINARILYLONGNAME"', 25, True)
    fit = rule * 490 / widths('"EXTRAORDINARILYLONGNAME"', rule, True)  # never past cx + 390u
    assert size == pytest.approx(min(rule, fit))
    size, lines = name_layout("very long phrase of many words indeed", widths)  # two lines
    assert len(lines) == 2 and lines[0].startswith('"') and lines[1].endswith('"')
    assert 30 < size <= 50 and widths(lines[1], size, True) <= 460 + 1e-9
    many = " ".join(["word"] * 60)
    size, lines = name_layout(many, widths)  # 30u; overflow ends with '... LASTWORD"'
    assert size == 30 and lines[1].endswith('... WORD"')
    state = LifeState(0.0, 62.0 + 60, 2, "Decaying", 0.2, 0.8, ((1.0,),), 0.0, 1.0e9, 86400.0)
    rows = info_rows(CardFacts(answer(), state))
    assert rows[0].startswith("2 years old")  # ceil of the age within this life
    assert "9/9/2001, 1:46:40 AM UTC" in rows[1]  # the next Stable time, en-US


def test_classify_card_writes_a_png_and_keeps_json_output(tmp_path, bird):
    card = tmp_path / "card.png"
    args = ("classify", "--model", DEFAULT_MODEL, "--image", bird, "--json", "--card", card)
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["top"] in ("Cryptoadz", "Cryptopunks", "Moonbirds", "Nouns")
    with Image.open(card) as im:
        assert im.size == (1024, 1024) and im.format == "PNG"
    junk = tmp_path / "junk.png"
    junk.write_bytes(b"no")
    bad = run("classify", "--model", DEFAULT_MODEL, "--image", junk, "--card", tmp_path / "c.png")
    assert bad.exit_code == 2 and not (tmp_path / "c.png").exists()


def test_animate_classify_reveals_sweeps_and_ends_on_the_card(tmp_path, bird):
    out = tmp_path / "c.gif"
    args = ("--seed", SEED, "--token", 22, "--px", 128, "--fps", 10, "--fee-rate", 40)
    result = run("animate", *args, "--reveal", "--classify", bird, "-o", out)
    assert result.exit_code == 0, result.output
    traits = sample_traits(SEED, 22)  # Advanced: reveal steps of 2 frames, processing 10
    columns = 2 + len(load_model(DEFAULT_MODEL).hidden_sizes)  # the model's network is drawn
    reveal = math.ceil((2 * columns - 1) * 2 * 10 / 60)  # 2L - 1 steps at 60 Hz, in 10 fps
    classification = math.ceil(2 * (columns - 1) * 10 * 10 / 60)
    expected = reveal + 10 + classification + 40  # reveal, 1 s idle, classification, card
    assert traits.acceleration == "Advanced"
    with Image.open(out) as im:
        total = 0
        for k in range(im.n_frames):
            im.seek(k)
            total += im.info["duration"]
        im.seek(im.n_frames - 1)
        last = np.asarray(im.convert("RGB"), int)
        last_duration = im.info["duration"]
    assert total == expected * 100
    # under the settled card nothing blinks (the original blinks only while it classifies):
    # the GIF holds one picture for the last 40 - 15 frames (a frame with no change lengthens
    # the one before it)
    assert last_duration >= (40 - 15) * 100
    result = classify_image(DEFAULT_MODEL, bird)
    assert result.top in ("Cryptoadz", "Cryptopunks", "Moonbirds", "Nouns")
    # the last frame is the settled card: the picture sits on its mat
    side = picture_side(128)
    x0, y0 = round(64 - 357.5 / 8), round(64 - 207.5 / 8)
    shown = last[y0 + 2 : y0 + side - 2, x0 + 2 : x0 + side - 2]
    assert np.abs(shown - picture(bird, side)[2:-2, 2:-2]).mean() < 12


def test_timelapse_gives_every_stage_its_share_of_frames():
    ages = life_ages(200)
    stages = [STAGES[stage_at(a)] for a in ages]
    assert stages == sorted(stages, key=STAGES.index)  # birth to rebirth, in order
    for stage, share in zip(STAGES, STAGE_SHARES, strict=True):
        assert stages.count(stage) == pytest.approx(200 * share, abs=1)
    assert stages.count("Dead") >= 20 and stages.count("Rebirth") >= 20  # brief, but visible


def test_timelapse_frames_show_one_life_over_a_caption_band():
    traits = sample_traits(SEED, 74)
    chain = from_values("2024-11-25T10:40:00Z", 12.4)
    lapse = Timelapse(traits, chain, count=40, size=128, fps=25, tables=TABLES)
    now = traits_life_state(traits, chain.time, tables=TABLES)
    lives = [traits_life_state(traits, t, tables=TABLES) for t in lapse.times]
    assert {s.rebirths for s in lives} == {now.rebirths}
    assert [s.stage for s in lives][0] == "Growing" and lives[-1].stage == "Rebirth"
    frame = lapse.frame(10)
    band = band_height(128)
    assert frame.shape == (128 + band, 128, 3)
    caption = frame[128:]
    ink = np.array([round(c * 255) for c in lapse_ink(traits)])
    share_ink = (np.abs(caption.astype(int) - ink).max(axis=2) < 8).mean()
    assert 0.6 < share_ink < 0.98  # a band in the frame's ink, with text in it
    assert not np.array_equal(lapse.frame(5)[:128], lapse.frame(30)[:128])


def lapse_ink(traits):
    import palettes

    return palettes.parse_hex(palettes.get(traits.palette).pattern)


def typo_middle(path) -> float:
    """(typo ascent - typo descent) / 2 over their sum, read from a font file's OS/2 table: where
    the canvas's "middle" baseline lies above the alphabetic one, in ems (Chromium's rule)."""
    import struct

    data = Path(path).read_bytes()
    (tables,) = struct.unpack(">H", data[4:6])
    offsets = {}
    for i in range(tables):
        tag, _, offset, _ = struct.unpack(">4sIII", data[12 + 16 * i : 28 + 16 * i])
        offsets[tag] = offset
    ascent, descent = struct.unpack(">hh", data[offsets[b"OS/2"] + 68 : offsets[b"OS/2"] + 72])
    return (ascent + descent) / 2 / (ascent - descent)  # the descent is stored negative


class TextRecorder:
    """A cairo.Context stand-in that notes where each show_text puts its baseline (device)."""

    def __init__(self, ctx):
        self._ctx, self.shown = ctx, []

    def __getattr__(self, name):
        return getattr(self._ctx, name)

    def show_text(self, text):
        x, y = self._ctx.user_to_device(*self._ctx.get_current_point())
        scale = self._ctx.get_matrix().yy
        self.shown.append((text, x, y, self._ctx.get_font_matrix().yy * scale))
        self._ctx.show_text(text)


def test_card_text_is_centred_as_the_canvas_middle_baseline_centres_it(bird):
    # q5's CENTER is textBaseline "middle": the alphabetic baseline lies (typo ascent - typo
    # descent) / 2 em below y (the font's OS/2 metrics, scaled to one em), 0.2598 em for
    # DejaVu Sans, not the (ascent - descent) / 2 of the font's box, 0.346 em (ORIGINAL 8)
    import cairo
    from PIL import ImageFont

    from artgen.animation.card import FONT, MIDDLE, draw_card
    from artgen.scene import portrait_scene

    for face in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        assert MIDDLE == pytest.approx(typo_middle(ImageFont.truetype(face).path))
    assert FONT == "DejaVu Sans"
    traits = sample_traits(SEED, 74)
    chain = from_values("2024-11-25T10:40:00Z", 12.4)
    scene = portrait_scene(traits, chain, tables=TABLES)
    life = traits_life_state(traits, chain.time, tables=TABLES)
    surface = cairo.ImageSurface(cairo.FORMAT_RGB24, 1024, 1024)
    ctx = TextRecorder(cairo.Context(surface))
    draw_card(ctx, scene, CardFacts(answer(), life), picture(bird, 215))
    shown = {text: (x, y, size) for text, x, y, size in ctx.shown}
    centres = {  # ORIGINAL 8, in u about the centre (1u = 1 px at 1024)
        '"MOONBIRDS"': -90, verdict(0.7): -170, confidence_line(0.7): -25,
        "INTELLIGENCE INFO": 115, "CLOSE": 265 + 0.54 * 40, "SELECT ANOTHER IMAGE": 286.6,
    }  # fmt: skip
    for text, centre in centres.items():
        x, y, size = shown[text]
        assert y == pytest.approx(512 + centre + MIDDLE * size, abs=1 / 256), text  # Cairo's grid
    assert shown["INTELLIGENCE INFO"][2] == pytest.approx(40)
