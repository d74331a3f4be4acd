"""`artgen inscription` (a token's standalone art) and `artgen serve` (a collection, as ord)."""

from __future__ import annotations

import click

from ..wording import counted
from .chain import chain_from_options, chain_options
from .command import command
from .options import directory_argument, model_option, out_option, seed_option, token_option
from .output import QUIET, data, output_target, status, verbosity


@command()
@seed_option()
@token_option()
@model_option("The data inscription to embed [default: train the token's own network].")
@chain_options
@out_option("HTML file to write; '-' writes to stdout.")
def inscription(seed, token, model, time, fee_rate, chain, out):
    """Write a token's art as one self-contained HTML file (engine and model inside).

    With --time, --fee-rate or --chain the portrait is pinned to that chain state; without
    them it asks ord's recursion endpoints when served by ord, else shows the embedded default.
    """
    from ..inscription.standalone import write_standalone

    pinned = any(v is not None for v in (time, fee_rate, chain))
    state = chain_from_options(time, fee_rate, chain) if pinned else None
    with output_target(out, {".html": "html"}, "html") as target:
        if model is None:
            status(f"training token {token}'s own network (give --model to embed one)")
        _, model_bytes = write_standalone(target.path, seed, token, model=model, chain=state)
        target.note = f"model {counted(model_bytes, 'byte', digits=True)}"


@command()
@directory_argument(exists=True)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port (0: any free one).",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    metavar="ADDRESS",
    help="Address to listen on: loopback by default; 0.0.0.0 (or ::) lets other machines in.",
)
@chain_options
def serve(directory, port, host, time, fee_rate, chain):
    """Serve a minted collection as an ord server would (/content/, /r/), on 127.0.0.1 only
    unless --host says otherwise.

    Every inscription file answers at /content/<id> (placeholder and real ids); /r/blockheight
    and /r/blockinfo/<height> answer from the chosen chain state; / lists the art by token;
    other paths are the folder's files (/report/: the collection report). Only regular files
    inside DIR are served (no symbolic links); at most 64 connections at once, each with 10 s
    to send its request. The server's address goes to stdout, what it serves (and who can
    reach it) to stderr, then one line per request (-q: none). Ctrl-C stops it.
    """
    from ..inscription.serve import run

    def ready(url: str, summary: str) -> None:
        data(url)
        status(f"{summary}; Ctrl-C stops")

    # requests are answered on threads without click's context: -q is read here, once
    log = None if verbosity() == QUIET else (lambda line: click.echo(line, err=True))
    run(
        directory,
        chain_from_options(time, fee_rate, chain),
        port,
        on_ready=ready,
        host=host,
        log=log,
    )
