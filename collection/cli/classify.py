"""`artgen classify`, with `--collection DIR`: think as a token of a minted collection.

The engine's `classify` knows a token by seed and id (weighted draws, the packaged tables).
A minted collection may draw its traits another way (exact quotas), change its tables (life
cycle lengths) and upgrade a token's model; its folder says all three, as its art pages do.
"""

from __future__ import annotations

from pathlib import Path

import click

from artgen.cli.classify import classify as engine_classify
from artgen.cli.classify import classify_options, think_as
from artgen.cli.command import command


@command()
@click.option(
    "--collection",
    "collection",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    metavar="DIR",
    help="Think as --token of this minted collection: its traits, tables and model, at "
    "--time [default: the collection's moment].",
)
@classify_options
def classify(collection, image, model, growth, seed, token, time, chain, as_json, card):
    """Classify an image with a model, or as a token thinks at a moment.

    With --seed and --token the model thinks as that token at --time (default: the embedded
    chain state): with the neurons alive then, in the token's own order, as its art page does.
    With --collection DIR and --token, the token of that minted collection (its own model
    unless --model). A token that is Dead or being reborn, or has a hidden layer with no live
    neuron, refuses (exit 2). With a bare --model, --growth keeps a share of neurons alive in
    index order.
    """
    args = (image, model, growth, seed, token, time, chain, as_json, card)
    if collection is None:
        return engine_classify.callback(*args)
    if token is None or seed is not None:
        raise click.UsageError("--collection takes --token (its seed is the collection's)")
    traits, tables, moment, own_model = minted_token(collection, token)
    think_as(
        traits,
        image,
        model if model is not None else own_model,
        growth,
        time,
        chain,
        as_json,
        card,
        tables=tables,
        moment=moment,
    )


def minted_token(root: Path, token: int):
    """(traits, tables, moment, model path) of token `token` of the collection at `root`."""
    from artgen.errors import ConfigError
    from artgen.traits import Traits
    from collection.mint import layout
    from collection.mint.finalize import open_collection, read_record

    minted = open_collection(root)
    config = minted.config
    if not 0 <= token < config.size:
        raise ConfigError(
            f"expected a token in 0..{config.size - 1}, got {token}",
            source=str(root),
            field="--token",
        )
    record = read_record(minted.root, token)
    if record is None:
        raise ConfigError(f"token {token} has no record; run artgen mint again", source=str(root))
    traits = Traits.from_json(record["traits"])
    return traits, config.tables, minted.state.chain, minted.root / layout.model_path(token)
