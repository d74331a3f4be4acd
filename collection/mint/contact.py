"""The contact sheet: every token's thumbnail in a grid, grouped by one trait, with headings.

Groups follow the trait's table order (numbers ascending); values outside the table (an
upgraded model's traits) come last. The sheet is kept under MAX_PIXELS by shrinking the
cells, so a large collection's sheet stays a reasonable file and its memory flat.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Sequence
from pathlib import Path

from artgen.errors import ConfigError
from artgen.tables import TRAIT_NAMES
from collection.config import CollectionConfig

DEFAULT_GROUP = "Color Palette"
MAX_PIXELS = 12_000_000  # about 3500 x 3500: a sheet a browser and an image viewer open quickly
MIN_CELL = 48  # px: below this a thumbnail shows nothing
MAX_COLUMNS = 24
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
    root: Path, config: CollectionConfig, records: Sequence[dict], trait: str
) -> bytes:
    """The contact sheet PNG of the thumbnails under `root`, grouped by `trait`.

    Each group is a block (its heading over a grid of at most `cols` thumbnails); blocks are
    packed left to right on shelves as wide as `cols` thumbnails.
    """
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
    surface = cairo.ImageSurface(cairo.FORMAT_RGB24, width, height)
    ctx = cairo.Context(surface)
    ctx.set_source_rgb(*BACKGROUND)
    ctx.paint()
    _text(ctx, _title(config, trait, n), margin, margin + title * 0.6, title * 0.5, bold=True)
    top = margin + title
    for value, members, per_row, bx, by in blocks:
        _text(
            ctx,
            f"{value} ({len(members)})",
            margin + bx,
            top + by + heading * 0.75,
            heading * 0.6,
            bold=True,
        )
        for i, r in enumerate(members):
            cx = margin + bx + (i % per_row) * (cell + gap)
            cy = top + by + heading + (i // per_row) * (cell + label + gap)
            _thumbnail(ctx, root / r["files"]["thumbnail"], cx, cy, cell)
            _text(ctx, f"#{r['token']}", cx, cy + cell + label * 0.85, label * 0.8, bold=False)
    return _png(surface)


def _png(surface) -> bytes:
    """The surface as PNG bytes. Cairo writes a named file with Python's lock released (a
    stream calls back into Python for every chunk): finalize's other files go on meanwhile."""
    with tempfile.TemporaryDirectory(prefix="artgen-sheet-") as folder:
        path = Path(folder) / "sheet.png"
        surface.write_to_png(str(path))
        surface.finish()
        return path.read_bytes()


def _title(config: CollectionConfig, trait: str, count: int) -> str:
    return f"{config.name}: {count} tokens by {trait}"


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


def _thumbnail(ctx, path: Path, x: float, y: float, cell: int) -> None:
    import cairo

    image = cairo.ImageSurface.create_from_png(str(path))
    ctx.save()
    ctx.translate(x, y)
    ctx.scale(cell / image.get_width(), cell / image.get_height())
    ctx.set_source_surface(image, 0, 0)
    ctx.get_source().set_filter(cairo.FILTER_GOOD)
    ctx.paint()
    ctx.restore()
    image.finish()
