"""`artgen chain` and the `--time / --fee-rate / --chain` options other commands share."""

from __future__ import annotations

import json
from collections.abc import Callable

import click

from ..chain import ChainState, resolve, summary

CHAIN_HELP = (
    "where block time and fee rate come from: 'default' (embedded, offline), 'file:PATH' or "
    "PATH.json (getblockstats output), 'rpc+http://USER:PASS@HOST:PORT' (Bitcoin Core) or "
    "'ord+http://HOST:PORT' (ord server)"
)


def chain_options(command: Callable) -> Callable:
    """Add `--time`, `--fee-rate` and `--chain` (kwargs time, fee_rate, chain) to a command."""
    options = [
        click.option(
            "--time",
            metavar="T",
            default=None,
            help="block time: ISO 8601 UTC (2024-11-25T12:00:00Z) or Unix seconds "
            "[default: from --chain]",
        ),
        click.option(
            "--fee-rate",
            metavar="F",
            type=float,
            default=None,
            help="average fee rate in sat/vB [default: from --chain]",
        ),
        click.option("--chain", metavar="SOURCE", default=None, help=CHAIN_HELP),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def chain_from_options(time: str | None, fee_rate: float | None, chain: str | None) -> ChainState:
    """The chain state the shared options ask for (explicit values override the source's)."""
    return resolve(chain, time=time, fee_rate=fee_rate)


@click.command("chain")
@chain_options
@click.option("--json", "as_json", is_flag=True, help="print JSON instead of text")
def chain(time: str | None, fee_rate: float | None, chain: str | None, as_json: bool) -> None:
    """Show the chain state (block time, height, fee rate) and the animation pace it sets."""
    info = summary(chain_from_options(time, fee_rate, chain), chain)
    if as_json:
        click.echo(json.dumps(info, indent=2))
        return
    click.echo(f"source          {info['source']}")
    click.echo(f"time            {info['time_iso']} ({info['time']:.0f})")
    click.echo(f"height          {info['height']}")
    click.echo(f"fee rate        {info['fee_rate']:g} sat/vB")
    click.echo(f"activity        {info['activity']:.3f}")
    click.echo(f"spark interval  {info['spark_interval']} frames")
