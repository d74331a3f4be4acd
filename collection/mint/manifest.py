"""manifest.json: the sha256 and size of every file of a collection, and `verify` against it.

Hidden files and folders (the .artgen resume state, temporary files of atomic writes), the
report folders written about a collection (audit/, showcase/) and manifest.json itself are not
listed. Paths are relative, with forward slashes, sorted.

A manifest is read strictly (`artgen.jsontext`, within `limits.RECORD_BYTES`) and every entry
is checked before any file is: a path that would lead outside the folder (absolute, "..", a
drive) is refused, and a file is only read if it is a regular file reached without a symbolic
link, so `verify` never reads outside the collection (nor hangs on a FIFO).
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from artgen import limits
from artgen.errors import ArtgenError
from artgen.inputs import kind_of
from artgen.jsontext import read_json

from .layout import MANIFEST, is_report, is_transient

_SHA256 = re.compile(r"[0-9a-f]{64}")
_DRIVE = re.compile(r"[A-Za-z]:")  # C:, d: (a Windows drive)


class NotRegular(OSError):
    """A collection path that is a link, a folder, a FIFO or a device, or leads outside."""


def file_digest(path: Path, root: Path | None = None) -> tuple[str, int]:
    """(sha256 hex, size in bytes) of a regular file, read in blocks; NotRegular when `path`
    is a symbolic link or not a regular file, or (given `root`) lies outside it."""
    if root is not None:
        real_root = os.path.realpath(root)
        if os.path.commonpath([real_root, os.path.realpath(path)]) != real_root:
            raise NotRegular("reached through a symbolic link to outside the collection")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as err:
        if os.path.islink(path):
            raise NotRegular("a symbolic link (not followed)") from None
        raise err
    mode = os.fstat(fd).st_mode  # before fdopen, which refuses a folder with its own error
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise NotRegular(f"{kind_of(mode)}, not a file")
    with os.fdopen(fd, "rb") as f:
        h = hashlib.sha256()
        size = 0
        while block := f.read(1 << 20):
            h.update(block)
            size += len(block)
    return h.hexdigest(), size


def collection_files(root: Path) -> list[str]:
    """Every file under `root` a manifest covers, as sorted relative paths (links and other
    non-regular files too: `verify` names them)."""
    out = []
    for here, dirs, names in os.walk(root):  # never descends a linked folder
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        linked = [d for d in dirs if os.path.islink(os.path.join(here, d))]
        for name in [*names, *linked]:
            rel = Path(here, name).relative_to(root).as_posix()
            if rel != MANIFEST and not is_transient(rel) and not is_report(rel):
                out.append(rel)
    return sorted(out)


def build_manifest(root: Path) -> dict[str, Any]:
    """The manifest of the files now under `root`."""
    files = []
    for rel in collection_files(root):
        digest, size = file_digest(root / rel, root)
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
    """manifest.json of `root`, every entry checked (path inside the folder, sha256, bytes)."""
    path = root / MANIFEST
    if not path.exists() and not path.is_symlink():
        raise ArtgenError("no manifest.json: not a finished collection", source=str(root))
    doc = read_json(path, limits.RECORD_BYTES, ArtgenError)
    if not isinstance(doc, dict) or not isinstance(doc.get("files"), list):
        raise ArtgenError("expected a list of files", source=str(path), field="files")
    for n, entry in enumerate(doc["files"]):
        _check_entry(entry, str(path), f"files[{n}]")
    return doc


def _check_entry(entry: object, source: str, field: str) -> None:
    if not isinstance(entry, dict):
        raise ArtgenError(
            "expected an object with path, sha256 and bytes", source=source, field=field
        )
    rel = entry.get("path")
    if not isinstance(rel, str) or not inside(rel):
        shown = repr(rel)[:80]
        msg = f"expected a relative path inside the collection, got {shown}"
        raise ArtgenError(msg, source=source, field=f"{field}.path")
    if not isinstance(entry.get("sha256"), str) or not _SHA256.fullmatch(entry["sha256"]):
        msg = "expected 64 lowercase hex digits"
        raise ArtgenError(msg, source=source, field=f"{field}.sha256")
    size = entry.get("bytes")
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise ArtgenError("expected a whole number >= 0", source=source, field=f"{field}.bytes")


def inside(relative: str) -> bool:
    """Whether a manifest path stays inside the collection folder: relative, forward slashes,
    no drive, no control characters, and every part a name ("", "." and ".." are not: no
    leading, doubled or trailing slash, no step in place or up)."""
    if "\\" in relative or any(ord(c) < 32 for c in relative) or _DRIVE.match(relative):
        return False
    return all(part not in ("", ".", "..") for part in relative.split("/"))


def check_files(root: Path, entries: list[dict], *, hashes: bool = True) -> list[Problem]:
    """The listed files that are missing, of another size, (with `hashes`) of other bytes, or
    not regular files inside the folder."""
    problems = []
    for entry in entries:
        rel = entry["path"]
        path = root / rel
        try:
            if not hashes:
                info = path.lstat()  # as file_digest says it
                if stat.S_ISLNK(info.st_mode):
                    raise NotRegular("a symbolic link (not followed)")
                if not stat.S_ISREG(info.st_mode):
                    raise NotRegular(f"{kind_of(info.st_mode)}, not a file")
                size, digest = info.st_size, entry["sha256"]
            else:
                digest, size = file_digest(path, root)
        except FileNotFoundError:
            problems.append(Problem(rel, "missing"))
            continue
        except NotRegular as err:
            problems.append(Problem(rel, str(err)))
            continue
        except OSError as err:
            problems.append(Problem(rel, f"cannot read: {err.strerror or err}"))
            continue
        if size != entry["bytes"]:
            problems.append(Problem(rel, f"size {size} bytes, manifest says {entry['bytes']}"))
        elif digest != entry["sha256"]:
            problems.append(Problem(rel, "sha256 differs from the manifest"))
    return problems


def verify(root: str | os.PathLike) -> list[Problem]:
    """Every file that is missing, changed or not in the manifest (empty: all good)."""
    root = Path(root)
    manifest = read_manifest(root)
    problems = check_files(root, manifest["files"])
    listed = {entry["path"] for entry in manifest["files"]}
    for rel in collection_files(root):
        if rel not in listed:
            mode = (root / rel).lstat().st_mode
            what = "a symbolic link" if stat.S_ISLNK(mode) else kind_of(mode)
            shown = "" if stat.S_ISREG(mode) else f" ({what})"
            problems.append(Problem(rel, f"not in the manifest{shown}"))
    return sorted(problems, key=lambda p: p.path)
