"""Chain sources against hostile servers on 127.0.0.1: credentials stay with their origin, one
deadline covers the whole exchange, replies are bounded, secrets never reach a message."""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from hostile_files import slow_headers, trickled_body

from artgen import chain, limits
from artgen.errors import ChainStateError, LimitError

TIP, BLOCK_TIME = 871234, 1732600000
BLOCKINFO = {"average_fee_rate": 13, "height": TIP, "timestamp": BLOCK_TIME}
USER, PASSWORD = "alice", "hunter2-secret"
TOKEN = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()


class Recorder(BaseHTTPRequestHandler):
    """Answers ord's endpoints, or what `server.script(handler)` does; records every request
    as (path, Authorization header)."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.server.seen.append((self.path, self.headers.get("Authorization")))
        script = self.server.script
        if script is not None and script(self) is not False:
            return
        body = json.dumps(TIP if self.path == "/r/blockheight" else BLOCKINFO).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client that hangs up on a slow answer is what these tests do


@pytest.fixture
def servers(monkeypatch):
    """Two recording servers on ephemeral ports of 127.0.0.1: two origins."""
    for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    made = []
    for _ in range(2):
        server = Server(("127.0.0.1", 0), Recorder)
        server.seen, server.script = [], None
        server.url = f"http://127.0.0.1:{server.server_address[1]}"
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01})
        thread.start()
        made.append((server, thread))
    yield [server for server, _ in made]
    for server, thread in made:
        server.shutdown()
        server.server_close()
        thread.join()


def with_credentials(url: str) -> str:
    return url.replace("http://", f"http://{USER}:{PASSWORD}@")


def redirect_to(target: str):
    def script(handler):
        handler.send_response(302)
        handler.send_header("Location", target + handler.path)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return script


def assert_secret_free(message: str) -> None:
    assert PASSWORD not in message and TOKEN not in message and "\n" not in message


def test_credentials_never_follow_a_redirect_to_another_origin(servers):
    first, second = servers
    first.script = redirect_to(second.url)
    with pytest.raises(ChainStateError) as err:
        chain.resolve("ord+" + with_credentials(first.url))
    message = str(err.value)
    assert "redirected to another origin" in message and second.url in message
    assert_secret_free(message)
    assert first.seen == [("/r/blockheight", f"Basic {TOKEN}")]
    assert second.seen == []  # not even asked: the credentials would have gone with it


def test_a_host_name_for_the_same_address_is_another_origin(servers):
    first, second = servers
    first.script = redirect_to(second.url.replace("127.0.0.1", "localhost"))
    with pytest.raises(ChainStateError, match="another origin"):
        chain.resolve("ord+" + with_credentials(first.url))
    assert second.seen == []


def test_a_redirect_within_the_origin_keeps_the_credentials(servers):
    first, _ = servers

    def moved(handler):
        if not handler.path.startswith("/old/"):
            return False  # answer as ord does
        handler.send_response(301)
        handler.send_header("Location", handler.path[len("/old") :])
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    first.script = moved
    assert chain.resolve("ord+" + with_credentials(first.url) + "/old").height == TIP
    assert first.seen == [
        (path, f"Basic {TOKEN}")
        for path in ("/old/r/blockheight", "/r/blockheight", f"/old/r/blockinfo/{TIP}",
                     f"/r/blockinfo/{TIP}")
    ]  # fmt: skip


def test_without_credentials_a_redirect_to_another_origin_is_followed(servers):
    first, second = servers
    first.script = redirect_to(second.url)
    assert chain.resolve("ord+" + first.url).height == TIP
    assert [auth for _, auth in second.seen] == [None, None]


def test_json_rpc_follows_no_redirect_at_all(servers):
    first, second = servers
    first.script = redirect_to(second.url)
    with pytest.raises(ChainStateError, match="HTTP 302") as err:
        chain.resolve("rpc+" + with_credentials(first.url))
    assert_secret_free(str(err.value))
    assert second.seen == []


def test_a_server_that_echoes_the_credentials_never_gets_them_printed(servers):
    first, _ = servers

    def echo(handler):
        body = f"denied: {handler.headers['Authorization']} for {PASSWORD}".encode()
        handler.send_response(403)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    first.script = echo
    for scheme in ("ord+", "rpc+"):
        with pytest.raises(ChainStateError, match="HTTP 403") as err:
            chain.resolve(scheme + with_credentials(first.url))
        assert_secret_free(str(err.value))
        assert "***" in str(err.value)


@pytest.mark.parametrize("script", [slow_headers(0.4), trickled_body(0.4)], ids=["headers", "body"])
def test_one_deadline_covers_the_whole_exchange(servers, script):
    first, _ = servers
    first.script = script
    started = time.monotonic()
    with pytest.raises(ChainStateError, match=r"timed out after 1\.5 s"):
        chain.resolve("ord+" + first.url, timeout=1.5)
    assert time.monotonic() - started < 1.5 + 1.0  # cut at the deadline, not at a read's end


def test_the_deadline_is_never_longer_than_the_documented_limit():
    from artgen.chainhttp import Exchange

    assert Exchange(None, 1e9).seconds == limits.NETWORK_SECONDS.high


def huge(chunked: bool):
    def script(handler):
        size = int(limits.CHAIN_BYTES.high) * 2
        handler.send_response(200)
        if chunked:
            handler.send_header("Transfer-Encoding", "chunked")
            handler.end_headers()
            block = b"7" * 65536
            for _ in range(size // len(block)):
                handler.wfile.write(b"%x\r\n%s\r\n" % (len(block), block))
            handler.wfile.write(b"0\r\n\r\n")
        else:
            handler.send_header("Content-Length", str(size))
            handler.end_headers()
            handler.wfile.write(b"7" * size)

    return script


@pytest.mark.parametrize("chunked", [False, True], ids=["length", "chunked"])
def test_replies_are_read_up_to_the_byte_budget(servers, chunked):
    first, _ = servers
    first.script = huge(chunked)
    with pytest.raises(LimitError, match="size of a chain file or reply"):
        chain.resolve("ord+" + first.url)


@pytest.mark.parametrize(
    "body, words",
    [
        (b'{"height": 1, "height": 2}', ["expected JSON"]),
        (b"[" * 100_000 + b"]" * 100_000, ["expected JSON"]),
    ],
)
def test_replies_are_strict_json(servers, body, words):
    first, _ = servers

    def script(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    first.script = script
    with pytest.raises(ChainStateError) as err:
        chain.resolve("ord+" + first.url)
    for word in words:
        assert word in str(err.value)


@pytest.mark.parametrize(
    "source, words",
    [
        ("ord+http://[::1", ["not a valid URL"]),
        ("rpc+http://u:p@[::1:8332", ["not a valid URL"]),
        ("ord+http://host name", ["spaces or control characters"]),
        ("ord+http://127.0.0.1:99999", ["port"]),
        ("ord+ftp://127.0.0.1", ["http:// or https://"]),
    ],
)
def test_malformed_addresses_are_one_line_errors(source, words):
    with pytest.raises(ChainStateError) as err:
        chain.resolve(source)
    assert "\n" not in str(err.value)
    for word in words:
        assert word in str(err.value)


def test_a_closed_port_is_refused_quickly():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ChainStateError, match="connection refused"):
        chain.resolve(f"ord+http://{USER}:{PASSWORD}@127.0.0.1:{port}")


def test_a_host_name_that_never_resolves_is_given_up_at_the_deadline(monkeypatch):
    resolve, release = socket.getaddrinfo, threading.Event()

    def stuck(host, *args, **kwargs):  # a resolver that does not answer (a dead DNS server)
        if host == "stuck.invalid":
            release.wait(30)
            raise socket.gaierror(socket.EAI_AGAIN, "temporary failure")
        return resolve(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", stuck)
    started = time.monotonic()
    try:
        with pytest.raises(ChainStateError, match=r"timed out after 1 s"):
            chain.resolve(f"ord+http://{USER}:{PASSWORD}@stuck.invalid:8080", timeout=1)
        assert time.monotonic() - started < 1 + 1.0
    finally:
        release.set()


def test_a_name_that_resolves_is_connected_to():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ChainStateError, match="connection refused"):  # resolved, then refused
        chain.resolve(f"ord+http://localhost:{port}")
