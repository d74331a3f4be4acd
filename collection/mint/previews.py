"""The minter's door to animated previews (MP4, WebP, GIF): `artgen.animation.write_preview`.

The animation facade writes files; the minter's token jobs return bytes and write nothing
themselves, so a preview is drawn into a private temporary folder and read back.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from artgen.animation import write_preview
from artgen.chain import ChainState
from artgen.tables import Tables
from artgen.traits import Traits


def preview_bytes(
    fmt: str,
    traits: Traits,
    *,
    tables: Tables,
    hidden_sizes: Sequence[int],
    chain: ChainState,
    fps: int,
    seconds: float,
    size: int,
) -> bytes:
    """One token's animated preview as file bytes; its life follows the collection's tables."""
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
            tables=tables,
        )
        return path.read_bytes()
