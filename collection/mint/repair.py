"""A finished collection checked before `mint` says "nothing to do": what is damaged, and which
tokens must be made again.

Every file is checked against manifest.json, sizes first (cheap) and, when asked or when
anything was found, sha256 too (the manifest written after a repair vouches for every file).
A token's own files (model, stills, thumbnail, previews) can only come from its job, so a
token with one of them missing or changed is minted again (its files are a pure function of
the config and the token id, so the same bytes come back); the collection-level files
(metadata, Ordinals files, ord batches, contact sheet) are written again by `finalize`, which
rewrites any whose bytes differ, and so is the manifest. Without a readable manifest, each
token's files are checked against the sizes and hashes its record keeps. An upgraded token
cannot be made again from the config alone: damage to its files is refused, naming them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from artgen.errors import ArtgenError

from . import layout
from .finalize import read_record
from .manifest import NotRegular, Problem, check_files, file_digest, read_manifest


@dataclass
class Damage:
    """What is wrong with a finished collection: problems by file, tokens to make again."""

    problems: list[Problem] = field(default_factory=list)
    tokens: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.problems or self.tokens)

    def lines(self) -> list[str]:
        return [p.line() for p in sorted(self.problems, key=lambda p: p.path)]


def token_files(record: dict[str, Any]) -> list[str]:
    """The files a token's job writes (relative paths), from its record."""
    files = record["files"]
    return [files["model"], files["thumbnail"], *files["stills"], *files["previews"].values()]


def checksums(files: list[tuple[str, bytes]]) -> dict[str, list]:
    """path -> [sha256, bytes] of a token's files, kept in its record for `inspect`."""
    return {path: [hashlib.sha256(data).hexdigest(), len(data)] for path, data in files}


def inspect(root: Path, size: int, *, hashes: bool = False) -> Damage:
    """The damage in the finished collection at `root` (empty: all its files are whole).

    Sizes are checked first; once anything is found, every hash is checked too, since the
    manifest written after the repair vouches for every file it lists.
    """
    damage = _inspect(root, size, hashes)
    return _inspect(root, size, True) if damage and not hashes else damage


def _inspect(root: Path, size: int, hashes: bool) -> Damage:
    damage = Damage()
    try:
        manifest = read_manifest(root)
    except ArtgenError as err:
        manifest = None
        missing = not (root / layout.MANIFEST).exists()
        damage.problems.append(Problem(layout.MANIFEST, "missing" if missing else err.detail))
    if manifest is not None:
        damage.problems += check_files(root, manifest["files"], hashes=hashes)
    broken = {p.path for p in damage.problems}
    for token in range(size):
        record = read_record(root, token)
        try:
            own = token_files(record) if record is not None else None
        except (KeyError, TypeError, AttributeError):
            own = None
        if own is None:  # no record to trust: the token is made again, which writes one
            damage.tokens.add(token)
            reason = "missing" if record is None else "damaged"
            damage.problems.append(Problem(f"{layout.STATE_DIR}/tokens/{token}.json", reason))
            continue
        if manifest is None:
            found = _check_by_record(root, record, own, hashes)
            damage.problems += found
            broken |= {p.path for p in found}
        if broken.intersection(own):
            if record.get("upgrades"):
                names = ", ".join(sorted(broken.intersection(own)))
                raise ArtgenError(
                    f"token {token} was upgraded and its files are damaged ({names}); give it "
                    f"its model again: artgen upgrade {root} --token {token} -m MODEL.json",
                    source=str(root),
                )
            damage.tokens.add(token)
    return damage


def _check_by_record(root: Path, record: dict, files: list[str], hashes: bool) -> list[Problem]:
    """A token's files against the sizes and hashes its record keeps (when it keeps them)."""
    kept = record.get("checksums", {}) if not record.get("upgrades") else {}
    problems = []
    for rel in files:
        path = root / rel
        try:
            info = path.lstat()
            if not path.is_file() or path.is_symlink():
                raise NotRegular("not a regular file")
        except FileNotFoundError:
            problems.append(Problem(rel, "missing"))
            continue
        except OSError as err:
            problems.append(Problem(rel, str(err)))
            continue
        if rel not in kept:
            continue
        sha, size = kept[rel]
        if info.st_size != size:
            problems.append(Problem(rel, f"size {info.st_size} bytes, its record says {size}"))
        elif hashes and file_digest(path, root)[0] != sha:
            problems.append(Problem(rel, "sha256 differs from its record"))
    return problems
