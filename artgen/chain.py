"""Chain state (SPEC section 4): the moment a portrait is drawn for, and what the fee rate does.

A `ChainState` is a block time (Unix seconds, UTC), a height and a fee rate (average sat/vB).
`resolve(source, time=..., fee_rate=...)` is the one entry point; `source` is one of:

- ``None`` or ``"default"``: `DEFAULT_CHAIN_STATE`, embedded, for offline use;
- ``"file:PATH"`` or a path ending ``.json``: Bitcoin Core ``getblockstats`` output (``time``,
  ``height``, ``avgfeerate``), bare or in its JSON-RPC envelope; an ord ``/r/blockinfo`` reply
  (``timestamp``, ``average_fee_rate``) and `ChainState.to_json` output are accepted too;
- ``"rpc+http://USER:PASS@HOST:PORT"``: a Bitcoin Core JSON-RPC endpoint (``getblockcount``, then
  ``getblockstats`` at that height; port 8332 when none is given; ``rpc+https://`` also works);
- ``"ord+http://HOST:PORT"``: an ord server's recursion endpoints (``/r/blockheight``, then
  ``/r/blockinfo/<height>``); ``ord+https://ordinals.com`` also works.

Explicit ``time`` (ISO 8601 UTC or Unix seconds) and ``fee_rate`` replace the source's values.
Every failure is a one-line `ChainStateError` naming the source (never a password) and field.
"""

from __future__ import annotations

import base64
import dataclasses
import http.client
import json
import math
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .errors import ChainStateError


@dataclass(frozen=True)
class ChainState:
    """One block's time, height and average fee rate."""

    time: float
    height: int
    fee_rate: float

    def to_json(self) -> dict:
        return {"time": self.time, "height": self.height, "fee_rate": self.fee_rate}


#: Embedded default for offline use: a fixed moment (2024-11-25T10:40:00Z), height and fee rate.
DEFAULT_CHAIN_STATE = ChainState(time=1732531200.0, height=871000, fee_rate=12.4)


@dataclass(frozen=True)
class Animation:
    """Animation parameters that follow from the fee rate and Hardware Acceleration."""

    activity: float  # f in [0.2, 0.8]
    spark_interval: int  # frames between spark events
    reveal_frames_per_layer: int
    sweep_frames_per_layer: int

    def sparks_per_event(self, live_nodes: int) -> int:
        """How many live nodes one spark event lights."""
        return int(math.floor(live_nodes * self.activity))


#: Hardware Acceleration -> (reveal frames per layer, classification sweep frames per layer).
ACCELERATION_FRAMES = {"Basic": (30, 40), "Standard": (15, 20), "Advanced": (2, 10)}


def fee_activity(fee_rate: float) -> float:
    """f = tanh(log10(fee rate)) clamped to [0, 1], mapped linearly to [0.2, 0.8]."""
    if not fee_rate > 0 or math.isnan(fee_rate):
        f = 0.0
    else:
        f = min(1.0, max(0.0, math.tanh(math.log10(fee_rate))))
    return 0.2 + 0.6 * f


def spark_interval(activity: float) -> int:
    """Frames between spark events: 15 at activity 0.2 down to 2 at 0.8, linearly."""
    x = (activity - 0.2) / 0.6
    return int(round(15 - 13 * min(1.0, max(0.0, x))))


def animation(fee_rate: float, acceleration: str) -> Animation:
    """The animation parameters for a fee rate and a Hardware Acceleration trait."""
    f = fee_activity(fee_rate)
    reveal, sweep = ACCELERATION_FRAMES.get(acceleration, ACCELERATION_FRAMES["Standard"])
    return Animation(f, spark_interval(f), reveal, sweep)


# Unix seconds of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the range datetime can format.
_MIN_TIME, _MAX_TIME = -62135596800.0, 253402300799.0


def parse_time(text: str | float | int, source: str = "time", field: str | None = None) -> float:
    """ISO 8601 (UTC unless it says otherwise) or Unix seconds -> Unix seconds."""
    if isinstance(text, int | float) and not isinstance(text, bool):
        t = float(text)
    else:
        s = str(text).strip()
        try:
            t = float(s)
        except ValueError:
            try:
                dt = datetime.fromisoformat(s.replace("Z", "+00:00"))
            except ValueError:
                raise ChainStateError(
                    f"expected ISO 8601 UTC (2024-11-25T12:00:00Z) or Unix seconds, got {s!r}",
                    source=source,
                    field=field,
                ) from None
            if dt.tzinfo is None:
                dt = dt.replace(tzinfo=UTC)
            t = dt.timestamp()
    if not _MIN_TIME <= t <= _MAX_TIME:  # also rejects NaN
        raise ChainStateError(
            f"expected a time between years 1 and 9999, got {text!r}", source=source, field=field
        )
    return t


def format_time(t: float) -> str:
    """Unix seconds -> ISO 8601 UTC ('2024-11-25T12:00:00Z')."""
    return datetime.fromtimestamp(t, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


DEFAULT_TIMEOUT = 10.0  # seconds per network operation
_MAX_REPLY = 1 << 20  # bytes; a getblockstats or blockinfo reply is about 1 kB
_BITCOIND_PORT = 8332  # Bitcoin Core's mainnet RPC port
_STATS = ["avgfeerate", "height", "time"]  # ask getblockstats only for what we use


def from_values(time: str | float, fee_rate: float | str, height: int = 0) -> ChainState:
    """A chain state from explicit values (time: ISO 8601 UTC or Unix seconds; fee rate sat/vB)."""
    return ChainState(
        time=parse_time(time, source="time"),
        height=_number(height, "height", None, integer=True),
        fee_rate=_fee_rate(fee_rate, "fee_rate"),
    )


def from_file(path: str | Path) -> ChainState:
    """A chain state from a JSON file: `getblockstats` output (or its JSON-RPC envelope)."""
    source = str(path)
    try:
        data = json.loads(Path(path).read_bytes())
    except OSError as err:
        raise ChainStateError(
            f"cannot read the file: {err.strerror or err}", source=source
        ) from None
    except json.JSONDecodeError as err:
        raise ChainStateError(
            f"not valid JSON ({err.msg} at line {err.lineno} column {err.colno})", source=source
        ) from None
    except ValueError:
        raise ChainStateError("not UTF-8 JSON text", source=source) from None
    if isinstance(data, dict) and "result" in data and "error" in data:
        if data["error"] is not None:
            raise ChainStateError(f"holds an RPC error: {_show(data['error'])}", source=source)
        data = data["result"]
    return _block_state(
        data, source, ("time", "timestamp"), ("avgfeerate", "average_fee_rate", "fee_rate")
    )


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
    height = _number(count, f"{source} getblockcount", "result", integer=True)
    stats = _rpc_call(endpoint, "getblockstats", [height, _STATS], source, auth, timeout)
    return _block_state(stats, f"{source} getblockstats", ("time",), ("avgfeerate",), height)


def from_ord(url: str, timeout: float = DEFAULT_TIMEOUT) -> ChainState:
    """The latest block from an ord server: `/r/blockheight`, then `/r/blockinfo/<height>`."""
    endpoint, user, password = _split_url(url)
    auth = None if user is None else f"{user}:{password or ''}"
    base = endpoint.rstrip("/")
    where = f"ord {base}/r/blockheight"
    height = _number(_ord_get(f"{base}/r/blockheight", where, auth, timeout), where, None, True)
    where = f"ord {base}/r/blockinfo/{height}"
    info = _ord_get(f"{base}/r/blockinfo/{height}", where, auth, timeout)
    return _block_state(info, where, ("timestamp",), ("average_fee_rate",), height)


def resolve(
    source: str | None,
    *,
    time: str | float | None = None,
    fee_rate: float | str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> ChainState:
    """The chain state for a source string (see the module docstring), with explicit overrides."""
    text = "" if source is None else str(source).strip()
    if not text or text.lower() == "default":
        state = DEFAULT_CHAIN_STATE
    elif text.startswith("file:"):
        state = from_file(text[len("file:") :])
    elif text.lower().endswith(".json"):
        state = from_file(text)
    elif text.startswith("rpc+"):
        state = from_rpc(text[len("rpc+") :], timeout=timeout)
    elif text.startswith("ord+"):
        state = from_ord(text[len("ord+") :], timeout=timeout)
    else:
        raise ChainStateError(
            "unknown chain source; expected 'default', 'file:PATH', PATH.json, "
            "'rpc+http://USER:PASS@HOST:PORT' or 'ord+http://HOST:PORT'",
            source=source_label(text),
        )
    if time is not None:
        state = dataclasses.replace(state, time=parse_time(time, source="time"))
    if fee_rate is not None:
        state = dataclasses.replace(state, fee_rate=_fee_rate(fee_rate, "fee_rate"))
    return state


def source_label(source: str | None) -> str:
    """A source string fit to print: 'default' for None, any password in a URL masked."""
    text = "" if source is None else str(source).strip()
    if not text:
        return "default"
    scheme, sep, rest = text.partition("://")
    if sep and "@" in rest.split("/", 1)[0]:
        userinfo, _, hostpart = rest.partition("@")
        user = userinfo.split(":", 1)[0]
        return f"{scheme}://{user}:***@{hostpart}" if ":" in userinfo else text
    return text


def summary(state: ChainState, source: str | None = None) -> dict:
    """A chain state and its fee-rate animation parameters, as plain JSON-ready data."""
    activity = fee_activity(state.fee_rate)
    return {
        "source": source_label(source),
        "time": state.time,
        "time_iso": format_time(state.time),
        "height": state.height,
        "fee_rate": state.fee_rate,
        "activity": activity,
        "spark_interval": spark_interval(activity),
    }


def _fee_rate(value: float | str, source: str) -> float:
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            raise ChainStateError(
                f"expected a number of sat/vB, got {value!r}", source=source
            ) from None
    return _number(value, source, None)


def _number(value: object, source: str, field: str | None, integer: bool = False):
    """A finite number >= 0 (a whole one if `integer`), or a ChainStateError saying so."""
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    ok = ok and math.isfinite(value) and value >= 0 and (not integer or value == int(value))
    if not ok:
        what = "an integer >= 0" if integer else "a finite number >= 0"
        raise ChainStateError(f"expected {what}, got {_show(value)}", source=source, field=field)
    return int(value) if integer else float(value)


def _block_state(block, source, time_keys, fee_keys, height: int | None = None) -> ChainState:
    """A ChainState from one block's JSON object, reading the first of each key tuple present."""
    if not isinstance(block, dict):
        raise ChainStateError(
            f"expected a JSON object with {time_keys[0]!r} and {fee_keys[0]!r}, got {_show(block)}",
            source=source,
        )
    values = []
    for keys in (time_keys, fee_keys):
        key = next((k for k in keys if k in block), None)
        if key is None:
            also = f" (or {', '.join(map(repr, keys[1:]))})" if len(keys) > 1 else ""
            raise ChainStateError(f"missing{also}", source=source, field=keys[0])
        values.append((key, _number(block[key], source, key)))
    (time_key, t), (_, fee) = values
    if "height" in block:
        height = _number(block["height"], source, "height", integer=True)
    return ChainState(parse_time(t, source, time_key), height or 0, fee)


def _show(value: object) -> str:
    """A short printable form of a JSON value or reply body, for error messages."""
    if isinstance(value, bytes):  # a reply body: its text, quoted
        text = " ".join(value.decode("utf-8", "replace").split())
        return repr(text if len(text) <= 60 else text[:57] + "...")
    text = json.dumps(value, default=str)  # a JSON value: as JSON, so "12" and 12 differ
    return text if len(text) <= 60 else text[:57] + "..."


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
            msg = f"RPC error {_show(error)}"
        raise ChainStateError(msg, source=where)
    if status != 200:
        raise ChainStateError(f"HTTP {status}: {_show(body)}", source=where)
    if not isinstance(reply, dict) or "result" not in reply:
        shown = _show(body) if reply is _NOT_JSON else _show(reply)
        raise ChainStateError(f"expected a JSON-RPC reply with 'result', got {shown}", source=where)
    return reply["result"]


def _ord_get(url: str, source: str, auth, timeout: float):
    """One GET of an ord recursion endpoint: its JSON value, or a ChainStateError."""
    request = urllib.request.Request(url, headers=_headers(auth), method="GET")
    status, body = _fetch(_ORD_OPENER, request, source, timeout)
    if status != 200:
        raise ChainStateError(f"HTTP {status}: {_show(body)}", source=source)
    reply = _json_body(body)
    if reply is _NOT_JSON:
        raise ChainStateError(f"expected JSON, got {_show(body)}", source=source)
    return reply
