"""The demo's showcase: one token through its whole life, and its brain at work.

After minting, a collection author wants to see more than the stills: the same Perceptron in
each of the five stages, a timelapse of one life, the network answering images it never saw
(its own trained model and the bundled default model), and the rarity audit. Everything is
written under <collection>/showcase/ (and <collection>/audit/), outside the manifest.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from artgen import atomic
from artgen.chain import DEFAULT_CHAIN_STATE, ChainState, format_time
from artgen.classify import Classification, classify_pixels
from artgen.datasets.procedural import CLASS_NAMES, generate
from artgen.lifecycle import (
    LIFE_YEARS,
    STAGE_ENDS,
    STAGE_STARTS,
    STAGES,
    birth_time,
    traits_life_state,
)
from artgen.model import load_model
from artgen.render import png_bytes_of, to_image
from artgen.scene import portrait_scene
from artgen.tables import Tables
from artgen.training import DEFAULT_MODEL
from artgen.traits import Traits

#: Unseen sample images come from a seed the training set never used.
SAMPLE_SEED = 90210
STILL_SIZE = 512
#: Where in each stage the showcase looks. Dead pieces dissolve as Rebirth's come back, so
#: the two stages' midpoints would look alike: Dead is shown early, Rebirth late.
STAGE_POINTS = {"Growing": 0.4, "Stable": 0.5, "Decaying": 0.5, "Dead": 0.3, "Rebirth": 0.85}


@dataclass(frozen=True)
class Showcase:
    """What the showcase wrote, for the demo to print."""

    stages: list[Path]
    strip: Path
    timelapse: Path
    cards: list[Path]
    answers: list[tuple[str, str, Classification]]  # (image, model, answer)


def stage_times(traits: Traits, chain: ChainState, tables: Tables) -> dict[str, float]:
    """A moment in each stage (at STAGE_POINTS) of the life the chain's moment falls in, with
    years as long as the collection's tables say."""
    life = traits_life_state(traits, chain.time, tables=tables)
    year = life.year_seconds
    start = birth_time(traits.birth_year) + life.rebirths * LIFE_YEARS * year
    return {
        stage: start
        + (STAGE_STARTS[i] + STAGE_POINTS[stage] * (STAGE_ENDS[i] - STAGE_STARTS[i])) * year
        for i, stage in enumerate(STAGES)
    }


def write_stage_stills(
    traits: Traits, chain: ChainState, tables: Tables, out: Path
) -> tuple[list[Path], Path]:
    """One still per stage, and a strip of all five side by side."""
    paths, images = [], []
    for stage, t in stage_times(traits, chain, tables).items():
        moment = ChainState(time=t, height=chain.height, fee_rate=chain.fee_rate)
        image = to_image(portrait_scene(traits, moment, tables=tables), STILL_SIZE)
        path = out / f"stage-{stage.lower()}.png"
        atomic.write_bytes(path, png_bytes_of(image))
        paths.append(path)
        images.append(image.resize((STILL_SIZE // 2, STILL_SIZE // 2), Image.Resampling.LANCZOS))
    strip = Image.new("RGB", (len(images) * images[0].width, images[0].height))
    for i, image in enumerate(images):
        strip.paste(image, (i * image.width, 0))
    strip_path = atomic.write_bytes(out / "stages.png", png_bytes_of(strip))
    return paths, strip_path


def write_samples(out: Path) -> list[Path]:
    """One unseen image per class of the default dataset, as PNG files."""
    images, labels = generate(SAMPLE_SEED, 1)
    paths = []
    for image, label in zip(images, labels, strict=True):
        path = out / f"{CLASS_NAMES[int(label)].lower()}.png"
        big = Image.fromarray(image).resize((256, 256), Image.Resampling.NEAREST)
        atomic.write_bytes(path, png_bytes_of(big))
        paths.append(path)
    return paths


def write_showcase(
    root: Path, traits: Traits, chain: ChainState | None = None, *, tables: Tables
) -> Showcase:
    """Stage stills, a timelapse, and classification cards for one minted token of a
    collection with these `tables`."""
    from artgen.animation import write_timelapse
    from artgen.animation.card import write_card
    from artgen.images import load_image

    chain = chain or DEFAULT_CHAIN_STATE
    out = root / "showcase"
    stages, strip = write_stage_stills(traits, chain, tables, out)
    timelapse = write_timelapse(
        out / "timelapse.gif", traits, chain=chain, seconds=8, size=256, tables=tables
    )
    samples = write_samples(out / "samples")
    own = load_model(root / "models" / f"{traits.token}.json")
    life = traits_life_state(traits, chain.time, own.hidden_sizes, tables=tables)
    answers, cards = [], []
    for model, label, neurons in (
        (own, f"token {traits.token}", life.neuron_life),
        (load_model(DEFAULT_MODEL), "bundled default", None),
    ):
        h, w, _ = model.input_shape
        for sample in samples:
            answers.append(
                (sample.name, label, classify_pixels(model, load_image(sample, h, w), neurons))
            )
    scene = portrait_scene(traits, chain, hidden_sizes=own.hidden_sizes, tables=tables)
    for sample, (_, _, result) in zip(samples, answers, strict=False):
        title = f"Perceptron #{traits.token}, {life.stage.lower()}, {format_time(chain.time)}"
        cards.append(
            write_card(
                out / f"card-{sample.stem}.png", sample, result, scene, size=768, title=title
            )
        )
    summary = [
        {"image": image, "model": label, **result.to_json()} for image, label, result in answers
    ]
    atomic.write_text(
        out / "classifications.json", json.dumps(summary, indent=1, ensure_ascii=False)
    )
    return Showcase(stages, strip, timelapse, cards, answers)
