"""manifest.json on its own: what it lists, its hashes and sizes, and what `verify` reports.

The minter's tests check a real collection's manifest; these pin each rule on small folders:
hidden files and folders, the report folders, manifest.json itself, block-wise hashing, and
every problem `verify` names, worded as a collection author reads it.
"""

from __future__ import annotations

import hashlib
import json

import pytest

from artgen.errors import ArtgenError
from collection.mint.manifest import (
    Problem,
    build_manifest,
    collection_files,
    file_digest,
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
