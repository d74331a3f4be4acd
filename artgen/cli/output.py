"""Where the command line's words and bytes go: one rule for every command.

- Data the user asked for (traits, a life state, an answer, JSON, a file's bytes with `-o -`)
  goes to stdout, whatever the verbosity.
- Status (what was written where, progress) goes to stderr; `-q` hides it.
- Details (the moment used, the time taken) go to stderr with `-v` only.
- Warnings and errors go to stderr always, as "artgen CMD: warning: ..." or "... error: ...".
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import click

from ..wording import counted

QUIET, NORMAL, VERBOSE = -1, 0, 1
_KEY = "artgen.verbosity"
STDOUT = "-"


def set_verbosity(ctx: click.Context, level: int) -> None:
    """Record -q (QUIET) or -v (VERBOSE) for this run; both at once is a usage error."""
    current = ctx.meta.get(_KEY, NORMAL)
    if level != NORMAL and current not in (NORMAL, level):
        raise click.UsageError("give -q/--quiet or -v/--verbose, not both", ctx)
    if level != NORMAL:
        ctx.meta[_KEY] = level


def verbosity() -> int:
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get(_KEY, NORMAL) if ctx is not None else NORMAL


def command_path() -> str:
    ctx = click.get_current_context(silent=True)
    return ctx.command_path if ctx is not None else "artgen"


def data(text: str) -> None:
    """A result the user asked for, on stdout."""
    click.echo(text)


def data_json(obj: object) -> None:
    """A JSON result on stdout, one line (never NaN: a non-finite number is null)."""
    from ..jsontext import finite

    click.echo(json.dumps(finite(obj), ensure_ascii=False, allow_nan=False))


def status(message: str) -> None:
    """What the command did (a file written, progress), on stderr unless -q."""
    if verbosity() >= NORMAL:
        click.echo(message, err=True)


def detail(message: str) -> None:
    """More about how (the moment used, the time taken), on stderr with -v."""
    if verbosity() >= VERBOSE:
        click.echo(message, err=True)


def warn(message: str) -> None:
    """Something the user should know although the command succeeded, on stderr always."""
    click.echo(f"{command_path()}: warning: {message}", err=True)


def wrote(path: str | os.PathLike, what: str = "") -> None:
    """The status line of a file written: "wrote PATH (1,234 bytes)"."""
    size = Path(path).stat().st_size
    note = f"{what}, " if what else ""
    status(f"wrote {path} ({note}{counted(size, 'byte', digits=True)})")


@dataclass
class Target:
    """Where one output file goes: `path` to write, whether its bytes then go to stdout, and a
    `note` the command may set for the status line ("model 2,048 bytes")."""

    path: Path
    format: str
    to_stdout: bool
    note: str = ""


@contextmanager
def output_target(
    out: str, formats: Mapping[str, str], default: str, fmt: str | None = None
) -> Iterator[Target]:
    """The file to write for `-o OUT` (OUT "-" is stdout) in one of `formats` (suffix -> name).

    The format is `fmt` when given, else the suffix of OUT, else `default` for stdout. A file
    OUT is checked before the block's work (`artgen.outputs.check_file`: not a folder, FIFO
    or device, in a folder that takes a new file). For stdout the command writes a temporary
    file, whose bytes go to stdout when the block ends; binary bytes are refused on a
    terminal. The status line says what was written where.
    """
    names = {name: suffix for suffix, name in formats.items()}
    if out != STDOUT:
        suffix = Path(out).suffix.lower()
        if fmt is not None and formats.get(suffix) != fmt:
            raise click.BadParameter(
                f"{out!r} does not end with {names[fmt]}, as --format {fmt} asks", param_hint="-o"
            )
        from ..outputs import check_file  # here: --help imports no more than it needs

        target = Target(check_file(out), formats.get(suffix, default), False)
        yield target
        wrote(out, target.note)
        return
    fmt = fmt or default
    if fmt not in ("html", "json", "svg") and sys.stdout.isatty():
        raise click.UsageError(
            f"will not write {fmt.upper()} bytes to a terminal: redirect stdout or give -o FILE"
        )
    folder = tempfile.mkdtemp(prefix="artgen-out-")
    try:
        target = Target(Path(folder) / f"out{names[fmt]}", fmt, True)
        yield target
        sys.stdout.flush()
        with open(target.path, "rb") as source:
            shutil.copyfileobj(source, sys.stdout.buffer)
        sys.stdout.buffer.flush()
        size = target.path.stat().st_size
        note = f"{target.note}, " if target.note else ""
        status(f"wrote {fmt.upper()} to stdout ({note}{counted(size, 'byte', digits=True)})")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
