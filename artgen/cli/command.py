"""`ArtgenCommand`: what every artgen command shares.

- `-q/--quiet` and `-v/--verbose` (also accepted before the command name).
- Hidden aliases: an old option spelling still works for a release; it is rewritten to the new
  one before parsing (so it is not shown in --help, nor offered by completion or "did you
  mean"), and a one-line note on stderr names the new spelling.
- An error raised inside (`ArtgenError`, `OSError`, a click exception) remembers the
  command, so its one-line message says which.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

import click

from ..errors import ArtgenError
from .output import NORMAL, QUIET, VERBOSE, detail, set_verbosity, verbosity


def _verbosity_callback(level: int) -> Callable:
    def callback(ctx: click.Context, param: click.Parameter, value: bool) -> None:
        if value:
            set_verbosity(ctx, level)

    return callback


def verbosity_options() -> list[click.Option]:
    """Fresh -q and -v options (each command gets its own objects)."""
    return [
        click.Option(
            ["-q", "--quiet"],
            is_flag=True,
            expose_value=False,
            callback=_verbosity_callback(QUIET),
            help="Print only the data asked for and errors (no status, no progress).",
        ),
        click.Option(
            ["-v", "--verbose"],
            is_flag=True,
            expose_value=False,
            callback=_verbosity_callback(VERBOSE),
            help="Also print details: the moment used, the time taken.",
        ),
    ]


class ArtgenCommand(click.Command):
    """A command with -q/-v, hidden deprecated aliases (`aliases`: old -> new spelling)."""

    def __init__(self, *args, aliases: Mapping[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.aliases = dict(aliases or {})
        self.params.extend(verbosity_options())
        known = {name for p in self.params for name in p.opts}
        for old, new in self.aliases.items():
            if new not in known or old in known:
                raise ValueError(f"{self.name}: alias {old} -> {new} does not name a new option")

    def _takes_value(self) -> set[str]:
        return {
            name
            for p in self.params
            if isinstance(p, click.Option) and not p.is_flag and not p.count
            for name in p.opts
        }

    def canonical_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """`args` with every old spelling replaced by its new one (a note for each on stderr)."""
        if not self.aliases:
            return args
        valued, out, skip, quiet = self._takes_value(), [], False, "-q" in args or "--quiet" in args
        for i, arg in enumerate(args):
            if skip or arg == "--":
                skip = False
                out.append(arg)
                if arg == "--":
                    return out + args[i + 1 :]
                continue
            name, eq, value = arg.partition("=")
            if name in self.aliases:
                new = self.aliases[name]
                if not quiet and verbosity() > QUIET:
                    click.echo(
                        f"{ctx.command_path}: note: {name} is now {new}; the old spelling "
                        "works for this release only",
                        err=True,
                    )
                arg, name = new + eq + value, new
            skip = name in valued and not eq
            out.append(arg)
        return out

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, self.canonical_args(ctx, list(args)))

    def invoke(self, ctx: click.Context):
        started = time.monotonic()
        try:
            result = super().invoke(ctx)
            detail(f"{ctx.command_path}: done in {time.monotonic() - started:.2f} s")
            return result
        except (ArtgenError, OSError, click.ClickException) as err:
            if getattr(err, "command", None) is None:
                err.command = ctx.command_path  # type: ignore[attr-defined]
            raise


def command(name: str | None = None, **attrs) -> Callable[[Callable], ArtgenCommand]:
    """`click.command` making an ArtgenCommand (`aliases={"--old": "--new"}` allowed)."""
    return click.command(name, cls=ArtgenCommand, **attrs)


__all__ = ["NORMAL", "VERBOSE", "ArtgenCommand", "command", "verbosity_options"]
