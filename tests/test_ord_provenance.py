"""The collection's own inscriptions without a mint: which parent each `[ord] parent` setting
gives, the exact parent and gallery files (what goes on chain for good), and files already
inscribed kept as they were."""

from __future__ import annotations

import dataclasses
import hashlib
import json

import pytest

import artgen
from collection.config import load_config
from collection.mint.ordcost import Inscription
from collection.mint.provenance import (
    collection_inscriptions,
    gallery_content,
    has_parent,
    parent_content,
    parent_id,
    parent_kind,
)

NAME = "Tom & <Jerry>"
OWN = "cd" * 32 + "i2"


def config(parent="cover", gallery=False):
    base = load_config(None)
    ord_ = dataclasses.replace(base.ord, parent=parent, gallery=gallery)
    return dataclasses.replace(base, name=NAME, description="a < b", seed=7, ord=ord_)


@pytest.mark.parametrize(
    ("parent", "kind", "has"),
    [("cover", "cover", True), ("metadata", "metadata", True), ("none", None, False),
     (OWN, None, True)],
)  # fmt: skip
def test_each_parent_setting(parent, kind, has):
    assert parent_kind(config(parent)) == kind and has_parent(config(parent)) is has


def test_the_metadata_parent_names_the_collection_and_nothing_that_grows():
    data = parent_content(config("metadata"))
    assert data.endswith(b"}\n") and b'\n  "name"' in data  # the collection's JSON text
    assert json.loads(data) == {
        "name": NAME,
        "description": "a < b",
        "seed": 7,
        "engine": f"artgen {artgen.__version__}",
        "kind": "collection",
    }


def test_the_cover_page_is_exactly_this_page():
    """The cover is inscribed for good: its every byte is part of the collection."""
    script = (
        'const id = location.pathname.split("/").pop(), list = document.getElementById('
        '"children");\nfetch("/r/children/" + id).then(r => r.json()).then(page => {\n'
        "  for (const child of page.ids) {\n"
        '    const a = list.appendChild(document.createElement("li")).appendChild(\n'
        '      document.createElement("a"));\n'
        '    a.href = "/content/" + child; a.textContent = child;\n'
        "  }\n}).catch(() => {});"
    )
    assert parent_content(config("cover")).decode() == (
        "<!doctype html><meta charset=utf-8><title>Tom &amp; &lt;Jerry&gt;</title>"
        "<style>body{font:16px/1.5 sans-serif;max-width:40em;margin:3em auto;padding:0 1em}"
        "</style><h1>Tom &amp; &lt;Jerry&gt;</h1><p>a &lt; b</p>"
        f"<p>Seed 7; made with artgen {artgen.__version__}. Every work of the collection is a "
        "child of this inscription.</p>"
        f"<ol id=children></ol><script>{script}</script>"
    )


def test_the_gallery_page_links_every_token():
    items = [{"id": "a" * 64 + "i0", "title": "T <0>"}, {"id": "b" * 64 + "i1", "title": "T 1"}]
    assert gallery_content(config(), items).decode() == (
        "<!doctype html><meta charset=utf-8><title>Tom &amp; &lt;Jerry&gt;: gallery</title>"
        "<h1>Tom &amp; &lt;Jerry&gt;</h1><ol>"
        f'<li><a href="/content/{"a" * 64}i0">T &lt;0&gt;</a></li>'
        f'<li><a href="/content/{"b" * 64}i1">T 1</a></li></ol>'
    )


def inscribed(*files):
    return {"batches": [{"inscriptions": [{"file": f, "kind": k, "id": i}]} for k, f, i in files]}


def test_the_parent_s_id_is_configured_or_read_from_what_was_inscribed():
    assert parent_id(config(OWN), inscribed()) == OWN
    assert parent_id(config("cover"), inscribed()) is None
    assert parent_id(config("none"), inscribed()) is None
    twice = inscribed(("parent", "ord/cover.html", "1" * 64 + "i0"),
                      ("model", "models/0.json", "2" * 64 + "i0"),
                      ("parent", "ord/cover.html", "3" * 64 + "i0"))  # fmt: skip
    assert parent_id(config("cover"), twice) == "3" * 64 + "i0"  # the last one inscribed
    assert parent_id(config("metadata"), twice) == "3" * 64 + "i0"


def record(token):
    return {
        "token": token,
        "files": {"model": f"models/{token}.json"},
        "model": {"sha256": f"m{token}", "bytes": 10},
        "art": [{"kind": "html", "path": f"art/{token}.html", "sha256": f"h{token}", "bytes": 5}],
    }


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_the_parent_and_gallery_inscriptions_and_their_files(tmp_path):
    written = {}
    conf = config("cover", gallery=True)
    out = collection_inscriptions(
        tmp_path, conf, [record(0), record(1)], lambda sha: f"id-{sha}", inscribed(),
        written.__setitem__,
    )  # fmt: skip
    cover = parent_content(conf)
    titles = ({"id": "id-h0", "title": f"{NAME} #0"}, {"id": "id-h1", "title": f"{NAME} #1"})
    page = gallery_content(conf, titles)
    html = "text/html;charset=utf-8"
    assert out == [
        Inscription("parent", "ord/cover.html", len(cover), digest(cover), html,
                    {"name": NAME, "collection": NAME, "kind": "parent"}, title=NAME),
        Inscription("gallery", "ord/gallery.html", len(page), digest(page), html,
                    {"name": f"{NAME} gallery", "collection": NAME, "kind": "gallery"},
                    title=f"{NAME} gallery", gallery=titles),
    ]  # fmt: skip
    assert written == {"ord/cover.html": cover, "ord/gallery.html": page}

    meta = collection_inscriptions(
        tmp_path, config("metadata"), [], str, inscribed(), {}.__setitem__
    )
    data = parent_content(config("metadata"))
    assert meta == [
        Inscription("parent", "ord/collection.json", len(data), digest(data), "application/json",
                    {"name": NAME, "collection": NAME, "kind": "parent"}, title=NAME)
    ]  # fmt: skip
    assert (
        collection_inscriptions(tmp_path, config(OWN), [], str, inscribed(), {}.__setitem__) == []
    )
    assert (
        collection_inscriptions(tmp_path, config("none"), [], str, inscribed(), {}.__setitem__)
        == []
    )


def test_a_parent_already_inscribed_keeps_the_file_that_was_inscribed(tmp_path):
    old = b"<!doctype html><title>the cover as it was inscribed</title>"
    (tmp_path / "ord").mkdir()
    (tmp_path / "ord/old-cover.html").write_bytes(old)
    done = inscribed(("parent", "ord/old-cover.html", "4" * 64 + "i0"))
    written = {}
    (parent,) = collection_inscriptions(
        tmp_path, config("cover"), [], str, done, written.__setitem__
    )
    assert (parent.path, parent.size, parent.sha256) == (
        "ord/old-cover.html",
        len(old),
        digest(old),
    )
    assert written == {}  # nothing rewritten
