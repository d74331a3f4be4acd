"""`artgen demo`: mint the demo collection (collection/demo.toml) and say where everything is."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default="demo-output",
    show_default=True,
    help="Folder for the demo collection.",
)
def demo(out):
    """Mint the demo collection (12 tokens) and print where its files are."""
    from collection.mint.demo import demo_lines, mint_demo

    click.echo("\n".join(demo_lines(mint_demo(out))))
