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

import numpy as np
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
from artgen.scene import RGB, portrait_scene
from artgen.tables import Tables
from artgen.training import DEFAULT_MODEL
from artgen.traits import Traits

#: Unseen sample images come from a seed the training set never used.
SAMPLE_SEED = 90210
STILL_SIZE = 512
PANEL = STILL_SIZE // 2  # px: one stage in the strip
BAND = 0.17  # the label band's height, as a share of a panel
FONT = "DejaVu Sans"
LEGIBLE = 4.5  # WCAG 2's contrast ratio for body text
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
    """One still per stage, and a strip of all five side by side, each labelled with its stage
    and date."""
    paths, panels, labels = [], [], []
    scene = None
    for stage, t in stage_times(traits, chain, tables).items():
        moment = ChainState(time=t, height=chain.height, fee_rate=chain.fee_rate)
        scene = portrait_scene(traits, moment, tables=tables)
        image = to_image(scene, STILL_SIZE)
        path = out / f"stage-{stage.lower()}.png"
        atomic.write_bytes(path, png_bytes_of(image))
        paths.append(path)
        panels.append(image.resize((PANEL, PANEL), Image.Resampling.LANCZOS))
        labels.append((stage, format_time(t)[:10]))
    assert scene is not None
    band = Image.fromarray(label_band(labels, PANEL, scene.frame.color, scene.paper))
    strip = Image.new("RGB", (len(panels) * PANEL, PANEL + band.height))
    for i, panel in enumerate(panels):
        strip.paste(panel, (i * PANEL, 0))
    strip.paste(band, (0, PANEL))
    strip_path = atomic.write_bytes(out / "stages.png", png_bytes_of(strip))
    return paths, strip_path


def label_band(labels: list[tuple[str, str]], panel: int, ink: RGB, paper: RGB) -> np.ndarray:
    """A band under a row of `panel`-wide panels, in the frame's ink: each panel's title (bold)
    and subtitle centred under it, in the paper colour (the two made `legible`)."""
    import cairo

    from artgen.render import surface_array

    height = round(panel * BAND)
    surface = cairo.ImageSurface(cairo.FORMAT_RGB24, panel * len(labels), height)
    ctx = cairo.Context(surface)
    text, ground = legible(paper, ink)
    ctx.set_source_rgb(*ground)
    ctx.paint()
    for i, (title, subtitle) in enumerate(labels):
        centre = (i + 0.5) * panel
        for words, size, baseline, weight in (
            (title, 0.36, 0.47, cairo.FONT_WEIGHT_BOLD),
            (subtitle, 0.25, 0.82, cairo.FONT_WEIGHT_NORMAL),
        ):
            ctx.select_font_face(FONT, cairo.FONT_SLANT_NORMAL, weight)
            ctx.set_font_size(size * height)
            ctx.move_to(centre - ctx.text_extents(words).x_advance / 2, baseline * height)
            ctx.set_source_rgb(*text)
            ctx.show_text(words)
    return surface_array(surface)


def contrast(a: RGB, b: RGB) -> float:
    """WCAG 2 contrast ratio of two sRGB colours (1 to 21)."""

    def luminance(c: RGB) -> float:
        lin = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def legible(text: RGB, ground: RGB, ratio: float = LEGIBLE) -> tuple[RGB, RGB]:
    """(text, ground) colours that read at `ratio`: unchanged when they do; else the text
    tinted (or shaded) away from the ground by the least that reads, or when even white (or
    black) text would not, the ground shaded (or tinted) away from the text. Light text stays
    light on a darker ground, and dark text dark on a lighter one."""
    if contrast(text, ground) >= ratio:
        return text, ground
    white, black = (1.0, 1.0, 1.0), (0.0, 0.0, 0.0)
    lighter = contrast(text, black) >= contrast(ground, black)
    end = white if lighter else black
    if contrast(end, ground) >= ratio:
        return _towards(text, end, lambda c: contrast(c, ground) >= ratio), ground
    return text, _towards(ground, black if lighter else white, lambda c: contrast(text, c) >= ratio)


def _towards(color: RGB, end: RGB, reads) -> RGB:
    """`color` mixed with `end` by the least share (to 1e-6) for which `reads` holds."""

    def mix(share: float) -> RGB:
        return tuple(c + (e - c) * share for c, e in zip(color, end, strict=True))  # type: ignore[return-value]

    lo, hi = 0.0, 1.0
    for _ in range(20):
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if reads(mix(mid)) else (mid, hi)
    return mix(hi)


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
                out / f"card-{sample.stem}.png",
                sample,
                result,
                scene,
                life=life,
                size=768,
                title=title,
            )
        )
    summary = [
        {"image": image, "model": label, **result.to_json()} for image, label, result in answers
    ]
    atomic.write_text(
        out / "classifications.json", json.dumps(summary, indent=1, ensure_ascii=False)
    )
    return Showcase(stages, strip, timelapse, cards, answers)
