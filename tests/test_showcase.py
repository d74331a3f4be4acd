"""The demo's showcase: one token in every stage, and unseen samples the models answer."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from artgen.chain import DEFAULT_CHAIN_STATE
from artgen.datasets.procedural import CLASS_NAMES
from artgen.lifecycle import STAGES, traits_life_state
from artgen.model import load_model
from artgen.tables import default_tables, with_overrides
from artgen.training import DEFAULT_MODEL
from artgen.traits import sample_traits
from collection.showcase import STAGE_POINTS, stage_times, write_samples, write_stage_stills

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


def test_stage_stills_show_a_different_picture_in_every_stage(tmp_path):
    traits = sample_traits("perceptrons-demo", 3)
    paths, strip = write_stage_stills(traits, DEFAULT_CHAIN_STATE, TABLES, tmp_path)
    assert [p.name for p in paths] == [f"stage-{s.lower()}.png" for s in STAGES]
    pictures = []
    for path in paths:
        with Image.open(path) as image:
            pictures.append(np.asarray(image.convert("RGB"), dtype=np.int16))
    for i in range(len(pictures)):
        for j in range(i + 1, len(pictures)):
            assert np.abs(pictures[i] - pictures[j]).mean() > 0.05, (STAGES[i], STAGES[j])
    with Image.open(strip) as image:
        assert image.size == (5 * 256, 256)


def test_unseen_samples_are_one_per_class_and_the_bundled_model_knows_them(tmp_path):
    from artgen.classify import classify_image

    paths = write_samples(tmp_path)
    assert [p.stem for p in paths] == [c.lower() for c in CLASS_NAMES]
    model = load_model(DEFAULT_MODEL)
    answers = [classify_image(model, p).top for p in paths]
    assert sum(a == c for a, c in zip(answers, CLASS_NAMES, strict=False)) >= 3
