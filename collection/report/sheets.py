"""The grid's thumbnails: every token's still, shrunk into sheets of 10 x 10 cells (WebP).

One file per hundred tokens keeps a 10,000-token site to a hundred image requests and a
hundred atomic writes, and a browser decodes each sheet once for every cell it shows. A sheet
whose stills have not changed (same paths, sizes and modification times) is not drawn again.
A token without a readable still leaves its cell blank; the grid says so.
"""

from __future__ import annotations

import hashlib
import io
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PIL import Image

from artgen.atomic import write_bytes
from artgen.errors import ArtgenError
from artgen.images import read_image

CELL = 128  # px: a cell's side (the grid shows it at up to 128 CSS px)
COLUMNS = 10
PER_SHEET = COLUMNS * COLUMNS
QUALITY = 80  # WebP: the portraits' lines and dots stay crisp at 128 px (about 2 kB a cell)
METHOD = 2  # WebP effort 0-6: 2 is 1.7x quicker than the default 4 for 3.5% more bytes
BLANK = (128, 128, 128)
SHEET_DIR = "thumbs"


def sheet_name(index: int) -> str:
    return f"{SHEET_DIR}/{index}.webp"


def _key(paths: list[Path | None]) -> str:
    h = hashlib.sha256()
    for p in paths:
        try:
            st = p.stat() if p is not None else None
        except OSError:
            st = None
        h.update(f"{p}|{st.st_size if st else -1}|{st.st_mtime_ns if st else -1}\n".encode())
    return h.hexdigest()


def _cell(path: Path | None) -> Image.Image | None:
    if path is None:
        return None
    try:
        with read_image(path) as im:  # as any input is read: no FIFO, no bomb
            return im.convert("RGB").resize((CELL, CELL), Image.Resampling.LANCZOS)
    except ArtgenError:
        return None


def draw_sheet(paths: list[Path | None]) -> tuple[bytes, list[bool]]:
    """One sheet's WebP bytes, and which of its cells hold a still."""
    rows = (len(paths) + COLUMNS - 1) // COLUMNS
    sheet = Image.new("RGB", (COLUMNS * CELL, rows * CELL), BLANK)
    shown = []
    for i, path in enumerate(paths):
        cell = _cell(path)
        shown.append(cell is not None)
        if cell is not None:
            sheet.paste(cell, ((i % COLUMNS) * CELL, (i // COLUMNS) * CELL))
    buf = io.BytesIO()
    sheet.save(buf, "WEBP", quality=QUALITY, method=METHOD)
    return buf.getvalue(), shown


def _sheet(site: Path, n: int, part: list[Path | None], cache) -> list[bool]:
    """Sheet n drawn and written, unless the cache has it for these same stills."""
    name, key = sheet_name(n), _key(part)
    kept = cache.get("sheets", name)
    if kept is not None and kept["key"] == key and (site / name).is_file():
        shown = kept["shown"]
    else:
        data, shown = draw_sheet(part)
        write_bytes(site / name, data)
    cache.put("sheets", name, {"key": key, "shown": shown})
    return shown


def write_sheets(site: Path, stills: list[Path | None], cache) -> dict:
    """Sheets for `stills` (one per token, in grid order) under site/thumbs/; returns what the
    page needs to find a token's cell, and which tokens have none.

    Sheets are drawn on threads (one a core): PIL decodes, resizes and encodes without
    Python's lock, and each sheet's bytes depend on its stills alone.
    """
    starts = range(0, len(stills), PER_SHEET)
    with ThreadPoolExecutor(max(1, min(len(starts), os.cpu_count() or 1))) as pool:
        shown = list(
            pool.map(lambda n: _sheet(site, n, stills[starts[n] : starts[n] + PER_SHEET], cache),
                     range(len(starts)))
        )  # fmt: skip
    files = [sheet_name(n) for n in range(len(starts))]
    missing = [start + i for start, cells in zip(starts, shown, strict=True)
               for i, ok in enumerate(cells) if not ok]  # fmt: skip
    _remove_stale(site, set(files))
    return {"kind": "sheet", "cell": CELL, "columns": COLUMNS, "files": files, "blank": missing}


def _remove_stale(site: Path, keep: set[str]) -> None:
    folder = site / SHEET_DIR
    if folder.is_dir():
        for p in folder.iterdir():
            if p.is_file() and f"{SHEET_DIR}/{p.name}" not in keep:
                os.unlink(p)
