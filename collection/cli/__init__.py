"""The `artgen` console script: the engine's commands and the collection's, in one group.

`artgen` never imports `collection`, so the commands that need the collection layer (mint,
verify, upgrade, inscribed, status, audit, report, demo, and `classify --collection`) are registered
here, on top of the engine's table (`artgen.cli.COMMANDS`). Like the engine's, they are
imported only when run: `artgen --help` and shell completion read the summaries below.
"""

from __future__ import annotations

from artgen.cli import COMMANDS as ENGINE_COMMANDS
from artgen.cli import Entry, make_cli


def _here(module: str, attr: str, summary: str) -> Entry:
    return Entry(f"{__name__}.{module}:{attr}", summary)


#: The collection's commands (classify replaces the engine's: it adds --collection DIR).
COMMANDS: dict[str, Entry] = {
    "mint": _here("mint", "mint", "Mint a collection: models, stills, metadata, ord batches."),
    "verify": _here("mint", "verify", "Check a minted collection against its manifest."),
    "upgrade": _here("mint", "upgrade", "Give a token of a collection a new model."),
    "inscribed": _here("mint", "inscribed", "Record real inscription ids from ord's output."),
    "status": _here(
        "mint", "collection_status", "Show a collection's ord batches and what is left to pay."
    ),
    "audit": _here("audit", "audit", "Audit a collection's rarity (or the sampler's)."),
    "report": _here(
        "audit", "report", "Write a collection's report site, to explore and check it."
    ),
    "demo": _here("demo", "demo", "Mint the demo collection and show what it holds."),
    "classify": _here(
        "classify", "classify", "Classify an image with a model or as a token thinks."
    ),
}

cli = make_cli({**ENGINE_COMMANDS, **COMMANDS})


def main() -> None:
    """Console-script entry point: `artgen`."""
    cli.main(prog_name="artgen")
