"""`artgen animate` (previews, reveal, classification) and `artgen timelapse` (one life)."""

from __future__ import annotations

import click

from .chain import chain_from_options, chain_options
from .command import command
from .options import (
    FiniteRange,
    format_option,
    fps_option,
    model_option,
    out_option,
    px_option,
    seed_option,
    token_option,
)
from .output import output_target

FORMATS = {".gif": "gif", ".mp4": "mp4"}


def video_options(seconds_help: str):
    """--fps, --seconds, --px, --model, -o and --format, shared by both commands."""

    def wrap(command):
        options = [
            fps_option(),
            click.option(
                "--seconds",
                type=FiniteRange(min=0.0, min_open=True),
                default=None,
                metavar="D",
                help=seconds_help,
            ),
            px_option(512, "; even for MP4"),
            model_option("Draw an upgraded model's network in the token's traits."),
            out_option("Output file: .gif or .mp4; '-' writes to stdout."),
            format_option("gif", "mp4"),
        ]
        for option in reversed(options):
            command = option(command)
        return command

    return wrap


@command(aliases={"--size": "--px"})
@seed_option()
@token_option()
@chain_options
@video_options("Length of the clip [default: a 4 s loop, or what reveal, sweep and card need].")
@click.option(
    "--reveal/--no-reveal",
    default=False,
    show_default=True,
    help="Start with the reveal (nodes, then lines, column by column); the default loops.",
)
@click.option(
    "--classify",
    "image",
    type=click.Path(dir_okay=False),
    default=None,
    metavar="IMG",
    help="Classify an image: sweep through the network, then show the card "
    "(with --model, or the bundled model).",
)
def animate(seed, token, time, fee_rate, chain, fps, seconds, px, model, out, fmt, reveal, image):
    """Animate a token's portrait into a GIF or MP4: sparks at the fee rate's pace."""
    from ..animation import animate_file

    with output_target(out, FORMATS, "gif", fmt) as target:
        animate_file(
            target.path,
            seed,
            token,
            chain=chain_from_options(time, fee_rate, chain),
            fps=fps,
            seconds=seconds,
            size=px,
            model=model,
            reveal=reveal,
            classify=image,
        )


@command(aliases={"--size": "--px"})
@seed_option()
@token_option()
@chain_options
@video_options("Length of the timelapse [default: 12].")
def timelapse(seed, token, time, fee_rate, chain, fps, seconds, px, model, out, fmt):
    """One whole life of a token (birth to rebirth) with a caption, as a GIF or MP4."""
    from ..animation import TIMELAPSE_SECONDS, timelapse_file

    with output_target(out, FORMATS, "gif", fmt) as target:
        timelapse_file(
            target.path,
            seed,
            token,
            chain=chain_from_options(time, fee_rate, chain),
            fps=fps,
            seconds=seconds or TIMELAPSE_SECONDS,
            size=px,
            model=model,
        )
