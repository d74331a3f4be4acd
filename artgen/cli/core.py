"""`artgen traits` and `artgen lifecycle`."""

from __future__ import annotations

import click

from ..chain import format_time
from ..wording import counted
from .chain import chain_from_options, moment_options
from .command import command
from .options import TokenRange, json_option, model_option, seed_option, token_option
from .output import data, data_json


@command()
@seed_option()
@token_option(required=False)
@click.option(
    "--tokens", type=TokenRange(), help="A range of tokens A..B: one JSON object per line."
)
@json_option()
def traits(seed, token, tokens, as_json):
    """Print a token's traits and hidden layer sizes (give --token N or --tokens A..B)."""
    from ..traits import sample_range

    if (token is None) == (tokens is None):
        raise click.UsageError("give exactly one of --token N or --tokens A..B")
    first, count = (token, 1) if tokens is None else (tokens.start, len(tokens))
    for t in sample_range(seed, first, count):
        if as_json or tokens is not None:
            data_json(t.to_json())
        else:
            data(f"Perceptron #{t.token} (seed {t.seed})")
            for name, value in t.attributes().items():
                data(f"  {name:<29} {value}")
            data(f"  {'Hidden layer sizes':<29} {', '.join(map(str, t.hidden_sizes))}")


def following_stage(stage: str) -> str:
    """The stage after `stage` (Rebirth is followed by Growing)."""
    from ..lifecycle import STAGES

    return STAGES[(STAGES.index(stage) + 1) % len(STAGES)]


def life_json(seed, token: int, state) -> dict:
    """`lifecycle --json`: who, when, and the whole life state, times also in ISO 8601."""
    return {
        "seed": seed,
        "token": token,
        "time": state.time,
        "time_iso": format_time(state.time),
        **state.to_json(),
        "next_stage": following_stage(state.stage),
        "next_stage_time_iso": format_time(state.next_stage_time),
        "next_stable_time_iso": format_time(state.next_stable_time),
    }


@command()
@seed_option()
@token_option()
@moment_options
@model_option("An upgraded model: its hidden layers live instead of the token's own.")
@json_option()
def lifecycle(seed, token, time, chain, model, as_json):
    """Print a token's age, stage, growth and living neurons at a block time."""
    from ..lifecycle import traits_life_state
    from ..tables import default_tables
    from ..traits import sample_traits

    t = chain_from_options(time, None, chain).time
    hidden = None
    if model:
        from ..model import load_model

        hidden = load_model(model).hidden_sizes
    tables = default_tables()  # the CLI's tokens are the Perceptrons collection's
    state = traits_life_state(sample_traits(seed, token, tables), t, hidden, tables=tables)
    if as_json:
        data_json(life_json(seed, token, state))
        return
    lines = [  # all of it first: nothing is printed when a part cannot be said
        f"Perceptron #{token} (seed {seed}) at {format_time(t)}",
        f"  stage        {state.stage} ({state.stage_ratio:.1%} through)",
        f"  age          {state.age:.3f} Perceptron years, {counted(state.rebirths, 'rebirth')}",
        f"  growth       {state.growth:.4f}",
        f"  neurons      {state.active_label} active",
    ]
    for i, layer in enumerate(state.neuron_life, 1):
        marks = "".join("#" if v >= 1 else ("+" if v > 0 else ".") for v in layer)
        lines.append(f"  layer {i:<6} {marks}")
    lines.append(
        f"  next stage   {following_stage(state.stage)} at {format_time(state.next_stage_time)}"
    )
    lines.append(f"  next Stable  {format_time(state.next_stable_time)}")
    data("\n".join(lines))
