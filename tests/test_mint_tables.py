"""One collection, one answer: a config's own `life_cycle_days` reach every output of a token.

A collection that makes its Perceptron years longer or shorter than the packaged tables must
show each token in the same stage in its still, its previews (GIF and MP4 frames), its
metadata and its HTML art running in the browser; none of them may fall back to the default
year lengths (a preview once did).
"""

from __future__ import annotations

import json

import imageio.v2 as iio
import numpy as np
import pytest
from mint_configs import mint_once
from PIL import Image
from test_inscription import serving

from artgen.animation import write_preview
from artgen.animation.frames import Animator
from artgen.chain import ChainState, parse_time
from artgen.inscription import placeholder_id
from artgen.lifecycle import traits_life_state
from artgen.tables import default_tables
from artgen.traits import Traits
from collection.config import load_config
from collection.sampling import collection_traits

MOMENT = "2025-06-01T00:00:00Z"
CONFIG = f"""
[collection]
name = "Long Years"
size = 3
seed = 7
[dataset]
image_size = [8, 8]
per_class = 30
[render]
sizes = [256]
formats = ["png", "gif", "mp4", "html"]
fps = 10
seconds = 0.5
thumbnail_size = 64
[moment]
time = "{MOMENT}"
fee_rate = 20.0
[tables.life_cycle_days]
"60 Years" = 400
"60 Months" = 45
"60 Weeks" = 10
"60 Days" = 1.5
"""
CHAIN = ChainState(parse_time(MOMENT), 900_000, 20.0)


@pytest.fixture(scope="module")
def minted(tmp_path_factory):
    root = mint_once(tmp_path_factory, "long-years", CONFIG).root
    config = load_config(root / "collection.toml")
    records = [json.loads((root / f"metadata/{t}.json").read_text()) for t in range(3)]
    return root, config, collection_traits(config), records


def stages(traits: list[Traits], tables) -> list[str]:
    return [traits_life_state(t, CHAIN.time, tables=tables).stage for t in traits]


def test_the_config_s_years_change_the_stage_of_some_tokens(minted):
    """The premise: with the packaged year lengths these tokens would be in other stages."""
    _, config, traits, _ = minted
    assert config.tables.days_per_year("60 Weeks") == 10
    ours, default = stages(traits, config.tables), stages(traits, default_tables())
    assert ours == ["Dead", "Stable", "Growing"] and default == ["Decaying", "Growing", "Stable"]


def test_still_metadata_and_record_show_the_collection_s_stage(minted):
    root, config, traits, records = minted
    for t, meta, stage in zip(traits, records, stages(traits, config.tables), strict=True):
        with Image.open(root / f"images/{t.token}.png") as still:
            assert still.text["stage"] == stage
        assert meta["stage"]["name"] == stage
        life = traits_life_state(t, CHAIN.time, tables=config.tables)
        assert meta["stage"]["active_neurons"] == life.active_label


def _first_frame(traits: Traits, tables, size: int) -> np.ndarray:
    clip = Animator(traits, CHAIN, idle=5, size=size, fps=25, tables=tables)
    return clip.frame(0).astype(float)  # frame 0 is the same at any frame rate


@pytest.mark.parametrize("fmt", ["gif", "mp4"])
def test_previews_show_the_collection_s_stage(minted, fmt):
    """Each preview's first frame is the clip drawn with the collection's tables; where the
    packaged tables would draw another picture, the preview is far from it."""
    root, config, traits, _ = minted
    gaps = []
    for t in traits:
        path = root / f"previews/{t.token}.{fmt}"
        if fmt == "gif":
            with Image.open(path) as clip:
                first = np.asarray(clip.convert("RGB"), dtype=float)
        else:
            with iio.get_reader(path) as reader:
                first = reader.get_data(0).astype(float)
        ours = _first_frame(t, config.tables, first.shape[0])
        theirs = _first_frame(t, default_tables(), first.shape[0])
        gap = np.abs(ours - theirs).mean()
        error = np.abs(first - ours).mean()  # GIF palettes and H.264 cost a little
        assert error < 4.0 and (gap < 5.0 or error < gap / 5), (t.token, error, gap)
        gaps.append(gap)
    assert max(gaps) > 15.0  # Stable at full growth against Growing at a quarter


def test_gif_previews_are_the_clips_of_the_collection_s_tables(minted, tmp_path):
    root, config, traits, _ = minted
    for t in traits:
        mine = write_preview(tmp_path / f"{t.token}.gif", t, chain=CHAIN, fps=10, seconds=0.5,
                             size=256, tables=config.tables)  # fmt: skip
        assert (root / f"previews/{t.token}.gif").read_bytes() == mine.read_bytes()


def test_the_html_art_shows_the_collection_s_stage(minted, browser):
    root, config, traits, _ = minted
    with serving(root, CHAIN) as url:
        page = browser.new_page()
        try:
            for t in traits:
                ident = placeholder_id((root / f"art/{t.token}.html").read_bytes())
                page.goto(f"{url}content/{ident}")
                page.wait_for_function("window.Perceptron && Perceptron.ready")
                page.evaluate("Perceptron.ready")
                shown = page.evaluate(
                    "({stage: Perceptron.app.life.stage, growth: Perceptron.app.life.growth,"
                    " time: Perceptron.app.chain.time})"
                )
                life = traits_life_state(t, CHAIN.time, tables=config.tables)
                assert shown["time"] == CHAIN.time
                assert shown["stage"] == life.stage
                assert shown["growth"] == pytest.approx(life.growth, abs=1e-9)
        finally:
            page.close()
