"""`artgen classify`: an image through a bare model, or through a token's brain at a moment."""

from __future__ import annotations

from collections.abc import Callable

import click

from ..chain import format_time
from .chain import chain_from_options, moment_options
from .command import command
from .options import FiniteRange, json_option, model_option, seed_option, token_option
from .output import data, data_json, status, wrote

CARD_HELP = "Also draw the card: the image, the network after the sweep, the answer."


def classify_options(command: Callable) -> Callable:
    """The options of `classify` (the collection layer adds --collection to the same ones)."""
    options = [
        click.option(
            "--image",
            type=click.Path(dir_okay=False),
            required=True,
            metavar="IMG",
            help="PNG, JPG, GIF or BMP image.",
        ),
        model_option(
            "Model JSON (data inscription); with --token, the token's model "
            "[default: the token's own network, trained].",
        ),
        click.option(
            "--growth",
            type=FiniteRange(0.0, 1.0),
            default=None,
            help="A bare model only: the share of hidden neurons alive, filled in index order "
            "[default: 1].",
        ),
        seed_option(False, "Think as a token of this collection seed (with --token)."),
        token_option(False, "Think as this token: its neurons, in its order, at --time."),
        moment_options,
        json_option(),
        click.option("--card", type=click.Path(dir_okay=False), metavar="CARD.png", help=CARD_HELP),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@command()
@classify_options
def classify(image, model, growth, seed, token, time, chain, as_json, card):
    """Classify an image with a model, or as a token thinks at a moment.

    With --seed and --token the model thinks as that token at --time (default: the embedded
    chain state): with the neurons alive then, in the token's own order, as its art page does.
    A token that is Dead or being reborn, or has a hidden layer with no live neuron, refuses
    (exit 2). With a bare --model, --growth keeps a share of neurons alive in index order.
    """
    if seed is None and token is None:
        return classify_model(image, model, growth, time, chain, as_json, card)
    if seed is None or token is None:
        raise click.UsageError("give --seed and --token together (the token to think as)")
    from ..tables import default_tables
    from ..traits import sample_traits

    tables = default_tables()  # the CLI's tokens are the Perceptrons collection's
    think_as(
        sample_traits(seed, token, tables), image, model, growth, time, chain, as_json, card,
        tables=tables,
    )  # fmt: skip


def classify_model(image, model, growth, time, chain, as_json, card) -> None:
    """A bare model's answer, with `growth` of its neurons alive in index order."""
    from ..classify import classify_image

    if model is None:
        raise click.UsageError("give --model, or --seed and --token to think as a token")
    if time is not None or chain is not None:
        raise click.UsageError("--time and --chain need a token (--seed and --token)")
    growth = 1.0 if growth is None else growth
    result = classify_image(model, image, growth=growth)
    if card:
        from ..animation.card import classify_card

        classify_card(card, model, image, result, growth=growth)
        wrote(card, "the card")
    if as_json:
        data_json({"model": str(model), "growth": growth, **result.to_json()})
        return
    print_answer(result)


def think_as(
    traits, image, model, growth, time, chain, as_json, card, *, tables, moment=None
) -> None:
    """Classify `image` as the token of `traits` thinks at the moment asked for (--time,
    --chain), else at `moment` (a ChainState), else at the embedded chain state; `tables`
    are its collection's rarity tables (they set how long its Perceptron year lasts)."""
    from ..classify import classify_image, refusal
    from ..errors import RefusalError
    from ..lifecycle import traits_life_state
    from ..model import load_model, loads_model

    if growth is not None:
        raise click.UsageError("--growth is for a bare --model: a token's life sets its own")
    if moment is None or time is not None or chain is not None:
        moment = chain_from_options(time, None, chain)
    loaded = load_model(model) if model is not None else None
    sizes = loaded.hidden_sizes if loaded is not None else traits.hidden_sizes
    life = traits_life_state(traits, moment.time, sizes, tables=tables)
    who = f"Perceptron #{traits.token} (seed {traits.seed}) at {format_time(moment.time)}"
    if (reason := refusal(life)) is not None:  # before any training
        raise RefusalError(f"cannot classify: {reason}", source=who)
    label = str(model)
    if loaded is None:
        from ..inscription.standalone import token_model_json

        status(f"training token {traits.token}'s own network (give --model to skip this)")
        loaded, label = loads_model(token_model_json(traits.seed, traits.token)), "trained"
    result = classify_image(loaded, image, life=life, who=who)
    if card:
        _token_card(card, image, result, traits, loaded.hidden_sizes, life, moment)
    if as_json:
        data_json(
            {
                "seed": traits.seed,
                "token": traits.token,
                "time": moment.time,
                "time_iso": format_time(moment.time),
                "model": label,
                "stage": life.stage,
                "growth": life.growth,
                "active_neurons": life.active_label,
                **result.to_json(),
            }
        )
        return
    status(f"{who}: {life.stage}, {life.active_label} neurons alive")
    print_answer(result)


def _token_card(path, image, result, traits, sizes, life, moment) -> None:
    """The card of a token's answer over its own portrait (after the sweep, every line is
    back: ORIGINAL.md section 7), telling its age and its next peak."""
    from ..animation.card import write_card
    from ..scene import build_scene

    scene = build_scene(traits, sizes, life, moment)
    write_card(path, image, result, scene, life=life, title=f"Perceptron #{traits.token}")
    wrote(path, "the card")


def print_answer(result) -> None:
    data(f"{result.phrase} this image belongs to {result.top} ({result.confidence:.1%})")
    for name, p in sorted(result.probabilities.items(), key=lambda kv: -kv[1])[:5]:
        data(f"  {p:7.2%}  {name}")
