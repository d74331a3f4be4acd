"""`artgen animate` (previews, reveal, classification) and `artgen timelapse` (one life)."""

from __future__ import annotations

import click

from .chain import chain_from_options, chain_options
from .core import seed_option, token_option


def video_options(seconds_help: str):
    """--fps, --seconds, --size and -o, shared by both commands."""

    def wrap(command):
        options = [
            click.option(
                "--fps",
                type=click.IntRange(1, 60),
                default=25,
                show_default=True,
                help="Frames per second (a GIF needs 50, 25, 20, 10, 5, 4, 2 or 1).",
            ),
            click.option(
                "--seconds",
                type=click.FloatRange(min=0.0, min_open=True),
                default=None,
                metavar="D",
                help=seconds_help,
            ),
            click.option(
                "--size",
                type=click.IntRange(64, 2048),
                default=512,
                show_default=True,
                metavar="PX",
                help="Side of the portrait in pixels (64-2048; even for MP4).",
            ),
            click.option(
                "--model",
                type=click.Path(dir_okay=False),
                default=None,
                metavar="M.json",
                help="Draw an upgraded model's network in the token's traits.",
            ),
            click.option(
                "-o",
                "--out",
                type=click.Path(dir_okay=False),
                required=True,
                metavar="FILE",
                help="Output file: .gif or .mp4.",
            ),
        ]
        for option in reversed(options):
            command = option(command)
        return command

    return wrap


@click.command()
@seed_option
@token_option
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
def animate(seed, token, time, fee_rate, chain, fps, seconds, size, model, out, reveal, image):
    """Animate a token's portrait into a GIF or MP4: sparks at the fee rate's pace."""
    from ..animation import animate_file

    path = animate_file(
        out,
        seed,
        token,
        chain=chain_from_options(time, fee_rate, chain),
        fps=fps,
        seconds=seconds,
        size=size,
        model=model,
        reveal=reveal,
        classify=image,
    )
    click.echo(f"wrote {path}")


@click.command()
@seed_option
@token_option
@chain_options
@video_options("Length of the timelapse [default: 12].")
def timelapse(seed, token, time, fee_rate, chain, fps, seconds, size, model, out):
    """One whole life of a token (birth to rebirth) with a caption, as a GIF or MP4."""
    from ..animation import TIMELAPSE_SECONDS, timelapse_file

    path = timelapse_file(
        out,
        seed,
        token,
        chain=chain_from_options(time, fee_rate, chain),
        fps=fps,
        seconds=seconds or TIMELAPSE_SECONDS,
        size=size,
        model=model,
    )
    click.echo(f"wrote {path}")
