"""The result card (ORIGINAL.md section 8): what the original shows when it has classified.

The portrait is dimmed (black at 75/255) and a card opens over it in the palette's colours,
everything centred on the canvas and sized in units u: the card (800 x 500, paper, an 8u
pattern-colour outline, radius 25u), a header band in the pattern colour at 0.75, the picture
on a pattern-colour mat, the verdict, the upper-case class in quotes and the confidence, our
brain icon (it fills with age and blots while decaying), «INTELLIGENCE INFO» with two rows,
and the two buttons under the card. For the first 1.5 s the class name flickers through
random class names and the two sentences are hidden (`animate --classify` shows it). The
sentences are ours; the short labels are the original's.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import cairo
import numpy as np

from ..atomic import write_bytes
from ..classify import Classification, confidence_phrase
from ..errors import ModelFormatError
from ..lifecycle import LIFE_YEARS, LifeState, neuron_life
from ..render import png_bytes_of, surface_array
from ..scene import FrameOptions, Scene, build_scene
from ..traits import Traits
from .brain_icon import draw_brain_icon

FONT = "DejaVu Sans"  # on every machine here; the original asks for Trebuchet MS
#: DejaVu Sans drawn at 88.5% of its width is as wide as Trebuchet MS, so the name's sizing rule
#: fills the header as the original's does. (Selecting Cairo's "DejaVu Sans Condensed" instead
#: would let later "DejaVu Sans" text in the same process pick up the condensed face.)
FONT_WIDTH = 0.885
#: q5's vertical CENTER is the canvas's textBaseline "middle", the middle of the em box, which
#: Chromium puts (typo ascent - typo descent) / 2 above the alphabetic baseline, the font's OS/2
#: typo ascent and descent scaled to sum to one em: DejaVu Sans's 1556 and 492 (of 2048).
MIDDLE = (1556 - 492) / 2 / (1556 + 492)
OVERLAY = 75.0 / 255.0
CARD_W, CARD_H, CARD_RADIUS, CARD_OUTLINE = 800.0, 500.0, 25.0, 8.0
HEADER_H, HEADER_ALPHA = 300.0, 0.75
MAT, MAT_CENTRE = 225.0, (-250.0, -100.0)
PICTURE, PICTURE_AT = 215.0, (-357.5, -207.5)
TEXT_X = -100.0
VERDICT_Y, NAME_Y, CONFIDENCE_Y, SENTENCE_SIZE = -170.0, -90.0, -25.0, 25.0
NAME_MAX, NAME_ONE_LINE, NAME_TWO_LINES, NAME_SMALLEST = 75.0, 50.0, 50.0, 30.0
NAME_BOX = 460.0
#: Our guard: a one-line name never reaches past cx + 390u, inside the card's outline (the
#: rule sizes a long word to about 3 x the reference's width: 489u in Trebuchet MS).
NAME_FIT = 490.0
#: The reference widths of the name's sizing rule (ORIGINAL 8), measured at 25u.
ONE_WORD_REFERENCE, TWO_LINE_REFERENCE = '"FIDENZAAAA"', '"PERPENDICULAR INHABITATION"'
BRAIN_AT, BRAIN_SIDE = (-370.0, 70.0), 80.0
INFO_TITLE, INFO_AT, INFO_SIZE = "INTELLIGENCE INFO", (-275.0, 115.0), 40.0
ROW_Y, ROW_DOT_X, ROW_TEXT_X, ROW_DOT, ROW_SIZE = (180.0, 210.0), -360.0, -350.0, 7.5, 18.0
BUTTONS = (("SELECT ANOTHER IMAGE", -225.0, 65.0), ("CLOSE", 75.0, 225.0))
BUTTON_Y, BUTTON_RADIUS, BUTTON_SIZE, BUTTON_LABEL_AT = (265.0, 305.0), 5.0, 20.0, 0.54
#: The look of a card drawn without a token (`artgen classify --card`): Whitepaper ink.
NEUTRAL = {"palette": "Whitepaper", "pattern": "Dotted", "dataset": "MNIST", "framework": "Theano"}

Measure = Callable[[str, float, bool], float]


@dataclass(frozen=True)
class CardFacts:
    """What the card says: the answer, and the Perceptron's age, stage and next peak (None
    for a model on its own, which has no life)."""

    result: Classification
    life: LifeState | None = None
    growth: float = 1.0  # the share of neurons a model on its own thinks with


def percent(confidence: float) -> str:
    """P with two decimals, "100.00" shown as "100" (ORIGINAL 8)."""
    text = f"{100.0 * confidence:.2f}"
    return "100" if text == "100.00" else text


#: Our sentences (ORIGINAL 8 describes what they say; the wording is ours), filled in with
#: str.format here and by the art's JavaScript, which reads them from `engine_constants()`.
TEXTS = {
    "verdict": "{phrase} this image belongs to",
    "confidence": "I am {percent}% sure of it.",
    "age": "{years} year{plural} old",
    "Growing": "{age}, still growing and getting smarter.",
    "Stable": "{age}, stable at the peak of its powers.",
    "Decaying": "{age}, decaying, and its shine is fading.",
    "other": "{age}.",
    "stable_row": "It keeps its peak for a good while before decay sets in.",
    "next_peak": "Back at its peak on {date}.",
    "alone": "A model on its own, thinking with {share}% of its neurons.",
    "alone_row": "It has no life of its own until it is minted as a Perceptron.",
}


def verdict(confidence: float) -> str:
    """The verdict line, by the top probability's band (ORIGINAL 8)."""
    return TEXTS["verdict"].format(phrase=confidence_phrase(confidence))


def confidence_line(confidence: float) -> str:
    """Our first-person sentence giving the confidence."""
    return TEXTS["confidence"].format(percent=percent(confidence))


def en_us(t: float) -> str:
    """A moment in the en-US locale's date and time format (in UTC): 7/2/2031, 12:00:00 PM."""
    d = datetime.fromtimestamp(t, tz=UTC)
    hour = d.hour % 12 or 12
    half = "AM" if d.hour < 12 else "PM"
    return f"{d.month}/{d.day}/{d.year}, {hour}:{d.minute:02d}:{d.second:02d} {half} UTC"


def life_age(life: LifeState) -> float:
    """The age within the current life, in Perceptron years."""
    return life.age - life.rebirths * LIFE_YEARS


def info_rows(facts: CardFacts) -> tuple[str, str]:
    """The intelligence section's two rows, in our words (ORIGINAL 8 gives their content)."""
    life = facts.life
    if life is None:
        return TEXTS["alone"].format(share=round(100 * facts.growth)), TEXTS["alone_row"]
    years = math.ceil(life_age(life))
    age = TEXTS["age"].format(years=years, plural="s" if years != 1 else "")
    first = TEXTS.get(life.stage, TEXTS["other"]).format(age=age)
    if life.stage == "Stable":
        return first, TEXTS["stable_row"]
    return first, TEXTS["next_peak"].format(date=en_us(life.next_stable_time))


def name_layout(name: str, measure: Measure) -> tuple[float, list[str]]:
    """(font size in u, lines) of the quoted upper-case class name (ORIGINAL 8).

    `measure(text, size, bold)` is the text's width in u. One word: min(75, 75 w1 / w). More:
    s = 75 w1 / w, one line at min(s, 75) when s >= 50; else s2 = 50 w2 / w: above 30, two
    lines in a 460u box at min(s2, 50), shrunk until the second fits; otherwise 30u, the first
    line up to 460u, the second up to 920u, any overflow ending it with '... LASTWORD"'.
    """
    upper = name.upper()
    quoted = f'"{upper}"'
    w = measure(quoted, SENTENCE_SIZE, True)
    s = NAME_MAX * measure(ONE_WORD_REFERENCE, SENTENCE_SIZE, False) / w
    words = upper.split()
    if len(words) <= 1 or s >= NAME_ONE_LINE:
        size = min(s, NAME_MAX)
        return min(size, size * NAME_FIT / measure(quoted, size, True)), [quoted]
    s2 = NAME_TWO_LINES * measure(TWO_LINE_REFERENCE, SENTENCE_SIZE, False) / w
    if s2 > NAME_SMALLEST:
        size = min(s2, NAME_TWO_LINES)
        for _ in range(20):
            first, second, _ = _divide(words, size, measure, math.inf)
            if not second:
                return size, [quoted]
            line2 = " ".join(second) + '"'
            width = measure(line2, size, True)
            if width <= NAME_BOX:
                return size, ['"' + " ".join(first), line2]
            size *= NAME_BOX / width
        return size, ['"' + " ".join(first), line2]
    first, second, rest = _divide(words, NAME_SMALLEST, measure, 2 * NAME_BOX)
    if rest:
        second = [*second[:-1], "...", rest[-1]] if second else ["...", rest[-1]]
    return NAME_SMALLEST, ['"' + " ".join(first), " ".join(second) + '"']


def _divide(words, size, measure, limit2):
    """Words of line 1 (running width of " word" up to 460u), line 2 (up to `limit2`), rest."""
    first, second, rest, running = [], [], [], 0.0
    for word in words:
        running += measure(" " + word, size, True)
        if running <= NAME_BOX or not first:
            first.append(word)
        elif running <= limit2:
            second.append(word)
        else:
            rest.append(word)
    return first, second, rest


def _font(ctx: cairo.Context, size: float, bold: bool) -> None:
    weight = cairo.FONT_WEIGHT_BOLD if bold else cairo.FONT_WEIGHT_NORMAL
    ctx.select_font_face(FONT, cairo.FONT_SLANT_NORMAL, weight)
    ctx.set_font_matrix(cairo.Matrix(size * FONT_WIDTH, 0, 0, size))


def _measure(ctx: cairo.Context) -> Measure:
    def measure(text: str, size: float, bold: bool) -> float:
        ctx.save()
        _font(ctx, size, bold)
        width = ctx.text_extents(text).x_advance
        ctx.restore()
        return width

    return measure


def _text(ctx, text, x, y, size, color, *, bold=False, align="left") -> None:
    """Text vertically centred on y as the original's CENTER centres it (`MIDDLE`),
    left-aligned or centred on x."""
    _font(ctx, size, bold)
    dx = -ctx.text_extents(text).x_advance / 2 if align == "centre" else 0.0
    ctx.move_to(x + dx, y + MIDDLE * size)
    ctx.set_source_rgb(*color)
    ctx.show_text(text)


def _rounded(ctx, x0, y0, x1, y1, r, top_only=False) -> None:
    """A rectangle with corners of radius r (only the top ones with `top_only`)."""
    ctx.new_sub_path()
    ctx.arc(x1 - r, y0 + r, r, -math.pi / 2, 0)
    if top_only:
        ctx.line_to(x1, y1)
        ctx.line_to(x0, y1)
    else:
        ctx.arc(x1 - r, y1 - r, r, 0, math.pi / 2)
        ctx.arc(x0 + r, y1 - r, r, math.pi / 2, math.pi)
    ctx.arc(x0 + r, y0 + r, r, math.pi, 3 * math.pi / 2)
    ctx.close_path()


def _rgb_surface(pixels: np.ndarray) -> cairo.ImageSurface:
    h, w, _ = pixels.shape
    bgrx = np.zeros((h, w, 4), dtype=np.uint8)
    bgrx[..., :3] = pixels[..., ::-1]
    bgrx[..., 3] = 255
    return cairo.ImageSurface.create_for_data(bytearray(bgrx.tobytes()), cairo.FORMAT_RGB24, w, h)


def picture(path: str | os.PathLike, side: int) -> np.ndarray:
    """The image at `path` stretched to a (side, side, 3) RGB array: pixel art stays crisp."""
    from PIL import Image

    from ..images import read_image, to_rgb

    with read_image(path) as im:
        rgb = to_rgb(im)
    big = side >= 2 * max(rgb.size)
    method = Image.Resampling.NEAREST if big else Image.Resampling.LANCZOS
    return np.asarray(rgb.resize((side, side), method), dtype=np.uint8)


def picture_side(size: int) -> int:
    """The picture's side in pixels on a card `size` pixels across (215u)."""
    return round(PICTURE * size / 1024.0)


def draw_card(
    ctx: cairo.Context,
    scene: Scene,
    facts: CardFacts,
    image: np.ndarray,
    *,
    name: str | None = None,
    settled: bool = True,
) -> None:
    """The dim overlay and the card over a portrait already drawn on `ctx` (device pixels),
    for `scene`'s canvas. `name` is the class shown (the top one unless it flickers); the
    sentences show once `settled`."""
    target = ctx.get_target()
    w, h = target.get_width(), target.get_height()
    u = min(w, h) / 1024.0
    paper, ink = scene.paper, scene.frame.color
    start = scene.column_colors[0] if scene.column_colors else ink
    ctx.save()
    ctx.set_source_rgba(0, 0, 0, OVERLAY)
    ctx.paint()
    ctx.translate(w / 2, h / 2)
    ctx.scale(u, u)
    # the card, its header band, the mat and the picture
    _rounded(ctx, -CARD_W / 2, -CARD_H / 2, CARD_W / 2, CARD_H / 2, CARD_RADIUS)
    ctx.set_source_rgb(*paper)
    ctx.fill_preserve()
    ctx.set_source_rgb(*ink)
    ctx.set_line_width(CARD_OUTLINE)
    ctx.stroke()
    header_bottom = -CARD_H / 2 + HEADER_H
    _rounded(ctx, -CARD_W / 2, -CARD_H / 2, CARD_W / 2, header_bottom, CARD_RADIUS, True)
    ctx.set_source_rgba(*ink, HEADER_ALPHA)
    ctx.fill()
    mx, my = MAT_CENTRE
    ctx.rectangle(mx - MAT / 2, my - MAT / 2, MAT, MAT)
    ctx.set_source_rgb(*ink)
    ctx.fill()
    ctx.save()
    px = image.shape[0]
    ctx.translate(*PICTURE_AT)
    ctx.scale(PICTURE / px, PICTURE / px)
    ctx.set_source_surface(_rgb_surface(image), 0, 0)
    ctx.get_source().set_filter(cairo.FILTER_NEAREST)
    ctx.rectangle(0, 0, px, px)
    ctx.fill()
    ctx.restore()
    # the header: verdict, name, confidence
    result = facts.result
    size, lines = name_layout(name if name is not None else result.top, _measure(ctx))
    if len(lines) == 1:
        _text(ctx, lines[0], TEXT_X, NAME_Y, size, paper, bold=True)
    else:
        _font(ctx, size, True)
        gap = 1.25 * ctx.text_extents("undefined").height
        for line, dy in zip(lines, (-gap / 2, gap / 2), strict=True):
            _text(ctx, line, TEXT_X, NAME_Y + dy, size, paper, bold=True)
    if settled:
        _text(ctx, verdict(result.confidence), TEXT_X, VERDICT_Y, SENTENCE_SIZE, paper)
        _text(ctx, confidence_line(result.confidence), TEXT_X, CONFIDENCE_Y, SENTENCE_SIZE, paper)
    # the brain and the intelligence section
    life = facts.life
    stage = life.stage if life is not None else ("Stable" if facts.growth >= 1 else "Growing")
    age = life_age(life) if life is not None else 25.0 * facts.growth
    draw_brain_icon(ctx, *BRAIN_AT, BRAIN_SIDE, stage=stage, age=age, ink=ink)
    _text(ctx, INFO_TITLE, *INFO_AT, INFO_SIZE, start, bold=True)
    for y, row in zip(ROW_Y, info_rows(facts), strict=True):
        ctx.arc(ROW_DOT_X, y, ROW_DOT / 2, 0, 2 * math.pi)
        ctx.set_source_rgb(*start)
        ctx.fill()
        _text(ctx, row, ROW_TEXT_X, y, ROW_SIZE, start)
    # the two buttons, under the card
    y0, y1 = BUTTON_Y
    for label, x0, x1 in BUTTONS:
        _rounded(ctx, x0, y0, x1, y1, BUTTON_RADIUS)
        ctx.set_source_rgb(*paper)
        ctx.fill_preserve()
        ctx.set_source_rgb(*ink)
        ctx.set_line_width(1.0)
        ctx.stroke()
        _text(
            ctx,
            label,
            (x0 + x1) / 2,
            y0 + BUTTON_LABEL_AT * (y1 - y0),
            BUTTON_SIZE,
            start,
            bold=True,
            align="centre",
        )
    ctx.restore()


def card_array(
    portrait: np.ndarray,
    scene: Scene,
    facts: CardFacts,
    image: np.ndarray,
    *,
    name: str | None = None,
    settled: bool = True,
) -> np.ndarray:
    """The card over a portrait frame (an (H, W, 3) RGB array), as a new RGB array."""
    surface = _rgb_surface(portrait)
    ctx = cairo.Context(surface)
    draw_card(ctx, scene, facts, image, name=name, settled=settled)
    surface.flush()
    return surface_array(surface)


def card_still(scene: Scene, facts: CardFacts, image: np.ndarray, size: int) -> np.ndarray:
    """The settled card over the portrait `scene` drawn at `size` (its shorter side)."""
    from ..render import to_array

    return card_array(to_array(scene, size), scene, facts, image)


def flicker_name(classes: Sequence[str], seed: int | str, token: int, frame: int) -> str:
    """The class name a flickering card shows at a frame: uniformly random, drawn afresh."""
    from ..portable_random import PortableRandom, key

    r = PortableRandom(key("flicker", seed, token, frame))
    return classes[int(r.random() * len(classes))]


def neutral_scene(hidden_sizes: Sequence[int], growth: float) -> Scene:
    """A model's network in the neutral look, with `growth` of it alive (index order)."""
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
    state = LifeState(
        time=math.nan,
        age=0.0,
        rebirths=0,
        stage="Stable" if growth >= 1.0 else "Decaying",
        stage_ratio=0.0,
        growth=growth,
        neuron_life=neuron_life(sizes, growth),
        next_stage_time=math.nan,
        next_stable_time=math.nan,
        year_seconds=math.nan,
    )
    return build_scene(traits, sizes, state, None, FrameOptions())


def write_card(
    path: str | os.PathLike,
    image: str | os.PathLike,
    result: Classification,
    scene: Scene,
    *,
    life: LifeState | None = None,
    size: int = 1024,
    title: str = "",
) -> Path:
    """Write the card PNG of `result` for the image file `image` over the portrait `scene`,
    atomically; `title` goes into the PNG's metadata."""
    from dataclasses import replace

    from PIL import Image

    facts = CardFacts(result, life)
    card = card_still(scene, facts, picture(image, picture_side(size)), size)
    meta = replace(scene, meta=(("Title", title),) if title else scene.meta)
    return write_bytes(path, png_bytes_of(Image.fromarray(card), meta))


def classify_card(
    path: str | os.PathLike,
    model_path: str | os.PathLike,
    image: str | os.PathLike,
    result: Classification,
    *,
    growth: float = 1.0,
    size: int = 1024,
) -> Path:
    """`artgen classify --card`: the card of a model's answer over its network, neutral look."""
    from PIL import Image

    from ..model import load_model

    model = load_model(model_path)
    if not model.hidden_sizes:
        raise ModelFormatError("has no hidden layer to draw", source=str(model_path))
    scene = neutral_scene(model.hidden_sizes, growth)
    facts = CardFacts(result, None, growth)
    card = card_still(scene, facts, picture(image, picture_side(size)), size)
    return write_bytes(path, png_bytes_of(Image.fromarray(card), scene))
