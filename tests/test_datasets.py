"""The procedural default dataset, its cache, folder/ZIP datasets and augmentation."""

from __future__ import annotations

import zipfile

import numpy as np
import pytest
from PIL import Image

from artgen.datasets import default_dataset, holdout_split, load_dataset, procedural
from artgen.datasets.augment import Augmentation, _affine
from artgen.datasets.folder import load_folder
from artgen.errors import DatasetError

COLOURS = {"apes": (200, 40, 40), "birds": (40, 200, 40), "cats": (40, 40, 200)}


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ARTGEN_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def save(path, colour, size=(12, 10), fmt=None, mode="RGB"):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new(mode, size, colour if mode == "RGB" else colour + (255,)).save(path, format=fmt)


def make_folder(root, per_class=3):
    for name, colour in COLOURS.items():
        for i in range(per_class):
            save(root / name / f"{i}.png", colour)
    return root


# --- the procedural dataset -------------------------------------------------------------


def test_procedural_images_are_seeded_labelled_and_varied():
    images, labels = procedural.generate(seed=3, per_class=25)
    assert images.shape == (100, 32, 32, 3) and images.dtype == np.uint8
    assert np.bincount(labels).tolist() == [25, 25, 25, 25]
    again, _ = procedural.generate(seed=3, per_class=25)
    assert np.array_equal(images, again)
    other, _ = procedural.generate(seed=4, per_class=25)
    assert not np.array_equal(images, other)
    flat = images.reshape(len(images), -1)
    assert len({row.tobytes() for row in flat}) == len(flat)  # no two pictures alike
    for c in range(4):  # within a class, pictures differ in colour and layout
        assert flat[labels == c].astype(float).std(axis=0).mean() > 20


def test_noggles_are_white_then_black_and_toadz_mostly_green():
    images, labels = procedural.generate(seed=0, per_class=40)
    nouns, toadz = images[labels == 3].astype(int), images[labels == 0].astype(int)
    # every noun wears lenses with a white left half beside a black right half
    white = (nouns > 200).all(axis=3)
    black = (nouns < 60).all(axis=3)
    pairs = white[:, :, :-2] & black[:, :, 2:]
    assert pairs.any(axis=(1, 2)).mean() > 0.9
    centre = toadz[:, 18:26, 8:24]
    assert (centre[..., 1] > centre[..., 2]).mean() > 0.6


def test_default_dataset_is_cached_by_version_seed_and_size(cache):
    folder = cache / "datasets"
    folder.mkdir(parents=True, exist_ok=True)
    old = folder / f"procedural-v{procedural.GENERATOR_VERSION}-seed5-n12-8x8.npz"
    old.write_bytes(b"an earlier version's cache")
    first = default_dataset(seed=5, per_class=12, size=(8, 8))
    assert not old.exists()  # replaced by the .npy pair
    assert first.images.shape == (48, 8, 8, 3)
    assert first.class_names == ("Cryptoadz", "Cryptopunks", "Moonbirds", "Nouns")
    files = sorted((cache / "datasets").glob("*.npy"))
    assert [f.name.rsplit("-", 1)[1] for f in files] == ["images.npy", "labels.npy"]
    name = files[0].name
    assert (
        f"v{procedural.GENERATOR_VERSION}" in name
        and "seed5" in name
        and "n12" in name
        and "8x8" in name
    )
    second = default_dataset(seed=5, per_class=12, size=(8, 8))
    assert np.array_equal(first.images, second.images) and np.array_equal(
        first.labels, second.labels
    )
    # a cached dataset is memory-mapped read-only: workers share its pages, none can alter it
    assert isinstance(second.images, np.memmap) and not second.images.flags.writeable
    files[0].write_bytes(b"not an npy")  # a damaged cache is drawn again
    third = default_dataset(seed=5, per_class=12, size=(8, 8))
    assert np.array_equal(first.images, third.images)
    files[1].unlink()  # images without their labels are drawn again too
    fourth = default_dataset(seed=5, per_class=12, size=(8, 8))
    assert np.array_equal(first.labels, fourth.labels)
    default_dataset(seed=6, per_class=12, size=(8, 8))
    assert len(list((cache / "datasets").glob("*.npy"))) == 4
    assert not list((cache / "datasets").glob(".*.tmp"))


def test_holdout_split_is_seeded_disjoint_and_ten_percent():
    train, val = holdout_split(1000)
    assert len(val) == 100 and len(train) == 900
    assert set(train.tolist()).isdisjoint(val.tolist())
    assert sorted(np.concatenate([train, val]).tolist()) == list(range(1000))
    assert np.array_equal(val, holdout_split(1000)[1])
    assert not np.array_equal(val, holdout_split(1000, seed=7)[1])
    assert not np.array_equal(val, np.arange(100))  # shuffled, not the first tenth


# --- folders and ZIPs -------------------------------------------------------------------


def test_folder_reads_all_formats_resized_rgb_and_ignores_junk(tmp_path):
    root = make_folder(tmp_path / "data")
    save(root / "apes" / "big.jpg", COLOURS["apes"], size=(40, 30), fmt="JPEG")
    save(root / "birds" / "anim.gif", COLOURS["birds"], fmt="GIF")
    save(root / "cats" / "old.bmp", COLOURS["cats"], fmt="BMP")
    save(root / "cats" / "alpha.png", COLOURS["cats"], mode="RGBA")
    save(root / "cats" / "deeper" / "nested.png", COLOURS["cats"])
    (root / "apes" / "notes.txt").write_text("not an image")
    (root / "birds" / "broken.png").write_bytes(b"\x89PNG garbage")
    save(root / "__MACOSX" / "apes" / "._0.png", (0, 0, 0))
    save(root / "stray.png", (0, 0, 0))  # beside the class folders: no class
    data = load_folder(root, (6, 5))
    assert data.class_names == ("apes", "birds", "cats")
    assert data.images.shape == (14, 6, 5, 3) and data.images.dtype == np.uint8
    assert data.counts() == {"apes": 4, "birds": 4, "cats": 6}
    assert data.skipped == ("birds/broken.png",)
    assert "skipped 1 unreadable" in data.report()
    for label, colour in enumerate(COLOURS.values()):
        mean = data.images[data.labels == label].reshape(-1, 3).mean(axis=0)
        assert np.allclose(mean, colour, atol=6)


def test_class_names_map_gives_display_names(tmp_path):
    root = make_folder(tmp_path / "data")
    data = load_dataset(root, (4, 4), {"apes": "Apes", "cats": "Cats"})
    assert data.class_names == ("Apes", "birds", "Cats")


def test_zip_with_a_top_folder_loads_like_the_folder(tmp_path):
    root = make_folder(tmp_path / "data")
    archive = tmp_path / "data.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for path in sorted(root.rglob("*.png")):
            z.write(path, "dataset/" + path.relative_to(root).as_posix())
        z.writestr("__MACOSX/dataset/apes/._0.png", b"junk")
        z.writestr("dataset/apes/readme.md", "hello")
        z.writestr("dataset/cats/bad.png", b"nope")
    from_zip = load_dataset(archive, (5, 5))
    from_dir = load_dataset(root, (5, 5))
    assert from_zip.class_names == from_dir.class_names
    assert np.array_equal(from_zip.images, from_dir.images)
    assert np.array_equal(from_zip.labels, from_dir.labels)
    assert from_zip.skipped == ("cats/bad.png",)


@pytest.mark.parametrize(
    "entry", ["../evil/x.png", "data/../../x.png", "/etc/x.png", "C:/x.png", "a\\..\\..\\x.png"]
)
def test_zip_entries_escaping_the_folder_are_rejected(tmp_path, entry):
    archive = tmp_path / "bad.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("a/0.png", b"")
        z.writestr("b/0.png", b"")
        z.writestr(entry, b"x")
    with pytest.raises(DatasetError, match="escapes"):
        load_dataset(archive, (4, 4))


def test_empty_class_one_class_and_missing_paths_are_errors(tmp_path):
    root = make_folder(tmp_path / "data")
    (root / "dogs").mkdir()
    with pytest.raises(DatasetError, match="dogs"):
        load_folder(root, (4, 4))
    only = tmp_path / "only"
    save(only / "apes" / "0.png", (1, 2, 3))
    with pytest.raises(DatasetError, match="at least two class folders, found 1"):
        load_folder(only, (4, 4))
    broken = tmp_path / "broken"
    save(broken / "apes" / "0.png", (1, 2, 3))
    (broken / "birds").mkdir()
    (broken / "birds" / "0.png").write_bytes(b"unreadable")
    with pytest.raises(DatasetError, match="birds"):
        load_folder(broken, (4, 4))
    with pytest.raises(DatasetError, match="no such folder"):
        load_folder(tmp_path / "nowhere", (4, 4))
    (tmp_path / "plain.txt").write_text("hi")
    with pytest.raises(DatasetError, match="ZIP"):
        load_folder(tmp_path / "plain.txt", (4, 4))


# --- augmentation -----------------------------------------------------------------------


def test_affine_identity_and_half_turn():
    gen = np.random.default_rng(0)
    x = gen.uniform(0, 255, (3, 7, 9, 3)).astype(np.float32)
    ones, zeros = np.ones(3), np.zeros(3)
    assert np.allclose(_affine(x, zeros, ones, ones), x, atol=1e-3)
    assert np.allclose(_affine(x, np.full(3, np.pi), ones, ones), x[:, ::-1, ::-1], atol=1e-2)


def test_augmentations_stay_in_range_and_are_seeded():
    images, _ = procedural.generate(seed=1, per_class=4)
    aug = Augmentation("Both", 0.1, 0.2, 0.3, 0.2)
    assert aug.active and not Augmentation().active
    a = aug.apply(images, np.random.default_rng(9))
    b = aug.apply(images, np.random.default_rng(9))
    assert a.shape == images.shape and a.dtype == np.float32
    assert np.array_equal(a, b) and not np.array_equal(a, images.astype(np.float32))
    assert a.min() >= 0 and a.max() <= 255
    flipped = Augmentation("Horizontal").apply(images, np.random.default_rng(2))
    for img, out in zip(images, flipped, strict=True):
        assert np.array_equal(out, img) or np.array_equal(out, img[:, ::-1])
    assert any(not np.array_equal(o, i) for i, o in zip(images, flipped, strict=True))
    bright = Augmentation(random_brightness=0.5).apply(images, np.random.default_rng(3))
    for img, out in zip(images, bright, strict=True):  # one shift per image, clipped to 0..255
        inside = (out > 0) & (out < 255)
        shifts = (out - img)[inside]
        assert inside.any() and np.ptp(shifts) < 1e-3
