"""One exception type per failure domain; each carries the file, the field and what was expected.

The CLI turns any `ArtgenError` into one line on stderr and exit code 2.
"""

from __future__ import annotations


class ArtgenError(Exception):
    """Bad input: `str(err)` is one line naming the source, the field and what was expected."""

    def __init__(self, message: str, *, source: str | None = None, field: str | None = None):
        self.source = source
        self.field = field
        self.detail = message
        parts = []
        if source:
            parts.append(str(source))
        if field:
            parts.append(f"field {field!r}")
        prefix = ": ".join(parts)
        text = f"{prefix}: {message}" if prefix else message
        super().__init__(" ".join(text.split()))  # always a single line


class ModelFormatError(ArtgenError):
    """A data inscription (model JSON) that cannot be loaded."""


class DatasetError(ArtgenError):
    """A dataset folder or ZIP that cannot be used for training."""


class ChainStateError(ArtgenError):
    """A chain source (file, RPC, ord server) that did not give a usable block."""


class ConfigError(ArtgenError):
    """A collection or trainer configuration that is not valid."""


class ImageError(ArtgenError):
    """An image that cannot be read."""


class LimitError(ArtgenError):
    """A request beyond a documented limit (`artgen.limits`), refused before any work starts."""


class RefusalError(ArtgenError):
    """A Perceptron that cannot think now: Dead, Rebirth, or a hidden layer with no live neuron."""


class OutputError(ArtgenError):
    """An output that cannot be written (a read-only or missing folder, a device, no space)."""
