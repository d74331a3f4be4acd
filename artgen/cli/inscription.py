"""`artgen inscription` (a token's standalone art) and `artgen serve` (a collection, as ord)."""

from __future__ import annotations

from pathlib import Path

import click

from .chain import chain_from_options, chain_options
from .core import seed_option, token_option


@click.command()
@seed_option
@token_option
@click.option(
    "--model",
    type=click.Path(dir_okay=False),
    default=None,
    metavar="M.json",
    help="The data inscription to embed [default: train the token's own network].",
)
@chain_options
@click.option(
    "-o",
    "--out",
    required=True,
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="HTML to write.",
)
def inscription(seed, token, model, time, fee_rate, chain, out):
    """Write a token's art as one self-contained HTML file (engine and model inside).

    With --time, --fee-rate or --chain the portrait is pinned to that chain state; without
    them it asks ord's recursion endpoints when served by ord, else shows the embedded default.
    """
    from ..inscription.standalone import write_standalone

    pinned = any(v is not None for v in (time, fee_rate, chain))
    state = chain_from_options(time, fee_rate, chain) if pinned else None
    path, model_bytes = write_standalone(out, seed, token, model=model, chain=state)
    size = path.stat().st_size
    click.echo(f"wrote {path}: {size:,} bytes (model {model_bytes:,} bytes)")


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port (0: any free one).",
)
@chain_options
def serve(directory, port, time, fee_rate, chain):
    """Serve a minted collection on 127.0.0.1 as an ord server would (/content/, /r/).

    Every inscription file answers at /content/<id> (placeholder and real ids); /r/blockheight
    and /r/blockinfo/<height> answer from the chosen chain state. Ctrl-C stops it.
    """
    from ..inscription.serve import run

    run(directory, chain_from_options(time, fee_rate, chain), port, announce=click.echo)
