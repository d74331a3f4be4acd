"""Contact sheets: every token's thumbnail grouped by one trait, at any collection size.

- Up to PAGE_TOKENS tokens, contact-sheet.png is the whole contact sheet: labelled thumbnails
  under a heading per value, as large as fit in MAX_PIXELS.
- Past that, contact-sheet.png is a mosaic of every token (small tiles, no numbers, the same
  groups and headings, kept under MAX_PIXELS), and contact-sheets/page-NNNN.png hold the
  labelled thumbnails PAGE_TOKENS at a time, in the same group order (a group that goes on
  from the page before says so). 10,000 tokens: a 3.6k x 3.8k mosaic and 40 pages.

Groups follow the trait's table order (numbers ascending); values outside the table (an
upgraded model's traits) come last. Sheets are drawn and compressed in horizontal bands
(`artgen.png`), pages one after the other: memory holds one page's layout and a few bands,
whatever the collection's size. The bytes are a pure function of the thumbnails and records.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from artgen import atomic, png
from artgen.errors import ConfigError
from artgen.tables import TRAIT_NAMES
from artgen.wording import counted
from collection.config import CollectionConfig

from .layout import CONTACT_PAGES, contact_page_path

DEFAULT_GROUP = "Color Palette"
MAX_PIXELS = 12_000_000  # about 3500 x 3500: a sheet a browser and an image viewer open quickly
PAGE_TOKENS = 256  # tokens on one labelled sheet; past this, a mosaic and pages
PAGE_CELL = 128  # px: a page's thumbnails (a 16 x 16 page is about 2.3k x 2.8k)
MIN_CELL = 48  # px: below this a labelled thumbnail shows nothing
MIN_TILE = 8  # px: a mosaic's tiles, at the least (MAX_PIXELS holds 100,000 of them)
MAX_COLUMNS = 24  # labelled sheets
MAX_TILE_COLUMNS = 200  # a mosaic: about square up to 40,000 tokens, then taller
LABEL_MIN = 40  # px: tiles smaller than this carry no token number
BANDS = 8  # horizontal bands drawn and compressed in parallel (the bytes depend on this)
BACKGROUND = (0.96, 0.95, 0.92)
INK = (0.14, 0.12, 0.13)
FONT = "DejaVu Sans"

Groups = list[tuple[object, list[dict], int, bool]]  # (value, records, group size, continued)


@dataclass(frozen=True)
class Sheet:
    """A sheet's size and what is drawn on it, top to bottom: ("text", text, x, baseline,
    size, bold) and ("thumbnail", path, x, y, cell) items."""

    width: int
    height: int
    items: list[tuple]


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


def pages(grouped: list[tuple[object, list[dict]]], per_page: int = PAGE_TOKENS) -> list[Groups]:
    """The groups cut into pages of `per_page` records, in order; a group cut by a page's end
    goes on at the top of the next one (`continued`)."""
    out: list[Groups] = [[]]
    room = per_page
    for value, members in grouped:
        start = 0
        while start < len(members):
            if room == 0:
                out.append([])
                room = per_page
            part = members[start : start + room]
            out[-1].append((value, part, len(members), start > 0))
            start += len(part)
            room -= len(part)
    return out


def contact_sheets(root: Path, config: CollectionConfig, records: Sequence[dict], trait: str):
    """Write contact-sheets/page-NNNN.png when the collection has more than PAGE_TOKENS
    tokens (removing pages a larger collection left), and return contact-sheet.png's bytes."""
    count = 0
    for count, sheet in enumerate(page_sheets(config, records, trait), 1):
        atomic.write_bytes(root / contact_page_path(count), draw(root, sheet))
    folder = root / CONTACT_PAGES
    kept = {contact_page_path(n) for n in range(1, count + 1)}
    for path in sorted(folder.glob("page-*.png")) if folder.is_dir() else ():
        if path.relative_to(root).as_posix() not in kept:
            path.unlink()
    return contact_sheet(root, config, records, trait)


def page_sheets(config: CollectionConfig, records: Sequence[dict], trait: str) -> Iterator[Sheet]:
    """The layout of each page, in order: none up to PAGE_TOKENS tokens."""
    if len(records) <= PAGE_TOKENS:
        return
    paged = pages(groups(config, records, trait))
    cell = min(PAGE_CELL, config.render.thumbnail_size)
    for number, page in enumerate(paged, 1):
        title = f"{config.name}: tokens by {trait}, page {number} of {len(paged)}"
        yield layout(page, title, cell, labels=True)


def contact_sheet(
    root: Path,
    config: CollectionConfig,
    records: Sequence[dict],
    trait: str,
    bands: int = BANDS,
) -> bytes:
    """contact-sheet.png's bytes (`overview`)."""
    return draw(root, overview(config, records, trait), bands)


def overview(config: CollectionConfig, records: Sequence[dict], trait: str) -> Sheet:
    """contact-sheet.png: every token, grouped by `trait`: labelled thumbnails up to
    PAGE_TOKENS tokens, a mosaic of tiles past that."""
    grouped = [(v, m, len(m), False) for v, m in groups(config, records, trait)]
    title = f"{config.name}: {counted(len(records), 'token')} by {trait}"
    return layout(grouped, title, config.render.thumbnail_size, len(records) <= PAGE_TOKENS)


def draw(root: Path, sheet: Sheet, bands: int = BANDS) -> bytes:
    """The sheet as a PNG, drawn and compressed in `bands` horizontal bands on up to one
    thread per core (Cairo and zlib release Python's lock); the bytes depend on `bands`,
    never on the thread count."""
    spans = _spans(sheet, bands)
    threads = max(1, min(len(spans), os.cpu_count() or 1))
    with ThreadPoolExecutor(threads, thread_name_prefix="contact-band") as pool:
        done = list(pool.map(lambda span: _band(root, sheet, *span), spans))
    return png.from_bands(sheet.width, sheet.height, done)


def _spans(sheet: Sheet, bands: int) -> list[tuple[int, int]]:
    """(first row, end row) of each band: `bands` about equal, each edge moved down to the
    end of a thumbnail it would cut (a cut thumbnail is decoded by both bands)."""
    height = sheet.height
    cells = sorted({(i[3], i[3] + i[4]) for i in sheet.items if i[0] == "thumbnail"})
    edges = [0]
    for k in range(1, max(1, bands)):
        edge = max(edges[-1], height * k // bands)
        for top, bottom in cells:  # sorted: a cell moved past is never met again
            if top < edge < bottom:
                edge = bottom
        if edges[-1] < edge < height:
            edges.append(edge)
    return list(zip(edges, [*edges[1:], height], strict=True))


def layout(grouped: Groups, title: str, max_cell: int, labels: bool) -> Sheet:
    """Where everything goes. Each group is a block (its heading over a grid of at most
    `cols` thumbnails); blocks are packed left to right on shelves as wide as `cols`
    thumbnails. Cells are as large as MAX_PIXELS allows, at most `max_cell`; `labels` puts
    each token's number under its cell (a labelled sheet), else the sheet is a mosaic."""
    import cairo

    n = max(1, sum(len(m) for _, m, _, _ in grouped))
    limit = MAX_COLUMNS if labels else MAX_TILE_COLUMNS
    cols = max(1, min(n, limit, max(4, math.ceil(math.sqrt(n)))))
    rows = sum(math.ceil(len(m) / cols) for _, m, _, _ in grouped)
    row_units = 1.12 if labels else 1.06  # a cell, its gap and (labelled) its number
    units = cols * (rows * row_units + len(grouped) * 0.4 + 0.6)  # cells, headings, title
    least = MIN_CELL if labels else MIN_TILE
    cell = int(min(max_cell, max(least, math.sqrt(MAX_PIXELS / units))))
    gap, heading = max(4 if labels else 1, cell // 16), max(20, cell // 5)
    label = max(10, cell // 9) if labels and cell >= LABEL_MIN else 0
    margin, title_px = max(8, 2 * gap), max(28, int(heading * 1.4))
    shelf_width = cols * cell + (cols - 1) * gap
    measure = cairo.Context(cairo.ImageSurface(cairo.FORMAT_RGB24, 1, 1))
    blocks = []  # (heading, members, per_row, x, y)
    x = y = shelf = right = 0
    for value, members, size, continued in grouped:
        text = f"{value} ({size}{', continued' if continued else ''})"
        per_row = min(len(members), cols)
        width = max(per_row * (cell + gap) - gap, math.ceil(_width(measure, text, heading * 0.6)))
        height = heading + math.ceil(len(members) / per_row) * (cell + label + gap)
        if x and x + width > shelf_width:
            x, y, shelf = 0, y + shelf + gap, 0
        blocks.append((text, members, per_row, x, y))
        right = max(right, x + width)
        x, shelf = x + width + 2 * gap, max(shelf, height)
    title_width = math.ceil(_width(measure, title, title_px * 0.5))
    width = 2 * margin + max(shelf_width, right, title_width)
    items: list[tuple] = [("text", title, margin, margin + title_px * 0.6, title_px * 0.5, True)]
    top = margin + title_px
    for text, members, per_row, bx, by in blocks:
        items.append(("text", text, margin + bx, top + by + heading * 0.75, heading * 0.6, True))
        for i, r in enumerate(members):
            cx = margin + bx + (i % per_row) * (cell + gap)
            cy = top + by + heading + (i // per_row) * (cell + label + gap)
            items.append(("thumbnail", r["files"]["thumbnail"], cx, cy, cell))
            if label:
                number = f"#{r['token']}"
                items.append(("text", number, cx, cy + cell + label * 0.85, label * 0.8, False))
    return Sheet(width, 2 * margin + title_px + y + shelf, items)


def _reach(item: tuple) -> tuple[float, float]:
    """The rows an item may touch: a thumbnail its cell (copied at whole pixels), a text line
    its ascent and descent with room for antialiasing."""
    if item[0] == "thumbnail":
        _, _, _, y, cell = item
        return y, y + cell
    _, _, _, baseline, size, _ = item
    return baseline - 1.5 * size, baseline + 0.6 * size


def _band(root: Path, sheet: Sheet, y0: int, y1: int) -> tuple[bytes, int, int]:
    """Rows y0..y1 of the sheet: the items that reach them drawn on a band of that height,
    then compressed (`artgen.png.band`)."""
    import cairo

    surface = cairo.ImageSurface(cairo.FORMAT_RGB24, sheet.width, y1 - y0)
    ctx = cairo.Context(surface)
    ctx.set_source_rgb(*BACKGROUND)
    ctx.paint()
    ctx.translate(0, -y0)
    for item in sheet.items:
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


def _font(ctx, size: float, bold: bool) -> None:
    import cairo

    weight = cairo.FONT_WEIGHT_BOLD if bold else cairo.FONT_WEIGHT_NORMAL
    ctx.select_font_face(FONT, cairo.FONT_SLANT_NORMAL, weight)
    ctx.set_font_size(size)


def _width(ctx, text: str, size: float) -> float:
    """The advance of a bold line of text (headings and titles are bold)."""
    _font(ctx, size, True)
    return ctx.text_extents(text).x_advance


def _text(ctx, text: str, x: float, baseline: float, size: float, bold: bool) -> None:
    _font(ctx, size, bold)
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
