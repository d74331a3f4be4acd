"""`artgen render`: one portrait into PNG, SVG or PDF (the extension picks the format)."""

from __future__ import annotations

import click

from .chain import chain_from_options, chain_options
from .core import seed_option, token_option


@click.command()
@seed_option
@token_option
@chain_options
@click.option(
    "--size",
    type=click.IntRange(256, 4096),
    default=1024,
    show_default=True,
    metavar="PX",
    help="Side of the square portrait in pixels (256-4096).",
)
@click.option(
    "--model",
    "model",
    type=click.Path(dir_okay=False),
    default=None,
    metavar="M.json",
    help="Draw an upgraded model's network (its hidden layers) in the token's traits.",
)
@click.option(
    "--frame",
    "frame",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Frame index (where Dead and Rebirth particles have drifted to).",
)
@click.option(
    "-o",
    "--out",
    "out",
    type=click.Path(dir_okay=False),
    required=True,
    metavar="FILE",
    help="Output file: .png, .svg or .pdf.",
)
def render(seed, token, time, fee_rate, chain, size, model, frame, out):
    """Draw a token's portrait at a block time (default: the embedded chain state)."""
    from ..render import render_file

    path = render_file(
        out,
        seed,
        token,
        chain=chain_from_options(time, fee_rate, chain),
        size=size,
        model=model,
        frame=frame,
    )
    click.echo(f"wrote {path}")
