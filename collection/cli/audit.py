"""`artgen audit` (the rarity audit of a minted collection, or of the sampler alone) and
`artgen report` (a minted collection's report site): both write the site."""

from __future__ import annotations

from pathlib import Path

import click

from artgen.cli.command import command
from artgen.cli.options import (
    SEED,
    config_option,
    directory_argument,
    json_option,
    out_option,
    size_option,
)
from artgen.cli.output import QUIET, data, data_json, status, verbosity
from artgen.wording import counted
from collection.audit.duplicates import PHASH_DISTANCE


@command()
@click.argument(
    "directory", required=False, metavar="[DIR]", type=click.Path(file_okay=False, path_type=Path)
)
@config_option("Audit the sampler for this collection config (no DIR).")
@size_option("Sampler audit: number of tokens [default: the config's].")
@click.option("--seed", type=SEED, help="Sampler audit: collection seed [default: the config's].")
@out_option(
    "Report site folder (its pages, the audit as JSON and CSV) [default: DIR/report; a "
    "sampler audit writes one only when given one].",
    folder=True,
    required=False,
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
@json_option("Print the whole audit as JSON: the summary, where the report went, and every table.")
@click.option("--strict", is_flag=True, help="Exit 1 when any trait is flagged.")
@click.pass_context
def audit(ctx, directory, config, size, seed, out, phash_distance, holm, as_json, strict):
    """Check a collection's rarity against its tables; the summary goes to stdout.

    DIR is a minted collection (collection.toml, metadata/, images/); its report site (see
    artgen report) goes to DIR/report unless -o says otherwise. Without DIR, audits the tokens
    the sampler makes for --config (packaged defaults if absent), --size and --seed, and writes
    a site only to -o (its portraits drawn by the art engine: a sampler has no stills).
    """
    from collection.audit import summary_lines
    from collection.report.run import report_collection

    sampler = config is not None or size is not None or seed is not None
    if (directory is None) == (not sampler):
        raise click.UsageError("give a collection DIR, or --config/--size/--seed for the sampler")
    result, site = report_collection(
        directory,
        config_path=config,
        size=size,
        seed=seed,
        out=out,
        phash_distance=phash_distance,
        correction="holm" if holm else "none",
    )
    if as_json:
        from collection.audit.report import report_json

        whole = report_json(result)
        summary = whole.pop("summary")
        report = {k: str(p) for k, p in site.paths.items()} if site else None
        data_json({**summary, "report": report, "details": whole})
    else:
        data("\n".join(summary_lines(result, site.paths if site else {})))
    if strict and result.flagged:
        flagged = counted(len(result.flagged), "trait")
        click.echo(f"{ctx.command_path}: {flagged} flagged: {', '.join(result.flagged)}", err=True)
        ctx.exit(1)


@command()
@directory_argument()
@out_option("Site folder [default: DIR/report].", folder=True, required=False)
@click.option(
    "--holm",
    is_flag=True,
    help="The audit flags traits on Holm-adjusted p-values (see artgen audit --help).",
)
def report(directory, out, holm):
    """Write a minted collection's report site: every token in a grid that sorts and filters,
    a page per token (its still and live art, traits, rarity, life, brain, inscriptions) and
    the rarity audit. It reads from disk, or through `artgen serve DIR`, offline.

    The site's index page goes to stdout; the audit's headline, progress and how to browse
    it go to stderr.
    """
    from collection.audit import summary_lines
    from collection.report.run import report_collection, site_lines

    correction = "holm" if holm else "none"
    result, site = report_collection(
        directory, out=out, correction=correction, progress=verbosity() > QUIET
    )
    status("\n".join(summary_lines(result, site.paths)[:2] + site_lines(site, directory)))
    data(str(site.paths["site"]))
