"""`artgen train` and `artgen intelligence`: train a Perceptron's brain, measure its curve.

BLAS threads: the trainer pins numpy's OpenBLAS to one thread while it trains
(`artgen.training.kernels.blas_threads`); for a fresh process this module also sets the usual thread
variables before numpy is first imported, so nothing else starts a thread pool either.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import click  # noqa: E402

from .command import command  # noqa: E402
from .options import (  # noqa: E402
    dataset_option,
    json_option,
    model_option,
    out_option,
    seed_option,
    token_option,
)
from .output import data, data_json, output_target, status, warn, wrote  # noqa: E402


@command(aliases={"--output": "--out", "--config": "--trainer-config", "-c": "--trainer-config"})
@seed_option(False, "Collection seed: the token's traits and the training draws.")
@token_option(False, "Token id: its traits give the network to train.")
@click.option(
    "--trainer-config",
    "trainer_config",
    type=click.Path(dir_okay=False),
    metavar="CFG.json",
    help="Train an original-format trainer config (model_name, input_dim, structure, ...) "
    "instead of a token's network; --seed and --token then only seed the draws [default: 0].",
)
@dataset_option()
@out_option("Model JSON to write; '-' writes it to stdout.")
@json_option("Print a JSON summary on stdout.")
def train(seed, token, trainer_config, dataset, out, as_json) -> None:
    """Train a token's own network (or a trainer config's) and write its data inscription.

    Progress, loss and accuracy per epoch go to stderr.
    """
    from ..training import train_and_save

    if trainer_config is None and (seed is None or token is None):
        raise click.UsageError("give --seed and --token (the token to train), or --trainer-config")
    if as_json and out == "-":
        raise click.UsageError("--json and -o - both print on stdout: give -o FILE with --json")
    with output_target(out, {".json": "json"}, "json") as target:
        info = train_and_save(
            target.path,
            seed=0 if seed is None else seed,
            token=0 if token is None else token,
            config_path=trainer_config,
            dataset=dataset,
            progress=_progress,
        )
        target.note = f"val_accuracy {info['val_accuracy']:.4f}"
    for warning in info["warnings"]:
        warn(warning)
    if as_json:
        data_json(info)


def _progress(line: str) -> None:
    """The trainer's progress lines, but its "saved" line: the CLI's "wrote" line says it."""
    if not line.startswith("saved "):
        status(line)


@command()
@model_option("Model JSON.", required=True)
@dataset_option()
@click.option(
    "--plot",
    type=click.Path(dir_okay=False),
    metavar="CURVE.png",
    help="Also draw the curve as a PNG.",
)
@json_option("Print {growth, accuracy, ...} as JSON.")
def intelligence(model: str, dataset: str | None, plot: str | None, as_json: bool) -> None:
    """Held-out accuracy at growth 0, 0.1, ..., 1 (the neurons alive as the Perceptron grows)."""
    from ..intelligence import model_curve, plot_png
    from ..model import load_model

    curve = model_curve(load_model(model), dataset)
    if plot:
        plot_png(curve, plot)
        wrote(plot, "the accuracy curve")
    if as_json:
        data_json(curve.to_json())
    else:
        data(curve.table())
