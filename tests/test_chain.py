"""Chain state sources against real HTTP servers on 127.0.0.1, and the fee-rate animation."""

from __future__ import annotations

import base64
import json
import math
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from artgen import chain, chainrpc
from artgen.chain import DEFAULT_CHAIN_STATE, ChainState, animation
from artgen.errors import ChainStateError

TIP = 871234
BLOCK_TIME = 1732600000
STATS = {"avgfeerate": 21, "height": TIP, "time": BLOCK_TIME}
BLOCKINFO = {"average_fee": 3679, "average_fee_rate": 13, "height": TIP, "timestamp": BLOCK_TIME}
USER, PASSWORD = "alice", "s3cr3t:pw"


class FakeNode(BaseHTTPRequestHandler):
    """Answers like bitcoind (POST, JSON-RPC 1.0) or like ord (GET /r/...), per `server.mode`."""

    def log_message(self, *args):
        pass

    def reply(self, status: int, body: bytes | str | dict, content_type="application/json"):
        data = json.dumps(body).encode() if isinstance(body, dict) else body
        data = data.encode() if isinstance(data, str) else data
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def common(self) -> bool:
        """Handle the modes shared by both kinds of server; True when the request is answered."""
        mode = self.server.mode
        if mode == "hang":
            self.server.release.wait(30)
            return True
        if mode == "not-http":
            self.wfile.write(b"SSH-2.0-OpenSSH_9.6\r\n\r\n")
            return True
        if mode == "garbage":
            self.reply(200, "<html>502 Bad Gateway</html>", "text/html")
            return True
        return False

    def do_POST(self):
        request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.calls.append(request)
        if self.common():
            return
        mode, method, params = self.server.mode, request["method"], request["params"]
        expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        if mode == "401" or self.headers.get("Authorization") != expected:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="jsonrpc"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        envelope = {"result": None, "error": None, "id": request["id"]}
        if mode == "500":
            self.reply(500, "Internal Server Error", "text/plain")
        elif method == "getblockcount" and params == []:
            count = {"wrong-count": "871234", "negative-count": -1}.get(mode, TIP)
            self.reply(200, {**envelope, "result": count})
        elif method == "getblockstats" and params == [TIP, ["avgfeerate", "height", "time"]]:
            if mode == "rpc-error":
                error = {"code": -8, "message": "Block not found"}
                self.reply(500, {**envelope, "error": error})
            elif mode == "wrong-stats":
                self.reply(200, {**envelope, "result": {**STATS, "avgfeerate": "21"}})
            elif mode == "missing-time":
                self.reply(200, {**envelope, "result": {"avgfeerate": 21, "height": TIP}})
            else:
                self.reply(200, {**envelope, "result": STATS})
        else:
            error = {"code": -32601, "message": "Method not found"}
            self.reply(404, {**envelope, "error": error})

    def do_GET(self):
        self.server.calls.append(self.path)
        if self.common():
            return
        mode = self.server.mode
        if self.path == "/r/blockheight":
            height = {"wrong-height": {"height": TIP}, "500": None}.get(mode, TIP)
            if height is None:
                self.reply(500, "internal error", "text/plain")
            else:
                self.reply(200, json.dumps(height))
        elif self.path == f"/r/blockinfo/{TIP}":
            if mode == "404":
                self.reply(404, f"block {TIP} not found", "text/plain")
            elif mode == "wrong-info":
                self.reply(200, {**BLOCKINFO, "timestamp": "yesterday"})
            else:
                self.reply(200, BLOCKINFO)
        else:
            self.reply(404, "not found", "text/plain")


@pytest.fixture
def node(monkeypatch):
    """A fake bitcoind / ord server on 127.0.0.1 in a thread; teardown releases any hang."""
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeNode)
    server.daemon_threads = False  # so server_close() joins every handler thread
    server.mode, server.calls, server.release = "ok", [], threading.Event()
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01})
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()
    thread.join()


def rpc_url(node) -> str:
    return node.url.replace("http://", f"http://{USER}:s3cr3t%3Apw@")


def test_rpc_reads_the_tip_block(node):
    state = chainrpc.from_rpc(node.url, user=USER, password=PASSWORD)
    assert state == ChainState(time=float(BLOCK_TIME), height=TIP, fee_rate=21.0)
    assert [c["method"] for c in node.calls] == ["getblockcount", "getblockstats"]
    assert all(c["jsonrpc"] == "1.0" for c in node.calls)


def test_rpc_takes_credentials_from_the_source_url(node):
    state = chain.resolve("rpc+" + rpc_url(node))
    assert (state.height, state.fee_rate) == (TIP, 21.0)


def test_rpc_wrong_password_is_401_and_never_shows_the_password(node):
    with pytest.raises(ChainStateError, match="401") as err:
        chain.resolve(f"rpc+{node.url.replace('//', '//alice:hunter2@')}")
    assert "hunter2" not in str(err.value)
    assert "getblockcount" in str(err.value)


@pytest.mark.parametrize(
    "mode, words",
    [
        ("401", ["HTTP 401", "user or password"]),
        ("500", ["HTTP 500", "Internal Server Error"]),
        ("rpc-error", ["getblockstats", "RPC error -8", "Block not found"]),
        ("garbage", ["expected a JSON-RPC reply", "502 Bad Gateway"]),
        ("not-http", ["no valid HTTP reply"]),
        ("wrong-count", ["getblockcount", "'result'", "integer", '"871234"']),
        ("negative-count", ["getblockcount", "-1"]),
        ("wrong-stats", ["getblockstats", "'avgfeerate'", "number"]),
        ("missing-time", ["getblockstats", "'time'", "missing"]),
    ],
)
def test_rpc_bad_replies_are_one_line_errors(node, mode, words):
    node.mode = mode
    with pytest.raises(ChainStateError) as err:
        chain.resolve("rpc+" + rpc_url(node))
    message = str(err.value)
    assert "\n" not in message and PASSWORD not in message and "s3cr3t" not in message
    assert f"bitcoind {node.url}/" in message
    for word in words:
        assert word in message


def test_rpc_hang_times_out(node):
    node.mode = "hang"
    with pytest.raises(ChainStateError, match=r"timed out after 0\.3 s"):
        chain.resolve("rpc+" + rpc_url(node), timeout=0.3)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_connection_refused_names_the_source():
    port = closed_port()
    with pytest.raises(ChainStateError, match="connection refused") as err:
        chainrpc.from_rpc(f"http://127.0.0.1:{port}", user=USER, password=PASSWORD, timeout=2)
    assert f"127.0.0.1:{port}" in str(err.value) and PASSWORD not in str(err.value)
    with pytest.raises(ChainStateError, match="connection refused"):
        chain.resolve(f"ord+http://127.0.0.1:{port}", timeout=2)


def test_ord_reads_blockheight_then_blockinfo(node):
    state = chain.resolve("ord+" + node.url + "/")
    assert state == ChainState(time=float(BLOCK_TIME), height=TIP, fee_rate=13.0)
    assert node.calls == ["/r/blockheight", f"/r/blockinfo/{TIP}"]


@pytest.mark.parametrize(
    "mode, words",
    [
        ("404", ["HTTP 404", f"/r/blockinfo/{TIP}", "not found"]),
        ("500", ["HTTP 500", "/r/blockheight"]),
        ("garbage", ["expected JSON", "502 Bad Gateway"]),
        ("not-http", ["no valid HTTP reply"]),
        ("wrong-height", ["/r/blockheight", "integer", '{"height": 871234}']),
        ("wrong-info", ["'timestamp'", "number", "yesterday"]),
    ],
)
def test_ord_bad_replies_are_one_line_errors(node, mode, words):
    node.mode = mode
    with pytest.raises(ChainStateError) as err:
        chainrpc.from_ord(node.url)
    message = str(err.value)
    assert "\n" not in message and message.startswith(f"ord {node.url}/r/")
    for word in words:
        assert word in message


def test_ord_hang_times_out(node):
    node.mode = "hang"
    with pytest.raises(ChainStateError, match=r"timed out after 0\.3 s"):
        chainrpc.from_ord(node.url, timeout=0.3)


def test_explicit_values_override_a_network_source(node):
    state = chain.resolve("ord+" + node.url, time="2030-01-01T00:00:00Z", fee_rate=1)
    assert state == ChainState(time=1893456000.0, height=chain.UNKNOWN_HEIGHT, fee_rate=1.0)


def write_json(tmp_path, obj, name="block.json"):
    path = tmp_path / name
    path.write_text(obj if isinstance(obj, str) else json.dumps(obj))
    return path


def test_file_source_reads_getblockstats_bare_and_in_its_envelope(tmp_path):
    expected = ChainState(time=float(BLOCK_TIME), height=TIP, fee_rate=21.0)
    bare = write_json(tmp_path, {**STATS, "avgfee": 3000, "blockhash": "00ab"})
    assert chain.from_file(bare) == expected
    wrapped = write_json(tmp_path, {"result": STATS, "error": None, "id": 1}, "rpc.json")
    assert chain.resolve(str(wrapped)) == expected
    assert chain.resolve(f"file:{bare}") == expected


def test_file_source_reads_ord_blockinfo_and_its_own_json(tmp_path):
    ord_file = write_json(tmp_path, BLOCKINFO)
    assert chain.from_file(ord_file).fee_rate == 13.0
    own = write_json(tmp_path, DEFAULT_CHAIN_STATE.to_json(), "state.json")
    assert chain.from_file(own) == DEFAULT_CHAIN_STATE


@pytest.mark.parametrize(
    "content, words",
    [
        ("{not json", ["not valid JSON", "line 1"]),
        ([1, 2], ["expected a JSON object", "'time'"]),
        ({"height": TIP, "avgfeerate": 3}, ["field 'time'", "missing"]),
        ({"time": BLOCK_TIME, "height": TIP}, ["field 'avgfeerate'", "missing"]),
        ({**STATS, "avgfeerate": -1}, ["field 'avgfeerate'", ">= 0", "-1"]),
        ({**STATS, "time": "soon"}, ["field 'time'", "number", "soon"]),
        ({**STATS, "height": 1.5}, ["field 'height'", "integer"]),
        ({"result": None, "error": {"code": -8, "message": "x"}, "id": 1}, ["RPC error"]),
    ],
)
def test_bad_files_name_the_file_and_field(tmp_path, content, words):
    path = write_json(tmp_path, content)
    with pytest.raises(ChainStateError) as err:
        chain.from_file(path)
    assert str(err.value).startswith(str(path))
    for word in words:
        assert word in str(err.value)


def test_missing_file_and_unknown_source(tmp_path):
    with pytest.raises(ChainStateError, match="cannot read"):
        chain.resolve(str(tmp_path / "absent.json"))
    with pytest.raises(ChainStateError, match="unknown chain source") as err:
        chain.resolve("http://bob:topsecret@example.org")
    assert "topsecret" not in str(err.value)


def test_default_and_explicit_values():
    assert chain.resolve(None) == chain.resolve("default") == DEFAULT_CHAIN_STATE
    state = chain.from_values("2024-11-25T10:40:00Z", "12.4", height=871000)
    assert state == DEFAULT_CHAIN_STATE
    assert chain.resolve(None, time=1.0e9).time == 1.0e9
    for bad in ({"fee_rate": -1}, {"fee_rate": float("inf")}, {"time": "noon"}):
        with pytest.raises(ChainStateError):
            chain.from_values(**{"time": 0, "fee_rate": 1, **bad})


def test_fee_rate_maps_to_the_animation_pace():
    calm = animation(1.0, "Standard")  # log10(1) = 0: the calmest
    assert (calm.activity, calm.spark_interval) == (pytest.approx(0.2), 15)
    assert animation(0.0, "Standard").spark_interval == 15
    busy = animation(10_000.0, "Standard")  # tanh(4) = 0.9993
    assert busy.activity == pytest.approx(0.8, abs=1e-3) and busy.spark_interval == 2
    rates = [0.5, 1, 2, 5, 10, 20, 50, 100, 500, 5000]
    activities = [animation(r, "Basic").activity for r in rates]
    intervals = [animation(r, "Basic").spark_interval for r in rates]
    assert activities == sorted(activities) and intervals == sorted(intervals, reverse=True)
    assert len(set(intervals)) > 5  # the pace really changes across everyday fee rates
    assert calm.sparks_per_event(10) == 2 and busy.sparks_per_event(10) == 7
    mid = animation(13, "Advanced")
    assert mid.sparks_per_event(37) == math.floor(37 * mid.activity)
    assert mid.sparks_per_event(0) == 0


def test_acceleration_sets_reveal_and_sweep_frames():
    frames = {a: animation(12.4, a) for a in ("Basic", "Standard", "Advanced")}
    assert [(f.reveal_frames_per_layer, f.sweep_frames_per_layer) for f in frames.values()] == [
        (30, 40),
        (15, 20),
        (2, 10),
    ]
