"""The `artgen` command: a thin click layer over the library.

Commands live in modules of this package and are imported only when used, so `artgen --help`
stays fast. Bad input (any `ArtgenError`, or a usage error) is one line on stderr and exit
code 2, never a traceback.
"""

from __future__ import annotations

import importlib
import sys

import click

from .. import __version__
from ..errors import ArtgenError

#: command name -> "module:attribute" inside artgen.cli
COMMANDS = {
    "traits": "core:traits",
    "lifecycle": "core:lifecycle",
    "classify": "core:classify",
    "chain": "chain:chain",
    "train": "train:train",
    "intelligence": "train:intelligence",
    "render": "render:render",
    "animate": "animate:animate",
    "timelapse": "animate:timelapse",
    "demo": "demo:demo",
    "audit": "audit:audit",
    "mint": "mint:mint",
    "verify": "mint:verify",
    "upgrade": "mint:upgrade",
    "inscribed": "mint:inscribed",
    "inscription": "inscription:inscription",
    "serve": "inscription:serve",
}


class ArtgenGroup(click.Group):
    """A group that loads commands lazily and reports bad input in one line, exit code 2."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attr = COMMANDS[name].split(":")
        return getattr(importlib.import_module(f"{__name__}.{module}"), attr)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            rv = super().main(
                args, prog_name or "artgen", complete_var, standalone_mode=False, **extra
            )
        except ArtgenError as err:
            return _fail(str(err), 2, standalone_mode)
        except click.UsageError as err:
            where = f"{err.ctx.command_path}: " if err.ctx else ""
            return _fail(f"{where}{err.format_message()}", 2, standalone_mode)
        except click.ClickException as err:
            return _fail(err.format_message(), err.exit_code, standalone_mode)
        except click.Abort:
            return _fail("aborted", 130, standalone_mode)
        except BrokenPipeError:
            return _fail("", 141, standalone_mode)
        if not standalone_mode:
            return rv
        sys.exit(rv if isinstance(rv, int) else 0)


def _fail(message: str, code: int, standalone_mode: bool):
    if message:
        click.echo(f"artgen: error: {' '.join(message.split())}", err=True)
    if standalone_mode:
        sys.exit(code)
    return code


@click.group(cls=ArtgenGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="artgen")
def cli() -> None:
    """Train, render, animate and mint collections of Perceptrons.

    A Perceptron is a portrait of a real, trained neural network that grows, matures, decays,
    dies and is reborn as block time passes, and animates faster when fees are high.
    """


def main() -> None:
    """Console-script entry point."""
    cli.main(prog_name="artgen")
