"""`artgen mint`, `artgen verify`, `artgen upgrade` and `artgen inscribed`: a collection."""

from __future__ import annotations

from pathlib import Path

import click

from .core import SEED

DIR = click.Path(file_okay=False, path_type=Path)


@click.command()
@click.option(
    "--config",
    "config",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Collection config (TOML) [default: the packaged defaults].",
)
@click.option("--size", type=click.IntRange(min=1), default=None, help="Number of tokens.")
@click.option("--seed", type=SEED, default=None, help="Collection seed.")
@click.option("--out", "out", type=DIR, required=True, help="Collection folder.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Local worker processes [default: one per core].",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="ADDR",
    help="Run the token jobs on a Dask scheduler (tcp://HOST:PORT).",
)
@click.option(
    "--group-by",
    "group_by",
    default=None,
    metavar="TRAIT",
    help="Trait the contact sheet groups by [default: Color Palette].",
)
@click.option("--force", is_flag=True, help="Mint the folder again when the config changed.")
def mint(config, size, seed, out, workers, scheduler, group_by, force):
    """Mint a collection into DIR: models, stills, metadata, ord batches, manifest.

    Run it again after an interruption to finish the remaining tokens.
    """
    from collection.mint import mint_collection

    result = mint_collection(
        out,
        config=config,
        size=size,
        seed=seed,
        workers=workers,
        scheduler=scheduler,
        force=force,
        group_by=group_by,
    )
    click.echo("\n".join(result.summary_lines()))


@click.command()
@click.argument("directory", type=DIR)
@click.pass_context
def verify(ctx, directory):
    """Check every file of a minted collection against its manifest (exit 1 if any is bad)."""
    from collection.mint import verify as verify_files

    problems = verify_files(directory)
    for problem in problems:
        click.echo(f"{directory / problem.path}: {problem.reason}", err=True)
    if problems:
        ctx.exit(1)
    click.echo(f"{directory}: every file matches the manifest")


@click.command()
@click.argument("directory", type=DIR)
@click.option("--token", type=click.IntRange(min=0), required=True, help="Token id to upgrade.")
@click.option(
    "--model",
    "model",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    metavar="NEW.json",
    help="The new model (data inscription).",
)
def upgrade(directory, token, model):
    """Give a token a new model: redraw it, update its metadata and the manifest."""
    from collection.mint import upgrade_token

    entry = upgrade_token(directory, token, model)
    layers = "-".join(map(str, entry.get("hidden_layers", [])))
    click.echo(
        f"{directory}: token {token} upgraded to {model} (hidden layers {layers}); "
        f"see {directory / 'upgrades.json'}"
    )


@click.command()
@click.argument("directory", type=DIR)
@click.argument("outputs", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--batch",
    default=None,
    metavar="NAME",
    help="The batch (batch-002 or ord/batch-002.yaml) a single OUTPUT belongs to.",
)
def inscribed(directory, outputs, batch):
    """Fill in real inscription ids from `ord wallet batch` JSON OUTPUTS (one per batch)."""
    from collection.mint import record_inscriptions

    batches = record_inscriptions(directory, outputs, batch)
    click.echo(
        f"{directory}: {len(batches)} batches inscribed; ids in inscriptions.json, "
        "metadata/ and ord/inscribed.json"
    )
