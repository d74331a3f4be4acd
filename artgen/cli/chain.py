"""`artgen chain` and the `--time / --fee-rate / --chain` options other commands share."""

from __future__ import annotations

from collections.abc import Callable

import click

from ..chain import ChainState, format_time, resolve, source_label, summary
from ..wording import counted
from .command import command
from .options import json_option
from .output import data, data_json, detail

CHAIN_HELP = (
    "Where block time and fee rate come from: 'default' (embedded, offline), 'file:PATH' or "
    "PATH.json (getblockstats output), 'rpc+http://USER:PASS@HOST:PORT' (Bitcoin Core) or "
    "'ord+http://HOST:PORT' (ord server)."
)
TIME_HELP = (
    "Block time: ISO 8601 UTC (2024-11-25T12:00:00Z) or Unix seconds [default: from --chain]."
)


def _time_option():
    return click.option("--time", metavar="T", default=None, help=TIME_HELP)


def _chain_option():
    return click.option("--chain", metavar="SOURCE", default=None, help=CHAIN_HELP)


def _apply(command: Callable, options: list) -> Callable:
    for option in reversed(options):
        command = option(command)
    return command


def chain_options(command: Callable) -> Callable:
    """Add `--time`, `--fee-rate` and `--chain` (kwargs time, fee_rate, chain) to a command."""
    fee = click.option(
        "--fee-rate",
        metavar="F",
        type=float,
        default=None,
        help="Average fee rate in sat/vB [default: from --chain].",
    )
    return _apply(command, [_time_option(), fee, _chain_option()])


def moment_options(command: Callable) -> Callable:
    """Add `--time` and `--chain` (kwargs time, chain): a moment, where no fee rate matters."""
    return _apply(command, [_time_option(), _chain_option()])


def chain_from_options(time: str | None, fee_rate: float | None, chain: str | None) -> ChainState:
    """The chain state the shared options ask for (explicit values override the source's)."""
    state = resolve(chain, time=time, fee_rate=fee_rate)
    shown = source_label(chain) if chain else "the embedded default"  # never a password
    detail(
        f"moment: block {state.height} at {format_time(state.time)}, "
        f"{state.fee_rate:g} sat/vB (from {shown})"
    )
    return state


@command("chain")
@chain_options
@json_option()
def chain(time: str | None, fee_rate: float | None, chain: str | None, as_json: bool) -> None:
    """Show the chain state (block time, height, fee rate) and the animation pace it sets."""
    info = summary(chain_from_options(time, fee_rate, chain), chain)
    if as_json:
        data_json(info)
        return
    data(f"source          {info['source']}")
    data(f"time            {info['time_iso']} ({info['time']:.0f})")
    data(f"height          {info['height']}")
    data(f"fee rate        {info['fee_rate']:g} sat/vB")
    data(f"activity        {info['activity']:.3f}")
    data(f"spark interval  {counted(info['spark_interval'], 'frame')}")
