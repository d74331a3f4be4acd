"""The `artgen` command: a thin click layer over the library.

Commands are registered by name in a table of `Entry`s (module, attribute and the one-line
summary `artgen --help` shows), and imported only when run, so `artgen --help` and shell
completion import none of them. This package registers the engine's commands; the collection
layer (`collection.cli`) adds its own to make the `artgen` console script, since `artgen`
never imports `collection`.

Bad input (any `ArtgenError`, a usage error, an unreadable or unwritable file) is one line on
stderr, "artgen CMD: error: ...", and exit code 2, never a traceback. A failed check (verify,
audit --strict) exits 1; Ctrl-C exits 130.
"""

from __future__ import annotations

import difflib
import importlib
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass

import click
from click.shell_completion import CompletionItem

from .. import __version__
from ..errors import ArtgenError
from .command import verbosity_options


@dataclass(frozen=True)
class Entry:
    """A registered command: "package.module:attribute" and its one-line summary."""

    target: str
    summary: str

    def load(self) -> click.Command:
        module, attr = self.target.split(":")
        return getattr(importlib.import_module(module), attr)


def _engine(module: str, attr: str, summary: str) -> Entry:
    return Entry(f"{__name__}.{module}:{attr}", summary)


#: The engine's commands (the collection layer adds mint, verify, audit, ...).
COMMANDS: dict[str, Entry] = {
    "traits": _engine("core", "traits", "A token's traits and hidden layer sizes."),
    "lifecycle": _engine("core", "lifecycle", "A token's age, stage and living neurons at a time."),
    "classify": _engine("classify", "classify", "Classify an image with a model or as a token."),
    "chain": _engine("chain", "chain", "The chain state (block time, fee rate) and its pace."),
    "train": _engine("train", "train", "Train a token's network; write its data inscription."),
    "intelligence": _engine("train", "intelligence", "A model's accuracy as it grows."),
    "render": _engine("render", "render", "Draw a token's portrait: PNG, SVG or PDF."),
    "animate": _engine("animate", "animate", "Animate a token's portrait: GIF or MP4."),
    "timelapse": _engine("animate", "timelapse", "One whole life of a token: GIF or MP4."),
    "inscription": _engine("inscription", "inscription", "A token's art as one HTML file."),
    "serve": _engine("inscription", "serve", "Serve a collection's art as an ord server would."),
}


class ArtgenGroup(click.Group):
    """A group over a table of `Entry`s: lazy, with "did you mean" and one-line errors."""

    def __init__(self, *args, commands_table: Mapping[str, Entry], **kwargs):
        super().__init__(*args, **kwargs)
        self.table = dict(commands_table)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(self.table)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        entry = self.table.get(name)
        return entry.load() if entry is not None else None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, self.table[name].summary) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def resolve_command(self, ctx: click.Context, args: list[str]):
        name = args[0]
        if name not in self.table and not ctx.resilient_parsing and not name.startswith("-"):
            close = difflib.get_close_matches(name, list(self.table), n=3, cutoff=0.6)
            hint = f" Did you mean {' or '.join(map(repr, close))}?" if close else ""
            ctx.fail(f"No such command {name!r}.{hint} ('{ctx.command_path} --help' lists them)")
        return super().resolve_command(ctx, args)

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[CompletionItem]:
        items = [
            CompletionItem(name, help=entry.summary)
            for name, entry in sorted(self.table.items())
            if name.startswith(incomplete)
        ]
        return items + click.Command.shell_complete(self, ctx, incomplete)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            rv = super().main(
                args, prog_name or "artgen", complete_var, standalone_mode=False, **extra
            )
        except ArtgenError as err:
            return _fail(getattr(err, "command", None), str(err), 2, standalone_mode)
        except click.UsageError as err:
            where = err.ctx.command_path if err.ctx else getattr(err, "command", None)
            return _fail(where, _usage_message(err), 2, standalone_mode)
        except click.ClickException as err:
            return _fail(getattr(err, "command", None), err.format_message(), 2, standalone_mode)
        except BrokenPipeError:
            return _fail(None, "", 141, standalone_mode)
        except OSError as err:  # an unreadable input or an unwritable output
            name = f"{err.filename}: " if err.filename else ""
            where = getattr(err, "command", None)
            return _fail(where, f"{name}{err.strerror or err}", 2, standalone_mode)
        except click.Abort:
            return _fail(None, "aborted", 130, standalone_mode)
        refused = _settle_stdout()
        if refused is not None:
            return _fail(None, f"cannot write to stdout: {refused}", 2, standalone_mode)
        if not standalone_mode:
            return rv
        sys.exit(rv if isinstance(rv, int) else 0)


def _usage_message(err: click.UsageError) -> str:
    """click's message, with hidden alias spellings left out of its "did you mean"."""
    if isinstance(err, click.NoSuchOption) and err.possibilities and err.ctx is not None:
        shown = {n for p in err.ctx.command.get_params(err.ctx) if not p.hidden for n in p.opts}
        err.possibilities = [p for p in err.possibilities if p in shown]
    return err.format_message()


def _settle_stdout() -> str | None:
    """Flush what is buffered for stdout now, while an error can still be one line: the
    reason it was refused (a full disk, /dev/full), or None. After a refusal stdout goes
    nowhere, so the interpreter's own flush at exit cannot print a traceback."""
    try:
        sys.stdout.flush()
    except OSError as err:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115  (lives as long as the process)
        return err.strerror or str(err)
    return None


def _fail(where: str | None, message: str, code: int, standalone_mode: bool):
    _settle_stdout()
    if message:
        click.echo(f"{where or 'artgen'}: error: {' '.join(message.split())}", err=True)
    if standalone_mode:
        sys.exit(code)
    return code


def make_cli(table: Mapping[str, Entry]) -> ArtgenGroup:
    """The `artgen` group over the commands of `table`."""

    @click.group(
        "artgen",
        cls=ArtgenGroup,
        commands_table=table,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    @click.version_option(__version__, prog_name="artgen")
    def cli() -> None:
        """Train, render, animate and mint collections of Perceptrons.

        A Perceptron is a portrait of a real, trained neural network that grows, matures,
        decays, dies and is reborn as block time passes, and animates faster when fees are
        high. Every command has --help; -q hides status lines, -v adds details.
        """

    cli.params[:0] = verbosity_options()
    return cli


#: The engine's commands alone (the console script adds the collection's: collection.cli).
cli = make_cli(COMMANDS)


def main() -> None:
    """Entry point of the engine's commands alone."""
    cli.main(prog_name="artgen")
