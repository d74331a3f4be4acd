"""The default dataset: four PFP styles drawn procedurally with numpy, seeded and cached.

The original Perceptrons were trained on Generative's PFP dataset (Cryptoadz, Cryptopunks,
Moonbirds, Nouns). This module draws look-alikes in those styles on a 32 x 32 pixel-art grid:
punks are side-profile heads with hats, cigarettes and earrings on a flat background; nouns are
square heads wearing the square "noggles"; moonbirds are owls with big eyes and a beak; toadz
are wide warty toad faces. Colours, accessories and positions vary, and every image gets a
little noise, so the task is learnable but not trivial for a small MLP.

Each class draws from its own seeded stream, every shape is drawn for all images of a class at
once (boolean masks over a batch), and the result is cached on disk.
"""

from __future__ import annotations

import numpy as np

from .. import seeding

#: Bump when the drawings change: it is part of the cache key.
GENERATOR_VERSION = 1
CLASS_NAMES = ("Cryptoadz", "Cryptopunks", "Moonbirds", "Nouns")
SIZE = 32  # native drawing grid
NOISE_SIGMA = 10.0  # per-pixel Gaussian noise, in 0-255 units
ZOOM = 0.15  # pictures are scaled by 1 +- ZOOM (nearest neighbour, edges repeated)
SHIFT = 3.0  # and moved by up to SHIFT pixels each way
OWN_BACKGROUND = 0.5  # chance that a background comes from the class's own palette

_YY, _XX = np.mgrid[0:SIZE, 0:SIZE].astype(np.float32)


def _hex(*codes: str) -> np.ndarray:
    return np.asarray([[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in codes], np.float32)


PUNK_BACKGROUNDS = _hex("#638596", "#95554f", "#8e6fb6", "#6a9a76", "#b8b8b8", "#c5a55a")
PUNK_SKINS = _hex("#dbb180", "#ae8b61", "#713f1d", "#ead9d9", "#7da269", "#856f56", "#c8fbfb")
HAIR = _hex("#000000", "#51360c", "#a66e2c", "#e65700", "#fff68e", "#ffffff", "#2858b1", "#8119b7")
NOUN_BACKGROUNDS = _hex("#d5d7e1", "#e1d7d5")
NOGGLES = _hex(
    "#ff2e2e", "#2b83f6", "#5fd4fb", "#ff638d", "#fe500c", "#4bea69", "#f3322c", "#9f21a0"
)
BRIGHT = _hex(
    "#f98f30",
    "#b9185c",
    "#2b83f6",
    "#e8705b",
    "#ffc110",
    "#4bea69",
    "#c4da53",
    "#ff7216",
    "#5a423f",
    "#d7d3cd",
    "#63a0f9",
    "#e4afa0",
    "#b2958d",
    "#8dd122",
    "#f20422",
    "#7d635e",
)
BIRD_FEATHERS = _hex(
    "#6d4c3d", "#a0785a", "#3c3c3c", "#c9c1b6", "#d38c3f", "#4f6d8f", "#8e3b46", "#f0e6d2"
)
BIRD_EYES = _hex("#ffd800", "#ff8c00", "#ffffff", "#7cfc00", "#ff4fa0", "#00d6ff")
PASTELS = _hex(
    "#ffe0e6", "#dff5e1", "#e0ecff", "#fff4cc", "#f0e0ff", "#cfeff0", "#f5d0b5", "#c8c8d8"
)
TOAD_SKINS = _hex(
    "#4f8a3c", "#6aa84f", "#3d6b2e", "#7fb24a", "#5d9c59", "#93a33b", "#8b6b3e", "#5b7fa3"
)
TOAD_BACKGROUNDS = _hex(
    "#f2c14e", "#f78154", "#4d9078", "#b4436c", "#5fad56", "#8fb8de", "#e9d8a6", "#333333"
)


ALL_BACKGROUNDS = np.concatenate([PUNK_BACKGROUNDS, NOUN_BACKGROUNDS, PASTELS, TOAD_BACKGROUNDS])


class _Batch:
    """N canvases of SIZE x SIZE drawn together with masks and per-image parameters."""

    def __init__(self, gen: np.random.Generator, n: int):
        self.gen = gen
        self.n = n
        self.pixels = np.zeros((n, SIZE, SIZE, 3), np.float32)

    def background(self, palette: np.ndarray, jitter: float = 12.0) -> None:
        """Fill with a flat colour: the class's own palette half the time, any class's otherwise."""
        own = self.pick(palette, jitter)
        shared = self.pick(ALL_BACKGROUNDS, jitter)
        self.pixels[...] = np.where(
            (self.gen.random(self.n) < OWN_BACKGROUND)[:, None], own, shared
        )[:, None, None]

    def pick(self, palette: np.ndarray, jitter: float = 10.0) -> np.ndarray:
        """One colour per image from the palette, jittered: (N, 3)."""
        idx = self.gen.integers(len(palette), size=self.n)
        return np.clip(palette[idx] + self.gen.normal(0.0, jitter, (self.n, 3)), 0, 255)

    def ints(self, lo: int, hi: int) -> np.ndarray:
        """One integer per image in [lo, hi], as (N, 1, 1) for broadcasting over the grid."""
        return self.gen.integers(lo, hi + 1, size=self.n).astype(np.float32)[:, None, None]

    def chance(self, p: float) -> np.ndarray:
        """A per-image flag with probability p, as (N, 1, 1)."""
        return (self.gen.random(self.n) < p)[:, None, None]

    def paint(self, mask: np.ndarray, color, where: np.ndarray | None = None) -> None:
        """Paint `color` ((3,) or (N, 3)) where the (N, SIZE, SIZE) mask holds."""
        if where is not None:
            mask = mask & where
        color = np.broadcast_to(np.asarray(color, np.float32), (self.n, 3))
        image, y, x = np.nonzero(np.broadcast_to(mask, (self.n, SIZE, SIZE)))
        self.pixels[image, y, x] = color[image]

    def finish(self) -> np.ndarray:
        """Move and scale each picture a little, add noise and quantise to uint8."""
        scale = self.gen.uniform(1 - ZOOM, 1 + ZOOM, self.n)[:, None, None]
        dy, dx = self.gen.uniform(-SHIFT, SHIFT, (2, self.n))[:, :, None, None]
        centre = (SIZE - 1) / 2
        sy = np.clip(np.rint((_YY - centre) * scale + centre - dy), 0, SIZE - 1).astype(np.intp)
        sx = np.clip(np.rint((_XX - centre) * scale + centre - dx), 0, SIZE - 1).astype(np.intp)
        moved = self.pixels[np.arange(self.n)[:, None, None], sy, sx]
        noisy = moved + self.gen.normal(0.0, NOISE_SIGMA, moved.shape).astype(np.float32)
        return np.clip(np.rint(noisy), 0, 255).astype(np.uint8)


def _rect(y0, x0, y1, x1) -> np.ndarray:
    """Pixels with y0 <= y < y1 and x0 <= x < x1 (bounds broadcast per image)."""
    return (_YY >= y0) & (_YY < y1) & (_XX >= x0) & (_XX < x1)


def _ellipse(cy, cx, ry, rx) -> np.ndarray:
    return ((_YY - cy) / ry) ** 2 + ((_XX - cx) / rx) ** 2 <= 1.0


def _outline(mask: np.ndarray) -> np.ndarray:
    """The 4-connected ring of pixels just outside a batch of masks."""
    grown = mask.copy()
    grown[:, 1:, :] |= mask[:, :-1, :]
    grown[:, :-1, :] |= mask[:, 1:, :]
    grown[:, :, 1:] |= mask[:, :, :-1]
    grown[:, :, :-1] |= mask[:, :, 1:]
    return grown & ~mask


def _darker(color: np.ndarray, k: float) -> np.ndarray:
    return color * k


def _choice(batch: _Batch, options: int) -> np.ndarray:
    return batch.gen.integers(options, size=batch.n)[:, None, None]


def draw_punks(gen: np.random.Generator, n: int) -> np.ndarray:
    """Cryptopunk-like heads: side profile facing right, flat background, hats and smokes."""
    b = _Batch(gen, n)
    b.background(PUNK_BACKGROUNDS, 12)
    ox, oy = b.ints(-4, 4), b.ints(-2, 3)
    skin = b.pick(PUNK_SKINS, 8)
    head = _rect(8 + oy, 10 + ox, 21 + oy, 22 + ox) | _rect(21 + oy, 12 + ox, 25 + oy, 21 + ox)
    head |= _rect(15 + oy, 22 + ox, 18 + oy, 23 + ox)  # nose
    ear = _rect(13 + oy, 9 + ox, 17 + oy, 10 + ox)
    neck = _rect(25 + oy, 12 + ox, 32, 18 + ox)
    body = head | ear | neck
    b.paint(_outline(body), (0, 0, 0))
    b.paint(body, skin)
    b.paint(_rect(22 + oy, 12 + ox, 25 + oy, 13 + ox), _darker(skin, 0.8))  # jaw shade
    eye_y = 13 + oy
    for ex in (13, 18):
        b.paint(_rect(eye_y, ex + ox, eye_y + 2, ex + 1 + ox), (0, 0, 0))
        b.paint(_rect(eye_y, ex + 1 + ox, eye_y + 2, ex + 2 + ox), _darker(skin, 0.55))
    b.paint(_rect(20 + oy, 16 + ox, 21 + oy, 20 + ox), _darker(skin, 0.45))  # mouth
    b.paint(_rect(17 + oy, 9 + ox, 19 + oy, 10 + ox), (255, 216, 0), b.chance(0.45))  # earring
    # Headwear: 0 bald, 1 short hair, 2 cap, 3 beanie, 4 top hat, 5 mohawk, 6 wild hair.
    kind, hair = _choice(b, 7), b.pick(HAIR, 12)
    b.paint(
        _rect(6 + oy, 10 + ox, 11 + oy, 22 + ox) | _rect(11 + oy, 10 + ox, 15 + oy, 12 + ox),
        hair,
        kind == 1,
    )
    cap = _rect(5 + oy, 10 + ox, 10 + oy, 22 + ox) | _rect(9 + oy, 22 + ox, 11 + oy, 27 + ox)
    b.paint(_outline(cap), (0, 0, 0), kind == 2)
    b.paint(cap, b.pick(BRIGHT, 10), kind == 2)
    beanie = _ellipse(9 + oy, 16 + ox, 5, 7) & (_YY < 11 + oy)
    b.paint(beanie, b.pick(BRIGHT, 10), kind == 3)
    b.paint(_rect(2 + oy, 15 + ox, 5 + oy, 17 + ox), (255, 255, 255), (kind == 3) & b.chance(0.5))
    top = _rect(0, 11 + ox, 9 + oy, 21 + ox) | _rect(8 + oy, 8 + ox, 10 + oy, 24 + ox)
    b.paint(top, (24, 24, 28), kind == 4)
    b.paint(_rect(6 + oy, 11 + ox, 7 + oy, 21 + ox), b.pick(BRIGHT), kind == 4)
    b.paint(_rect(1 + oy, 14 + ox, 10 + oy, 18 + ox), hair, kind == 5)
    wild = _ellipse(9 + oy, 15 + ox, 6, 9) & ~_rect(10 + oy, 13 + ox, 30, 23 + ox)
    b.paint(wild, hair, kind == 6)
    # Shades, a cigarette with smoke, a beard.
    b.paint(_rect(12 + oy, 12 + ox, 15 + oy, 22 + ox), (10, 10, 10), b.chance(0.2))
    smoke = b.chance(0.35)
    b.paint(_rect(20 + oy, 20 + ox, 22 + oy, 27 + ox), (240, 240, 240), smoke)
    b.paint(_rect(20 + oy, 27 + ox, 22 + oy, 28 + ox), (230, 80, 20), smoke)
    b.paint(
        _rect(14 + oy, 28 + ox, 19 + oy, 29 + ox) | _rect(11 + oy, 29 + ox, 15 + oy, 30 + ox),
        (200, 200, 210),
        smoke,
    )
    b.paint(
        _rect(21 + oy, 13 + ox, 25 + oy, 21 + ox) & ~_rect(20 + oy, 16 + ox, 22 + oy, 20 + ox),
        hair,
        b.chance(0.15),
    )
    return b.finish()


def draw_nouns(gen: np.random.Generator, n: int) -> np.ndarray:
    """Noun-like characters: a boxy head and body wearing the square-framed noggles."""
    b = _Batch(gen, n)
    b.background(NOUN_BACKGROUNDS, 6)
    ox, oy = b.ints(-3, 3), b.ints(-2, 2)
    w, h = b.ints(12, 18), b.ints(11, 15)
    cx = 16 + ox
    body = _rect(24 + oy, 6 + ox, 32, 26 + ox)
    b.paint(body, b.pick(BRIGHT, 15))
    b.paint(
        _rect(26 + oy, 13 + ox, 29 + oy, 19 + ox), b.pick(BRIGHT, 15), b.chance(0.7)
    )  # accessory
    head = _rect(24 + oy - h, cx - w / 2, 24 + oy, cx + w / 2)
    head_color = b.pick(BRIGHT, 20)
    b.paint(head, head_color)
    stripes = head & ((_YY.astype(int) % 3) == 0)
    b.paint(stripes, _darker(head_color, 0.75), b.chance(0.3))
    b.paint(_rect(24 + oy - h - 3, cx - 2, 24 + oy - h, cx + 2), head_color, b.chance(0.3))
    # Noggles: two square frames, each lens white on the left and black on the right.
    frame = b.pick(NOGGLES, 6)
    ny = 24 + oy - h + b.ints(1, 3)
    for lx in (8, 17):
        x0 = lx + ox
        b.paint(_rect(ny, x0, ny + 6, x0 + 7), frame)
        b.paint(_rect(ny + 1, x0 + 1, ny + 5, x0 + 3), (255, 255, 255))
        b.paint(_rect(ny + 1, x0 + 3, ny + 5, x0 + 6), (0, 0, 0))
    b.paint(_rect(ny + 2, 15 + ox, ny + 3, 17 + ox), frame)  # bridge
    b.paint(
        _rect(ny + 2, 4 + ox, ny + 3, 8 + ox) | _rect(ny + 2, 4 + ox, ny + 5, 5 + ox), frame
    )  # arm
    return b.finish()


def draw_moonbirds(gen: np.random.Generator, n: int) -> np.ndarray:
    """Moonbird-like owls: a plump feathered body, two big ringed eyes, a beak and ear tufts."""
    b = _Batch(gen, n)
    b.background(PASTELS, 14)
    ox, oy = b.ints(-3, 3), b.ints(-1, 3)
    cy, cx = 19 + oy, 16 + ox
    feathers = b.pick(BIRD_FEATHERS, 14)
    tufts = (
        (_YY >= cy - 13)
        & (_YY < cy - 7)
        & (
            (np.abs(_XX - (cx - 6)) <= (_YY - (cy - 13)) / 2)
            | (np.abs(_XX - (cx + 6)) <= (_YY - (cy - 13)) / 2)
        )
    )
    bird = _ellipse(cy, cx, 11, 10) | tufts
    b.paint(_outline(bird), _darker(feathers, 0.4))
    b.paint(bird, feathers)
    b.paint(_ellipse(cy + 6, cx, 6, 6), np.clip(feathers * 1.35 + 30, 0, 255))  # belly
    b.paint(
        _ellipse(cy + 4, cx - 9, 5, 2) | _ellipse(cy + 4, cx + 9, 5, 2), _darker(feathers, 0.7)
    )  # wings
    ring = b.pick(BIRD_EYES, 12)
    er = b.ints(3, 4)
    for side in (-1, 1):
        ex = cx + side * 4.5
        b.paint(_ellipse(cy - 4, ex, er + 0.5, er + 0.5), (0, 0, 0))
        b.paint(_ellipse(cy - 4, ex, er, er), ring)
        b.paint(_ellipse(cy - 4, ex, 1.6, 1.6), (0, 0, 0))
        b.paint(_rect(cy - 6, ex - 1, cy - 5, ex), (255, 255, 255))  # highlight
    beak = (_YY >= cy - 2) & (_YY < cy + 3) & (np.abs(_XX - cx + 0.5) <= (cy + 3 - _YY) / 2.5)
    b.paint(beak, b.pick(_hex("#f7a823", "#ffd23f", "#e86a17"), 10))
    hat = b.chance(0.2)
    b.paint(
        _rect(cy - 16, cx - 4, cy - 10, cx + 4) | _rect(cy - 11, cx - 7, cy - 9, cx + 7),
        b.pick(BRIGHT),
        hat,
    )
    return b.finish()


def draw_toadz(gen: np.random.Generator, n: int) -> np.ndarray:
    """Cryptoadz-like faces: a wide warty (mostly green) head, bulging eyes and a long mouth."""
    b = _Batch(gen, n)
    b.background(TOAD_BACKGROUNDS, 16)
    ox, oy = b.ints(-2, 2), b.ints(-2, 3)
    cy, cx = 19 + oy, 16 + ox
    skin = b.pick(TOAD_SKINS, 14)
    rx = b.ints(13, 15)
    face = _ellipse(cy, cx, 8, rx) | _rect(cy, cx - rx + 3, 32, cx + rx - 3)
    b.paint(_outline(face), (20, 30, 15))
    b.paint(face, skin)
    for side in (-1, 1):
        ex = cx + side * 7
        eye = _ellipse(cy - 7, ex, 4, 4)
        b.paint(_outline(eye), (20, 30, 15))
        b.paint(eye, skin)
        b.paint(_ellipse(cy - 7, ex, 2.6, 3), b.pick(_hex("#f5f5dc", "#ffe066", "#ff5f5f"), 10))
        b.paint(_rect(cy - 8, ex - 2, cy - 6, ex + 2), (0, 0, 0))  # slit pupil
    mouth = np.abs(_YY - (cy + 2 + 0.02 * (_XX - cx) ** 2)) < 0.8
    b.paint(mouth & _rect(0, cx - rx + 2, 32, cx + rx - 2), (30, 20, 20))
    # Warts: a dozen one- or two-pixel spots on the face.
    wart_color = np.clip(skin * 0.6 + 20, 0, 255)
    for _ in range(12):
        wy, wx = cy + b.ints(-3, 9), cx + b.ints(-12, 12)
        spot = _rect(wy, wx, wy + 1 + (b.ints(0, 1)), wx + 1 + b.ints(0, 1))
        b.paint(spot & face, wart_color)
    b.paint(_rect(cy + 4, cx - 3, cy + 6, cx + 3), b.pick(BRIGHT), b.chance(0.25))  # tongue / item
    return b.finish()


DRAWERS = (draw_toadz, draw_punks, draw_moonbirds, draw_nouns)  # same order as CLASS_NAMES


def generate(seed: int, per_class: int) -> tuple[np.ndarray, np.ndarray]:
    """Draw `per_class` 32 x 32 images of each class: (images uint8 (N, 32, 32, 3), labels)."""
    images, labels = [], []
    for label, draw in enumerate(DRAWERS):
        gen = seeding.free_stream(seed, label, f"dataset|procedural|v{GENERATOR_VERSION}")
        images.append(draw(gen, per_class))
        labels.append(np.full(per_class, label, np.int64))
    return np.concatenate(images), np.concatenate(labels)
