"""`artgen inscription`: one token's standalone art file, with the engine and a model inside."""

from __future__ import annotations

import os
from pathlib import Path

from ..atomic import write_text
from ..chain import ChainState
from ..model import dumps_model, load_model
from ..tables import Tables, default_tables
from ..traits import sample_traits
from .build import standalone_html


def token_model_json(seed: int | str, token: int) -> str:
    """The token's own network trained on the default dataset (what `artgen train` writes)."""
    from ..datasets import load_dataset
    from ..training import train, traits_config

    config = traits_config(sample_traits(seed, token))
    data = load_dataset(None, config.input_hw, dict(config.class_names))
    return dumps_model(train(config, data, seed=seed, token=token).model)


def write_standalone(
    out: str | os.PathLike,
    seed: int | str,
    token: int,
    *,
    model: str | os.PathLike | None = None,
    chain: ChainState | None = None,
    tables: Tables | None = None,
) -> tuple[Path, int]:
    """Write the standalone HTML of token `token`; returns (path, model bytes).

    `model` (a data inscription file, validated first) is embedded as it is; without one the
    token's own network is trained. With a `chain` the portrait is pinned to that moment.
    `tables` default to the packaged Perceptrons tables.
    """
    tables = default_tables() if tables is None else tables
    if model is not None:
        load_model(model)  # a ModelFormatError names the file and the field
        text = Path(model).read_text("utf-8")
    else:
        text = token_model_json(seed, token)
    page = standalone_html(sample_traits(seed, token, tables), text, chain, tables=tables)
    return write_text(out, page), len(text.encode("utf-8"))
