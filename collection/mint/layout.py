"""Where a minted collection keeps its files (paths relative to the collection folder).

collection.toml            the resolved config (loads back to the same config hash)
models/<t>.json            each token's trained model: its data inscription
art/engine.js              the art's shared engine script, when render.formats has "html"
art/<t>.html               each token's art inscription (loads the engine and its model by id)
images/<t>.<fmt>           stills at the first configured size (png, svg, pdf)
images/<size>px/<t>.<fmt>  stills at the other configured sizes
thumbnails/<t>.png         thumbnail_size stills (contact sheet, reports)
previews/<t>.<mp4|webp|gif>  animated previews, when configured
metadata/<t>.json          marketplace metadata (OpenSea style)
inscriptions.json          Ordinals collection items (one per token)
meta.json                  Ordinals collection metadata
ord/batch-NNN.yaml         `ord wallet batch` files, each under one reveal transaction
ord/batches.json           their weight, vbyte and fee estimates
ord/inscribed.json         real inscription ids, once `artgen inscribed` has read them
upgrades.json              the log of model upgrades, once a token has been upgraded
ord/cover.html             the collection's parent (or ord/collection.json), when it has one
ord/gallery.html           a gallery of every token, when asked for
contact-sheet.png          thumbnails grouped by a trait (past 256 tokens: a mosaic of them)
contact-sheets/page-NNNN.png  past 256 tokens: the labelled thumbnails, 256 a page
manifest.json              sha256 and size of every other file
backups/<UTC time>/        what a forced mint replaced; not in the manifest
report/                    the report site (artgen report, written by the mint too); not in
                           the manifest
.artgen/                   resume state (run.json, tokens/<t>.json); not in the manifest
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

STATE_DIR = ".artgen"
MANIFEST = "manifest.json"
CONFIG_FILE = "collection.toml"
CONTACT_SHEET = "contact-sheet.png"
CONTACT_PAGES = "contact-sheets"
INSCRIPTIONS = "inscriptions.json"
COLLECTION_META = "meta.json"
UPGRADES = "upgrades.json"
ORD_DIR = "ord"
BATCHES = "ord/batches.json"
INSCRIBED = "ord/inscribed.json"
#: Folders that hold per-token files; only these and the files above are ever written.
TOKEN_DIRS = ("models", "images", "thumbnails", "previews", "metadata", "art")
ENGINE_PATH = "art/engine.js"


def contact_page_path(number: int) -> str:
    return f"{CONTACT_PAGES}/page-{number:04d}.png"


def model_path(token: int) -> str:
    return f"models/{token}.json"


def still_path(token: int, fmt: str, size: int, first_size: int) -> str:
    """images/<t>.<fmt> at the first configured size, images/<size>px/<t>.<fmt> otherwise."""
    return f"images/{token}.{fmt}" if size == first_size else f"images/{size}px/{token}.{fmt}"


def art_path(token: int) -> str:
    return f"art/{token}.html"


def thumbnail_path(token: int) -> str:
    return f"thumbnails/{token}.png"


def preview_path(token: int, fmt: str) -> str:
    return f"previews/{token}.{fmt}"


def metadata_path(token: int) -> str:
    return f"metadata/{token}.json"


def batch_path(number: int) -> str:
    return f"{ORD_DIR}/batch-{number:03d}.yaml"


@dataclass(frozen=True)
class StatePaths:
    """The resume state of one collection folder."""

    root: Path

    @property
    def folder(self) -> Path:
        return self.root / STATE_DIR

    @property
    def run(self) -> Path:
        return self.folder / "run.json"

    @property
    def tokens(self) -> Path:
        return self.folder / "tokens"

    def record(self, token: int) -> Path:
        return self.tokens / f"{token}.json"


#: Folders of reports written about a finished collection (the report site of `artgen report`,
#: `artgen audit` and the minter; an older audit's folder; the demo's showcase): not part of
#: the collection, so not in its manifest.
REPORT_DIRS = ("audit", "report", "showcase")
REPORT_INDEX = "report/index.html"
#: Where a forced mint puts what it replaces (one dated folder per run); not in the manifest.
BACKUP_DIR = "backups"


def is_transient(relative: str) -> bool:
    """Hidden files and folders (resume state, temporary files of atomic writes)."""
    return any(part.startswith(".") for part in Path(relative).parts)


def is_report(relative: str) -> bool:
    """A file in one of the REPORT_DIRS (or the backups) at the collection's top level."""
    return Path(relative).parts[0] in (*REPORT_DIRS, BACKUP_DIR)
