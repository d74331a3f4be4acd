"""Real datasets: a folder or ZIP with one sub-folder per class, as the original trainer took.

PNG, JPG, GIF and BMP files are read as RGB and resized bilinearly to H x W (`artgen.images`).
`__MACOSX` folders, AppleDouble `._*` files and non-image files are ignored; images inside a
class folder's sub-folders count for that class. A single top folder holding the class folders
is looked through. Unreadable images are skipped and listed in `Dataset.skipped`.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

import numpy as np
from PIL import Image, UnidentifiedImageError

from ..errors import DatasetError, ImageError
from ..images import IMAGE_SUFFIXES, load_image, resize
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
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, height: int, width: int
) -> np.ndarray:
    try:
        with Image.open(io.BytesIO(archive.read(info))) as im:
            im.seek(0)
            im.load()
            return resize(im, height, width)
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        zipfile.BadZipFile,
        Image.DecompressionBombError,
    ) as err:
        raise ImageError(
            f"expected a PNG, JPG, GIF or BMP image ({err})", source=info.filename
        ) from None


def _zip_entries(archive: zipfile.ZipFile, source: str, height: int, width: int):
    dirs: set[Parts] = set()
    files: list[tuple[Parts, Callable[[], np.ndarray]]] = []
    for info in archive.infolist():
        parts = _zip_parts(info.filename, source)
        if not parts:
            continue
        for k in range(1, len(parts) if not info.is_dir() else len(parts) + 1):
            dirs.add(parts[:k])
        if not info.is_dir():
            files.append((parts, lambda i=info: _read_zip_image(archive, i, height, width)))
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
    archive = None
    if p.is_dir():
        dirs, files = _folder_entries(p, height, width)
    elif p.is_file():
        try:
            archive = zipfile.ZipFile(p)
        except (zipfile.BadZipFile, OSError) as err:
            raise DatasetError(f"expected a folder or a ZIP file ({err})", source=source) from None
        dirs, files = _zip_entries(archive, source, height, width)
    else:
        raise DatasetError("no such folder or ZIP file", source=source)
    try:
        dirs = {d for d in dirs if not _ignored(d)}
        files = [(f, read) for f, read in files if not _ignored(f) and _is_image(f)]
        dirs, files = _strip_top(dirs, files)
        folders = sorted(d[0] for d in dirs if len(d) == 1)
        if len(folders) < 2:
            raise DatasetError(
                f"expected at least two class folders, found {len(folders)}", source=source
            )
        index = {name: i for i, name in enumerate(folders)}
        images, labels, skipped = [], [], []
        for parts, read in files:
            if len(parts) < 2:
                continue  # files beside the class folders belong to no class
            try:
                images.append(read())
            except ImageError:
                skipped.append("/".join(parts))
                continue
            labels.append(index[parts[0]])
    finally:
        if archive is not None:
            archive.close()
    counts = np.bincount(np.asarray(labels, np.int64), minlength=len(folders))
    empty = [name for name, c in zip(folders, counts, strict=True) if c == 0]
    if empty:
        raise DatasetError(
            f"class folder(s) without readable images: {', '.join(empty)}", source=source
        )
    names = tuple((class_names or {}).get(f, f) for f in folders)
    return Dataset(
        images=np.stack(images).astype(np.uint8),
        labels=np.asarray(labels, np.int64),
        class_names=names,
        source=source,
        skipped=tuple(skipped),
    )
