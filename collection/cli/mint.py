"""`artgen mint`, `verify`, `upgrade`, `inscribed` and `status`: a collection."""

from __future__ import annotations

from pathlib import Path

import click

from artgen.cli.command import command
from artgen.cli.options import (
    SEED,
    config_option,
    directory_argument,
    json_option,
    limited,
    model_option,
    out_option,
    size_option,
    token_option,
)
from artgen.cli.output import QUIET, data, data_json, status, verbosity
from artgen.limits import WORKERS
from artgen.wording import counted


@command()
@config_option("Collection config (TOML) [default: the packaged defaults].")
@size_option("Number of tokens [default: the config's].")
@click.option("--seed", type=SEED, default=None, help="Collection seed [default: the config's].")
@out_option("Collection folder.", folder=True)
@click.option(
    "--workers",
    type=limited(WORKERS),
    default=None,
    help=f"Local worker processes ({WORKERS.describe()}) [default: one per core].",
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
@click.option(
    "--check-hashes",
    is_flag=True,
    help="On a finished collection, compare every file's sha256 with the manifest, not only "
    "its size, before repairing what differs.",
)
def mint(config, size, seed, out, workers, scheduler, group_by, force, check_hashes):
    """Mint a collection into DIR: models, stills, metadata, ord batches, manifest.

    Run it again after an interruption to finish the remaining tokens. On a finished
    collection it checks every file against the manifest (sizes; sha256 with --check-hashes)
    and makes again what is missing or damaged, saying what it repaired. Progress and the
    summary go to stderr.
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
        progress=verbosity() > QUIET,
        check_hashes=check_hashes,
    )
    status("\n".join(result.summary_lines()))


@command()
@directory_argument()
@click.pass_context
def verify(ctx, directory):
    """Check every file of a minted collection against its manifest (exit 1 if any is bad).

    The files that do not match go to stdout, one a line, with the reason.
    """
    from collection.mint import verify as verify_files

    problems = verify_files(directory)
    for problem in problems:
        data(f"{directory / problem.path}: {problem.reason}")
    if problems:
        verb = "does" if len(problems) == 1 else "do"
        status(f"{directory}: {counted(len(problems), 'file')} {verb} not match the manifest")
        ctx.exit(1)
    data(f"{directory}: every file matches the manifest")


@command()
@directory_argument()
@token_option(help="Token id to upgrade.")
@model_option("The new model (data inscription).", required=True, path_type=Path)
def upgrade(directory, token, model):
    """Give a token a new model: redraw it, update its metadata and the manifest."""
    from collection.mint import upgrade_token

    entry = upgrade_token(directory, token, model)
    layers = "-".join(map(str, entry.get("hidden_layers", [])))
    status(
        f"{directory}: token {token} upgraded to {model} (hidden layers {layers}); "
        f"see {directory / 'upgrades.json'}"
    )


@command()
@directory_argument()
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
    status(
        f"{directory}: {counted(len(batches), 'batch')} inscribed; ids in inscriptions.json, "
        "metadata/ and ord/inscribed.json"
    )


@command("status")
@directory_argument()
@json_option("Print ord/batches.json's report (every batch, its status, ids and costs) as JSON.")
def collection_status(directory, as_json):
    """Show which ord batches are inscribed, which wait on which ids, and what remains to pay."""
    from collection.mint.status import collection_status as read_status

    report = read_status(directory)
    if as_json:
        data_json(report.report)
    else:
        data("\n".join(report.lines()))
