"""The HTTP exchange of a live chain source, within budgets and without leaking credentials.

One `Exchange` is one source's conversation with one endpoint (both calls of `from_rpc` or
`from_ord`). It has one deadline for everything (`limits.NETWORK_SECONDS`: resolving the host
name, connect, headers, body, every call and redirect): a resolver that never answers is left
behind at the deadline (getaddrinfo cannot be interrupted, so it runs on a thread), and a server
that sends a header line every few seconds, or trickles a chunked body, never trips a per-read
timeout, so a timer shuts the socket when the deadline passes. Replies are read up to
`limits.CHAIN_BYTES`. Credentials go only to the origin they were given for: a redirect
elsewhere is refused while they are set, and POST follows none. Messages never hold the password
or the Authorization header's token.
"""

from __future__ import annotations

import base64
import http.client
import socket
import ssl
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

from . import limits
from .errors import ChainStateError, LimitError

_REDIRECTS = (301, 302, 303, 307, 308)
_MAX_REDIRECTS = 5


def origin(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an http(s) URL: where its credentials may go."""
    parts = urllib.parse.urlsplit(url)
    default = 443 if parts.scheme == "https" else 80
    return parts.scheme, (parts.hostname or "").lower(), parts.port or default


def public_url(url: str) -> str:
    """A URL fit to print: no user, password or query."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, "", ""))


@dataclass
class Exchange:
    """Requests to one endpoint with its credentials ("user:password" or None) and deadline."""

    auth: str | None
    seconds: float
    deadline: float = field(init=False)

    def __post_init__(self) -> None:
        self.seconds = min(float(self.seconds), float(limits.NETWORK_SECONDS.high))
        self.deadline = time.monotonic() + self.seconds

    def _token(self) -> str:
        return base64.b64encode((self.auth or "").encode()).decode("ascii")

    def secrets(self) -> list[str]:
        """What must never be printed: the password, and the Authorization header's token."""
        if self.auth is None:
            return []
        password = self.auth.partition(":")[2]
        found = {self._token(), password, urllib.parse.quote(password, safe="")}
        return sorted((s for s in found if len(s) >= 3), key=len, reverse=True)

    def __enter__(self) -> Exchange:
        return self

    def __exit__(self, kind, err, tb) -> bool:
        """Let an error pass out only once every secret is redacted from its message."""
        if isinstance(err, ChainStateError | LimitError):
            text = clean = str(err)
            for secret in self.secrets():
                clean = clean.replace(secret, "***")
            if clean != text:
                raise type(err)(clean) from None
        return False

    def fetch(self, method: str, url: str, source: str, body: bytes | None = None):
        """(HTTP status, body) of one request, following GET redirects only where the
        credentials may go; a failure or a passed deadline is a ChainStateError."""
        headers = {"Accept": "application/json", "User-Agent": "artgen", "Connection": "close"}
        if self.auth is not None:
            headers["Authorization"] = "Basic " + self._token()
        if body is not None:
            headers["Content-Type"] = "application/json"
        for _ in range(_MAX_REDIRECTS + 1):
            status, location, data = self._once(method, url, headers, body, source)
            if status not in _REDIRECTS or method != "GET" or not location:
                return status, data  # JSON-RPC reports a redirect as the HTTP error it is
            target = urllib.parse.urljoin(url, location.strip())
            if urllib.parse.urlsplit(target).scheme not in ("http", "https"):
                raise ChainStateError(f"HTTP {status}: redirected to a non-HTTP URL", source=source)
            if origin(target) != origin(url) and self.auth is not None:
                raise ChainStateError(
                    f"HTTP {status}: redirected to another origin ({public_url(target)}), not "
                    "followed: credentials go only to the origin they were given for",
                    source=source,
                )
            url = target
        raise ChainStateError(f"more than {_MAX_REDIRECTS} redirects", source=source)

    def _once(self, method, url, headers, body, source) -> tuple[int, str | None, bytes]:
        parts = urllib.parse.urlsplit(url)
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise self._timed_out(source)
        https = parts.scheme == "https"
        kind = http.client.HTTPSConnection if https else http.client.HTTPConnection
        path = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
        try:
            conn = kind(parts.hostname, parts.port, timeout=left)
        except (ValueError, UnicodeError) as err:
            raise ChainStateError(f"not a valid address ({err})", source=source) from None
        # http.client's connection hook: the host name is resolved within the deadline (TLS
        # still checks the certificate against the name)
        conn._create_connection = self._connect
        cut = threading.Event()
        watchdog = threading.Timer(left, _cut, (conn, cut))
        watchdog.daemon = True
        watchdog.start()
        try:
            conn.request(method, path, body=body, headers=headers)
            reply = conn.getresponse()
            location = reply.getheader("Location")
            data = _read_body(reply, source)
            if cut.is_set():  # a shut socket reads as the end: the answer is not whole
                raise self._timed_out(source)
            return reply.status, location, data
        except (ChainStateError, LimitError):
            raise
        except ConnectionRefusedError:
            msg = "connection refused (is the server running, and is the port right?)"
            raise ChainStateError(msg, source=source) from None
        except socket.gaierror:
            raise ChainStateError("cannot resolve the host name", source=source) from None
        except ssl.SSLError as err:
            raise ChainStateError(f"TLS failed ({err.reason or err})", source=source) from None
        except (http.client.HTTPException, OSError, ValueError, UnicodeError) as err:
            if isinstance(err, TimeoutError) or cut.is_set():
                raise self._timed_out(source) from None
            reason = getattr(err, "strerror", None) or err
            msg = f"no valid HTTP reply ({type(err).__name__}: {reason})"
            raise ChainStateError(msg, source=source) from None
        finally:
            watchdog.cancel()
            conn.close()

    def _connect(self, address, timeout, source_address=None) -> socket.socket:
        """A socket connected to (host, port), the name resolved before the deadline."""
        host, port = address
        failure: OSError = OSError(f"no address for {host}")
        for *_, sockaddr in _resolve(host, port, self.deadline - time.monotonic()):
            try:
                return socket.create_connection(sockaddr[:2], timeout, source_address)
            except OSError as err:
                failure = err
        raise failure

    def _timed_out(self, source: str) -> ChainStateError:
        return ChainStateError(f"timed out after {self.seconds:g} s", source=source)


def _resolve(host: str, port: int, seconds: float) -> list:
    """getaddrinfo for a stream socket, given up after `seconds` (TimeoutError): it runs on a
    daemon thread, which a slow resolver may keep a while after the command has moved on."""
    answer: dict = {}

    def ask() -> None:
        try:
            answer["infos"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as err:
            answer["error"] = err

    thread = threading.Thread(target=ask, daemon=True)
    thread.start()
    thread.join(max(seconds, 0.0))
    if thread.is_alive():
        raise TimeoutError(f"resolving {host}")
    if "error" in answer:
        raise answer["error"]
    return answer["infos"]


def _cut(conn: http.client.HTTPConnection, cut: threading.Event) -> None:
    """Shut a connection's socket from the timer's thread: a blocked read returns at once."""
    cut.set()
    sock = conn.sock
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _read_body(reply: http.client.HTTPResponse, source: str) -> bytes:
    """The reply's body, at most `limits.CHAIN_BYTES` (Content-Length checked first)."""
    length = (reply.getheader("Content-Length") or "").strip()
    if length.isdigit():
        limits.CHAIN_BYTES.check(int(length), source=source)
    data = reply.read(int(limits.CHAIN_BYTES.high) + 1)
    limits.CHAIN_BYTES.check(len(data), source=source)
    return data
