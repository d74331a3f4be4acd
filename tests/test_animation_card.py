"""The classification card (classify --card, animate --classify) and the lifecycle timelapse."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from artgen.animation.card import BAR_H, BAR_Y, MARGIN, PANEL, card_array, neutral_scene, picture
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


def test_card_shows_the_image_crisp_and_the_network_beside_it(bird):
    size = 512
    side = round(PANEL * size / 1024)
    card = card_array(picture(bird, side), answer(), neutral_scene((6, 4), 1.0), size)
    x0, y0 = round(64 * size / 1024), round(112 * size / 1024)
    shown = card[y0 + 4 : y0 + side - 4, x0 + 4 : x0 + side - 4]
    expected = picture(bird, side)[4:-4, 4:-4]
    assert np.array_equal(shown, expected)  # pixel art enlarged without blur
    portrait = card[y0 : y0 + side, x0 + side + 40 : x0 + 2 * side + 32]
    assert (portrait.std(axis=(0, 1)) > 10).any()  # the network is drawn there


def test_card_bars_follow_the_confidence(bird):
    scene = neutral_scene((6, 4), 1.0)
    side = round(PANEL * 512 / 1024)
    low, high = (card_array(picture(bird, side), answer(p=q), scene, 512) for q in (0.3, 0.9))
    bar = slice(round((BAR_Y + 2) / 2), round((BAR_Y + BAR_H - 2) / 2))  # 512 px: half units
    across = slice(round(MARGIN / 2), round((1024 - MARGIN) / 2))

    def ink_share(card):
        return float((card[bar, across].mean(axis=2) < 128).mean())

    assert ink_share(low) == pytest.approx(0.3, abs=0.02)
    assert ink_share(high) == pytest.approx(0.9, abs=0.02)


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
    traits = sample_traits(SEED, 22)  # Advanced: reveal 2, sweep 10 frames per column
    columns = 2 + len(load_model(DEFAULT_MODEL).hidden_sizes)  # the model's network is drawn
    expected = columns * 2 + 10 + columns * 10 + 30  # reveal, 1 s idle, sweep, 3 s card
    assert traits.acceleration == "Advanced"
    with Image.open(out) as im:
        total = 0
        for k in range(im.n_frames):
            im.seek(k)
            total += im.info["duration"]
        im.seek(im.n_frames - 1)
        last = np.asarray(im.convert("RGB"), int)
    assert total == expected * 100
    result = classify_image(DEFAULT_MODEL, bird)
    assert result.top in ("Cryptoadz", "Cryptopunks", "Moonbirds", "Nouns")
    # the last frame is the card: the picture sits in its left panel
    side = round(PANEL * 128 / 1024)
    x0, y0 = round(64 * 128 / 1024), round(112 * 128 / 1024)
    shown = last[y0 + 2 : y0 + side - 2, x0 + 2 : x0 + side - 2]
    assert np.abs(shown - picture(bird, side)[2:-2, 2:-2]).mean() < 6


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
    lapse = Timelapse(traits, chain, count=40, size=128, tables=TABLES)
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
