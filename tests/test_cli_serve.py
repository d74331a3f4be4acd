"""`artgen serve` as a user runs it: the console script in its own process, on a free port.

Its address goes to stdout; its index lists the art inscriptions only (not reports, not
other HTML), by token number (0, 1, 2, ..., 10, 11, not 0, 1, 10, 11, 2).
"""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.request
from pathlib import Path

from test_inscription import built_model, write_file

from artgen.inscription import engine_js, token_html
from artgen.model import dumps_model
from artgen.tables import default_tables
from artgen.traits import sample_traits

ARTGEN = Path(sys.executable).with_name("artgen")  # the installed console script
TABLES = default_tables()


def collection_folder(root: Path) -> Path:
    engine = write_file(root, "art/engine.js", engine_js())
    model = write_file(root, "models/m.json", dumps_model(built_model()))
    for token in (11, 2, 0, 10, 1, 3, 9, 4, 8, 5, 7, 6):  # written out of order
        traits = sample_traits(5, token, TABLES)
        page = token_html(traits, engine_id=engine, model_id=model, tables=TABLES)
        write_file(root, f"art/{token}.html", page)
    write_file(root, "audit/report.html", "<!doctype html><title>audit</title><p>report")
    write_file(root, "notes.html", "<!doctype html><p>not an inscription")
    return root


def test_serve_as_a_process_lists_the_art_by_token_number(tmp_path):
    root = collection_folder(tmp_path / "c")
    server = subprocess.Popen(
        [str(ARTGEN), "serve", str(root), "--port", "0", "--fee-rate", "7"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = server.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", url), url
        with urllib.request.urlopen(url, timeout=10) as reply:
            index = reply.read().decode("utf-8")
    finally:
        server.terminate()
        _, err = server.communicate(timeout=10)
    assert [int(n) for n in re.findall(r"Perceptron #(\d+)</a>", index)] == list(range(12))
    assert "report.html" not in index and "notes.html" not in index and "engine.js" not in index
    assert "12 art inscriptions" in index
    assert "serving 12 art inscriptions" in err and "Ctrl-C stops" in err and "fee rate 7" in err
