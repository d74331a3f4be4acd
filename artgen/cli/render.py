"""`artgen render`: one portrait into PNG, SVG or PDF (the extension, or --format, decides)."""

from __future__ import annotations

import click

from .chain import chain_from_options, chain_options
from .command import command
from .options import format_option, model_option, out_option, px_option, seed_option, token_option
from .output import output_target

FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}


@command(aliases={"--size": "--px"})
@seed_option()
@token_option()
@chain_options
@px_option(1024)
@model_option("Draw an upgraded model's network (its hidden layers) in the token's traits.")
@click.option(
    "--frame",
    "frame",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    metavar="K",
    help="Frame index (where Dead and Rebirth particles have drifted to).",
)
@out_option("Output file: .png, .svg or .pdf; '-' writes to stdout.")
@format_option("png", "svg", "pdf")
def render(seed, token, time, fee_rate, chain, px, model, frame, out, fmt):
    """Draw a token's portrait at a block time (default: the embedded chain state)."""
    from ..render import render_file

    with output_target(out, FORMATS, "png", fmt) as target:
        render_file(
            target.path,
            seed,
            token,
            chain=chain_from_options(time, fee_rate, chain),
            size=px,
            model=model,
            frame=frame,
        )
