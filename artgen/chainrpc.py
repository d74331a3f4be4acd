"""Live chain sources: the latest block from Bitcoin Core's JSON-RPC or an ord server.

Both read one block's time and average fee rate over HTTP(S) through `artgen.chainhttp`: one
deadline for the whole exchange, a bounded reply, credentials only for their own origin, and
every failure a one-line `ChainStateError` naming the endpoint (never a password). Replies are
read as strict JSON (`artgen.jsontext`: no duplicate keys, bounded nesting).
`artgen.chain.resolve` calls them for "rpc+" and "ord+" sources; they read blocks with
`artgen.chainstate`, never with `artgen.chain`.
"""

from __future__ import annotations

import json
import urllib.parse

from . import jsontext
from .chainhttp import Exchange
from .chainstate import (
    DEFAULT_TIMEOUT,
    ChainState,
    block_state,
    number_field,
    show_value,
    source_label,
)
from .errors import ChainStateError

_BITCOIND_PORT = 8332  # Bitcoin Core's mainnet RPC port
_STATS = ["avgfeerate", "height", "time"]  # ask getblockstats only for what we use


def from_rpc(
    url: str,
    user: str | None = None,
    password: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> ChainState:
    """The latest block from Bitcoin Core JSON-RPC: `getblockcount`, then `getblockstats`.

    `timeout` is the deadline of the whole exchange, in seconds (`limits.NETWORK_SECONDS` at
    most)."""
    endpoint, url_user, url_password = _split_url(url, default_port=_BITCOIND_PORT)
    user = url_user if user is None else user
    password = url_password if password is None else password
    auth = None if user is None and password is None else f"{user or ''}:{password or ''}"
    source = f"bitcoind {endpoint}"
    with Exchange(auth, timeout) as exchange:
        count = _rpc_call(exchange, endpoint, "getblockcount", [], source)
        height = number_field(count, f"{source} getblockcount", "result", integer=True)
        stats = _rpc_call(exchange, endpoint, "getblockstats", [height, _STATS], source)
        return block_state(stats, f"{source} getblockstats", ("time",), ("avgfeerate",), height)


def from_ord(url: str, timeout: float = DEFAULT_TIMEOUT) -> ChainState:
    """The latest block from an ord server: `/r/blockheight`, then `/r/blockinfo/<height>`."""
    endpoint, user, password = _split_url(url)
    auth = None if user is None else f"{user}:{password or ''}"
    base = endpoint.rstrip("/")
    with Exchange(auth, timeout) as exchange:
        where = f"ord {base}/r/blockheight"
        reply = _ord_get(exchange, f"{base}/r/blockheight", where)
        height = number_field(reply, where, None, True)
        where = f"ord {base}/r/blockinfo/{height}"
        info = _ord_get(exchange, f"{base}/r/blockinfo/{height}", where)
        return block_state(info, where, ("timestamp",), ("average_fee_rate",), height)


def _split_url(url: str, default_port: int | None = None) -> tuple[str, str | None, str | None]:
    """(URL without credentials, user, password) from 'http(s)://[user[:pass]@]host[:port]/path'."""
    text = url.strip() if "://" in url else f"http://{url.strip()}"
    try:
        parts = urllib.parse.urlsplit(text)
        hostname = parts.hostname
    except ValueError as err:  # "Invalid IPv6 URL": an unclosed [
        raise ChainStateError(f"not a valid URL ({err})", source=source_label(text)) from None
    if parts.scheme not in ("http", "https") or not hostname:
        raise ChainStateError(
            "expected an http:// or https:// URL with a host", source=source_label(text)
        )
    if any(ord(c) < 33 or ord(c) == 127 for c in text):
        raise ChainStateError(
            "expected a URL without spaces or control characters", source=source_label(text)
        )
    try:
        port = parts.port
    except ValueError:
        raise ChainStateError(
            "the port is not a number 0-65535", source=source_label(text)
        ) from None
    if port is None and parts.scheme == "http":
        port = default_port
    host = f"[{hostname}]" if ":" in hostname else hostname
    netloc = host if port is None else f"{host}:{port}"
    clean = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path or "/", "", ""))
    unquote = urllib.parse.unquote
    user = None if parts.username is None else unquote(parts.username)
    password = None if parts.password is None else unquote(parts.password)
    return clean, user, password


def _json_body(body: bytes):
    """The reply body as strict JSON, or _NOT_JSON."""
    try:
        return jsontext.loads(body)
    except jsontext.JSONTextError:
        return _NOT_JSON


_NOT_JSON = object()


def _rpc_call(exchange: Exchange, endpoint: str, method: str, params: list, source: str):
    """One JSON-RPC 1.0 call to bitcoind: its `result`, or a ChainStateError."""
    payload = {"jsonrpc": "1.0", "id": "artgen", "method": method, "params": params}
    where = f"{source} {method}"
    status, body = exchange.fetch("POST", endpoint, where, json.dumps(payload).encode())
    if status == 401:
        msg = "HTTP 401 Unauthorized: wrong RPC user or password (rpcuser/rpcauth, or the cookie)"
        raise ChainStateError(msg, source=where)
    reply = _json_body(body)
    if isinstance(reply, dict) and reply.get("error") is not None:
        error = reply["error"]
        if isinstance(error, dict) and "message" in error:
            msg = f"RPC error {error.get('code', '?')}: {str(error['message'])[:200]}"
        else:
            msg = f"RPC error {show_value(error)}"
        raise ChainStateError(msg, source=where)
    if status != 200:
        raise ChainStateError(f"HTTP {status}: {show_value(body)}", source=where)
    if not isinstance(reply, dict) or "result" not in reply:
        shown = show_value(body) if reply is _NOT_JSON else show_value(reply)
        raise ChainStateError(f"expected a JSON-RPC reply with 'result', got {shown}", source=where)
    return reply["result"]


def _ord_get(exchange: Exchange, url: str, source: str):
    """One GET of an ord recursion endpoint: its JSON value, or a ChainStateError."""
    status, body = exchange.fetch("GET", url, source)
    if status != 200:
        raise ChainStateError(f"HTTP {status}: {show_value(body)}", source=source)
    reply = _json_body(body)
    if reply is _NOT_JSON:
        raise ChainStateError(f"expected JSON, got {show_value(body)}", source=source)
    return reply
