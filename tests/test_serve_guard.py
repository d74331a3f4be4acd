"""`artgen serve` against a hostile folder and hostile clients: nothing outside the folder is
listed or served, idle and half-sent connections are cut, connections are bounded."""

from __future__ import annotations

import contextlib
import os
import select
import socket
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from artgen.chain import DEFAULT_CHAIN_STATE
from artgen.inscription import guard
from artgen.inscription.build import placeholder_id
from artgen.inscription.serve import content_index, make_server, url_of

SECRET = b"root:x:0:0:secret outside the collection\n"


@pytest.fixture
def folder(tmp_path) -> tuple[Path, Path]:
    """A collection folder with one real file, and a secret file beside (outside) it."""
    root, outside = tmp_path / "collection", tmp_path / "outside"
    (root / "art").mkdir(parents=True)
    outside.mkdir()
    (root / "art" / "0.html").write_text("<!doctype html><p>token 0</p>")
    (outside / "passwd.json").write_bytes(SECRET)
    (outside / "page.html").write_bytes(SECRET)
    return root, outside


@contextlib.contextmanager
def serving(root: Path):
    server = make_server(root, DEFAULT_CHAIN_STATE, port=0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02})
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def test_symbolic_links_are_neither_listed_nor_served(folder):
    root, outside = folder
    os.symlink(outside / "passwd.json", root / "art" / "passwd.json")
    os.symlink(outside / "page.html", root / "art" / "1.html")
    os.symlink(outside, root / "models")  # a linked folder
    os.symlink("/etc/passwd", root / "etc.json")
    index = content_index(root)
    assert sorted(p.relative_to(root).as_posix() for p in index.files.values()) == ["art/0.html"]
    assert [page.path for page in index.art if page.path != "art/0.html"] == []
    with serving(root) as server:
        url = url_of(server)
        assert fetch(f"{url}content/{placeholder_id(SECRET)}")[0] == 404
        page = fetch(url)[1]
        assert b"passwd" not in page and b"1.html" not in page and b"models" not in page


def test_a_file_swapped_for_a_link_after_listing_is_not_served(folder):
    root, outside = folder
    page = root / "art" / "0.html"
    ident = placeholder_id(page.read_bytes())
    with serving(root) as server:
        url = url_of(server)
        assert fetch(f"{url}content/{ident}")[0] == 200
        page.unlink()
        os.symlink(outside / "page.html", page)
        status, body = fetch(f"{url}content/{ident}")
        assert status == 404 and SECRET not in body


def test_a_folder_swapped_for_a_link_after_listing_is_not_served(folder):
    root, outside = folder
    ident = placeholder_id((root / "art" / "0.html").read_bytes())
    with serving(root) as server:
        (root / "art").rename(root / "gone")
        (outside / "0.html").write_bytes(SECRET)
        os.symlink(outside, root / "art")
        status, body = fetch(f"{url_of(server)}content/{ident}")
        assert status == 404 and SECRET not in body


def test_fifos_and_devices_in_the_folder_are_skipped(folder):
    root, _ = folder
    os.mkfifo(root / "art" / "pipe.html")
    index = content_index(root)  # would hang reading the FIFO to hash it
    assert sorted(p.name for p in index.files.values()) == ["0.html"]


def received_within(sock: socket.socket, seconds: float) -> bytes:
    """What the server sends before it closes the connection, waiting at most `seconds`."""
    sock.settimeout(seconds)
    data = b""
    while chunk := sock.recv(4096):
        data += chunk
    return data


@pytest.fixture
def short_deadline(monkeypatch):
    monkeypatch.setattr(guard, "REQUEST_SECONDS", 0.5)


def test_an_idle_connection_is_closed_at_the_deadline(folder, short_deadline):
    root, _ = folder
    with serving(root) as server, socket.create_connection(server.server_address[:2]) as sock:
        started = time.monotonic()
        assert received_within(sock, 5) == b""
        assert time.monotonic() - started < 3


def closed_by_server(sock: socket.socket) -> bool:
    """Whether the server has closed its side (a read would end, or the socket failed)."""
    ready, _, _ = select.select([sock], [], [], 0)
    if not ready:
        return False
    try:
        return sock.recv(4096) == b""
    except OSError:
        return True


def test_a_half_sent_request_is_cut_at_the_deadline_however_slowly_it_trickles(
    folder, short_deadline
):
    root, _ = folder
    with serving(root) as server, socket.create_connection(server.server_address[:2]) as sock:
        started = time.monotonic()
        sock.sendall(b"GET / HTTP/1.1\r\n")
        for n in range(40):  # a header line every 0.1 s: no single read waits long
            if closed_by_server(sock):
                break
            try:
                sock.sendall(f"X-Slow-{n}: 1\r\n".encode())
            except OSError:
                break
            time.sleep(0.1)
        else:
            pytest.fail("the server kept a half-sent request open for 4 s")
        assert time.monotonic() - started < 2.0


def test_connections_beyond_the_bound_are_answered_503(folder, monkeypatch):
    monkeypatch.setattr(guard, "CONNECTIONS", 2)
    root, _ = folder
    with serving(root) as server:
        address = server.server_address[:2]
        idle = [socket.create_connection(address) for _ in range(2)]
        time.sleep(0.2)  # both accepted and waiting for their request
        try:
            with socket.create_connection(address) as extra:
                assert received_within(extra, 5).startswith(b"HTTP/1.0 503")
        finally:
            for sock in idle:
                sock.close()
        deadline = time.monotonic() + 5
        while fetch(url_of(server))[0] != 200:  # the slots come back as the idle ones close
            assert time.monotonic() < deadline
            time.sleep(0.05)


def test_the_server_binds_loopback_by_default(folder):
    root, _ = folder
    server = make_server(root, DEFAULT_CHAIN_STATE, port=0)
    try:
        assert server.server_address[0] == "127.0.0.1"
    finally:
        server.server_close()
