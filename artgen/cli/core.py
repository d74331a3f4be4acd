"""`artgen traits`, `artgen lifecycle` and `artgen classify`."""

from __future__ import annotations

import json
import re

import click

from ..chain import DEFAULT_CHAIN_STATE, format_time, parse_time


def parse_seed(value: str) -> int | str:
    """A collection seed: a whole number when it looks like one, otherwise the text itself."""
    text = str(value).strip()
    return int(text) if re.fullmatch(r"-?\d+", text) else text


class SeedType(click.ParamType):
    name = "SEED"

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        if not str(value).strip():
            self.fail("expected a non-empty seed", param, ctx)
        return parse_seed(value)


class TokenRange(click.ParamType):
    """'A..B' (inclusive) -> range."""

    name = "A..B"

    def convert(self, value, param, ctx):
        m = re.fullmatch(r"\s*(\d+)\s*\.\.\s*(\d+)\s*", str(value))
        if not m or int(m.group(1)) > int(m.group(2)):
            self.fail(f"expected A..B with 0 <= A <= B, got {value!r}", param, ctx)
        return range(int(m.group(1)), int(m.group(2)) + 1)


SEED = SeedType()
seed_option = click.option("--seed", "seed", type=SEED, required=True, help="Collection seed.")
token_option = click.option(
    "--token", "token", type=click.IntRange(min=0), required=True, help="Token id (0, 1, ...)."
)


def time_option(func):
    return click.option(
        "--time",
        "time",
        default=None,
        metavar="T",
        help="Block time: ISO 8601 UTC or Unix seconds [default: the embedded chain state].",
    )(func)


def echo_json(obj) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, sort_keys=False))


@click.command()
@seed_option
@click.option("--token", type=click.IntRange(min=0), help="Token id.")
@click.option(
    "--tokens", type=TokenRange(), help="A range of tokens A..B: one JSON object per line."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def traits(seed, token, tokens, as_json):
    """Print a token's traits and hidden layer sizes."""
    from ..traits import sample_range

    if (token is None) == (tokens is None):
        raise click.UsageError("give exactly one of --token N or --tokens A..B")
    first, count = (token, 1) if tokens is None else (tokens.start, len(tokens))
    for t in sample_range(seed, first, count):
        if as_json or tokens is not None:
            echo_json(t.to_json())
        else:
            click.echo(f"Perceptron #{t.token} (seed {t.seed})")
            for name, value in t.attributes().items():
                click.echo(f"  {name:<29} {value}")
            click.echo(f"  {'Hidden layer sizes':<29} {', '.join(map(str, t.hidden_sizes))}")


@click.command()
@seed_option
@token_option
@time_option
@click.option(
    "--model",
    "model_path",
    type=click.Path(dir_okay=False),
    help="Upgraded model: its hidden layers.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def lifecycle(seed, token, time, model_path, as_json):
    """Print a token's age, stage, growth and living neurons at a block time."""
    from ..lifecycle import traits_life_state
    from ..tables import default_tables
    from ..traits import sample_traits

    t = DEFAULT_CHAIN_STATE.time if time is None else parse_time(time, "--time")
    hidden = None
    if model_path:
        from ..model import load_model

        hidden = load_model(model_path).hidden_sizes
    tables = default_tables()  # the CLI's tokens are the Perceptrons collection's
    state = traits_life_state(sample_traits(seed, token, tables), t, hidden, tables=tables)
    if as_json:
        echo_json(state.to_json())
        return
    click.echo(f"Perceptron #{token} at {format_time(t)}")
    click.echo(f"  stage        {state.stage} ({state.stage_ratio:.1%} through)")
    click.echo(f"  age          {state.age:.3f} Perceptron years, {state.rebirths} rebirth(s)")
    click.echo(f"  growth       {state.growth:.4f}")
    click.echo(f"  neurons      {state.active_label} active")
    for i, layer in enumerate(state.neuron_life, 1):
        marks = "".join("#" if v >= 1 else ("+" if v > 0 else ".") for v in layer)
        click.echo(f"  layer {i:<6} {marks}")
    click.echo(f"  next stage   {format_time(state.next_stage_time)}")
    click.echo(f"  next stable  {format_time(state.next_stable_time)}")


@click.command()
@click.option(
    "--model",
    "model_path",
    type=click.Path(dir_okay=False),
    required=True,
    help="Model JSON (data inscription).",
)
@click.option(
    "--image",
    "image_path",
    type=click.Path(dir_okay=False),
    required=True,
    help="PNG, JPG, GIF or BMP image.",
)
@click.option(
    "--growth",
    type=click.FloatRange(0.0, 1.0),
    default=1.0,
    show_default=True,
    help="Share of hidden neurons alive (the lifecycle's growth).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option(
    "--card",
    type=click.Path(dir_okay=False),
    default=None,
    metavar="CARD.png",
    help="Also draw the card: the image, the network after the sweep, the answer.",
)
def classify(model_path, image_path, growth, as_json, card):
    """Classify an image with a model, thinking only with the neurons alive at GROWTH."""
    from ..classify import classify_image

    result = classify_image(model_path, image_path, growth=growth)
    if card:
        from ..animation.card import classify_card

        classify_card(card, model_path, image_path, result, growth=growth)
    if as_json:
        echo_json(result.to_json())
        return
    click.echo(f"{result.phrase} this image belongs to {result.top} ({result.confidence:.1%})")
    for name, p in sorted(result.probabilities.items(), key=lambda kv: -kv[1])[:5]:
        click.echo(f"  {p:7.2%}  {name}")
