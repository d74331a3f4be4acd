"""manifest.json on its own: what it lists, its hashes and sizes, and what `verify` reports.

The minter's tests check a real collection's manifest; these pin each rule on small folders:
hidden files and folders, the report folders, manifest.json itself, block-wise hashing, and
every problem `verify` names, worded as a collection author reads it.
"""

from __future__ import annotations

import hashlib
import json
import os

import pytest

from artgen.errors import ArtgenError
from collection.mint.manifest import (
    NotRegular,
    Problem,
    build_manifest,
    check_files,
    collection_files,
    file_digest,
    inside,
    read_manifest,
    verify,
)

BIG = bytes(range(251)) * 9000  # 2.2 MB: more than two of file_digest's 1 MiB blocks


def lay_out(root, files: dict[str, bytes]) -> None:
    for relative, data in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(data)


COLLECTION = {
    "collection.toml": b"[collection]\n",
    "images/0.png": b"\x89PNG one",
    "images/1024px/0.png": b"\x89PNG big",
    "models/0.json": b"{}",
    "ord/batch-001.yaml": b"mode: separate-outputs\n",
    "models/big.bin": BIG,
    "empty.txt": b"",
    # a folder deeper down that is named like a report folder is part of the collection
    "images/audit/0.png": b"kept",
    # manifest.json is left out at the top only
    "metadata/manifest.json": b"kept too",
}
LEFT_OUT = {
    "manifest.json": b"{}",  # the manifest itself
    ".artgen/run.json": b"{}",  # resume state
    ".artgen/tokens/0.json": b"{}",
    "images/.0.png.abc12345.tmp": b"half",  # an atomic write's temporary file
    ".hidden": b"x",
    "audit/report.json": b"{}",  # reports about the collection
    "showcase/stages.png": b"x",
    "showcase/samples/nouns.png": b"x",
}


@pytest.fixture
def root(tmp_path):
    lay_out(tmp_path, {**COLLECTION, **LEFT_OUT})
    return tmp_path


def test_file_digest_is_the_sha256_and_size_read_block_by_block(tmp_path):
    for data in (BIG, b"", b"one line\n"):
        path = tmp_path / "file"
        path.write_bytes(data)
        assert file_digest(path) == (hashlib.sha256(data).hexdigest(), len(data))


def test_collection_files_are_the_collection_sorted_with_forward_slashes(root):
    assert collection_files(root) == sorted(COLLECTION)


def test_the_manifest_has_every_file_with_its_hash_and_size(root):
    manifest = build_manifest(root)
    assert manifest["count"] == len(COLLECTION)
    assert manifest["bytes"] == sum(len(d) for d in COLLECTION.values())
    assert manifest["files"] == [
        {"path": rel, "sha256": hashlib.sha256(COLLECTION[rel]).hexdigest(), "bytes": len(data)}
        for rel, data in sorted(COLLECTION.items())
    ]
    assert list(manifest) == ["count", "bytes", "files"]


def save(root, manifest) -> None:
    (root / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_a_collection_that_matches_its_manifest_verifies(root):
    save(root, build_manifest(root))
    assert verify(root) == []
    assert verify(str(root)) == []  # a path as text will do


def test_verify_names_every_missing_changed_and_extra_file_sorted(root):
    save(root, build_manifest(root))
    (root / "models/0.json").unlink()
    (root / "images/0.png").write_bytes(b"\x89PNG ONE")  # same size, other bytes
    (root / "models/big.bin").write_bytes(BIG[:-1])  # one byte short
    (root / "metadata/extra.json").write_bytes(b"{}")
    (root / "audit/new-report.html").write_bytes(b"<html>")  # reports are no problem
    assert verify(root) == [
        Problem("images/0.png", "sha256 differs from the manifest"),
        Problem("metadata/extra.json", "not in the manifest"),
        Problem("models/0.json", "missing"),
        Problem("models/big.bin", f"size {len(BIG) - 1} bytes, manifest says {len(BIG)}"),
    ]
    assert [p.line() for p in verify(root)][2] == "models/0.json: missing"


def test_a_folder_in_place_of_a_file_is_named_as_such(root):
    save(root, build_manifest(root))
    (root / "empty.txt").unlink()
    (root / "empty.txt").mkdir()
    assert verify(root) == [Problem("empty.txt", "a folder, not a file")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, "no manifest.json: not a finished collection"),
        (
            "{not json",
            "not valid JSON: Expecting property name enclosed in double quotes at line 1 column 2",
        ),
        (b"\xff\xfe{}", "expected UTF-8 text, bad byte at 0"),
        ("[]", "expected a list of files"),
        ('{"files": {}}', "expected a list of files"),
        ('{"count": 0}', "expected a list of files"),
    ],
)
def test_an_unreadable_manifest_is_one_clear_error(tmp_path, text, message):
    if isinstance(text, bytes):
        (tmp_path / "manifest.json").write_bytes(text)
    elif text is not None:
        (tmp_path / "manifest.json").write_text(text, encoding="utf-8")
    with pytest.raises(ArtgenError) as err:
        verify(tmp_path)
    assert err.value.detail == message and "\n" not in str(err.value)
    where = tmp_path if text is None else tmp_path / "manifest.json"
    assert err.value.source == str(where)
    assert err.value.field == ("files" if "list of files" in message else None)


def test_read_manifest_gives_the_document(root):
    manifest = build_manifest(root)
    save(root, manifest)
    assert read_manifest(root) == manifest


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("a.png", True),
        ("images/1024px/0.png", True),
        ("a b.png", True),  # a space is a name's character
        ("..a/b.c", True),  # a name that starts with dots
        ("", False),
        ("/etc/passwd", False),
        ("a\\b", False),
        ("a\x1fb", False),
        ("a\nb", False),
        ("C:/x", False),
        ("c:x", False),
        ("..", False),
        ("../x", False),
        ("a/../b", False),
        (".", False),
        ("./a", False),
        ("a/./b", False),
        ("a//b", False),
        ("a/", False),
    ],
)
def test_a_manifest_path_must_name_a_file_inside_the_folder(path, expected):
    assert inside(path) is expected


SHA = "a" * 64


@pytest.mark.parametrize(
    ("entry", "field", "detail"),
    [
        ("x", "files[1]", "expected an object with path, sha256 and bytes"),
        ({"path": 7, "sha256": SHA, "bytes": 1}, "files[1].path", "got 7"),
        ({"path": "../x", "sha256": SHA, "bytes": 1}, "files[1].path", "got '../x'"),
        ({"path": "/" + "x" * 200, "sha256": SHA, "bytes": 1}, "files[1].path", "xxx"),
        ({"path": "a", "sha256": SHA.upper(), "bytes": 1}, "files[1].sha256", "64 lowercase"),
        ({"path": "a", "sha256": SHA[1:], "bytes": 1}, "files[1].sha256", "64 lowercase"),
        ({"path": "a", "sha256": 0, "bytes": 1}, "files[1].sha256", "64 lowercase"),
        ({"path": "a", "sha256": SHA, "bytes": -1}, "files[1].bytes", "whole number >= 0"),
        ({"path": "a", "sha256": SHA, "bytes": True}, "files[1].bytes", "whole number >= 0"),
        ({"path": "a", "sha256": SHA, "bytes": 1.5}, "files[1].bytes", "whole number >= 0"),
        ({"path": "a", "sha256": SHA, "bytes": "1"}, "files[1].bytes", "whole number >= 0"),
    ],
)
def test_each_manifest_entry_is_checked_and_named(tmp_path, entry, field, detail):
    good = {"path": "ok.png", "sha256": SHA, "bytes": 0}
    save(tmp_path, {"files": [good, entry]})
    with pytest.raises(ArtgenError) as err:
        read_manifest(tmp_path)
    assert (err.value.source, err.value.field) == (str(tmp_path / "manifest.json"), field)
    assert detail in err.value.detail and "\n" not in str(err.value)
    assert len(err.value.detail) < 160  # a long path is cut, not printed whole
    assert str(err.value).startswith(f"{tmp_path / 'manifest.json'}: field '{field}': expected")


def test_links_fifos_and_folders_are_named_not_followed(root, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.txt").write_bytes(b"secret")
    save(root, build_manifest(root))
    (root / "empty.txt").unlink()
    (root / "empty.txt").symlink_to(root / "images/0.png")  # listed: a link now
    (root / "models/0.json").unlink()
    os.mkfifo(root / "models/0.json")  # listed: a FIFO now (never opened for reading)
    (root / "extra-link").symlink_to(root / "images/0.png")  # not listed
    (root / "images/outside").symlink_to(outside, target_is_directory=True)  # not listed
    os.mkfifo(root / "pipe")  # not listed
    assert verify(root) == [
        Problem("empty.txt", "a symbolic link (not followed)"),
        Problem("extra-link", "not in the manifest (a symbolic link)"),
        Problem("images/outside", "not in the manifest (a symbolic link)"),
        Problem("models/0.json", "a FIFO (named pipe), not a file"),
        Problem("pipe", "not in the manifest (a FIFO (named pipe))"),
    ]
    # sizes only (mint's quick check): the same files named, without reading any
    entries = read_manifest(root)["files"]
    assert check_files(root, entries, hashes=False) == [
        Problem("empty.txt", "a symbolic link (not followed)"),
        Problem("models/0.json", "a FIFO (named pipe), not a file"),
    ]


def test_a_file_reached_through_a_link_to_outside_is_refused(tmp_path_factory):
    root, outside = tmp_path_factory.mktemp("root"), tmp_path_factory.mktemp("outside")
    (outside / "f").write_bytes(b"x")
    (root / "in").symlink_to(outside, target_is_directory=True)
    with pytest.raises(NotRegular, match="^reached through a symbolic link to outside the"):
        file_digest(root / "in" / "f", root)
    assert file_digest(root / "in" / "f") == (hashlib.sha256(b"x").hexdigest(), 1)
    (root / "in").unlink()
    (root / "link").symlink_to(outside / "f")
    with pytest.raises(NotRegular, match="^reached through a symbolic link to outside the"):
        build_manifest(root)


def test_verify_names_a_file_behind_a_linked_folder_and_one_it_cannot_read(root, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    save(root, build_manifest(root))
    (outside / "1024px").mkdir()
    (outside / "1024px" / "0.png").write_bytes(COLLECTION["images/1024px/0.png"])  # same bytes
    (root / "images/1024px/0.png").unlink()
    (root / "images/1024px").rmdir()
    (root / "images/1024px").symlink_to(outside / "1024px", target_is_directory=True)
    manifest = read_manifest(root)
    long_name = "n" * 300  # a name longer than the file system takes: open fails
    sha = hashlib.sha256(b"").hexdigest()
    manifest["files"][1:1] = [{"path": long_name, "sha256": sha, "bytes": 0}]
    manifest["files"].append({"path": "zz-missing.txt", "sha256": sha, "bytes": 0})
    assert check_files(root, manifest["files"]) == [
        Problem(long_name, "cannot read: File name too long"),
        Problem("images/1024px/0.png", "reached through a symbolic link to outside the collection"),
        Problem("zz-missing.txt", "missing"),  # the files after one it cannot read are checked
    ]


def test_a_long_path_is_shown_cut_to_80_characters(tmp_path):
    path = "/" + "x" * 200
    save(tmp_path, {"files": [{"path": path, "sha256": SHA, "bytes": 0}]})
    with pytest.raises(ArtgenError) as err:
        read_manifest(tmp_path)
    shown = repr(path)[:80]
    assert err.value.detail == f"expected a relative path inside the collection, got {shown}"
