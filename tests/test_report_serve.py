"""`artgen serve` and the report: the site and the collection's files at their own paths
(nothing hidden, nothing outside the folder), one log line per request on stderr, and -q to
keep quiet."""

from __future__ import annotations

import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from report_fixtures import fake_collection
from test_inscription import serving

from artgen.chain import DEFAULT_CHAIN_STATE
from artgen.inscription.serve import CONTENT_POLICY
from collection.report.run import report_collection


@pytest.fixture(scope="module")
def collection(tmp_path_factory):
    root = fake_collection(tmp_path_factory.mktemp("serve") / "c", size=12)
    report_collection(root)
    return root


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get(url: str):
    """(status, headers, body) of a GET, redirects not followed."""
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=10) as reply:
            return reply.status, reply.headers, reply.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def test_the_report_and_the_collection_files_are_served_at_their_paths(collection):
    lines = []
    with serving(collection, DEFAULT_CHAIN_STATE, lines.append) as url:
        status, headers, body = get(url + "report/")
        assert status == 200 and body == (collection / "report/index.html").read_bytes()
        assert headers["Content-Security-Policy"] == CONTENT_POLICY  # nothing from outside
        assert get(url + "report")[:2][0] == 301  # so that its relative links resolve
        assert get(url + "report")[1]["Location"] == "/report/"
        status, headers, _ = get(url + "report/thumbs/0.webp")
        assert status == 200 and headers["Content-Type"] == "image/webp"
        status, _, still = get(url + "images/3.png")
        assert status == 200 and still == (collection / "images/3.png").read_bytes()
        index = get(url)[2].decode()
        assert 'href="/report/index.html"' in index
        hidden = ("report/.site-cache", ".artgen/run.json", "report/%2e%2e/collection.toml")
        for path in (*hidden, "..%2f..%2fetc/passwd", "report/nothing.html", "a.toml%00.png"):
            assert get(url + path)[0] == 404, path
    assert lines[0] == '127.0.0.1 "GET /report/ HTTP/1.1" 200 ' + str(len(body))
    assert lines[1] == '127.0.0.1 "GET /report HTTP/1.1" 301 0'
    assert any(line.endswith('"GET /.artgen/run.json HTTP/1.1" 404 14') for line in lines)


def _serve(root, log, *flags):
    """`artgen serve` in a process of its own (stderr to the file `log`): its address, then
    its whole stdout and stderr once stopped."""
    command = "from artgen.cli import main; main()"
    args = [sys.executable, "-c", command, "serve", str(root), "--port", "0", *flags]
    with open(log, "w") as err:
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=err, text=True)
    try:
        first = proc.stdout.readline()
        yield first[first.index("http://") :].split()[0]
    finally:
        proc.terminate()
        out = first + proc.stdout.read()
        proc.wait(20)
        proc.stdout.close()
    yield out, log.read_text()


@pytest.mark.parametrize("quiet", [False, True])
def test_serve_logs_one_line_per_request_on_stderr_unless_quiet(collection, quiet, tmp_path):
    run = _serve(collection, tmp_path / "stderr.txt", *(["-q"] if quiet else []))
    url = next(run)
    assert get(url + "report/audit.html")[0] == 200
    assert get(url + "r/blockheight")[0] == 200
    out, err = next(run)
    assert out == url + "\n"  # the address is the data; the rest is status on stderr
    logged = [line for line in err.splitlines() if '"GET ' in line]
    if quiet:
        assert err == ""  # no status, no request lines
    else:
        assert "the collection report: " + url + "report/" in err
        assert logged[0].endswith(
            '"GET /report/audit.html HTTP/1.1" 200 '
            + str((collection / "report/audit.html").stat().st_size)
        )
        assert logged[1] == '127.0.0.1 "GET /r/blockheight HTTP/1.1" 200 6'
