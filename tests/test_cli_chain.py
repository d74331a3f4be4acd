"""`artgen chain` and the shared chain options, through click's CliRunner."""

from __future__ import annotations

import json

import click
from click.testing import CliRunner

from artgen.chain import DEFAULT_CHAIN_STATE
from artgen.cli import cli
from artgen.cli.chain import chain_from_options, chain_options


def run(*args: str):
    return CliRunner().invoke(cli, ["chain", *args])


def test_default_is_the_embedded_offline_state():
    result = run()
    assert result.exit_code == 0, result.output
    assert "2024-11-25T10:40:00Z" in result.output
    assert "871000" in result.output and "12.4 sat/vB" in result.output
    assert "spark interval  5 frames" in result.output


def test_json_output_has_the_state_and_its_animation():
    result = run("--json", "--time", "2025-01-01T00:00:00Z", "--fee-rate", "1")
    assert result.exit_code == 0, result.output
    info = json.loads(result.output)
    assert set(info) == {
        "source",
        "time",
        "time_iso",
        "height",
        "fee_rate",
        "activity",
        "spark_interval",
    }
    assert info["time"] == 1735689600.0 and info["time_iso"] == "2025-01-01T00:00:00Z"
    assert (info["fee_rate"], info["spark_interval"]) == (1.0, 15)
    assert info["activity"] == 0.2 and info["source"] == "default"


def test_file_source_and_round_trip_of_its_own_json(tmp_path):
    stats = {"avgfeerate": 150, "height": 880000, "time": 1738000000, "txs": 3000}
    path = tmp_path / "stats.json"
    path.write_text(json.dumps(stats))
    result = run("--chain", f"file:{path}", "--json")
    assert result.exit_code == 0, result.output
    info = json.loads(result.output)
    assert (info["height"], info["fee_rate"], info["time"]) == (880000, 150.0, 1738000000.0)
    assert info["spark_interval"] == 2
    again = tmp_path / "again.json"
    again.write_text(result.output)
    assert json.loads(run("--chain", str(again), "--json").output)["height"] == 880000


def test_bad_file_is_one_line_on_stderr_and_exit_2(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"time": 1738000000, "avgfeerate": "high"}))
    result = run("--chain", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert str(path) in lines[0] and "'avgfeerate'" in lines[0]


def test_bad_time_and_unknown_source_exit_2():
    for args in (["--time", "tomorrow"], ["--chain", "carrier-pigeon"], ["--fee-rate", "x"]):
        result = run(*args)
        assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1, args


def test_chain_options_decorate_other_commands(tmp_path):
    @click.command()
    @chain_options
    def show(time, fee_rate, chain):
        click.echo(json.dumps(chain_from_options(time, fee_rate, chain).to_json()))

    runner = CliRunner()
    assert json.loads(runner.invoke(show, []).output) == DEFAULT_CHAIN_STATE.to_json()
    result = runner.invoke(show, ["--fee-rate", "3", "--time", "86400"])
    # a moment chosen by time belongs to no known block: its height is unknown (0)
    assert json.loads(result.output) == {"time": 86400.0, "height": 0, "fee_rate": 3.0}
