"""bench/goals.py: how a benchmark declares its goals, and the one table `make bench` ends with.

Nothing here measures time: the goals get made-up measurements.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import goals  # noqa: E402 (bench/ is not a package)


@pytest.fixture
def record(tmp_path, monkeypatch):
    path = tmp_path / "goals.jsonl"
    monkeypatch.setenv(goals.VARIABLE, str(path))
    monkeypatch.setattr(goals, "_SEEN", [])
    monkeypatch.setattr(sys, "argv", ["bench/mint.py"])
    return path


def test_goals_are_met_or_missed_on_their_bound(record, capsys):
    assert goals.goal("speed-up", 1.8, at_least=1.8, unit="x") is True
    assert goals.goal("Dask / pool", 1.16, at_most=1.15, unit="x") is False
    assert goals.goal("idle", 2.5, at_most=5, unit="% of a core") is True
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "goal: speed-up: 1.8x (>= 1.8x): met",
        "goal: Dask / pool: 1.16x (<= 1.15x): MISSED",
        "goal: idle: 2.5% of a core (<= 5% of a core): met",
    ]
    assert goals.finish() == 1  # one missed: the bench exits 1
    seen = [json.loads(line) for line in record.read_text().splitlines()]
    assert [(g["bench"], g["name"], g["met"]) for g in seen] == [
        ("mint", "speed-up", True),
        ("mint", "Dask / pool", False),
        ("mint", "idle", True),
    ]


def test_a_bench_whose_goals_are_all_met_exits_0(record):
    goals.goal("flat memory", 1.02, at_most=1.1, unit="x")
    assert goals.finish() == 0


def test_a_goal_has_exactly_one_bound(record):
    with pytest.raises(ValueError):
        goals.goal("no bound", 1.0)
    with pytest.raises(ValueError):
        goals.goal("two bounds", 1.0, at_least=0.5, at_most=2.0)


def test_the_table_has_every_goal_and_every_failed_bench(record):
    goals.goal("sampler deviation", 0.118, at_most=0.3, unit=" pp")
    goals.goal("speed-up", 1.0, at_least=1.8, unit="x")
    lines = goals.table(goals.read_goals(record), failed=["train"]).splitlines()
    assert lines[0].split() == ["bench", "goal", "target", "measured", "result"]
    assert set(lines[1]) <= {"-", " "}
    assert lines[2].split() == ["mint", "sampler", "deviation", "<=", "0.3", "pp", "0.118", "pp",
                                "met"]  # fmt: skip
    assert lines[3].split()[-1] == "MISSED" and lines[4].split()[0] == "train"
    assert lines[4].split()[-1] == "FAILED" and len(lines) == 5
    assert len({len(line) for line in lines[:2]}) == 1  # the columns line up
