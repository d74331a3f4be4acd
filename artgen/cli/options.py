"""The options commands share: one name, one meaning, one help text everywhere.

| meaning                              | option          |
|--------------------------------------|-----------------|
| collection seed                      | --seed SEED     |
| token id                             | --token N       |
| block time / fee rate / chain source | --time, --fee-rate, --chain |
| side of a portrait in pixels         | --px PX         |
| number of tokens                     | --size N        |
| the one output file ("-": stdout)    | -o/--out FILE   |
| the output folder                    | -o/--out DIR    |
| a model (data inscription)           | -m/--model M.json |
| a training dataset                   | -d/--dataset D  |
| a collection config (TOML)           | --config C.toml |
| JSON on stdout                       | --json          |

A collection folder to read is the DIRECTORY argument. Ranges come from `artgen.limits`.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import click

from ..limits import FPS, PORTRAIT_PX, TOKENS, Limit


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
        tokens = range(int(m.group(1)), int(m.group(2)) + 1)
        if len(tokens) not in TOKENS:
            message = f"expected A..B to span {TOKENS.describe()}, got {len(tokens):,}"
            self.fail(message, param, ctx)
        return tokens


SEED = SeedType()


class FiniteRange(click.FloatRange):
    """A number range that refuses NaN and the infinities (click's own ranges let NaN through:
    every comparison with it is false)."""

    def convert(self, value, param, ctx):
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"expected a finite number, got {value!r}", param, ctx)
        return number


def limited(limit: Limit) -> click.IntRange:
    """A click range for a documented limit."""
    return click.IntRange(limit.low, limit.high)


def seed_option(required: bool = True, help: str = "Collection seed (a whole number or text)."):
    return click.option("--seed", type=SEED, required=required, help=help)


def token_option(required: bool = True, help: str = "Token id (0, 1, ...)."):
    return click.option(
        "--token", type=click.IntRange(min=0), required=required, metavar="N", help=help
    )


def px_option(default: int, note: str = ""):
    return click.option(
        "--px",
        type=limited(PORTRAIT_PX),
        default=default,
        show_default=True,
        metavar="PX",
        help=f"Side of the square portrait in pixels ({PORTRAIT_PX.describe()}{note}).",
    )


def size_option(help: str = "Number of tokens."):
    return click.option("--size", type=limited(TOKENS), default=None, metavar="N", help=help)


def out_option(help: str, *, folder: bool = False, required: bool = True, default=None):
    """-o/--out: the one output file ("-" writes it to stdout), or a folder."""
    kind = (
        click.Path(file_okay=False, path_type=Path)
        if folder
        else click.Path(dir_okay=False, allow_dash=True)
    )
    extra = {} if default is None else {"default": default, "show_default": True}
    return click.option(
        "-o",
        "--out",
        "out",
        type=kind,
        required=required,
        metavar="DIR" if folder else "FILE",
        help=help,
        **extra,
    )


def model_option(help: str, *, required: bool = False, path_type=None):
    return click.option(
        "-m",
        "--model",
        "model",
        type=click.Path(dir_okay=False, path_type=path_type),
        required=required,
        metavar="M.json",
        help=help,
    )


def dataset_option():
    return click.option(
        "-d",
        "--dataset",
        metavar="DATA",
        help="A folder or ZIP with one sub-folder per class [default: the packaged one].",
    )


def config_option(help: str):
    return click.option(
        "--config",
        "config",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        metavar="C.toml",
        help=help,
    )


def json_option(help: str = "Print JSON on stdout."):
    return click.option("--json", "as_json", is_flag=True, help=help)


def format_option(*names: str):
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(names),
        default=None,
        help=f"Output format [default: FILE's extension; {names[0]} for -o -].",
    )


def fps_option():
    return click.option(
        "--fps",
        type=limited(FPS),
        default=25,
        show_default=True,
        help=f"Frames per second ({FPS.describe()}; a GIF needs 50, 25, 20, 10, 5, 4, 2 or 1).",
    )


def directory_argument(exists: bool = False):
    return click.argument(
        "directory",
        metavar="DIR",
        type=click.Path(file_okay=False, exists=exists, path_type=Path),
    )
