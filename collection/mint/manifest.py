"""manifest.json: the sha256 and size of every file of a collection, and `verify` against it.

Hidden files and folders (the .artgen resume state, temporary files of atomic writes), the
report folders written about a collection (audit/, showcase/) and manifest.json itself are not
listed. Paths are relative, with forward slashes, sorted.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from artgen.errors import ArtgenError

from .layout import MANIFEST, is_report, is_transient


def file_digest(path: Path) -> tuple[str, int]:
    """(sha256 hex, size in bytes) of a file, read in blocks."""
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
            size += len(block)
    return h.hexdigest(), size


def collection_files(root: Path) -> list[str]:
    """Every file under `root` a manifest covers, as sorted relative paths."""
    out = []
    for here, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            rel = Path(here, name).relative_to(root).as_posix()
            if rel != MANIFEST and not is_transient(rel) and not is_report(rel):
                out.append(rel)
    return sorted(out)


def build_manifest(root: Path) -> dict[str, Any]:
    """The manifest of the files now under `root`."""
    files = []
    for rel in collection_files(root):
        digest, size = file_digest(root / rel)
        files.append({"path": rel, "sha256": digest, "bytes": size})
    return {"count": len(files), "bytes": sum(f["bytes"] for f in files), "files": files}


@dataclass(frozen=True)
class Problem:
    """A file that does not match the manifest."""

    path: str
    reason: str

    def line(self) -> str:
        return f"{self.path}: {self.reason}"


def read_manifest(root: Path) -> dict[str, Any]:
    path = root / MANIFEST
    try:
        doc = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise ArtgenError("no manifest.json: not a finished collection", source=str(root)) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ArtgenError(f"unreadable manifest ({err})", source=str(path)) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("files"), list):
        raise ArtgenError("expected a list of files", source=str(path), field="files")
    return doc


def verify(root: str | os.PathLike) -> list[Problem]:
    """Every file that is missing, changed or not in the manifest (empty: all good)."""
    root = Path(root)
    manifest = read_manifest(root)
    problems = []
    listed = set()
    for entry in manifest["files"]:
        rel = entry["path"]
        listed.add(rel)
        path = root / rel
        if not path.is_file():
            problems.append(Problem(rel, "missing"))
            continue
        digest, size = file_digest(path)
        if size != entry["bytes"]:
            problems.append(Problem(rel, f"size {size} bytes, manifest says {entry['bytes']}"))
        elif digest != entry["sha256"]:
            problems.append(Problem(rel, "sha256 differs from the manifest"))
    for rel in collection_files(root):
        if rel not in listed:
            problems.append(Problem(rel, "not in the manifest"))
    return sorted(problems, key=lambda p: p.path)
