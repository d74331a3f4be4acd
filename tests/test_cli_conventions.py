"""One convention across every command: walk each command's --help and run each one.

- The same meaning has the same name everywhere: an option name has one type, range and
  metavar in every command; a short letter always stands for the same long name; pixels are
  --px and counts of tokens --size, with their ranges from `artgen.limits`.
- Old spellings are hidden aliases: absent from --help and completion, still working, with a
  one-line note on stderr.
- Exit codes: 0 for help, 2 for a usage error and for bad input, in one line naming the
  command, no traceback, nothing on stdout.
- Data on stdout, status on stderr; -q and -v; `-o -`; "did you mean"; files only where asked.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from artgen.cli import COMMANDS as ENGINE_COMMANDS
from artgen.cli import cli as engine_cli
from artgen.limits import FPS, LIMITS, PORTRAIT_PX, TOKENS
from artgen.training.config import DEFAULT_MODEL
from collection.cli import COMMANDS as COLLECTION_COMMANDS
from collection.cli import cli

NAMES = sorted({**ENGINE_COMMANDS, **COLLECTION_COMMANDS})
#: Old spelling -> new, by command: kept for one release, hidden.
ALIASES = {
    "render": {"--size": "--px"},
    "animate": {"--size": "--px"},
    "timelapse": {"--size": "--px"},
    "train": {"--output": "--out", "--config": "--trainer-config", "-c": "--trainer-config"},
}
#: Where one name has two honest forms: the output is a file or a folder.
FORMS = {"--out": {"FILE", "DIR"}}


def run(*args, **kwargs):
    return CliRunner().invoke(cli, [str(a) for a in args], **kwargs)


def command(name: str) -> click.Command:
    return cli.get_command(click.Context(cli), name)


def options(name: str) -> list[click.Option]:
    return [p for p in command(name).params if isinstance(p, click.Option)]


def signature(option: click.Option) -> tuple:
    t = option.type
    bounds = (getattr(t, "min", None), getattr(t, "max", None))
    return (type(t).__name__, bounds, option.is_flag, option.metavar)


# ---- names ------------------------------------------------------------------------------------


def test_every_command_is_in_the_listing_and_its_help_exits_0():
    listing = run("--help")
    assert listing.exit_code == 0
    for name in NAMES:
        assert f"  {name} " in listing.stdout
        result = run(name, "--help")
        assert result.exit_code == 0, (name, result.output)
        assert result.stdout.startswith(f"Usage: artgen {name} ") and result.stderr == ""


def test_one_option_name_has_one_meaning_everywhere():
    seen: dict[str, dict[tuple, list[str]]] = {}
    for name in NAMES:
        for option in options(name):
            long = max(option.opts, key=len)
            seen.setdefault(long, {}).setdefault(signature(option), []).append(name)
    mixed = {
        long: forms
        for long, forms in seen.items()
        if len(forms) > 1 and {s[3] for s in forms} != FORMS.get(long)
    }
    assert mixed == {}
    assert set(seen["--px"]) == {("IntRange", (PORTRAIT_PX.low, PORTRAIT_PX.high), False, "PX")}
    assert sorted(seen["--px"][next(iter(seen["--px"]))]) == ["animate", "render", "timelapse"]
    assert set(seen["--size"]) == {("IntRange", (TOKENS.low, TOKENS.high), False, "N")}
    assert sorted(n for ns in seen["--size"].values() for n in ns) == ["audit", "mint"]
    assert {s[1] for s in seen["--fps"]} == {(FPS.low, FPS.high)}


def test_a_short_letter_always_stands_for_the_same_option():
    letters: dict[str, set[str]] = {}
    for name in NAMES:
        for option in options(name):
            long = max(option.opts, key=len)
            for short in (o for o in option.opts if len(o) == 2):
                letters.setdefault(short, set()).add(long)
    assert letters == {
        "-o": {"--out"},
        "-m": {"--model"},
        "-d": {"--dataset"},
        "-q": {"--quiet"},
        "-v": {"--verbose"},
    }
    for name in NAMES:  # every output and every model has its short letter
        for option in options(name):
            if option.name in ("out", "model"):
                assert len(option.opts) == 2, (name, option.opts)


def test_a_token_is_named_by_seed_and_token_wherever_a_command_takes_one():
    for name in NAMES:
        names = {o.name: o for o in options(name)}
        if "token" in names and name not in ("upgrade",):
            assert "seed" in names or name == "classify", name
            assert names["token"].metavar == "N"


def test_the_limits_are_documented_and_the_readme_lists_them():
    readme = (Path(__file__).parent.parent / "README.md").read_text("utf-8")
    for limit in LIMITS:
        assert limit.why and limit.unit
        assert limit.describe() in readme, limit.describe()


# ---- hidden aliases ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(ALIASES))
def test_old_spellings_are_hidden_but_still_work_with_a_note(name):
    assert command(name).aliases == ALIASES[name]
    shown = run(name, "--help").stdout
    for old in ALIASES[name]:
        assert f" {old}" not in shown.replace(ALIASES[name][old], ""), (name, old)
    completion = complete(f"artgen {name} -")
    for old in ALIASES[name]:
        assert old not in completion


def test_an_old_spelling_gives_the_same_output_as_the_new_one(tmp_path):
    base = ("render", "--seed", 1, "--token", 3)
    new = run(*base, "--px", 96, "-o", tmp_path / "new.png")
    old = run(*base, "--size", 96, "-o", tmp_path / "old.png")
    assert new.exit_code == old.exit_code == 0, old.output
    assert (tmp_path / "new.png").read_bytes() == (tmp_path / "old.png").read_bytes()
    note = "artgen render: note: --size is now --px; the old spelling works for this release only"
    assert old.stderr.splitlines()[0] == note and note not in new.stderr
    quiet = run(*base, "--size=96", "-q", "-o", tmp_path / "q.png")
    assert quiet.exit_code == 0 and quiet.stderr == ""
    # an alias's value that looks like an option is left alone
    odd = run("train", "--output", "--out", "--seed", 1)
    assert "No such option" not in odd.stderr


# ---- exit codes and errors --------------------------------------------------------------------


def bad_inputs(tmp_path) -> dict[str, list]:
    """A usage error or a bad input for every command."""
    not_json = tmp_path / "not.json"
    not_json.write_text("{", "utf-8")
    a_file = tmp_path / "a-file"
    a_file.write_text("x", "utf-8")
    bad_toml = tmp_path / "bad.toml"
    bad_toml.write_text("[collection\n", "utf-8")
    empty = tmp_path / "empty"
    empty.mkdir()
    return {
        "traits": ["--seed", 1, "--tokens", "9..2"],
        "lifecycle": ["--seed", 1, "--token", 3, "--time", "yesterday"],
        "classify": ["--model", not_json, "--image", a_file],
        "chain": ["--chain", "carrier-pigeon"],
        "train": ["--seed", 1, "--token", 1, "-d", tmp_path / "nowhere", "-o", tmp_path / "m.json"],
        "intelligence": ["-m", tmp_path / "absent.json"],
        "render": ["--seed", 1, "--token", 3, "-m", not_json, "-o", tmp_path / "x.png"],
        "animate": ["--seed", 1, "--token", 3, "-o", tmp_path / "x.avi"],
        "timelapse": ["--seed", 1, "--token", 3, "--time", "soon", "-o", tmp_path / "x.gif"],
        "inscription": ["--seed", 1, "--token", 3, "-m", not_json, "-o", tmp_path / "x.html"],
        "serve": [tmp_path / "nowhere"],
        "mint": ["--config", bad_toml, "-o", tmp_path / "minted"],
        "verify": [empty],
        "upgrade": [empty, "--token", 0, "-m", not_json],
        "inscribed": [empty, not_json],
        "status": [empty],
        "audit": [empty],
        "report": [empty],
        "demo": ["-o", a_file],
    }


def test_every_command_turns_bad_input_into_one_line_and_exit_2(tmp_path):
    cases = bad_inputs(tmp_path)
    assert sorted(cases) == NAMES
    for name, args in cases.items():
        result = run(name, *args)
        assert result.exit_code == 2, (name, result.output)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"artgen {name}: error: "), (name, lines)
        assert "Traceback" not in result.output and result.stdout == "", name
        assert lines[0].count("error:") == 1 and "artgen: error" not in lines[0]
    assert not (tmp_path / "minted").exists() and not list(tmp_path.glob("x.*"))


def test_unknown_options_and_missing_ones_are_usage_errors_with_exit_2():
    for name in NAMES:
        result = run(name, "--no-such-option")
        assert result.exit_code == 2 and "No such option" in result.stderr, name
        assert len(result.stderr.strip().splitlines()) == 1


def test_did_you_mean_for_commands_and_options():
    typo = run("rendr")
    assert typo.exit_code == 2
    assert typo.stderr.startswith("artgen: error: No such command 'rendr'. Did you mean 'render'?")
    assert "Did you mean 'inscription' or 'inscribed'?" in run("inscriptoin").stderr
    assert "Did you mean" not in run("zzz").stderr
    option = run("lifecycle", "--sede", 1)
    assert option.exit_code == 2 and "'--seed'" in option.stderr


def complete(line: str) -> list[str]:
    words = line.split(" ")
    env = {
        "_ARTGEN_COMPLETE": "bash_complete",
        "COMP_WORDS": line,
        "COMP_CWORD": str(len(words) - 1),
    }
    result = CliRunner().invoke(cli, [], env=env, prog_name="artgen")
    return [row.split(",", 1)[1] for row in result.stdout.splitlines()]


def test_shell_completion_offers_commands_and_options():
    assert complete("artgen ren") == ["render"]
    assert complete("artgen in") == ["inscribed", "inscription", "intelligence"]
    assert "--px" in complete("artgen render --p")


def test_help_and_completion_import_no_command():
    """`artgen --help` reads the command table: no command module, no numpy."""
    code = (
        "import sys; from collection.cli import cli; "
        "cli.main(['--help'], standalone_mode=False); "
        "print(sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('artgen', 'collection', 'numpy')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    loaded = eval(out.strip().splitlines()[-1])  # a printed list of names
    assert loaded == [
        "artgen",
        "artgen.cli",
        "artgen.cli.command",
        "artgen.cli.output",
        "artgen.errors",
        "artgen.wording",
        "collection",
        "collection.cli",
    ]


# ---- where things go --------------------------------------------------------------------------


def test_data_goes_to_stdout_and_status_to_stderr(tmp_path):
    traits = run("traits", "--seed", 1, "--token", 3)
    assert traits.stdout.startswith("Perceptron #3 (seed 1)") and traits.stderr == ""
    out = tmp_path / "p.png"
    render = run("render", "--seed", 1, "--token", 3, "--px", 64, "-o", out)
    assert render.stdout == ""
    assert render.stderr == f"wrote {out} ({out.stat().st_size:,} bytes)\n"


def test_quiet_hides_status_and_verbose_adds_the_details(tmp_path):
    args = ("--seed", 1, "--token", 3, "--px", 64, "-o", tmp_path / "p.png")
    for quiet in (run("render", *args, "-q"), run("-q", "render", *args)):
        assert quiet.exit_code == 0 and quiet.output == ""
    loud = run("-v", "render", *args)
    lines = loud.stderr.splitlines()
    assert (
        lines[0]
        == "moment: block 871000 at 2024-11-25T10:40:00Z, 12.4 sat/vB (from the embedded default)"
    )
    assert lines[1].startswith("wrote ") and lines[2].startswith("artgen render: done in ")
    both = run("render", *args, "-q", "-v")
    assert both.exit_code == 2 and "not both" in both.stderr
    data = run("-q", "lifecycle", "--seed", 1, "--token", 3, "--json")
    assert json.loads(data.stdout)["token"] == 3  # -q never hides the data asked for


def test_dash_writes_the_one_output_file_to_stdout(tmp_path):
    args = ("--seed", 1, "--token", 3, "--px", 64)
    to_file = run("render", *args, "-o", tmp_path / "p.png")
    to_stdout = CliRunner().invoke(cli, ["render", *map(str, args), "-o", "-"])
    assert to_file.exit_code == to_stdout.exit_code == 0
    assert to_stdout.stdout_bytes == (tmp_path / "p.png").read_bytes()
    assert to_stdout.stderr.startswith("wrote PNG to stdout (")
    svg = CliRunner().invoke(cli, ["render", *map(str, args), "-o", "-", "--format", "svg"])
    assert svg.stdout.startswith("<?xml") and "</svg>" in svg.stdout
    clash = run("render", *args, "-o", tmp_path / "p.png", "--format", "svg")
    assert clash.exit_code == 2 and "--format svg" in clash.stderr
    page = run("inscription", *args[:4], "-m", DEFAULT_MODEL, "-o", "-")
    assert page.stdout.startswith("<!doctype html>") and "wrote HTML to stdout" in page.stderr
    both = run("train", "--seed", 1, "--token", 3, "-o", "-", "--json")
    assert both.exit_code == 2 and "both print on stdout" in both.stderr
    assert os.listdir(tmp_path) == ["p.png"]


def test_files_are_written_only_where_asked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    sampler = run("audit", "--size", 40, "--seed", 2)
    assert sampler.exit_code == 0, sampler.output
    assert "audited 40 tokens" in sampler.stdout and "report: none written" in sampler.stdout
    for args in (
        ("traits", "--seed", 1, "--tokens", "0..3"),
        ("lifecycle", "--seed", 1, "--token", 3),
        ("chain",),
        ("render", "--seed", 1, "--token", 3, "--px", 64, "-o", "-"),
    ):
        assert run(*args).exit_code == 0, args
    assert os.listdir(tmp_path) == []
    reported = run("audit", "--size", 40, "--seed", 2, "-o", "r", "--json")
    assert reported.exit_code == 0
    whole = json.loads(reported.stdout)
    assert whole["report"]["site"] == os.path.join("r", "index.html")  # the report site
    assert {"traits", "rarity", "duplicates", "tokens", "method"} <= set(whole["details"])
    assert sorted(os.listdir(tmp_path)) == ["r"]


def test_counts_are_worded_in_the_singular_and_the_plural(tmp_path):
    from artgen.wording import counted

    assert [counted(n, "token") for n in (0, 1, 2)] == ["0 tokens", "1 token", "2 tokens"]
    assert counted(1, "batch") == "1 batch" and counted(3, "ord batch") == "3 ord batches"
    assert counted(1234, "byte", digits=True) == "1,234 bytes"
    one = run("audit", "--size", 1, "--seed", 2)
    assert "audited 1 token of" in one.stdout and "1 tokens" not in one.output
    assert "0 stills hashed" in one.stdout


def test_lifecycle_json_names_the_token_the_moment_and_the_next_stage():
    doc = json.loads(
        run("lifecycle", "--seed", 7, "--token", 3, "--time", 1559347200, "--json").stdout
    )
    assert (doc["seed"], doc["token"], doc["time"]) == (7, 3, 1559347200.0)
    assert doc["time_iso"] == "2019-06-01T00:00:00Z"
    order = ["Growing", "Stable", "Decaying", "Dead", "Rebirth"]
    assert doc["next_stage"] == order[(order.index(doc["stage"]) + 1) % 5]
    for key in ("next_stage_time", "next_stable_time"):
        assert doc[f"{key}_iso"].endswith("Z") and doc[key] > doc["time"]


def test_the_engine_alone_has_no_collection_command():
    result = CliRunner().invoke(engine_cli, ["mint", "--help"])
    assert result.exit_code == 2 and "No such command 'mint'" in result.stderr
    assert CliRunner().invoke(engine_cli, ["render", "--help"]).exit_code == 0
