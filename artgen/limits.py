"""The documented limits of what a user may ask for, each checked before any work starts.

One home per limit, like SQLite's documented limits: the command line's ranges, the library's
checks and the README's table all read them from here. Each `Limit` says what it bounds, in
which unit, and why; `LIMITS` lists them all (the README's table and the tests walk it). A
request beyond one is a `LimitError`: one line naming the limit, exit code 2.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .errors import ArtgenError, LimitError
from .wording import plural


@dataclass(frozen=True)
class Limit:
    """An inclusive range [low, high] of one quantity; `high` None means no upper bound yet."""

    name: str  # what is limited, as a user would say it
    unit: str  # "px", "fps", "token", ... (artgen.wording makes the plural)
    low: int | float
    high: int | float | None
    why: str  # where the bounds come from

    def __contains__(self, value: object) -> bool:
        if not isinstance(value, int | float) or isinstance(value, bool):
            return False
        if isinstance(value, float) and math.isnan(value):
            return False
        return self.low <= value and (self.high is None or value <= self.high)

    def describe(self) -> str:
        """The range in words: "64 to 4096 px", "1 to 10,000 epochs", "at most 1,048,576
        bytes"."""
        if self.high is None:
            return f"at least {_number(self.low)} {plural(self.unit, self.low)}"
        if self.low == 0:
            return f"at most {_number(self.high)} {plural(self.unit, self.high)}"
        return f"{_number(self.low)} to {_number(self.high)} {plural(self.unit, self.high)}"

    def check(
        self,
        value,
        *,
        source: str | None = None,
        field: str | None = None,
        error: type[ArtgenError] = LimitError,
    ):
        """`value` itself when it lies in the range; `error` (LimitError unless a reader
        names its own domain) naming the limit otherwise."""
        if value not in self:
            shown = _number(value) if isinstance(value, int | float) else repr(value)
            raise error(
                f"expected the {self.name} to be {self.describe()}, got {shown}",
                source=source,
                field=field,
            )
        return value


def _number(value: int | float) -> str:
    """4096 and 1,048,576 for whole numbers, 0.5 otherwise (nan and inf as Python writes them)."""
    if isinstance(value, bool) or (isinstance(value, float) and not math.isfinite(value)):
        return repr(value)
    if isinstance(value, float) and not value.is_integer():
        return f"{value:g}"
    if abs(value) >= 10**30:  # a number that long says nothing more in full
        return f"{float(value):.3g}" if abs(value) < 1e308 else "a number of 300+ digits"
    return f"{int(value):,}" if abs(value) >= 10_000 else str(int(value))


#: The side of a square portrait, still or animated (render, animate, timelapse, a config's
#: render sizes and thumbnails).
PORTRAIT_PX = Limit(
    "side of a portrait",
    "px",
    64,
    4096,
    "64 px is a thumbnail (dense networks blur below 256 px); 4096 px is the original's "
    "largest save (its K key). An animation keeps 16 frames for its GIF palette: "
    "16 x 4096^2 x 3 bytes = 805 MB at most.",
)
#: Frames per second of an animation (animate, timelapse, a collection's previews).
FPS = Limit(
    "frame rate",
    "fps",
    1,
    60,
    "the original animates once per display frame, 60 Hz; a GIF plays 50 fps at most",
)
#: Tokens in a collection (mint, the sampler audit, a --tokens range).
TOKENS = Limit(
    "number of tokens",
    "token",
    1,
    100_000,
    "a collection has at least one token and at most as many as distinct trait combinations "
    "(the sampler checks them); 100,000 is ten times the largest Ordinals collections and "
    "bounds what one mint, audit or --tokens range holds",
)
#: Local worker processes of a mint: each holds the dataset and trains one token at a time.
WORKERS = Limit(
    "number of worker processes",
    "worker",
    1,
    256,
    "one per core is the default; past the cores more only wait, each with its own memory",
)
#: The side of a network's input image (a config's dataset.image_size, a trainer config).
INPUT_SIDE = Limit(
    "side of a network's input image", "px", 1, 1024, "the original trains on 32 x 32 images"
)
#: A Birth Year table's values: the birth instant is the middle of the year (UTC), and the
#: calendar the lifecycle computes in ends with 9999.
BIRTH_YEAR = Limit("birth year", "year", 1, 9998, "a life is reckoned from mid-year, UTC")
#: Training epochs of one network (train, its trainer config, a config's "Training Epochs").
EPOCHS = Limit(
    "number of training epochs",
    "epoch",
    1,
    10_000,
    "the original trains 4 to 12 epochs; 10,000 is hours of training for a table network",
)
#: Hidden layers, and neurons in one hidden layer (a config's tables, a trainer config).
HIDDEN_LAYERS = Limit("number of hidden layers", "layer", 1, 64, "the original has 1 to 10")
NEURONS = Limit(
    "number of neurons in a hidden layer", "neuron", 1, 4096, "the original has 5 to 20"
)
#: Weights and biases of one network; training holds them three times over (Adam's moments).
PARAMETERS = Limit(
    "number of weights of a network",
    "weight",
    1,
    50_000_000,
    "200 MB of float32 weights, 800 MB while training; a data inscription is far smaller",
)
#: Frames of one animation, fps x seconds (animate, timelapse, a collection's previews).
FRAMES = Limit(
    "number of frames (fps x seconds)",
    "frame",
    1,
    36_000,
    "ten minutes at 60 fps; frames are drawn one at a time, so this bounds time, not memory",
)
#: Pixels of an input image (classify, a card, a dataset's images), read from its header
#: before any pixel is decoded; Pillow's decompression-bomb check is set from it.
IMAGE_PIXELS = Limit(
    "pixel count of an input image",
    "pixel",
    1,
    64 * 1024 * 1024,
    "8192 x 8192, more than a camera's photo; decoded as RGBA it is 256 MiB",
)
#: Bytes of one input image file (or of one image inside a ZIP dataset).
IMAGE_BYTES = Limit(
    "size of an image file", "byte", 0, 128 * 1024 * 1024, "a 64 Mpx PNG holds about that"
)
#: A ZIP dataset: its entries, the bytes they unpack to in all, and each large entry's ratio
#: of unpacked to packed bytes (a ZIP bomb unpacks to far more than its own size).
ARCHIVE_ENTRIES = Limit(
    "number of entries in a ZIP dataset", "entry", 0, 200_000, "one per image, and folders"
)
ARCHIVE_BYTES = Limit(
    "unpacked size of a ZIP dataset", "byte", 0, 4 * 1024**3, "4 GiB of image files"
)
ARCHIVE_RATIO = Limit(
    "unpacked-to-packed ratio of a ZIP entry over 1 MiB",
    "time",
    0,
    200,
    "image files are compressed already (PNG, JPG, GIF: about 1x; a flat BMP some 100x); "
    "a ZIP bomb is 1,000x and more",
)
#: Images of a dataset once decoded: count x height x width x 3 bytes.
DATASET_BYTES = Limit(
    "decoded size of a dataset", "byte", 0, 2 * 1024**3, "500,000 images of 32 x 32 pixels"
)
#: Bytes read from files that are not images, checked before they are parsed.
CONFIG_BYTES = Limit("size of a config file", "byte", 0, 1024 * 1024, "a config is ~3 kB")
CHAIN_BYTES = Limit(
    "size of a chain file or reply", "byte", 0, 1024 * 1024, "a block's stats are ~1 kB"
)
MODEL_BYTES = Limit("size of a model file", "byte", 0, 400_000_000, "50M float32 weights in base64")
RECORD_BYTES = Limit(
    "size of a collection's record (manifest.json, ord's output)",
    "byte",
    0,
    256 * 1024 * 1024,
    "100,000 tokens' files with their hashes take about 80 MB",
)
#: Nesting of any JSON read from outside (models, chain files and replies, manifests, ord's
#: output, trainer configs): checked on the text, before it is parsed.
JSON_DEPTH = Limit("nesting depth of JSON", "level", 1, 64, "our files nest 6 levels at most")
#: Wall-clock time of one chain source's whole exchange (connect, headers, body, every call).
NETWORK_SECONDS = Limit(
    "time for a chain source to answer",
    "second",
    0,
    10,
    "a node answers in milliseconds; a server that sends a byte now and then is cut off here",
)
#: `artgen serve`: connections served at once, and the time a client has to send a request.
SERVE_CONNECTIONS = Limit(
    "number of connections served at once", "connection", 1, 64, "a browser opens about 6"
)
SERVE_REQUEST_SECONDS = Limit(
    "time a client has to send its request", "second", 0, 10, "idle or half-sent connections close"
)

LIMITS: tuple[Limit, ...] = (
    PORTRAIT_PX,
    FPS,
    TOKENS,
    WORKERS,
    INPUT_SIDE,
    BIRTH_YEAR,
    EPOCHS,
    HIDDEN_LAYERS,
    NEURONS,
    PARAMETERS,
    FRAMES,
    IMAGE_PIXELS,
    IMAGE_BYTES,
    ARCHIVE_ENTRIES,
    ARCHIVE_BYTES,
    ARCHIVE_RATIO,
    DATASET_BYTES,
    CONFIG_BYTES,
    CHAIN_BYTES,
    MODEL_BYTES,
    RECORD_BYTES,
    JSON_DEPTH,
    NETWORK_SECONDS,
    SERVE_CONNECTIONS,
    SERVE_REQUEST_SECONDS,
)
