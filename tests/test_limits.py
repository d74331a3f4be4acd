"""artgen.limits: each documented limit says its range in words and refuses what lies outside."""

from __future__ import annotations

import math

import pytest

from artgen import limits
from artgen.errors import ArtgenError, LimitError
from artgen.limits import FPS, LIMITS, PORTRAIT_PX, TOKENS, Limit


def test_every_limit_is_listed_once_and_says_why():
    assert LIMITS[:3] == (PORTRAIT_PX, FPS, TOKENS)
    named = {name for name, value in vars(limits).items() if isinstance(value, Limit)}
    assert named == {name for name in dir(limits) if getattr(limits, name) in LIMITS}
    assert len(LIMITS) == len(named) and len({limit.name for limit in LIMITS}) == len(LIMITS)
    for limit in LIMITS:
        assert limit.why and (limit.high is None or limit.low <= limit.high)


def test_ranges_in_words():
    assert PORTRAIT_PX.describe() == "64 to 4096 px"
    assert FPS.describe() == "1 to 60 fps"
    assert TOKENS.describe() == "1 to 100,000 tokens"
    assert Limit("epochs", "epoch", 1, 1, "").describe() == "1 to 1 epoch"
    assert Limit("tokens", "token", 1, None, "").describe() == "at least 1 token"
    assert limits.CONFIG_BYTES.describe() == "at most 1,048,576 bytes"
    assert limits.ARCHIVE_ENTRIES.describe() == "at most 200,000 entries"
    assert limits.NETWORK_SECONDS.describe() == "at most 10 seconds"


def test_inside_and_outside():
    assert 64 in PORTRAIT_PX and 4096 in PORTRAIT_PX and 1024.0 in PORTRAIT_PX
    for value in (63, 4097, math.nan, True, "512", None):
        assert value not in PORTRAIT_PX
    assert 10**5 in TOKENS and 10**5 + 1 not in TOKENS and 0 not in TOKENS
    assert math.inf not in limits.CHAIN_BYTES and -1 not in limits.CHAIN_BYTES


def test_check_returns_the_value_or_refuses_in_one_line_naming_the_field():
    assert PORTRAIT_PX.check(512) == 512
    with pytest.raises(LimitError) as err:
        PORTRAIT_PX.check(8192, source="config.toml", field="render.sizes")
    assert isinstance(err.value, ArtgenError)
    assert str(err.value) == (
        "config.toml: field 'render.sizes': expected the side of a portrait to be "
        "64 to 4096 px, got 8192"
    )


def test_a_reader_may_raise_its_own_domain_error():
    from artgen.errors import ConfigError

    with pytest.raises(ConfigError) as err:
        limits.EPOCHS.check(10**9, source="c.toml", field="tables.Training Epochs.max",
                            error=ConfigError)  # fmt: skip
    assert str(err.value) == (
        "c.toml: field 'tables.Training Epochs.max': expected the number of training epochs "
        "to be 1 to 10,000 epochs, got 1,000,000,000"
    )


def test_a_file_is_read_whole_within_its_limit_even_when_it_grows(tmp_path, monkeypatch):
    import os
    import tracemalloc

    from artgen.inputs import read_bytes

    small = Limit("size of a test file", "byte", 0, 100, "")
    path = tmp_path / "f.json"
    path.write_bytes(b"x" * 60)
    assert read_bytes(path, small, ArtgenError) == b"x" * 60
    # a small record read under a 256 MiB limit sets aside about its own size, not the limit
    tracemalloc.start()
    assert read_bytes(path, limits.RECORD_BYTES, ArtgenError) == b"x" * 60
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 64 * 1024
    # a file of size 0 to stat (as /proc's are) is read on to its end
    status = read_bytes("/proc/self/status", limits.CONFIG_BYTES, ArtgenError)
    assert status.startswith(b"Name:") and status.endswith(b"\n")
    # one that grew after stat (stat says 10 bytes) is read whole, and refused past the limit
    real = os.fstat
    monkeypatch.setattr(os, "fstat", lambda fd: os.stat_result((*real(fd)[:6], 10, *real(fd)[7:])))
    assert read_bytes(path, small, ArtgenError) == b"x" * 60
    path.write_bytes(b"y" * 101)
    with pytest.raises(ArtgenError, match="at most 100 bytes"):
        read_bytes(path, small, ArtgenError)
