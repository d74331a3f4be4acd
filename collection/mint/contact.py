"""The contact sheet: every token's thumbnail in a grid, grouped by one trait, with headings.

Groups follow the trait's table order (numbers ascending); values outside the table (an
upgraded model's traits) come last. The sheet is kept under MAX_PIXELS by shrinking the
cells, so a large collection's sheet stays a reasonable file and its memory flat.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from artgen import png
from artgen.errors import ConfigError
from artgen.tables import TRAIT_NAMES
from artgen.wording import counted
from collection.config import CollectionConfig

DEFAULT_GROUP = "Color Palette"
MAX_PIXELS = 12_000_000  # about 3500 x 3500: a sheet a browser and an image viewer open quickly
MIN_CELL = 48  # px: below this a thumbnail shows nothing
MAX_COLUMNS = 24
BANDS = 8  # horizontal bands drawn and compressed in parallel (the bytes depend on this)
BACKGROUND = (0.96, 0.95, 0.92)
INK = (0.14, 0.12, 0.13)
FONT = "DejaVu Sans"


def check_group(group_by: str | None, source: str = "--group-by") -> str:
    """The trait to group by (default Color Palette); ConfigError for an unknown name."""
    name = DEFAULT_GROUP if group_by is None else group_by
    if name not in TRAIT_NAMES:
        raise ConfigError(f"expected one of {', '.join(TRAIT_NAMES)}, got {name!r}", source=source)
    return name


def groups(
    config: CollectionConfig, records: Sequence[dict], trait: str
) -> list[tuple[object, list[dict]]]:
    """(value, records) per value of `trait` that occurs, in table order."""
    table = config.tables[trait]
    order = list(getattr(table, "values", ()))
    found: dict[object, list[dict]] = {}
    for r in records:
        found.setdefault(r["traits"][trait], []).append(r)
    known = [v for v in order if v in found]
    if not hasattr(table, "values"):
        known = sorted(v for v in found if isinstance(v, int))
    rest = sorted((v for v in found if v not in known), key=str)
    return [(v, found[v]) for v in known + rest]


def contact_sheet(
    root: Path,
    config: CollectionConfig,
    records: Sequence[dict],
    trait: str,
    bands: int = BANDS,
) -> bytes:
    """The contact sheet PNG of the thumbnails under `root`, grouped by `trait`.

    Each group is a block (its heading over a grid of at most `cols` thumbnails); blocks are
    packed left to right on shelves as wide as `cols` thumbnails. The sheet is drawn and
    compressed in `bands` horizontal bands, on up to one thread per core (Cairo and zlib
    release Python's lock); the bytes depend on `bands`, never on the thread count.
    """
    width, height, items = _layout(config, records, trait)
    spans = _spans(height, items, bands)
    threads = max(1, min(len(spans), os.cpu_count() or 1))
    with ThreadPoolExecutor(threads, thread_name_prefix="contact-band") as pool:
        done = list(pool.map(lambda span: _band(root, items, width, *span), spans))
    return png.from_bands(width, height, done)


def _spans(height: int, items: list[tuple], bands: int) -> list[tuple[int, int]]:
    """(first row, end row) of each band: `bands` about equal, each edge moved down to the
    end of a thumbnail it would cut (a cut thumbnail is decoded by both bands)."""
    cells = [(item[3], item[3] + item[4]) for item in items if item[0] == "thumbnail"]
    edges = [0]
    for k in range(1, max(1, bands)):
        edge = max(edges[-1], height * k // bands)
        for top, bottom in cells:
            if top < edge < bottom:
                edge = max(edge, bottom)
        if edges[-1] < edge < height:
            edges.append(edge)
    return list(zip(edges, [*edges[1:], height], strict=True))


def _layout(
    config: CollectionConfig, records: Sequence[dict], trait: str
) -> tuple[int, int, list[tuple]]:
    """(width, height, items) of the sheet: ("text", text, x, baseline, size, bold) and
    ("thumbnail", path, x, y, cell) items, top to bottom."""
    import cairo

    grouped = groups(config, records, trait)
    n = max(1, len(records))
    cols = max(1, min(n, MAX_COLUMNS, max(4, math.ceil(math.sqrt(n)))))
    rows = sum(math.ceil(len(g) / cols) for _, g in grouped)
    units = cols * (
        rows * 1.12 + len(grouped) * 0.4 + 0.6
    )  # cell areas: thumbnails, labels, headings
    cell = int(min(config.render.thumbnail_size, max(MIN_CELL, math.sqrt(MAX_PIXELS / units))))
    gap, label, heading = max(4, cell // 16), max(10, cell // 9), max(20, cell // 5)
    margin, title = 2 * gap, int(heading * 1.4)
    shelf_width = cols * cell + (cols - 1) * gap
    measure = cairo.Context(cairo.ImageSurface(cairo.FORMAT_RGB24, 1, 1))
    blocks = []  # (value, members, per_row, x, y)
    x = y = shelf = right = 0
    for value, members in grouped:
        per_row = min(len(members), cols)
        text = _width(measure, f"{value} ({len(members)})", heading * 0.6, bold=True)
        width = max(per_row * (cell + gap) - gap, math.ceil(text))
        height = heading + math.ceil(len(members) / per_row) * (cell + label + gap)
        if x and x + width > shelf_width:
            x, y, shelf = 0, y + shelf + gap, 0
        blocks.append((value, members, per_row, x, y))
        right = max(right, x + width)
        x, shelf = x + width + 2 * gap, max(shelf, height)
    width = 2 * margin + max(shelf_width, right)
    height = 2 * margin + title + y + shelf
    width = max(
        width, 2 * margin + math.ceil(_width(measure, _title(config, trait, n), title * 0.5, True))
    )
    items: list[tuple] = [
        ("text", _title(config, trait, n), margin, margin + title * 0.6, title * 0.5, True)
    ]
    top = margin + title
    for value, members, per_row, bx, by in blocks:
        text = f"{value} ({len(members)})"
        items.append(("text", text, margin + bx, top + by + heading * 0.75, heading * 0.6, True))
        for i, r in enumerate(members):
            cx = margin + bx + (i % per_row) * (cell + gap)
            cy = top + by + heading + (i // per_row) * (cell + label + gap)
            items.append(("thumbnail", r["files"]["thumbnail"], cx, cy, cell))
            number = f"#{r['token']}"
            items.append(("text", number, cx, cy + cell + label * 0.85, label * 0.8, False))
    return width, height, items


def _reach(item: tuple) -> tuple[float, float]:
    """The rows an item may touch: a thumbnail its cell (copied at whole pixels), a text line
    its ascent and descent with room for antialiasing."""
    if item[0] == "thumbnail":
        _, _, _, y, cell = item
        return y, y + cell
    _, _, _, baseline, size, _ = item
    return baseline - 1.5 * size, baseline + 0.6 * size


def _band(root: Path, items: list[tuple], width: int, y0: int, y1: int) -> tuple[bytes, int, int]:
    """Rows y0..y1 of the sheet: the items that reach them drawn on a band of that height,
    then compressed (`artgen.png.band`)."""
    import cairo

    surface = cairo.ImageSurface(cairo.FORMAT_RGB24, width, y1 - y0)
    ctx = cairo.Context(surface)
    ctx.set_source_rgb(*BACKGROUND)
    ctx.paint()
    ctx.translate(0, -y0)
    for item in items:
        low, high = _reach(item)
        if high < y0 or low > y1:
            continue
        if item[0] == "thumbnail":
            _, relative, x, y, cell = item
            _thumbnail(ctx, root / relative, x, y, cell)
        else:
            _, text, x, baseline, size, bold = item
            _text(ctx, text, x, baseline, size, bold)
    lines = png.scanlines(surface)
    surface.finish()
    return png.band(lines)


def _title(config: CollectionConfig, trait: str, count: int) -> str:
    return f"{config.name}: {counted(count, 'token')} by {trait}"


def _width(ctx, text: str, size: float, bold: bool) -> float:
    import cairo

    weight = cairo.FONT_WEIGHT_BOLD if bold else cairo.FONT_WEIGHT_NORMAL
    ctx.select_font_face(FONT, cairo.FONT_SLANT_NORMAL, weight)
    ctx.set_font_size(size)
    return ctx.text_extents(text).x_advance


def _text(ctx, text: str, x: float, baseline: float, size: float, bold: bool) -> None:
    import cairo

    weight = cairo.FONT_WEIGHT_BOLD if bold else cairo.FONT_WEIGHT_NORMAL
    ctx.select_font_face(FONT, cairo.FONT_SLANT_NORMAL, weight)
    ctx.set_font_size(size)
    ctx.set_source_rgb(*INK)
    ctx.move_to(x, baseline)
    ctx.show_text(text)


def _thumbnail(ctx, path: Path, x: int, y: int, cell: int) -> None:
    """The thumbnail shrunk to a cell of its own, then copied at (x, y): a whole-pixel copy,
    so its pixels are the same whichever band draws it (Cairo's shrinking filter depends on
    where the surface clips it)."""
    import cairo

    image = cairo.ImageSurface.create_from_png(str(path))
    shrunk = cairo.ImageSurface(cairo.FORMAT_RGB24, cell, cell)
    small = cairo.Context(shrunk)
    small.scale(cell / image.get_width(), cell / image.get_height())
    small.set_source_surface(image, 0, 0)
    small.get_source().set_filter(cairo.FILTER_GOOD)
    small.paint()
    ctx.set_source_surface(shrunk, x, y)
    ctx.rectangle(x, y, cell, cell)
    ctx.fill()
    image.finish()
    shrunk.finish()
