"""The one door from the minter to animated previews (GIF, MP4): `artgen.animation`.

The minter asks `preview_exporter()` for a writer before any work starts and calls it per
token; wiring another animation backend is a change here only.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from artgen.errors import ConfigError

from .layout import PREVIEW_FORMATS

PreviewWriter = Callable[..., object]


def preview_exporter() -> PreviewWriter | None:
    """`artgen.animation.write_preview`, or None while that module does not exist."""
    if importlib.util.find_spec("artgen.animation") is None:
        return None
    from artgen.animation import write_preview

    return write_preview


def check_preview_formats(formats: tuple[str, ...], source: str) -> None:
    """Refuse GIF/MP4 formats when no preview exporter is installed (ConfigError)."""
    wanted = [f for f in formats if f in PREVIEW_FORMATS]
    if wanted and preview_exporter() is None:
        raise ConfigError(
            f"{wanted[0]} previews need artgen.animation, which this engine does not have yet; "
            "remove it from render.formats",
            source=source,
            field="render.formats",
        )


def preview_bytes(
    fmt: str, traits, *, hidden_sizes, chain, fps: int, seconds: float, size: int
) -> bytes:
    """One token's animated preview as file bytes (written to a private temporary file)."""
    write_preview = preview_exporter()
    if write_preview is None:  # check_preview_formats ran first; this is a programming error
        raise RuntimeError("no preview exporter")
    with tempfile.TemporaryDirectory(prefix="artgen-preview-") as tmp:
        path = Path(tmp) / f"preview.{fmt}"
        write_preview(
            path,
            traits,
            hidden_sizes=hidden_sizes,
            chain=chain,
            fps=fps,
            seconds=seconds,
            size=size,
        )
        return path.read_bytes() if path.exists() else _missing(path)


def _missing(path: os.PathLike) -> bytes:
    raise RuntimeError(f"the preview exporter wrote nothing to {path}")
