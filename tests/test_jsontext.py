"""artgen.jsontext: JSON from outside, read strictly, each refusal saying what was expected."""

from __future__ import annotations

import json

import pytest

from artgen.jsontext import JSONTextError, check_depth, loads


def test_reads_text_and_utf8_bytes_with_or_without_a_byte_order_mark():
    assert loads('{"a": [1, 2.5, "é"]}') == {"a": [1, 2.5, "é"]}
    assert (loads("5"), loads('"text"'), loads("null")) == (5, "text", None)  # a bare value
    assert loads('\ufeff{"a": 1}'.encode()) == {"a": 1}
    assert loads(memoryview(b"[true, null]")) == [True, None]
    assert loads('\ufeff{"a": 1}') == {"a": 1}  # text that kept its byte-order mark


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"w": NaN}', "expected finite JSON numbers, found NaN"),
        ("[-Infinity]", "expected finite JSON numbers, found -Infinity"),
        ("[1e400]", "expected finite JSON numbers, found 1e400"),
        # a long number is cut to 17 characters and "..." past 20 characters
        ("[" + "9" * 16 + "e999]", "expected finite JSON numbers, found " + "9" * 16 + "e999"),
        ("[" + "9" * 17 + "e999]", "expected finite JSON numbers, found " + "9" * 17 + "..."),
        (b'{"a": "\xff"}', "expected UTF-8 text, bad byte at 7"),
        ('{"a" 1}', "not valid JSON: Expecting ':' delimiter at line 1 column 6"),
        ("[" + "9" * 5000 + "]", "not valid JSON: a number has too many digits"),
        (42, "expected JSON text, found int"),
        ('{"a": 1, "b": {"c": 2, "c": 3}}', "expected each key once in an object, found 'c' twice"),
        ('{"a": 1, "b": 2, "b": 3}', "expected each key once in an object, found 'b' twice"),
        # a long key is cut to 37 characters and "..." past 40 characters
        (
            '{"' + "k" * 40 + '": 1, "' + "k" * 40 + '": 2}',
            f"expected each key once in an object, found '{'k' * 40}' twice",
        ),
        (
            '{"' + "k" * 41 + '": 1, "' + "k" * 41 + '": 2}',
            f"expected each key once in an object, found '{'k' * 37}...' twice",
        ),
        ("[" * 100_000 + "]" * 100_000, "expected JSON nested at most 64 levels deep"),
        ("[" * 66 + "]" * 66, "expected JSON nested at most 64 levels deep"),
    ],
)
def test_refusals_say_what_was_expected(text, message):
    with pytest.raises(JSONTextError) as err:
        loads(text)
    assert str(err.value) == message


def test_depth_is_checked_up_to_the_limit_without_recursion():
    deep = loads("[" * 500 + "]" * 500, max_depth=499)
    check_depth(deep, 499)
    with pytest.raises(JSONTextError, match="expected JSON nested at most 498 levels deep"):
        check_depth(deep, 498)
    check_depth({"a": {"b": 1}, "c": []}, 1)
    with pytest.raises(JSONTextError):
        check_depth({"a": {"b": [1]}}, 1)


def test_what_artgen_writes_holds_no_nan():
    from artgen.jsontext import finite

    value = {"p": float("nan"), "rows": [1.5, float("inf"), (float("-inf"), "x")], "n": 3}
    assert finite(value) == {"p": None, "rows": [1.5, None, [None, "x"]], "n": 3}
    assert json.dumps(finite(value), allow_nan=False)  # valid JSON, where NaN is not


def test_a_file_is_read_within_its_budget_and_named(tmp_path):
    import os

    from artgen.errors import ConfigError, LimitError
    from artgen.jsontext import read_json
    from artgen.limits import Limit

    small = Limit("size of a test file", "byte", 0, 16, "")
    (tmp_path / "ok.json").write_text('{"a": 1}')
    assert read_json(tmp_path / "ok.json", small, ConfigError) == {"a": 1}
    (tmp_path / "big.json").write_text('{"a": "' + "x" * 20 + '"}')
    with pytest.raises(LimitError, match="big.json: expected the size of a test file"):
        read_json(tmp_path / "big.json", small, ConfigError)
    os.mkfifo(tmp_path / "pipe.json")
    with pytest.raises(ConfigError, match="pipe.json: expected a regular file, found a FIFO"):
        read_json(tmp_path / "pipe.json", small, ConfigError)
    (tmp_path / "twice.json").write_text('{"a":1,"a":2}')
    with pytest.raises(ConfigError, match="twice.json: expected each key once"):
        read_json(tmp_path / "twice.json", small, ConfigError)
