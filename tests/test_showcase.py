"""The demo's showcase: one token in every stage, and unseen samples the models answer."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from PIL import Image

from artgen.chain import DEFAULT_CHAIN_STATE, ChainState
from artgen.datasets.procedural import CLASS_NAMES
from artgen.lifecycle import STAGES, traits_life_state
from artgen.model import load_model
from artgen.render import to_array
from artgen.scene import portrait_scene
from artgen.tables import default_tables, with_overrides
from artgen.training import DEFAULT_MODEL
from artgen.traits import sample_traits
from collection.showcase import (
    BAND,
    PANEL,
    STAGE_POINTS,
    STILL_SIZE,
    contrast,
    legible,
    stage_times,
    write_samples,
    write_stage_stills,
)
from palettes import all_palettes

TABLES = default_tables()  # the packaged Perceptrons tables


#: A collection whose Perceptron years are longer than the packaged ones.
LONG_YEARS = with_overrides(
    {"life_cycle_days": {"60 Years": 500, "60 Months": 41, "60 Weeks": 9.5, "60 Days": 1.25}},
    "test",
)


@pytest.mark.parametrize("tables", [TABLES, LONG_YEARS], ids=["packaged", "long-years"])
def test_stage_times_fall_in_their_stage_of_the_current_life(tables):
    traits = sample_traits("perceptrons-demo", 3)
    now = traits_life_state(traits, DEFAULT_CHAIN_STATE.time, tables=tables)
    for stage, t in stage_times(traits, DEFAULT_CHAIN_STATE, tables).items():
        state = traits_life_state(traits, t, tables=tables)
        assert state.stage == stage and state.rebirths == now.rebirths
        assert abs(state.stage_ratio - STAGE_POINTS[stage]) < 1e-6


def test_stage_stills_show_the_token_in_every_stage_and_each_differs(tmp_path):
    traits = sample_traits("perceptrons-demo", 3)
    chain = DEFAULT_CHAIN_STATE
    paths, strip = write_stage_stills(traits, chain, TABLES, tmp_path)
    assert [p.name for p in paths] == [f"stage-{s.lower()}.png" for s in STAGES]
    pictures = []
    for path, (stage, t) in zip(paths, stage_times(traits, chain, TABLES).items(), strict=True):
        moment = ChainState(time=t, height=chain.height, fee_rate=chain.fee_rate)
        scene = portrait_scene(traits, moment, tables=TABLES)
        assert scene.stage == stage
        with Image.open(path) as image:
            picture = np.asarray(image.convert("RGB"))
        assert np.array_equal(picture, to_array(scene, STILL_SIZE)), path.name  # that portrait
        pictures.append(picture.astype(np.int16))
    # the closest pair (Dead and Rebirth: the same drifting pieces, fewer of them) differs by
    # 0.53 levels over the whole picture, with 426 pixels off by more than 48 levels
    for i in range(len(pictures)):
        for j in range(i + 1, len(pictures)):
            diff = np.abs(pictures[i] - pictures[j])
            assert diff.mean() > 0.25, (STAGES[i], STAGES[j], diff.mean())
            assert (diff.max(axis=2) > 48).sum() > 100, (STAGES[i], STAGES[j])
    with Image.open(strip) as image:
        cells = np.asarray(image.convert("RGB"))[:PANEL].astype(np.int16)
    for k, picture in enumerate(pictures):  # each panel is its stage's still, shrunk
        still = Image.fromarray(picture.astype(np.uint8))
        small = np.asarray(still.resize((PANEL, PANEL), Image.Resampling.LANCZOS), np.int16)
        assert np.abs(cells[:, k * PANEL : (k + 1) * PANEL] - small).max() <= 1, STAGES[k]
    with Image.open(strip) as image:
        assert image.size == (5 * PANEL, PANEL + round(PANEL * BAND))
        band = np.asarray(image.convert("RGB"))[PANEL:].astype(np.int16)
    ink = band[1, 1]  # the band is the frame's ink; the labels are what differs from it
    words = np.abs(band - ink).sum(axis=2) > 60
    columns = [words[:, i * PANEL : (i + 1) * PANEL] for i in range(5)]
    for i, label in enumerate(columns):
        xs = np.flatnonzero(label.any(axis=0))
        assert len(xs) > 10, STAGES[i]  # a label under every panel, centred under it
        assert abs((xs[0] + xs[-1]) / 2 - PANEL / 2) < 6, STAGES[i]
    assert len({c.tobytes() for c in columns}) == 5  # five different labels


@pytest.mark.parametrize("palette", list(all_palettes()))
def test_stage_labels_read_on_every_palette_s_ink(palette):
    """The labels are the paper colour on the frame's ink, tinted or shaded just enough to
    read, light on dark staying light on dark."""
    scene = portrait_scene(dataclasses.replace(sample_traits(1, 0), palette=palette), tables=TABLES)
    paper, ink = scene.paper, scene.frame.color
    text, ground = legible(paper, ink)
    assert contrast(text, ground) >= 4.5
    if contrast(paper, ink) >= 4.5:
        assert (text, ground) == (paper, ink)
    else:
        assert contrast(text, ground) < 4.6  # no more change than needed
        assert text == paper or ground == ink
    black = (0.0, 0.0, 0.0)
    assert (contrast(text, black) > contrast(ground, black)) == (
        contrast(paper, black) > contrast(ink, black)
    )


def test_unseen_samples_are_one_per_class_and_the_bundled_model_knows_them(tmp_path):
    from artgen.classify import classify_image

    paths = write_samples(tmp_path)
    assert [p.stem for p in paths] == [c.lower() for c in CLASS_NAMES]
    model = load_model(DEFAULT_MODEL)
    answers = [classify_image(model, p).top for p in paths]
    assert sum(a == c for a, c in zip(answers, CLASS_NAMES, strict=False)) >= 3
