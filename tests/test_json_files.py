"""The JSON text of every collection file (collection.mint.metadata.json_bytes)."""

from __future__ import annotations

import json
import math
import tracemalloc

from collection.mint.metadata import json_bytes


def test_collection_json_is_indented_utf8_with_a_final_newline_and_no_nan():
    data = {"name": "Perceptron «7»", "values": [1, 2.5, math.nan, -math.inf], "empty": {}}
    text = json_bytes(data).decode("utf-8")
    assert text == (
        '{\n  "name": "Perceptron «7»",\n  "values": [\n    1,\n    2.5,\n    null,\n'
        '    null\n  ],\n  "empty": {}\n}\n'
    )


def test_a_large_file_is_written_without_holding_its_text_many_times_over():
    # 10,000 tokens' entries, as inscriptions.json holds them: about 2.4 MB of text
    entries = [
        {"token": t, "kind": "model", "file": f"models/{t}.json", "sha256": f"{t:064x}"}
        for t in range(10_000)
    ]
    expected = (json.dumps(entries, indent=2, ensure_ascii=False) + "\n").encode()
    tracemalloc.start()
    got = json_bytes(entries)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert got == expected
    assert peak < 4 * len(expected)  # the text, its bytes and the copy without NaN
