"""`artgen serve`: a minted collection served as an ord server would, so the art runs as on chain.

Every inscription file of the folder is served at /content/<id>, under its placeholder id
(`placeholder_id` of its bytes) and, once inscribed, under its real id (ord/inscribed.json).
The recursion endpoints /r/blockheight and /r/blockinfo/<height> answer from one chosen chain
state. Every other path is a file of the folder at its own path (/report/ is the collection's
report site, /images/7.png a still), hidden files excepted. Responses carry ord's
Content-Security-Policy, so a page that reaches for anything outside the server fails here as
it would on chain. The server binds 127.0.0.1 unless asked for another address, says which,
and logs one line per request. It serves regular files inside the folder only, never through
a symbolic link, and bounds its connections and the time a client has to send a request
(`artgen.inscription.guard`).

The index page (/) lists the art inscriptions only (HTML files that carry a Perceptron's
config block, not reports), by token number.

A collection made for `ord wallet batch --compress` (ord/batches.json says "compress") is
served as ord serves compressed inscriptions (`artgen.inscription.compression`): the brotli
bytes with `Content-Encoding: br` to a client that accepts br, the plain bytes to one that
does not (ord's `--decompress`; with decompress=False such a client gets 406, as from ord
without it).
"""

from __future__ import annotations

import hashlib
import html
import ipaddress
import json
import os
import re
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

from .. import limits
from ..chain import ChainState
from ..errors import ArtgenError
from ..jsontext import read_json
from ..wording import counted
from .compression import BROTLI, accepts_brotli, on_chain
from .guard import GuardedServer, read_inside, walk_regular

#: Content types by file extension: what a collection inscribes (and its previews).
CONTENT_TYPES = {
    ".html": "text/html;charset=utf-8",
    ".js": "text/javascript",
    ".json": "application/json",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".gif": "image/gif",
    ".mp4": "video/mp4",
    ".txt": "text/plain;charset=utf-8",
}
#: Files served at their own paths also have these types (the report site's styles, sheets
#: and tables).
FILE_TYPES = {
    **CONTENT_TYPES,
    ".css": "text/css;charset=utf-8",
    ".webp": "image/webp",
    ".csv": "text/csv;charset=utf-8",
    ".pdf": "application/pdf",
    ".toml": "text/plain;charset=utf-8",
}
REPORT = "report/index.html"  # the collection's report site (artgen report)
#: ord's policy for /content/: the page may use its own server (and data:, blob:) only.
CONTENT_POLICY = "default-src 'self' 'unsafe-eval' 'unsafe-inline' data: blob:"
HOST = "127.0.0.1"
#: Stack of a connection's thread: a request needs little, and 64 of them at the default
#: 8 MiB reserve half a gigabyte of address space.
HANDLER_STACK = 2 * 1024 * 1024
MANIFEST = "manifest.json"
INSCRIBED = "ord/inscribed.json"
BATCHES = "ord/batches.json"
#: An art inscription's config block (artgen.inscription.build fills it in) and how far into
#: the file it starts at most (it opens the page's body).
ART_BLOCK = re.compile(rb'<script type="application/json" id="perceptron">(.*?)</script>', re.S)
ART_BLOCK_WITHIN = 65536


@dataclass(frozen=True)
class ArtPage:
    """An art inscription in the folder: its path, the id it answers to, its token if known."""

    path: str
    id: str
    token: int | None


@dataclass(frozen=True)
class ContentIndex:
    """Inscription id -> file, and the art inscriptions for the index page, by token."""

    root: Path
    files: dict[str, Path]
    art: tuple[ArtPage, ...]
    compress: bool = False  # inscribed with `ord wallet batch --compress`
    _packed: dict[Path, tuple[bytes, bool]] = field(default_factory=dict, compare=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, compare=False)

    def on_chain(self, path: Path, content_type: str, raw: bytes) -> tuple[bytes, bool]:
        """(the bytes `raw` of the file at `path` as ord stores them, whether brotli-encoded),
        computed once per path."""
        with self._lock:
            if path not in self._packed:
                self._packed[path] = on_chain(raw, content_type)
            return self._packed[path]


def _placeholder(sha256: str) -> str:
    return f"{sha256}i0"


def _manifest_hashes(root: Path) -> dict[str, tuple[str, int]]:
    """path -> (sha256, bytes) from manifest.json, when the folder has a readable one."""
    try:
        doc = read_json(root / MANIFEST, limits.RECORD_BYTES, ArtgenError)
        return {f["path"]: (f["sha256"], f["bytes"]) for f in doc["files"]}
    except (ArtgenError, KeyError, TypeError):
        return {}


def _real_ids(root: Path) -> dict[str, list[str]]:
    """sha256 -> real inscription ids, from ord/inscribed.json when present."""
    try:
        doc = read_json(root / INSCRIBED, limits.RECORD_BYTES, ArtgenError)
        items = [i for b in doc["batches"] for i in b["inscriptions"]]
    except (ArtgenError, KeyError, TypeError):
        return {}
    out: dict[str, list[str]] = {}
    for item in items:
        if isinstance(item, dict) and "sha256" in item and "id" in item:
            out.setdefault(item["sha256"], []).append(item["id"])
    return out


def _natural(text: str) -> tuple:
    """A sort key that orders the digits in `text` as numbers: art/2.html before art/10.html."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text))


def art_token(path: Path) -> tuple[bool, int | None]:
    """(is this HTML an art inscription, its token number when its config block says)."""
    with open(path, "rb") as file:
        head = file.read(ART_BLOCK_WITHIN)
    found = ART_BLOCK.search(head)
    if found is None:
        return False, None
    try:
        token = json.loads(found.group(1))["t"][1]
    except (ValueError, KeyError, IndexError, TypeError):
        return True, None
    return True, token if isinstance(token, int) and not isinstance(token, bool) else None


def _compressed(root: Path) -> bool:
    """Whether ord/batches.json says the batches are for `ord wallet batch --compress`."""
    try:
        return read_json(root / BATCHES, limits.RECORD_BYTES, ArtgenError).get("compress") is True
    except (ArtgenError, AttributeError):
        return False


def content_index(root: str | os.PathLike) -> ContentIndex:
    """Every servable file under `root` by inscription id (hidden files and folders, and
    symbolic links, skipped)."""
    root = Path(root)
    if not root.is_dir():
        raise ArtgenError("not a folder", source=str(root))
    listed, real = _manifest_hashes(root), _real_ids(root)
    files: dict[str, Path] = {}
    art = []
    for path, rel in walk_regular(root):  # no symbolic links, nothing outside the folder
        if path.suffix.lower() not in CONTENT_TYPES or rel == MANIFEST:
            continue
        sha, size = listed.get(rel, (None, -1))
        if sha is None or size != path.stat().st_size:
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
        ids = [_placeholder(sha), *real.get(sha, [])]
        for ident in ids:
            files.setdefault(ident, path)
        if path.suffix.lower() == ".html":
            is_art, token = art_token(path)
            if is_art:
                art.append(ArtPage(rel, ids[-1], token))
    art.sort(key=lambda page: (page.token is None, page.token or 0, _natural(page.path)))
    return ContentIndex(root, files, tuple(art), _compressed(root))


def block_info(chain: ChainState) -> dict:
    """The /r/blockinfo reply for the chain state (the fields the art reads, and a few more)."""
    return {
        "height": chain.height,
        "timestamp": int(chain.time),
        "average_fee_rate": chain.fee_rate,
        "hash": hashlib.sha256(f"artgen block {chain.height}".encode()).hexdigest(),
    }


def _index_row(page: ArtPage) -> str:
    path = html.escape(page.path)
    if page.token is None:
        return f'<li><a href="/content/{page.id}">{path}</a></li>'
    return f'<li><a href="/content/{page.id}">Perceptron #{page.token}</a> ({path})</li>'


def _index_page(index: ContentIndex, chain: ChainState) -> bytes:
    rows = "".join(_index_row(page) for page in index.art)
    report = (
        f'<p><a href="/{REPORT}">The collection report</a></p>'
        if (index.root / REPORT).is_file()
        else ""
    )
    body = (
        "<!doctype html><meta charset='utf-8'><title>artgen serve</title>"
        f"<h1>{html.escape(str(index.root))}</h1>{report}"
        f"<p>{counted(len(index.art), 'art inscription')}, "
        f"{counted(len(index.files), 'inscription id')}; block {chain.height}, "
        f"time {int(chain.time)}, fee rate {chain.fee_rate:g} sat/vB</p><ol>{rows}</ol>"
    )
    return body.encode("utf-8")


def folder_file(root: Path, path: str) -> Path | None:
    """The file of `root` a URL path names (a folder's index.html), or None: outside the
    folder, reached through a symbolic link, hidden, or of a type not served."""
    parts = [p for p in unquote(path).split("/") if p]
    if any(p.startswith(".") or "\\" in p or "\0" in p for p in parts):
        return None  # hidden (resume state, caches, "..") or not a plain name
    target = root.joinpath(*parts)
    try:
        # no symbolic link on the way (the file itself is opened with O_NOFOLLOW when read)
        if any(root.joinpath(*parts[: i + 1]).is_symlink() for i in range(len(parts))):
            return None
        if target.is_dir():
            target = target / "index.html"
        inside = target.resolve().is_relative_to(root.resolve())  # nothing outside the folder
        return (
            target if inside and target.suffix.lower() in FILE_TYPES and target.is_file() else None
        )
    except (OSError, ValueError):
        return None


def make_handler(
    index: ContentIndex,
    chain: ChainState,
    decompress: bool = True,
    log: Callable[[str], None] | None = None,
) -> type[BaseHTTPRequestHandler]:
    """A request handler class serving `index`, the recursion endpoints for `chain` and the
    folder's files; `log` takes one line per request (None: silent)."""

    class Handler(BaseHTTPRequestHandler):
        server_version = "artgen-ord"

        def log_message(self, format: str, *args) -> None:  # noqa: A002 (BaseHTTPRequestHandler's name)
            if log is not None:
                log(f"{self.address_string()} {format % args}")

        def log_request(self, code="-", size="-") -> None:
            pass  # `_send` logs each answer with its size

        def _send(
            self, status: int, body: bytes, content_type: str, policy: bool = False, extra=()
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            for name, value in extra:
                self.send_header(name, value)
            if policy:
                self.send_header("Content-Security-Policy", CONTENT_POLICY)
            self.end_headers()
            self.log_message('"%s" %s %s', self.requestline, status, len(body))  # logged first
            if self.command != "HEAD":
                self.wfile.write(body)

        def _json(self, value: object) -> None:
            self._send(200, json.dumps(value).encode(), "application/json")

        def _missing(self, what: str) -> None:
            self._send(404, f"{what} not found".encode(), "text/plain;charset=utf-8")

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0].split("#", 1)[0]
            if path == "/":
                self._send(200, _index_page(index, chain), "text/html;charset=utf-8")
            elif path.startswith("/content/"):
                file = index.files.get(path[len("/content/") :])
                if file is None:
                    return self._missing("inscription")
                kind = CONTENT_TYPES[file.suffix.lower()]
                try:
                    raw = read_inside(index.root, file)  # still inside, still no link
                except OSError:
                    return self._missing("inscription")
                body, packed = index.on_chain(file, kind, raw) if index.compress else (raw, False)
                extra = [("Vary", "Accept-Encoding")] if packed else []
                if packed and accepts_brotli(self.headers.get("Accept-Encoding")):
                    extra.append(("Content-Encoding", BROTLI))
                elif packed and decompress:
                    body = raw  # what ord --decompress sends: the plain bytes
                elif packed:
                    return self._send(
                        406,
                        b"inscription content is brotli-encoded; the client does not accept br",
                        "text/plain;charset=utf-8",
                    )
                self._send(200, body, kind, policy=True, extra=extra)
            elif path == "/r/blockheight":
                self._json(chain.height)
            elif path.startswith("/r/blockinfo/"):
                query = path[len("/r/blockinfo/") :]
                info = block_info(chain)
                if query not in (str(chain.height), info["hash"]):
                    return self._missing("block")
                self._json(info)
            else:
                self._file(path)

        def _file(self, path: str) -> None:
            file = folder_file(index.root, path)
            if file is None:
                return self._missing("page")
            if file.name == "index.html" and not path.endswith(("/", ".html")):
                self.send_response(301)  # so that the page's relative links resolve
                self.send_header("Location", path + "/")
                self.send_header("Content-Length", "0")
                self.log_message('"%s" %s %s', self.requestline, 301, 0)
                return self.end_headers()
            try:
                body = read_inside(index.root, file)  # still inside, still no link
            except OSError:
                return self._missing("page")
            self._send(200, body, FILE_TYPES[file.suffix.lower()], policy=True)

        do_HEAD = do_GET

    return Handler


def make_server(
    root: str | os.PathLike,
    chain: ChainState,
    port: int = 0,
    host: str = HOST,
    decompress: bool = True,
    log: Callable[[str], None] | None = None,
) -> ThreadingHTTPServer:
    """A server (not yet started) for the collection in `root`; port 0 picks a free one;
    `decompress` as ord's flag of that name (see the module docstring); `log` takes one line
    per request."""
    index = content_index(root)
    try:
        ipaddress.ip_address(host)
    except ValueError:
        raise ArtgenError(f"expected an IP address to listen on, got {host!r}") from None
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        server = GuardedServer((host, port), make_handler(index, chain, decompress, log), family)
    except (OSError, OverflowError) as err:
        reason = getattr(err, "strerror", None) or err
        raise ArtgenError(f"cannot listen on {host}:{port}: {reason}") from None
    server.index = index  # type: ignore[attr-defined]
    return server


def url_of(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def run(
    root: str | os.PathLike,
    chain: ChainState,
    port: int = 8000,
    on_ready: Callable[[str, str], None] | None = None,
    host: str = HOST,
    log: Callable[[str], None] | None = None,
) -> None:
    """Serve `root` until interrupted (Ctrl-C); `on_ready(url, summary)` once it listens; `log`
    takes one line per request."""
    threading.stack_size(HANDLER_STACK)  # each connection's thread; the default is 8 MiB
    server = make_server(root, chain, port, host, log=log)
    index = server.index  # type: ignore[attr-defined]
    reach = (
        "loopback only: other machines cannot connect (--host 0.0.0.0 shares it)"
        if ipaddress.ip_address(server.server_address[0]).is_loopback
        else "other machines can connect"
    )
    summary = (
        f"serving {counted(len(index.art), 'art inscription')} "
        f"({counted(len(index.files), 'inscription id')}) from {root} "
        f"(block {chain.height}, fee rate {chain.fee_rate:g} sat/vB); {reach}"
    )
    if (Path(root) / REPORT).is_file():
        summary += f"; the collection report: {url_of(server)}{REPORT.removesuffix('index.html')}"
    (on_ready or (lambda url, text: print(f"{text} at {url}", flush=True)))(url_of(server), summary)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
