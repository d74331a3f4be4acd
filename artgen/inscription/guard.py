"""What keeps `artgen serve` inside its folder and its budgets (`artgen.limits`).

- Files: only regular files whose resolved path lies inside the served folder, reached without
  a symbolic link (a link to /etc/passwd is neither listed nor served; a file swapped for a
  link after the listing is refused when it is opened, which does not follow links).
- Connections: at most `limits.SERVE_CONNECTIONS` at once (one more is answered 503 and
  closed); a client has `limits.SERVE_REQUEST_SECONDS` to send its whole request, then the
  connection is shut (an idle or half-sent connection once stayed open for ever), and every
  read or write on the socket times out after as long.
"""

from __future__ import annotations

import os
import socket
import stat
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .. import limits

REQUEST_SECONDS = float(limits.SERVE_REQUEST_SECONDS.high)
CONNECTIONS = int(limits.SERVE_CONNECTIONS.high)
_BUSY = (
    b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 33\r\n"
    b"Connection: close\r\n\r\ntoo many connections; retry later\n"
)


def walk_regular(root: Path):
    """(path, relative posix path) of every regular file under `root` reached without a
    symbolic link, hidden files and folders skipped, in sorted order."""
    for here, dirs, names in os.walk(root):  # os.walk never descends a linked folder
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not _link(here, d))
        for name in sorted(names):
            path = Path(here, name)
            if name.startswith("."):
                continue
            try:
                info = path.lstat()
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode):
                yield path, path.relative_to(root).as_posix()


def _link(here: str, name: str) -> bool:
    return os.path.islink(os.path.join(here, name))


def read_inside(root: Path, path: Path) -> bytes:
    """The bytes of `path` if it is still a regular file inside `root` reached without a link;
    OSError otherwise (the caller answers 404)."""
    real_root = os.path.realpath(root)
    if os.path.commonpath([real_root, os.path.realpath(path)]) != real_root:
        raise PermissionError(f"{path} lies outside {root}")
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise IsADirectoryError(f"{path} is not a regular file")
        return f.read()


def guarded(handler: type[BaseHTTPRequestHandler]) -> type[BaseHTTPRequestHandler]:
    """`handler` with socket timeouts, telling its server when the whole request is in."""

    class Guarded(handler):  # type: ignore[misc, valid-type]
        timeout = REQUEST_SECONDS  # every read and write on the socket

        def parse_request(self) -> bool:
            parsed = super().parse_request()  # reads the headers
            if not self.server.received(self.request):  # type: ignore[attr-defined]
                self.close_connection = True  # cut at the deadline: what it read is not whole
                return False
            return parsed

    Guarded.__name__ = Guarded.__qualname__ = handler.__name__
    return Guarded


class GuardedServer(ThreadingHTTPServer):
    """A threading HTTP server with a bound on connections and a deadline for each request.

    One watchdog thread keeps every deadline (a timer per connection would double the
    threads): a connection whose request is not in when its deadline passes is shut.
    """

    daemon_threads = True
    request_queue_size = 2 * CONNECTIONS  # the listen backlog: a burst is accepted, not dropped

    def __init__(self, address, handler: type[BaseHTTPRequestHandler], family=socket.AF_INET):
        self.address_family = family  # AF_INET6 to listen on an IPv6 address
        self._slots = threading.BoundedSemaphore(CONNECTIONS)
        self._waiting: dict[socket.socket, float] = {}  # connection -> its request's deadline
        self._open: set[socket.socket] = set()  # connections holding a slot
        self._cut_off: set[socket.socket] = set()
        self._changed = threading.Condition()
        self._closing = False
        super().__init__(address, guarded(handler))
        self._watchdog = threading.Thread(target=self._watch, name="deadlines", daemon=True)
        self._watchdog.start()

    def process_request(self, request, client_address) -> None:
        if not self._slots.acquire(blocking=False):
            _refuse(request)
            return
        with self._changed:
            self._open.add(request)
            self._waiting[request] = time.monotonic() + REQUEST_SECONDS
            self._changed.notify()
        super().process_request(request, client_address)

    def received(self, request) -> bool:
        """The client sent its whole request: True (the deadline is over for it) unless the
        deadline cut it first."""
        with self._changed:
            self._waiting.pop(request, None)
            return request not in self._cut_off

    def _watch(self) -> None:
        """Shut every connection whose request did not arrive by its deadline."""
        with self._changed:
            while not self._closing:
                now = time.monotonic()
                for request in [r for r, due in self._waiting.items() if due <= now]:
                    del self._waiting[request]
                    self._cut_off.add(request)
                    try:
                        request.shutdown(socket.SHUT_RDWR)  # its handler's read ends at once
                    except OSError:
                        pass
                soonest = min(self._waiting.values(), default=now + REQUEST_SECONDS)
                self._changed.wait(max(soonest - now, 0.01))

    def handle_error(self, request, client_address) -> None:
        """A client that hangs up mid-answer is no error of ours; anything else is one line."""
        kind, err, _ = sys.exc_info()
        if isinstance(err, OSError):
            return
        name = kind.__name__ if kind is not None else "error"
        sys.stderr.write(f"artgen serve: error answering {client_address[0]}: {name}: {err}\n")

    def shutdown_request(self, request) -> None:
        """The connection is over (answered, cut or failed): its slot is free again."""
        with self._changed:
            held = request in self._open
            self._open.discard(request)
            self._waiting.pop(request, None)
            self._cut_off.discard(request)
        super().shutdown_request(request)
        if held:
            self._slots.release()

    def server_close(self) -> None:
        with self._changed:
            self._closing = True
            self._changed.notify()
        super().server_close()


def _refuse(request: socket.socket) -> None:
    """Answer 503 to a connection beyond the bound, and close it."""
    try:
        request.settimeout(1.0)
        request.sendall(_BUSY)
        request.shutdown(socket.SHUT_WR)
    except OSError:
        pass
    request.close()
