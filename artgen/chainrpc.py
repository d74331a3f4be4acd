"""Live chain sources: the latest block from Bitcoin Core's JSON-RPC or an ord server.

Both read one block's time and average fee rate over HTTP(S), with a timeout, a bounded reply
size and no redirects for credentials to follow; every failure is a one-line `ChainStateError`
naming the endpoint (never a password). `artgen.chain.resolve` calls them for "rpc+" and "ord+"
sources; they read blocks with `artgen.chainstate`, never with `artgen.chain`.
"""

from __future__ import annotations

import base64
import http.client
import json
import socket
import urllib.error
import urllib.parse
import urllib.request

from .chainstate import (
    DEFAULT_TIMEOUT,
    ChainState,
    block_state,
    number_field,
    show_value,
    source_label,
)
from .errors import ChainStateError

_MAX_REPLY = 1 << 20  # bytes; a getblockstats or blockinfo reply is about 1 kB
_BITCOIND_PORT = 8332  # Bitcoin Core's mainnet RPC port
_STATS = ["avgfeerate", "height", "time"]  # ask getblockstats only for what we use


def from_rpc(
    url: str,
    user: str | None = None,
    password: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> ChainState:
    """The latest block from Bitcoin Core JSON-RPC: `getblockcount`, then `getblockstats`."""
    endpoint, url_user, url_password = _split_url(url, default_port=_BITCOIND_PORT)
    user = url_user if user is None else user
    password = url_password if password is None else password
    auth = None if user is None and password is None else f"{user or ''}:{password or ''}"
    source = f"bitcoind {endpoint}"
    count = _rpc_call(endpoint, "getblockcount", [], source, auth, timeout)
    height = number_field(count, f"{source} getblockcount", "result", integer=True)
    stats = _rpc_call(endpoint, "getblockstats", [height, _STATS], source, auth, timeout)
    return block_state(stats, f"{source} getblockstats", ("time",), ("avgfeerate",), height)


def from_ord(url: str, timeout: float = DEFAULT_TIMEOUT) -> ChainState:
    """The latest block from an ord server: `/r/blockheight`, then `/r/blockinfo/<height>`."""
    endpoint, user, password = _split_url(url)
    auth = None if user is None else f"{user}:{password or ''}"
    base = endpoint.rstrip("/")
    where = f"ord {base}/r/blockheight"
    height = number_field(
        _ord_get(f"{base}/r/blockheight", where, auth, timeout), where, None, True
    )
    where = f"ord {base}/r/blockinfo/{height}"
    info = _ord_get(f"{base}/r/blockinfo/{height}", where, auth, timeout)
    return block_state(info, where, ("timestamp",), ("average_fee_rate",), height)


def _split_url(url: str, default_port: int | None = None) -> tuple[str, str | None, str | None]:
    """(URL without credentials, user, password) from 'http(s)://[user[:pass]@]host[:port]/path'."""
    text = url.strip() if "://" in url else f"http://{url.strip()}"
    parts = urllib.parse.urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ChainStateError(
            "expected an http:// or https:// URL with a host", source=source_label(text)
        )
    try:
        port = parts.port
    except ValueError:
        raise ChainStateError(
            "the port is not a number 0-65535", source=source_label(text)
        ) from None
    if port is None and parts.scheme == "http":
        port = default_port
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    netloc = host if port is None else f"{host}:{port}"
    clean = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path or "/", "", ""))
    unquote = urllib.parse.unquote
    user = None if parts.username is None else unquote(parts.username)
    password = None if parts.password is None else unquote(parts.password)
    return clean, user, password


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report a redirect as the HTTP error it is, so credentials never follow it elsewhere."""

    def redirect_request(self, *args, **kwargs):
        return None


_RPC_OPENER = urllib.request.build_opener(_NoRedirect)
_ORD_OPENER = urllib.request.build_opener()


def _fetch(opener, request, source: str, timeout: float) -> tuple[int, bytes]:
    """(HTTP status, body) for a request; any network failure becomes a ChainStateError."""
    try:
        try:
            reply = opener.open(request, timeout=timeout)
        except urllib.error.HTTPError as err:
            reply = err
        with reply:
            body = reply.read(_MAX_REPLY + 1) if getattr(reply, "fp", None) is not None else b""
            status = reply.getcode()
    except urllib.error.URLError as err:
        reason = err.reason
        if isinstance(reason, TimeoutError):
            raise ChainStateError(f"timed out after {timeout:g} s", source=source) from None
        if isinstance(reason, ConnectionRefusedError):
            msg = "connection refused (is the server running, and is the port right?)"
        elif isinstance(reason, socket.gaierror):
            msg = "cannot resolve the host name"
        else:
            msg = f"cannot connect: {getattr(reason, 'strerror', None) or reason}"
        raise ChainStateError(msg, source=source) from None
    except TimeoutError:
        raise ChainStateError(f"timed out after {timeout:g} s", source=source) from None
    except (http.client.HTTPException, OSError) as err:
        msg = f"no valid HTTP reply ({type(err).__name__}: {err})"
        raise ChainStateError(msg, source=source) from None
    if len(body) > _MAX_REPLY:
        raise ChainStateError(f"reply larger than {_MAX_REPLY} bytes", source=source)
    return status, body


def _headers(auth: str | None) -> dict:
    headers = {"Accept": "application/json", "User-Agent": "artgen"}
    if auth is not None:
        headers["Authorization"] = "Basic " + base64.b64encode(auth.encode()).decode("ascii")
    return headers


def _json_body(body: bytes):
    """The reply body as JSON, or _NOT_JSON."""
    try:
        return json.loads(body)
    except ValueError:
        return _NOT_JSON


_NOT_JSON = object()


def _rpc_call(endpoint: str, method: str, params: list, source: str, auth, timeout: float):
    """One JSON-RPC 1.0 call to bitcoind: its `result`, or a ChainStateError."""
    payload = {"jsonrpc": "1.0", "id": "artgen", "method": method, "params": params}
    headers = {**_headers(auth), "Content-Type": "application/json"}
    request = urllib.request.Request(
        endpoint, data=json.dumps(payload).encode(), headers=headers, method="POST"
    )
    where = f"{source} {method}"
    status, body = _fetch(_RPC_OPENER, request, where, timeout)
    if status == 401:
        msg = "HTTP 401 Unauthorized: wrong RPC user or password (rpcuser/rpcauth, or the cookie)"
        raise ChainStateError(msg, source=where)
    reply = _json_body(body)
    if isinstance(reply, dict) and reply.get("error") is not None:
        error = reply["error"]
        if isinstance(error, dict) and "message" in error:
            msg = f"RPC error {error.get('code', '?')}: {error['message']}"
        else:
            msg = f"RPC error {show_value(error)}"
        raise ChainStateError(msg, source=where)
    if status != 200:
        raise ChainStateError(f"HTTP {status}: {show_value(body)}", source=where)
    if not isinstance(reply, dict) or "result" not in reply:
        shown = show_value(body) if reply is _NOT_JSON else show_value(reply)
        raise ChainStateError(f"expected a JSON-RPC reply with 'result', got {shown}", source=where)
    return reply["result"]


def _ord_get(url: str, source: str, auth, timeout: float):
    """One GET of an ord recursion endpoint: its JSON value, or a ChainStateError."""
    request = urllib.request.Request(url, headers=_headers(auth), method="GET")
    status, body = _fetch(_ORD_OPENER, request, source, timeout)
    if status != 200:
        raise ChainStateError(f"HTTP {status}: {show_value(body)}", source=source)
    reply = _json_body(body)
    if reply is _NOT_JSON:
        raise ChainStateError(f"expected JSON, got {show_value(body)}", source=source)
    return reply
