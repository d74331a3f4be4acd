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
    """Mint the demo collection (12 tokens), show one token's life and brain, audit rarity."""
    from collection.mint.demo import demo_lines, mint_demo, showcase_demo

    result = mint_demo(out)
    click.echo("\n".join(demo_lines(result)))
    showcase, audit, paths = showcase_demo(result)
    root = result.root
    click.echo("\nPerceptron #0 through one life (Growing, Stable, Decaying, Dead, Rebirth):")
    click.echo(f"  stills      {showcase.strip.relative_to(root)} and showcase/stage-<stage>.png")
    click.echo(f"  timelapse   {showcase.timelapse.relative_to(root)}")
    click.echo(
        "Its brain at work on images it never saw (and the bundled default model's answers):"
    )
    for image, model, answer in showcase.answers:
        click.echo(
            f"  {image:<16} {model:<16} {answer.phrase} this image belongs to "
            f"{answer.top} ({answer.confidence:.0%})"
        )
    click.echo("  cards       showcase/card-<image>.png, showcase/classifications.json")
    click.echo("\nRarity audit:")
    click.echo("\n".join(f"  {line}" for line in audit))
    if (root / "art").is_dir():
        click.echo(f"\nThe art inscriptions run in a browser as on chain: artgen serve {root}")
