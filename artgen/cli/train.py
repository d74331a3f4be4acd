"""`artgen train` and `artgen intelligence`: train a Perceptron's brain, measure its curve.

BLAS threads: the trainer pins numpy's OpenBLAS to one thread while it trains
(`artgen.training.kernels.blas_threads`); for a fresh process this module also sets the usual thread
variables before numpy is first imported, so nothing else starts a thread pool either.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import json  # noqa: E402

import click  # noqa: E402

from .core import SEED  # noqa: E402


@click.command()
@click.option(
    "--seed",
    type=SEED,
    default="0",
    show_default=True,
    help="Collection seed (traits, training draws).",
)
@click.option("--token", default=0, type=click.IntRange(min=0), show_default=True, help="Token id.")
@click.option(
    "-c",
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="An original-format trainer config (model_name, input_dim, structure, ...).",
)
@click.option(
    "-d",
    "--dataset",
    help="A folder or ZIP with one sub-folder per class (default: the packaged one).",
)
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="Model JSON to write."
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary on stdout.")
def train(
    seed: int | str,
    token: int,
    config_path: str | None,
    dataset: str | None,
    output: str,
    as_json: bool,
) -> None:
    """Train the token's own network (or a config's) and write its data inscription.

    Progress, loss and accuracy per epoch go to stderr.
    """
    from ..training import train_and_save

    info = train_and_save(
        output,
        seed=seed,
        token=token,
        config_path=config_path,
        dataset=dataset,
        progress=lambda line: click.echo(line, err=True),
    )
    for warning in info["warnings"]:
        click.echo(f"artgen: warning: {warning}", err=True)
    if as_json:
        click.echo(json.dumps(info))


@click.command()
@click.option(
    "-m",
    "--model",
    "model_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="Model JSON.",
)
@click.option(
    "-d",
    "--dataset",
    help="A folder or ZIP with one sub-folder per class (default: the packaged one).",
)
@click.option("--plot", type=click.Path(dir_okay=False), help="Also draw the curve as a PNG.")
@click.option("--json", "as_json", is_flag=True, help="Print {growth, accuracy, ...} as JSON.")
def intelligence(model_path: str, dataset: str | None, plot: str | None, as_json: bool) -> None:
    """Held-out accuracy at growth 0, 0.1, ..., 1 (the neurons alive as the Perceptron grows)."""
    from ..intelligence import model_curve, plot_png
    from ..model import load_model

    curve = model_curve(load_model(model_path), dataset)
    if plot:
        plot_png(curve, plot)
    click.echo(json.dumps(curve.to_json()) if as_json else curve.table())
