"""The classification card (SPEC 6): the image, the portrait after the sweep, the answer.

A square card in the portrait's paper and ink: the image and the portrait side by side, then
the phrase ("I'm almost certain this image belongs to"), the top class and its confidence
with a bar, and the next classes with smaller bars. Lengths are in units of a 1024 square.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import cairo
import numpy as np

from ..atomic import write_bytes
from ..classify import Classification
from ..errors import ImageError, ModelFormatError
from ..lifecycle import LifeState, neuron_life
from ..render import png_bytes_of, surface_array
from ..render.cairo_backend import draw
from ..scene import FrameOptions, Scene, build_scene
from ..traits import Traits

FONT = "DejaVu Sans"
MARGIN = 64.0
PANEL = (1024.0 - 3 * MARGIN) / 2  # side of the image and portrait panels
PANEL_TOP = 112.0
PHRASE_Y = PANEL_TOP + PANEL + 100  # baselines of the phrase and the top class, then its bar
CLASS_Y = PHRASE_Y + 84
BAR_Y, BAR_H = CLASS_Y + 24, 16.0
OTHER_CLASSES = 3  # classes listed under the top one
#: The look of a card drawn without a token (`artgen classify --card`): Whitepaper ink.
NEUTRAL = {"palette": "Whitepaper", "pattern": "Dotted", "dataset": "MNIST", "framework": "Theano"}


def picture(path: str | os.PathLike, side: int) -> np.ndarray:
    """The image at `path` as a (side, side, 3) RGB array: pixel art stays crisp when enlarged."""
    from PIL import Image, UnidentifiedImageError

    from ..images import to_rgb

    p = Path(path)
    try:
        with Image.open(p) as im:
            im.seek(0)
            rgb = to_rgb(im)
    except FileNotFoundError:
        raise ImageError("no such file", source=str(p)) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as err:
        raise ImageError(f"expected a PNG, JPG, GIF or BMP image ({err})", source=str(p)) from None
    big = side >= 2 * max(rgb.size)
    method = Image.Resampling.NEAREST if big else Image.Resampling.LANCZOS
    return np.asarray(rgb.resize((side, side), method), dtype=np.uint8)


def _rgb_surface(pixels: np.ndarray) -> cairo.ImageSurface:
    h, w, _ = pixels.shape
    bgrx = np.zeros((h, w, 4), dtype=np.uint8)
    bgrx[..., :3] = pixels[..., ::-1]
    bgrx[..., 3] = 255
    return cairo.ImageSurface.create_for_data(bytearray(bgrx.tobytes()), cairo.FORMAT_RGB24, w, h)


def _text(ctx, text, x, y, size, color, *, bold=False, align="left", width=None, alpha=1.0):
    """Draw `text` with its baseline at y; shrink it to fit `width` when given."""
    weight = cairo.FONT_WEIGHT_BOLD if bold else cairo.FONT_WEIGHT_NORMAL
    ctx.select_font_face(FONT, cairo.FONT_SLANT_NORMAL, weight)
    ctx.set_font_size(size)
    ext = ctx.text_extents(text)
    if width is not None and ext.x_advance > width:
        ctx.set_font_size(size * width / ext.x_advance)
        ext = ctx.text_extents(text)
    dx = {"left": 0.0, "right": -ext.x_advance, "centre": -ext.x_advance / 2}[align]
    ctx.move_to(x + dx, y)
    ctx.set_source_rgba(*color, alpha)
    ctx.show_text(text)


def _bar(ctx, x, y, w, h, share, ink, fill) -> None:
    ctx.rectangle(x, y, w, h)
    ctx.set_source_rgba(*ink, 0.15)
    ctx.fill()
    ctx.rectangle(x, y, w * min(1.0, max(0.0, share)), h)
    ctx.set_source_rgb(*fill)
    ctx.fill()


def card_array(
    image: np.ndarray, result: Classification, scene: Scene, size: int, title: str = ""
) -> np.ndarray:
    """The card as a (size, size, 3) uint8 RGB array; `image` is the picture (any square)."""
    surface = cairo.ImageSurface(cairo.FORMAT_RGB24, size, size)
    ctx = cairo.Context(surface)
    u = size / 1024.0
    ctx.scale(u, u)
    ink, paper = scene.frame.color, scene.paper
    accent = scene.column_colors[-1] if scene.column_colors else ink
    if math.dist(accent, paper) < 0.25:  # too faint on the paper
        accent = ink
    ctx.set_source_rgb(*paper)
    ctx.paint()
    band = scene.frame.width
    ctx.set_fill_rule(cairo.FILL_RULE_EVEN_ODD)
    ctx.rectangle(0, 0, 1024, 1024)
    ctx.rectangle(band, band, 1024 - 2 * band, 1024 - 2 * band)
    ctx.set_source_rgb(*ink)
    ctx.fill()
    ctx.set_fill_rule(cairo.FILL_RULE_WINDING)
    if title:
        _text(ctx, title, MARGIN, 80, 30, ink, bold=True, width=1024 - 2 * MARGIN)

    px = round(PANEL * u)
    for i, pixels in enumerate((image, None)):
        x0 = MARGIN + i * (PANEL + MARGIN)
        ctx.save()
        ctx.identity_matrix()
        ox, oy = round(x0 * u), round(PANEL_TOP * u)
        if pixels is None:
            ctx.translate(ox, oy)
            draw(ctx, replace(scene, frame=replace(scene.frame, visible=False)), px)
        else:
            ctx.set_source_surface(_rgb_surface(_fit(pixels, px)), ox, oy)
            ctx.paint()
        ctx.restore()
        ctx.rectangle(x0, PANEL_TOP, px / u, px / u)
        ctx.set_source_rgb(*ink)
        ctx.set_line_width(2.0)
        ctx.stroke()

    right = 1024 - MARGIN
    _text(ctx, f"{result.phrase} this image belongs to", MARGIN, PHRASE_Y, 34, ink, alpha=0.8)
    _text(ctx, f"{result.confidence:.1%}", right, CLASS_Y, 64, ink, bold=True, align="right")
    _text(ctx, result.top, MARGIN, CLASS_Y, 64, ink, bold=True, width=right - MARGIN - 260)
    _bar(ctx, MARGIN, BAR_Y, right - MARGIN, BAR_H, result.confidence, ink, accent)
    y = BAR_Y + BAR_H + 8
    ranked = sorted(result.probabilities.items(), key=lambda kv: -kv[1])
    others = [kv for kv in ranked if kv[0] != result.top][:OTHER_CLASSES]
    for name, p in others:
        y += 46
        _text(ctx, name, MARGIN, y, 24, ink, alpha=0.75, width=300)
        _text(ctx, f"{p:.1%}", right, y, 24, ink, alpha=0.75, align="right")
        _bar(ctx, MARGIN + 320, y - 14, right - MARGIN - 420, 10, p, ink, accent)
    surface.flush()
    return surface_array(surface)


def _fit(pixels: np.ndarray, side: int) -> np.ndarray:
    if pixels.shape[:2] == (side, side):
        return pixels
    from PIL import Image

    return np.asarray(Image.fromarray(pixels).resize((side, side), Image.Resampling.LANCZOS))


def neutral_scene(hidden_sizes: Sequence[int], growth: float) -> Scene:
    """A model's network after the sweep in the neutral look, with `growth` of it alive."""
    sizes = tuple(hidden_sizes)
    traits = Traits(
        seed="card",
        token=0,
        palette=NEUTRAL["palette"],
        pattern=NEUTRAL["pattern"],
        acceleration="Standard",
        dataset=NEUTRAL["dataset"],
        framework=NEUTRAL["framework"],
        life_cycle="60 Days",
        birth_year=2023,
        architecture="Random",
        activation="ReLU",
        layers=len(sizes),
        max_neurons=max(sizes),
        epochs=5,
        hidden_sizes=sizes,
    )
    lives = neuron_life(sizes, growth)
    state = LifeState(
        time=math.nan,
        age=0.0,
        rebirths=0,
        stage="Stable" if growth >= 1.0 else "Decaying",
        stage_ratio=0.0,
        growth=growth,
        neuron_life=lives,
        next_stage_time=math.nan,
        next_stable_time=math.nan,
        year_seconds=math.nan,
    )
    columns = len(sizes) + 2
    return build_scene(traits, sizes, state, None, FrameOptions(sweep=float(columns - 1)))


def write_card(
    path: str | os.PathLike,
    image: str | os.PathLike,
    result: Classification,
    scene: Scene,
    *,
    size: int = 1024,
    title: str = "",
) -> Path:
    """Write the card PNG of `result` for the image file `image`, atomically."""
    from PIL import Image

    pixels = picture(image, round(PANEL * size / 1024.0))
    card = card_array(pixels, result, scene, size, title)
    return write_bytes(path, png_bytes_of(Image.fromarray(card)))


def classify_card(
    path: str | os.PathLike,
    model_path: str | os.PathLike,
    image: str | os.PathLike,
    result: Classification,
    *,
    growth: float = 1.0,
    size: int = 1024,
) -> Path:
    """`artgen classify --card`: the card of a model's answer, its network in the neutral look."""
    from ..model import load_model

    model = load_model(model_path)
    if not model.hidden_sizes:
        raise ModelFormatError("has no hidden layer to draw", source=str(model_path))
    scene = neutral_scene(model.hidden_sizes, growth)
    return write_card(path, image, result, scene, size=size, title=model.name)
