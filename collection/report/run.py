"""Audit a collection and write its report site: what `artgen report`, `artgen audit`, the
minter and the demo call.

A minted collection's site goes to <collection>/report by default; a sampler audit (no
collection folder) writes one only to a folder it is given: files are written only where asked.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TextIO

from ..audit import Audit, audit_minted, audit_sampler
from ..audit.duplicates import PHASH_DISTANCE
from .write import Site, write_site

SITE_DIR = "report"  # inside the collection folder


def report_collection(
    folder: str | os.PathLike | None = None,
    *,
    config_path: str | os.PathLike | None = None,
    size: int | None = None,
    seed: int | str | None = None,
    out: str | os.PathLike | None = None,
    phash_distance: int = PHASH_DISTANCE,
    correction: str = "none",
    progress: TextIO | bool = False,
) -> tuple[Audit, Site | None]:
    """Audit the minted collection in `folder` (or the sampler when `folder` is None) and write
    its site into `out` (a sampler audit without one writes nothing: its site is None);
    `progress` (a stream, or True for stderr) shows the token pages done."""
    if folder is not None:
        result = audit_minted(folder, phash_distance, correction)
        target = Path(out) if out is not None else Path(folder) / SITE_DIR
        bar = _Bar(len(result.input.tokens), progress)
        site = write_site(result, target, root=folder, step=bar.advance)
        bar.close()
        return result, site
    result = audit_sampler(config_path, size=size, seed=seed, correction=correction)
    return result, None if out is None else write_site(result, out)


class _Bar:
    """The mint's progress bar for the token pages, shown from the first one done (so that a
    collection file that cannot be read is the only line on stderr)."""

    def __init__(self, total: int, progress: TextIO | bool):
        self.total, self.progress, self.bar = total, progress, None

    def advance(self) -> None:
        if self.progress is False:
            return
        if self.bar is None:
            from ..mint.progress import Progress

            stream = None if self.progress is True else self.progress
            self.bar = Progress(self.total, 0, stream, label="report")
        self.bar.advance()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def site_lines(site: Site, folder: str | os.PathLike | None = None) -> list[str]:
    """Where the site is, how big, and how to browse it."""
    lines = [
        f"report: {site.paths['site']} ({site.files:,} files, {site.bytes:,} bytes); "
        f"the audit: {site.paths['audit']}"
    ]
    if folder is not None:
        lines.append(f"browse it from disk, or as ord would serve the art: artgen serve {folder}")
    return lines
