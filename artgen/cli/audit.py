"""`artgen audit`: the rarity audit of a minted collection, or of the sampler alone."""

from __future__ import annotations

import json
from pathlib import Path

import click

from collection.audit.duplicates import PHASH_DISTANCE

from .core import SEED


@click.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Audit the sampler for this collection config (no DIR).",
)
@click.option("--size", type=click.IntRange(min=1), help="Sampler audit: number of tokens.")
@click.option("--seed", type=SEED, help="Sampler audit: collection seed.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Report folder [default: DIR/audit, or ./audit for a sampler audit].",
)
@click.option(
    "--phash-distance",
    type=click.IntRange(0, 64),
    default=PHASH_DISTANCE,
    show_default=True,
    help="Near-identical portraits: most differing bits of 64 in the pHash.",
)
@click.option(
    "--holm",
    is_flag=True,
    help="Flag traits on Holm-adjusted p-values: at most a 1% chance of any false flag over "
    "all the traits tested, not 1% per trait (weighted mode).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--strict", is_flag=True, help="Exit 1 when any trait is flagged.")
@click.pass_context
def audit(ctx, directory, config_path, size, seed, out, phash_distance, holm, as_json, strict):
    """Check a collection's rarity against its tables and write an HTML, JSON and CSV report.

    DIR is a minted collection (collection.toml, metadata/, images/). Without DIR, audits the
    tokens the sampler makes for --config (packaged defaults if absent), --size and --seed.
    """
    from collection.audit import run_audit, summary_lines

    sampler = config_path is not None or size is not None or seed is not None
    if (directory is None) == (not sampler):
        raise click.UsageError("give a collection DIR, or --config/--size/--seed for the sampler")
    result, paths = run_audit(
        directory,
        config_path=config_path,
        size=size,
        seed=seed,
        out=out,
        phash_distance=phash_distance,
        correction="holm" if holm else "none",
    )
    if as_json:
        report = {**result.summary(), "report": {k: str(p) for k, p in paths.items()}}
        click.echo(json.dumps(report, ensure_ascii=False))
    else:
        click.echo("\n".join(summary_lines(result, paths)))
    if strict and result.flagged:
        n = len(result.flagged)
        names = ", ".join(result.flagged)
        click.echo(f"artgen: audit: {n} trait{'s' if n > 1 else ''} flagged: {names}", err=True)
        ctx.exit(1)
