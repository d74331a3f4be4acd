"""Real datasets: a folder or ZIP with one sub-folder per class, as the original trainer took.

PNG, JPG, GIF and BMP files are read as RGB and resized bilinearly to H x W (`artgen.images`).
`__MACOSX` folders, AppleDouble `._*` files and non-image files are ignored; images inside a
class folder's sub-folders count for that class. A single top folder holding the class folders
is looked through. Unreadable images are skipped and listed in `Dataset.skipped`.

Budgets (`artgen.limits`) are checked before the work they bound: a ZIP's entry count from its
end record, its images' sizes and ratios from their headers (a ZIP bomb is refused unread),
the decoded size of all images from their count, each image's pixels from its header. FIFOs
and devices are not read (an image that is one is skipped as unreadable).
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Callable
from contextlib import ExitStack
from functools import partial
from pathlib import Path, PurePosixPath
from typing import BinaryIO

import numpy as np

from .. import limits
from ..errors import DatasetError, ImageError
from ..images import IMAGE_SUFFIXES, decode, load_image, resize
from ..inputs import open_regular
from .dataset import Dataset

Parts = tuple[str, ...]
_DRIVE = re.compile(r"^[A-Za-z]:")


def _ignored(parts: Parts) -> bool:
    return any(p == "__MACOSX" or p.startswith("._") for p in parts)


def _is_image(parts: Parts) -> bool:
    return parts[-1].lower().endswith(IMAGE_SUFFIXES)


def _folder_entries(root: Path, height: int, width: int):
    dirs: set[Parts] = set()
    files: list[tuple[Parts, Callable[[], np.ndarray]]] = []
    for here, subdirs, names in os.walk(root):
        subdirs.sort()
        rel = Path(here).relative_to(root).parts
        for d in subdirs:
            dirs.add((*rel, d))
        for name in sorted(names):
            path = Path(here) / name
            files.append(((*rel, name), lambda p=path: load_image(p, height, width)))
    return dirs, files


def _zip_parts(name: str, source: str) -> Parts:
    """An entry's path parts; entries that would land outside the folder are rejected."""
    clean = name.replace("\\", "/")
    parts = tuple(p for p in PurePosixPath(clean).parts if p not in ("", "."))
    if clean.startswith("/") or _DRIVE.match(clean) or ".." in parts:
        raise DatasetError(f"ZIP entry {name!r} escapes the dataset folder", source=source)
    return parts


def _read_zip_image(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, source: str, height: int, width: int
) -> np.ndarray:
    where = f"{source}: {info.filename}"
    try:
        with archive.open(info) as entry:
            data = entry.read(int(limits.IMAGE_BYTES.high) + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as err:
        raise ImageError(f"cannot unpack the entry ({err})", source=where) from None
    limits.IMAGE_BYTES.check(len(data), source=where)
    with decode(io.BytesIO(data), where) as im:
        return resize(im, height, width)


#: Entries smaller than this when unpacked are not held to `limits.ARCHIVE_RATIO`: a small
#: flat image compresses far, and cannot make a bomb.
_RATIO_FLOOR = 1 << 20


def check_archive(infos: list[zipfile.ZipInfo], source: str) -> None:
    """Refuse a ZIP whose image entries, by their headers, unpack beyond the budgets
    (`artgen.limits`): each image's size and ratio, and their total. Reading then stops at
    each entry's declared size (zipfile checks its CRC), so a header cannot understate it."""
    total = 0
    for info in infos:
        where = f"{source}: {info.filename}"
        limits.IMAGE_BYTES.check(info.file_size, source=where)
        if info.file_size > _RATIO_FLOOR:
            limits.ARCHIVE_RATIO.check(
                round(info.file_size / max(info.compress_size, 1), 1), source=where
            )
        total += info.file_size
    limits.ARCHIVE_BYTES.check(total, source=source)


def open_zip(file: BinaryIO, source: str) -> zipfile.ZipFile:
    """The ZIP in the open `file`, once its entry count, read from its end record before the
    central directory is parsed, is within `limits.ARCHIVE_ENTRIES`."""
    try:
        end = zipfile._EndRecData(file)  # (signature, ..., entries total, ...) or None
        if end is not None:
            limits.ARCHIVE_ENTRIES.check(end[zipfile._ECD_ENTRIES_TOTAL], source=source)
        file.seek(0)
        return zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as err:
        raise DatasetError(f"expected a folder or a ZIP file ({err})", source=source) from None


def _zip_entries(archive: zipfile.ZipFile, source: str, height: int, width: int):
    dirs: set[Parts] = set()
    files: list[tuple[Parts, Callable[[], np.ndarray]]] = []
    images = []
    for info in archive.infolist():
        parts = _zip_parts(info.filename, source)
        if not parts:
            continue
        for k in range(1, len(parts) if not info.is_dir() else len(parts) + 1):
            dirs.add(parts[:k])
        if not info.is_dir():
            if _is_image(parts) and not _ignored(parts):
                images.append(info)
            read = partial(_read_zip_image, archive, info, source, height, width)
            files.append((parts, read))
    check_archive(images, source)
    files.sort(key=lambda f: f[0])
    return dirs, files


def _strip_top(dirs: set[Parts], files: list) -> tuple[set[Parts], list]:
    """Look through single top folders (a ZIP often wraps the class folders in one)."""
    while True:
        top = {d[0] for d in dirs if len(d) == 1}
        top_files = [f for f, _ in files if len(f) == 1]
        if len(top) != 1 or top_files:
            return dirs, files
        inner = {d[1:] for d in dirs if len(d) > 1}
        if not inner:
            return dirs, files
        dirs = inner
        files = [(f[1:], read) for f, read in files if len(f) > 1]


def load_folder(
    path: str | os.PathLike,
    size: tuple[int, int],
    class_names: dict[str, str] | None = None,
) -> Dataset:
    """Read a dataset folder or ZIP; `class_names` maps folder names to display names.

    Raises DatasetError when the path is missing, a ZIP entry escapes the folder, or there
    are fewer than two classes or a class without readable images.
    """
    source = str(path)
    p = Path(path)
    height, width = int(size[0]), int(size[1])
    with ExitStack() as stack:
        if p.is_dir():
            dirs, files = _folder_entries(p, height, width)
        elif p.exists():
            file = stack.enter_context(open_regular(p, limits.ARCHIVE_BYTES, DatasetError))
            archive = stack.enter_context(open_zip(file, source))
            dirs, files = _zip_entries(archive, source, height, width)
        else:
            raise DatasetError("no such folder or ZIP file", source=source)
        dirs = {d for d in dirs if not _ignored(d)}
        files = [(f, read) for f, read in files if not _ignored(f) and _is_image(f)]
        dirs, files = _strip_top(dirs, files)
        folders = sorted(d[0] for d in dirs if len(d) == 1)
        if len(folders) < 2:
            raise DatasetError(
                f"expected at least two class folders, found {len(folders)}", source=source
            )
        index = {name: i for i, name in enumerate(folders)}
        files = [(parts, read) for parts, read in files if len(parts) >= 2]  # beside: no class
        limits.DATASET_BYTES.check(len(files) * height * width * 3, source=source)
        images = np.empty((len(files), height, width, 3), np.uint8)
        labels, skipped = [], []
        for parts, read in files:
            try:
                images[len(labels)] = read()
            except ImageError:
                skipped.append("/".join(parts))
                continue
            labels.append(index[parts[0]])
    counts = np.bincount(np.asarray(labels, np.int64), minlength=len(folders))
    empty = [name for name, c in zip(folders, counts, strict=True) if c == 0]
    if empty:
        raise DatasetError(
            f"class folder(s) without readable images: {', '.join(empty)}", source=source
        )
    names = tuple((class_names or {}).get(f, f) for f in folders)
    return Dataset(
        images=images[: len(labels)],
        labels=np.asarray(labels, np.int64),
        class_names=names,
        source=source,
        skipped=tuple(skipped),
    )
